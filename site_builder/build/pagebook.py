"""Every page of the last build: what it shows and with which template.

A `PageBook` lets a rebuild find the pages a change touches: the pages showing a brief, an
actor or a claim, the pages of a unit, those made with a template (an index built when first
asked, then kept up to date: a rebuild looks at the pages it plans, not at every page), and
whether a planned page must be rendered again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field

from ..site.pages import EVERYTHING, Key, Keys, PageInfo, PageSpec, Unit


@dataclass
class PageBook:
    pages: dict[str, PageInfo] = field(default_factory=dict)  # by path
    _index: _Index | None = None  # the pages by what they show, unit and template

    def showing(self) -> dict[Key, set[str]]:
        """The pages showing each brief, actor, claim... (built once, then kept up to date by
        `remember`, with the pages of each unit and of each template)."""
        return self._indexed().showing

    def units_showing(self, keys: Keys) -> set[Unit]:
        """The units (a brief, an actor, a list...) whose pages show any of `keys`."""
        showing = self.showing()
        paths = set().union(*(showing.get(key, ()) for key in keys))
        return {self.pages[p].unit for p in paths}

    def units_using(self, using: Callable[[str], bool]) -> set[Unit]:
        """The units with a page made with a template `using` says yes to."""
        templates = self._indexed().templates
        return {self.pages[p].unit for name, paths in templates.items() if using(name)
                for p in paths}

    def paths_of(self, units: Iterable[Unit]) -> set[str]:
        """The pages of these units."""
        of_unit = self._indexed().units
        return set().union(*(of_unit.get(unit, ()) for unit in units))

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
        before = self.pages
        if self._index is not None:
            self._index.update(before, planned, gone)
        pages = dict(before)  # a new dictionary: the last build's stays as it was
        for path in gone:
            pages.pop(path, None)
        pages.update((s.path, PageInfo(s.unit, s.template, s.deps)) for s in planned)
        self.pages = pages

    def _indexed(self) -> _Index:
        if self._index is None:
            self._index = _Index.of(self.pages)
        return self._index


@dataclass
class _Index:
    """The paths of the pages showing each key, of each unit, made with each template."""

    showing: dict[Key, set[str]] = field(default_factory=lambda: defaultdict(set))
    units: dict[Unit, set[str]] = field(default_factory=lambda: defaultdict(set))
    templates: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def of(cls, pages: dict[str, PageInfo]) -> _Index:
        index = cls()
        for path, info in pages.items():
            index.add(path, info)
        return index

    def add(self, path: str, info: PageInfo) -> None:
        for key in info.deps:
            self.showing[key].add(path)
        self.units[info.unit].add(path)
        self.templates[info.template].add(path)

    def remove(self, path: str, info: PageInfo) -> None:
        for key in info.deps:
            self.showing[key].discard(path)
        self.units[info.unit].discard(path)
        self.templates[info.template].discard(path)

    def update(self, before: dict[str, PageInfo], planned: Sequence[PageSpec],
               gone: set[str]) -> None:
        """From the pages `before` to those after a build that planned `planned` again and
        removed `gone`: only the pages gone, new or changed are looked at."""
        for path in gone:
            if path in before:
                self.remove(path, before[path])
        for spec in planned:
            old = before.get(spec.path)
            if old is not None and spec.path not in gone and old.deps == spec.deps and \
                    old.unit == spec.unit and old.template == spec.template:
                continue
            if old is not None and spec.path not in gone:
                self.remove(spec.path, old)
            self.add(spec.path, PageInfo(spec.unit, spec.template, spec.deps))
