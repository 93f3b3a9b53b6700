"""The site's claims and responses as tables, for data desks: CSV and JSON.

`data/responses.csv` has one row per response of the whole site, `data/claims.csv` one per
claim; `data/responses.json` and `data/claims.json` hold the same rows as JSON objects with
the same names, a list where the CSV joins several values with "; ". docs/data.md describes
every column.

Rows are sorted (responses by date, brief and their order in it; claims by date and id)
and nothing depends on when the site is built, so two builds give the same bytes. A large
site has hundreds of thousands of rows: `DataTables` makes each once, as bytes, and after
a change makes again only the rows of the briefs and claims it touched (see
`keptrows.SortedRows`, which the build cache keeps too). The CSV follows RFC 4180 (UTF-8
without a byte-order mark, a header row, CRLF line ends, quotes only where needed); a cell
that a spreadsheet would take for a formula (it starts with = + - @, a tab or a carriage
return) starts with an apostrophe there, which makes it text. The JSON keeps every value
exactly.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any

from ..site import urls
from ..site.views import Annotated, BriefView, SiteIndex, Thread, natural
from ..source.controls import drop_controls
from ..source.model import Stance
from ..text.anchor import claim_key
from .keptrows import RowLines, SortedRows

RESPONSE_COLUMNS = ("date", "actor_id", "actor_name", "stance", "polarity", "claim_id",
                    "claim_text", "quote", "note", "brief", "brief_title", "brief_url")
CLAIM_COLUMNS = ("id", "text", "claimant_ids", "claimant_names", "about_ids", "about_names",
                 "status", "date", "quote", "brief", "brief_title", "brief_url", "url",
                 "responses", "responses_for", "responses_neither", "responses_against",
                 "responses_withdrawn", "status_since", "status_reason")
POLARITY_COLUMNS = {"+": "responses_for", "0": "responses_neither", "-": "responses_against"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as a formula
JOINED = "; "  # between the values of a CSV cell that holds several
Row = dict[str, Any]
Key = tuple[Any, ...]  # a row's place in its table
Keys = frozenset[tuple[str, str]]  # what changed: ('brief', slug), ('claim', id)...


class DataTables:
    """Writes the data files. One build of a whole site writes each row as soon as it is
    made: nothing but the sort keys is held. Otherwise (an incremental build, `serve`) each
    table's rows are kept in order (`SortedRows`), both files' lines made at once, and a
    build makes again only the rows of the briefs and claims its change touched: it says
    which (`changed`) before rendering. Without a change of the settings or of an actor, a
    row changes only with what its record's pages show: a response's with its brief's page
    (the brief, the claims it answers), a claim's with the claim's page. The kept rows go
    into the build cache (`state`), so that the next `build` makes only the rows it must."""

    def __init__(self) -> None:
        self.keep = False  # keep the rows even after a change of everything (`serve`)
        self._kept: dict[str, SortedRows] = {}  # by table: 'responses', 'claims'
        self._shows: dict[str, SiteIndex] = {}  # by table: the index its kept rows show
        self._pending: dict[str, Keys] = {}  # by table: what changed since they showed it
        self._patching = False  # the build renders only what changed: rows are kept

    def changed(self, keys: Keys | None) -> None:
        """A build changed what pages show of `keys` (('brief', slug), ('claim', id)...);
        None: everything (the settings, an actor), and then no rows are kept unless `keep`."""
        self._patching = keys is not None
        if keys is None:
            self._kept, self._shows, self._pending = {}, {}, {}
            return
        for table in self._kept:
            self._pending[table] = self._pending.get(table, frozenset()) | keys

    def render(self, name: str, index: SiteIndex) -> bytes:
        """The bytes of `data/<name>` (`responses.csv`, `claims.json`...)."""
        table, _, kind = name.partition(".")
        rows = _Rows(table, index)
        if self.keep or self._patching:
            lines: Iterable[bytes] = self._rows(table, rows, index).lines[kind]
        else:
            lines = _streamed(rows, _csv_line(rows.columns) if kind == "csv" else _json_line)
        if kind == "csv":
            return b"".join([f"{','.join(rows.columns)}\r\n".encode(), *lines])
        joined = b",\n".join(lines)
        return b"".join((b"[\n", joined, b"\n]\n")) if joined else b"[]\n"  # one copy

    def prepare(self, index: SiteIndex) -> None:
        """Make and keep every table's rows from `index` now (`serve`, before the next save)."""
        for table in TABLES:
            self._rows(table, _Rows(table, index), index)

    def _rows(self, table: str, rows: _Rows, index: SiteIndex) -> SortedRows:
        """The table's kept rows, brought up to date with `index`."""
        kept = self._kept.get(table)
        if kept is not None and self._shows.get(table) is index:
            return kept
        encode = _Encoder(rows)
        touched = rows.touched(self._pending.pop(table, frozenset()))
        if kept is None or len(touched) * 4 > len(kept):  # most of it: all again, sorted
            kept = SortedRows.of((rows.name(r), row) for r in rows.records
                                 for row in encode.rows(r))
        else:
            for name in touched:
                record = rows.find(name)
                kept.replace(name, () if record is None else encode.rows(record))
        self._kept[table], self._shows[table] = kept, index
        return kept

    def state(self) -> dict[str, SortedRows | None]:
        """Each table's kept rows, for the build cache: None for one not kept up to date."""
        return {table: self._kept[table] if table in self._kept and not self._pending.get(table)
                else None for table in TABLES}

    def restore(self, state: Any, index: SiteIndex | None = None) -> None:
        """The rows a build kept (`state`: by table, each record's rows, see
        `SortedRows.from_records`), as they were when it wrote the site; `index`, that
        build's, when known."""
        found = state.items() if isinstance(state, dict) else ()
        for table, saved in found:
            rows = SortedRows.from_records(saved)
            if table in TABLES and rows is not None:
                self._kept[table] = rows
                if index is not None:
                    self._shows[table] = index


TABLES = ("responses", "claims")


def written_rows(table: str, index: SiteIndex, csv_data: bytes, json_data: bytes
                 ) -> list[tuple[str, list[RowLines]]] | None:
    """A table's rows by record, from the files a build wrote (`data/<table>.csv` and
    `.json`): a build of the whole site streams them and keeps none, so the build cache takes
    them from there, with each row's sort key made again (cheap: no row is made). None when
    the files do not hold a line for each row."""
    rows = _Rows(table, index)
    entries = [(key, rows.name(record)) for record in rows.records
               for key, _ in rows.keyed(record)]
    entries.sort(key=itemgetter(0))
    csv_lines, json_lines = _csv_rows(csv_data), _json_rows(json_data)
    if csv_lines is None or json_lines is None \
            or not len(entries) == len(csv_lines) == len(json_lines):
        return None
    found: dict[str, list[RowLines]] = {}
    for (key, name), csv_line, json_line in zip(entries, csv_lines, json_lines, strict=True):
        found.setdefault(name, []).append((key, csv_line, json_line))
    return list(found.items())


def _csv_rows(data: bytes) -> list[bytes] | None:
    """The lines of a CSV file but its header, each with its line end; a line break inside a
    quoted cell stays in its row (an odd number of quotes so far)."""
    found: list[bytes] = []
    pending = b""
    for part in data.split(b"\r\n")[:-1]:
        pending += part + b"\r\n"
        if pending.count(b'"') % 2 == 0:
            found.append(pending)
            pending = b""
    return found[1:] if found and not pending and data.endswith(b"\r\n") else None


def _json_rows(data: bytes) -> list[bytes] | None:
    """The lines of a JSON file of rows, as `DataTables.render` joins them (no line holds a
    line break)."""
    if data == b"[]\n":
        return []
    if not data.startswith(b"[\n") or not data.endswith(b"\n]\n"):
        return None
    return data[2:-3].split(b",\n")


def _streamed(rows: _Rows, encode: Callable[[Row], bytes]) -> Iterator[bytes]:
    """Each row's line, in order, made as it is written: only the sort keys are held."""
    entries = [(key, record, item) for record in rows.records
               for key, item in rows.keyed(record)]
    entries.sort(key=itemgetter(0))
    return (encode(rows.row(record, item)) for _, record, item in entries)


class _Encoder:
    """Writes a record's rows as lines of both files at once: each row is made once."""

    def __init__(self, rows: _Rows) -> None:
        self.table, self.csv = rows, _csv_line(rows.columns)

    def rows(self, record: Any) -> list[RowLines]:
        found = []
        for key, item in self.table.keyed(record):
            row = self.table.row(record, item)
            found.append((key, self.csv(row), _json_line(row)))
        return found


class _Rows:
    """A table's rows: its records (the briefs' views for responses, the claims' threads for
    claims, each named by its slug or id), each record's rows as sort keys and items, and
    what makes the row of one."""

    def __init__(self, table: str, index: SiteIndex) -> None:
        self.index, self.responses = index, table == "responses"
        self.columns = RESPONSE_COLUMNS if self.responses else CLAIM_COLUMNS
        self.stances = {s.name: s for s in index.site.config.stances}

    @property
    def records(self) -> Sequence[Any]:
        """Every record, oldest first: their rows come nearly in order, which sorting then
        only checks (the index holds them newest first)."""
        if self.responses:
            return self.index.briefs[::-1]
        return tuple(self.index.threads.values())[::-1]

    def keyed(self, record: Any) -> list[tuple[Key, Any]]:
        if self.responses:
            return _responses(record)
        return [((record.claim.date.toordinal(), record.claim.id), None)]

    def row(self, record: Any, item: Any) -> Row:
        if self.responses:
            return _response(record, item, self.index, self.stances)
        return _claim(record, self.index)

    def name(self, record: Any) -> str:
        return str(record.brief.slug if self.responses else record.claim.id)

    def find(self, name: str) -> Any:
        """The record named `name`; None when it is gone."""
        if self.responses:
            return self.index.links.views.get(name)
        return self.index.threads.get(name)

    def touched(self, keys: Keys) -> set[str]:
        """The records whose rows may have changed with `keys`: a brief's responses show it
        and the claims it answers; a claim's row, what its page shows."""
        claims = {value for kind, value in keys if kind == "claim"}
        if not self.responses:
            return claims
        found = {value for kind, value in keys if kind == "brief"}
        for claim_id in claims:
            found.update(self.index.links.responders.get(claim_id, ()))
        return found


def _responses(view: BriefView) -> list[tuple[Key, Annotated]]:
    """A brief's responses, each with its sort key: date, brief, its place in the brief."""
    return [((item.response.date.toordinal(), view.brief.slug, natural(item.key)), item)
            for item in view.annotations if item.response is not None]


def _response(view: BriefView, item: Annotated, index: SiteIndex,
              stances: Mapping[str, Stance]) -> Row:
    brief, response = view.brief, item.response
    assert response is not None
    return {
        "date": response.date.isoformat(), "actor_id": response.by.id,
        "actor_name": index.actor(response.by.id).name, "stance": response.stance,
        "polarity": stances[response.stance].polarity_word,
        "claim_id": item.claim.id, "claim_text": item.claim.text,
        "quote": _quote(view, item.key), "note": response.note,
        "brief": brief.slug, "brief_title": brief.title,
        "brief_url": address(index.site.config.base_url, urls.brief(brief.slug), item.target)}


def _claim(thread: Thread, index: SiteIndex) -> Row:
    claim, brief = thread.claim, thread.brief
    base_url = index.site.config.base_url
    counts = dict.fromkeys(POLARITY_COLUMNS.values(), 0)
    for stance, n in thread.tally:
        counts[POLARITY_COLUMNS[stance.polarity]] += n
    counts["responses_for"] -= len(thread.withdrawn)  # taken back: counted as withdrawn
    latest = claim.verdicts[-1] if claim.verdicts else None
    return {
        "id": claim.id, "text": claim.text,
        "claimant_ids": [ref.id for ref in claim.by],
        "claimant_names": [index.actor(ref.id).name for ref in claim.by],
        "about_ids": [ref.id for ref in claim.about],
        "about_names": [index.actor(ref.id).name for ref in claim.about],
        "status": str(claim.status), "date": claim.date.isoformat(),
        "quote": _quote(index.brief(brief.slug), claim_key(claim.id)),
        "brief": brief.slug, "brief_title": brief.title,
        "brief_url": address(base_url, urls.brief(brief.slug), thread.target),
        "url": address(base_url, urls.claim(claim.id)),
        "responses": len(thread.responses), **counts,
        "responses_withdrawn": len(thread.withdrawn),
        "status_since": latest.date.isoformat() if latest else None,
        "status_reason": latest.reason if latest else None}


def _quote(view: BriefView, key: str) -> str | None:
    """The words the quote of annotation `key` selects in the article; None without one."""
    return next((s.exact for s in view.article.selectors if s.key == key), None)


def address(base_url: str | None, path: str, fragment: str | None = None) -> str:
    """A page's address: absolute under `base_url`, else from the site's root
    (`briefs/<slug>/#response-3`)."""
    found = (base_url or "") + urls.pretty(path)
    return f"{found}#{fragment}" if fragment else found


def _json_line(row: Row) -> bytes:
    """A row as one line of JSON, as a page is written: without control characters."""
    return _written(json.dumps(row, ensure_ascii=False))


def _csv_line(columns: Sequence[str]) -> Callable[[Row], bytes]:
    """What writes a row as a line of RFC 4180 CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(row: Row) -> bytes:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(row[c]) for c in columns])
        return _written(buffer.getvalue())

    return line


def _written(text: str) -> bytes:
    return drop_controls(text).encode("utf-8")


def _cell(value: Any) -> str:
    """A value as a CSV cell: several joined, none empty, a would-be formula made text."""
    if value is None:
        return ""
    text = JOINED.join(value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
