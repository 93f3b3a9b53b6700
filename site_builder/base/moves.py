"""Moving files into the output folder: all of them, or none.

The files a build moves into the output folder come from its scratch folder (see
scratch.py), and the old ones go there until every move is done: the previous
output whole (`old-output/`, a full build), or each file replaced or removed
(`old-files/`, a patch, whose list of moves is written first, `moves.json`).
Ctrl-C is held back while they move. When the moves stop half-way all the same
(an error, a full disk), those done are undone before the error goes on; when
the process is killed outright, the next build of the same output folder finds
the scratch folder left behind and undoes them (`recover`), before anything else.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from . import scratch

NEW = "site"  # in a scratch folder: the new files
OLD_OUTPUT = "old-output"  # a full build's previous output, while the new one takes its place
OLD_FILES = "old-files"  # the files a patch replaces or removes, until all have moved
JOURNAL = "moves.json"  # the files a patch moves, while they move


def patch_in(folder: Path, out_dir: Path, written: Sequence[str], gone: Sequence[str]) -> None:
    """Move the files `written` from the scratch folder `folder` into `out_dir`, and the files
    `gone` out of it, each old one kept aside (by its place in the list: one folder holds
    them all); the moves listed first (undone should they stop half-way: see `moving`), the
    list removed once all are done."""
    write_journal(folder / JOURNAL, written, gone)
    new, old, out = str(folder / NEW), str(folder / OLD_FILES), str(out_dir)
    os.mkdir(old)
    for i, rel in enumerate(written):
        target = os.path.join(out, rel)
        keep_aside(target, os.path.join(old, f"w{i}"))
        make_folder(os.path.dirname(target))
        os.replace(os.path.join(new, rel), target)
    for i, rel in enumerate(gone):
        target = os.path.join(out, rel)
        if os.path.lexists(target):
            os.rename(target, os.path.join(old, f"g{i}"))
            prune_empty(out_dir, Path(target).parent)
    os.unlink(folder / JOURNAL)  # every file moved: nothing to undo


def recover(out_dir: Path) -> Path:
    """Put back what builds of `out_dir` stopped half-way left in their scratch folders (the
    previous output, or the files a patch replaced), and remove those folders; `out_dir`
    resolved."""
    resolved = Path(out_dir).resolve()
    for folder in scratch.leftovers(resolved):
        discard(folder, resolved)
    return resolved


@contextlib.contextmanager
def moving(folder: Path, out_dir: Path) -> Iterator[None]:
    """The block moves files between the scratch folder `folder` and the output, Ctrl-C held
    back; when it stops half-way (an error, a full disk), the moves done are undone. Then the
    scratch folder goes (an interruption while it is being deleted leaves it to the next
    build)."""
    settled = False
    try:
        with scratch.deferred_signals():
            try:
                yield
            finally:
                settled = _put_back(folder, out_dir)
    finally:
        if settled:
            scratch.remove(folder, out_dir)


def discard(folder: Path, out_dir: Path) -> None:
    if _put_back(folder, out_dir):
        scratch.remove(folder, out_dir)


def _put_back(folder: Path, out_dir: Path) -> bool:
    """Undo the moves into `out_dir` that the scratch folder `folder` shows unfinished; True
    when nothing is left to undo."""
    settled = True
    moves = _read_journal(folder / JOURNAL)
    if moves is not None:
        settled = _undo_patch(folder, out_dir, *moves)
    if settled:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(folder / JOURNAL)
    old = folder / OLD_OUTPUT
    if not os.path.lexists(out_dir) and _is_folder(old):
        settled = _restore(old, out_dir) and settled
    return settled


def _undo_patch(folder: Path, out_dir: Path, written: Sequence[str],
                gone: Sequence[str]) -> bool:
    """The files a patch removed and replaced put back; those it added removed."""
    old, new, settled = folder / OLD_FILES, folder / NEW, True
    for i, rel in enumerate(gone):
        if os.path.lexists(old / f"g{i}"):
            settled = _restore(old / f"g{i}", out_dir / rel) and settled
    for i, rel in reversed(list(enumerate(written))):
        if os.path.lexists(old / f"w{i}"):
            settled = _restore(old / f"w{i}", out_dir / rel) and settled
        elif not os.path.lexists(new / rel):  # moved in, with no file before it: it goes
            try:
                (out_dir / rel).unlink(missing_ok=True)
            except OSError:
                settled = False
            prune_empty(out_dir, (out_dir / rel).parent)
    return settled


def _restore(kept: Path, target: Path) -> bool:
    try:
        make_folder(str(target.parent))
        os.replace(kept, target)
    except OSError:
        return False
    return True


def keep_aside(target: str, aside: str) -> None:
    """A file about to be replaced, kept in the scratch folder until all have moved: a hard
    link (the file stays in place) or, where there is none, a copy."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return  # a new file: nothing to keep
    if not stat.S_ISREG(mode):
        os.rename(target, aside)  # a link or a folder: as it is
        return
    try:
        os.link(target, aside)
    except OSError:
        shutil.copy2(target, aside + ".part")
        os.replace(aside + ".part", aside)


def write_journal(path: Path, written: Sequence[str], gone: Sequence[str]) -> None:
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps({"written": written, "gone": gone}), encoding="utf-8")
    os.replace(part, path)


def _read_journal(path: Path) -> tuple[list[str], list[str]] | None:
    """The files a patch was moving, from its journal; None when there is none (or it does
    not read as one: nothing is put back by it)."""
    try:
        moves = json.loads(path.read_text(encoding="utf-8"))
        written, gone = moves["written"], moves["gone"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    paths = [*written, *gone] if isinstance(written, list) and isinstance(gone, list) else [0]
    if not all(isinstance(p, str) and _relative(p) for p in paths):
        return None
    return written, gone


def _relative(rel: str) -> bool:
    """A path inside the output folder: relative, and never up."""
    parts = Path(rel).parts
    return bool(parts) and not Path(rel).is_absolute() and ".." not in parts


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def prune_empty(out_dir: Path, folder: Path) -> None:
    """Remove `folder` and the folders above it, inside `out_dir`, while they are empty."""
    while folder != out_dir and folder.is_relative_to(out_dir):
        try:
            os.rmdir(folder)  # only ever an empty folder
        except OSError:
            return
        folder = folder.parent


def make_folder(folder: str) -> None:
    """One system call when the parent folder exists, as it mostly does."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
