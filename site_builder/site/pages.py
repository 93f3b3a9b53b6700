"""The site's pages, planned: each page's path, template, context and what it depends on.

`Planner` turns an indexed site into `PageSpec`s, unit by unit (a brief's page and
its annotations, an actor's timeline pages, a claim's page, each list's pages, the home
page, the site's data files); rendering them is the theme's job. A page's `deps`
name the briefs, actors and claims it shows, so that an incremental build can tell
which pages a change touches and render only those again.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from markupsafe import Markup

from ..source.model import ACTOR_KINDS, Status
from . import feeds, timelines, urls
from .pagemeta import Describer
from .story import story
from .views import ActorView, BriefView, Event, SiteIndex, Thread

PER_PAGE = {"briefs": 50, "claims": 100, "actors": 200, "timeline": timelines.TIMELINE_PAGE,
            "tag": 50}
HOME_LISTS = 10
# Files written from Python by the theme, not from a template: a spec names its writer.
ANNOTATIONS = "annotations.jsonld"  # a brief's claims and responses, as Web Annotations
DATA_FILES = ("responses.csv", "responses.json", "claims.csv", "claims.json")
TIMELINE_DATA = "timeline.json"  # an actor's or a claim's timeline, as TimelineJS reads it


@dataclass(frozen=True, slots=True)
class Pager:
    """One page of a long list, and how to reach the others."""

    items: Sequence[Any]
    number: int
    count: int
    section: str
    href: Callable[[int], str]

    @property
    def pages(self) -> range:
        return range(1, self.count + 1)


Key = tuple[str, str]
Deps = frozenset[Key]
Keys = frozenset[Key]
Unit = tuple[str, ...]  # what a group of pages shows: ('brief', slug), ('list', 'claims')...
EVERYTHING: Deps = frozenset({("*", "*")})


@dataclass(frozen=True, slots=True)
class PageSpec:
    """A page to render: where, with which template and context, and what it shows.

    `deps` names the briefs, actors and claims whose change alters the page:
    ('brief', slug), ('actor', id), ('claim', id); ('*', '*') for lists that
    show everything.
    """

    path: str
    template: str  # the template; for a data file, its writer (ANNOTATIONS, DATA_FILES...)
    context: Callable[[], dict[str, Any]]
    deps: Deps
    unit: Unit = ()


class PageInfo(NamedTuple):
    """What a build remembers of a page it planned."""

    unit: Unit
    template: str
    deps: Deps


def plan_pages(index: SiteIndex, kept_tags: Mapping[str, feeds.TagGroup] | None = None
               ) -> list[PageSpec]:
    """Every page of the site, planned (`kept_tags`: as `Planner` takes them)."""
    planner = Planner(index, kept_tags)
    return [spec for unit in planner.units() for spec in planner.pages(unit)]


SHARED_UNITS: tuple[Unit, ...] = (("home",), ("list", "briefs"), ("list", "actors"),
                                  ("list", "claims"), ("404",), ("feeds", "site"),
                                  ("tags",), ("data",), ("search",))


class Planner:
    """The pages of an indexed site, by unit: a brief's page and annotations, an actor's
    timeline pages and feed, a claim's page and feed, each list's pages, the home page, the
    site's feed, each tag's pages and feed, the tags' index, the data files. An incremental
    build plans again only the units an update touched, and the shared ones. `kept_tags`:
    which briefs each tag lists, by slug, when a builder keeps them (`feeds.TagGroups`, which
    says which tags a change touched); else they are found here."""

    def __init__(self, index: SiteIndex,
                 kept_tags: Mapping[str, feeds.TagGroup] | None = None) -> None:
        self.index = index
        # which briefs each tag lists: as kept by the builder, else grouped here
        self.tag_groups = kept_tags if kept_tags is not None else \
            feeds.TagGroups().update(index, None)
        self.site = index.site
        self.unit: Unit = ()
        self.files = index.site.config.file_links  # links name index.html: `links: files`
        self.describe = Describer(index)

    def units(self) -> Iterator[Unit]:
        index = self.index
        yield ("home",)
        yield ("feeds", "site")
        yield ("tags",)
        yield from (("tag", path) for path in self.tag_groups)
        yield ("list", "briefs")
        yield from (("brief", view.brief.slug) for view in index.briefs)
        yield ("list", "actors")
        yield from (("actor", actor_id) for actor_id in index.actors)
        yield ("list", "claims")
        yield from (("claim", claim_id) for claim_id in index.threads)
        yield ("404",)
        yield ("data",)
        yield ("search",)

    def pages(self, unit: Unit) -> list[PageSpec]:
        """The pages of one unit; none when what it shows is gone."""
        self.unit = unit
        kind, *rest = unit
        if kind == "brief":
            view = self.index.links.views.get(rest[0])
            return [] if view is None else self._brief(view)
        if kind == "actor":
            actor_view = self.index.actors.get(rest[0])
            return [] if actor_view is None else list(self._actor(actor_view))
        if kind == "claim":
            thread = self.index.threads.get(rest[0])
            return [] if thread is None else list(self._claim(thread))
        if kind == "feeds":
            return list(self._site_feed())
        if kind == "tag":
            return list(self._tag(rest[0]))
        if kind == "list":
            return list(self._listing(rest[0]))
        if kind == "tags":
            return [self._tags_index()]
        if kind == "home":
            return [self.spec(urls.home(), "home.html", EVERYTHING, self._home)]
        if kind == "data":
            return [self.spec(urls.data(name), name, EVERYTHING) for name in DATA_FILES]
        if kind == "search":  # with `search: true`: its page (the index is the builder's)
            return [self._search_page()] if self.site.config.search else []
        return [self.spec("404.html", "404.html", EVERYTHING)]

    def spec(self, path: str, template: str, deps: Deps,
             context: Callable[[], dict[str, Any]] = dict) -> PageSpec:
        """A page; its `context` gives the `page_meta` of pages that describe themselves (the
        site's description by default)."""
        return PageSpec(path, template, lambda: self._context(path, context()), deps,
                        self.unit)

    def _context(self, path: str, own: dict[str, Any]) -> dict[str, Any]:
        found = {**self.common(path), **own}
        if "page_meta" not in found:
            found["page_meta"] = self.describe.page()
        return found

    def common(self, path: str) -> dict[str, Any]:
        config = self.site.config
        linker = urls.RootLinker(path, _base_path(config.base_url)) \
            if path == "404.html" else urls.Linker(path, files=self.files)
        canonical = (config.base_url + urls.pretty(path)
                     if config.base_url and path != "404.html" else None)
        return {"site": config, "index": self.index, "url": linker, "page_path": path,
                "canonical": canonical, "stance": config.stance, "feeds": feeds.page_feeds()}

    def _home(self) -> dict[str, Any]:
        index = self.index
        active = sorted(index.actors.values(), key=lambda v: (-len(v.timeline), v.actor.name))
        threads = list(index.threads.values())
        return {
            "page_meta": self.describe.home(),
            "latest": index.briefs[:HOME_LISTS],
            "active": [v for v in active if v.timeline][:HOME_LISTS],
            "disputed": [t for t in threads if t.claim.status is Status.DISPUTED][:HOME_LISTS],
            "unverified": [t for t in threads
                           if t.claim.status is Status.UNVERIFIED][:HOME_LISTS],
        }

    def _search_page(self) -> PageSpec:
        """The search page: it shows the parts of the index it searches, from its folder
        (`search/`), and nothing of a brief; its deps say which parts, so that it is rendered
        again when the briefs fill another part or one fewer."""
        bundles = ["../" + b for b in urls.search_bundles(len(self.index.briefs))]
        return self.spec(urls.search(), "search.html", frozenset({("search", " ".join(bundles))}),
                         functools.partial(dict, bundles=bundles))

    def _listing(self, section: str) -> Iterator[PageSpec]:
        items, template, key = self._list_items(section)
        per_page = PER_PAGE[section]
        count = max(1, math.ceil(len(items) / per_page))
        for number in range(1, count + 1):
            path = urls.listing(section, number)
            shown = items[(number - 1) * per_page:number * per_page]
            pager = Pager(shown, number, count, section,
                          _listing_href(urls.Linker(path, files=self.files), section))
            deps = frozenset({("list", f"{section}:{len(items)}"), *map(key, shown)})
            yield self.spec(path, template, deps, functools.partial(dict, pager=pager))

    def _list_items(self, section: str) -> tuple[Sequence[Any], str, Callable[[Any], Key]]:
        index = self.index
        if section == "briefs":
            return index.briefs, "briefs.html", lambda v: ("brief", v.brief.slug)
        if section == "claims":
            return list(index.threads.values()), "claims.html", lambda t: ("claim", t.claim.id)
        actors = sorted(index.actors.values(),
                        key=lambda v: (ACTOR_KINDS.index(v.actor.kind), v.actor.name.lower()))
        return actors, "actors.html", lambda v: ("actor", v.actor.id)

    def _brief(self, view: BriefView) -> list[PageSpec]:
        """The brief's page, and its claims and responses as Web Annotations (what the page
        shows of them: the same deps)."""
        slug, deps = view.brief.slug, brief_deps(view)
        path = urls.brief(slug)
        # The page links each claim and response to its entry on a page of a timeline.
        entries = self._entry_links(path)
        page_deps = deps | place_deps(view, self.index) | timelines.brief_entry_deps(view,
                                                                                   self.index)
        return [self.spec(path, "brief.html", page_deps,
                          lambda: {"view": view, "article_html": Markup(view.article.html),
                                   "story": story(view, self.index),
                                   "page_meta": self.describe.brief(view),
                                   "entries": entries}),
                self.spec(urls.brief_annotations(slug), ANNOTATIONS, deps,
                          lambda: {"view": view})]

    def _entry_links(self, path: str) -> timelines.EntryLinks:
        return timelines.EntryLinks(self.index, urls.Linker(path, files=self.files))

    def _claim(self, thread: Thread) -> Iterator[PageSpec]:
        feed, deps = feeds.claim_feed(thread.claim), thread_deps(thread)
        yield self.spec(urls.claim(thread.claim.id), "claim.html", deps,
                        lambda: {"thread": thread, "feeds": (feed, feeds.SITE_FEED),
                                 "page_meta": self.describe.claim(thread),
                                 "embed": self._embed_address(urls.claim_embed(thread.claim.id))})
        # The feed, the embed and the data show what the page shows: a change of any brief
        # making or answering the claim touches them.
        yield self._feed(feed, feeds.claim_entries, thread, deps)
        claim_id = thread.claim.id
        yield self.spec(urls.claim_embed(claim_id), "claim-embed.html", deps,
                        lambda: {"thread": thread,
                                 "entries": timelines.latest_responses(thread)})
        yield self.spec(urls.claim_timeline(claim_id), TIMELINE_DATA, deps,
                        lambda: {"thread": thread})

    def _actor(self, view: ActorView) -> Iterator[PageSpec]:
        per_page = PER_PAGE["timeline"]
        count = max(1, math.ceil(len(view.timeline) / per_page))
        actor_id = view.actor.id
        feed = feeds.actor_feed(view.actor)
        first: Deps = frozenset()
        every: set[Key] = set()
        for number in range(1, count + 1):
            path = urls.actor_page(actor_id, number)
            events = view.timeline[(number - 1) * per_page:number * per_page]
            pager = Pager(events, number, count, "timeline",
                          _timeline_href(urls.Linker(path, files=self.files), actor_id))
            deps = actor_deps(view, events, number)
            first = first or deps
            every |= deps
            yield self.spec(path, "actor.html", deps,
                            functools.partial(self._actor_context, view, pager, feed))
        # The feed's entries come from briefs involving the actor (whose change touches it),
        # with the claims it answered: the first page depends on both.
        yield self._feed(feed, feeds.actor_entries, view, first)
        # The embed shows the latest entries; the data, every entry of every page.
        embed = urls.actor_embed(actor_id)
        yield self.spec(embed, "actor-embed.html", timelines.embed_deps(view),
                        lambda: {"view": view, "entries": self._entry_links(embed),
                                 "events": timelines.latest_events(view)})
        data = urls.actor_timeline(actor_id)
        yield self.spec(data, TIMELINE_DATA, frozenset(every),
                        lambda: {"view": view, "entries": self._entry_links(data)})

    def _actor_context(self, view: ActorView, pager: Pager, feed: feeds.Feed) -> dict[str, Any]:
        return {"view": view, "pager": pager, "feeds": (feed, feeds.SITE_FEED),
                "page_meta": self.describe.actor(view), "per_page": PER_PAGE["timeline"],
                "embed": self._embed_address(urls.actor_embed(view.actor.id))}

    def _embed_address(self, path: str) -> str:
        """The address of an embed for another site's `<iframe>`: in full with the site's
        `base_url`, else from the site's root (to complete with the site's address)."""
        return (self.site.config.base_url or "/") + urls.pretty(path)

    def _site_feed(self) -> Iterator[PageSpec]:
        views = self.index.briefs[:feeds.FEED_ENTRIES]
        yield self._feed(feeds.SITE_FEED, feeds.brief_entries, views, _briefs_shown(views))

    def _tag(self, path: str) -> Iterator[PageSpec]:
        """A tag's feed and its briefs in pages, newest first; nothing when no brief has it."""
        group = self.tag_groups.get(path)
        if group is None:
            return
        tags, views = group[0], [self.index.links.views[slug] for slug in group[1]]
        shown = views[:feeds.FEED_ENTRIES]
        feed = feeds.Feed("tag", path, urls.tag(tags[0]), tags=tags)
        yield self._feed(feed, feeds.brief_entries, shown, _briefs_shown(shown))
        yield from self._tag_listing(feed, views)

    def _tags_index(self) -> PageSpec:
        """The tags' index: each tag and its count. Its deps say which, so it is rendered
        again when they change."""
        counts = [(tags, len(slugs)) for tags, slugs in self.tag_groups.values()]
        shown = hashlib.blake2b(digest_size=12)
        for tags, count in counts:
            shown.update(f"{chr(31).join(tags)}\t{count}\n".encode())
        listed = sorted(counts, key=lambda g: (g[0][0].casefold(), g[0]))
        return self.spec(urls.listing("tags"), "tags.html",
                         frozenset({("tags", shown.hexdigest())}),
                         functools.partial(dict, tags=listed))

    def _tag_listing(self, feed: feeds.Feed, views: Sequence[BriefView]) -> Iterator[PageSpec]:
        per_page, tags = PER_PAGE["tag"], feed.tags
        count = max(1, math.ceil(len(views) / per_page))
        for number in range(1, count + 1):
            path = urls.tag(tags[0], number)
            items = views[(number - 1) * per_page:number * per_page]
            pager = Pager(items, number, count, "tag",
                          _tag_href(urls.Linker(path, files=self.files), tags[0]))
            key = f"tag:{path}:{len(views)}:{chr(31).join(tags)}"
            deps = frozenset({("list", key), *_briefs_shown(items)})
            yield self.spec(path, "tag.html", deps, functools.partial(
                dict, tags=tags, pager=pager, total=len(views), feed=feed,
                feeds=(feed, feeds.SITE_FEED)))

    def _feed(self, feed: feeds.Feed, entries: Callable[[Any], tuple[feeds.Entry, ...]],
              source: Any, deps: Deps) -> PageSpec:
        """A feed, whose entries `entries(source)` gives when it is rendered."""
        return PageSpec(feed.path, feeds.FEED_TEMPLATE,
                        feeds.FeedContext(self.index, feed, entries, source), deps, self.unit)


def _briefs_shown(views: Sequence[BriefView]) -> Deps:
    """A feed of briefs shows each brief's own fields, and nothing else."""
    return frozenset(("brief", view.brief.slug) for view in views)


def _listing_href(linker: urls.Linker, section: str) -> Callable[[int], str]:
    """The address of a list's page `n`, from the page of `linker`."""
    return lambda n: linker.listing(section, n)


def _tag_href(linker: urls.Linker, tag: str) -> Callable[[int], str]:
    """The address of page `n` of a tag's briefs, from the page of `linker`."""
    return lambda n: linker.tag(tag, n)


def _timeline_href(linker: urls.Linker, actor_id: str) -> Callable[[int], str]:
    """The address of page `n` of an actor's timeline, from the page of `linker`."""
    return lambda n: linker.to(urls.actor_page(actor_id, n))


def brief_deps(view: BriefView) -> Deps:
    """A brief's page shows the brief and the claims it makes or answers: their text and
    status, and every response other briefs gave to them (its "what happened next"). A
    response added, changed or removed anywhere changes its claim's thread, so the page
    depends on the briefs sharing a claim with it, and on no other."""
    claims = {("claim", a.claim.id) for a in view.annotations}
    return frozenset({("brief", view.brief.slug), *claims})


def place_deps(view: BriefView, index: SiteIndex) -> Deps:
    """A brief's page also shows the briefs just before and after it (their titles and
    dates), and its own place among them: ('order', slug), which a brief added, removed or
    dated anew beside it changes (`index.touches`)."""
    beside = {("brief", v.brief.slug) for v in index.neighbours(view.brief.slug) if v}
    return frozenset({("order", view.brief.slug), *beside})


def thread_deps(thread: Thread) -> Deps:
    """A claim's page shows the claim, its responses, and the briefs its verdicts cite as
    evidence (their titles, their addresses)."""
    evidence = {("brief", e.brief) for v in thread.claim.verdicts for e in v.evidence if e.brief}
    return frozenset({("claim", thread.claim.id), *evidence})


def actor_deps(view: ActorView, events: Sequence[Event], number: int) -> Deps:
    """A page of an actor's timeline shows its entries (their briefs and claims), the actor's
    figures and companions; the first page also its stances and briefs (the whole view),
    with the text and verdict of each claim it answered (made in briefs that may not involve
    the actor at all).

    The entries are named too: when entries move across pages (a brief's date changed), a
    page can show other entries of the same briefs and claims."""
    companions = ",".join(f"{other.id}={n}" for other, n in view.companions)
    figures = f"{view.actor.id}:{len(view.timeline)}:{len(view.briefs)}:{len(view.stances)}" \
              f":{companions}"
    entries = hashlib.blake2b(digest_size=12)
    for event in events:
        entries.update(f"{event.brief.slug}#{event.target}#{event.kind}\n".encode())
    deps = {("figures", figures), ("entries", f"{view.actor.id}:{number}:{entries.hexdigest()}")}
    deps.update(("brief", e.brief.slug) for e in events)
    deps.update(("claim", e.claim.id) for e in events if e.claim)
    if number == 1:
        deps.add(("actor", view.actor.id))
        deps.update(("claim", e.response.claim.id) for e in view.stances)
    return frozenset(deps)


def _base_path(base_url: str | None) -> str:
    if not base_url:
        return "/"
    from urllib.parse import urlsplit

    return urlsplit(base_url).path or "/"
