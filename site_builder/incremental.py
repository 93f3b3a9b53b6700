"""A builder that remembers: each build redoes only what changed since the last.

`Builder.build` runs the whole pipeline (load, validate, anchor, index,
render, write), but reuses each brief's parsed annotations and anchored
article while its files are unchanged, and re-renders only the pages whose
inputs changed: the changed briefs, the actors and claims they involve (before
and after the change) and the lists. A change of site.yaml, of the registry,
of an inline actor or of a template re-renders everything. `site-builder
build` is one cold build; `serve` keeps one Builder for the whole session.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import urls
from .annotations import read_brief, read_registry
from .config import base_url_of, read_config
from .diagnostics import Diagnostic, Diagnostics, Span
from .hostfiles import host_files
from .index import BriefView, build_index
from .load import BriefSource, SiteSources, load_site
from .model import Brief, SiteConfig
from .output import WriteReport, commit_output, unsafe_output
from .pipeline import Article, CheckedSite, parse_article
from .readertext import make_markdown
from .render import BUILTIN_THEME, EVERYTHING, make_environment, plan_pages, render_pages
from .validate import check_site


@dataclass(frozen=True, slots=True)
class _Parsed:
    """One brief read and anchored, with what was said about it, for its exact inputs."""

    key: str
    brief: Brief | None
    article: Article | None
    diags: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class BuildOutcome:
    briefs: int
    report: WriteReport | None  # None when the build failed and nothing was written
    rendered: int = 0  # pages rendered this time (the others were kept)


@dataclass
class Builder:
    root: Path
    out_dir: Path
    base_url: str | None = None
    _parsed: dict[str, _Parsed] = field(default_factory=dict)
    _views: dict[str, BriefView] = field(default_factory=dict)
    _pages: dict[str, bytes] = field(default_factory=dict)
    _global_key: str | None = None
    _env: jinja2.Environment | None = None

    def __post_init__(self) -> None:
        self.md = make_markdown()

    def build(self, diags: Diagnostics) -> BuildOutcome:
        if (reason := unsafe_output(self.out_dir, self.root)) is not None:
            diags.error(Span(str(self.out_dir)), reason, "choose another folder with --output DIR")
            return BuildOutcome(0, None)
        sources = load_site(self.root, diags)
        config = self._config(sources, diags)
        registry = read_registry(sources.registry, diags)
        parsed, changed = self._parse_briefs(sources, config, diags)
        briefs = [p.brief for p in parsed.values() if p.brief is not None]
        site = check_site(config, registry, briefs, diags)
        if diags.errors:
            return BuildOutcome(len(briefs), None)
        articles = {slug: p.article for slug, p in parsed.items() if p.article is not None}
        index = build_index(CheckedSite(self.root, site, articles))
        views = {v.brief.slug: v for v in index.briefs}
        global_key = self._global_fingerprint(sources, views.values())
        if global_key != self._global_key or self._env is None:
            self._env = make_environment(self.root, self.md)
        env = self._env
        specs = plan_pages(index, env, self.md)
        if global_key != self._global_key or not self._pages:
            to_render = specs
        else:
            keys = self._changed_keys(changed | (self._views.keys() ^ views.keys()), views)
            to_render = [s for s in specs if s.path not in self._pages
                         or (keys and (s.deps & keys or s.deps == EVERYTHING))]
        fresh = render_pages(to_render, env, diags, self.root)
        if fresh is None:
            return BuildOutcome(len(briefs), None)
        pages = {s.path: fresh[s.path] if s.path in fresh else self._pages[s.path]
                 for s in specs}
        pages.update(fresh)
        dates = {urls.brief(slug): view.brief.date for slug, view in views.items()}
        pages.update(host_files(site.config, list(pages), dates))
        report = self._write(pages)
        self._parsed, self._views, self._pages, self._global_key = (
            parsed, views, pages, global_key)
        return BuildOutcome(len(briefs), report, len(to_render))

    def _config(self, sources: SiteSources, diags: Diagnostics) -> SiteConfig:
        config = read_config(sources.config, diags)
        if self.base_url is None:
            return config
        from dataclasses import replace

        return replace(config, base_url=base_url_of(self.base_url, None, diags))

    def _parse_briefs(self, sources: SiteSources, config: SiteConfig,
                      diags: Diagnostics) -> tuple[dict[str, _Parsed], set[str]]:
        config_text = sources.config.text if sources.config else ""
        parsed: dict[str, _Parsed] = {}
        changed: set[str] = set()
        for source in sources.briefs:
            key = _digest(config_text, source.article.text, source.annotations.text)
            cached = self._parsed.get(source.slug)
            if cached is None or cached.key != key:
                cached = self._parse_one(source, config, key)
                changed.add(source.slug)
            diags.extend(cached.diags)
            parsed[source.slug] = cached
        return parsed, changed

    def _parse_one(self, source: BriefSource, config: SiteConfig, key: str) -> _Parsed:
        local = Diagnostics()
        brief = read_brief(source, config, local)
        article = parse_article(brief, self.md, local) if brief is not None else None
        return _Parsed(key, brief, article, tuple(local.items))

    def _global_fingerprint(self, sources: SiteSources, views: Iterable[BriefView]) -> str:
        """What every page depends on: settings, registry, inline actors, templates."""
        parts = [sources.config.text if sources.config else "",
                 sources.registry.text if sources.registry else "", str(self.base_url)]
        parts += [repr(v.brief.actors) for v in views if v.brief.actors]
        for folder in (self.root / "templates", BUILTIN_THEME):
            if folder.is_dir():
                parts += [f"{p}:{p.stat().st_mtime_ns}:{p.stat().st_size}"
                          for p in sorted(folder.rglob("*")) if p.is_file()]
        return _digest(*parts)

    def _changed_keys(self, slugs: set[str], views: dict[str, BriefView]) -> frozenset:
        keys: set[tuple[str, str]] = set()
        for slug in slugs:
            keys.add(("brief", slug))
            for view in (self._views.get(slug), views.get(slug)):
                if view is not None:
                    keys.update(_view_keys(view))
        return frozenset(keys)

    def _write(self, pages: dict[str, bytes]) -> WriteReport:
        if not self._pages or not self.out_dir.is_dir():
            return commit_output(pages, self.out_dir)
        return write_changes(self.out_dir, self._pages, pages)


def _view_keys(view: BriefView) -> set[tuple[str, str]]:
    brief = view.brief
    keys = {("claim", c.id) for c in brief.claims}
    keys.update(("claim", r.claim.id) for r in brief.responses)
    keys.update(("actor", a.id) for a in view.actors)
    keys.update(("actor", a) for a in view.named)
    return keys


def write_changes(out_dir: Path, old: dict[str, bytes], new: dict[str, bytes]) -> WriteReport:
    """Bring a served output folder from `old` to `new`, one atomic file replace at a time."""
    written = tuple(sorted(p for p, data in new.items()
                           if old.get(p) != data or not (out_dir / p).is_file()))
    removed = tuple(sorted(old.keys() - new.keys()))
    for rel in written:
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(new[rel])
        os.replace(tmp, target)
    for rel in removed:
        (out_dir / rel).unlink(missing_ok=True)
        _prune_empty(out_dir, (out_dir / rel).parent)
    unchanged = tuple(sorted(p for p in new if p not in written))
    return WriteReport(written, unchanged, removed)


def _prune_empty(out_dir: Path, folder: Path) -> None:
    while folder != out_dir and folder.is_dir() and not any(folder.iterdir()):
        shutil.rmtree(folder, ignore_errors=True)
        folder = folder.parent


def _digest(*parts: str) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.hexdigest()
