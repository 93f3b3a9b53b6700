"""What a Builder keeps of each brief between builds, and how the build cache stores it.

Each brief's results are kept with the digest of the inputs they came from, so a
build can tell whether they still hold. In the cache (see cache.py), what belongs
to one brief (its files as read, with their sizes, times and inodes, its annotations
and its article) goes into one of the shards, chosen by its slug; a build saves
again only the shards where something changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..base.clock import FileStats
from ..base.diagnostics import Diagnostic
from ..source.load import BriefSource, TextCache
from .cache import shard_of

Shards = dict[int, dict[str, "Kept"]]  # shard -> slug -> what is kept of that brief
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


def by_shard(briefs: Briefs, texts: TextCache) -> Shards:
    """What belongs to each brief, by shard. The files' sizes, times and inodes go with them,
    so that the next build reads again only the files that changed."""
    shards: Shards = defaultdict(dict)
    for slug in briefs.briefs.keys() | briefs.articles.keys() | briefs.sources.keys():
        source = briefs.sources.get(slug)
        stats = source and (texts.stats(source.article), texts.stats(source.annotations))
        shards[shard_of(slug)][slug] = Kept(briefs.briefs.get(slug), briefs.articles.get(slug),
                                            source, stats)
    return dict(shards)


def changed_shards(saved: Mapping[int, dict[str, Kept]], shards: Shards) -> Shards:
    """The shards that do not hold what they held when they were saved (the same objects)."""
    return {n: kept for n, kept in shards.items() if not _same(saved.get(n), kept)}


def _same(before: dict[str, Kept] | None, now: dict[str, Kept]) -> bool:
    return before is not None and before.keys() == now.keys() and all(
        b.brief is n.brief and b.article is n.article and b.source is n.source
        and b.stats == n.stats for b, n in ((before[slug], now[slug]) for slug in now))


def unpack(shards: Mapping[int, dict[str, Kept]], texts: TextCache) -> Briefs:
    """The briefs kept in `shards`; their files go into `texts` as an earlier process read
    them, with the sizes, times and inodes they had then."""
    found = Briefs({}, {}, {})
    for shard in shards.values():
        for slug, kept in shard.items():
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
