"""Speakers to actors: the registry's actor by name, alias or surname, or a new one drafted.

A new actor gets the name the article gives, the role it gives ("EU
spokesman"), a guessed kind, and `part_of` when its role names a known actor
("EU" in "EU spokesman" gives `part_of: eu` when an actor is named or aliased EU).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .attribution import ORG_WORDS, Speaker
from .coreference import proper_organisation
from .diagnostics import Span
from .model import Actor
from .yamlsrc import slugify

_PERSON_ROLES = """
spokesman spokeswoman spokesperson minister president secretary chancellor chief general
commander senator governor mayor ambassador director chairman chairwoman chair king queen
prince pope judge envoy deputy representative commissioner leader premier official analyst
professor adviser advisor aide lawyer diplomat negotiator expert officer
"""
PERSON_ROLE_WORDS = frozenset(_PERSON_ROLES.split())


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
    for who in speakers:
        if key(who) in ids:
            continue
        found = match(who, actors) or match(who, [_as_actor(d) for d in new])
        if found is not None:
            ids[key(who)] = found
        elif who.name is not None or proper_organisation(who):
            draft = _draft(who, taken, [*actors, *(_as_actor(d) for d in new)])
            taken.add(draft.id)
            new.append(draft)
            names[draft.id] = draft.name
            ids[key(who)] = draft.id
    return Casting(ids, tuple(new), names)


def match(who: Speaker, actors: Sequence[Actor]) -> str | None:
    """The id of the actor `who` names: by name or alias, else by surname; None if unsure."""
    described = (who.name,) if who.name else (_bare(who.phrase), who.role)
    wanted = [w.lower() for w in described if w]
    for text in wanted:
        exact = {a.id for a in actors if text in (n.lower() for n in (a.name, *a.aliases))}
        if len(exact) == 1:
            return exact.pop()
    if who.name is None:
        return None
    return _by_surname(who.name, actors)


def _by_surname(name: str, actors: Sequence[Actor]) -> str | None:
    words = name.split()
    surname = words[-1].lower()
    found = set()
    for actor in actors:
        if actor.kind not in ("person", "other"):
            continue
        their = actor.name.split()
        if their[-1].lower() != surname and surname not in (a.lower() for a in actor.aliases):
            continue
        if len(words) == 1 or their[0][:1].lower() == words[0][:1].lower():
            found.add(actor.id)
    return found.pop() if len(found) == 1 else None


def _draft(who: Speaker, taken: set[str], known: Sequence[Actor]) -> DraftActor:
    if who.name is None:  # an organisation described, not named: "Russia's defence ministry"
        name = who.role or who.phrase
        return DraftActor(_new_id(name, taken), name, "organization", None,
                          part_of(name, known), who.phrase)
    return DraftActor(_new_id(who.name, taken), who.name, guess_kind(who), who.role,
                      part_of(who.role, known), who.phrase)


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
    if not role:
        return None
    names = sorted(((n, a.id) for a in actors for n in (a.name, *a.aliases)),
                   key=lambda pair: len(pair[0]), reverse=True)
    for name, ident in names:
        flags = 0 if len(name) <= 4 else re.IGNORECASE
        if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", role, flags):
            return ident
    return None


def _as_actor(draft: DraftActor) -> Actor:
    return Actor(draft.id, draft.name, draft.kind, Span("(draft)"), role=draft.role)


def _bare(phrase: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", phrase.strip(), flags=re.IGNORECASE)
