"""Every page of the last build: what it shows and with which template.

A `PageBook` lets a rebuild find the pages a change touches: the pages showing a brief, an
actor or a claim (an index built when first asked, then kept up to date), and whether a
planned page must be rendered again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field

from ..site.pages import EVERYTHING, Key, Keys, PageInfo, PageSpec, Unit


@dataclass
class PageBook:
    pages: dict[str, PageInfo] = field(default_factory=dict)  # by path
    _showing: dict[Key, set[str]] | None = None  # the pages showing each brief, actor, claim

    def showing(self) -> dict[Key, set[str]]:
        if self._showing is None:  # built once, then kept up to date by `remember`
            self._showing = defaultdict(set)
            for path, info in self.pages.items():
                for key in info.deps:
                    self._showing[key].add(path)
        return self._showing

    def units_showing(self, keys: Keys) -> set[Unit]:
        """The units (a brief, an actor, a list...) whose pages show any of `keys`."""
        showing = self.showing()
        paths = set().union(*(showing.get(key, ()) for key in keys))
        return {self.pages[p].unit for p in paths}

    def due(self, spec: PageSpec, keys: Keys, using: Callable[[str], bool],
            written: Container[str]) -> bool:
        """Whether a page must be rendered again: new, showing other things, not `written`,
        showing something that changed, or made with an edited template."""
        before = self.pages.get(spec.path)
        return (before is None or before.deps != spec.deps or spec.path not in written
                or bool(spec.deps & keys) or (spec.deps == EVERYTHING and bool(keys))
                or using(spec.template))

    def remember(self, planned: Sequence[PageSpec], gone: Iterable[str]) -> None:
        """The pages after a build that planned `planned` again and removed `gone`."""
        gone = set(gone)
        showing, before = self._showing, self.pages
        if showing is not None:
            moved = [s for s in planned if s.path not in before or before[s.path].deps != s.deps]
            for path in gone | {s.path for s in moved}:
                for key in before[path].deps if path in before else ():
                    showing[key].discard(path)
            for spec in moved:
                for key in spec.deps:
                    showing[key].add(spec.path)
        pages = {p: info for p, info in before.items() if p not in gone}
        pages.update((s.path, PageInfo(s.unit, s.template, s.deps)) for s in planned)
        self.pages = pages
