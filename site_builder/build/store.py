"""The build cache's store: one SQLite file, `.cache/site-builder/store.sqlite`, read and
written in parts.

Each table is keyed so that a build writes only what changed, in one transaction (all or
nothing: a build killed while saving leaves the store as the last save left it):

- `briefs`: one row per brief, what `kept.Kept` holds of it (a pickle of records, read back
  through `records.load`, which builds nothing but the records `cache.CACHED_RECORDS` lists);
- `pages`: every page of the last build, by path: its unit, template and what it shows;
- `digests`: every file the last build wrote, by path: the digest of its bytes;
- `touches`: what a change of each brief alters, by slug;
- `rows`: the data tables' rows, by table and record (a brief's responses, a claim's row);
- `meta`: the schema version, the code stamp and options the store was written with, and the
  small state (the settings' key, the templates' stamps, the summary of the last build...).

The state (`meta`'s `state` and `summary`) is present only when the rest goes with it: a
build that did not save the cache (`serve`, `--no-cache`) deletes it, and the next build is
then a cold one. A store that is damaged (not a database, a table missing) or written by
another version of site-builder is removed, with one line saying why, and the build is a
cold one. The file is opened only when it is a regular file, never through a link, as are
SQLite's own journal files beside it.
"""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
import stat as stat_module
import sys
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..base import records

STORE_FILE = "store.sqlite"
SCHEMA = 1  # the tables' layout: a store of another layout is not read
JOURNAL = "WAL"  # see docs/architecture.md: measured against a rollback journal
SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's own files beside the store

TABLES = {
    "meta": "CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID",
    "briefs": "CREATE TABLE {name} (slug TEXT PRIMARY KEY, kept BLOB NOT NULL)",
    "pages": "CREATE TABLE pages (path TEXT PRIMARY KEY, unit TEXT NOT NULL, "
             "template TEXT NOT NULL, deps TEXT NOT NULL) WITHOUT ROWID",
    "digests": "CREATE TABLE digests (path TEXT PRIMARY KEY, digest TEXT NOT NULL) "
               "WITHOUT ROWID",
    "touches": "CREATE TABLE touches (slug TEXT PRIMARY KEY, keys TEXT NOT NULL) WITHOUT ROWID",
    "rows": "CREATE TABLE rows (tbl TEXT NOT NULL, record TEXT NOT NULL, lines BLOB NOT NULL, "
            "PRIMARY KEY (tbl, record))",
}
STAGING = "briefs_new"  # a cold build's briefs, written by a forked child (see `write_briefs`)
COLUMNS = {"meta": ("name", "value"), "briefs": ("slug", "kept"),
           "pages": ("path", "unit", "template", "deps"), "digests": ("path", "digest"),
           "touches": ("slug", "keys"), "rows": ("tbl", "record", "lines")}


class Unusable(Exception):
    """The store cannot be used; `str()` says why, for the one line the build prints (empty:
    nothing worth saying, such as a store of other build options)."""


def store_path(folder: Path) -> Path:
    return folder / STORE_FILE


def exists(folder: Path) -> bool:
    return os.path.lexists(store_path(folder))


@contextlib.contextmanager
def opened(folder: Path, create: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection to the store in `folder` (`create`: made when missing), closed after.
    `Unusable` when it is not a regular file (or one of SQLite's files beside it is not)."""
    path = store_path(folder)
    for name in (path, *(path.with_name(path.name + end) for end in SIDE_FILES)):
        try:
            mode = os.lstat(name).st_mode
        except FileNotFoundError:
            if name == path and not create:
                raise Unusable("") from None
            continue
        if not stat_module.S_ISREG(mode):
            raise Unusable(f"{name} is not a regular file")
    conn = sqlite3.connect(path, timeout=60, isolation_level=None)  # transactions: BEGIN
    try:
        conn.execute("PRAGMA trusted_schema=OFF")
        conn.execute(f"PRAGMA journal_mode={JOURNAL}")
        conn.execute("PRAGMA synchronous=NORMAL")
        yield conn
    finally:
        conn.close()


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All of it or nothing: rolled back on any error (and by SQLite when the process dies)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def create_tables(conn: sqlite3.Connection, stamp: str, options: str) -> None:
    """The tables, made empty when missing, and what the store is written by and for."""
    for name, sql in TABLES.items():
        conn.execute(sql.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS")
                     .format(name=name))
    put_meta(conn, {"schema": SCHEMA, "stamp": stamp, "options": options})


def check(conn: sqlite3.Connection, stamp: str, options: str) -> None:
    """`Unusable` unless the store has every table, as this version writes it, and was
    written by this code (`stamp`) for these build options."""
    try:
        found = {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        for name, columns in COLUMNS.items():
            if name not in found:
                raise Unusable(f"its table {name} is missing")
            described = conn.execute(f"SELECT * FROM {name} LIMIT 0").description
            if tuple(d[0] for d in described) != columns:
                raise Unusable(f"its table {name} is not as this version writes it")
        meta = get_meta(conn, ("schema", "stamp", "options"))
    except sqlite3.DatabaseError as exc:
        raise Unusable(str(exc)) from None
    if meta.get("schema") != SCHEMA or meta.get("stamp") != stamp:
        raise Unusable("another version")
    if meta.get("options") != options:
        raise Unusable("")


def get_meta(conn: sqlite3.Connection, names: Iterable[str],
             allowed: frozenset[tuple[str, str]] = frozenset()) -> dict[str, Any]:
    """The `meta` values named, read back as data (only the records `allowed`)."""
    wanted = list(names)
    marks = ",".join("?" * len(wanted))
    return {name: loads(value, allowed) for name, value in conn.execute(
        f"SELECT name, value FROM meta WHERE name IN ({marks})", wanted)}


def put_meta(conn: sqlite3.Connection, values: dict[str, Any]) -> None:
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                     [(name, records.dumps(value)) for name, value in values.items()])


def loads(blob: bytes, allowed: frozenset[tuple[str, str]]) -> Any:
    """What a blob holds, if it names no class but those `allowed` (else `ForeignData`)."""
    return records.RecordUnpickler(io.BytesIO(blob), allowed).load()


def remove(folder: Path) -> None:
    """The store and SQLite's files beside it: gone (damaged, or of another version)."""
    path = store_path(folder)
    for name in (path, *(path.with_name(path.name + end) for end in SIDE_FILES)):
        with contextlib.suppress(OSError):
            name.unlink(missing_ok=True)


def say_unusable(folder: Path, reason: str) -> None:
    """The one line a build prints when it cannot use the store (and removes it)."""
    path = store_path(folder)
    if reason == "another version":
        print(f"note: the build cache {path} was written by another version of site-builder; "
              "building from scratch", file=sys.stderr)
    elif reason:
        print(f"note: the build cache {path} is damaged ({reason}); building from scratch",
              file=sys.stderr)


# What pages show and what briefs touch, as text: ('brief', 'x'), ('actor', 'y')... joined by
# control characters, which no slug, id or path holds (a value that does is refused).
PART, ITEM = "\x1f", "\x1e"


def encode_keys(keys: Collection[tuple[str, ...]]) -> str:
    text = ITEM.join(PART.join(key) for key in keys)
    if text.count(ITEM) != max(len(keys) - 1, 0) \
            or text.count(PART) != sum(len(key) - 1 for key in keys):
        raise ValueError(f"a key holds a control character: {text!r}")
    return text


def decode_keys(text: str, known: dict[str, Any]) -> frozenset[tuple[str, ...]]:
    """The keys `text` holds; the same object for the same text, and for the same key, in
    `known` (as many pages show the same, as they did in the build that saved them)."""
    found = known.get(text)
    if found is None:
        found = known[text] = frozenset(
            _key(item, known) for item in text.split(ITEM)) if text else frozenset()
    return found


def _key(item: str, known: dict[str, Any]) -> tuple[str, ...]:
    name = ITEM + item  # never a whole text: that holds no ITEM at its start
    found = known.get(name)
    if found is None:
        found = known[name] = tuple(item.split(PART))
    return found


def encode_unit(unit: tuple[str, ...]) -> str:
    return encode_keys((unit,)) if unit else ""


def decode_unit(text: str, known: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    found = known.get(text)
    if found is None:
        found = known[text] = tuple(text.split(PART)) if text else ()
    return found
