"""`site-builder build`: the whole pipeline, once, reusing the site's build cache.

Load, validate, anchor, index, render, write: see `incremental.Builder`, which
`serve` keeps alive to rebuild after each save. When any error was found,
nothing is written and the previous output stays as it was. When nothing
changed since the last build, the cache says so before anything heavy is
even imported.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .cache import unchanged_since_last_build
from .diagnostics import Diagnostics
from .output import BuildOutcome, WriteReport


def build_site(root: Path, out_dir: Path, diags: Diagnostics, base_url: str | None = None,
               jobs: int | None = None, use_cache: bool = True,
               progress: Callable[[str, int, int], None] | None = None,
               strict: bool = False) -> BuildOutcome:
    if use_cache and not (strict and _warned_last_time(root, out_dir, base_url)):
        summary = unchanged_since_last_build(root, out_dir, base_url)
        if summary is not None:
            diags.extend(summary["diags"])  # the same warnings as last time
            return BuildOutcome(summary["briefs"], WriteReport((), summary["pages"], ()))
    from . import parallel
    from .incremental import Builder

    builder = Builder(root, out_dir, base_url, jobs or parallel.cores(), use_cache=use_cache,
                      progress=progress, strict=strict)
    return builder.build(diags)


def _warned_last_time(root: Path, out_dir: Path, base_url: str | None) -> bool:
    summary = unchanged_since_last_build(root, out_dir, base_url)
    return bool(summary and summary["diags"])
