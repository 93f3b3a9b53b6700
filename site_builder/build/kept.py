"""What a Builder keeps between builds: each brief's results, and the state of the last build.

Each brief's results are kept with the digest of the inputs they came from, so a
build can tell whether they still hold. In the cache's store (see store.py), what
belongs to one brief (its files as read, with their sizes, times and inodes, its
annotations and its article) is one row, a `Kept`; a build saves again only the rows
where something changed. What does not belong to one brief
(the pages, their digests, the templates' stamps...) is a `BuildState`, and the
last build in brief, enough to tell that nothing changed, a `Summary`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..base.clock import FileStats
from ..base.diagnostics import Diagnostic

if TYPE_CHECKING:  # named in annotations only: `build` reads the cache's summary, to tell
    # that nothing changed, without waiting for the imports of the whole pipeline
    from ..site.pages import Keys, PageInfo
    from ..source.load import BriefSource, TextCache

Stats = FileStats | None  # a file's size, times and inode when it was read


@dataclass(frozen=True, slots=True)
class Cached:
    """One stage's result for one brief, for inputs with this digest, with its diagnostics."""

    key: str | None
    value: Any
    diags: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class Kept:
    """What the cache keeps of one brief: its results, its files, and their sizes, times and
    inodes."""

    brief: Cached | None
    article: Cached | None
    source: BriefSource | None
    stats: tuple[Stats, Stats] | None  # the article's, the annotations'


@dataclass(frozen=True, slots=True)
class Briefs:
    """Each brief's annotations, article and files, by slug."""

    briefs: dict[str, Cached]
    articles: dict[str, Cached]
    sources: dict[str, BriefSource]


@dataclass(frozen=True, slots=True)
class BuildState:
    """What the next build needs that does not belong to one brief."""

    touches: dict[str, Keys]  # what a change of each brief alters
    pages: dict[str, PageInfo]  # every page of the last build, by path
    digests: dict[str, str]  # each file written, by path: its digest
    global_key: str | None  # the settings and the actors, as every page shows them
    stamps: dict[str, str]  # each template's file and stats
    fingerprint: str | None  # inputs and written files of the last successful build
    config_key: str | None  # the settings the briefs were read with
    listing: tuple[Any, ...]  # what was known of the briefs/ folder (`TextCache.listing`)
    tables: dict[str, Any]  # the data tables' rows: by record as read from the cache's store,
    # as `DataTables.state` gives them when saved


@dataclass(frozen=True, slots=True)
class Saved:
    """What the cache's store holds: the last build's state, every brief's results, which
    save wrote them (`generation`: one more at each save), and which data tables' rows it
    holds."""

    state: BuildState
    briefs: dict[str, Kept]
    generation: int
    tables: frozenset[str]


@dataclass(frozen=True, slots=True)
class Summary:
    """The last build in brief: all a build needs when nothing changed since."""

    fingerprint: str  # its inputs and written files
    diags: tuple[Diagnostic, ...]  # its messages, shown again
    briefs: int
    pages: tuple[str, ...]  # every file it wrote
    out_dir: str  # the output folder it wrote, resolved


def digest(*parts: str) -> str:
    """The digest of a result's inputs, by which it is kept."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.hexdigest()


def pack(briefs: Briefs, texts: TextCache) -> dict[str, Kept]:
    """What belongs to each brief, by slug. The files' sizes, times and inodes go with them,
    so that the next build reads again only the files that changed."""
    packed = {}
    for slug in briefs.briefs.keys() | briefs.articles.keys() | briefs.sources.keys():
        source = briefs.sources.get(slug)
        stats = None if source is None else (texts.stats(source.article),
                                             texts.stats(source.annotations))
        packed[slug] = Kept(briefs.briefs.get(slug), briefs.articles.get(slug), source, stats)
    return packed


def unpack(packed: Mapping[str, Kept], texts: TextCache) -> Briefs:
    """The briefs kept in `packed`; their files go into `texts` as an earlier process read
    them, with the sizes, times and inodes they had then."""
    found = Briefs({}, {}, {})
    for slug, kept in packed.items():
        if kept.brief is not None:
            found.briefs[slug] = kept.brief
        if kept.article is not None:
            found.articles[slug] = kept.article
        if kept.source is not None:
            found.sources[slug] = kept.source
            _keep_files(kept.source, kept.stats, texts)
    return found


def _keep_files(source: BriefSource, stats: tuple[Stats, Stats] | None,
                texts: TextCache) -> None:
    for text, stat in zip((source.article, source.annotations), stats or (None, None),
                          strict=True):
        if stat is not None:
            texts.keep(text, stat)
