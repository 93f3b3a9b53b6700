"""`site-builder build`: one cold build of the whole pipeline.

Load, validate, anchor, index, render, write: see `incremental.Builder`, which
`serve` keeps alive to rebuild after each save. When any error was found,
nothing is written and the previous output stays as it was.
"""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostics
from .incremental import Builder, BuildOutcome


def build_site(root: Path, out_dir: Path, diags: Diagnostics,
               base_url: str | None = None) -> BuildOutcome:
    return Builder(root, out_dir, base_url).build(diags)
