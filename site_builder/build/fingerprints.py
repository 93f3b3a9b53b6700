"""What tells a build that nothing changed: fingerprints of its inputs, of the files it
wrote, and of the builder itself.

Each is a digest of sizes, times and inodes, never of contents: taken in milliseconds for
thousands of files, so that `build` can answer "nothing changed" before loading anything.
The code stamp names the builder's own code and the build options: the cache's files are
used only by the same code, with the same options.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from .. import __version__
from ..base.clock import file_stats, racy
from .cachefolder import SUMMARY_FILE, cache_dir

FORMAT = 3


def stamp(options: str) -> str:
    """Cached results are valid only for the same builder (its code) and build options."""
    code = Path(__file__).parents[1]  # the whole package
    files = sorted(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                   for p in code.rglob("*.py"))
    return hashlib.blake2b(f"{FORMAT}|{__version__}|{options}|{files}".encode(),
                           digest_size=16).hexdigest()


def options_key(out_dir: Path, base_url: str | None) -> str:
    """The build options a cache is valid for."""
    return f"{out_dir.resolve()}|{base_url}"


def input_fingerprint(root: Path, out_dir: Path, theme: Path) -> str:
    """Sizes, times and inodes of every file a build reads (see `clock.file_stats`).

    A file modified less than `RACY_NS` before now could be modified again within the same
    tick of the file system's clock, keeping its size and time: a fingerprint taken then
    is made unique, so that the next build does not take it for "nothing changed"."""
    now, stamps, newest = time.time_ns(), [], 0
    paths = [e.path for folder in (root / "briefs", root / "templates", theme)
             for e in sorted(_walk(folder), key=lambda e: e.path)]
    for path in [*paths, str(root / "site.yaml")]:
        info = _stat(path)  # None: gone, or a dangling link such as an editor's lock
        stamps.append(f"{path}|{info and file_stats(info)}")
        newest = max(newest, info.st_mtime_ns if info else 0)
    if racy(newest, now):
        stamps.append(f"racy {now} {secrets.token_hex(8)}")
    return hashlib.blake2b("\n".join(stamps).encode(), digest_size=16).hexdigest()


def output_fingerprint(out_dir: Path, paths: Iterable[str]) -> str:
    """The size, times and inode of each file a build wrote: one deleted or edited by hand
    shows here."""
    base, stamps = f"{out_dir}{os.sep}", []
    for rel in sorted(paths):
        try:
            info = os.stat(base + rel, follow_symlinks=False)
            stamps.append(f"{rel}|{file_stats(info)}")
        except OSError:
            stamps.append(f"{rel}|missing")
    return hashlib.blake2b("\n".join(stamps).encode(), digest_size=16).hexdigest()


class OutputSignature(NamedTuple):
    """What changes when another build writes an output folder (cheap: two stats)."""

    folder: tuple[int, int] | None  # the folder itself, which a full build replaces
    summary: tuple[int, int, int, int] | None  # the cache's summary, which a cached build saves


def output_signature(root: Path, out_dir: Path) -> OutputSignature:
    folder = _stat(str(out_dir))
    summary = _stat(str(cache_dir(root) / SUMMARY_FILE))
    return OutputSignature(
        folder and (folder.st_dev, folder.st_ino),
        summary and (summary.st_dev, summary.st_ino, summary.st_mtime_ns, summary.st_size))


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _walk(folder: Path) -> list[os.DirEntry[str]]:
    found: list[os.DirEntry[str]] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    found += _walk(Path(entry.path))
                else:
                    found.append(entry)
    except OSError:
        pass
    return found
