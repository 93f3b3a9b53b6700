"""Who 'he', 'Stano' and 'the spokesman' are: the people an article has named so far.

Wire copy names a speaker in full once ("EU spokesman Peter Stano"), then by
surname, pronoun or role. `Cast` remembers each speaker met in reading order,
most recent last, the people each sentence names (`mentions`), and the text
read so far, where a surname's full name may appear outside any attribution
("Army spokesman Brig. Gen. Nabil Abdullah was more cautious.").

`attribute` says who an attribution means, and whether that is certain: a
name is, unless two people share it; a pronoun or a title is when the nearest
sentence naming a compatible person names only one, in this paragraph or the
one before. Otherwise it gives the candidates, the most likely first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .attribution import (
    DETERMINERS,
    NOT_IN_ROLES,
    ORG_WORDS,
    PREPOSITIONS,
    SENTENCE_END,
    TITLES,
    Speaker,
    speaker,
)
from .mentions import Mention, persons_in

BOUNDARY_END = (",", ";", ":", '"', "”", "“", "(", ")")
INITIALS = re.compile(r"^(?:[A-Z]\.)+$")
STRIP = ",.;:()\"“”'’"
CONTEXT_WORDS = 8
SURE_DISTANCE = 1  # a pronoun's antecedent is certain in its paragraph or the one before
MAX_CANDIDATES = 4
GENDER = {"he": "m", "she": "f"}


@dataclass(frozen=True, slots=True)
class Resolution:
    """Who an attribution means, whether that is certain, and who else it may mean."""

    who: Speaker | None
    sure: bool
    candidates: tuple[Speaker, ...] = ()  # the most likely first, when not sure
    how: str = ""  # how `who` was found from a pronoun or title, for the editor


@dataclass(slots=True)
class _Sentence:
    paragraph: int
    mentions: list[Mention] = field(default_factory=list)


class Cast:
    """The speakers of one article, resolved as the article is read."""

    def __init__(self) -> None:
        self.known = _Met()
        self.last: Speaker | None = None
        self.paragraphs: list[str] = []
        self.words: dict[str, list[int]] = {}  # a word -> the paragraphs it is in, in order
        self.indexed = 0  # how many paragraphs `words` covers (it is made when first needed)
        self.sentences: list[_Sentence] = []  # the last one is being read
        self.genders: dict[str, str] = {}  # a person's name -> "f" or "m", when the text says

    def read(self, paragraph: str) -> None:
        """Remember a paragraph's text, where full names may be found later."""
        self.paragraphs.append(paragraph)
        self.sentences.append(_Sentence(len(self.paragraphs) - 1))

    def heading(self) -> None:
        """A heading: no pronoun reaches back over it with certainty."""
        self.paragraphs.append("")
        self.sentences.append(_Sentence(len(self.paragraphs) - 1))

    def narrate(self, text: str, ends: bool) -> None:
        """Read words outside quotation marks: the people they name join the sentence being
        read; each sentence end starts a new one. `ends`: the text ends a sentence."""
        parts = _sentences(text)
        for index, part in enumerate(parts):
            for mention in persons_in(part, self._unique_edge):
                if not (mention.unsure and mention.who.name is None
                        and any(m.speaks for m in self.sentences[-1].mentions)):
                    self.mention(mention)  # "the judge said", of a quotation's speaker: no one new
            if index < len(parts) - 1 or ends:
                self.sentences.append(_Sentence(len(self.paragraphs) - 1))

    def mention(self, mention: Mention) -> None:
        """A person named in the sentence being read (a speaker of a quotation too)."""
        who = mention.who
        if mention.speaks:  # "the minister said: ..." names no one else than its speaker
            self.sentences[-1].mentions = [m for m in self.sentences[-1].mentions
                                           if not (m.unsure and m.who.name is None)]
        if who.name is not None and who.pronoun is None and not mention.unsure:
            found = self.known.first(_NAME + who.name) or self._unique_edge(who.name)
            who = found or who
            if found is None:
                self.known.meet(who)
            if mention.gender:
                self.genders.setdefault(who.name or "", mention.gender)
        self.sentences[-1].mentions.append(replace(mention, who=who))

    def attribute(self, named: Speaker) -> Resolution:
        """Who `named` (a name, a pronoun or a title) means, and whether that is certain."""
        if named.pronoun is not None:
            return self._antecedent(named.pronoun)
        if named.name is None and named.role and \
                named.phrase.lower().startswith(("the ", "this ")):
            found = self._by_role(named)
            if found is not None:
                return found
        if named.name is not None and " " not in named.name:
            sharing = self._sharing(named.name)
            if len(sharing) > 1:
                return Resolution(None, False, tuple(sharing[:MAX_CANDIDATES]))
        who = self.resolve(named)
        return Resolution(who, who is not None)

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

    def _antecedent(self, pronoun: str) -> Resolution:
        """The nearest compatible person: certain when the nearest sentence naming one names
        only one, in this paragraph or the one before; never for "they" or "it"."""
        candidates: list[Speaker] = []
        first: tuple[int, int] | None = None  # (paragraph, distinct people) of the nearest
        here = len(self.paragraphs) - 1
        for sentence in reversed(self.sentences):
            people = [m for m in sentence.mentions if self._fits(m, pronoun)]
            if not people:
                continue
            strong = _distinct([m.who for m in people if not m.possessive])
            if first is None:
                sure = len(strong) == 1 and not any(m.unsure for m in people)
                first = (sentence.paragraph, 1 if sure else 2)
            for who in [*strong, *(m.who for m in people if m.possessive)]:
                if who not in candidates and who.name is not None:
                    candidates.append(who)
            if len(candidates) >= MAX_CANDIDATES:
                break
        if first is None:
            return Resolution(None, False)
        paragraph, count = first
        sure = pronoun in GENDER and count == 1 and here - paragraph <= SURE_DISTANCE \
            and not any(self.paragraphs[p] == "" for p in range(paragraph + 1, here + 1))
        if sure:
            who = candidates[0]
            self.genders.setdefault(who.name or "", GENDER[pronoun])
            self.last = who
            return Resolution(who, True, (), f'"{pronoun}": the nearest person named, the '
                              "only one in their sentence")
        return Resolution(None, False, tuple(candidates[:MAX_CANDIDATES]))

    def _fits(self, mention: Mention, pronoun: str) -> bool:
        who = mention.who
        if mention.unsure and who.name is None:  # "the minister": a person, not named
            return pronoun not in GENDER or mention.gender in (None, GENDER[pronoun])
        if pronoun == "it":
            return who.name is None
        if who.name is None or who.pronoun is not None:
            return pronoun == "they"
        gender = self.genders.get(who.name) or mention.gender
        return pronoun not in GENDER or gender is None or gender == GENDER[pronoun]

    def _by_role(self, named: Speaker) -> Resolution | None:
        """`the minister`, `the health minister`: the only person named with that role so far,
        or the only one in the nearest sentence naming one, in this paragraph or the one before."""
        wanted = {w for w in (named.role or "").lower().split() if w not in ("the", "this")}
        if not wanted:
            return None
        people: list[Speaker] = []
        nearest: list[Speaker] | None = None
        for sentence in reversed(self.sentences):
            here = [m.who for m in sentence.mentions if m.who.name and wanted <= set(
                (m.who.role or "").lower().replace("'s", "").split())]
            if here and nearest is None and len(self.paragraphs) - 1 - sentence.paragraph \
                    <= SURE_DISTANCE:
                nearest = _distinct(here)
            people += here
        people = _distinct(people)
        if len(people) == 1 or (nearest is not None and len(nearest) == 1):
            who = people[0] if len(people) == 1 else (nearest or people)[0]
            return Resolution(who, True, (), f'"{named.phrase}": the nearest person named '
                              "with that role, the only one in their sentence")
        if people:
            return Resolution(None, False, tuple(people[:MAX_CANDIDATES]))
        return None

    def _sharing(self, token: str) -> list[Speaker]:
        """The people met whose first or last name is `token`."""
        met = self.known.by_key.get(_EDGE + token, set())
        return sorted({w for w in met if w.name}, key=self.known.when.__getitem__, reverse=True)

    def _unique_edge(self, name: str) -> Speaker | None:
        """The one person met whose first or last name is `name` (a single word)."""
        if " " in name:
            return None
        sharing = self._sharing(name)
        return sharing[0] if len(sharing) == 1 else None

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


def _sentences(text: str) -> list[str]:
    """`text` cut at sentence ends; the last part is the sentence still being read."""
    parts, start = [], 0
    for match in SENTENCE_END.finditer(text):
        parts.append(text[start:match.end()])
        start = match.end()
    return [*parts, text[start:]]


def _distinct(people: list[Speaker]) -> list[Speaker]:
    out: list[Speaker] = []
    for who in people:
        if all((who.name or who.phrase) != (o.name or o.phrase) for o in out):
            out.append(who)
    return out


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
