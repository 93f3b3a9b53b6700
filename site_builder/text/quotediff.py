"""Where a quote differs from the closest passage of its article, word by word.

The quote and the passage are aligned word by word (`difflib` on their words, once their
common beginning and end are set aside, so that a long quote with one wrong word costs
little), and each place they differ is shown as two lines, one above the other, the
differing words in brackets and padded so that they line up, with a few words of context:

    quote:   … with the names of the [docks] and the number …
    article: … with the names of the [quays] and the number …

However long the quote, every difference shows (the first `PLACES_SHOWN` of them, then how
many more there are).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

CONTEXT = 4  # words shown on each side of a difference
PLACES_SHOWN = 4  # places shown, then how many more
COMPARED = 250_000  # the most word pairs difflib compares; beyond, the middle is one change
WIDEST = 60  # characters of a changed run shown, then '…'
GROUP_WORDS = 12  # the most words of the quote shown as one place

Op = tuple[str, int, int, int, int]  # difflib's opcodes


def differences(quote: str, passage: str) -> str | None:
    """The lines that show where `quote` and `passage` differ, or None when their words are
    the same."""
    said, found = quote.split(), passage.split()
    ops = [op for op in _opcodes(said, found) if op[0] != "equal"]
    if not ops:
        return None
    groups = _grouped(ops)
    lines = ["where they differ (in [ ]):"]
    for group in groups[:PLACES_SHOWN]:
        top, bottom = _place(group, said, found)
        lines += [f"  quote:   {top}".rstrip(), f"  article: {bottom}".rstrip()]
    if len(groups) > PLACES_SHOWN:
        more = len(groups) - PLACES_SHOWN
        lines.append(f"  and {more} more place{'' if more == 1 else 's'}")
    return "\n".join(lines)


def _opcodes(said: list[str], found: list[str]) -> list[Op]:
    """difflib's opcodes for the two word lists; their common beginning and end are set
    aside first, and a middle too long to compare is one change."""
    head = 0
    while head < min(len(said), len(found)) and said[head] == found[head]:
        head += 1
    tail = 0
    while tail < min(len(said), len(found)) - head and said[-1 - tail] == found[-1 - tail]:
        tail += 1
    middle = (said[head:len(said) - tail], found[head:len(found) - tail])
    inner: list[Op]
    if len(middle[0]) * len(middle[1]) > COMPARED:
        inner = [("replace", 0, len(middle[0]), 0, len(middle[1]))]
    else:
        inner = list(difflib.SequenceMatcher(None, *middle, autojunk=False).get_opcodes())
    return [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in inner]


def _grouped(ops: list[Op]) -> list[list[Op]]:
    """The changes, those with fewer than twice `CONTEXT` words between them together (up
    to `GROUP_WORDS` words of the quote in one place)."""
    groups = [[ops[0]]]
    for op in ops[1:]:
        if op[1] - groups[-1][-1][2] < 2 * CONTEXT and op[2] - groups[-1][0][1] <= GROUP_WORDS:
            groups[-1].append(op)
        else:
            groups.append([op])
    return groups


def _place(group: list[Op], said: list[str], found: list[str]) -> tuple[str, str]:
    """One place, as the quote's line and the article's, lined up."""
    pairs: list[tuple[str, str]] = []
    first, last = group[0], group[-1]
    start_said, start_found = max(0, first[1] - CONTEXT), max(0, first[3] - CONTEXT)
    if start_said > 0 or start_found > 0:
        pairs.append(("…", "…"))
    pairs += [(w, w) for w in said[start_said:first[1]]]
    for index, (_tag, i1, i2, j1, j2) in enumerate(group):
        pairs.append((_marked(said[i1:i2]), _marked(found[j1:j2])))
        upto = group[index + 1][1] if index + 1 < len(group) else min(len(said), i2 + CONTEXT)
        pairs += [(w, w) for w in said[i2:upto]]
    if last[2] + CONTEXT < len(said) or last[4] + CONTEXT < len(found):
        pairs.append(("…", "…"))
    return _lined_up(pairs)


def _marked(words: Sequence[str]) -> str:
    text = " ".join(words)
    if len(text) > WIDEST:
        text = text[:WIDEST - 1].rstrip() + "…"
    return f"[{text}]"


def _lined_up(pairs: list[tuple[str, str]]) -> tuple[str, str]:
    top, bottom = [], []
    for a, b in pairs:
        width = max(len(a), len(b))
        top.append(a.ljust(width))
        bottom.append(b.ljust(width))
    return " ".join(top), " ".join(bottom)
