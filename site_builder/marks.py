"""Marking quotes and linking mentions inside the article's Markdown tokens.

Decorations are ranges of the raw reader text (see `readertext`). Every text
token they touch is cut at their boundaries, and each slice is wrapped on its
own: a quote crossing **bold** becomes several `<mark>`s that share a
`data-annotation`, so the HTML always nests correctly. After a quote's last
slice comes a small link to its note beside the article; when the quote ends
inside a link it comes after that link, since links cannot nest.
"""

from __future__ import annotations

import bisect
import copy
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Literal, TypeVar

from markdown_it.token import Token

from .anchor import Anchor
from .mentions import Mention
from .readertext import BREAK_KINDS, LINK_DEPTH, Piece, ReaderText

R = TypeVar("R", Anchor, Mention)


def decorate(tokens: Sequence[Token], reader: ReaderText, anchors: Sequence[Anchor],
             mentions: Sequence[Mention], mention_href: Callable[[str], str],
             labels: Mapping[str, str]) -> list[Token]:
    """A copy of `tokens` with quotes marked and mentions linked; `tokens` is not changed."""
    pieces = reader.pieces
    blocks = [p.block for p in pieces]
    out = list(tokens)
    for block, touched in _touched_pieces(pieces, (*anchors, *mentions)).items():
        first, after = bisect.bisect_left(blocks, block), bisect.bisect_right(blocks, block)
        # The block's reader text ends before the next block's first piece.
        low, high = pieces[first].start, pieces[after].start if after < len(pieces) else None
        inline = copy.copy(tokens[block])
        decorator = _Decorator(_within(anchors, low, high), _within(mentions, low, high),
                               mention_href, labels)
        ends = {p.child: p.end for p in pieces[first:after]}
        inline.children = decorator.children(tokens[block].children or [], touched, ends)
        out[block] = inline
    return out


def _touched_pieces(pieces: Sequence[Piece], ranges: Iterable[Anchor | Mention]
                    ) -> dict[int, list[Piece]]:
    """The pieces that some range overlaps, by block, in reading order."""
    starts = [p.start for p in pieces]
    ends = [p.end for p in pieces]
    touched: set[int] = set()
    for r in ranges:  # pieces are in reading order and never overlap
        touched.update(range(bisect.bisect_right(ends, r.start), bisect.bisect_left(starts, r.end)))
    by_block: dict[int, list[Piece]] = defaultdict(list)
    for index in sorted(touched):
        by_block[pieces[index].block].append(pieces[index])
    return by_block


def _within(ranges: Sequence[R], low: int, high: int | None) -> list[R]:
    """The ranges that reach into reader text [low, high): the only ones a block can show."""
    return [r for r in ranges if r.end > low and (high is None or r.start < high)]


class _Decorator:
    def __init__(self, anchors: Sequence[Anchor], mentions: Sequence[Mention],
                 mention_href: Callable[[str], str], labels: Mapping[str, str]) -> None:
        self.anchors = anchors
        self.mentions = mentions
        self.mention_href = mention_href
        self.labels = labels
        self.pending: list[str] = []  # back-links waiting for the end of an enclosing link
        self.depth = 0  # how many links of the article enclose the current token

    def children(self, children: list[Token], pieces: list[Piece],
                 ends: dict[int, int]) -> list[Token]:
        """`ends`: the reader-text end of every text-bearing child of the block, by index."""
        by_child = {p.child: p for p in pieces}
        out: list[Token] = []
        self.depth = 0
        position = None  # reader-text offset after the last text or break seen
        for index, child in enumerate(children):
            self.depth += LINK_DEPTH.get(child.type, 0)
            piece = by_child.get(index)
            position = ends.get(index, position)
            if child.type in BREAK_KINDS and position is not None:
                # A line break inside a quote is marked too, so the highlight has no gap.
                covering = [a for a in self.anchors if a.start <= position < a.end]
                position += 1
                out += [*self._mark_open(covering, []), child, Token("mark_close", "mark", -1)] \
                    if covering else [child]
            elif piece is None:
                out.append(child)
            elif child.type == "code_inline":
                out.extend(self._whole(child, piece))
            else:
                out.extend(self._slices(child, piece))
            if self.depth == 0 and self.pending:
                out.extend(self._back_links())
        out.extend(self._back_links())
        return out

    def _whole(self, child: Token, piece: Piece) -> list[Token]:
        """Inline code is marked as a whole: it cannot be cut."""
        covering = _overlapping(self.anchors, piece)
        starting = [a for a in covering if piece.start <= a.start]
        tokens = [*self._mark_open(covering, starting), child, Token("mark_close", "mark", -1)]
        self.pending += [a.key for a in covering if a.end <= piece.end]
        return tokens

    def _slices(self, child: Token, piece: Piece) -> list[Token]:
        anchors = _overlapping(self.anchors, piece)
        mentions = _overlapping(self.mentions, piece)
        bounds = {piece.start, piece.end}
        for r in (*anchors, *mentions):
            bounds.update(b for b in (r.start, r.end) if piece.start < b < piece.end)
        cuts = sorted(bounds)
        out: list[Token] = []
        for start, end in itertools.pairwise(cuts):
            text = _text_token(child.content[start - piece.start:end - piece.start])
            # Most pieces have a mention or a quote, not both: skip looking for the other.
            mention = next((m for m in mentions if m.start <= start and end <= m.end),
                           None) if mentions else None
            covering = [a for a in anchors if a.start <= start and end <= a.end] \
                if anchors else []
            if mention and mention.start == start:
                out.append(self._link_open(mention))
            if covering:
                out += [*self._mark_open(covering, [a for a in covering if a.start == start]),
                        text, Token("mark_close", "mark", -1)]
                self.pending += [a.key for a in covering if a.end == end]
            else:
                out.append(text)
            if mention and mention.end == end:
                out.append(Token("link_close", "a", -1))
            inside_mention = mention is not None and end < mention.end
            if self.pending and self.depth == 0 and not inside_mention:
                out.extend(self._back_links())
        return out

    def _mark_open(self, covering: list[Anchor], starting: list[Anchor]) -> list[Token]:
        extra = [_token("span_open", "span", 1, {"id": a.key}) for a in starting[1:]]
        extra = [t for s in extra for t in (s, Token("span_close", "span", -1))]
        attrs = {"class": "quote", "data-annotation": " ".join(a.key for a in covering)}
        if starting:
            attrs = {"id": starting[0].key, **attrs}
        return [*extra, _token("mark_open", "mark", 1, attrs)]

    def _link_open(self, mention: Mention) -> Token:
        return _token("link_open", "a", 1, {"href": self.mention_href(mention.actor),
                                            "class": "actor-link",
                                            "id": f"mention-{mention.actor}"})

    def _back_links(self) -> list[Token]:
        out: list[Token] = []
        for key in dict.fromkeys(self.pending):
            label = self.labels.get(key, "")
            link = _token("link_open", "a", 1, {"href": f"#note-{key}", "class": "mark-ref",
                                                "aria-label": f"note {label}"})
            out += [_token("sup_open", "sup", 1, {}), link, _text_token(label),
                    Token("link_close", "a", -1), Token("sup_close", "sup", -1)]
        self.pending.clear()
        return out


def _overlapping(ranges: Sequence[R], piece: Piece) -> list[R]:
    return [r for r in ranges if r.start < piece.end and piece.start < r.end]


def _text_token(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _token(kind: str, tag: str, nesting: Literal[-1, 0, 1], attrs: dict[str, str]) -> Token:
    return Token(kind, tag, nesting, dict(attrs))
