"""Saving the build cache's store (see `store`, `cache`): only the rows that changed since
the store was read or last saved, in one transaction.

A save starts from what the store held when this builder read or last saved it (`Saved`):
a brief, a page, a digest, a touch, a data table's record is written again only when it is
not the same as then; those gone are deleted. When the store is not what this builder last
saw of it (it had none, or another build saved since: its `generation` tells) the save
writes everything again. A cold build's briefs are many: a forked child writes them while
the build goes on, into a table of their own that the save puts in place of the last one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..base import records
from ..base.parallel import may_fork, paused_collector
from ..theme.keptrows import SortedRows
from . import store
from .cache import describes_another_folder
from .cachefolder import CACHE_DIR, ignore_in_git, own_folder, remove_stale_temporaries
from .fingerprints import stamp
from .kept import BuildState, Kept, Saved, Summary

BACKGROUND_BRIEFS = 256  # from this many briefs to write, a forked child writes them
OLD_FILES = ("build-state.pickle", "last-build.pickle", "briefs-*.pickle")  # before the store
DROPPED = ("state", "summary")  # without them, nothing else of the store is read


@dataclass
class BriefWriting:
    """A cold build's briefs being written into the staging table by a forked child (`pid`),
    or not written at all (`pid` None, `ok` False)."""

    pid: int | None
    ok: bool = False

    def wait(self) -> bool:
        """Whether the staging table holds the briefs."""
        if self.pid is not None:
            _, status = os.waitpid(self.pid, 0)
            self.pid, self.ok = None, os.waitstatus_to_exitcode(status) == 0
        return self.ok


def write_briefs(root: Path, options: str, briefs: Mapping[str, Kept]) -> BriefWriting:
    """Start writing a cold build's briefs, when they are many, in a forked child while this
    process goes on building: pickling a large site's records takes most of a second of one
    core, which is otherwise idle while the index is built (not in a process that runs other
    threads: see `parallel.may_fork`). They go into a table of their own, which the save
    puts in place once the build succeeded; the state is dropped at once (what the store
    held no longer goes with the output)."""
    if len(briefs) < BACKGROUND_BRIEFS or not hasattr(os, "fork") or not may_fork():
        return BriefWriting(None)
    pid = os.fork()
    if pid == 0:  # the child: write, and leave without running the parent's exit code
        code = 1
        try:
            code = 0 if _stage(root, options, briefs) else 1
        finally:
            os._exit(code)
    return BriefWriting(pid)


def _stage(root: Path, options: str, briefs: Mapping[str, Kept]) -> bool:
    folder = own_folder(root)
    if folder is None:
        return False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with store.opened(folder, create=True) as conn, paused_collector(), \
                store.transaction(conn):
            store.create_tables(conn, stamp(""), options)
            _drop_state(conn)
            conn.execute(f"DROP TABLE IF EXISTS {store.STAGING}")
            conn.execute(store.TABLES["briefs"].format(name=store.STAGING))
            conn.executemany(f"INSERT INTO {store.STAGING} VALUES (?, ?)",
                             ((slug, records.dumps(kept)) for slug, kept in briefs.items()))
    except (OSError, sqlite3.Error, store.Unusable):
        return False
    return True


def save_state(root: Path, options: str, state: BuildState, briefs: Mapping[str, Kept],
               saved: Saved | None, staged: BriefWriting, summary: Summary) -> Saved | None:
    """Save what changed since `saved` (everything, when the store is not as `saved` says),
    in one transaction; `staged`: a cold build's briefs, written already. What the store
    holds now; None when it could not be saved (the store then holds no state)."""
    folder = own_folder(root)
    in_staging = staged.wait()
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        ignore_in_git(root / CACHE_DIR)
        remove_stale_temporaries(folder)
        _remove_old_files(folder)
        with store.opened(folder, create=True) as conn, paused_collector():
            with store.transaction(conn):
                store.create_tables(conn, stamp(""), options)
                generation = store.get_meta(conn, ("generation",)).get("generation", 0)
                base = saved if saved is not None and saved.generation == generation else None
                _save(conn, state, briefs, base, in_staging)
                _put_small(conn, state, summary, base, generation + 1)
            return Saved(state, dict(briefs), generation + 1, frozenset(
                table for table, rows in state.tables.items() if rows is not None))
    except (OSError, sqlite3.Error, store.Unusable, ValueError):
        forget(root)
        return None


def _remove_old_files(folder: Path) -> None:
    """The pickle files of the cache of earlier versions (`OLD_FILES`): not read any more."""
    for pattern in OLD_FILES:
        for path in folder.glob(pattern):
            with contextlib.suppress(OSError):
                path.unlink()


def _save(conn: sqlite3.Connection, state: BuildState, briefs: Mapping[str, Kept],
          base: Saved | None, in_staging: bool) -> None:
    if base is None:  # everything again
        for table in ("pages", "digests", "touches", "rows"):
            conn.execute(f"DELETE FROM {table}")
    if base is None and in_staging:
        conn.execute("DROP TABLE briefs")
        conn.execute(f"ALTER TABLE {store.STAGING} RENAME TO briefs")
    else:
        if base is None:
            conn.execute("DELETE FROM briefs")
        conn.execute(f"DROP TABLE IF EXISTS {store.STAGING}")
        _write(conn, "briefs", base.briefs if base else None, briefs, _same_kept,
               lambda slug, kept: (slug, records.dumps(kept)))
    before = base.state if base is not None else None
    _write(conn, "pages", before.pages if before else None, state.pages, _same,
           lambda path, info: (path, store.encode_unit(info.unit), info.template,
                               store.encode_keys(info.deps)))
    _write(conn, "digests", before.digests if before else None, state.digests, _same,
           lambda path, digest: (path, digest))
    _write(conn, "touches", before.touches if before else None, state.touches, _same,
           lambda slug, keys: (slug, store.encode_keys(keys)))
    _save_rows(conn, state.tables, base.tables if base is not None else frozenset())


def _write(conn: sqlite3.Connection, table: str, before: Mapping[str, Any] | None,
           now: Mapping[str, Any], same: Callable[[Any, Any], bool],
           row: Callable[[str, Any], tuple[Any, ...]]) -> None:
    """The rows of `now` that are not as in `before` (all when None), and those gone."""
    key = store.COLUMNS[table][0]
    if before is not None:
        gone = [(k,) for k in before.keys() - now.keys()]
        conn.executemany(f"DELETE FROM {table} WHERE {key} = ?", gone)
        changed: Iterable[tuple[str, Any]] = [
            (k, v) for k, v in now.items() if k not in before or not same(before[k], v)]
    else:
        changed = now.items()
    marks = ", ".join("?" * len(store.COLUMNS[table]))
    conn.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})",
                     (row(k, v) for k, v in changed))


def _same(before: Any, now: Any) -> bool:
    return before is now or before == now


def _same_kept(before: Kept, now: Kept) -> bool:
    """The same results and files (the same objects: comparing records would take long)."""
    return before.brief is now.brief and before.article is now.article \
        and before.source is now.source and before.stats == now.stats


def _save_rows(conn: sqlite3.Connection, tables: Mapping[str, Any], stored: frozenset[str]
               ) -> None:
    """Each data table's records that changed (`SortedRows.dirty`), or all of them (those
    read back from the files a build of the whole site wrote: a list by record); a table
    neither gives (None) is dropped."""
    for table, rows in tables.items():
        if not isinstance(rows, SortedRows):
            conn.execute("DELETE FROM rows WHERE tbl = ?", (table,))
            conn.executemany("INSERT INTO rows VALUES (?, ?, ?)",
                             ((table, record, records.dumps(lines))
                              for record, lines in rows or ()))
            continue
        whole = rows.dirty is None or table not in stored
        if whole:
            conn.execute("DELETE FROM rows WHERE tbl = ?", (table,))
        records_now = rows.made.keys() if whole or rows.dirty is None else rows.dirty
        conn.executemany("DELETE FROM rows WHERE tbl = ? AND record = ?",
                         [(table, record) for record in records_now if not whole])
        conn.executemany("INSERT INTO rows VALUES (?, ?, ?)",
                         [(table, record, records.dumps(rows.rows_of(record)))
                          for record in records_now if record in rows.made])


def _put_small(conn: sqlite3.Connection, state: BuildState, summary: Summary,
               base: Saved | None, generation: int) -> None:
    started, pairing, listed = state.listing
    small = {"global_key": state.global_key, "stamps": state.stamps,
             "fingerprint": state.fingerprint, "config_key": state.config_key,
             "started": started,
             "tables": [table for table, rows in state.tables.items() if rows is not None]}
    values: dict[str, Any] = {
        "state": small, "generation": generation,
        "summary": {"fingerprint": summary.fingerprint, "diags": summary.diags,
                    "briefs": summary.briefs, "out_dir": summary.out_dir}}
    last = base.state.listing if base is not None else None
    if last is None or last[1] is not pairing or last[2] is not listed:
        values["pairing"] = (pairing, listed)
    store.put_meta(conn, values)


def _drop_state(conn: sqlite3.Connection) -> None:
    conn.execute(f"DELETE FROM meta WHERE name IN {DROPPED}")
    generation = store.get_meta(conn, ("generation",)).get("generation", 0)
    store.put_meta(conn, {"generation": generation + 1})


def forget(root: Path) -> None:
    """Drop the state: the next build is a cold one (the rest is not read without it)."""
    folder = own_folder(root)
    if folder is None or not store.exists(folder):
        return
    with contextlib.suppress(OSError, sqlite3.Error, store.Unusable), \
            store.opened(folder) as conn, store.transaction(conn):
        _drop_state(conn)


def forget_output(root: Path, out_dir: Path, ours: bool = False) -> None:
    """Drop the last build's state if it describes `out_dir`, which a build that did not save
    the cache (`serve`, `--no-cache`) has just changed: the next build from the cache is then
    a full one. A cache of another folder is kept; `ours`: the caller saved it, for `out_dir`
    (a large site's summary takes a moment to read)."""
    if not ours and describes_another_folder(root, out_dir):
        return
    forget(root)
