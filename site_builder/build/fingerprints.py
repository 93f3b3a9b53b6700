"""What tells a build that nothing changed: fingerprints of its inputs, of the files it
wrote, and of the builder itself.

Each is a digest of sizes, times and inodes, never of contents: taken in milliseconds for
thousands of files, so that `build` can answer "nothing changed" before loading anything.
The code stamp names the builder's own code (every module, by its path in the package),
Python's version, the versions of the libraries that shape what it makes (Jinja,
markdown-it-py and its mdurl, PyYAML, MarkupSafe) and the build options: the cache's files
are used only by the same code, with the same Python, libraries and options.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import secrets
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from .. import __version__
from ..base.clock import file_stats, racy
from .cachefolder import cache_dir
from .store import STORE_FILE

FORMAT = 4


# The libraries whose version changes what a build makes (the article HTML, the parsed YAML,
# the pages, the compiled templates), by distribution and import name: a new one makes every
# cached result stale. mdurl is markdown-it-py's own, for link addresses.
LIBRARIES = {"jinja2": "jinja2", "markdown-it-py": "markdown_it", "mdurl": "mdurl",
             "pyyaml": "yaml", "markupsafe": "markupsafe",
             # Pagefind writes the search index; with it missing, `search: true` is left out
             "pagefind": "pagefind", "pagefind-bin": "pagefind_bin"}


def stamp(options: str) -> str:
    """Cached results are valid only for the same builder (its code, the Python and the
    libraries it runs with) and build options. Python's version counts: its Unicode tables
    decide which words an article's names match."""
    code = code_stamp(Path(__file__).parents[1])  # the whole package
    python = ".".join(map(str, sys.version_info[:3]))
    return hashlib.blake2b(f"{FORMAT}|{__version__}|{options}|{code}|{python}|"
                           f"{library_versions()}".encode(), digest_size=16).hexdigest()


def code_stamp(package: Path) -> str:
    """Every module of `package`, in every subpackage, by its path in the package (a module
    moved to another subpackage counts as a change), with the digest of its bytes: not its
    time, which every install sets anew (a CI job installs the same version again each run,
    and its restored cache still holds). Some eighty small files: a few milliseconds."""
    found = []
    for path in package.rglob("*.py"):
        code = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        found.append(f"{path.relative_to(package).as_posix()}:{code}")
    return "\n".join(sorted(found))


def library_versions() -> str:
    """The installed version of each of the `LIBRARIES`."""
    return "|".join(f"{name}={installed_version(name, module)}"
                    for name, module in LIBRARIES.items())


def installed_version(name: str, module: str) -> str:
    """The version of the distribution `name`, from its `.dist-info` folder beside the module
    it installs (what pip writes): found without importing the module, nor
    `importlib.metadata`, which alone would add a sixth to a build that finds nothing
    changed. Where there is no such folder, the size and time of the module's file."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.origin:
        return "none"
    folder = os.path.dirname(os.path.dirname(spec.origin))  # site-packages/<module>/__init__.py
    prefix = name.replace("-", "_").lower() + "-"
    try:
        with os.scandir(folder) as entries:
            found = sorted(e.name[len(prefix):-len(".dist-info")] for e in entries
                           if e.name.lower().startswith(prefix)
                           and e.name.endswith(".dist-info"))
    except OSError:
        found = []
    if found:
        return ",".join(found)
    info = os.stat(spec.origin)
    return f"{spec.origin}:{info.st_size}:{info.st_mtime_ns}"


def options_key(out_dir: Path, base_url: str | None) -> str:
    """The build options a cache is valid for."""
    return f"{out_dir.resolve()}|{base_url}"


def input_fingerprint(root: Path, theme: Path) -> str:
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


class Written(NamedTuple):
    """The files a build wrote as they are now: each one's size, times and inode, and their
    fingerprint."""

    fingerprint: str
    stats: dict[str, str]  # by path in the output folder


def written_files(out_dir: Path, paths: Iterable[str]) -> Written:
    """The size, times and inode of each file a build wrote: one deleted or edited by hand
    shows here."""
    stats = file_states(out_dir, paths)
    return Written(stats_fingerprint(stats), stats)


def file_states(out_dir: Path, paths: Iterable[str]) -> dict[str, str]:
    """Each file's size, times and inode, as text; "missing" for one that is not there."""
    base, stats = f"{out_dir}{os.sep}", {}
    for rel in paths:
        try:
            stats[rel] = str(file_stats(os.stat(base + rel, follow_symlinks=False)))
        except OSError:
            stats[rel] = "missing"
    return stats


def stats_fingerprint(stats: dict[str, str]) -> str:
    return hashlib.blake2b("\n".join(f"{rel}|{stats[rel]}" for rel in sorted(stats)).encode(),
                           digest_size=16).hexdigest()


def output_fingerprint(out_dir: Path, paths: Iterable[str]) -> str:
    """The fingerprint of the files `paths` of `out_dir` (see `written_files`)."""
    return written_files(out_dir, paths).fingerprint


class OutputSignature(NamedTuple):
    """What changes when another build writes an output folder (cheap: two stats)."""

    folder: tuple[int, int] | None  # the folder itself, which a full build replaces
    summary: tuple[int, int, int, int] | None  # the cache's store, which a cached build saves


def output_signature(root: Path, out_dir: Path) -> OutputSignature:
    folder = _stat(str(out_dir))
    summary = _stat(str(cache_dir(root) / STORE_FILE))
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
