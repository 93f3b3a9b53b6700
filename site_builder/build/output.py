"""Writing a rendered site to disk, all or nothing.

A full build assembles the new site in a scratch folder beside the output
folder (`Staging`; see scratch.py) and swaps it in with renames, so a crash or
an error never leaves half a site. Files whose bytes did not change are
hard-linked from the previous output, keeping their modification times; when
nothing changed at all, the output is not touched. Files of the old output that
the new site lacks disappear with it. A build from the cache writes only the
changed files into the scratch folder (`Patch`), then moves each over the old
one, keeping the old one aside until all have moved: when anything stops the
moves half-way, those done are undone. Either way, pages may be put into the
scratch folder by several worker processes at once, and Ctrl-C waits while
files move into the output (a moment). A build killed outright while they move
leaves its scratch folder, from which the next build puts the previous output
back before anything else (see moves.py).
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..base import moves, scratch
from ..base.moves import make_folder
from ..site.hostfiles import OUTPUT_MARK

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BuildOutcome:
    briefs: int
    report: WriteReport | None  # None when the build failed and nothing was written
    rendered: int = 0  # pages rendered this time (the others were kept)


@dataclass(frozen=True, slots=True)
class Staging:
    """A staging folder for `out_dir`: put every page, then `finish` swaps it in."""

    out_dir: Path
    scratch: Path  # the builder's own folder beside the output, holding the staging folder
    had_output: bool = True  # False: there is no previous output to compare pages with

    @classmethod
    def start(cls, out_dir: Path) -> Staging:
        # Resolved: '.' and '..' have no name to stage beside, and an output folder that
        # is a symbolic link (output -> /var/www/site) is replaced where it points.
        resolved = moves.recover(out_dir)
        staging = cls(resolved, scratch.make(resolved), resolved.is_dir())
        staging.folder.mkdir()
        return staging

    @property
    def folder(self) -> Path:
        return self.scratch / moves.NEW

    def put(self, rel: str, data: bytes) -> bool:
        """Stage one file; True when it differs from the output's current one."""
        target = os.path.join(self.folder, rel)  # strings: thousands of pages, few syscalls
        make_folder(os.path.dirname(target))
        old = os.path.join(self.out_dir, rel)
        if self.had_output and _same(old, data):
            try:
                os.link(old, target)
            except OSError:
                shutil.copy2(old, target)
            return False
        _write_new(target, data)
        return True

    def finish(self, changed: Iterable[str], unchanged: Iterable[str]) -> WriteReport:
        """Swap the staging folder in (unless nothing changed); what was written and removed."""
        written, kept = tuple(sorted(changed)), tuple(sorted(unchanged))
        removed = tuple(sorted(existing_files(self.out_dir) - {*written, *kept}))
        if not written and not removed and self.out_dir.is_dir():
            self.abort()
            return WriteReport((), kept, ())
        with moves.moving(self.scratch, self.out_dir):
            if self.out_dir.exists():
                os.rename(self.out_dir, self.scratch / moves.OLD_OUTPUT)
            os.rename(self.folder, self.out_dir)
        return WriteReport(written, kept, removed)

    def abort(self) -> None:
        moves.discard(self.scratch, self.out_dir)


def existing_files(out_dir: Path) -> set[str]:
    """Every entry of `out_dir` that is not a folder (a link is not followed), by its path
    relative to it. Strings and the folders' own listings: no `stat` of each file (21,000
    pages took 1.1 s with `Path.rglob`, 0.2 s this way)."""
    found: set[str] = set()
    _list_into(str(out_dir), "", found)
    return found


def _list_into(folder: str, prefix: str, found: set[str]) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:  # gone, or not listable: it goes with the old output all the same
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            _list_into(entry.path, f"{prefix}{entry.name}/", found)
        else:
            found.add(prefix + entry.name)


def _write_new(path: str, data: bytes) -> None:
    """Write a file with three system calls (a Python file object takes three more: 21,000
    pages add up)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _same(path: str, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def unsafe_output(out_dir: Path, site_root: Path) -> str | None:
    """Why `out_dir` must not be replaced (it holds the site itself, or files site-builder
    did not write: an output folder is proven the builder's by the `.nojekyll` every build
    writes, with its `OUTPUT_MARK`, and one holding a git repository never is), or None."""
    out, root = out_dir.resolve(), site_root.resolve()
    if out.exists() and not out.is_dir():
        return f"the output folder '{out_dir}' is a file"
    if out == root or root.is_relative_to(out):
        return f"the output folder '{out_dir}' contains the site itself"
    for folder in ("briefs", "templates", "seeds"):
        if out.is_relative_to(root / folder):
            return f"the output folder '{out_dir}' is inside the site's {folder}/ folder"
    if out.is_dir() and os.path.lexists(out / ".git"):  # never written by a build: kept
        return (f"the output folder '{out_dir}' holds a git repository (.git), which a build "
                "would delete (a build replaces everything in it)")
    if out.is_dir() and any(out.iterdir()) and not _marked(out, root):
        return (f"the output folder '{out_dir}' holds files that site-builder did not write "
                "(a build replaces everything in it)")
    return None


def _marked(out: Path, root: Path) -> bool:
    """Whether the folder `out` was written by site-builder: its `.nojekyll` (a regular file,
    not a link) says so. Versions before the mark wrote it empty: such a folder is taken for
    the builder's only where it builds by default, `output/` in the site's folder."""
    try:
        fd = os.open(out / ".nojekyll", os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    with os.fdopen(fd, "rb") as handle:
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
        mark = handle.read(len(OUTPUT_MARK) + 1) if regular else None
    return mark == OUTPUT_MARK or (mark == b"" and out == root / "output")


@dataclass(frozen=True, slots=True)
class Patch:
    """The files a build from the cache changes: each written into a folder beside the output
    first (`put`, from several worker processes at once), then moved over the old one
    (`apply`, one rename each, never a half-written file). Until `apply`, the output is not
    touched: a page that cannot be rendered, or a full disk, leaves it as it was; and `apply`
    moves every file or, stopped half-way (Ctrl-C, a full disk), none."""

    out_dir: Path
    scratch: Path  # the builder's own folder beside the output, holding the new files

    @classmethod
    def start(cls, out_dir: Path) -> Patch:
        resolved = moves.recover(out_dir)
        patch = cls(resolved, scratch.make(resolved))
        patch.folder.mkdir()
        return patch

    @property
    def folder(self) -> Path:
        return self.scratch / moves.NEW

    def put(self, rel: str, data: bytes) -> None:
        target = os.path.join(self.folder, rel)
        make_folder(os.path.dirname(target))
        _write_new(target, data)

    def apply(self, changed: Iterable[str], removed: Iterable[str],
              present: Iterable[str]) -> WriteReport:
        """Move the changed files into the output, delete those `removed`; the report."""
        written, gone = tuple(sorted(changed)), tuple(sorted(removed))
        with moves.moving(self.scratch, self.out_dir):
            moves.patch_in(self.scratch, self.out_dir, written, gone)
        return WriteReport(written, tuple(sorted(set(present) - set(written))), gone)

    def abort(self) -> None:
        moves.discard(self.scratch, self.out_dir)
