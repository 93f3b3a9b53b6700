"""Speakers to actors: the registry's actor by name, alias or surname, or a new one drafted.

A new actor gets the name the article gives, the role it gives ("EU
spokesman"), a guessed kind, and `part_of` when its role names a known actor
("EU" in "EU spokesman" gives `part_of: eu` when an actor is named or aliased EU).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..base.diagnostics import Span
from ..source.model import Actor
from ..source.yamlsrc import slugify
from .attribution import ORG_WORDS, Speaker
from .coreference import proper_organisation

_PERSON_ROLES = """
spokesman spokeswoman spokesperson minister president secretary chancellor chief general
commander senator governor mayor ambassador director chairman chairwoman chair king queen
prince pope judge envoy deputy representative commissioner leader premier official analyst
professor adviser advisor aide lawyer diplomat negotiator expert officer
"""
PERSON_ROLE_WORDS = frozenset(_PERSON_ROLES.split())
WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class DraftActor:
    """An actor the article names that the site does not know yet."""

    id: str
    name: str
    kind: str
    role: str | None
    part_of: str | None
    phrase: str  # the article's words it was drafted from


@dataclass(frozen=True, slots=True)
class Casting:
    """Which actor speaks for each speaker of an article."""

    ids: dict[str, str]  # speaker key (see `key`) -> actor id
    new: tuple[DraftActor, ...]
    names: dict[str, str]  # actor id -> display name

    def actor_of(self, who: Speaker | None) -> str | None:
        return self.ids.get(key(who)) if who is not None else None


def key(who: Speaker) -> str:
    return who.name or who.phrase


def cast(speakers: Iterable[Speaker], actors: Sequence[Actor]) -> Casting:
    """Resolve each speaker to a known actor, or draft a new one (unnamed speakers stay out)."""
    ids: dict[str, str] = {}
    new: list[DraftActor] = []
    taken = {a.id for a in actors}
    names = {a.id: a.name for a in actors}
    registry, drafted, parts = Known(actors), Known(), Parts(actors)
    for who in speakers:
        if key(who) in ids:
            continue
        found = registry.match(who) or drafted.match(who)
        if found is not None:
            ids[key(who)] = found
        elif who.name is not None or proper_organisation(who):
            draft = _draft(who, taken, parts)
            taken.add(draft.id)
            new.append(draft)
            drafted.add(actor := _as_actor(draft))
            parts.add(actor)
            names[draft.id] = draft.name
            ids[key(who)] = draft.id
    return Casting(ids, tuple(new), names)


def match(who: Speaker, actors: Sequence[Actor]) -> str | None:
    """The id of the actor `who` names: by name or alias, else by surname; None if unsure."""
    return Known(actors).match(who)


class Known:
    """Actors by name, alias and surname: an article's thousandth speaker is found as
    quickly as its first."""

    def __init__(self, actors: Iterable[Actor] = ()) -> None:
        self.by_name: dict[str, set[str]] = {}  # a name or alias, in lowercase -> actor ids
        self.by_surname: dict[str, list[Actor]] = {}  # a last name or alias, in lowercase
        for actor in actors:
            self.add(actor)

    def add(self, actor: Actor) -> None:
        for name in (actor.name, *actor.aliases):
            self.by_name.setdefault(name.lower(), set()).add(actor.id)
        their = actor.name.split()
        if actor.kind in ("person", "other") and their:
            for surname in {their[-1].lower(), *(a.lower() for a in actor.aliases)}:
                self.by_surname.setdefault(surname, []).append(actor)

    def match(self, who: Speaker) -> str | None:
        """The id of the actor `who` names: by name or alias, else by surname; None if unsure."""
        described = (who.name,) if who.name else (who.phrase, _bare(who.phrase), who.role)
        for text in [w.lower() for w in described if w]:
            exact = self.by_name.get(text, set())
            if len(exact) == 1:
                return next(iter(exact))
        if who.name is None:
            return None
        words = who.name.split()
        found = {a.id for a in self.by_surname.get(words[-1].lower(), ())
                 if len(words) == 1 or a.name.split()[0][:1].lower() == words[0][:1].lower()}
        return found.pop() if len(found) == 1 else None


def _draft(who: Speaker, taken: set[str], parts: Parts) -> DraftActor:
    if who.name is None:  # an organisation described, not named: "Russia's defence ministry"
        name = who.role or who.phrase
        return DraftActor(_new_id(name, taken), name, "organization", None,
                          parts.of(name), who.phrase)
    return DraftActor(_new_id(who.name, taken), who.name, guess_kind(who), who.role,
                      parts.of(who.role), who.phrase)


def _new_id(name: str, taken: set[str]) -> str:
    base = slugify(re.sub(r"['’]s\b", "", name)) or "speaker"
    ident, number = base, 2
    while ident in taken:
        ident, number = f"{base}-{number}", number + 1
    return ident


def guess_kind(who: Speaker) -> str:
    """person, organization or other: a guess the editor is asked to check."""
    words = (who.name or "").split()
    if any(w.lower().strip(".,") in ORG_WORDS for w in words) or (
            len(words) == 1 and words[0].isupper() and len(words[0]) > 1):
        return "organization"
    if len(words) >= 2:
        return "person"
    role_words = {w.lower() for w in (who.role or "").split()}
    return "person" if role_words & PERSON_ROLE_WORDS else "other"


def part_of(role: str | None, actors: Sequence[Actor]) -> str | None:
    """The actor a role names ('EU spokesman' -> the actor named or aliased 'EU'), longest first."""
    return Parts(actors).of(role)


class Parts:
    """The names and aliases of actors, for `part_of`, found by their first word.

    A role is short: only the names whose first word is a word of the role are tried,
    longest first (in the actors' order when as long), each with a pattern made once.
    """

    def __init__(self, actors: Iterable[Actor]) -> None:
        self.by_word: dict[str, list[tuple[int, int, str, str]]] = {}  # first word -> entries
        self.count = 0
        self.patterns: dict[str, re.Pattern[str]] = {}
        for actor in actors:
            self.add(actor)

    def add(self, actor: Actor) -> None:
        aliases = [a.removeprefix("the ").removeprefix("The ") for a in actor.aliases]
        for name in dict.fromkeys((actor.name, *actor.aliases, *aliases)):
            entry = (-len(name), self.count, name, actor.id)  # entries sort longest first
            self.by_word.setdefault(_first_word(name), []).append(entry)
            self.count += 1

    def of(self, role: str | None) -> str | None:
        """The actor a role names ('EU spokesman' -> the actor named or aliased 'EU')."""
        if not role:
            return None
        words = {w.casefold() for w in WORD.findall(role)} | {""}
        for _, _, name, ident in sorted(e for w in words for e in self.by_word.get(w, ())):
            if self._pattern(name).search(role):
                return ident
        return None

    def _pattern(self, name: str) -> re.Pattern[str]:
        if name not in self.patterns:
            flags = 0 if len(name) <= 4 else re.IGNORECASE
            self.patterns[name] = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", flags)
        return self.patterns[name]


def _first_word(name: str) -> str:
    """The first word of a name (letters, digits, _), which a role naming it has whole: the
    pattern's edges are where a word ends. "" when the name has none."""
    found = WORD.search(name)
    return found.group().casefold() if found else ""


def _as_actor(draft: DraftActor) -> Actor:
    return Actor(draft.id, draft.name, draft.kind, Span("(draft)"), role=draft.role)


def _bare(phrase: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", phrase.strip(), flags=re.IGNORECASE)
