"""The actors of the benchmark corpus (`corpus.py`), and who appears in which brief.

States, their ministries, companies, unions and outlets, and the people who speak for them
(or for no one). Every name, alias and id is the only one of its kind, so the checker finds
no actor named twice; a few actors are far more often in the news than the rest.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import corpus_text as words
from corpus_text import Draw, q

# Of every 100 actors: states, ministries, companies, unions and the like, outlets; the rest
# are people.
SHARES = (("state", 4), ("ministry", 10), ("company", 10), ("group", 6), ("media", 4))
KIND = {"state": "state", "ministry": "organization", "company": "organization",
        "group": "organization", "media": "media", "person": "person"}
# What a person is in each kind of body: the role the registry gives, the words of articles.
ROLES: dict[str, tuple[tuple[str, str], ...]] = {
    "state": (("Foreign minister", "the foreign minister of {}"), ("President", "president of {}")),
    "ministry": (("Spokesperson", "a spokesperson for the {}"), ("Minister", "who runs the {}")),
    "company": (("Chief executive", "the chief executive of {}"),
                ("Spokesperson", "a spokesperson for {}")),
    "group": (("General secretary", "general secretary of the {}"),
              ("Spokesperson", "speaking for the {}")),
    "media": (("Correspondent", "a correspondent for the {}"), ("Editor", "editor of the {}")),
}
THE = ("ministry", "group", "media")  # named with 'the' before them
UNATTACHED = (("Independent analyst", "an independent analyst"),
              ("Opposition lawmaker", "an opposition lawmaker"),
              ("Economist", "an economist who has studied the deal"))
NATIONAL = ("National", "United", "General", "Free")
TRIES = 40  # draws of a name before a kind of body is taken to have run out of names
MOST = 20000


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    kind: str  # what generated it: state, ministry, company, group, media or person
    role: str | None = None
    part_of: str | None = None
    alias: str | None = None
    phrase: str | None = None  # how articles describe a person: "a spokesperson for the ..."

    @property
    def called(self) -> str:
        """The name as a sentence uses it: 'the Daily Ledger', 'Ostavia', 'Ada Xu'."""
        return f"the {self.name}" if self.kind in THE else self.name

    @property
    def called_short(self) -> str:
        """The alias, if any, as a sentence uses it: 'the NDU'."""
        return f"the {self.alias}" if self.alias and self.kind in THE else self.alias or ""


def make(draw: Draw, count: int) -> list[Actor]:
    """`count` actors: bodies first (each kind its share), then people, a third of them
    on their own and the others speaking for one of the bodies."""
    if count > MOST:
        raise ValueError(f"at most {MOST} actors")
    names = Names()
    actors: list[Actor] = []
    for kind, share in SHARES:
        for _ in range(count * share // 100):
            states = [a for a in actors if a.kind == "state"]
            made = _body(draw, names, kind, states)
            if made is not None:
                actors.append(made)
    bodies = list(actors)
    while len(actors) < count:
        actors.append(_person(draw, names, bodies))
    return actors


class Names:
    """Names, aliases and ids given so far: each is given once."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, make: Callable[[], str]) -> str | None:
        for _ in range(TRIES):
            name = make()
            if name not in self.taken and slug(name) not in self.taken:
                self.taken.update((name, slug(name)))
                return name
        return None

    def acronym(self, name: str) -> str | None:
        letters = "".join(w[0] for w in name.split() if w[0].isupper())
        if len(letters) < 3 or letters in self.taken:
            return None
        self.taken.add(letters)
        return letters


def _body(draw: Draw, names: Names, kind: str, states: Sequence[Actor]) -> Actor | None:
    if kind == "ministry" and not states:
        kind = "state"
    state = draw.pick(states) if kind == "ministry" else None
    country = state.name if state else ""
    make = {
        "state": lambda: draw.pick(words.STATE_HEAD) + draw.pick(words.STATE_TAIL),
        "ministry": lambda: f"{country} Ministry of {draw.pick(words.MINISTRY)}",
        "company": lambda: f"{draw.pick(words.BRAND)} {draw.pick(words.SECTOR)}",
        "group": lambda: (f"{draw.pick(NATIONAL)} {draw.pick(words.GROUP_WHO)} "
                          f"{draw.pick(words.GROUP_WHAT)}"),
        "media": lambda: f"{draw.pick(words.PAPER_HEAD)} {draw.pick(words.PAPER_TAIL)}",
    }[kind]
    name = names.claim(make)
    if name is None:
        return None
    alias = names.acronym(name) if kind == "group" else None
    return Actor(slug(name), name, kind, part_of=state.id if state else None, alias=alias)


def _person(draw: Draw, names: Names, bodies: Sequence[Actor]) -> Actor:
    def full() -> str:
        return f"{draw.pick(words.GIVEN)} {draw.pick(words.FAMILY)}"

    def initialled() -> str:
        return f"{draw.pick(words.GIVEN)} {chr(65 + draw.below(26))}. {draw.pick(words.FAMILY)}"

    name = names.claim(full)
    while name is None:
        name = names.claim(initialled)
    if not bodies or draw.chance(0.3):
        role, phrase = draw.pick(UNATTACHED)
        return Actor(slug(name), name, "person", role=role, phrase=phrase)
    body = draw.pick(bodies)
    role, phrase = draw.pick(ROLES[body.kind])
    return Actor(slug(name), name, "person", role=f"{role}, {body.name}", part_of=body.id,
                 phrase=phrase.format(body.name))


def slug(name: str) -> str:
    """The id of a name: 'Zoë C. Müller' is zoe-c-muller."""
    letters = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", letters.lower()).strip("-")


class Popularity:
    """Who appears in a brief: a few actors often, most rarely (the chance of the n-th most
    popular is as 1 / (n + 2)); the order of popularity is drawn, whatever the kind."""

    def __init__(self, draw: Draw, actors: Sequence[Actor]) -> None:
        self.order = draw.shuffled(actors)
        self.running: list[int] = []
        total = 0
        for n in range(len(self.order)):
            total += 10**6 // (n + 2)
            self.running.append(total)

    def cast(self, draw: Draw, due: Sequence[Actor]) -> list[Actor]:
        """Three to eight actors, and those `due` (so that every actor appears somewhere)."""
        chosen = {a.id: a for a in due}
        wanted = len(chosen) + min(draw.between(3, 8), len(self.order) - len(chosen))
        for _ in range(20 * wanted):
            if len(chosen) >= wanted:
                break
            actor = self.order[draw.weighted(self.running)]
            chosen.setdefault(actor.id, actor)
        return list(chosen.values())


def registry_yaml(actors: Sequence[Actor]) -> str:
    lines = ["# The actors of the benchmark corpus, made up by benchmarks/corpus.py.", "actors:"]
    for a in actors:
        lines += [f"  - id: {a.id}", f"    name: {q(a.name)}", f"    kind: {KIND[a.kind]}"]
        lines += [f"    role: {q(a.role)}"] if a.role else []
        lines += [f"    part_of: {a.part_of}"] if a.part_of else []
        lines += [f"    aliases: [{q(a.alias)}]"] if a.alias else []
    return "\n".join(lines) + "\n"
