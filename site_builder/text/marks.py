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
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Generic, Literal, TypeVar

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
    closing = _closing_tokens()
    marked, linked = _Ranges(anchors), _Ranges(mentions)
    for block, touched in _touched_pieces(reader, (*anchors, *mentions)).items():
        first, after = bisect.bisect_left(blocks, block), bisect.bisect_right(blocks, block)
        # The block's reader text ends before the next block's first piece.
        low, high = pieces[first].start, pieces[after].start if after < len(pieces) else None
        decorator = _Decorator(marked.within(low, high), linked.within(low, high),
                               mention_href, labels, closing)
        ends = {p.child: p.end for p in pieces[first:after]}
        inline = tokens[block]
        out[block] = _with_children(inline, decorator.children(inline.children or [], touched,
                                                               ends))
    return out


def _with_children(token: Token, children: list[Token]) -> Token:
    """A shallow copy of `token` with other children (quicker than `copy.copy`)."""
    return Token(type=token.type, tag=token.tag, nesting=token.nesting, attrs=token.attrs,
                 map=token.map, level=token.level, children=children, content=token.content,
                 markup=token.markup, info=token.info, meta=token.meta, block=token.block,
                 hidden=token.hidden)


def _touched_pieces(reader: ReaderText, ranges: Iterable[Anchor | Mention]
                    ) -> dict[int, list[Piece]]:
    """The pieces that some range overlaps, by block, in reading order."""
    pieces = reader.pieces
    starts = reader.piece_starts
    ends = [p.end for p in pieces]
    touched: set[int] = set()
    for r in ranges:  # pieces are in reading order and never overlap
        touched.update(range(bisect.bisect_right(ends, r.start), bisect.bisect_left(starts, r.end)))
    by_block: dict[int, list[Piece]] = defaultdict(list)
    for index in sorted(touched):
        by_block[pieces[index].block].append(pieces[index])
    return by_block


def _closing_tokens() -> dict[str, Token]:
    """The closing tokens of marks, links and spans by tag (and the `<sup>` opening its
    back-link): they carry nothing of their own, and the renderer only reads them, so one
    of each serves every place of an article."""
    closing = {tag: Token(f"{kind}_close", tag, -1)
               for kind, tag in (("mark", "mark"), ("link", "a"), ("span", "span"), ("sup", "sup"))}
    return {**closing, "sup_open": Token("sup_open", "sup", 1)}


class _Ranges(Generic[R]):
    """Ranges sorted by where they start, so that a block finds its own among thousands
    (a long article) without reading them all."""

    def __init__(self, ranges: Sequence[R]) -> None:
        self.ranges: Sequence[R] = ranges
        self.order = sorted(range(len(ranges)), key=lambda i: ranges[i].start)
        self.starts = [ranges[i].start for i in self.order]
        # The furthest any range reaches, of those starting up to each one.
        self.reach = list(itertools.accumulate((ranges[i].end for i in self.order), max))

    def within(self, low: int, high: int | None) -> list[R]:
        """The ranges that reach into reader text [low, high), in their given order: the only
        ones a block can show."""
        first = bisect.bisect_right(self.reach, low)  # none before it ends after `low`
        after = len(self.order) if high is None else bisect.bisect_left(self.starts, high)
        found = sorted(i for i in self.order[first:after] if self.ranges[i].end > low)
        return [self.ranges[i] for i in found]


class _Decorator:
    def __init__(self, anchors: Sequence[Anchor], mentions: Sequence[Mention],
                 mention_href: Callable[[str], str], labels: Mapping[str, str],
                 closing: Mapping[str, Token]) -> None:
        self.anchors = anchors
        self.mentions = mentions
        self.mention_href = mention_href
        self.labels = labels
        self.close = closing  # by tag
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
            kind = child.type
            if kind in LINK_DEPTH:
                self.depth += LINK_DEPTH[kind]
            if index in ends:
                position = ends[index]
            if kind in BREAK_KINDS and position is not None:
                # A line break inside a quote is marked too, so the highlight has no gap.
                covering = [a for a in self.anchors if a.start <= position < a.end]
                position += 1
                out += [*self._mark_open(covering, []), child, self.close["mark"]] \
                    if covering else [child]
            elif index not in by_child:
                out.append(child)
            elif kind == "code_inline":
                out.extend(self._whole(child, by_child[index]))
            else:
                out.extend(self._slices(child, by_child[index]))
            if self.pending and self.depth == 0:
                out.extend(self._back_links())
        out.extend(self._back_links())
        return out

    def _whole(self, child: Token, piece: Piece) -> list[Token]:
        """Inline code is marked as a whole: it cannot be cut."""
        covering = _overlapping(self.anchors, piece)
        starting = [a for a in covering if piece.start <= a.start]
        tokens = [*self._mark_open(covering, starting), child, self.close["mark"]]
        self.pending += [a.key for a in covering if a.end <= piece.end]
        return tokens

    def _slices(self, child: Token, piece: Piece) -> list[Token]:
        anchors = _overlapping(self.anchors, piece)
        mentions = _overlapping(self.mentions, piece)
        if not anchors and not self.pending and _inside(mentions, piece):
            return self._linked(child, piece, mentions)
        low, high = piece.start, piece.end
        bounds = {low, high}
        ranges: list[Anchor | Mention] = [*anchors, *mentions]
        for r in ranges:
            if low < r.start < high:
                bounds.add(r.start)
            if low < r.end < high:
                bounds.add(r.end)
        content = child.content
        out: list[Token] = []
        for start, end in itertools.pairwise(sorted(bounds)):
            text = _text_token(content[start - low:end - low])
            mention = _containing(mentions, start, end)
            covering = [a for a in anchors if a.start <= start and end <= a.end]
            if mention and mention.start == start:
                out.append(self._link_open(mention))
            if covering:
                out += [*self._mark_open(covering, [a for a in covering if a.start == start]),
                        text, self.close["mark"]]
                self.pending += [a.key for a in covering if a.end == end]
            else:
                out.append(text)
            if mention and mention.end == end:
                out.append(self.close["a"])
            if self.pending and self.depth == 0 and (mention is None or end >= mention.end):
                out.extend(self._back_links())
        return out

    def _linked(self, child: Token, piece: Piece, mentions: list[Mention]) -> list[Token]:
        """The slices of a piece with mentions but no quote: what `_slices` makes of it."""
        out: list[Token] = []
        content, offset = child.content, piece.start
        position = piece.start
        for mention in mentions:
            if position < mention.start:
                out.append(_text_token(content[position - offset:mention.start - offset]))
            out += [self._link_open(mention),
                    _text_token(content[mention.start - offset:mention.end - offset]),
                    self.close["a"]]
            position = mention.end
        if position < piece.end:
            out.append(_text_token(content[position - offset:piece.end - offset]))
        return out

    def _mark_open(self, covering: list[Anchor], starting: list[Anchor]) -> list[Token]:
        annotation = " ".join([a.key for a in covering])
        if not starting:
            return [_token("mark_open", "mark", 1,
                           {"class": "quote", "data-annotation": annotation})]
        extra = [_token("span_open", "span", 1, {"id": a.key}) for a in starting[1:]]
        extra = [t for s in extra for t in (s, self.close["span"])]
        attrs: dict[str, str | int | float] = {"id": starting[0].key, "class": "quote",
                                               "data-annotation": annotation}
        return [*extra, _token("mark_open", "mark", 1, attrs)]

    def _link_open(self, mention: Mention) -> Token:
        return _token("link_open", "a", 1, {"href": self.mention_href(mention.actor),
                                            "class": "actor-link",
                                            "id": f"mention-{mention.actor}"})

    def _back_links(self) -> list[Token]:
        if not self.pending:
            return []
        out: list[Token] = []
        for key in dict.fromkeys(self.pending):
            label = self.labels.get(key, "")
            link = _token("link_open", "a", 1, {"href": f"#note-{key}", "class": "mark-ref",
                                                "aria-label": f"note {label}"})
            out += [self.close["sup_open"], link, _text_token(label),
                    self.close["a"], self.close["sup"]]
        self.pending.clear()
        return out


def _overlapping(ranges: Sequence[R], piece: Piece) -> list[R]:
    start, end = piece.start, piece.end
    return [r for r in ranges if r.start < end and start < r.end]


def _containing(mentions: list[Mention], start: int, end: int) -> Mention | None:
    for mention in mentions:
        if mention.start <= start and end <= mention.end:
            return mention
    return None


def _inside(mentions: list[Mention], piece: Piece) -> bool:
    """Whether `mentions` lie within `piece`, in order and apart (as first mentions do)."""
    position = piece.start
    for mention in mentions:
        if mention.start < position or mention.end > piece.end or mention.start == mention.end:
            return False
        position = mention.end
    return True


def _text_token(content: str) -> Token:
    return Token("text", "", 0, {}, None, 0, None, content)  # positional: a little quicker


def _token(kind: str, tag: str, nesting: Literal[-1, 0, 1],
           attrs: dict[str, str | int | float]) -> Token:
    """A token with `attrs`, a dictionary of its own (every caller makes a new one)."""
    return Token(kind, tag, nesting, attrs)
