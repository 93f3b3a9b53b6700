"""The cross-references of a checked site, computed once, before rendering.

`build_index` is a pure function of the checked site: claim threads (every
response from every brief), actor timelines in date order, who appears with
whom, and the first mention of each actor in each article. Templates only
read from it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from .anchor import claim_key
from .mentions import Mention
from .model import Actor, Brief, Claim, Response, Site, Stance
from .pipeline import Article, CheckedSite, labels

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
    def sort_key(self) -> tuple[dt.date, str, int, tuple[str | int, ...]]:
        key = self.target.removeprefix("note-")  # quoted or not, annotations keep their order
        return (self.date, self.brief.slug, EVENT_ORDER[self.kind], natural(key))


def natural(key: str) -> tuple[str | int, ...]:
    """A sort key that puts 'response-9' before 'response-10'."""
    parts = re.split(r"([0-9]+)", key)  # text, number, text, number... text
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts))


@dataclass(frozen=True, slots=True)
class ThreadEntry:
    response: Response
    brief: Brief
    target: str


@dataclass(frozen=True, slots=True)
class Thread:
    claim: Claim
    brief: Brief
    target: str
    responses: tuple[ThreadEntry, ...]
    tally: tuple[tuple[Stance, int], ...]


@dataclass(frozen=True, slots=True)
class ActorView:
    actor: Actor
    chain: tuple[Actor, ...]  # part_of ancestors, nearest first
    members: tuple[Actor, ...]  # actors that are part of this one
    timeline: tuple[Event, ...]
    stances: tuple[ThreadEntry, ...]  # the actor's responses, by claim
    companions: tuple[tuple[Actor, int], ...]
    briefs: tuple[Brief, ...]


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

    def actor(self, actor_id: str) -> Actor:
        return self.site.actor_by_id[actor_id]

    def brief(self, slug: str) -> BriefView:
        return next(b for b in self.briefs if b.brief.slug == slug)


def build_index(checked: CheckedSite) -> SiteIndex:
    site = checked.site
    views = [_brief_view(b, checked.articles[b.slug], site) for b in site.briefs]
    targets = {v.brief.slug: {a.key: a.target for a in v.annotations} for v in views}
    threads = _threads(site, targets)
    actors = _actor_views(site, views)
    views.sort(key=lambda v: (v.brief.date, v.brief.slug), reverse=True)
    ordered_threads = dict(sorted(threads.items(),
                                  key=lambda kv: (kv[1].claim.date, kv[0]), reverse=True))
    return SiteIndex(site, tuple(views), actors, ordered_threads)


def _brief_view(brief: Brief, article: Article, site: Site) -> BriefView:
    anchored = {a.key for a in article.anchors}

    def target(key: str) -> str:
        return key if key in anchored else f"note-{key}"

    label = labels(brief)
    annotations = [Annotated(claim_key(c.id), label[claim_key(c.id)], target(claim_key(c.id)), c)
                   for c in brief.claims]
    annotations += [Annotated(r.key, label[r.key], target(r.key), site.claim_by_id[r.claim.id], r)
                    for r in brief.responses if r.claim.id in site.claim_by_id]
    involved = _involved(brief)
    return BriefView(brief, article, tuple(annotations),
                     tuple(site.actor_by_id[a] for a in involved if a in site.actor_by_id))


def _involved(brief: Brief) -> list[str]:
    ids = [ref.id for c in brief.claims for ref in (*c.by, *c.about)]
    ids += [r.by.id for r in brief.responses]
    return list(dict.fromkeys(ids))


def _threads(site: Site, targets: Mapping[str, Mapping[str, str]]) -> dict[str, Thread]:
    briefs = {b.slug: b for b in site.briefs}
    answers: dict[str, list[ThreadEntry]] = defaultdict(list)
    for brief in site.briefs:
        for response in brief.responses:
            answers[response.claim.id].append(
                ThreadEntry(response, brief, targets[brief.slug][response.key]))
    threads = {}
    for claim in site.claim_by_id.values():
        entries = sorted(answers.get(claim.id, ()),
                         key=lambda e: (e.response.date, e.brief.slug, natural(e.response.key)))
        tally = Counter(e.response.stance for e in entries)
        ordered = tuple((s, tally[s.name]) for s in site.config.stances if tally[s.name])
        threads[claim.id] = Thread(claim, briefs[claim.brief],
                                   targets[claim.brief][claim_key(claim.id)], tuple(entries),
                                   ordered)
    return threads


def _actor_views(site: Site, views: list[BriefView]) -> dict[str, ActorView]:
    events: dict[str, list[Event]] = defaultdict(list)
    stances: dict[str, list[ThreadEntry]] = defaultdict(list)
    together: dict[str, Counter[str]] = defaultdict(Counter)
    for view in views:
        present = _collect_events(view, events, stances)
        named = view.named
        first = {m.actor: m for m in view.mentions}
        for actor_id in sorted(named - present):
            target = f"mention-{actor_id}" if actor_id in first else "article"
            events[actor_id].append(Event(view.brief.date, "mention", view.brief, target))
        everyone = present | named
        for actor_id in everyone:
            together[actor_id].update(everyone - {actor_id})
    members: dict[str, list[Actor]] = defaultdict(list)
    for actor in site.actors:
        if actor.part_of:
            members[actor.part_of.id].append(actor)
    return {a.id: _actor_view(a, site, events[a.id], stances[a.id], together[a.id],
                              members[a.id]) for a in site.actors}


def _collect_events(view: BriefView, events: dict[str, list[Event]],
                    stances: dict[str, list[ThreadEntry]]) -> set[str]:
    """Add the brief's annotations to the actors' timelines; the ids of those involved."""
    brief, present = view.brief, set()
    for item in view.annotations:
        if item.response is None:
            claim = item.claim
            for ref in claim.by:
                events[ref.id].append(Event(claim.date, "claim", brief, item.target, claim))
            for ref in claim.about:
                events[ref.id].append(Event(claim.date, "subject", brief, item.target, claim))
            present.update(r.id for r in (*claim.by, *claim.about))
        else:
            response = item.response
            events[response.by.id].append(Event(response.date, "response", brief, item.target,
                                                item.claim, response))
            stances[response.by.id].append(ThreadEntry(response, brief, item.target))
            present.add(response.by.id)
    return present


def _actor_view(actor: Actor, site: Site, events: list[Event], stances: list[ThreadEntry],
                together: Counter[str], members: list[Actor]) -> ActorView:
    timeline = tuple(sorted(events, key=lambda e: e.sort_key))
    companions = sorted(together.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    return ActorView(
        actor=actor,
        chain=_chain(actor, site),
        members=tuple(sorted(members, key=lambda a: a.name)),
        timeline=timeline,
        stances=tuple(sorted(stances, key=lambda e: (e.response.claim.id, e.response.date))),
        companions=tuple((site.actor_by_id[i], n) for i, n in companions),
        briefs=tuple({e.brief.slug: e.brief for e in timeline}.values()),
    )


def _chain(actor: Actor, site: Site) -> tuple[Actor, ...]:
    chain: list[Actor] = []
    current = actor
    while current.part_of and current.part_of.id in site.actor_by_id:
        current = site.actor_by_id[current.part_of.id]
        if current in chain or current is actor:
            break
        chain.append(current)
    return tuple(chain)
