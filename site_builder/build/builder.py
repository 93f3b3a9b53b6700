"""A builder that remembers: each build redoes only what changed since the last.

`Builder.build` runs the whole pipeline: load, read each brief's YAML,
validate across files, process each article (anchor, find actors, render
its HTML), index, render pages, write. It reuses each brief's results while
their inputs are unchanged, and re-renders only the pages whose inputs
changed: the changed briefs, the actors and claims they involve (before and
after the change) and the lists. A change of site.yaml, of the registry, of
an inline actor or of a template re-renders everything. Article processing
and full renders run on every core. `site-builder build` is one cold build;
`serve` keeps one Builder for the whole session.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt

from ..base import parallel
from ..base.diagnostics import Diagnostic, Diagnostics, Span
from ..base.moves import recover
from ..site import urls
from ..site.hostfiles import host_files
from ..site.index import SiteIndex, build_index, touches, update_index
from ..site.pages import SHARED_UNITS, Keys, PageSpec, Planner, Unit, plan_pages
from ..source.annotations import read_brief, read_registry
from ..source.builtin import BUILTIN_THEME
from ..source.config import base_url_of, read_config
from ..source.load import BriefSource, SiteSources, TextCache, load_site
from ..source.model import Actor, Brief, Site, SiteConfig
from ..source.validate import CrossChecks, check_site_reading, cross_file_facts
from ..source.yamlsrc import Ref
from ..text.articles import Article, CheckedSite, process_article
from ..text.mentions import NameMatcher
from ..text.readertext import make_markdown
from ..theme.render import make_environment
from ..theme.templatedeps import pages_using, template_stamps
from .cache import ShardWriting, forget_output, load_state, save_state, write_shards
from .cachefolder import mark_writing
from .fingerprints import (
    OutputSignature,
    input_fingerprint,
    options_key,
    output_fingerprint,
    output_signature,
)
from .kept import Briefs, BuildState, Cached, Shards, Summary, by_shard, changed_shards, unpack
from .output import BuildOutcome, Patch, unsafe_output
from .pagebook import PageBook
from .pagewrite import Written, changes, write_all
from .templatecode import TemplateCode


@dataclass
class Builder:
    root: Path
    out_dir: Path
    base_url: str | None = None
    jobs: int = field(default_factory=parallel.cores)
    _briefs: dict[str, Cached] = field(default_factory=dict)
    _articles: dict[str, Cached] = field(default_factory=dict)
    _touches: dict[str, Keys] = field(default_factory=dict)  # what each brief's change alters
    _book: PageBook = field(default_factory=PageBook)  # every page of the last build
    _digests: dict[str, str] = field(default_factory=dict)
    _global_key: str | None = None
    _stamps: dict[str, str] = field(default_factory=dict)  # each template's file and stats
    _env: jinja2.Environment | None = None
    use_cache: bool = False  # keep results in the site's .cache/ folder between runs
    progress: Callable[[str, int, int], None] | None = None  # (stage, done, total)
    strict: bool = False  # warnings fail the build too: nothing is written
    _fingerprint: str | None = None  # inputs and written files of the last successful build
    _unwritten: set[str] = field(default_factory=set)  # briefs changed since the last write
    inputs: str | None = None  # the inputs' fingerprint, when the caller has just taken it
    written: str | None = None  # the last written files' fingerprint, when just taken too
    _index: SiteIndex | None = None  # the last build's index, while this builder lives
    _texts: TextCache = field(default_factory=TextCache)  # the files, while this builder lives
    _sources: dict[str, BriefSource] = field(default_factory=dict)
    _config_key: str | None = None
    _registry: Cached | None = None
    _matcher: Cached | None = None
    _hosts: tuple[Any, dict[str, bytes]] | None = None  # the host files, and what they show
    _checked: CrossChecks | None = None
    _shard_files: dict[int, str] = field(default_factory=dict)  # the cache's, by shard
    _shards_saved: Shards = field(default_factory=dict)
    _signature: OutputSignature | None = None  # after this builder last wrote: who wrote last
    _summary_saved: bool = False  # the cache's summary is this builder's last save
    _writing: tuple[ShardWriting, Shards] | None = None  # the shards being saved, and all

    def __post_init__(self) -> None:
        self.md = make_markdown()
        self._restored = not self.use_cache

    def build(self, diags: Diagnostics, changed: Collection[str] | None = None,
              save_cache: bool = True) -> BuildOutcome:
        """Build, reusing what the last build made. `changed`: the site-relative paths a file
        watcher saw change since the last build; brief files not in it are not looked at.
        With `save_cache=False` a builder that uses the cache does not save it this time
        (`serve` saves it when it stops): the cache's record of the output is dropped instead."""
        if (reason := unsafe_output(self.out_dir, self.root)) is not None:
            diags.error(Span(str(self.out_dir)), reason, "choose another folder with --output DIR")
            return BuildOutcome(0, None)
        recover(self.out_dir)  # a build killed while moving files in: the output it found
        if self.use_cache and not self._restored:
            self._restore()  # `build_site` has already answered "nothing changed" when it could
        saving = self.use_cache and save_cache
        fingerprint = self._inputs_fingerprint() if saving else None  # the inputs as read
        local = Diagnostics()
        with parallel.paused_collector():
            outcome = self._build(local, changed if self._index is not None else None, saving)
        diags.extend(local.items)
        if outcome.report is None:
            if self._writing is not None:
                self._writing[0].discard(self.root)
                self._writing = None
            return outcome
        if fingerprint is not None:
            self._fingerprint = f"{fingerprint}:{output_fingerprint(self.out_dir, self._digests)}"
            self._save(Summary(self._fingerprint, tuple(local.items), len(self._touches),
                               tuple(self._digests), str(self.out_dir.resolve())))
        elif outcome.report.written or outcome.report.removed:
            self._forget_output()
        self._signature = output_signature(self.root, self.out_dir)
        return outcome

    def _build(self, diags: Diagnostics, changed: Collection[str] | None,
               saving: bool) -> BuildOutcome:
        sources = load_site(self.root, diags, self._texts, changed)
        config = self._config(sources, diags)
        registry = self._read_registry(sources, diags)
        briefs = self._read_briefs(sources, config, diags)
        site = self._check(config, registry, briefs, diags)
        articles, changed = self._process_articles(site, diags)
        # A failed build caches what it processed but writes nothing: its changes stay due.
        changed |= self._unwritten
        self._unwritten = changed
        if diags.errors or (self.strict and diags.warnings):
            return BuildOutcome(len(briefs), None)
        checked = CheckedSite(self.root, site, articles)
        if saving:
            self._start_saving()
        try:
            outcome = self._render_and_write(sources, checked, changed, diags)
        except OSError as exc:  # a full disk, a folder that cannot be written...
            self._digests = {}  # the output is in doubt: the next build writes it whole
            diags.error(Span(str(self.out_dir)), f"the site could not be written: {_reason(exc)}",
                        "free some disk space or let site-builder write this folder, then "
                        "build again: the next build writes the whole site")
            return BuildOutcome(len(briefs), None)
        if outcome.report is not None:
            self._unwritten = set()
        return outcome

    def _inputs_fingerprint(self) -> str | None:
        """Every input's size, times and inode: a change anywhere shows here."""
        if not self.use_cache:
            return None
        taken, self.inputs = self.inputs, None  # taken by the caller just before: used once
        return taken or input_fingerprint(self.root, self.out_dir, BUILTIN_THEME)

    def _options(self) -> str:
        return options_key(self.out_dir, self.base_url)

    def _start_saving(self) -> None:
        """Start writing the briefs' shards where something changed: every brief's results
        are final once the articles are processed, and many shards (a cold build's) are
        written by a forked child while this process indexes and renders."""
        shards = by_shard(Briefs(self._briefs, self._articles, self._sources), self._texts)
        changed = changed_shards(self._shards_saved, shards)
        self._writing = (write_shards(self.root, self._options(), changed), shards)

    def _save(self, summary: Summary) -> None:
        """Save the state, naming the shards written since the articles were processed."""
        assert self._writing is not None
        writing, shards = self._writing
        self._writing = None
        kept = {n: name for n, name in self._shard_files.items()
                if n in shards and n not in writing.files}
        self._shard_files = save_state(self.root, self._options(), self._state(), writing,
                                       kept, summary)
        self._summary_saved = True
        self._shards_saved = shards if self._shard_files else {}

    def _state(self) -> BuildState:
        """What the next build needs that does not belong to one brief."""
        return BuildState(self._touches, self._book.pages, self._digests, self._global_key,
                          self._stamps, self._fingerprint, self._config_key,
                          self._texts.listing())

    def _restore(self) -> None:
        self._restored = True
        saved = load_state(self.root, self._options())
        if saved is None or not self.out_dir.is_dir():
            return
        state = saved.state
        taken, self.written = self.written, None
        written = taken or output_fingerprint(self.out_dir, state.digests)
        if not state.fingerprint or not state.fingerprint.endswith(":" + written):
            state = dataclasses.replace(state, digests={}, fingerprint=None)  # edited by hand
        self._touches, self._digests = state.touches, state.digests
        self._book = PageBook(state.pages)
        self._global_key, self._fingerprint = state.global_key, state.fingerprint
        self._stamps, self._config_key = state.stamps, state.config_key
        self._shard_files, self._shards_saved = saved.shard_files, saved.shards
        kept = unpack(saved.shards, self._texts)
        self._briefs, self._articles, self._sources = kept.briefs, kept.articles, kept.sources
        self._texts.restore_listing(state.listing, self._sources)

    def _config(self, sources: SiteSources, diags: Diagnostics) -> SiteConfig:
        config = read_config(sources.config, diags)
        if self.base_url is None:
            return config
        return dataclasses.replace(config, base_url=base_url_of(self.base_url, None, diags))

    def _read_registry(self, sources: SiteSources, diags: Diagnostics) -> list[Actor]:
        text = sources.registry.text if sources.registry else None
        if self._registry is None or self._registry.key != text:
            local = Diagnostics()
            self._registry = Cached(text, read_registry(sources.registry, local),
                                    tuple(local.items))
        diags.extend(self._registry.diags)
        return self._registry.value

    def _read_briefs(self, sources: SiteSources, config: SiteConfig,
                     diags: Diagnostics) -> list[Brief]:
        """Each brief's annotations, read again (on every core) when its files or site.yaml
        changed."""
        config_key = _digest(str(config))
        cache: dict[str, Cached] = {}
        todo: list[tuple[BriefSource, str]] = []
        for source in sources.briefs:
            cached = self._briefs.get(source.slug)
            before = self._sources.get(source.slug)
            if cached is None or before is None or config_key != self._config_key \
                    or before.article is not source.article \
                    or before.annotations is not source.annotations:  # files read again
                key = _digest(config_key, source.article.text, source.annotations.text)
                if cached is None or cached.key != key:
                    todo.append((source, key))
                    continue
            cache[source.slug] = cached
        done = parallel.run(_read_one, (todo, config), len(todo), self.jobs,
                            self._reporter("annotations"))
        cache.update((source.slug, _with_article(result, source))
                     for (source, _), result in zip(todo, done, strict=True))
        cache = {s.slug: cache[s.slug] for s in sources.briefs}  # in the sources' order
        for cached in cache.values():
            diags.extend(cached.diags)
        self._briefs, self._config_key = cache, config_key
        self._sources = {s.slug: s for s in sources.briefs}
        return [c.value for c in cache.values() if c.value is not None]

    def _check(self, config: SiteConfig, registry: list[Actor], briefs: list[Brief],
               diags: Diagnostics) -> Site:
        """The checks across files; when no brief changed anything they read, their last
        findings hold, and only the changed briefs are put into the checked site."""
        basis = (config, self._registry.key if self._registry else None)
        last = self._checked
        if last is not None and last.basis == basis and len(briefs) == len(last.briefs):
            changed = [b for b in briefs if last.briefs.get(b.slug) is not b]
            facts = {b.slug: cross_file_facts(b, last.read_articles) for b in changed}
            if all(last.facts.get(slug) == found for slug, found in facts.items()):
                self._checked = last.with_briefs(changed, facts)
                diags.extend(last.diags)
                return self._checked.site
        local = Diagnostics()
        site, read_articles = check_site_reading(config, registry, briefs, local)
        self._checked = CrossChecks(basis, {b.slug: b for b in briefs},
                                    {b.slug: cross_file_facts(b, read_articles) for b in briefs},
                                    site, read_articles, tuple(local.items))
        diags.extend(local.items)
        return site

    def _process_articles(self, site: Site,
                          diags: Diagnostics) -> tuple[dict[str, Article], set[str]]:
        """Each brief's article stage, redone when its files, site.yaml or a name changed."""
        names = _digest(*(f"{a.id}={a.name}|{'|'.join(a.aliases)}" for a in site.actors))
        keys = {b.slug: f"{self._briefs[b.slug].key}:{names}" for b in site.briefs}
        todo = [b for b in site.briefs if (c := self._articles.get(b.slug)) is None
                or c.key != keys[b.slug]]
        redo = {b.slug for b in todo}
        if self._matcher is None or self._matcher.key != names:
            self._matcher = Cached(names, NameMatcher(site.actors), ())
        payload = (todo, self._matcher.value, self.md)
        done = parallel.run(_process_one, payload, len(todo), self.jobs,
                            self._reporter("articles"))
        cache = {b.slug: self._articles[b.slug] for b in site.briefs if b.slug not in redo}
        cache.update((b.slug, Cached(keys[b.slug], article, found))
                     for b, (article, found) in zip(todo, done, strict=True))
        self._articles = {b.slug: cache[b.slug] for b in site.briefs}
        for cached in self._articles.values():
            diags.extend(cached.diags)
        return {slug: c.value for slug, c in self._articles.items()}, redo

    def _render_and_write(self, sources: SiteSources, checked: CheckedSite, changed: set[str],
                          diags: Diagnostics) -> BuildOutcome:
        global_key = self._global_fingerprint(sources, checked.site.actors)
        stamps = template_stamps(self.root)
        # A new environment on any template change: Jinja's cache would keep using a theme
        # template after the site adds its own copy (the cached file itself is unchanged).
        if global_key != self._global_key or self._env is None or stamps != self._stamps:
            compiled = TemplateCode.for_site(self.root) if self.use_cache else None
            self._env = make_environment(self.root, self.md, compiled)
        # The output folder as this builder last left it, each file's digest known: patched.
        known = bool(self._digests) and self.out_dir.is_dir() and not self._written_by_another()
        if global_key != self._global_key or not known:
            index = build_index(checked)
            planned = plan_pages(index)
            # Every page goes: a new book, whose index of what pages show is built when asked.
            gone, self._book = set(self._book.pages), PageBook(self._book.pages)
            extras = self._extras(index, planned, gone)
            if known:  # every page rendered again; only those that changed written (patched)
                paths = {s.path for s in planned}
                result = self._write_some(planned, gone - paths, extras, diags)
            else:  # a new output folder, swapped in whole
                result = self._write_all(planned, extras, diags)
            recheck = set(index.links.views)  # every page again: every brief's touches too
        else:
            index, planned, gone, todo = self._plan_changes(checked, changed, stamps)
            result = self._write_some(todo, gone, self._extras(index, planned, gone), diags)
            recheck = changed
        if result is None:
            return BuildOutcome(len(checked.site.briefs), None)
        report, self._digests, rendered = result
        self._book.remember(planned, gone)
        self._remember_touches(index, recheck)
        self._index, self._global_key, self._stamps = index, global_key, stamps
        return BuildOutcome(len(checked.site.briefs), report, rendered)

    def _remember_touches(self, index: SiteIndex, changed: set[str]) -> None:
        """What a change of each brief would alter: found again for the briefs in `changed`,
        and for those added; dropped for those gone."""
        views = index.links.views
        slugs = changed | (self._touches.keys() ^ views.keys())
        self._touches = {s: t for s, t in self._touches.items() if s in views}
        self._touches.update((s, touches(index.brief(s), index)) for s in slugs if s in views)

    def _forget_output(self) -> None:
        """The cache's record of the output folder no longer holds (`serve`, `--no-cache`):
        drop it; unless the cache's summary is the same as after this builder's last build
        and not saved by it, when it was dropped already or is another folder's (`serve`
        saves reading it again)."""
        last = self._signature
        unchanged = last is not None \
            and last.summary == output_signature(self.root, self.out_dir).summary
        if self._summary_saved or not unchanged:
            forget_output(self.root, self.out_dir, ours=unchanged)  # ours, as this one saved it
        self._summary_saved = False

    def _written_by_another(self) -> bool:
        """Whether another build wrote the output folder since this builder did (a `build`
        while `serve` runs): what this builder knows of its files no longer holds."""
        return self._signature is not None and \
            self._signature != output_signature(self.root, self.out_dir)

    def _plan_changes(self, checked: CheckedSite, changed: set[str], stamps: dict[str, str]
                      ) -> tuple[SiteIndex, list[PageSpec], set[str], list[PageSpec]]:
        """The updated index; the pages planned again, those gone, those to render again."""
        assert self._env is not None
        edited = {n for n in stamps.keys() | self._stamps.keys()
                  if stamps.get(n) != self._stamps.get(n)}
        using = pages_using(self._env, edited)
        slugs = changed | (self._touches.keys() ^ {b.slug for b in checked.site.briefs})
        if self._index is None:  # restored from the cache: an index anew, and as keys what
            index = build_index(checked)  # the changed briefs touched before and touch now
            keys = frozenset().union(*(self._touches.get(s, ()) for s in slugs))
            keys |= frozenset().union(*(touches(index.brief(s), index)
                                       for s in slugs if s in index.links.views))
            touched: set[Unit] = set(keys)
        else:
            index, update = update_index(self._index, checked, slugs)
            keys, touched = update.keys(), update.units()
        units = {*SHARED_UNITS, *touched, *self._book.units_showing(keys),
                 *(info.unit for info in self._book.pages.values() if using(info.template))}
        planner = Planner(index)
        planned = [s for u in units for s in planner.pages(u)]
        paths = {s.path for s in planned}
        gone = {p for p, info in self._book.pages.items()
                if p not in paths and info.unit in units}
        todo = [s for s in planned if self._book.due(s, keys, using, self._digests)]
        return index, planned, gone, todo

    def warm(self) -> None:
        """Get ready for quick rebuilds (what `serve` does after its first build): compile the
        templates here (a parallel build compiled them in its workers), index the pages, and
        freeze what the site holds now out of the garbage collector: a build from the cache
        ran nothing in parallel, which freezes it, and a full collection would walk its
        millions of objects again and again (most of a second each time)."""
        if self._env is not None:
            for template in {info.template for info in self._book.pages.values()}:
                with contextlib.suppress(jinja2.TemplateError):  # reported when a page uses it
                    self._env.get_template(template)
        self._book.showing()
        gc.freeze()

    def _extras(self, index: SiteIndex, planned: Sequence[PageSpec],
                gone: set[str]) -> dict[str, bytes]:
        """The host files (sitemap...), made again when a page or a brief's date changed."""
        dated = tuple((v.brief.slug, v.brief.date) for v in index.briefs)
        same_pages = not gone and all(s.path in self._book.pages for s in planned)
        key = (index.site.config, dated)
        if self._hosts is None or self._hosts[0] != key or not same_pages:
            pages = {*(p for p in self._book.pages if p not in gone), *(s.path for s in planned)}
            self._hosts = (key, host_files(index.site.config, pages,
                                           {urls.brief(slug): date for slug, date in dated}))
        return self._hosts[1]

    def _write_all(self, specs: Sequence[PageSpec], extras: dict[str, bytes],
                   diags: Diagnostics) -> Written | None:
        assert self._env is not None
        done = write_all(specs, extras, self._env, self.root, self.out_dir, self.jobs,
                         self._reporter("pages"))
        if isinstance(done, Diagnostic):
            diags.extend([done])
            return None
        if self.use_cache:
            mark_writing(self.root, False)  # a build stopped while writing is made good
        return done

    def _write_some(self, todo: Sequence[PageSpec], gone: set[str], extras: dict[str, bytes],
                    diags: Diagnostics) -> Written | None:
        """Render only the pages due again; those that changed are written beside the output,
        then moved into it once all are (nothing is moved when a page cannot be rendered)."""
        assert self._env is not None
        patch = Patch.start(self.out_dir)
        try:
            found = changes(todo, gone, extras, self._env, self.root, self._book.pages,
                            self._digests, patch, diags, self.jobs, self._reporter("pages"))
        except BaseException:
            patch.abort()
            raise
        if found is None:
            patch.abort()
            return None
        changed, gone, digests = found
        if self.use_cache:
            mark_writing(self.root, True)
        report = patch.apply(changed, gone, digests.keys())
        if self.use_cache:
            mark_writing(self.root, False)
        return report, digests, len(todo)

    def _reporter(self, stage: str) -> parallel.Progress | None:
        progress = self.progress
        return None if progress is None else lambda done, total: progress(stage, done, total)

    def _global_fingerprint(self, sources: SiteSources, actors: Iterable[Actor]) -> str:
        """What every page depends on: the settings, and every actor (the registry's and those
        declared in briefs) as pages show it. Not where an actor was written: a comment in the
        registry, or a line added above a brief's own actors, changes no page."""
        parts = [sources.config.text if sources.config else "", str(self.base_url)]
        parts += [repr(_as_shown(actor)) for actor in actors]
        return _digest(*parts)



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


def _process_one(payload: tuple[list[Brief], NameMatcher, MarkdownIt],
                 i: int) -> tuple[Article, tuple[Diagnostic, ...]]:
    briefs, matcher, md = payload
    local = Diagnostics()
    article = process_article(briefs[i], md, matcher, local)
    return article, tuple(local.items)


NOWHERE = Span("")


def _as_shown(actor: Actor) -> Actor:
    """The actor without the places it was written."""
    part_of = actor.part_of and Ref(actor.part_of.id, NOWHERE)
    return dataclasses.replace(actor, span=NOWHERE, part_of=part_of, name_spans=())


def _digest(*parts: str) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.hexdigest()


def _reason(exc: OSError) -> str:
    """`No space left on device: output/briefs/x/index.html`."""
    return f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc.strerror or exc)
