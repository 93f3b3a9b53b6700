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

import gc
from collections.abc import Collection
from dataclasses import InitVar, dataclass, field
from pathlib import Path

from ..base import parallel
from ..base.diagnostics import Diagnostic, Diagnostics, Span
from ..base.moves import recover
from ..source.load import SiteSources
from ..source.schema import SchemaWriter
from ..text.articles import CheckedSite
from ..text.readertext import make_markdown
from .cache import load_state
from .fingerprints import Written
from .kept import BuildState, Summary
from .output import BuildOutcome, WriteReport, unsafe_output
from .plan import SitePlan, settings_key
from .reading import Reader
from .renderer import Renderer
from .saving import CacheSaver, table_rows
from .workers import StageProgress, Workers
from .writer import Writer


@dataclass
class Builder:
    """The pipeline, run again and again: each stage's collaborator keeps what the next build
    can use again (`Reader` each brief's results, `SitePlan` the pages, `Renderer` the
    templates, `Writer` the output folder, `CacheSaver` the build cache)."""

    root: Path
    out_dir: Path
    base_url: str | None = None
    jobs: int = field(default_factory=parallel.cores)
    use_cache: bool = False  # keep results in the site's .cache/ folder between runs
    progress: StageProgress | None = None  # (stage, done, total)
    strict: bool = False  # warnings but `pending` and `optional` ones fail it: nothing written
    inputs: InitVar[str | None] = None  # the inputs' fingerprint, when the caller just took it
    written: InitVar[Written | None] = None  # the last written files' stats, just taken too
    _reader: Reader = field(init=False)
    _plan: SitePlan = field(init=False)
    _renderer: Renderer = field(init=False)
    _writer: Writer = field(init=False)
    _saver: CacheSaver = field(init=False)
    _schemas: SchemaWriter = field(init=False, default_factory=SchemaWriter)

    def __post_init__(self, inputs: str | None, written: Written | None) -> None:
        md, workers = make_markdown(), Workers(self.jobs, self.progress)
        self._reader = Reader(self.root, self.base_url, workers, md)
        self._plan = SitePlan()
        self._renderer = Renderer(self.root, md, compiled=self.use_cache)
        self._writer = Writer(self.root, self.out_dir, workers, marks=self.use_cache)
        self._saver = CacheSaver(self.root, self.out_dir, self.base_url,
                                 restored=not self.use_cache, inputs=inputs, written=written)

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
        if not self._saver.restored:
            self._restore()  # `build_site` has already answered "nothing changed" when it could
        saving = self.use_cache and save_cache
        inputs = self._saver.inputs_fingerprint() if saving else None  # the inputs as read
        local = Diagnostics()
        with parallel.paused_collector():
            outcome = self._build(local, changed if self._plan.index is not None else None,
                                  saving)
        diags.absorb(local)
        if outcome.report is None:
            self._saver.discard()
            return outcome
        if inputs is not None:
            self._save(inputs, tuple(local.items), outcome.report)
        else:
            self._saver.wrote_without_saving()
            if outcome.report.written or outcome.report.removed:
                self._saver.forget_output(self._writer.signature)
        self._writer.wrote()
        return outcome

    def _build(self, diags: Diagnostics, changed: Collection[str] | None,
               saving: bool) -> BuildOutcome:
        read = self._reader.read(changed, diags)
        self._schemas.write(self.root, read.checked.site, create=False)  # editors', if made
        due = self._plan.due(read.changed)  # with the changes of builds that wrote nothing
        if diags.fails(self.strict):
            return BuildOutcome(read.briefs, None)
        if saving:
            self._saver.start(self._reader.kept())
        try:
            return self._render_and_write(read.sources, read.checked, due, diags)
        except OSError as exc:  # a full disk, a folder that cannot be written...
            self._writer.lost()
            diags.error(Span(str(self.out_dir)), f"the site could not be written: {_reason(exc)}",
                        "free some disk space or let site-builder write this folder, then "
                        "build again: the next build writes the whole site")
            return BuildOutcome(read.briefs, None)

    def _render_and_write(self, sources: SiteSources, checked: CheckedSite, changed: set[str],
                          diags: Diagnostics) -> BuildOutcome:
        """Plan the pages, render those due and write those that changed: every page after a
        change of the settings or of an actor, or into an output folder this builder did not
        leave as it is."""
        key = settings_key(sources, checked.site.actors, self.base_url)
        settings_changed = key != self._plan.global_key
        templates = self._renderer.templates(settings_changed)
        known = self._writer.known()
        if settings_changed or not known:
            plan = self._plan.whole(checked)
        else:
            plan = self._plan.changes(checked, changed, templates.using(), self._writer.digests)
        self._renderer.tables.changed(plan.keys)
        briefs = len(checked.site.briefs)
        written = self._writer.write(plan, self._plan.book.pages, templates.env, known, diags)
        if written is None:
            return BuildOutcome(briefs, None)
        self._plan.remember(plan, key)
        self._renderer.rendered(templates)
        return BuildOutcome(briefs, *written)

    def _restore(self) -> None:
        """The last build's state, from the build cache, to each part that keeps it."""
        saved = self._saver.trusted(load_state(self.root, self._saver.options))
        if saved is None:
            return
        state = saved.state
        self._plan.restore(state)
        self._renderer.stamps = state.stamps
        self._writer.digests = state.digests
        self._renderer.tables.restore(state.tables)
        self._reader.restore(saved.briefs, state.config_key, state.listing)

    def _save(self, inputs: str, diags: tuple[Diagnostic, ...], report: WriteReport) -> None:
        """Save what the next build needs, once this one wrote the site."""
        plan, reader, digests = self._plan, self._reader, self._writer.digests
        fingerprint = self._saver.fingerprint(inputs, digests, report)
        state = BuildState(plan.touches, plan.book.pages, digests, plan.global_key,
                           self._renderer.stamps, fingerprint, reader.config_key,
                           reader.texts.listing(),
                           table_rows(self._renderer.tables, plan.index, self.out_dir))
        self._saver.save(state, Summary(fingerprint, diags, len(plan.touches), tuple(digests),
                                        str(self.out_dir.resolve())))

    def warm(self) -> None:
        """Get ready for quick rebuilds (what `serve` does after its first build): compile the
        templates here (a parallel build compiled them in its workers), keep the data files'
        rows from now on (see `DataTables`), index the pages, and freeze what the site holds
        now out of the garbage collector: a build from the cache ran nothing in parallel,
        which freezes it, and a full collection would walk its millions of objects again and
        again (most of a second each time)."""
        self._renderer.warm((info.template for info in self._plan.book.pages.values()),
                            self._plan.index)
        self._plan.book.showing()
        gc.freeze()


def _reason(exc: OSError) -> str:
    """`No space left on device: output/briefs/x/index.html`."""
    return f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc.strerror or exc)
