"""Search: Pagefind's index of the brief pages, written with the rest of the site.

With `search: true` in site.yaml (and Pagefind installed: `site-builder[search]`), the brief
pages are indexed with Pagefind, whose files (`pagefind/`) go into the output as the pages do:
staged beside the output, moved in with them, each file's digest kept, so that a later build
removes exactly those it made. Pagefind reads only the brief pages, and in them only what the
theme marks (`data-pagefind-body`, `-filter`, `-meta`). It holds the pages it indexes in
memory, so the index is made in parts of `urls.SEARCH_PART` briefs, one after the other, each
its own index (`pagefind/`, `pagefind/part-2/`...), which the search page searches together.
A build that writes brief pages makes again the parts holding them (every part when a brief
came or went); Pagefind cannot update a part in place.

Pagefind runs as a program of its own (`pagefind_bin`'s, found by its Python package). Its
files hold the same index for the same pages, but not the same bytes: it writes the values of
a filter in no fixed order, and names files by their content.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..base.diagnostics import Diagnostic, Severity, Span
from ..base.moves import make_folder
from ..base.parallel import Progress
from ..site import urls
from ..site.urls import SEARCH_BUNDLE

PAGES_GLOB = "briefs/*/index.html"  # the brief pages; not the lists of briefs (briefs/page/N/)
ENTRY_NAME = "pagefind-entry.json"  # written into every part of the index: proves it is there


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """The search index of a site with search on: the brief pages it indexes."""

    pages: frozenset[str]  # the output paths of the brief pages
    progress: Progress | None = None  # told as each part of the index is done

    def parts(self) -> dict[str, list[str]]:
        """The brief pages of each part of the index, by its folder, in their order."""
        pages, size = sorted(self.pages), urls.SEARCH_PART
        return {bundle: pages[n * size:(n + 1) * size]
                for n, bundle in enumerate(urls.search_bundles(len(pages)))}

    def stale(self, changed: Collection[str], gone: Collection[str],
              digests: Mapping[str, str]) -> set[str]:
        """The parts of the index to make again (by folder), after a build wrote the pages
        `changed` and removed those `gone` from an output whose files had `digests`: every
        part when a brief page came or went (the parts' shares move); otherwise those
        holding a page written again, or missing from the output."""
        parts = self.parts()
        if any(_brief_page(p) for p in gone) or \
                any(p in self.pages and p not in digests for p in changed):
            return set(parts)
        return {bundle for bundle, share in parts.items()
                if bundle + ENTRY_NAME not in digests or any(p in changed for p in share)}

    def files(self, source: Callable[[str], Path], work: Path,
              only: Collection[str] | None = None) -> dict[str, bytes] | Diagnostic:
        """Pagefind's files for the brief pages (`source` says where each is now), by output
        path, of every part or `only` those; `work`, a folder of the builder's own to write
        them in first. Or why Pagefind failed."""
        found: dict[str, bytes] = {}
        done, total = 0, len(self.pages)
        for n, (bundle, share) in enumerate(self.parts().items()):
            if only is not None and bundle not in only:
                continue
            if self.progress is not None:
                self.progress(done, total)
            done += len(share)
            site, out = work / f"pages-{n + 1}", work / f"bundle-{n + 1}"
            _gather(share, source, site)
            problem = _index(site, out)
            if problem is not None:
                return Diagnostic(Severity.ERROR, Span("site.yaml"),
                                  f"the search index could not be made: {problem}",
                                  "build again; if it fails again, set 'search: false' in "
                                  "site.yaml and report the message")
            found.update(_read_all(out, bundle))
        if self.progress is not None:
            self.progress(total, total)
        return dict(sorted(found.items()))


def part_of(path: str) -> str:
    """The folder of the part of the index an output path of `pagefind/` belongs to."""
    first, _, rest = path[len(SEARCH_BUNDLE):].partition("/")
    return f"{SEARCH_BUNDLE}{first}/" if first.startswith("part-") and rest else SEARCH_BUNDLE


def staged(folder: Path) -> Callable[[str], Path]:
    """Where each page is in a staging folder holding the whole site."""
    return lambda rel: folder / rel


def patched(written: Path, output: Path, changed: Collection[str]) -> Callable[[str], Path]:
    """Where each page is while a patch is under way: `changed` ones in `written`, the others
    in the output."""
    return lambda rel: (written if rel in changed else output) / rel


def _gather(pages: list[str], source: Callable[[str], Path], site: Path) -> None:
    """A folder of `pages`, made of hard links (copies where links cannot be made)."""
    for rel in pages:
        target = os.path.join(site, rel)
        make_folder(os.path.dirname(target))
        try:
            os.link(source(rel), target)
        except OSError:
            Path(target).write_bytes(source(rel).read_bytes())


def _read_all(out: Path, bundle: str) -> dict[str, bytes]:
    """The files Pagefind wrote into `out`, by their output path under `bundle`."""
    found: dict[str, bytes] = {}
    for folder, _, names in os.walk(out):
        for name in names:
            path = os.path.join(folder, name)
            found[bundle + os.path.relpath(path, out).replace(os.sep, "/")] = \
                Path(path).read_bytes()
    return found


def _brief_page(path: str) -> bool:
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == "briefs" and parts[2] == "index.html"


def _index(site: Path, out: Path) -> str | None:
    """Run Pagefind's program on the pages of `site`, writing the index into `out`; what went
    wrong, or None. The program is run on its own rather than through the package's service,
    which answers before every file is written (a build once got an empty
    `pagefind-worker.js`)."""
    from pagefind.service import get_executable

    program = get_executable()
    if program is None:
        return "Pagefind's program was not found"
    done = subprocess.run([str(program), "--site", str(site), "--glob", PAGES_GLOB,
                           "--output-path", str(out), "--silent"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return (done.stderr or done.stdout).strip() or f"it stopped with code {done.returncode}"
    return None
