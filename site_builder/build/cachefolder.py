"""The build cache's folder, `.cache/site-builder/` at the site root, and its files written
safely.

The folder is used only when neither it nor `.cache` is a link (through one, a build would
read, write and delete files outside the site), and its files are opened only when they
are regular files, never through a link. Each file is written whole or not at all: under
a temporary name of its own, then renamed; a temporary file left by a save that was killed
is removed by a later save. A marker tells that a build stopped while moving files into
the output folder: the next build then trusts nothing of the cache.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat as stat_module
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

CACHE_DIR = ".cache"
WRITING_MARKER = "writing"
TEMPORARY = ".tmp"  # the end of a file's name while it is being written
STALE_NS = 10 * 60 * 1_000_000_000  # a temporary file not written to for this long: left
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def cache_dir(root: Path) -> Path:
    return root / CACHE_DIR / "site-builder"


def own_folder(root: Path) -> Path | None:
    """The cache folder, unless `.cache` or the folder itself is something else than a folder
    (a link committed there would have the cache read, write and delete files elsewhere):
    then None, and the cache is not used."""
    folder = cache_dir(root)
    for path in (folder.parent, folder):
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return folder  # made as a folder when the cache is saved
        except OSError:
            return None
        if not stat_module.S_ISDIR(mode):
            return None
    return folder


def open_regular(path: Path) -> IO[bytes]:
    """A cache file opened for reading; not through a link, and only a regular file."""
    fd = os.open(path, os.O_RDONLY | NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat_module.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def write_whole(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Write into `path` whole or not at all: `write` fills a temporary file of a name of its
    own, then it is renamed over `path`; removed if anything fails (a full disk, an
    interruption)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}-{secrets.token_hex(4)}{TEMPORARY}")
    try:
        with tmp.open("xb") as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary files left by a save that was killed (a crash, a power cut): those not
    written to for `STALE_NS` (a save writes each of its files in a second or two; one still
    being written by another build is left to it)."""
    now = time.time_ns()
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(TEMPORARY):
                with contextlib.suppress(OSError):
                    if now - entry.stat(follow_symlinks=False).st_mtime_ns > STALE_NS:
                        os.unlink(entry.path)


def mark_writing(root: Path, writing: bool) -> None:
    folder = own_folder(root)
    if folder is None:
        return
    marker = folder / WRITING_MARKER
    try:
        if writing:
            folder.mkdir(parents=True, exist_ok=True)
            os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | NOFOLLOW, 0o666))
        else:
            marker.unlink(missing_ok=True)
    except OSError:
        pass


def ignore_in_git(folder: Path) -> None:
    """A `.gitignore` in `.cache/`, unless there is one (or a link by that name) already."""
    try:
        fd = os.open(folder / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("# site-builder's build cache: safe to delete, never to commit\n*\n")
