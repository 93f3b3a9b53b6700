"""Which pages a build renders: every page, or only those a change touches.

`SitePlan` remembers the last build's pages (a `PageBook`), what a change of each brief
alters (its touches) and the index, and plans the next build from them. After a change
of the settings or of an actor as pages show it, or into an output folder it does not
know, every page is planned and rendered. Otherwise the units the changed briefs touch
(before and after the change), the shared lists and the units of pages made with an
edited template are planned again, and of their pages only those due are rendered.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field

from ..base.diagnostics import Span
from ..site.feeds import TagGroups
from ..site.index import build_index, touches, update_index
from ..site.pages import SHARED_UNITS, Keys, PageSpec, Planner, Unit, plan_pages
from ..site.timelines import moved_entries
from ..site.views import SiteIndex
from ..source.load import SiteSources
from ..source.model import Actor
from ..source.yamlsrc import Ref
from ..text.articles import CheckedSite
from .kept import BuildState, digest
from .pagebook import PageBook


@dataclass(frozen=True, slots=True)
class Plan:
    """One build's pages: those planned, those of them to render, and those that go."""

    index: SiteIndex
    planned: list[PageSpec]
    todo: list[PageSpec]  # the planned pages to render
    gone: set[str]  # pages of the last build that it forgets (planned again or not)
    removed: set[str]  # pages of the last build that leave the output
    recheck: set[str]  # the briefs whose touches are found again
    keys: Keys | None  # what changed of what pages show; None: everything


@dataclass
class SitePlan:
    """What the last build that wrote the site planned, to plan the next one from."""

    book: PageBook = field(default_factory=PageBook)  # every page of the last build
    touches: dict[str, Keys] = field(default_factory=dict)  # what each brief's change alters
    global_key: str | None = None  # the settings and actors, as the last build showed them
    index: SiteIndex | None = None  # the last build's index, while this builder lives
    pending: set[str] = field(default_factory=set)  # briefs changed since the last write
    tags: TagGroups = field(default_factory=TagGroups)  # the tags' feeds, kept up to date

    def due(self, changed: set[str]) -> set[str]:
        """The briefs changed since the pages were last written: `changed` now, and those of
        builds that failed (a failed build keeps what it processed but writes nothing, so
        its changes stay due)."""
        self.pending = changed | self.pending
        return self.pending

    def whole(self, checked: CheckedSite) -> Plan:
        """Every page, in a new book (whose index of what pages show is built when asked)."""
        index = build_index(checked)
        planned = plan_pages(index, self.tags.update(index, None))
        gone, self.book = set(self.book.pages), PageBook(self.book.pages)
        paths = {s.path for s in planned}
        return Plan(index, planned, planned, gone, gone - paths, set(index.links.views), None)

    def changes(self, checked: CheckedSite, changed: set[str], using: Callable[[str], bool],
                written: Container[str]) -> Plan:
        """The pages `changed` briefs touch, the shared ones and those `using` an edited
        template, planned again; of those, the pages due. `written`: the files the output
        holds as the last build wrote them."""
        slugs = changed | (self.touches.keys() ^ {b.slug for b in checked.site.briefs})
        regroup = slugs if self.index is not None else None  # else kept by none: all anew
        index, keys, touched = self._updated_index(checked, slugs)
        book = self.book
        planner = Planner(index, self.tags.update(index, regroup))
        actors = {key for kind, key in keys if kind == "actor"}
        units = {*SHARED_UNITS, *touched, *book.units_showing(keys),
                 *(("tag", path) for path in self.tags.touched),
                 *moved_entries(index, actors, book.showing()), *book.units_using(using)}
        planned = [s for u in units for s in planner.pages(u)]
        paths = {s.path for s in planned}
        gone = book.paths_of(units) - paths
        todo = [s for s in planned if book.due(s, keys, using, written)]
        return Plan(index, planned, todo, gone, gone, changed, keys)

    def _updated_index(self, checked: CheckedSite, slugs: set[str]
                       ) -> tuple[SiteIndex, Keys, Iterable[Unit]]:
        """The index with the briefs `slugs` changed; what they showed and show now, and the
        units showing it."""
        if self.index is not None:
            index, update = update_index(self.index, checked, slugs)
            return index, update.keys(), update.units()
        # Restored from the cache: an index anew, and as keys what the changed briefs
        # touched before and touch now.
        index = build_index(checked)
        keys = frozenset().union(*(self.touches.get(s, ()) for s in slugs))
        keys |= frozenset().union(*(touches(index.brief(s), index)
                                   for s in slugs if s in index.links.views))
        return index, keys, set(keys)

    def remember(self, plan: Plan, global_key: str) -> None:
        """The pages of a build that wrote them."""
        self.book.remember(plan.planned, plan.gone)
        self._remember_touches(plan.index, plan.recheck)
        self.index, self.global_key, self.pending = plan.index, global_key, set()

    def restore(self, state: BuildState) -> None:
        """The last build's pages, from the build cache."""
        self.book = PageBook(state.pages)
        self.touches, self.global_key = state.touches, state.global_key

    def _remember_touches(self, index: SiteIndex, changed: set[str]) -> None:
        """What a change of each brief would alter: found again for the briefs in `changed`,
        and for those added; dropped for those gone."""
        views = index.links.views
        slugs = changed | (self.touches.keys() ^ views.keys())
        found = dict(self.touches)  # a new dictionary: the last build's stays as it was
        for slug in slugs:
            if slug in views:
                found[slug] = touches(index.brief(slug), index)
            else:
                found.pop(slug, None)
        self.touches = found


def settings_key(sources: SiteSources, actors: Iterable[Actor], base_url: str | None) -> str:
    """What every page depends on: the settings, and every actor (the registry's and those
    declared in briefs) as pages show it. Not where an actor was written: a comment in the
    registry, or a line added above a brief's own actors, changes no page."""
    parts = [sources.config.text if sources.config else "", str(base_url)]
    parts += [repr(_as_shown(actor)) for actor in actors]
    return digest(*parts)


NOWHERE = Span("")


def _as_shown(actor: Actor) -> Actor:
    """The actor without the places it was written."""
    part_of = actor.part_of and Ref(actor.part_of.id, NOWHERE)
    return dataclasses.replace(actor, span=NOWHERE, part_of=part_of, name_spans=())
