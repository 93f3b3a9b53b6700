"""What a page is about, in a sentence or two of plain text, for search engines and previews.

A brief's page is described by its summary, or without one by its article's first
paragraph; an actor's page by its description. Both are Markdown: `plain_text` gives the words
a reader sees, on one line, and `cut` shortens them at a word to the length search engines
show (at most 200 characters, most often a few less).
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..source.controls import drop_controls
from .readertext import ReaderText, project

LONGEST = 200  # characters of a description, the ellipsis included
SHORTEST = 120  # a cut at a word keeps at least this many; else it falls within a long word
ELLIPSIS = "…"
TRAILING = " ,;:–—-"  # taken off before the ellipsis


def one_line(text: str) -> str:
    """`text` with each run of spaces and line breaks as one space, without control
    characters."""
    return " ".join(drop_controls(text).split())


def plain_text(md: MarkdownIt, markdown: str) -> str:
    """Markdown as the words a reader sees, on one line."""
    return one_line(project(md.parse(markdown)).raw)


def first_paragraph(tokens: Sequence[Token], reader: ReaderText) -> str:
    """The words of the first paragraph of an article (headings are not paragraphs), on one
    line; '' when it has none. `reader` is `project(tokens)`."""
    block = next((i + 1 for i, token in enumerate(tokens) if token.type == "paragraph_open"
                  and i + 1 < len(tokens) and tokens[i + 1].type == "inline"), None)
    if block is None:
        return ""
    pieces = [p for p in reader.pieces if p.block == block]
    return one_line(reader.raw[pieces[0].start:pieces[-1].end]) if pieces else ""


def cut(text: str, longest: int = LONGEST, shortest: int = SHORTEST) -> str:
    """`text` as it is when it is at most `longest` characters; else cut at its last space
    that leaves room for an ellipsis, or, when that would leave less than `shortest`
    characters, within the long word that follows."""
    if len(text) <= longest:
        return text
    space = text.rfind(" ", shortest, longest)
    if space == -1:
        return text[:longest - len(ELLIPSIS)] + ELLIPSIS
    return text[:space].rstrip(TRAILING) + ELLIPSIS


def describe(md: MarkdownIt, summary: str | None, tokens: Sequence[Token],
             reader: ReaderText) -> str:
    """A brief's description: its summary, or its article's first paragraph, cut."""
    return cut(plain_text(md, summary) if summary else first_paragraph(tokens, reader))
