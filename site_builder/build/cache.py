"""The build cache in `.cache/` at the site root: what a build can reuse next time.

It holds each brief's files as read, parsed annotations and processed article
(keyed by the digests of their inputs), the digest of every page written, and
a fingerprint of every input file's size, times and inode. What belongs
to one brief is kept in one of `SHARDS` files chosen by its slug, and a build
writes again only the shards of the briefs it changed; a small state file
names the shard files it goes with and is replaced last, so a build stopped
while saving leaves the previous cache whole. Deleting the folder at any time
is safe: the next build is simply a cold one. The cache is only saved after a
successful build (a cold build writes its shard files sooner, in a forked child,
but only the state names them, and a failed build removes them); a build that
stops half-way while writing leaves a marker, and the next build then starts cold.

The files hold data only, never code: they are pickles, but read back through
`records.load`, which builds nothing but the records listed in `CACHED_RECORDS`. A
file that names anything else (a file committed into `.cache/` by a stranger, say,
made to run a command when read) was not written by this code: the whole cache is
then dropped, with a one-line notice, and the build is a cold one. Each file is
written under a temporary name of its own, removed if the save fails; those left
by a save that was killed are removed by a later save. The cache is not used at all
when `.cache/` or its `site-builder/` folder is a link (it would then read, write
and delete files outside the site).

This module reads and writes the cache's files; `cachefolder` keeps the folder safe,
`fingerprints` tells what changed, `kept` is what the files hold.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ..base import records
from ..base.parallel import may_fork, paused_collector
from ..source.builtin import BUILTIN_THEME
from .cachefolder import (
    CACHE_DIR,
    STATE_FILE,
    SUMMARY_FILE,
    TEMPORARY,
    WRITING_MARKER,
    cache_dir,
    ignore_in_git,
    open_regular,
    own_folder,
    remove_stale_temporaries,
    write_whole,
)
from .fingerprints import input_fingerprint, options_key, output_fingerprint, stamp
from .kept import BuildState, Saved, Shards, Summary

SHARD_PREFIX = "briefs-"
BACKGROUND_SHARDS = 8  # from this many shards to write, a forked child writes them
SHARD_NAME = re.compile(rf"{SHARD_PREFIX}\d\d-[0-9a-f]{{8}}\.pickle")
Record = TypeVar("Record", BuildState, Summary)


# The classes the cache's files may name, as (module, name): the records a build keeps, each
# made by storing its fields and nothing else (tests/test_safety_cache.py checks that every
# one is a frozen dataclass, a named tuple, an enum or a date). A record kept in the cache
# but missing here makes every cache look foreign: each build is then a cold one.
CACHED_RECORDS = frozenset({
    ("datetime", "date"),
    ("site_builder.text.anchor", "Anchor"),
    ("site_builder.base.diagnostics", "Diagnostic"),
    ("site_builder.base.diagnostics", "Severity"),
    ("site_builder.base.diagnostics", "Span"),
    ("site_builder.build.kept", "Cached"),
    ("site_builder.build.kept", "Kept"),
    ("site_builder.source.load", "BriefSource"),
    ("site_builder.source.load", "TextFile"),
    ("site_builder.text.mentions", "Mention"),
    ("site_builder.source.model", "Actor"),
    ("site_builder.source.model", "Brief"),
    ("site_builder.source.model", "Claim"),
    ("site_builder.source.model", "Quote"),
    ("site_builder.source.model", "Response"),
    ("site_builder.source.model", "Source"),
    ("site_builder.source.model", "Status"),
    ("site_builder.source.model", "Evidence"),
    ("site_builder.source.model", "Verdict"),
    ("site_builder.text.articles", "Article"),
    ("site_builder.text.selectors", "QuoteSelector"),
    ("site_builder.site.pages", "PageInfo"),
    ("site_builder.source.yamlsrc", "Ref"),
})


def load_state(root: Path, options: str) -> Saved | None:
    """The last build's state with its shards, or None when there is none usable (any doubt:
    cold build)."""
    valid_for = stamp(options)
    found = _load(root, STATE_FILE, valid_for)
    state = _record(BuildState, found)
    if state is None or found is None or "shard_files" not in found \
            or not _plain_paths(state.digests) or not _plain_paths(state.pages):
        return None
    files = found["shard_files"]
    if not isinstance(files, dict) \
            or not all(isinstance(n, str) and SHARD_NAME.fullmatch(n) for n in files.values()):
        return None  # only the cache's own files are read
    shards = {}
    for shard, name in files.items():
        value = _load(root, name, valid_for)
        if value is None or "value" not in value:
            return None
        shards[shard] = value["value"]
    return Saved(state, files, shards)


def _load(root: Path, name: str, valid_for: str) -> dict[str, Any] | None:
    """What the cache file `name` holds, if it was written by this code with these options
    (`valid_for`, their stamp)."""
    folder = own_folder(root)
    if folder is None or os.path.lexists(folder / WRITING_MARKER):
        return None
    state = _read(folder / name)
    if not isinstance(state, dict) or state.get("stamp") != valid_for:
        return None
    return state


def _read(path: Path) -> Any:
    """What a cache file holds; None when it is missing, unreadable, damaged or foreign."""
    try:
        with open_regular(path) as handle, paused_collector():
            return records.load(handle, CACHED_RECORDS)  # only records are made
    except records.ForeignData:
        _distrust(path)
        return None
    except Exception:  # unreadable, damaged, from other code: no cache, a cold build
        return None


def _distrust(path: Path) -> None:
    """`path` names more than the cache's records: someone else wrote it, perhaps to run code
    when it is read. The state and summary are dropped (so that the build reads no more of
    the cache, and says so once), and the build is a cold one."""
    print(f"note: the build cache file {path} was not written by this version of "
          "site-builder; building from scratch", file=sys.stderr)
    for name in (SUMMARY_FILE, STATE_FILE):
        with contextlib.suppress(OSError):
            (path.parent / name).unlink(missing_ok=True)


PARENT = re.compile(r"(?:^|/)\.\.(?:/|$)", re.MULTILINE)  # `..` as a part of a path


def _plain_paths(paths: Any) -> bool:
    """Whether every one of `paths` is a page a build writes: relative, not empty, without
    `..` (in a forged cache, another would have a build write or delete a file outside its
    output folder)."""
    if not paths:
        return True
    try:
        lines = "\n" + "\n".join(paths) + "\n"  # substring tests: 21,000 paths in 2 ms
    except TypeError:
        return False
    return "\n/" not in lines and "\n\n" not in lines \
        and (".." not in lines or PARENT.search(lines) is None)


def unchanged_since_last_build(root: Path, out_dir: Path, base_url: str | None
                               ) -> tuple[Summary | None, str | None, str | None]:
    """The last build's summary when no input and no written file changed since (else None),
    and the fingerprints of the inputs and of the files the last build wrote, when they were
    taken (the build then needs not take them again).

    Cheap on purpose (sizes and times, a small file): `build` asks it before loading anything.
    """
    summary = load_summary(root, options_key(out_dir, base_url))
    if summary is None:
        return None, None, None
    inputs = input_fingerprint(root, BUILTIN_THEME)
    written = output_fingerprint(out_dir, summary.pages)
    same = summary.fingerprint == f"{inputs}:{written}"
    return (summary if same else None), inputs, written


def forget_output(root: Path, out_dir: Path, ours: bool = False) -> None:
    """Drop the last build's state if it describes `out_dir`, which a build that did not save
    the cache (`serve`, `--no-cache`) has just changed: the next build from the cache is then
    a full one. A cache of another folder is kept; `ours`: the caller saved it, for `out_dir`
    (a large site's summary takes a moment to read)."""
    if not ours and describes_another_folder(root, out_dir):  # without a summary, no state
        return  # can be trusted either
    folder = own_folder(root)
    if folder is None:
        return
    for name in (SUMMARY_FILE, STATE_FILE):
        with contextlib.suppress(OSError):
            (folder / name).unlink(missing_ok=True)


def describes_another_folder(root: Path, out_dir: Path) -> bool:
    """Whether the cache holds the last build of another output folder than `out_dir` (a
    `build --output DIR` to publish from, say), which a build into `out_dir` should keep."""
    folder = own_folder(root)
    summary = _read(folder / SUMMARY_FILE) if folder is not None else None
    return isinstance(summary, dict) and summary.get("out_dir") != str(out_dir.resolve())


def load_summary(root: Path, options: str) -> Summary | None:
    """The last build's fingerprint and messages: all a build needs when nothing changed."""
    return _record(Summary, _load(root, SUMMARY_FILE, stamp(options)))


def _record(kind: type[Record], found: dict[str, Any] | None) -> Record | None:
    """The record a cache file holds as a dictionary of its fields; None when one is missing."""
    names = [f.name for f in dataclasses.fields(kind)]
    if found is None or not all(name in found for name in names):
        return None
    return kind(**{name: found[name] for name in names})


def _fields(record: BuildState | Summary) -> dict[str, Any]:
    """A record as a cache file holds it: a dictionary of its fields (data, never code)."""
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


@dataclass
class ShardWriting:
    """Shard files being written by a forked child while the build goes on (`pid`), or
    already written (`pid` None); `files` names them by shard."""

    pid: int | None
    files: dict[int, str]
    ok: bool = True

    def wait(self) -> dict[int, str]:
        """The shard files written, by shard; empty when writing them failed."""
        if self.pid is not None:
            _, status = os.waitpid(self.pid, 0)
            self.pid, self.ok = None, os.waitstatus_to_exitcode(status) == 0
        return self.files if self.ok else {}

    def discard(self, root: Path) -> None:
        """The build failed: its shard files are not wanted."""
        for name in self.wait().values():
            with contextlib.suppress(OSError):
                (cache_dir(root) / name).unlink(missing_ok=True)


def write_shards(root: Path, options: str, shards: Shards) -> ShardWriting:
    """Start writing the shards' values into new files, beside those the current state names.
    When they are many (a cold build), a forked child writes them while this process goes
    on building: pickling a large site's records takes most of a second of one core, which
    is otherwise idle while the index is built (not in a process that runs other threads:
    see `parallel.may_fork`). Nothing names the new files until
    `save_state` does, once the build succeeded."""
    token = secrets.token_hex(4)
    files = {shard: f"{SHARD_PREFIX}{shard:02d}-{token}.pickle" for shard in shards}
    if len(shards) >= BACKGROUND_SHARDS and hasattr(os, "fork") and may_fork():
        pid = os.fork()
        if pid == 0:  # the child: write, and leave without running the parent's exit code
            code = 1
            try:
                code = 0 if _write_shards(root, options, shards, files) else 1
            finally:
                os._exit(code)
        return ShardWriting(pid, files)
    return ShardWriting(None, files, _write_shards(root, options, shards, files))


def _write_shards(root: Path, options: str, shards: Shards,
                  files: Mapping[int, str]) -> bool:
    folder = own_folder(root)
    valid_for = stamp(options)
    if folder is None:
        return False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for shard, value in shards.items():
            _dump(folder / files[shard], {"value": value, "stamp": valid_for})
    except OSError:
        return False
    return True


def save_state(root: Path, options: str, state: BuildState, writing: ShardWriting,
               kept: Mapping[int, str], summary: Summary) -> dict[int, str]:
    """Save the state, naming the shard files `writing` wrote and those `kept` from the last
    save. The shard files now in use, by shard."""
    folder = own_folder(root)
    valid_for = stamp(options)
    written = writing.wait()
    files = {**kept, **written}
    if folder is None:
        return {}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        ignore_in_git(root / CACHE_DIR)
        remove_stale_temporaries(folder)
        (folder / SUMMARY_FILE).unlink(missing_ok=True)  # never a summary without its state
        if not writing.ok:  # the next build starts without a state
            (folder / STATE_FILE).unlink(missing_ok=True)
            return {}
        _dump(folder / STATE_FILE, {**_fields(state), "shard_files": files, "stamp": valid_for})
        _remove_shards_but(folder, set(files.values()))
        _dump(folder / SUMMARY_FILE, {**_fields(summary), "stamp": valid_for})
    except OSError:
        return {}
    return files


def _remove_shards_but(folder: Path, used: set[str]) -> None:
    for path in folder.glob(f"{SHARD_PREFIX}*"):
        if path.name not in used and not path.name.endswith(TEMPORARY):
            path.unlink(missing_ok=True)


def _dump(path: Path, value: dict[str, Any]) -> None:
    with paused_collector():
        write_whole(path, lambda handle: records.dump(value, handle))
