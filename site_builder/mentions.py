"""Finding actors named in an article: by name or alias, as whole words.

Matching is case-sensitive (names are proper nouns) and Unicode-aware: a
name must not touch a letter or digit on either side, so 'Iran' is not found
in 'Iranian'. Lookups go by the first word of each name, so the cost grows with
the article, not with the size of the registry.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Actor
from .readertext import ReaderText

WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Mention:
    actor: str
    start: int  # raw reader-text offsets
    end: int


class NameMatcher:
    """Every actor's name and aliases, found through the words an article contains."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        table: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for actor in actors:
            for name in dict.fromkeys((actor.name, *actor.aliases)):
                first = WORD.match(name)
                if first and name.strip() == name:
                    table[first.group()].append((name, actor.id))
        self.table = dict(table)

    def find_all(self, text: str) -> list[Mention]:
        """Every whole-word occurrence, leftmost-longest, without overlaps."""
        candidates = []
        for word in set(WORD.findall(text)) & self.table.keys():
            for name, actor_id in self.table[word]:
                candidates += [(start, -len(name), actor_id) for start in _whole(text, name)]
        found: list[Mention] = []
        covered = 0
        for start, negative_length, actor_id in sorted(candidates):
            if start >= covered:
                covered = start - negative_length
                found.append(Mention(actor_id, start, covered))
        return found


def _whole(text: str, name: str) -> list[int]:
    """Where `name` occurs in `text` with no letter, digit or '_' touching it."""
    found, start = [], text.find(name)
    while start != -1:
        end = start + len(name)
        if not _word_char(text, start - 1) and not _word_char(text, end):
            found.append(start)
        start = text.find(name, start + 1)
    return found


def _word_char(text: str, index: int) -> bool:
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


def first_mentions(reader: ReaderText, matcher: NameMatcher,
                   every: list[Mention] | None = None) -> tuple[Mention, ...]:
    """Each actor's first mention that can carry a link (plain text outside links).

    `every` is `matcher.find_all(reader.raw)` when the caller already has it.
    """
    firsts: dict[str, Mention] = {}
    for mention in matcher.find_all(reader.raw) if every is None else every:
        if mention.actor in firsts:
            continue
        piece = reader.piece_at(mention.start)
        if piece and piece.linkable and mention.end <= piece.end:
            firsts[mention.actor] = mention
    return tuple(sorted(firsts.values(), key=lambda m: m.start))


def mentioned_actors(reader: ReaderText, matcher: NameMatcher) -> set[str]:
    return {m.actor for m in matcher.find_all(reader.raw)}
