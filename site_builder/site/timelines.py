"""Timeline entries as addresses: which page of an actor's timeline holds an entry, the links
a brief's page makes to its entries, and what the embeds and the TimelineJS data show.

Every entry has an id made from its brief and its annotation (`Event.entry_id`), which no
other brief changes; its address is the page of the actor's timeline it is on, and the id
as the fragment. A brief's page links each of its claims and responses to its entry there,
so the page depends on the page number of each (`entry_dep`): when entries move to another
page (a brief dated earlier is added), `moved_entries` finds the briefs whose links must be
written again. The old address of a moved entry still leads to it: the timeline's pages
look the id up in the actor's `timeline.json` (docs/embeds.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..source.model import Actor
from . import urls
from .views import ActorView, Annotated, BriefView, Event, SiteIndex, Thread, entry_id

TIMELINE_PAGE = 100  # entries per page of an actor's timeline
EMBED_ENTRIES = 20  # the latest entries an embed shows
LINKED_KINDS = ("claim", "response")  # the entries a brief's page links to

Key = tuple[str, str]


def page_of(place: int) -> int:
    """The page of a timeline (from 1) that shows the entry at `place` (from 0)."""
    return place // TIMELINE_PAGE + 1


def entry_page(view: ActorView | None, entry: str) -> int | None:
    """The page of the actor's timeline that shows the entry `entry`, or None."""
    place = view.place(entry) if view is not None else None
    return None if place is None else page_of(place)


def entry_dep(actor_id: str, entry: str, page: int) -> Key:
    """What a page linking to an entry depends on: the page the entry is on."""
    return ("entry", f"{actor_id}:{entry}:{page}")


def linked_entries(view: BriefView) -> Iterator[tuple[str, str]]:
    """(actor id, entry id) of each timeline entry a brief's page links to: each claim's
    entry in its claimants' timelines, each response's in its responder's."""
    slug = view.brief.slug
    for item in view.annotations:
        if item.response is None:
            entry = entry_id(slug, "claim", item.target)
            yield from ((ref.id, entry) for ref in item.claim.by)
        else:
            yield item.response.by.id, entry_id(slug, "response", item.target)


def brief_entry_deps(view: BriefView, index: SiteIndex) -> set[Key]:
    """The pages of the timelines that the brief's entries are on."""
    deps = set()
    for actor_id, entry in linked_entries(view):
        page = entry_page(index.actors.get(actor_id), entry)
        if page is not None:
            deps.add(entry_dep(actor_id, entry, page))
    return deps


def moved_entries(index: SiteIndex, actors: Collection[str],
                  showing: Mapping[Key, Collection[str]]) -> set[tuple[str, ...]]:
    """The briefs whose page links an entry of these actors' timelines now on a page that
    no page of the last build links to (`showing`: the pages showing each dep): its entry
    moved."""
    moved: set[tuple[str, ...]] = set()
    for actor_id in actors:
        view = index.actors.get(actor_id)
        for place, event in enumerate(view.timeline if view is not None else ()):
            if event.kind in LINKED_KINDS and \
                    not showing.get(entry_dep(actor_id, event.entry_id, page_of(place))):
                moved.add(("brief", event.brief.slug))
    return moved


@dataclass(frozen=True, slots=True)
class EntryLinks:
    """From one page, the addresses of timeline entries: in an actor's timeline, on the page
    the entry is on; in a claim's thread."""

    index: SiteIndex
    url: urls.Linker

    def actor(self, actor_id: str, entry: str) -> str | None:
        page = entry_page(self.index.actors.get(actor_id), entry)
        return None if page is None else self.url.entry(actor_id, page, entry)

    def timelines(self, view: BriefView, item: Annotated) -> list[tuple[Actor, str]]:
        """Each actor whose timeline has an entry of this claim or response, and its
        address: the claimants of a claim, the responder of a response."""
        slug, actors = view.brief.slug, self.index.site.actor_by_id
        if item.response is None:
            refs, entry = item.claim.by, entry_id(slug, "claim", item.target)
        else:
            refs, entry = (item.response.by,), entry_id(slug, "response", item.target)
        found = []
        for ref in refs:
            href = self.actor(ref.id, entry)
            if href is not None and ref.id in actors:
                found.append((actors[ref.id], href))
        return found

    def thread(self, view: BriefView, item: Annotated) -> str:
        """A response's entry in its claim's thread."""
        return self.url.claim(item.claim.id, entry_id(view.brief.slug, "response", item.target))

    def event(self, view: ActorView, event: Event) -> str:
        place = view.place(event.entry_id) or 0
        return self.url.entry(view.actor.id, page_of(place), event.entry_id)


def latest_events(view: ActorView) -> Sequence[Event]:
    """The entries an actor's embed shows: the latest, newest first."""
    return view.timeline[::-1][:EMBED_ENTRIES]


def embed_deps(view: ActorView) -> frozenset[Key]:
    """An actor's embed shows its latest entries (their briefs and claims) and the page each
    is on, and the actor's name."""
    shown = latest_events(view)
    places = hashlib.blake2b(digest_size=12)
    for event in shown:
        places.update(f"{event.entry_id}@{page_of(view.place(event.entry_id) or 0)}\n"
                      .encode())
    deps = {("actor", view.actor.id), ("entries", f"{view.actor.id}:embed:{places.hexdigest()}")}
    deps.update(("brief", e.brief.slug) for e in shown)
    deps.update(("claim", e.claim.id) for e in shown if e.claim)
    return frozenset(deps)


def latest_responses(thread: Thread) -> Sequence[object]:
    """The responses a claim's embed shows: the latest, newest first."""
    return thread.responses[::-1][:EMBED_ENTRIES]
