"""`site-builder build`: the whole pipeline, once, reusing the site's build cache.

Load, validate, anchor, index, render, write: see `incremental.Builder`, which
`serve` keeps alive to rebuild after each save. When any error was found,
nothing is written and the previous output stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import parallel
from .diagnostics import Diagnostics
from .incremental import Builder, BuildOutcome


def build_site(root: Path, out_dir: Path, diags: Diagnostics, base_url: str | None = None,
               jobs: int | None = None, use_cache: bool = True,
               progress: Callable[[str, int, int], None] | None = None,
               strict: bool = False) -> BuildOutcome:
    builder = Builder(root, out_dir, base_url, jobs or parallel.cores(), use_cache=use_cache,
                      progress=progress, strict=strict)
    return builder.build(diags)
