"""The build cache in `.cache/` at the site root: what a build can reuse next time.

It holds each brief's files as read, parsed annotations and processed article
(keyed by the digests of their inputs), every page of the last build and the digest
of every file it wrote, the data tables' rows, and a fingerprint of every input
file's size, times and inode: in one SQLite file (see `store`), each in rows of
its own, so that a build writes only what changed, in one transaction. A build
killed while saving leaves the store as the last save left it. Deleting the folder
at any time is safe: the next build is simply a cold one. The cache is only saved
after a successful build (a cold build writes its briefs sooner, in a forked child,
into a table of their own that only the save puts in place); a build that stops
half-way while moving files into the output leaves a marker, and the next build then
starts cold.

The store holds data only, never code: its briefs are pickles, but read back through
`records.load`, which builds nothing but the records listed in `CACHED_RECORDS`. A
row that names anything else (a store committed into `.cache/` by a stranger, say,
made to run a command when read) was not written by this code: the whole store is
then removed, with a one-line notice, and the build is a cold one; so is a store
that is damaged or written by another version of site-builder. The cache is not used
at all when `.cache/` or its `site-builder/` folder is a link (it would then read,
write and delete files outside the site).

This module reads the store; `storewrite` writes it, `cachefolder` keeps the folder
safe, `fingerprints` tells what changed, `kept` is what the store holds.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..base import records
from ..base.parallel import paused_collector
from ..source.builtin import BUILTIN_THEME
from . import store
from .cachefolder import WRITING_MARKER, own_folder
from .fingerprints import Written, input_fingerprint, options_key, stamp, written_files
from .kept import BuildState, Kept, Saved, Summary

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
SUMMARY_FIELDS = ("fingerprint", "diags", "briefs", "out_dir")
STATE_FIELDS = ("global_key", "stamps", "fingerprint", "config_key", "started", "tables")


DAMAGE = (sqlite3.DatabaseError, ValueError, TypeError, KeyError, EOFError,
          records.pickle.UnpicklingError)  # unreadable, or not as this code writes it


@contextlib.contextmanager
def reading(root: Path, options: str) -> Iterator[sqlite3.Connection | None]:
    """The store, when there is one written by this code for these `options` (else None).
    One that is damaged or of another version is removed, with one line saying why, should
    it show when it is checked or while it is read; one that names more than the cache's
    records too (see `_distrust`)."""
    folder = own_folder(root)
    if folder is None or os.path.lexists(folder / WRITING_MARKER) or not store.exists(folder):
        yield None
        return
    with contextlib.ExitStack() as stack:
        conn: sqlite3.Connection | None = None
        try:
            conn = stack.enter_context(store.opened(folder))
            stack.enter_context(paused_collector())
            store.check(conn, stamp(""), options)
        except (store.Unusable, *DAMAGE) as exc:
            stack.close()
            _unusable(folder, exc)
            conn = None
        if conn is None:
            yield None
            return
        try:
            yield conn
        except (records.ForeignData, store.Unusable, *DAMAGE) as exc:
            stack.close()
            _unusable(folder, exc)


def _unusable(folder: Path, exc: BaseException) -> None:
    """Say why the store cannot be used, and remove it (not one of other build options)."""
    if isinstance(exc, records.ForeignData):
        _distrust(folder)
        return
    reason = str(exc) if isinstance(exc, store.Unusable) else str(exc) or type(exc).__name__
    if reason:
        store.say_unusable(folder, reason)
        store.remove(folder)


def _distrust(folder: Path) -> None:
    """The store names more than the cache's records: someone else wrote it, perhaps to run
    code when it is read. It is removed (so that the build reads no more of it, and says so
    once), and the build is a cold one."""
    print(f"note: the build cache file {store.store_path(folder)} was not written by this "
          "version of site-builder; building from scratch", file=sys.stderr)
    store.remove(folder)


def load_state(root: Path, options: str) -> Saved | None:
    """The last build's state with every brief's results, or None when there is none usable
    (any doubt: cold build)."""
    with reading(root, options) as conn:
        if conn is None:
            return None
        meta = store.get_meta(conn, ("state", "pairing", "generation"), CACHED_RECORDS)
        small = meta.get("state")
        if not isinstance(small, dict) or "pairing" not in meta:
            return None
        pages, digests, touches = _pages(conn), _digests(conn), _touches(conn)
        if not _plain_paths(digests) or not _plain_paths(pages):
            return None
        briefs = {slug: store.loads(kept, CACHED_RECORDS)
                  for slug, kept in conn.execute("SELECT slug, kept FROM briefs")}
        if not all(isinstance(kept, Kept) for kept in briefs.values()):
            raise ValueError("a brief's row holds something else")
        tables = {table: rows for table, rows in _rows(conn).items() if table in small["tables"]}
        pairing, listed = meta["pairing"]
        state = BuildState(touches, pages, digests, small["global_key"], small["stamps"],
                           small["fingerprint"], small["config_key"],
                           (small["started"], pairing, listed), tables)
        return Saved(state, briefs, meta["generation"], frozenset(tables))
    return None


def _pages(conn: sqlite3.Connection) -> dict[str, Any]:
    from ..site.pages import PageInfo  # not needed to tell that nothing changed

    units: dict[str, tuple[str, ...]] = {}
    deps: dict[str, Any] = {}
    templates: dict[str, str] = {}  # one string each, as in the build that saved them
    return {path: PageInfo(units.get(unit) or store.decode_unit(unit, units),
                           templates.setdefault(template, template),
                           deps.get(shows) or store.decode_keys(shows, deps))  # type: ignore[arg-type]
            for path, unit, template, shows in conn.execute("SELECT * FROM pages")}


def _digests(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT path, digest FROM digests"))


def _touches(conn: sqlite3.Connection) -> dict[str, Any]:
    known: dict[str, Any] = {}
    return {slug: store.decode_keys(keys, known)
            for slug, keys in conn.execute("SELECT slug, keys FROM touches")}


def _rows(conn: sqlite3.Connection) -> dict[str, list[tuple[str, Any]]]:
    """Each data table's rows, by record: (record, [(key, CSV line, JSON line)...])."""
    found: dict[str, list[tuple[str, Any]]] = {}
    for table, record, lines in conn.execute("SELECT tbl, record, lines FROM rows"):
        found.setdefault(table, []).append((record, store.loads(lines, frozenset())))
    return found


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
                               ) -> tuple[Summary | None, str | None, Written | None]:
    """The last build's summary when no input and no written file changed since (else None),
    and the fingerprints of the inputs and of the files the last build wrote, when they were
    taken (the build then needs not take them again).

    Cheap on purpose (sizes and times, a few rows): `build` asks it before loading anything.
    """
    summary = load_summary(root, options_key(out_dir, base_url))
    if summary is None:
        return None, None, None
    inputs = input_fingerprint(root, BUILTIN_THEME)
    written = written_files(out_dir, summary.pages)
    same = summary.fingerprint == f"{inputs}:{written.fingerprint}"
    return (summary if same else None), inputs, written


def load_summary(root: Path, options: str) -> Summary | None:
    """The last build's fingerprint and messages: all a build needs when nothing changed."""
    with reading(root, options) as conn:
        if conn is None:
            return None
        found = store.get_meta(conn, ("summary",), CACHED_RECORDS).get("summary")
        if not isinstance(found, dict) or not all(name in found for name in SUMMARY_FIELDS):
            return None
        pages = tuple(path for (path,) in conn.execute("SELECT path FROM digests"))
        return Summary(found["fingerprint"], found["diags"], found["briefs"], pages,
                       found["out_dir"])
    return None


def describes_another_folder(root: Path, out_dir: Path) -> bool:
    """Whether the cache holds the last build of another output folder than `out_dir` (a
    `build --output DIR` to publish from, say), which a build into `out_dir` should keep."""
    folder = own_folder(root)
    if folder is None or not store.exists(folder):
        return False
    try:
        with store.opened(folder) as conn:
            found = store.get_meta(conn, ("summary",), CACHED_RECORDS).get("summary")
    except (store.Unusable, sqlite3.DatabaseError, records.pickle.UnpicklingError):
        return False
    return isinstance(found, dict) and found.get("out_dir") != str(out_dir.resolve())
