"""The cross-references of a checked site, computed once, before rendering.

`build_index` is a pure function of the checked site: claim threads (every
response from every brief), actor timelines in date order, who appears with
whom, and the first mention of each actor in each article: the records of
`views`, which templates only read. `update_index` gives the same index from the previous one,
recomputing only what the changed briefs touch: their views, the threads of
the claims they make or answer, the views of the actors they involve.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import TypeVar

from ..source.model import Actor, Brief, Claim, Site, SiteConfig
from ..text.anchor import claim_key
from ..text.articles import Article, CheckedSite, labels
from .views import (
    ActorView,
    Annotated,
    BriefView,
    Event,
    Links,
    Part,
    SiteIndex,
    Thread,
    ThreadEntry,
    natural,
)

T = TypeVar("T")
@dataclass(frozen=True, slots=True)
class Update:
    """What an index update recomputed: the keys of pages that may show something new."""

    briefs: frozenset[str]
    actors: frozenset[str]
    claims: frozenset[str]
    places: frozenset[str] = frozenset()  # briefs now beside a changed one in date order

    def keys(self) -> frozenset[tuple[str, str]]:
        """What pages show that changed: the units recomputed, and ('order', slug) for the
        briefs whose previous or next brief may be another now."""
        return frozenset({*self.units(), *(("order", s) for s in self.places)})

    def units(self) -> set[tuple[str, str]]:
        """The pages recomputed, by what they show: ('brief', slug), ('actor', id)..."""
        return {*(("brief", s) for s in self.briefs), *(("actor", a) for a in self.actors),
                *(("claim", c) for c in self.claims)}


def touches(view: BriefView, index: SiteIndex) -> frozenset[tuple[str, str]]:
    """What a change of this brief can alter: itself, the claims it makes or answers, the
    actors it involves or names, and the place of the briefs beside it in date order (whose
    previous or next brief it is)."""
    brief = view.brief
    keys = {("brief", brief.slug), *(("claim", c.id) for c in brief.claims)}
    keys.update(("claim", r.claim.id) for r in brief.responses)
    keys.update(("actor", a) for a in index.links.parts.get(brief.slug, ()))
    keys.update(("order", v.brief.slug) for v in index.neighbours(brief.slug) if v)
    return frozenset(keys)


def build_index(checked: CheckedSite) -> SiteIndex:
    return update_index(None, checked, set(checked.articles))[0]


def update_index(previous: SiteIndex | None, checked: CheckedSite,
                 changed: set[str]) -> tuple[SiteIndex, Update]:
    """The index of `checked`, recomputing from `previous` only what the briefs in `changed`
    (added, edited or deleted) touch. With no previous index, everything is computed."""
    site = checked.site
    old = previous.links if previous is not None else Links({}, {}, {}, {})
    briefs = {b.slug: b for b in site.briefs}
    slugs = set(briefs) if previous is None else {*changed, *(old.views.keys() ^ briefs.keys())}
    slugs |= _answering_changed_claims(old, slugs, site)
    views = {s: v for s, v in old.views.items() if s in briefs and s not in slugs}
    views.update((s, _brief_view(briefs[s], checked.articles[s], site))
                 for s in slugs if s in briefs)
    parts = {s: p for s, p in old.parts.items() if s in views and s not in slugs}
    parts.update((s, _parts(views[s])) for s in slugs if s in views)
    responders = _regroup(old.responders, slugs, old.views, views, _answered)
    involving = _regroup(old.involving, slugs, old.parts, parts, lambda p: p)
    claims = _touched_claims(slugs, old.views, views, site, previous)
    actors = _touched_actors(slugs, old.parts, parts, site, previous)
    threads = _updated_threads(previous, claims, views, responders, site)
    actor_views = _updated_actors(previous, actors, views, parts, involving, site)
    ordered, order = _newest_first(previous, views, slugs)
    index = SiteIndex(site, ordered, actor_views, threads,
                      Links(views, parts, responders, involving, order))
    places = {v.brief.slug for s in slugs for v in index.neighbours(s) if v} - slugs
    return index, Update(frozenset(slugs), frozenset(actors), frozenset(claims),
                         frozenset(places))


def _newest_first(previous: SiteIndex | None, views: dict[str, BriefView], slugs: set[str]
                  ) -> tuple[tuple[BriefView, ...], dict[str, int]]:
    """The views by date, newest first, and each one's place; sorted again only when that
    order may change."""
    if previous is not None and len(previous.briefs) == len(views) and all(
            s in views and s in previous.links.views
            and views[s].brief.date == previous.links.views[s].brief.date for s in slugs):
        return tuple(views[v.brief.slug] for v in previous.briefs), previous.links.order
    ordered = tuple(sorted(views.values(), key=lambda v: (v.brief.date, v.brief.slug),
                           reverse=True))
    return ordered, {v.brief.slug: at for at, v in enumerate(ordered)}


def _answered(view: BriefView) -> Iterable[str]:
    return (r.claim.id for r in view.brief.responses)


def _regroup(before: dict[str, frozenset[str]], slugs: set[str], old: Mapping[str, T],
             new: Mapping[str, T], keys: Callable[[T], Iterable[str]]
             ) -> dict[str, frozenset[str]]:
    """A map of key -> slugs updated for the briefs in `slugs`, from their old and new
    values; with nothing before, it is built from all of `new`."""
    found: dict[str, set[str]] = defaultdict(set)
    for slug in slugs:
        for key in keys(old[slug]) if slug in old else ():
            found.setdefault(key, set())  # its slugs are recomputed below
        for key in keys(new[slug]) if slug in new else ():
            found[key].add(slug)
    grouped = dict(before)
    for key, added in found.items():
        kept = {s for s in before.get(key, ()) if s not in slugs}
        if kept or added:
            grouped[key] = frozenset(kept | added)
        else:
            grouped.pop(key, None)
    return grouped


def _answering_changed_claims(old: Links, slugs: set[str], site: Site) -> set[str]:
    """Briefs answering a claim that an edit changed or removed: their views show its text."""
    found: set[str] = set()
    for slug in slugs:
        view = old.views.get(slug)
        for claim in view.brief.claims if view else ():
            if site.claim_by_id.get(claim.id) != claim:
                found |= old.responders.get(claim.id, set())
    return found - slugs


def _touched_claims(slugs: set[str], old_views: Mapping[str, BriefView],
                    views: Mapping[str, BriefView], site: Site,
                    previous: SiteIndex | None) -> set[str]:
    """Claims whose thread must be recomputed: those the changed briefs make or answer."""
    if previous is None:
        return set(site.claim_by_id)
    claims: set[str] = set()
    for slug in slugs:
        for view in (old_views.get(slug), views.get(slug)):
            if view is not None:
                claims.update(c.id for c in view.brief.claims)
                claims.update(r.claim.id for r in view.brief.responses)
    return claims


def _touched_actors(slugs: set[str], old_parts: Mapping[str, dict[str, Part]],
                    parts: Mapping[str, dict[str, Part]], site: Site,
                    previous: SiteIndex | None) -> set[str]:
    if previous is None:
        return {a.id for a in site.actors}
    actors: set[str] = set()
    for slug in slugs:
        actors.update(old_parts.get(slug, ()))
        actors.update(parts.get(slug, ()))
    return actors


def _updated_threads(previous: SiteIndex | None, claims: set[str],
                     views: Mapping[str, BriefView], responders: Mapping[str, frozenset[str]],
                     site: Site) -> dict[str, Thread]:
    """The threads, newest first; sorted again only when that order may change."""
    threads = dict(previous.threads) if previous is not None else {}
    reorder = previous is None
    for claim_id in claims:
        claim = site.claim_by_id.get(claim_id)
        before = threads.get(claim_id)
        if claim is None or claim.brief not in views:
            threads.pop(claim_id, None)
        else:
            threads[claim_id] = _thread(claim, views, responders.get(claim_id, ()), site)
            reorder |= before is None or before.claim.date != claim.date
    if not reorder:
        return threads
    return dict(sorted(threads.items(), key=lambda kv: (kv[1].claim.date, kv[0]), reverse=True))


def _thread(claim: Claim, views: Mapping[str, BriefView], answering: Iterable[str],
            site: Site) -> Thread:
    entries = []
    for slug in answering:
        view = views[slug]
        targets = {a.key: a.target for a in view.annotations}
        entries += [ThreadEntry(r, view.brief, targets[r.key]) for r in view.brief.responses
                    if r.claim.id == claim.id]
    entries.sort(key=lambda e: (e.response.date, e.brief.slug, natural(e.response.key)))
    tally = Counter(e.response.stance for e in entries)
    ordered = tuple((s, tally[s.name]) for s in site.config.stances if tally[s.name])
    home = views[claim.brief]
    target = next(a.target for a in home.annotations if a.key == claim_key(claim.id))
    return Thread(claim, home.brief, target, tuple(entries), ordered,
                  _withdrawn(entries, site.config))


def _withdrawn(entries: Sequence[ThreadEntry], config: SiteConfig) -> frozenset[tuple[str, str]]:
    """The responses for the claim (polarity +) that a later response of the same actor
    takes back (a stance that `reverses`, such as `retracts`), as (brief, key) pairs."""
    found: set[tuple[str, str]] = set()
    for i, entry in enumerate(entries):
        if config.stance(entry.response.stance).reverses:
            actor = entry.response.by.id
            found.update((e.brief.slug, e.response.key) for e in entries[:i]
                         if e.response.by.id == actor
                         and config.stance(e.response.stance).polarity == "+")
    return frozenset(found)


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


def _parts(view: BriefView) -> dict[str, Part]:
    events: dict[str, list[Event]] = defaultdict(list)
    stances: dict[str, list[ThreadEntry]] = defaultdict(list)
    present = _collect_events(view, events, stances)
    named = view.named
    first = {m.actor: m for m in view.mentions}
    for actor_id in sorted(named - present):
        target = f"mention-{actor_id}" if actor_id in first else "article"
        events[actor_id].append(Event(view.brief.date, "mention", view.brief, target))
    everyone = frozenset(present | named)  # one set shared by every part of this brief
    return {a: Part(tuple((e.sort_key, e) for e in events[a]), tuple(stances.get(a, ())),
                     everyone) for a in sorted(everyone)}


def _updated_actors(previous: SiteIndex | None, actors: set[str],
                    views: Mapping[str, BriefView], parts: Mapping[str, dict[str, Part]],
                    involving: Mapping[str, frozenset[str]],
                    site: Site) -> dict[str, ActorView]:
    members: dict[str, list[Actor]] = defaultdict(list)
    for actor in site.actors:
        if actor.part_of:
            members[actor.part_of.id].append(actor)
    old = previous.actors if previous is not None else {}
    found = {}
    for actor in site.actors:
        if actor.id not in actors and actor.id in old:
            found[actor.id] = old[actor.id]
            continue
        slugs = sorted(involving.get(actor.id, ()), key=lambda s: (views[s].brief.date, s))
        own = [parts[s][actor.id] for s in slugs]
        found[actor.id] = _actor_view(actor, site, own, members[actor.id])
    return found


def _collect_events(view: BriefView, events: dict[str, list[Event]],
                    stances: dict[str, list[ThreadEntry]]) -> set[str]:
    """Add the brief's annotations to the actors' timelines; the ids of those involved."""
    brief, present = view.brief, set[str]()
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


def _actor_view(actor: Actor, site: Site, parts: list[Part],
                members: list[Actor]) -> ActorView:
    keyed = sorted((pair for p in parts for pair in p.events), key=itemgetter(0))
    timeline = tuple(event for _, event in keyed)
    together: Counter[str] = Counter()
    for part in parts:
        together.update(part.together)
    together.pop(actor.id, None)
    companions = sorted(together.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    stances = [s for p in parts for s in p.stances]
    return ActorView(
        actor=actor,
        chain=_chain(actor, site),
        members=tuple(sorted(members, key=lambda a: a.name)),
        timeline=timeline,
        stances=tuple(sorted(stances, key=lambda e: (e.response.claim.id, e.response.date))),
        companions=tuple((site.actor_by_id[i], n) for i, n in companions
                         if i in site.actor_by_id),
        briefs=tuple({e.brief.slug: e.brief for e in timeline}.values()),
        places={event.entry_id: n for n, event in enumerate(timeline)},
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
