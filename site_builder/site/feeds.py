"""The site's Atom feeds: which there are, what each lists, and the ids of what they list.

Four kinds, each planned as a page (`pages.Planner`) and written by the theme's
`feed.xml.j2`:

- the site's: its latest briefs, at `feed.xml`;
- one per actor: the claims it made, the claims about it and the responses it gave;
- one per claim: the claim and every response to it;
- one per tag: the briefs with that tag, at `tags/<tag_slug>/feed.xml`.

Each lists its newest `FEED_ENTRIES` entries, newest first. Nothing in a feed depends on
when it is built: an entry is dated by its brief (a claim's or response's own date, when
the editor gave one), a feed by its newest entry, so two builds of the same site write the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..source.model import Actor, Brief, Claim, Response
from . import urls
from .views import ActorView, BriefView, SiteIndex, Thread, natural

FEED_ENTRIES = 50  # the newest entries a feed lists
FEED_TEMPLATE = "feed.xml.j2"
NO_ENTRIES_DATE = dt.date(1970, 1, 1)  # the `updated` of a feed with no entry yet
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:site-builder:feed-ids")

@dataclass(frozen=True, slots=True)
class Feed:
    """A feed: its kind ('site', 'actor', 'claim' or 'tag'), where it is written, the page
    it follows (its `alternate`) and what it is of."""

    kind: str
    path: str
    page: str | None = None
    actor: Actor | None = None
    claim: Claim | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a feed: a brief, a claim or a response ('brief', 'claim', 'response'),
    its date and brief, and for a claim or response the element of the brief's page to link
    to (the quote's mark, or the note when the quote is not in the article)."""

    kind: str
    date: dt.date
    brief: Brief
    target: str = ""
    claim: Claim | None = None
    response: Response | None = None


SITE_FEED = Feed("site", urls.site_feed(), urls.home())


def actor_feed(actor: Actor) -> Feed:
    return Feed("actor", urls.actor_feed(actor.id), urls.actor(actor.id), actor=actor)


def claim_feed(claim: Claim) -> Feed:
    return Feed("claim", urls.claim_feed(claim.id), urls.claim(claim.id), claim=claim)


def page_feeds() -> tuple[Feed, ...]:
    """The feeds a page links in its head: the site's (an actor's or claim's page puts its own
    first). A brief's page shows its tags' feeds in its list of tags, not in its head: a
    `<link>` each would weigh on every brief page for what few readers look for there."""
    return (SITE_FEED,)


def brief_entries(views: Iterable[BriefView]) -> tuple[Entry, ...]:
    """Briefs (the newest `FEED_ENTRIES`, newest first) as entries."""
    return tuple(Entry("brief", view.brief.date, view.brief) for view in views)


def actor_entries(view: ActorView) -> tuple[Entry, ...]:
    """An actor's timeline, newest first, without mere mentions: each claim it made or that
    is about it (once, when it is both), each response it gave."""
    entries: list[Entry] = []
    seen: set[tuple[str, str]] = set()
    for event in reversed(view.timeline):
        if event.kind == "mention" or event.claim is None:
            continue
        key = (event.brief.slug, event.target)
        if key in seen:
            continue
        seen.add(key)
        kind = "response" if event.kind == "response" else "claim"
        entries.append(Entry(kind, event.date, event.brief, event.target, event.claim,
                             event.response))
        if len(entries) == FEED_ENTRIES:
            break
    return tuple(entries)


def claim_entries(thread: Thread) -> tuple[Entry, ...]:
    """A claim and the responses to it, newest first (on one day, the claim last)."""
    claim = Entry("claim", thread.claim.date, thread.brief, thread.target, thread.claim)
    answers = [Entry("response", e.response.date, e.brief, e.target, thread.claim, e.response)
               for e in thread.responses]
    ordered = sorted([claim, *answers], key=_chronological, reverse=True)
    return tuple(ordered[:FEED_ENTRIES])


def _chronological(entry: Entry) -> tuple[dt.date, int, str, tuple[str | int, ...]]:
    key = entry.response.key if entry.response else ""
    return (entry.date, entry.kind == "response", entry.brief.slug, natural(key))


TagGroup = tuple[tuple[str, ...], list[str]]  # a tag feed's tags, its briefs newest first


class TagGroups:
    """Each tag feed's path, with its tags and its briefs (by slug, newest first), kept by a
    builder from one build to the next: a change regroups only the briefs it touched, and
    sorts again only the feeds they are or were in. A path is one tag's; were two tags given
    one folder by `urls.tag_slug` (equal digests), their feed would list the briefs of both,
    each brief once."""

    def __init__(self) -> None:
        self.groups: dict[str, TagGroup] = {}  # by the feed's path, in the paths' order
        self._tagged: dict[str, tuple[tuple[str, str], ...]] = {}  # slug -> (tag, feed path)
        self._members: dict[str, set[str]] = {}  # feed path -> slugs
        self.touched: set[str] = set()  # the feeds the last update regrouped or dropped

    def update(self, index: SiteIndex, slugs: Iterable[str] | None) -> dict[str, TagGroup]:
        """The groups after the briefs `slugs` changed (added, edited or deleted); None:
        every brief, grouped anew. `touched` says then which groups changed or went."""
        views = index.links.views
        if slugs is None:
            self.groups, self._tagged, self._members = {}, {}, {}
            slugs = views.keys()
        touched: set[str] = set()
        for slug in slugs:
            for _, path in self._tagged.pop(slug, ()):
                self._members[path].discard(slug)
                touched.add(path)
            view = views.get(slug)
            tagged = tuple((tag, urls.tag_feed(tag)) for tag in view.brief.tags) if view else ()
            for _, path in tagged:
                self._members.setdefault(path, set()).add(slug)
                touched.add(path)
            if tagged:
                self._tagged[slug] = tagged
        new, self.touched = False, touched
        for path in touched:
            members = self._members.get(path)
            if members:
                new |= path not in self.groups
                self.groups[path] = self._group(path, members, views)
            else:  # no brief has the tag any more
                self.groups.pop(path, None)
                self._members.pop(path, None)
        if new:
            self.groups = dict(sorted(self.groups.items()))
        return self.groups

    def _group(self, path: str, members: set[str], views: Mapping[str, BriefView]) -> TagGroup:
        tags = {tag for slug in members for tag, found in self._tagged[slug] if found == path}
        newest = sorted(members, key=lambda s: (views[s].brief.date, s), reverse=True)
        return tuple(sorted(tags)), newest


def updated(entries: Sequence[Entry]) -> dt.date:
    """A feed's date: its newest entry's."""
    return max((e.date for e in entries), default=NO_ENTRIES_DATE)


@dataclass(frozen=True, slots=True)
class AtomIds:
    """The ids of a site's feeds and entries: Atom wants each an absolute address that never
    changes, and two builds must write the same.

    With a base URL, an id is the full address of what it names: a feed's own address, a
    brief's page, a claim's page, a response's note in its brief's page (`#response-3`).
    Without one (a site built to be looked at on this computer), there is no address to give:
    an id is then a `urn:uuid:` made from the site's title and that same place in the site,
    the same in every build, and other once the site has a base URL."""

    base_url: str | None
    title: str

    def of(self, path: str, fragment: str | None = None) -> str:
        place = urls.pretty(path) + (f"#{fragment}" if fragment else "")
        if self.base_url:
            return self.base_url + place
        name = f"{self.title}\n{place}"
        return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, name)}"

    def feed(self, feed: Feed) -> str:
        return self.of(feed.path)

    def entry(self, entry: Entry) -> str:
        """A brief's entry is its page; a claim's, the claim's page; a response's, its note."""
        if entry.kind == "brief":
            return self.of(urls.brief(entry.brief.slug))
        if entry.kind == "claim" and entry.claim is not None:
            return self.of(urls.claim(entry.claim.id))
        key = entry.response.key if entry.response is not None else entry.target
        return self.of(urls.brief(entry.brief.slug), key)


@dataclass(frozen=True, slots=True, eq=False)
class FeedContext:
    """What a feed's template receives, made when the feed is rendered: its entries are
    `entries(source)`. (A large site has tens of thousands of feeds: until then, each is this
    one small record.) Links are full addresses under the base URL; without one, relative to
    the feed, and the ids say there is no address (`AtomIds`)."""

    index: SiteIndex
    feed: Feed
    entries: Callable[[Any], tuple[Entry, ...]]
    source: Any

    def __call__(self) -> dict[str, Any]:
        config, path = self.index.site.config, self.feed.path
        url = urls.RootLinker(path, config.base_url) if config.base_url else urls.Linker(path)
        listed = self.entries(self.source)
        return {"site": config, "index": self.index, "url": url, "page_path": path,
                "stance": config.stance, "feed": self.feed, "entries": listed,
                "updated": updated(listed), "atom": AtomIds(config.base_url, config.title)}
