"""Writing a rendered site to disk, all or nothing.

The new site is assembled in a staging folder beside the output folder and
swapped in with renames, so a crash or an error never leaves half a site.
Files whose bytes did not change are hard-linked from the previous output,
keeping their modification times; when nothing changed at all, nothing is
touched. Files of the old output that the new site lacks disappear with it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

STAGING_SUFFIX = ".staging"
OLD_SUFFIX = ".old"


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]


def commit_output(pages: Mapping[str, bytes], out_dir: Path) -> WriteReport:
    """Make `out_dir` hold exactly `pages`; a report of what changed."""
    old = _existing_files(out_dir)
    written = tuple(sorted(p for p, data in pages.items() if _differs(out_dir / p, data, old)))
    unchanged = tuple(sorted(p for p in pages if p not in written))
    removed = tuple(sorted(old - pages.keys()))
    if not written and not removed and out_dir.is_dir():
        return WriteReport((), unchanged, ())
    staging = out_dir.with_name(out_dir.name + STAGING_SUFFIX)
    previous = out_dir.with_name(out_dir.name + OLD_SUFFIX)
    for leftover in (staging, previous):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        _assemble(staging, pages, set(written), out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, out_dir, previous)
    return WriteReport(written, unchanged, removed)


def _existing_files(out_dir: Path) -> set[str]:
    if not out_dir.is_dir():
        return set()
    return {p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*")
            if p.is_file() or p.is_symlink()}


def _differs(path: Path, data: bytes, existing: set[str]) -> bool:
    if not existing or not path.is_file():
        return True
    try:
        return path.stat().st_size != len(data) or path.read_bytes() != data
    except OSError:
        return True


def _assemble(staging: Path, pages: Mapping[str, bytes], changed: set[str],
              out_dir: Path) -> None:
    for rel, data in pages.items():
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel in changed:
            target.write_bytes(data)
        else:
            _link_or_copy(out_dir / rel, target)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _swap(staging: Path, out_dir: Path, previous: Path) -> None:
    if out_dir.exists():
        out_dir.rename(previous)
    staging.rename(out_dir)
    shutil.rmtree(previous, ignore_errors=True)


def unsafe_output(out_dir: Path, site_root: Path) -> str | None:
    """Why `out_dir` must not be replaced (it holds the site itself), or None."""
    out, root = out_dir.resolve(), site_root.resolve()
    if out == root or root.is_relative_to(out):
        return f"the output folder '{out_dir}' contains the site itself"
    for folder in ("briefs", "templates", "seeds"):
        if out.is_relative_to(root / folder):
            return f"the output folder '{out_dir}' is inside the site's {folder}/ folder"
    return None
