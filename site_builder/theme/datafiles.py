"""The site's claims and responses as tables, for data desks: CSV and JSON.

`data/responses.csv` has one row per response of the whole site, `data/claims.csv` one per
claim; `data/responses.json` and `data/claims.json` hold the same rows as JSON objects with
the same names, a list where the CSV joins several values with "; ". docs/data.md describes
every column.

Rows are sorted (responses by date, brief and their order in it; claims by date and id)
and nothing depends on when the site is built, so two builds give the same bytes. A large
site has hundreds of thousands of rows: `DataTables` makes each once, as bytes, and in a
builder that lives on (`serve`) keeps them for the next build, which makes again only the
rows of the briefs and claims that changed. The CSV
follows RFC 4180 (UTF-8 without a byte-order mark, a header row, CRLF line ends, quotes only
where needed); a cell that a spreadsheet would take for a formula (it starts with = + - @,
a tab or a carriage return) starts with an apostrophe there, which makes it text. The JSON
keeps every value exactly.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

from ..site import urls
from ..site.views import Annotated, BriefView, SiteIndex, Thread, natural
from ..source.controls import drop_controls
from ..source.model import Stance
from ..text.anchor import claim_key

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




class DataTables:
    """Writes the data files. With `keep`, each row's line is kept with the record it was made
    from (a brief's view, a claim's thread) until the next build, whose index shares every
    record that no change touched: only the rows of the others are made again. A record is
    made anew whenever what its rows show changes (its brief, a claim it answers), and a
    change of the settings or of an actor makes the whole index anew. Without `keep` (one
    build), each row is written as soon as it is made: nothing but the sort keys is held."""

    def __init__(self) -> None:
        self.keep = False  # set by a builder that lives on (`serve`)
        self._made: dict[str, dict[int, tuple[object, list[tuple[Key, bytes]]]]] = {}

    def render(self, name: str, index: SiteIndex) -> bytes:
        """The bytes of `data/<name>` (`responses.csv`, `claims.json`...)."""
        table, _, kind = name.partition(".")
        rows = _Rows.of(table, index)
        encode = _csv_line(rows.columns) if kind == "csv" else _json_line
        if self.keep:
            lines = self._kept(name, rows, encode)
        else:
            entries = [(key, record, item) for record in rows.records
                       for key, item in rows.keyed(record)]
            entries.sort(key=itemgetter(0))
            lines = (encode(rows.row(record, item)) for _, record, item in entries)
        out = io.BytesIO()
        if kind == "csv":
            out.write(f"{','.join(rows.columns)}\r\n".encode())
            out.writelines(lines)
            return out.getvalue()
        for line in lines:
            out.write(b",\n" if out.tell() else b"[\n")
            out.write(line)
        out.write(b"\n]\n" if out.tell() else b"[]\n")
        return out.getvalue()

    def _kept(self, name: str, rows: _Rows, encode: Callable[[Row], bytes]) -> Iterator[bytes]:
        """The lines of the file, in order: those of records seen before as they were."""
        before = self._made.get(name, {})
        made: dict[int, tuple[object, list[tuple[Key, bytes]]]] = {}
        lines: list[tuple[Key, bytes]] = []
        for record in rows.records:
            kept = before.get(id(record))
            if kept is None or kept[0] is not record:
                kept = (record, [(key, encode(rows.row(record, item)))
                                 for key, item in rows.keyed(record)])
            made[id(record)] = kept
            lines += kept[1]
        self._made[name] = made
        lines.sort(key=itemgetter(0))
        return (line for _, line in lines)


class _Rows(NamedTuple):
    """A table's rows: its records (the briefs' views for responses, the claims' threads for
    claims), each record's rows as sort keys and items, and what makes the row of one."""

    columns: tuple[str, ...]
    records: Sequence[Any]
    keyed: Callable[[Any], list[tuple[Key, Any]]]
    row: Callable[[Any, Any], Row]

    @staticmethod
    def of(table: str, index: SiteIndex) -> _Rows:
        """The rows of `table`, records oldest first: their rows come nearly in order, which
        sorting then only checks (the index holds them newest first)."""
        if table == "responses":
            stances = {s.name: s for s in index.site.config.stances}
            return _Rows(RESPONSE_COLUMNS, index.briefs[::-1], _responses,
                         lambda view, item: _response(view, item, index, stances))
        return _Rows(CLAIM_COLUMNS, tuple(index.threads.values())[::-1],
                     lambda thread: [((thread.claim.date, thread.claim.id), None)],
                     lambda thread, _: _claim(thread, index))


def _responses(view: BriefView) -> list[tuple[Key, Annotated]]:
    """A brief's responses, each with its sort key: date, brief, its place in the brief."""
    return [((item.response.date, view.brief.slug, natural(item.key)), item)
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
