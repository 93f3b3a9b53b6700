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
        self.known: list[Speaker] = []  # most recently met last
        self.last: Speaker | None = None
        self.paragraphs: list[str] = []

    def read(self, paragraph: str) -> None:
        """Remember a paragraph's text, where full names may be found later."""
        self.paragraphs.append(paragraph)

    def resolve(self, named: Speaker) -> Speaker | None:
        """The speaker `named` refers to: a named one met before, itself, or None ('he' alone)."""
        found = self._find(named)
        if found is not None and self.remembers(found):
            self.known.remove(found)
            self.known.append(found)
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
        for known in reversed(self.known):
            if definite and head and known.role and known.role.lower().split()[-1] == head:
                return known
        if proper_organisation(named):
            self.known.append(named)
        return named  # an unnamed speaker ("officials"): the actor registry may know it

    def _by_name(self, named: Speaker) -> Speaker:
        assert named.name is not None
        single = " " not in named.name
        for i, known in enumerate(self.known):
            words = (known.name or "").split()
            if known.name == named.name or (single and named.name in (words[:1] + words[-1:])):
                if known.role is None and named.role is not None:
                    self.known[i] = known = replace(known, role=named.role)
                return known
        full = self._full_name(named.name) if single else None
        if full is not None:
            named = replace(full, role=full.role or named.role)
        self.known.append(named)
        return named

    def _full_name(self, token: str) -> Speaker | None:
        """The last full name ending (or starting) with `token` in the text read so far."""
        best = None
        for text in self.paragraphs:
            words = text.split()
            for i, word in enumerate(words):
                if _bare(word) != token:
                    continue
                found = speaker(_phrase_around(words, i))
                if found and found.name and " " in found.name \
                        and token in (found.name.split()[0], found.name.split()[-1]):
                    best = found
        return best


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
