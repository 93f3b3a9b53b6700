"""A table's rows kept in order between builds, so that a change makes only its own rows again.

`SortedRows` holds every row of one table (`data/responses.*`, `data/claims.*`) by its sort
key, with the record it came from (a brief, a claim) and its line in each file (CSV, JSON).
A build takes out the rows of the records a change touched and puts in their new ones, each
at its place (a binary search: the keys are unique), then joins the lines: the work grows
with the change, not with the site. The build cache keeps each record's rows (`rows_of`),
plain data (tuples of strings, numbers and bytes), and saves again only those of the
records changed since (`dirty`), so that `build` too makes only the touched rows.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import Any

Key = tuple[Any, ...]  # a row's place in its table: unique within it
RowLines = tuple[Key, bytes, bytes]  # a row: its key, its CSV line, its JSON line
FORMATS = ("csv", "json")


class SortedRows:
    """Every row of a table in order: the keys, the record each came from, each format's
    lines, side by side; and the keys of each record's rows."""

    def __init__(self, keys: list[Key], records: list[str], lines: Sequence[list[bytes]]
                 ) -> None:
        self.keys, self.records = keys, records
        self.lines = dict(zip(FORMATS, lines, strict=True))
        self.made: dict[str, list[Key]] = {}
        self.dirty: set[str] | None = None  # the records changed since the build cache got
        # the rows (None: all of them)
        for key, record in zip(keys, records, strict=True):
            self.made.setdefault(record, []).append(key)

    @classmethod
    def of(cls, rows: Iterable[tuple[str, RowLines]]) -> SortedRows:
        """The table of `rows`, (record, row) in any order."""
        ordered = sorted(rows, key=lambda found: found[1][0])
        return cls([row[0] for _, row in ordered], [record for record, _ in ordered],
                   [[row[1] for _, row in ordered], [row[2] for _, row in ordered]])

    def __len__(self) -> int:
        return len(self.made)

    def replace(self, record: str, rows: Sequence[RowLines]) -> None:
        """The rows of `record` (none: the record is gone) in place of those it had."""
        for key in self.made.pop(record, ()):
            at = bisect_left(self.keys, key)
            del self.keys[at], self.records[at]
            for lines in self.lines.values():
                del lines[at]
        for key, csv_line, json_line in rows:
            at = bisect_left(self.keys, key)
            self.keys.insert(at, key)
            self.records.insert(at, record)
            self.lines["csv"].insert(at, csv_line)
            self.lines["json"].insert(at, json_line)
        if rows:
            self.made[record] = [row[0] for row in rows]
        if self.dirty is not None:
            self.dirty.add(record)

    def rows_of(self, record: str) -> list[RowLines]:
        """The rows of `record`, in order (none: it has none)."""
        found = []
        for key in self.made.get(record, ()):
            at = bisect_left(self.keys, key)
            found.append((key, self.lines["csv"][at], self.lines["json"][at]))
        return found

    def stored(self) -> None:
        """The build cache holds the rows as they are now."""
        self.dirty = set()

    @classmethod
    def from_records(cls, state: Any) -> SortedRows | None:
        """The rows the build cache holds, by record (`(record, rows)`, see `rows_of`); None
        for anything else (a damaged cache)."""
        try:
            rows = cls.of((record, (key, csv_line, json_line))
                          for record, lines in state for key, csv_line, json_line in lines)
        except (TypeError, ValueError):
            return None
        if len(set(rows.keys)) != len(rows.keys) or not all(
                isinstance(line, bytes) for lines in rows.lines.values() for line in lines):
            return None
        rows.dirty = set()
        return rows
