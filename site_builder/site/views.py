"""What the templates read: the views of a site's briefs, actors and claims.

A `SiteIndex` holds them all: each brief's view (`BriefView`: its annotations, numbered,
and the actors it involves), each actor's (`ActorView`: its timeline of `Event`s, its
stances, who appears with it), each claim's thread of responses from every brief
(`Thread`). `Links` and `Part` are what `index.update_index` keeps to redo only what a
change touches. Every record is frozen: a page renders from them and changes none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..source.model import Actor, Brief, Claim, Response, Site, Stance
from ..text.articles import Article
from ..text.mentions import Mention

EVENT_ORDER = {"claim": 0, "subject": 1, "response": 2, "mention": 3}


@dataclass(frozen=True, slots=True)
class Annotated:
    """A claim or response as shown in its brief: its number and the element to link to."""

    key: str  # 'claim-<id>' or 'response-<n>'
    label: str  # 'C1', 'R2'...
    target: str  # the mark's id when the quote is anchored, else the side note's id
    claim: Claim
    response: Response | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of an actor's timeline."""

    date: dt.date
    kind: str  # 'claim' (made it), 'subject' (a claim about it), 'response', 'mention'
    brief: Brief
    target: str  # element id in the brief's page
    claim: Claim | None = None
    response: Response | None = None

    @property
    def entry_id(self) -> str:
        """The entry's id on its timeline page, from its brief and its annotation alone, so
        that no other brief changes it: `<slug>--claim-<id>`, `<slug>--about-<id>` (a claim
        about the actor), `<slug>--response-<n>`, `<slug>--mention`."""
        return entry_id(self.brief.slug, self.kind, self.target, self.claim)

    @property
    def sort_key(self) -> tuple[dt.date, str, int, tuple[str | int, ...]]:
        key = self.target.removeprefix("note-")  # quoted or not, annotations keep their order
        return (self.date, self.brief.slug, EVENT_ORDER[self.kind], natural(key))


def entry_id(slug: str, kind: str, target: str, claim: Claim | None = None) -> str:
    """A timeline entry's id (see `Event.entry_id`); a response has the same one in the
    actor's timeline and in the claim's thread."""
    if kind == "mention":
        return f"{slug}--mention"
    if kind == "subject" and claim is not None:
        return f"{slug}--about-{claim.id}"
    return f"{slug}--{target.removeprefix('note-')}"


@lru_cache(maxsize=1 << 16)
def natural(key: str) -> tuple[str | int, ...]:
    """A sort key that puts 'response-9' before 'response-10'."""
    parts = re.split(r"([0-9]+)", key)  # text, number, text, number... text
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts))


@dataclass(frozen=True, slots=True)
class ThreadEntry:
    response: Response
    brief: Brief
    target: str

    @property
    def entry_id(self) -> str:
        """The entry's id in the claim's thread, and in the responder's timeline."""
        return entry_id(self.brief.slug, "response", self.target)


@dataclass(frozen=True, slots=True)
class Thread:
    claim: Claim
    brief: Brief
    target: str
    responses: tuple[ThreadEntry, ...]
    tally: tuple[tuple[Stance, int], ...]
    # (brief, response key) of the responses for the claim that their actor later took back
    # (a stance that `reverses`): counted as withdrawn, not as for
    withdrawn: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True, slots=True)
class ActorView:
    actor: Actor
    chain: tuple[Actor, ...]  # part_of ancestors, nearest first
    members: tuple[Actor, ...]  # actors that are part of this one
    timeline: tuple[Event, ...]
    stances: tuple[ThreadEntry, ...]  # the actor's responses, by claim
    companions: tuple[tuple[Actor, int], ...]
    briefs: tuple[Brief, ...]
    places: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def place(self, entry: str) -> int | None:
        """Where the entry of id `entry` is in the timeline (from 0), or None."""
        return self.places.get(entry)


@dataclass(frozen=True, slots=True)
class BriefView:
    brief: Brief
    article: Article
    annotations: tuple[Annotated, ...]
    actors: tuple[Actor, ...]  # involved in the annotations, in order of appearance

    @property
    def mentions(self) -> tuple[Mention, ...]:
        """Each actor's first linkable mention in the article."""
        return self.article.mentions

    @property
    def named(self) -> frozenset[str]:
        """Ids of every actor named anywhere in the article."""
        return self.article.named


@dataclass(frozen=True, slots=True)
class SiteIndex:
    site: Site
    briefs: tuple[BriefView, ...]  # newest first
    actors: Mapping[str, ActorView]
    threads: Mapping[str, Thread]  # newest first
    links: Links = field(default_factory=lambda: Links({}, {}, {}, {}), compare=False,
                         repr=False)

    def actor(self, actor_id: str) -> Actor:
        return self.site.actor_by_id[actor_id]

    def brief(self, slug: str) -> BriefView:
        return self.links.views[slug]

    def neighbours(self, slug: str) -> tuple[BriefView | None, BriefView | None]:
        """The briefs just before and just after this one in date order (older, newer)."""
        at = self.links.order.get(slug)
        if at is None:
            return None, None
        older = self.briefs[at + 1] if at + 1 < len(self.briefs) else None
        return older, self.briefs[at - 1] if at > 0 else None


@dataclass(frozen=True, slots=True)
class Links:
    """What an update needs to find what a change touches: each brief's view and its part
    of every actor's timeline, who answers each claim, and each brief's place in date order
    (to find the briefs before and after it)."""

    views: dict[str, BriefView]
    parts: dict[str, dict[str, Part]]  # slug -> actor id -> that brief's part of its view
    responders: dict[str, frozenset[str]]  # claim id -> slugs of the briefs answering it
    involving: dict[str, frozenset[str]]  # actor id -> slugs of the briefs with a part of it
    order: dict[str, int] = field(default_factory=dict)  # slug -> place in `briefs`


@dataclass(frozen=True, slots=True)
class Part:
    """One brief's part of one actor's view: its timeline entries, its stances, and who else
    the brief involves or names."""

    events: tuple[tuple[tuple[Any, ...], Event], ...]  # each with its sort key
    stances: tuple[ThreadEntry, ...]
    together: frozenset[str]  # everyone the brief involves or names, this actor too
