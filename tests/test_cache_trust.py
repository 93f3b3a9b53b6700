"""When what the build cache says may not hold: a full build, never a wrong site or a traceback.

Each test ends with the output equal to a cold build of the same files (`--no-cache` into a
folder of its own).
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from servetools import tree
from sitetools import build
from test_cache import many_briefs, state_names

from site_builder.base import scratch
from site_builder.base.diagnostics import Diagnostics
from site_builder.build import store
from site_builder.build.builder import Builder
from site_builder.build.cachefolder import WRITING_MARKER, cache_dir
from site_builder.build.output import Patch, Staging
from site_builder.source.builtin import BUILTIN_THEME


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = many_briefs(tmp_path / "site")
    build(root)
    return root


def same_as_cold(site: Path, out: Path, tmp_path: Path) -> bool:
    return tree(out) == tree(build(site, tmp_path / "cold", cache=False).out)


def test_an_edit_keeping_size_and_time_right_after_a_build_is_seen(site: Path,
                                                                    tmp_path: Path) -> None:
    article = site / "briefs" / "brief-04.md"
    article.write_text("Iran said brief-04 was fine. AAAA\n", encoding="utf-8")
    build(site)  # takes the fingerprint while the file is fresh
    info = article.stat()
    article.write_text("Iran said brief-04 was fine. BBBB\n", encoding="utf-8")
    os.utime(article, ns=(info.st_atime_ns, info.st_mtime_ns))  # the same tick of the clock
    out = build(site).out
    assert "BBBB" in (out / "briefs" / "brief-04" / "index.html").read_text()
    assert same_as_cold(site, out, tmp_path)


def test_a_template_edit_keeping_size_and_time_right_after_a_build_is_seen(
        site: Path, tmp_path: Path) -> None:
    template = site / "templates" / "base.html"
    template.parent.mkdir()
    theme = (BUILTIN_THEME / "base.html").read_text(encoding="utf-8")
    template.write_text(theme + "<!-- AAAA -->\n", encoding="utf-8")
    build(site)
    info = template.stat()
    template.write_text(theme + "<!-- BBBB -->\n", encoding="utf-8")
    os.utime(template, ns=(info.st_atime_ns, info.st_mtime_ns))
    out = build(site).out
    assert "BBBB" in (out / "index.html").read_text()
    assert same_as_cold(site, out, tmp_path)


def test_a_cache_file_of_garbage_means_a_cold_build(site: Path, tmp_path: Path) -> None:
    (cache_dir(site) / store.STORE_FILE).write_bytes(bytes(range(256)) * 8)
    (site / "briefs" / "brief-02.md").write_text("Iran said brief-02 was fine, again.\n",
                                                 encoding="utf-8")
    out = build(site).out
    assert same_as_cold(site, out, tmp_path)


def test_dangling_links_beside_the_sources_do_not_stop_a_build(site: Path,
                                                               tmp_path: Path) -> None:
    (site / "briefs" / ".#brief-01.md").symlink_to("user@host.1234:1700000000")  # Emacs lock
    (site / "templates").mkdir()
    (site / "templates" / ".#base.html").symlink_to("nowhere")
    first, second = build(site), build(site)
    assert first.outcome.report is not None and second.outcome.report is not None
    assert same_as_cold(site, second.out, tmp_path)


def test_a_build_stopped_while_writing_is_made_good_and_the_cache_works_again(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (cache_dir(site) / WRITING_MARKER).touch()  # left by a build that stopped half-way
    out = build(site).out  # a full build
    assert not (cache_dir(site) / WRITING_MARKER).exists()
    reads: list[Path] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: reads.append(p) or real(p))
    again = build(site)  # nothing changed: answered from the cache's summary
    assert again.outcome.report is not None and not again.outcome.report.written
    assert not [p for p in reads if p.parent.name == "briefs"]
    assert same_as_cold(site, out, tmp_path)


def test_a_file_left_by_a_build_without_the_cache_is_removed_later(site: Path,
                                                                  tmp_path: Path) -> None:
    asset = site / "templates" / "extra.png"
    asset.parent.mkdir()
    asset.write_bytes(b"PNG")
    build(site, cache=False)  # writes output/extra.png, leaves the cache as it was
    asset.unlink()
    out = build(site).out
    assert not (out / "extra.png").exists()
    assert same_as_cold(site, out, tmp_path)


def test_serve_sees_a_build_that_wrote_the_same_folder(site: Path, tmp_path: Path) -> None:
    serving = Builder(site, site / "output")  # as `serve` makes it: without the cache
    assert serving.build(Diagnostics()).report is not None
    notes = site / "briefs" / "brief-06.yaml"
    before = notes.read_text(encoding="utf-8")
    notes.write_text(before.replace("title: Brief brief-06", "title: EDITED"),
                     encoding="utf-8")
    build(site)  # `site-builder build` in another terminal, into the same folder
    notes.write_text(before, encoding="utf-8")  # undone before serve rebuilds
    assert serving.build(Diagnostics(), {"briefs/brief-06.yaml"}).report is not None
    page = (site / "output" / "briefs" / "brief-06" / "index.html").read_text()
    assert "EDITED" not in page
    assert same_as_cold(site, site / "output", tmp_path)
    assert "summary" not in state_names(site)  # the cache's record of it is dropped


def test_serve_keeps_the_cache_of_another_folder_and_reads_it_once(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(site, tmp_path / "published")  # the cache now describes this folder
    serving = Builder(site, site / "output")
    reads: list[Path] = []
    original = store.opened
    monkeypatch.setattr(store, "opened", lambda folder, create=False: reads.append(folder)
                        or original(folder, create))
    notes = site / "briefs" / "brief-06.yaml"
    for title in ("One", "Two", "Three"):
        notes.write_text(notes.read_text(encoding="utf-8").replace(
            "title: ", f"title: {title} ", 1), encoding="utf-8")
        assert serving.build(Diagnostics(), {"briefs/brief-06.yaml"}).report is not None
    assert reads == [cache_dir(site)]
    assert "summary" in state_names(site)  # kept: it describes another folder


def full_disk(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device", "output/briefs/x/index.html")


@pytest.mark.parametrize("how", ["full build", "build from the cache"])
def test_a_full_disk_is_an_error_message_and_the_next_build_writes_the_site(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    if how == "full build":
        shutil.rmtree(cache_dir(site))  # nothing to trust the output folder with
        monkeypatch.setattr(Staging, "put", full_disk)
    else:
        monkeypatch.setattr(Patch, "put", full_disk)
    (site / "briefs" / "brief-03.md").write_text("Iran said brief-03 was fine, yes.\n",
                                                 encoding="utf-8")
    before = tree(site / "output")
    failed = build(site, ok=False)
    assert failed.outcome.report is None
    assert failed.errors == [
        f"{site / 'output'}:1:1: error: the site could not be written: No space left on "
        "device: output/briefs/x/index.html"]
    assert failed.diags.errors[0].hint == (
        "free some disk space or let site-builder write this folder, then build again: the "
        "next build writes the whole site")
    assert tree(site / "output") == before  # the last site, whole
    assert not [p for p in site.iterdir() if scratch.named_like(p.name, site / "output")]
    monkeypatch.undo()
    out = build(site).out
    assert same_as_cold(site, out, tmp_path)
