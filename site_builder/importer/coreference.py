"""Who 'he', 'Stano' and 'the spokesman' are: the speakers an article has named so far.

Wire copy names a speaker in full once ("EU spokesman Peter Stano"), then by
surname, pronoun or role. `Cast` remembers each speaker met in reading order,
most recent last, and the text read so far, where a surname's full name may
appear outside any attribution ("Army spokesman Brig. Gen. Nabil Abdullah was
more cautious.").
"""

from __future__ import annotations

import re
from dataclasses import replace

from .attribution import (
    DETERMINERS,
    NOT_IN_ROLES,
    ORG_WORDS,
    PREPOSITIONS,
    TITLES,
    Speaker,
    speaker,
)

BOUNDARY_END = (",", ";", ":", '"', "”", "“", "(", ")")
INITIALS = re.compile(r"^(?:[A-Z]\.)+$")
STRIP = ",.;:()\"“”'’"
CONTEXT_WORDS = 8


class Cast:
    """The speakers of one article, resolved as the article is read."""

    def __init__(self) -> None:
        self.known = _Met()
        self.last: Speaker | None = None
        self.paragraphs: list[str] = []
        self.words: dict[str, list[int]] = {}  # a word -> the paragraphs it is in, in order
        self.indexed = 0  # how many paragraphs `words` covers (it is made when first needed)

    def read(self, paragraph: str) -> None:
        """Remember a paragraph's text, where full names may be found later."""
        self.paragraphs.append(paragraph)

    def resolve(self, named: Speaker) -> Speaker | None:
        """The speaker `named` refers to: a named one met before, itself, or None ('he' alone)."""
        found = self._find(named)
        if found is not None and self.remembers(found):
            self.known.meet(found)
            if found.name is not None:
                self.last = found
        return found

    def remembers(self, who: Speaker) -> bool:
        return who in self.known

    def _find(self, named: Speaker) -> Speaker | None:
        if named.pronoun is not None:
            return self.last
        if named.name is not None:
            return self._by_name(named)
        head = named.role.split()[-1].lower() if named.role else None
        definite = named.phrase.lower().startswith(("the ", "this "))  # not "an official"
        if definite and head and (known := self.known.latest(_ROLE + head)) is not None:
            return known
        if proper_organisation(named):
            self.known.meet(named)
        return named  # an unnamed speaker ("officials"): the actor registry may know it

    def _by_name(self, named: Speaker) -> Speaker:
        """The first met of those with this name (or, for one word, this first or last name)."""
        assert named.name is not None
        single = " " not in named.name
        known = self.known.first((_EDGE if single else _NAME) + named.name)
        if known is not None:
            if known.role is None and named.role is not None:
                known = self.known.swap(known, replace(known, role=named.role))
            return known
        full = self._full_name(named.name) if single else None
        if full is not None:
            named = replace(full, role=full.role or named.role)
        self.known.meet(named)
        return named

    def _full_name(self, token: str) -> Speaker | None:
        """The last full name ending (or starting) with `token` in the text read so far."""
        for index in range(self.indexed, len(self.paragraphs)):
            for word in set(map(_bare, self.paragraphs[index].split())):
                self.words.setdefault(word, []).append(index)
        self.indexed = len(self.paragraphs)
        best = None
        for index in self.words.get(token, ()):
            words = self.paragraphs[index].split()
            for i, word in enumerate(words):
                if _bare(word) != token:
                    continue
                found = speaker(_phrase_around(words, i))
                if found and found.name and " " in found.name \
                        and token in (found.name.split()[0], found.name.split()[-1]):
                    best = found
        return best


_NAME, _EDGE, _ROLE = "=", "~", "r"  # what `_Met` finds a speaker by: see `_Met.keys`


class _Met:
    """The speakers met so far, each with when it was last met, found by name and role
    without reading them all: a long article names hundreds."""

    def __init__(self) -> None:
        self.when: dict[Speaker, int] = {}
        self.clock = 0
        self.by_key: dict[str, set[Speaker]] = {}

    def __contains__(self, who: Speaker) -> bool:
        return who in self.when

    def meet(self, who: Speaker) -> None:
        """`who` becomes the most recently met."""
        if who not in self.when:
            for key in self.keys(who):
                self.by_key.setdefault(key, set()).add(who)
        self.clock += 1
        self.when[who] = self.clock

    def swap(self, old: Speaker, new: Speaker) -> Speaker:
        """`new` instead of `old`, met when `old` was."""
        for key in self.keys(old):
            self.by_key[key].discard(old)
        for key in self.keys(new):
            self.by_key.setdefault(key, set()).add(new)
        self.when[new] = self.when.pop(old)
        return new

    def first(self, key: str) -> Speaker | None:
        """The least recently met of those found by `key`."""
        return min(self.by_key.get(key, ()), key=self.when.__getitem__, default=None)

    def latest(self, key: str) -> Speaker | None:
        """The most recently met of those found by `key`."""
        return max(self.by_key.get(key, ()), key=self.when.__getitem__, default=None)

    @staticmethod
    def keys(who: Speaker) -> list[str]:
        """Its full name, its first and last names, and the last word of its role."""
        keys = []
        if who.name:
            words = who.name.split()
            keys += [_NAME + who.name, *{_EDGE + w for w in (words[0], words[-1])}]
        if who.role and (role := who.role.lower().split()):
            keys.append(_ROLE + role[-1])
        return keys


def proper_organisation(who: Speaker) -> bool:
    """An unnamed speaker described with a proper noun: "Russia's defence ministry"."""
    words = (who.role or "").split()
    return len(words) >= 2 and words[-1].lower() in ORG_WORDS \
        and any(w[0].isupper() for w in words[:-1])


def _phrase_around(words: list[str], i: int) -> str:
    """The words naming someone at `words[i]`: titles and role before, a given name after."""
    end = i + 1
    if end < len(words) and not words[i].endswith((*BOUNDARY_END, ".")) \
            and words[end][:1].isupper():
        end += 1
    start = i
    while start > max(0, i - CONTEXT_WORDS):
        word = words[start - 1]
        lowered = word.lower()
        if word.endswith(BOUNDARY_END) or (word.endswith(".") and word not in TITLES
                                           and not INITIALS.match(word)):
            break
        if lowered == "of" and start >= 2 and words[start - 2][:1].isupper():
            start -= 1
            continue
        if lowered in PREPOSITIONS or lowered in DETERMINERS or lowered in NOT_IN_ROLES:
            break
        start -= 1
    return " ".join(w.strip(STRIP) if k == len(words[start:end]) - 1 else w
                    for k, w in enumerate(words[start:end]))


def _bare(word: str) -> str:
    word = word.strip(STRIP)
    for suffix in ("'s", "’s"):
        word = word.removesuffix(suffix)
    return word
