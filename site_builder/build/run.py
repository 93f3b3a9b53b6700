"""`site-builder build`: the whole pipeline, once, reusing the site's build cache.

Load, validate, anchor, index, render, write: see `builder.Builder`, which
`serve` keeps alive to rebuild after each save. When any error was found,
nothing is written and the previous output stays as it was. When nothing
changed since the last build, the cache says so before anything heavy is
even imported.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..base.diagnostics import Diagnostics
from .cache import unchanged_since_last_build
from .output import BuildOutcome, WriteReport


def build_site(root: Path, out_dir: Path, diags: Diagnostics, base_url: str | None = None,
               jobs: int | None = None, use_cache: bool = True,
               progress: Callable[[str, int, int], None] | None = None,
               strict: bool = False) -> BuildOutcome:
    summary, inputs, written = unchanged_since_last_build(root, out_dir, base_url) \
        if use_cache else (None, None, None)
    # Last time's warnings that fail a --strict build: it runs to say so, writing nothing.
    if summary is not None and not Diagnostics(list(summary.diags)).fails(strict):
        diags.extend(summary.diags)  # the same warnings as last time
        return BuildOutcome(summary.briefs, WriteReport((), summary.pages, ()))
    from ..base import parallel
    from .builder import Builder

    builder = Builder(root, out_dir, base_url, jobs or parallel.cores(), use_cache=use_cache,
                      progress=progress, strict=strict, inputs=inputs, written=written)
    return builder.build(diags)
