"""Writing a build's pages into the output folder: the whole site, or only what changed.

`Writer` knows the output folder as this builder last left it: each file's digest, and
who wrote it last. While nothing else wrote it since, a build renders the pages due and
writes only those whose bytes changed (a patch); otherwise the whole site goes through a
staging folder (see output.py). The host files (sitemap.xml...) are made again when a page
or a brief's date changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from ..base.diagnostics import Diagnostic, Diagnostics
from ..site import urls
from ..site.hostfiles import host_files
from ..site.pages import PageInfo, PageSpec
from .cachefolder import mark_writing
from .fingerprints import OutputSignature, output_signature
from .output import Patch, WriteReport
from .pagewrite import Written, changes, write_all
from .plan import Plan
from .search import SearchIndex
from .workers import Workers


@dataclass
class Writer:
    """The output folder, as this builder last wrote it."""

    root: Path
    out_dir: Path
    workers: Workers
    marks: bool  # leave a mark in the build cache while files move into the output
    digests: dict[str, str] = field(default_factory=dict)  # each file written, by path
    signature: OutputSignature | None = None  # after this builder last wrote: who wrote last
    _hosts: tuple[Any, dict[str, bytes]] | None = None  # the host files, and what they show

    def known(self) -> bool:
        """Whether the output folder is as this builder last left it, each file's digest
        known: then a build patches it."""
        return bool(self.digests) and self.out_dir.is_dir() and not self.written_by_another()

    def written_by_another(self) -> bool:
        """Whether another build wrote the output folder since this builder did (a `build`
        while `serve` runs): what this builder knows of its files no longer holds."""
        return self.signature is not None and \
            self.signature != output_signature(self.root, self.out_dir)

    def write(self, plan: Plan, pages: Mapping[str, PageInfo], env: jinja2.Environment,
              patch: bool, diags: Diagnostics) -> tuple[WriteReport, int] | None:
        """The plan's pages rendered and written, with the host files: only those that changed
        into the output as it is (`patch`), or the whole site; `pages`: the last build's. What
        was written, and how many pages were rendered; None when a page cannot be rendered."""
        extras = self._host_files(plan, pages)
        search = _search(plan, self.workers)
        if patch:
            written = self._write_some(plan.todo, plan.removed, extras, env, pages, diags,
                                       search)
        else:
            written = self._write_all(plan.planned, extras, env, diags, search)
        if written is None:
            return None
        report, self.digests, rendered = written
        return report, rendered

    def lost(self) -> None:
        """Writing failed half-way: the output is in doubt, and the next build writes it whole."""
        self.digests = {}

    def wrote(self) -> None:
        """A build wrote the output folder: what tells whether another writes it next."""
        self.signature = output_signature(self.root, self.out_dir)

    def _host_files(self, plan: Plan, pages: Mapping[str, PageInfo]) -> dict[str, bytes]:
        """The host files (sitemap...), made again when a page or a brief's date changed."""
        index = plan.index
        dated = tuple((v.brief.slug, v.brief.date) for v in index.briefs)
        same_pages = not plan.gone and all(s.path in pages for s in plan.planned)
        key = (index.site.config, dated)
        if self._hosts is None or self._hosts[0] != key or not same_pages:
            paths = {*(p for p in pages if p not in plan.gone), *(s.path for s in plan.planned)}
            self._hosts = (key, host_files(index.site.config, paths,
                                           {urls.brief(slug): date for slug, date in dated}))
        return self._hosts[1]

    def _write_all(self, specs: Sequence[PageSpec], extras: dict[str, bytes],
                   env: jinja2.Environment, diags: Diagnostics,
                   search: SearchIndex | None) -> Written | None:
        done = write_all(specs, extras, env, self.root, self.out_dir, self.workers.jobs,
                         self.workers.reporter("pages"), search)
        if isinstance(done, Diagnostic):
            diags.extend([done])
            return None
        if self.marks:
            mark_writing(self.root, False)  # a build stopped while writing is made good
        return done

    def _write_some(self, todo: Sequence[PageSpec], gone: set[str], extras: dict[str, bytes],
                    env: jinja2.Environment, pages: Mapping[str, PageInfo],
                    diags: Diagnostics, search: SearchIndex | None) -> Written | None:
        """Render only the pages due again; those that changed are written beside the output,
        then moved into it once all are (nothing is moved when a page cannot be rendered)."""
        patch = Patch.start(self.out_dir)
        try:
            found = changes(todo, gone, extras, env, self.root, pages, self.digests, patch,
                            diags, self.workers.jobs, self.workers.reporter("pages"), search)
        except BaseException:
            patch.abort()
            raise
        if found is None:
            patch.abort()
            return None
        changed, gone, digests = found
        if self.marks:
            mark_writing(self.root, True)
        report = patch.apply(changed, gone, digests.keys())
        if self.marks:
            mark_writing(self.root, False)
        return report, digests, len(todo)


def _search(plan: Plan, workers: Workers) -> SearchIndex | None:
    """The site's search index, with `search: true`: of every brief page."""
    index = plan.index
    if not index.site.config.search:
        return None
    return SearchIndex(frozenset(urls.brief(view.brief.slug) for view in index.briefs),
                       workers.reporter("search index"))
