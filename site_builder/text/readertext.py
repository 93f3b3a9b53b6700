"""The article as a reader sees it, and the way back to Markdown tokens.

`project()` walks markdown-it-py's tokens and concatenates the text a reader
sees: text and inline code, line breaks as spaces, no Markdown syntax, no
image addresses. Blocks (paragraphs, headings, list items...) are joined with
"\\n", which normalisation never folds, so a quote cannot run across blocks.

Anchoring matches quotes on the *normalised* text (whitespace runs as one
space, typographic quotes as straight ones) and maps the result back to offsets
in the raw reader text; marking uses the pieces to find the tokens to split.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

from ..base.diagnostics import LINE_BREAK
from ..source.controls import CONTROL, drop_controls

BLOCK_BREAK = "\n"
STRAIGHT_QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
}
# Any run of spaces and control characters that is not one plain space: it becomes one space,
# or nothing when it is only control characters that are not spaces (as on the page: see
# `controls.drop_controls`). A run starts at a space followed by another or by a control
# character, at any other space, or at a control character: a lone space is passed at once.
SPACE_RUN = re.compile(r"(?:[ ](?=[^\S\n]|C)|[^\S\n ]|C)(?:[^\S\n]|C)*"
                       .replace("C", CONTROL.pattern))
# The characters SPACE_RUN finds on their own (every whitespace character is below U+3001):
# a text with none of them, and no two spaces in a row, has nothing to normalise.
ODD_SPACES = tuple(c for c in map(chr, range(0x3001)) if c.isspace() and c not in " \n")
ASCII_ODD_SPACES = tuple(c for c in ODD_SPACES if c.isascii())
TEXT_KINDS = ("text", "code_inline")
BREAK_KINDS = ("softbreak", "hardbreak")
LINK_DEPTH = {"link_open": 1, "link_close": -1}


def make_markdown() -> MarkdownIt:
    """The one Markdown parser of the builder: CommonMark, raw HTML shown as text.

    markdown-it-py's link validation already drops `javascript:`, `vbscript:`,
    `file:` and most `data:` addresses. Its two HTML rules are switched off as well:
    without the `html` option they never match, yet they would be tried at every
    block and at every punctuation mark.
    """
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.core.ruler.at("normalize", _normalize_line_ends)
    return md.enable(["table", "strikethrough"]).disable(["html_block", "html_inline"])


def _normalize_line_ends(state: StateCore) -> None:
    """markdown-it's first rule without its second step: a NUL character stays one (not
    U+FFFD), to be left out of the page as every control character is (see `controls`)."""
    state.src = LINE_BREAK.sub("\n", state.src)


class Piece(NamedTuple):
    """One text-bearing inline token: where its text sits in the reader text.

    A named tuple, not a frozen dataclass: an article has hundreds of pieces, made
    for every build, and a tuple is made in half the time.
    """

    block: int  # index of the `inline` token in the token stream
    child: int  # index of the child token inside it
    start: int
    end: int
    line: int  # 1-based line of the .md where the child starts
    linkable: bool = True  # plain text outside any link: a mention may become a link here


@dataclass(frozen=True, slots=True)
class ReaderText:
    raw: str
    pieces: tuple[Piece, ...]
    norm: str
    # Breakpoints of the normalised -> raw offset map: from norm_points[i] on,
    # normalised offset n is raw offset raw_points[i] + (n - norm_points[i]).
    norm_points: tuple[int, ...]
    raw_points: tuple[int, ...]
    piece_starts: tuple[int, ...]  # the `start` of every piece, for bisecting

    def to_raw(self, norm_offset: int) -> int:
        i = bisect.bisect_right(self.norm_points, norm_offset) - 1
        return self.raw_points[i] + (norm_offset - self.norm_points[i])

    def raw_span(self, norm_start: int, norm_end: int) -> tuple[int, int]:
        """Raw [start, end) of a normalised [start, end), never taking a trailing space run."""
        return self.to_raw(norm_start), self.to_raw(norm_end - 1) + 1

    def piece_at(self, raw_offset: int) -> Piece | None:
        i = bisect.bisect_right(self.piece_starts, raw_offset) - 1
        return self.pieces[i] if i >= 0 else None

    def line_at(self, raw_offset: int) -> int:
        piece = self.piece_at(raw_offset)
        return piece.line if piece else 1


def normalise(text: str) -> str:
    """What quotes are compared as: one space per whitespace run, straight quotes, no control
    characters."""
    return " ".join(drop_controls(_fold_quotes(text)).split())


def project(tokens: Sequence[Token]) -> ReaderText:
    parts: list[str] = []
    pieces: list[Piece] = []
    starts: list[int] = []
    length = 0
    line = 1
    for block, token in enumerate(tokens):
        if token.map is not None:
            line = token.map[0] + 1
        if token.type != "inline" or not token.children:
            continue
        if parts:
            parts.append(BLOCK_BREAK)
            length += len(BLOCK_BREAK)
        in_link = 0
        for child_index, child in enumerate(token.children):
            kind = child.type
            if kind in TEXT_KINDS:
                content = child.content
                if content:
                    starts.append(length)
                    end = length + len(content)
                    linkable = kind == "text" and not in_link
                    pieces.append(Piece(block, child_index, length, end, line, linkable))
                    parts.append(content)
                    length = end
            elif kind in BREAK_KINDS:
                parts.append(" ")
                length += 1
                line += 1
            elif kind in LINK_DEPTH:
                in_link += LINK_DEPTH[kind]
    raw = "".join(parts)
    norm, norm_points, raw_points = _normalise_with_map(raw)
    return ReaderText(raw, tuple(pieces), norm, norm_points, raw_points, tuple(starts))


def _fold_quotes(text: str) -> str:
    """`text` with straight quotes for typographic ones (a replace per kind found is quicker
    than `str.translate`, which looks up every character); they are none of them ASCII."""
    if text.isascii():
        return text
    for curly, straight in STRAIGHT_QUOTES.items():
        if curly in text:
            text = text.replace(curly, straight)
    return text


def _normalise_with_map(raw: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    folded = _fold_quotes(raw)
    odd_spaces = ASCII_ODD_SPACES if folded.isascii() else ODD_SPACES
    if "  " not in folded and not any(c in folded for c in odd_spaces) \
            and not CONTROL.search(folded):
        return folded, (0,), (0,)
    out: list[str] = []
    norm_points, raw_points = [0], [0]
    raw_pos = norm_pos = 0
    for run in SPACE_RUN.finditer(folded):
        out.append(folded[raw_pos:run.start()])
        norm_pos += run.start() - raw_pos
        if drop_controls(run.group()):  # a space, not only control characters left out
            out.append(" ")
            norm_points.append(norm_pos)
            raw_points.append(run.start())
            norm_pos += 1
        raw_pos = run.end()
        norm_points.append(norm_pos)
        raw_points.append(raw_pos)
    out.append(folded[raw_pos:])
    return "".join(out), tuple(norm_points), tuple(raw_points)
