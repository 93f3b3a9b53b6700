"""Anchoring quotes: finding each claim's and response's words in its article.

A quote matches the normalised reader text (see `readertext`). The result,
an `Anchor`, holds raw reader-text offsets: exactly what marking needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..base.diagnostics import Diagnostics, Span
from ..source.model import Brief, Quote
from .passages import Occurrences, closest_passage
from .quotediff import differences
from .readertext import BLOCK_BREAK, Piece, ReaderText, normalise

CONTEXT_HINT = "add 'prefix:' or 'suffix:' with the words just before or after the one you mean"
PLACES_SHOWN = 5  # an ambiguous quote's hint lists this many places, then how many more
CLOSEST_SEARCHES = 20  # quotes of one article not found that get their closest passage


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where an annotation's quote is: raw reader-text [start, end) and its place in the .md."""

    key: str  # the annotation's mark id: 'claim-<id>' or 'response-<n>'
    start: int
    end: int
    line: int
    col: int


def claim_key(claim_id: str) -> str:
    return f"claim-{claim_id}"


def anchor_brief(brief: Brief, reader: ReaderText, source_lines: list[str],
                 diags: Diagnostics) -> tuple[Anchor, ...]:
    """Anchors for every quote of `brief`, in reading order; errors for those not placed."""
    quoted = [(claim_key(c.id), c.quote) for c in brief.claims if c.quote]
    quoted += [(r.key, r.quote) for r in brief.responses if r.quote]
    anchors = []
    search = ArticleSearch(reader, source_lines)
    for key, quote in quoted:
        assert quote is not None
        found = find_quote(quote, reader, diags, brief.md_path, source_lines, search)
        if found is not None:
            start, end = found
            anchors.append(Anchor(key, start, end, reader.line_at(start),
                                  search.columns.at(start)))
    return tuple(sorted(anchors, key=lambda a: (a.start, a.end, a.key)))


class ArticleSearch:
    """What looking for many quotes in one article reuses: its words, indexed once for all
    (`Occurrences`), the columns of its lines, and how many more closest passages may be
    looked for (each search reads the whole article)."""

    def __init__(self, reader: ReaderText, source_lines: list[str]) -> None:
        self.reader = reader
        self.occurrences = Occurrences(reader.norm)
        self.columns = Columns(reader, source_lines)
        self.closest_left = CLOSEST_SEARCHES

    @cached_property
    def lowered(self) -> str:
        """The normalised text in lowercase."""
        return self.reader.norm.lower()

    @cached_property
    def joined(self) -> str:
        """The normalised text with its blocks joined by spaces."""
        return self.reader.norm.replace(BLOCK_BREAK, " ")


def find_quote(quote: Quote, reader: ReaderText, diags: Diagnostics, md_path: str,
               source_lines: list[str], search: ArticleSearch | None = None
               ) -> tuple[int, int] | None:
    """Raw [start, end) of the one place `quote` designates, or None with an error.

    `search` is shared by the quotes of one article (`anchor_brief`).
    """
    search = search or ArticleSearch(reader, source_lines)
    exact = normalise(quote.exact)
    starts, chosen = places_of(quote, reader, search.occurrences)
    if len(chosen) == 1:
        return reader.raw_span(chosen[0], chosen[0] + len(exact))
    shown = _shorten(quote.exact)
    if not starts:
        diags.error(quote.span, f"quote not found in the article: \"{shown}\"",
                    _closest_hint(exact, reader, md_path, search))
    elif not chosen:
        diags.error(quote.span, f"quote found, but not with the given prefix/suffix: \"{shown}\"",
                    "it appears at " + _places(starts, reader, md_path, search.columns))
    else:
        diags.error(quote.span, f"quote found {len(chosen)} times in the article: \"{shown}\"",
                    f"it appears at {_places(chosen, reader, md_path, search.columns)}\n"
                    + CONTEXT_HINT)
    return None


def places_of(quote: Quote, reader: ReaderText, occurrences: Occurrences | None = None
              ) -> tuple[list[int], list[int]]:
    """The normalised starts of the quote's exact words, and those its prefix/suffix allow."""
    exact = normalise(quote.exact)
    starts = (occurrences or Occurrences(reader.norm)).of(exact)
    if not quote.prefix and not quote.suffix:
        return starts, starts
    return starts, [s for s in starts if _context_fits(reader.norm, s, s + len(exact), quote)]


def _context_fits(norm: str, start: int, end: int, quote: Quote) -> bool:
    if quote.prefix:
        prefix = normalise(quote.prefix)
        if not norm[max(0, start - len(prefix) - 1):start].rstrip().endswith(prefix):
            return False
    if quote.suffix:
        suffix = normalise(quote.suffix)
        if not norm[end:end + len(suffix) + 1].lstrip().startswith(suffix):
            return False
    return True


def _places(norm_starts: list[int], reader: ReaderText, md_path: str, columns: Columns) -> str:
    """The first few places, then how many more: a quote found 5,000 times is one line."""
    spans = []
    for start in norm_starts[:PLACES_SHOWN]:
        raw = reader.to_raw(start)
        spans.append(str(Span(md_path, reader.line_at(raw), columns.at(raw))))
    more = len(norm_starts) - PLACES_SHOWN
    return ", ".join(spans) + (f" and {more} more" if more > 0 else "")


class Columns:
    """Columns in the .md of raw reader-text offsets.

    The text pieces of a line are found in the source line one after the other,
    so Markdown syntax between them (`**`, `[`, backticks) is stepped over; each
    line is read once, however many offsets fall in it.
    """

    def __init__(self, reader: ReaderText, source_lines: list[str]) -> None:
        self.reader = reader
        self.source_lines = source_lines
        self.by_line: dict[int, list[Piece]] | None = None
        self.found: dict[int, dict[int, int]] = {}  # line -> piece start -> its 0-based column

    def at(self, raw: int) -> int:
        piece = self.reader.piece_at(raw)
        if piece is None or not 1 <= piece.line <= len(self.source_lines):
            return 1
        if piece.line not in self.found:
            self.found[piece.line] = self._line(piece.line)
        found = self.found[piece.line].get(piece.start)
        if found is None:  # entities or escapes: the text is not in the source as such
            return _column(self.reader.raw[raw:raw + 40], self.source_lines, piece.line)
        return found + min(raw - piece.start, piece.end - piece.start) + 1

    def _line(self, line: int) -> dict[int, int]:
        """Where each piece of `line` starts in it, up to the first that is not found."""
        if self.by_line is None:
            self.by_line = {}
            for piece in self.reader.pieces:
                self.by_line.setdefault(piece.line, []).append(piece)
        source = self.source_lines[line - 1]
        raw = self.reader.raw
        out: dict[int, int] = {}
        cursor = 0
        for piece in self.by_line.get(line, ()):
            found = source.find(raw[piece.start:piece.end], cursor)
            if found == -1:
                break
            out[piece.start] = found
            cursor = found + piece.end - piece.start
        return out


def _column(text: str, source_lines: list[str], line: int) -> int:
    """Best-effort column of `text` on `line` of the .md (Markdown syntax may sit between)."""
    if not 1 <= line <= len(source_lines):
        return 1
    source = source_lines[line - 1]
    for size in (len(text), 20, 8):
        probe = text[:size].split("\n")[0].strip()
        if probe and (col := source.find(probe)) != -1:
            return col + 1
    return 1


def _closest_hint(exact: str, reader: ReaderText, md_path: str, search: ArticleSearch) -> str:
    if exact.lower() in search.lowered:
        return "the words are there with other capital letters; copy them exactly"
    joined = search.joined
    if exact in joined:
        line = reader.line_at(reader.to_raw(joined.index(exact)))
        return (f"the words run across two paragraphs, from {md_path} line {line}; "
                "a quote stays within one paragraph: quote only part of it")
    if search.closest_left <= 0:
        return ("copy the words from the article exactly (the closest passage is shown for the "
                f"first {CLOSEST_SEARCHES} quotes of an article not found)")
    search.closest_left -= 1
    closest = closest_passage(exact, reader.norm)
    if closest is None:
        return "copy the words from the article exactly"
    start, end = closest
    line = reader.line_at(reader.to_raw(start))
    passage = _trim_like(reader.norm[start:end], exact)
    hint = f"the closest passage, {md_path} line {line}: \"{_shorten(passage)}\""
    where = differences(exact, passage)
    return f"{hint}\n{where}" if where else hint


def _trim_like(passage: str, quote: str) -> str:
    """The passage without the punctuation around it that the quote does not have either."""
    marks = "\"'“”‘’,.;:!?()"
    if not quote.startswith(tuple(marks)):
        passage = passage.lstrip(marks)
    if not quote.endswith(tuple(marks)):
        passage = passage.rstrip(marks)
    return passage


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
