"""Finding actors named in an article: by name or alias, as whole words.

Matching is case-sensitive (names are proper nouns) and Unicode-aware: a
name must not touch a letter or digit on either side, so 'Iran' is not found
in 'Iranian'. All names are searched at once, by one regular expression, so the
cost grows with the article, not with the size of the registry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..source.model import Actor
from ..source.names import name_owners
from .readertext import ReaderText


@dataclass(frozen=True, slots=True)
class Mention:
    actor: str
    start: int  # raw reader-text offsets
    end: int


class NameMatcher:
    """Every actor's name and aliases, compiled into one regular expression.

    The names form a trie (one branch per next character), so the expression
    looks at each character of an article once per name sharing its prefix,
    not once per name; at each place the longest name is tried first.
    """

    def __init__(self, actors: Iterable[Actor]) -> None:
        self.owner = name_owners(actors)
        self.pattern = _names_pattern(self.owner)

    def matches(self, text: str) -> Iterator[tuple[str, re.Match[str]]]:
        """Each occurrence's actor and match, leftmost-longest, without overlaps."""
        owner = self.owner
        return ((owner[m.group()], m) for m in self.pattern.finditer(text))


Trie = dict[str, "Trie"]


def _names_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """Any of `names` with no letter, digit or '_' touching it.

    Every name starts with a word character, so "nothing touches it before" is
    checked just after that character, by looking back two characters: the
    expression then starts with a choice of plain characters, and the search
    skips ahead quickly to the places where one of them is.
    """
    trie: Trie = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}  # a name ends here
    if not trie:
        return re.compile(r"(?!)")
    firsts = [re.escape(char) + r"(?<!\w\w)" + _alternatives(rest)
              for char, rest in trie.items()]
    return re.compile("(?:" + "|".join(firsts) + r")(?!\w)")


def _alternatives(node: Trie) -> str:
    """The pattern of a trie node: its longer names first, then the name ending here."""
    chain = ""  # characters with nothing else after them: no branch, no recursion
    while len(node) == 1 and "" not in node:
        ((char, node),) = node.items()
        chain += re.escape(char)
    branches = [re.escape(char) + _alternatives(rest) for char, rest in node.items() if char]
    if not branches:
        return chain
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return chain + (f"(?:{body})?" if "" in node else body)


@dataclass(frozen=True, slots=True)
class Named:
    """The actors an article names."""

    firsts: tuple[Mention, ...]  # each one's first mention that can carry a link, in order
    actors: frozenset[str]  # every one named anywhere, even where no link can go


def named_in(reader: ReaderText, matcher: NameMatcher) -> Named:
    """The actors named in `reader`, in one pass over the matcher's matches.

    Only first mentions become `Mention`s: most occurrences are of an actor already
    linked, and need no more than their name looked up.
    """
    firsts: dict[str, Mention] = {}
    unlinked: set[str] = set()  # actors named, no linkable mention of them yet
    for actor, match in matcher.matches(reader.raw):
        if actor in firsts:
            continue
        start, end = match.span()
        piece = reader.piece_at(start)
        if piece and piece.linkable and end <= piece.end:
            firsts[actor] = Mention(actor, start, end)
        else:
            unlinked.add(actor)
    # Matches come in reading order: so do the first mentions.
    return Named(tuple(firsts.values()), frozenset(unlinked.union(firsts)))
