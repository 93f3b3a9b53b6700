"""Reading a site for a build: each stage's results kept, and redone only where their inputs
changed.

`Reader.read` loads the site's files, reads site.yaml, the registry and each brief's
annotations, runs the checks across files and processes each article (anchor, find
actors, render its HTML). Each brief's results are kept with the digest of their inputs
(see kept.py) and used again while it holds; the briefs read or processed again run on
every core. What is kept of each brief goes into the build cache and comes back from it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from ..base.diagnostics import Diagnostic, Diagnostics
from ..site import urls
from ..source.annotations import read_brief, read_registry
from ..source.config import base_url_of, read_config
from ..source.load import BriefSource, SiteSources, TextCache, load_site
from ..source.model import Actor, Brief, Site, SiteConfig
from ..source.validate import (
    CrossChecks,
    check_site,
    cross_file_facts,
    uninvolved,
    warn_unmentioned,
)
from ..text.articles import Article, CheckedSite, process_article
from ..text.mentions import NameMatcher
from .kept import Briefs, Cached, Kept, digest, pack, unpack
from .workers import Workers


@dataclass(frozen=True, slots=True)
class ReadSite:
    """A site as read for one build."""

    sources: SiteSources
    checked: CheckedSite
    briefs: int  # the briefs whose annotations could be read
    changed: set[str]  # the briefs whose article was processed again


@dataclass
class Reader:
    """Each stage's last results, for the next build to use again: each brief's files,
    annotations and article (by slug), the registry, the names actors are found by, and the
    checks across files."""

    root: Path
    base_url: str | None  # given on the command line: replaces site.yaml's
    workers: Workers
    md: MarkdownIt
    texts: TextCache = field(default_factory=TextCache)  # the files, while this builder lives
    briefs: dict[str, Cached] = field(default_factory=dict)
    articles: dict[str, Cached] = field(default_factory=dict)
    sources: dict[str, BriefSource] = field(default_factory=dict)
    config_key: str | None = None  # the settings the briefs were read with
    _registry: Cached | None = None
    _matcher: Cached | None = None
    _checked: CrossChecks | None = None

    def read(self, changed: Collection[str] | None, diags: Diagnostics) -> ReadSite:
        """The site, read again where it changed. `changed`: the site-relative paths a file
        watcher saw change since the last build; brief files not in it are not looked at."""
        sources = load_site(self.root, diags, self.texts, changed)
        config = self._config(sources, diags)
        registry = self._read_registry(sources, diags)
        briefs = self._read_briefs(sources, config, diags)
        checks = self._check(config, registry, briefs, diags)
        articles, redone = self._process_articles(checks.site, diags)
        warn_unmentioned(checks.uninvolved, (a.named for a in articles.values()), diags)
        diags.hold_back()
        return ReadSite(sources, CheckedSite(self.root, checks.site, articles), len(briefs),
                        redone)

    def kept(self) -> dict[str, Kept]:
        """What the build cache keeps of each brief, by slug."""
        return pack(Briefs(self.briefs, self.articles, self.sources), self.texts)

    def restore(self, packed: Mapping[str, Kept], config_key: str | None,
                listing: tuple[Any, ...]) -> None:
        """What an earlier process kept, from the build cache."""
        kept = unpack(packed, self.texts)
        self.briefs, self.articles, self.sources = kept.briefs, kept.articles, kept.sources
        self.config_key = config_key
        self.texts.restore_listing(listing, self.sources)

    def _config(self, sources: SiteSources, diags: Diagnostics) -> SiteConfig:
        config = read_config(sources.config, diags, sources.root)
        if self.base_url is None:
            return config
        return dataclasses.replace(config, base_url=base_url_of(self.base_url, None, diags))

    def _read_registry(self, sources: SiteSources, diags: Diagnostics) -> list[Actor]:
        text = sources.registry.text if sources.registry else None
        if self._registry is None or self._registry.key != text:
            local = Diagnostics()
            actors = read_registry(sources.registry, local)
            self._registry = Cached(text, (actors, local.unread), tuple(local.items))
        diags.extend(self._registry.diags)
        actors, unread = self._registry.value
        diags.unread.update(unread)
        return list(actors)

    def _read_briefs(self, sources: SiteSources, config: SiteConfig,
                     diags: Diagnostics) -> list[Brief]:
        """Each brief's annotations, read again (on every core) when its files or site.yaml
        changed."""
        config_key = digest(str(config))
        cache: dict[str, Cached] = {}
        todo: list[tuple[BriefSource, str]] = []
        for source in sources.briefs:
            cached = self.briefs.get(source.slug)
            before = self.sources.get(source.slug)
            if cached is None or before is None or config_key != self.config_key \
                    or before.article is not source.article \
                    or before.annotations is not source.annotations:  # files read again
                key = digest(config_key, source.article.text, source.annotations.text)
                if cached is None or cached.key != key:
                    todo.append((source, key))
                    continue
            cache[source.slug] = cached
        done = self.workers.run("annotations", _read_one, (todo, config), len(todo))
        cache.update((source.slug, _with_article(result, source))
                     for (source, _), result in zip(todo, done, strict=True))
        cache = {s.slug: cache[s.slug] for s in sources.briefs}  # in the sources' order
        for source in sources.briefs:
            diags.extend(cache[source.slug].diags)
            if cache[source.slug].value is None:  # the annotations could not be read
                diags.unread[source.annotations.path] = (source.annotations.text,
                                                         source.article.text)
        self.briefs, self.config_key = cache, config_key
        self.sources = {s.slug: s for s in sources.briefs}
        return [c.value for c in cache.values() if c.value is not None]

    def _check(self, config: SiteConfig, registry: list[Actor], briefs: list[Brief],
               diags: Diagnostics) -> CrossChecks:
        """The checks across files; when no brief changed anything they read, their last
        findings hold, and only the changed briefs are put into the checked site."""
        basis = (config, self._registry.key if self._registry else None)
        last = self._checked
        if last is not None and last.basis == basis and len(briefs) == len(last.briefs):
            changed = [b for b in briefs if last.briefs.get(b.slug) is not b]
            facts = {b.slug: cross_file_facts(b) for b in changed}
            if all(last.facts.get(slug) == found for slug, found in facts.items()):
                self._checked = last.with_briefs(changed, facts)
                diags.extend(last.diags)
                return self._checked
        local = Diagnostics()
        site = check_site(config, registry, briefs, local)
        self._checked = CrossChecks(basis, {b.slug: b for b in briefs},
                                    {b.slug: cross_file_facts(b) for b in briefs},
                                    site, uninvolved(site), tuple(local.items))
        diags.extend(local.items)
        return self._checked

    def _process_articles(self, site: Site,
                          diags: Diagnostics) -> tuple[dict[str, Article], set[str]]:
        """Each brief's article stage, redone when its files, site.yaml or a name changed."""
        names = digest(*(f"{a.id}={a.name}|{'|'.join(a.aliases)}" for a in site.actors))
        keys = {b.slug: f"{self.briefs[b.slug].key}:{names}" for b in site.briefs}
        todo = [b for b in site.briefs if (c := self.articles.get(b.slug)) is None
                or c.key != keys[b.slug]]
        redo = {b.slug for b in todo}
        if self._matcher is None or self._matcher.key != names:
            self._matcher = Cached(names, NameMatcher(site.actors), ())
        payload = (todo, self._matcher.value, self.md, site.config.file_links)
        done = self.workers.run("articles", _process_one, payload, len(todo))
        cache = {b.slug: self.articles[b.slug] for b in site.briefs if b.slug not in redo}
        cache.update((b.slug, Cached(keys[b.slug], article, found))
                     for b, (article, found) in zip(todo, done, strict=True))
        self.articles = {b.slug: cache[b.slug] for b in site.briefs}
        for cached in self.articles.values():
            diags.extend(cached.diags)
        return {slug: c.value for slug, c in self.articles.items()}, redo


def _read_one(payload: tuple[list[tuple[BriefSource, str]], SiteConfig], i: int) -> Cached:
    todo, config = payload
    source, key = todo[i]
    local = Diagnostics()
    brief = read_brief(source, config, local)
    # The article's text stays behind: the reader has it already (see `_with_article`), and
    # a worker's copy would cross the pipe and then take the memory twice.
    brief = brief and dataclasses.replace(brief, article="")
    return Cached(key, brief, tuple(local.items))


def _with_article(cached: Cached, source: BriefSource) -> Cached:
    if cached.value is None:
        return cached
    return dataclasses.replace(cached, value=dataclasses.replace(cached.value,
                                                                 article=source.article.text))


def _process_one(payload: tuple[list[Brief], NameMatcher, MarkdownIt, bool],
                 i: int) -> tuple[Article, tuple[Diagnostic, ...]]:
    briefs, matcher, md, file_links = payload
    local = Diagnostics()
    linker = urls.Linker(urls.brief(briefs[i].slug), files=file_links)
    article = process_article(briefs[i], md, matcher, linker.actor, local)
    return article, tuple(local.items)
