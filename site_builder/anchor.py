"""Anchoring quotes: finding each claim's and response's words in its article.

A quote matches the normalised reader text (see `readertext`). The result,
an `Anchor`, holds raw reader-text offsets: exactly what marking needs.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .diagnostics import Diagnostics, Span
from .model import Brief, Quote
from .readertext import BLOCK_BREAK, ReaderText, normalise

CONTEXT_HINT = "add 'prefix:' or 'suffix:' with the words just before or after the one you mean"


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
    for key, quote in quoted:
        assert quote is not None
        found = find_quote(quote, reader, diags, brief.md_path, source_lines)
        if found is not None:
            start, end = found
            line = reader.line_at(start)
            col = _column_at(start, reader, source_lines)
            anchors.append(Anchor(key, start, end, line, col))
    return tuple(sorted(anchors, key=lambda a: (a.start, a.end, a.key)))


def find_quote(quote: Quote, reader: ReaderText, diags: Diagnostics, md_path: str,
               source_lines: list[str]) -> tuple[int, int] | None:
    """Raw [start, end) of the one place `quote` designates, or None with an error."""
    exact = normalise(quote.exact)
    starts = _occurrences(reader.norm, exact)
    chosen = [s for s in starts if _context_fits(reader.norm, s, s + len(exact), quote)]
    if len(chosen) == 1:
        return reader.raw_span(chosen[0], chosen[0] + len(exact))
    shown = _shorten(quote.exact)
    if not starts:
        diags.error(quote.span, f"quote not found in the article: \"{shown}\"",
                    _closest_hint(exact, reader, md_path))
    elif not chosen:
        diags.error(quote.span, f"quote found, but not with the given prefix/suffix: \"{shown}\"",
                    "it appears at " + _places(starts, reader, md_path, source_lines))
    else:
        diags.error(quote.span, f"quote found {len(chosen)} times in the article: \"{shown}\"",
                    f"it appears at {_places(chosen, reader, md_path, source_lines)}\n"
                    + CONTEXT_HINT)
    return None


def _occurrences(text: str, needle: str) -> list[int]:
    found = []
    start = text.find(needle) if needle else -1
    while start != -1:
        found.append(start)
        start = text.find(needle, start + 1)
    return found


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


def _places(norm_starts: list[int], reader: ReaderText, md_path: str,
            source_lines: list[str]) -> str:
    spans = []
    for start in norm_starts:
        raw = reader.to_raw(start)
        line = reader.line_at(raw)
        spans.append(str(Span(md_path, line, _column_at(raw, reader, source_lines))))
    return ", ".join(spans)


def _column_at(raw: int, reader: ReaderText, source_lines: list[str]) -> int:
    """Column in the .md of raw reader-text offset `raw`.

    The text pieces of its line are found in the source line one after the other,
    so Markdown syntax between them (`**`, `[`, backticks) is stepped over.
    """
    piece = reader.piece_at(raw)
    if piece is None or not 1 <= piece.line <= len(source_lines):
        return 1
    source = source_lines[piece.line - 1]
    cursor = 0
    for other in reader.pieces:
        if other.start > piece.start:  # pieces are in reading order: none of its line is left
            break
        if other.line != piece.line:
            continue
        found = source.find(reader.raw[other.start:other.end], cursor)
        if found == -1:  # entities or escapes: the text is not in the source as such
            return _column(reader.raw[raw:raw + 40], source_lines, piece.line)
        cursor = found + other.end - other.start
        if other is piece:
            return found + min(raw - piece.start, piece.end - piece.start) + 1
    return 1


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


def _closest_hint(exact: str, reader: ReaderText, md_path: str) -> str:
    if exact.lower() in reader.norm.lower():
        return "the words are there with other capital letters; copy them exactly"
    joined = reader.norm.replace(BLOCK_BREAK, " ")
    if exact in joined:
        line = reader.line_at(reader.to_raw(joined.index(exact)))
        return (f"the words run across two paragraphs, from {md_path} line {line}; "
                "a quote stays within one paragraph: quote only part of it")
    closest = closest_passage(exact, reader.norm)
    if closest is None:
        return "copy the words from the article exactly"
    start, end = closest
    line = reader.line_at(reader.to_raw(start))
    passage = _trim_like(reader.norm[start:end], exact)
    return f"the closest passage, {md_path} line {line}: \"{_shorten(passage)}\""


def _trim_like(passage: str, quote: str) -> str:
    """The passage without the punctuation around it that the quote does not have either."""
    marks = "\"'“”‘’,.;:!?()"
    if not quote.startswith(tuple(marks)):
        passage = passage.lstrip(marks)
    if not quote.endswith(tuple(marks)):
        passage = passage.rstrip(marks)
    return passage


def closest_passage(needle: str, text: str) -> tuple[int, int] | None:
    """The [start, end) of the passage of `text` most like `needle`, word-aligned."""
    words = [(m, m + len(w)) for m, w in _word_spans(text)]
    size = max(1, len(needle.split()))
    best, best_score = None, 0.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(needle)
    for i in range(max(1, len(words) - size + 1)):
        window = words[i:i + size]
        if not window:
            break
        start, end = window[0][0], window[-1][1]
        matcher.set_seq1(text[start:end])
        if matcher.real_quick_ratio() <= best_score or matcher.quick_ratio() <= best_score:
            continue
        score = matcher.ratio()
        if score > best_score:
            best, best_score = (start, end), score
    return best if best_score >= 0.4 else None


def _word_spans(text: str) -> list[tuple[int, str]]:
    spans, pos = [], 0
    for word in text.split(" "):
        for part in word.split("\n"):
            if part:
                spans.append((pos, part))
            pos += len(part) + 1
    return spans


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
