"""The build cache's SQLite store (issue 24): a build writes only the rows that changed, a
damaged store or one of another version means a cold build with one line saying why, and
a build killed while writing the site or saving the store leaves a store the next build
uses correctly."""

from __future__ import annotations

import contextlib
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from servetools import tree
from sitetools import actor, brief, build, claim, response, write_site
from test_cache import SLUGS, edit_titles, many_briefs
from test_cache_trust import same_as_cold

from site_builder.base import records
from site_builder.base.diagnostics import Diagnostics
from site_builder.build import store
from site_builder.build.builder import Builder
from site_builder.build.cachefolder import cache_dir
from site_builder.theme.datafiles import TABLES, DataTables, _Rows, written_rows


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = many_briefs(tmp_path / "site")
    build(root)
    return root


def store_file(root: Path) -> Path:
    return cache_dir(root) / store.STORE_FILE


def traced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every SQL statement the store runs from now on, with its values."""
    seen: list[str] = []
    real = store.opened

    @contextlib.contextmanager
    def opened(folder: Path, create: bool = False) -> Iterator[sqlite3.Connection]:
        with real(folder, create) as conn:
            conn.set_trace_callback(seen.append)
            yield conn

    monkeypatch.setattr(store, "opened", opened)
    return seen


def written(seen: list[str], table: str) -> list[str]:
    return [s for s in seen if s.startswith(f"INSERT OR REPLACE INTO {table} ")]


def test_the_store_keeps_one_row_per_brief_and_page(site: Path) -> None:
    with contextlib.closing(sqlite3.connect(store_file(site))) as conn:
        slugs = sorted(slug for (slug,) in conn.execute("SELECT slug FROM briefs"))
        pages = dict(conn.execute("SELECT path, template FROM pages"))
        digests = dict(conn.execute("SELECT path, digest FROM digests"))
        tables = {t for (t,) in conn.execute("SELECT DISTINCT tbl FROM rows")}
    assert slugs == SLUGS
    assert pages["briefs/brief-03/index.html"] == "brief.html"
    assert set(pages) <= set(digests)
    assert tables == {"responses", "claims"}  # streamed by the cold build, read back


def test_a_build_after_one_edit_writes_only_what_changed(site: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(site / "output")
    seen = traced(monkeypatch)
    edit_titles(site, ["brief-03"])
    after = tree(build(site).out)
    briefs = written(seen, "briefs")
    assert len(briefs) == 1 and briefs[0].startswith("INSERT OR REPLACE INTO briefs VALUES "
                                                     "('brief-03',")
    changed = {path for path, data in after.items() if before.get(path) != data}
    assert sorted(s.split("'")[1] for s in written(seen, "digests")) == sorted(changed)
    rows = [s for s in seen if s.startswith("INSERT INTO rows ")]
    # the records the edit touched: brief-03's responses, its claim's row, the claim it
    # answers (brief-02-c) and the brief that answers its claim (brief-04)
    assert sorted(s.split("'")[3] for s in rows) == ["brief-02-c", "brief-03", "brief-03-c",
                                                     "brief-04"]
    assert not written(seen, "touches") or all("brief-03" in s for s in written(seen, "touches"))


def test_the_next_build_after_an_edit_uses_the_kept_rows(site: Path, tmp_path: Path) -> None:
    edit_titles(site, ["brief-05"])
    out = build(site).out
    assert b"Brief brief-05 edited" in (out / "data" / "responses.csv").read_bytes()
    assert same_as_cold(site, out, tmp_path)


def message(path: Path, why: str) -> str:
    return f"note: the build cache {path} {why}; building from scratch"


def garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 64)


def truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:2000])


def without_pages(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("DROP TABLE pages")
        conn.commit()


def older(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE name = 'schema'",
                     (records.dumps(store.SCHEMA - 1),))
        conn.commit()


@pytest.mark.parametrize(("damage", "why"), [
    (garbage, "is damaged (file is not a database)"),
    (truncated, "is damaged (database disk image is malformed)"),
    (without_pages, "is damaged (its table pages is missing)"),
    (older, "was written by another version of site-builder"),
])
def test_a_damaged_or_older_store_means_a_cold_build_with_one_line_saying_why(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        damage: object, why: str) -> None:
    path = store_file(site)
    damage(path)  # type: ignore[operator]
    edit_titles(site, ["brief-07"])
    capsys.readouterr()
    out = build(site).out
    notes = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note:")]
    assert notes == [message(path, why)]
    assert same_as_cold(site, out, tmp_path)
    capsys.readouterr()
    edit_titles(site, ["brief-08"])
    again = build(site)  # the store is whole again and used: no note
    assert capsys.readouterr().err == ""
    assert again.outcome.rendered < len(list(again.out.rglob("*.html")))


KILLING = """
import os, signal, sys
from pathlib import Path
from site_builder.base.diagnostics import Diagnostics
from site_builder.build.run import build_site
import {module} as target
real, calls = target.{name}, []
def killing(*args, **kwargs):
    calls.append(1)
    if len(calls) >= {after}:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
target.{name} = killing
root = Path(sys.argv[1])
build_site(root, root / "output", Diagnostics(), jobs=1)
"""


@pytest.mark.parametrize(("module", "name", "after"), [
    ("site_builder.base.moves", "make_folder", 3),  # writing: two files moved into the output
    ("site_builder.build.storewrite", "_put_small", 1),  # saving: rows written, not committed
])
def test_a_build_killed_half_way_leaves_a_store_the_next_build_uses_correctly(
        site: Path, tmp_path: Path, module: str, name: str, after: int) -> None:
    edit_titles(site, ["brief-00"])
    build(site)
    edit_titles(site, SLUGS[2:6])
    script = KILLING.format(module=module, name=name, after=after)
    killed = subprocess.run([sys.executable, "-c", script, str(site)], check=False,
                            capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    out = build(site).out
    assert same_as_cold(site, out, tmp_path)
    edit_titles(site, ["brief-09"])
    assert same_as_cold(site, build(site).out, tmp_path)


def test_the_pickle_files_of_an_earlier_version_are_removed(site: Path) -> None:
    old = [cache_dir(site) / name for name in (
        "build-state.pickle", "last-build.pickle", "briefs-03-0badf00d.pickle")]
    for path in old:
        path.write_bytes(b"an earlier version's cache")
    edit_titles(site, ["brief-02"])
    build(site)
    assert not [path for path in old if path.exists()]


def test_the_rows_read_back_from_a_cold_builds_files_are_those_a_build_keeps(
        tmp_path: Path) -> None:
    """A cold build streams the data tables' rows; the cache reads them back from the files,
    each CSV row whole even when a cell holds line breaks, quotes and commas."""
    note = 'Said "no",\nthen "yes", twice.\r\nEnd'
    site = write_site(tmp_path / "site", {
        "first": ("Iran said it was fine. The EU said so too.\n", brief(
            "First, \"quoted\"", "2024-01-02",
            claims=[claim("fine", "iran", "It was fine.", "it was fine")],
            responses=[response("fine", "eu", "denies", note=note),
                       response("fine", "iran", "supports", note="Plain.")])),
        "second": ("Nothing.\n", brief("Second", "2024-01-03")),
    }, actors=[actor("iran", "Iran"), actor("eu", "European Union", "organization")])
    builder = Builder(site, site / "output", jobs=1)
    assert builder.build(Diagnostics()).report is not None
    index = builder._plan.index
    assert index is not None
    tables = DataTables()
    tables.prepare(index)
    for table in TABLES:
        data = site / "output" / "data"
        found = written_rows(table, index, (data / f"{table}.csv").read_bytes(),
                             (data / f"{table}.json").read_bytes())
        kept = tables._rows(table, _Rows(table, index), index)
        assert found is not None
        assert sorted(found) == sorted((record, kept.rows_of(record)) for record in kept.made)
    assert b'"Said ""no"",\nthen ""yes"", twice.' in (data / "responses.csv").read_bytes()
