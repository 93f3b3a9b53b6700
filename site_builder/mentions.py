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
    """Every actor's name and aliases, indexed by their first word."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        table: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for actor in actors:
            for name in dict.fromkeys((actor.name, *actor.aliases)):
                first = WORD.match(name)
                if first and name.strip() == name:
                    table[first.group()].append((name, actor.id))
        # Longest names first, so 'Wall Street Journal' wins over 'Wall Street'.
        self.table = {k: sorted(v, key=lambda e: -len(e[0])) for k, v in table.items()}

    def find_all(self, text: str) -> list[Mention]:
        """Every whole-word occurrence, leftmost-longest, without overlaps."""
        found: list[Mention] = []
        covered = 0
        for word in WORD.finditer(text):
            if word.start() < covered:
                continue
            for name, actor_id in self.table.get(word.group(), ()):
                end = word.start() + len(name)
                if text.startswith(name, word.start()) and not _word_char(text, end):
                    found.append(Mention(actor_id, word.start(), end))
                    covered = end
                    break
        return found


def _word_char(text: str, index: int) -> bool:
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


def first_mentions(reader: ReaderText, matcher: NameMatcher) -> tuple[Mention, ...]:
    """Each actor's first mention that can carry a link (plain text outside links)."""
    firsts: dict[str, Mention] = {}
    for mention in matcher.find_all(reader.raw):
        if mention.actor in firsts:
            continue
        piece = reader.piece_at(mention.start)
        if piece and piece.linkable and mention.end <= piece.end:
            firsts[mention.actor] = mention
    return tuple(sorted(firsts.values(), key=lambda m: m.start))


def mentioned_actors(reader: ReaderText, matcher: NameMatcher) -> set[str]:
    return {m.actor for m in matcher.find_all(reader.raw)}
