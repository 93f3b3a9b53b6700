"""A table's rows kept in order between builds, so that a change makes only its own rows again.

`SortedRows` holds every row of one table (`data/responses.*`, `data/claims.*`) by its sort
key, with the record it came from (a brief, a claim) and its line in each file (CSV, JSON).
A build takes out the rows of the records a change touched and puts in their new ones, each
at its place (a binary search: the keys are unique), then joins the lines: the work grows
with the change, not with the site. Its `state` is plain data (tuples of strings, numbers
and bytes) that the build cache keeps, so that `build` too makes only the touched rows.
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

    def state(self) -> tuple[tuple[Key, ...], tuple[str, ...], tuple[bytes, ...],
                             tuple[bytes, ...]]:
        """The rows as plain data, for the build cache."""
        return (tuple(self.keys), tuple(self.records), tuple(self.lines["csv"]),
                tuple(self.lines["json"]))

    @classmethod
    def from_state(cls, state: Any) -> SortedRows | None:
        """The rows `state` holds; None for anything else (a damaged cache)."""
        try:
            keys, records, csv_lines, json_lines = state
            if not len(keys) == len(records) == len(csv_lines) == len(json_lines):
                return None
            return cls(list(keys), list(records), [list(csv_lines), list(json_lines)])
        except (TypeError, ValueError):
            return None
