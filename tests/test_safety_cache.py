"""Issue 17, items 4, 8 and 9: the build cache never runs what it reads, sees every edit, and
leaves no temporary files behind.

Item 4: a file in `.cache/` is data a stranger may have committed; reading it back must not run
any code (a pickle's globals are limited to the builder's own records) and must not run
compiled template code either. Item 8: an edit that keeps a file's size and modification time
(`cp -p`, `touch -r`) is still seen, through its change time and inode. Item 9: a save that
fails leaves no `*.tmp` file, and those left by a crash are removed by the next save.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import errno
import hashlib
import importlib
import io
import os
import pickle
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2.bccache import Bucket
from sitetools import actor, brief, build, claim, response, write_site
from test_cache import many_briefs
from test_cache_trust import same_as_cold

from site_builder.base import records
from site_builder.build import cache as cache_module
from site_builder.build import store
from site_builder.build.cachefolder import cache_dir
from site_builder.build.fingerprints import stamp
from site_builder.cli import commands as cli
from site_builder.serve.session import ServeOptions, Session
from site_builder.source.builtin import BUILTIN_THEME
from site_builder.text.readertext import make_markdown
from site_builder.theme.render import make_environment

HOUR_NS = 3600 * 1_000_000_000


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = many_briefs(tmp_path / "site")
    build(root)
    return root


def notice(path: Path) -> str:
    return (f"note: the build cache file {path} was not written by this version of "
            "site-builder; building from scratch")


# --- item 4: the cache never runs code it reads ------------------------------------------------


class _Call:
    """Pickles as a call of `func(arg)`: what a hostile cache file would hold."""

    def __init__(self, func: Callable[[str], object], arg: str) -> None:
        self.func, self.arg = func, arg

    def __reduce__(self) -> tuple[Callable[[str], object], tuple[str]]:
        return self.func, (self.arg,)


def hostile_pickle(kind: str, marker: Path) -> bytes:
    """A cache file whose loading, by plain `pickle.load`, creates `marker`."""
    call = _Call(exec, f"open({str(marker)!r}, 'w').close()") if kind == "exec" \
        else _Call(os.system, f"touch '{marker}'")
    return pickle.dumps({"stamp": "anything", "value": call, "touches": call})


def edit_title(site: Path, slug: str = "brief-03", title: str = "Brief three") -> None:
    path = site / "briefs" / f"{slug}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(f"title: Brief {slug}",
                                                             f"title: {title}"),
                    encoding="utf-8")


def plant(site: Path, row: str, value: bytes) -> Path:
    """`value` in the store: in the `meta` row `summary` or `state`, or brief-05's row."""
    path = cache_dir(site) / store.STORE_FILE
    with contextlib.closing(sqlite3.connect(path)) as conn:
        if row == "brief":
            conn.execute("UPDATE briefs SET kept = ? WHERE slug = 'brief-05'", (value,))
        else:
            conn.execute("UPDATE meta SET value = ? WHERE name = ?", (value, row))
        conn.commit()
    return path


@pytest.mark.parametrize("kind", ["exec", "os.system"])
@pytest.mark.parametrize("name", ["summary", "state", "brief"])
def test_safety_04_a_cache_file_that_would_run_code_is_ignored_with_one_notice(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str,
        name: str) -> None:
    marker = tmp_path / "code-ran"
    victim = plant(site, name, hostile_pickle(kind, marker))
    edit_title(site)  # so that the state and its shards are read too
    capsys.readouterr()
    code = cli.main(["build", "--source", str(site), "--quiet"])
    err = capsys.readouterr().err
    assert not marker.exists(), "loading the cache ran the code it held"
    assert code == 0
    assert [line for line in err.splitlines() if line.startswith("note:")] == [notice(victim)]
    out = site / "output"
    assert "Brief three" in (out / "briefs" / "brief-03" / "index.html").read_text()
    assert same_as_cold(site, out, tmp_path)
    capsys.readouterr()
    build(site)  # the cold build saved a cache of its own: used, without a notice
    assert capsys.readouterr().err == ""


def test_safety_04_serve_ignores_a_hostile_cache_with_one_notice(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "code-ran"
    for name in ("summary", "state"):
        path = plant(site, name, hostile_pickle("exec", marker))
    edit_title(site)
    capsys.readouterr()
    session = Session(ServeOptions(site, site / "output"), out=io.StringIO())
    outcome = session.rebuild("initial build", save_cache=True)
    err = capsys.readouterr().err
    assert not marker.exists()
    assert outcome.report is not None
    assert err.splitlines() == [notice(path)]
    assert same_as_cold(site, site / "output", tmp_path)


def plant_template_code(site: Path, marker: Path) -> int:
    """Compiled code for every theme template, where the build cache kept Jinja's compiled
    templates (named and checksummed as it did): running any of it creates `marker`."""
    env = make_environment(site, make_markdown())
    folder = cache_dir(site) / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    compiled = jinja2.FileSystemBytecodeCache(str(folder))
    code = compile(f"open({str(marker)!r}, 'w').close()", "<planted>", "exec")
    names = sorted(p.name for p in BUILTIN_THEME.glob("*.html"))
    for name in names:
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        checksum = hashlib.sha1(f"{stamp('templates')}\0{source}".encode()).hexdigest()
        bucket = Bucket(env, compiled.get_cache_key(name, filename), checksum)
        bucket.code = code
        compiled.dump_bytecode(bucket)
    return len(names)


def test_safety_04_compiled_template_code_in_the_cache_is_never_run(
        site: Path, tmp_path: Path) -> None:
    marker = tmp_path / "code-ran"
    assert plant_template_code(site, marker) >= 5
    edit_title(site)  # pages must be rendered: templates are loaded
    try:
        out = build(site).out
    finally:
        assert not marker.exists(), "the build ran template code kept in .cache/"
    assert "Brief three" in (out / "briefs" / "brief-03" / "index.html").read_text()
    assert same_as_cold(site, out, tmp_path)


def test_safety_04_the_cache_reads_back_only_harmless_records() -> None:
    """Every class the cache may name is built without side effects from any arguments: a
    frozen dataclass without `__post_init__`, a named tuple, an enum, or a date."""
    from site_builder.build.cache import CACHED_RECORDS

    assert CACHED_RECORDS
    for module, name in CACHED_RECORDS:
        found = getattr(importlib.import_module(module), name)
        assert isinstance(found, type), (module, name)
        if dataclasses.is_dataclass(found):
            assert found.__dataclass_params__.frozen, name  # type: ignore[attr-defined]
            assert not hasattr(found, "__post_init__"), name
            assert found.__new__ is object.__new__, name
        elif issubclass(found, tuple):
            assert hasattr(found, "_fields") and found.__init__ is object.__init__, name
        else:
            assert issubclass(found, enum.Enum) or found is dt.date, name


@pytest.mark.parametrize("forbidden", [("builtins", "eval"), ("os", "system"),
                                       ("site_builder.build.storewrite", "save_state"),
                                       ("site_builder.build.builder", "Builder"),
                                       ("builtins", "getattr")])
def test_safety_04_any_other_global_is_refused(forbidden: tuple[str, str]) -> None:
    from site_builder.build.cache import CACHED_RECORDS

    module, name = forbidden
    data = pickle.dumps(getattr(importlib.import_module(module), name))
    with pytest.raises(records.ForeignData):
        records.load(io.BytesIO(data), CACHED_RECORDS)


def test_safety_04_a_cache_that_names_pages_outside_the_output_is_not_used(
        site: Path, tmp_path: Path) -> None:
    """A state with the right stamp (forged, or from a machine the attacker knows) still
    cannot have a build delete a file outside its output folder."""
    from site_builder.site.pages import PageInfo

    victim = site / "victim.txt"
    victim.write_text("not the builder's\n", encoding="utf-8")
    info = PageInfo(("brief", "brief-03"), "brief.html", frozenset({("brief", "brief-03")}))
    with contextlib.closing(sqlite3.connect(cache_dir(site) / store.STORE_FILE)) as conn:
        conn.execute("INSERT INTO pages VALUES (?, ?, ?, ?)", (
            "../victim.txt", store.encode_unit(info.unit), info.template,
            store.encode_keys(info.deps)))
        conn.execute("INSERT INTO digests VALUES (?, ?)", ("../victim.txt", "0" * 32))
        conn.commit()
    edit_title(site)  # brief-03's pages are planned again: the forged one would be "gone"
    out = build(site).out
    assert victim.exists()
    assert same_as_cold(site, out, tmp_path)


def test_safety_04_a_cache_folder_that_links_elsewhere_is_not_used(tmp_path: Path) -> None:
    site = many_briefs(tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "site-builder").mkdir(parents=True)
    theirs = elsewhere / "site-builder" / store.STORE_FILE
    theirs.write_bytes(b"someone else's file")
    (site / ".cache").symlink_to(elsewhere)
    for _ in range(2):
        out = build(site).out
    assert sorted(p.name for p in elsewhere.rglob("*")) == sorted(["site-builder", theirs.name])
    assert theirs.read_bytes() == b"someone else's file"
    assert same_as_cold(site, out, tmp_path)


def rich_site(root: Path) -> Path:
    """Briefs with every kind of record the cache keeps: inline actors, quotes with context,
    responses with notes, dates, statuses, warnings."""
    site = write_site(root, {
        "first": ("Iran said: \"We strongly reject the claims.\" The EU said Iran lied.\n",
                  brief("First", "2024-09-09", tags=["missiles"], claims=[
                      claim("iran-lied", "eu", "Iran lied.", {"exact": "Iran lied",
                                                              "prefix": "The EU said "},
                            status="disputed")],
                      responses=[response("iran-lied", "iran", "denies",
                                          "We strongly reject the claims",
                                          note="A blanket denial.")],
                      actors=[actor("tehran-office", "Tehran Office", "organization",
                                    part_of="iran")])),
        "second": ("Nothing here names anyone.\n", brief("Second", "2024-09-10")),
    }, actors=[actor("iran", "Iran"), actor("eu", "European Union", "organization"),
               actor("un", "United Nations", "organization")])  # named nowhere: a warning
    for path in (site / "briefs").iterdir():
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - HOUR_NS))
    return site


def test_safety_04_every_record_of_a_real_build_is_read_back(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from site_builder.build.cache import CACHED_RECORDS

    site = rich_site(tmp_path / "site")
    first = build(site)
    assert first.diags.warnings  # the warning is kept in the cache too
    with contextlib.closing(sqlite3.connect(cache_dir(site) / store.STORE_FILE)) as conn:
        blobs = [*conn.execute("SELECT value FROM meta"), *conn.execute("SELECT kept FROM briefs"),
                 *conn.execute("SELECT lines FROM rows")]
    for (blob,) in blobs:
        records.load(io.BytesIO(blob), CACHED_RECORDS)  # nothing foreign
    reads: list[str] = []
    real = cache_module.load_state
    monkeypatch.setattr("site_builder.build.builder.load_state",
                        lambda *args: reads.append("state") or real(*args))
    (site / "briefs" / "second.md").write_text("Nothing here names anyone, still.\n",
                                               encoding="utf-8")
    capsys.readouterr()
    again = build(site)
    assert capsys.readouterr().err == ""
    assert reads == ["state"] and again.outcome.rendered < first.outcome.rendered
    assert [str(d) for d in again.diags.warnings] == [str(d) for d in first.diags.warnings]


# --- item 8: an edit that keeps the size and the modification time -----------------------------


def same_size_edit(site: Path, old: str, new: str, how: str) -> Path:
    """Edit brief-04's article keeping its size and modification time, as `touch -r` (utime)
    or `cp -p` (shutil.copy2 from a file given the article's time) would."""
    article = site / "briefs" / "brief-04.md"
    text = article.read_text(encoding="utf-8")
    assert len(old) == len(new) and old in text
    info = article.stat()
    if how == "touch -r":
        article.write_text(text.replace(old, new), encoding="utf-8")
        os.utime(article, ns=(info.st_atime_ns, info.st_mtime_ns))
    else:
        other = site.parent / "other.md"
        other.write_text(text.replace(old, new), encoding="utf-8")
        os.utime(other, ns=(info.st_atime_ns, info.st_mtime_ns))
        shutil.copy2(other, article)
    after = article.stat()
    assert (after.st_size, after.st_mtime_ns) == (info.st_size, info.st_mtime_ns)
    return article


@pytest.mark.parametrize("how", ["touch -r", "cp -p"])
def test_safety_08_an_edit_keeping_size_and_time_is_rebuilt(site: Path, tmp_path: Path,
                                                            how: str) -> None:
    same_size_edit(site, "said", "SAID", how)
    out = build(site).out
    page = (out / "briefs" / "brief-04" / "index.html").read_text()
    assert "SAID" in page and "said" not in page
    assert same_as_cold(site, out, tmp_path)


def test_safety_08_serve_sees_an_edit_keeping_size_and_time(site: Path, tmp_path: Path) -> None:
    session = Session(ServeOptions(site, site / "output"), out=io.StringIO())
    assert session.rebuild("initial build", save_cache=True).report is not None
    same_size_edit(site, "said", "SAID", "cp -p")
    assert session.rebuild("saved").report is not None  # no watcher list: sizes and times
    page = (site / "output" / "briefs" / "brief-04" / "index.html").read_text()
    assert "SAID" in page
    assert same_as_cold(site, site / "output", tmp_path)


def test_safety_08_a_template_edit_keeping_size_and_time_is_rebuilt(site: Path,
                                                                     tmp_path: Path) -> None:
    template = site / "templates" / "base.html"
    template.parent.mkdir()
    theme = (BUILTIN_THEME / "base.html").read_text(encoding="utf-8")
    template.write_text(theme + "<!-- AAAA -->\n", encoding="utf-8")
    info = template.stat()
    os.utime(template, ns=(info.st_atime_ns, info.st_mtime_ns - HOUR_NS))  # saved long ago
    build(site)
    info = template.stat()
    template.write_text(theme + "<!-- BBBB -->\n", encoding="utf-8")
    os.utime(template, ns=(info.st_atime_ns, info.st_mtime_ns))  # `touch -r`
    out = build(site).out
    assert "BBBB" in (out / "index.html").read_text()
    assert same_as_cold(site, out, tmp_path)


def test_safety_08_a_fresh_copy_of_unchanged_files_reuses_the_cache(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """New inodes and change times but the same bytes (a fresh checkout with the cache kept):
    the files are read again, and what was worked out from them is reused."""
    for path in (site / "briefs").iterdir():
        info = path.stat()
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    parsed: list[object] = []
    from site_builder.build import reading as incremental
    real = incremental._read_one
    monkeypatch.setattr(incremental, "_read_one",
                        lambda payload, i: parsed.append(i) or real(payload, i))
    again = build(site)
    assert parsed == []  # no brief's annotations parsed again
    assert again.outcome.report is not None and again.outcome.report.written == ()


# --- item 9: no temporary files left behind --------------------------------------------------


def temporary_files(site: Path) -> list[str]:
    return sorted(p.name for p in cache_dir(site).rglob("*.tmp"))


@pytest.mark.parametrize("edits", [1, 12])  # one shard written here, or many in a child
def test_safety_09_a_save_that_fails_leaves_no_temporary_file(
        site: Path, monkeypatch: pytest.MonkeyPatch, edits: int) -> None:
    real = records.dump

    def full_disk(value: Any, file: Any) -> None:
        file.write(b"half a cache file")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(records, "dump", full_disk)
    for n in range(edits):
        edit_title(site, f"brief-{n:02d}", f"Brief {n} edited")
    built = build(site)  # the site is written; the cache is not
    assert "Brief 0 edited" in (built.out / "briefs" / "brief-00" / "index.html").read_text()
    assert temporary_files(site) == []
    monkeypatch.setattr(records, "dump", real)
    build(site)
    assert temporary_files(site) == []


def test_safety_09_temporary_files_left_by_a_crash_are_removed_at_the_next_save(
        site: Path) -> None:
    left = [cache_dir(site) / f"{name}.4242-deadbeef.tmp" for name in (
        "build-state.pickle", "last-build.pickle", "templates.pickle")]
    for path in left:
        path.write_bytes(b"half a cache file")
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - HOUR_NS))  # a crash, long ago
    edit_title(site)
    build(site)
    assert temporary_files(site) == []
