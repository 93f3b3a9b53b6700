"""The whole pipeline: load, validate, anchor, index, render, write.

`build_site` reads top to bottom. Every stage adds to one `Diagnostics`; when
any error was found, nothing is written and the previous output stays.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from .config import base_url_of
from .diagnostics import Diagnostics, Span
from .index import build_index
from .output import WriteReport, commit_output, unsafe_output
from .pipeline import check_site_at
from .readertext import make_markdown
from .render import make_environment, render_site


@dataclass(frozen=True, slots=True)
class BuildResult:
    briefs: int
    report: WriteReport | None  # None when nothing was written


def build_site(root: Path, out_dir: Path, diags: Diagnostics,
               base_url: str | None = None) -> BuildResult:
    if (reason := unsafe_output(out_dir, root)) is not None:
        diags.error(Span(str(out_dir)), reason, "choose another folder with --output DIR")
        return BuildResult(0, None)
    md = make_markdown()
    checked = check_site_at(root, diags, md)
    if base_url is not None:
        site = checked.site
        config = dataclasses.replace(site.config, base_url=base_url_of(base_url, None, diags))
        checked = dataclasses.replace(checked, site=dataclasses.replace(site, config=config))
    briefs = len(checked.site.briefs)
    if diags.errors:
        return BuildResult(briefs, None)
    pages = render_site(build_index(checked), make_environment(root, md), md, diags, root)
    if diags.errors:
        return BuildResult(briefs, None)
    return BuildResult(briefs, commit_output(pages, out_dir))
