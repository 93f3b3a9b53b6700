"""Which site a command run without `--source` works on: the folder it is run in, or the
nearest folder above it that is a site, as git finds its repository.

A site is a folder with a `site.yaml` file or a `briefs/` folder. Only the folders above
are looked at (whether those two exist), nothing is read from them, and the search stops
at a folder that is not the user's own (on a shared machine, a `/tmp/briefs/` someone else
made is never taken for the user's site) below the user's home folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from .load import BRIEFS_DIR, SITE_CONFIG


def find_site(start: Path) -> Path | None:
    """The nearest site at or above `start` (an absolute path), or None. `start` itself is
    taken whoever owns it, as when `--source .` is given."""
    if is_site(start):
        return start
    home = _home()
    for folder in start.parents:
        if folder == home or not _own(folder):  # never the home folder, nor above it
            return None
        if is_site(folder):
            return folder
    return None


def is_site(folder: Path) -> bool:
    return (folder / SITE_CONFIG).is_file() or (folder / BRIEFS_DIR).is_dir()


def _own(folder: Path) -> bool:
    """Whether `folder` belongs to the user running the command (where owners exist)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True
    try:
        return folder.stat().st_uid == getuid()
    except OSError:
        return False


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, OSError):
        return None
