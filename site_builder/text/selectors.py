"""Where each anchored quote is in the text a reader sees, as annotation tools select text.

The W3C Web Annotation model selects words of a text in two ways, both kept here for every
anchored quote: the words themselves with a few words around them (a `TextQuoteSelector`:
`exact`, `prefix`, `suffix`) and their place, [start, end) in Unicode code points (a
`TextPositionSelector`). The text is the article's reader text (see `readertext`) as a page
shows it: without the control characters that every page leaves out (`controls`), so an
offset here can differ from the raw reader-text offsets of an `Anchor`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..source.controls import CONTROL, drop_controls
from .anchor import Anchor
from .readertext import ReaderText

CONTEXT = 32  # code points of prefix and suffix, as Hypothesis keeps around a quote


@dataclass(frozen=True, slots=True)
class QuoteSelector:
    """One anchored quote, selected in the text a reader sees. A site keeps one for each of
    its quotes, so the words and those around them are one string (`context`): the prefix,
    `before` code points long, the words, then the suffix."""

    key: str  # the annotation's mark id: 'claim-<id>' or 'response-<n>'
    start: int
    end: int
    context: str
    before: int

    @property
    def exact(self) -> str:
        return self.context[self.before:self.before + self.end - self.start]

    @property
    def prefix(self) -> str:
        return self.context[:self.before]

    @property
    def suffix(self) -> str:
        return self.context[self.before + self.end - self.start:]


def select_quotes(reader: ReaderText, anchors: tuple[Anchor, ...]) -> tuple[QuoteSelector, ...]:
    """The selectors of `anchors`, in their order."""
    raw = reader.raw
    if CONTROL.search(raw) is None:  # almost always: the page shows the raw text as it is
        return tuple(_select(raw, a.key, a.start, a.end) for a in anchors)
    shown = drop_controls(raw)
    return tuple(_select(shown, a.key, _shown_offset(raw, a.start), _shown_offset(raw, a.end))
                 for a in anchors)


def _select(text: str, key: str, start: int, end: int) -> QuoteSelector:
    first = max(0, start - CONTEXT)
    return QuoteSelector(key, start, end, text[first:end + CONTEXT], start - first)


def _shown_offset(raw: str, offset: int) -> int:
    """Where raw reader-text `offset` is once the control characters are left out."""
    return len(drop_controls(raw[:offset]))
