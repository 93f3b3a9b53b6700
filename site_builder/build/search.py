"""Search: Pagefind's index of the brief pages, written with the rest of the site.

With `search: true` in site.yaml (and Pagefind installed: `site-builder[search]`), every build
that writes a brief page indexes the brief pages again, all of them, with Pagefind, and puts
its files (`pagefind/`) into the output as it puts the pages: staged beside the output, moved
in with them, each file's digest kept, so that a later build removes exactly those it made.
Pagefind reads only the brief pages (`PAGES_GLOB`), and in them only what the theme marks
(`data-pagefind-body`, `-filter`, `-meta`). It writes the same bytes for the same pages.

Pagefind runs as a program of its own (`pagefind_bin`), driven through its Python package.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..base.diagnostics import Diagnostic, Severity, Span
from ..base.moves import make_folder
from ..site.urls import SEARCH_BUNDLE

PAGES_GLOB = "briefs/*/index.html"  # the brief pages; not the lists of briefs (briefs/page/N/)
ENTRY = SEARCH_BUNDLE + "pagefind-entry.json"  # written by every index: proves one is there


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """The search index of a site with search on: the brief pages it indexes."""

    pages: frozenset[str]  # the output paths of the brief pages

    def due(self, changed: Collection[str], gone: Collection[str],
            digests: Mapping[str, str]) -> bool:
        """Whether the index must be made again: a brief page was written or removed, or the
        output holds no index."""
        return ENTRY not in digests or any(p in self.pages for p in changed) or \
            any(_brief_page(p) for p in gone)

    def files(self, site: Path, work: Path) -> dict[str, bytes] | Diagnostic:
        """Pagefind's files for the brief pages of `site` (a folder holding them at their
        output paths), by output path; `work`, an empty folder of the builder's own to write
        them in first. Or why Pagefind failed."""
        out = work / "bundle"
        try:
            asyncio.run(_index(site, out))
        except Exception as exc:  # Pagefind's own errors are plain Exceptions
            return Diagnostic(Severity.ERROR, Span("site.yaml"),
                              f"the search index could not be made: {exc}",
                              "build again; if it fails again, set 'search: false' in "
                              "site.yaml and report the message")
        found: dict[str, bytes] = {}
        for folder, _, names in os.walk(out):
            for name in names:
                path = os.path.join(folder, name)
                found[SEARCH_BUNDLE + os.path.relpath(path, out).replace(os.sep, "/")] = \
                    Path(path).read_bytes()
        return dict(sorted(found.items()))

    def gather(self, work: Path, written: Path, output: Path,
               changed: Collection[str]) -> Path:
        """A folder of the brief pages as the build leaves them (`changed` ones from
        `written`, the others from `output`), made of hard links in `work`."""
        site = work / "pages"
        for rel in sorted(self.pages):
            source = written / rel if rel in changed else output / rel
            target = os.path.join(site, rel)
            make_folder(os.path.dirname(target))
            try:
                os.link(source, target)
            except OSError:
                Path(target).write_bytes(source.read_bytes())
        return site


def _brief_page(path: str) -> bool:
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == "briefs" and parts[2] == "index.html"


async def _index(site: Path, out: Path) -> None:
    from pagefind.index import PagefindIndex

    async with PagefindIndex(config={"output_path": str(out)}) as index:
        await index.add_directory(str(site), glob=PAGES_GLOB)
