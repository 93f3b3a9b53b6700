"""`serve` and the build cache: it starts from the cache and leaves it as a `build` would.

Each test ends with the output equal to a cold build of the same files, and the next `build`
either answering "nothing changed" (the cache was saved) or building from what it can trust.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from servetools import LiveSite, atomic_write, start_live_site, tree, wait_until
from sitetools import build, snapshot
from test_cache import many_briefs, state_names

from site_builder.build.builder import Builder
from site_builder.build.cache import describes_another_folder
from site_builder.build.cachefolder import cache_dir
from site_builder.serve.session import ServeOptions, Session

BRIEF = "briefs/brief-06.yaml"
INITIAL = re.compile(r"^initial build: (\d+) pages rendered, (\d+) written, (\d+) removed",
                     re.MULTILINE)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = many_briefs(tmp_path / "site")
    build(root)  # the cache describes root/output
    return root


def serve(site: Path, tmp_path: Path, **options: object) -> LiveSite:
    quiet = tmp_path / "quiet-theme"
    quiet.mkdir(exist_ok=True)
    return start_live_site(site, quiet, **options)  # type: ignore[arg-type]


def stop(live: LiveSite) -> str:
    """Stop the session as Ctrl-C does, and what it printed."""
    live.stop()
    live.session.keep_cache()
    return live.log.getvalue()


def retitle(site: Path, title: str) -> None:
    path = site / BRIEF
    atomic_write(path, path.read_text(encoding="utf-8").replace(
        "title: Brief brief-06", f"title: {title}"))


def age(site: Path) -> None:
    """The edited brief saved an hour ago: a cache saved now need not doubt it (a file saved
    within the last two seconds is read again by the next build, to be safe)."""
    info = (site / BRIEF).stat()
    os.utime(site / BRIEF, ns=(info.st_atime_ns, info.st_mtime_ns - 3600 * 1_000_000_000))


def same_as_cold(site: Path, tmp_path: Path) -> bool:
    return tree(site / "output") == tree(build(site, tmp_path / "cold", cache=False).out)


def nothing_changed(site: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether `build` answers from the cache's summary, before loading anything else: no
    builder runs, no file is written."""
    with monkeypatch.context() as patch:
        patch.setattr(Builder, "build", lambda *args: pytest.fail("the site was built again"))
        report = build(site).outcome.report
    return not report.written and not report.removed and len(report.unchanged) > 20


def test_serve_starts_from_the_cache_rendering_nothing_when_nothing_changed(
        site: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    live = serve(site, tmp_path)
    initial = INITIAL.search(live.log.getvalue())
    assert initial is not None and initial.groups() == ("0", "0", "0")
    assert "build cache saved for the next build (" in stop(live)
    assert nothing_changed(site, monkeypatch)
    assert same_as_cold(site, tmp_path)


def test_serve_starts_from_the_cache_rendering_only_what_changed_since(
        site: Path, tmp_path: Path) -> None:
    cold_pages = len(tree(site / "output"))
    retitle(site, "Edited while nobody served")
    live = serve(site, tmp_path)
    initial = INITIAL.search(live.log.getvalue())
    assert initial is not None
    rendered, written = int(initial[1]), int(initial[2])
    assert 0 < written <= rendered < cold_pages / 2
    page = live.page("briefs/brief-06/")
    assert "Edited while nobody served" in page.text
    stop(live)
    assert same_as_cold(site, tmp_path)


def test_after_serve_stops_the_next_build_starts_from_what_it_built(
        site: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    live = serve(site, tmp_path)
    retitle(site, "Edited while serving")
    live.wait_for_rebuilds(1)
    assert "summary" not in state_names(site)  # the output changed: not as saved
    age(site)
    log = stop(live)
    assert "build cache saved for the next build (" in log
    assert "written" not in log.split("build cache saved")[1]  # nothing was left to build
    assert nothing_changed(site, monkeypatch)
    assert "Edited while serving" in (site / "output/briefs/brief-06/index.html").read_text()
    assert same_as_cold(site, tmp_path)


def test_a_save_the_loop_had_not_built_is_built_before_the_cache_is_saved(
        site: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    live = serve(site, tmp_path)
    live.stop()  # the loop and the watcher stop: the save below is seen by no one
    retitle(site, "Saved as serve stopped")
    age(site)
    live.session.keep_cache()
    line = live.log.getvalue().splitlines()[-1]
    assert re.fullmatch(r"build cache saved for the next build \(\d+ files written or "
                        r"removed, \d+\.\d s\)", line), line
    assert "Saved as serve stopped" in (site / "output/briefs/brief-06/index.html").read_text()
    assert nothing_changed(site, monkeypatch)
    assert same_as_cold(site, tmp_path)


def test_errors_when_serve_stops_save_no_cache_and_are_shown(site: Path,
                                                             tmp_path: Path) -> None:
    live = serve(site, tmp_path)
    live.stop()
    path = site / BRIEF
    atomic_write(path, path.read_text(encoding="utf-8").replace("date: '2024", "date: '20x4"))
    before = snapshot(site / "output")
    live.session.keep_cache()
    log = live.log.getvalue()
    assert f"{BRIEF}:2:7: error:" in log
    # No warning follows from the date that failed (its responses are not "dated before")
    assert log.splitlines()[-1] == "build cache not saved: the site has errors: 1 error, " \
                                   "1 warning"
    assert snapshot(site / "output") == before  # the last good site stays
    again = build(site, ok=False)  # not "nothing changed": the error is found
    assert [e.split(": error")[0] for e in again.errors] == [f"{BRIEF}:2:7"]


def test_a_rebuild_stopped_half_way_saves_no_cache(site: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    live = serve(site, tmp_path)
    live.stop()
    builder = live.session.builder

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(builder, "_render_and_write", interrupted)
    retitle(site, "Stopped half-way")
    with pytest.raises(KeyboardInterrupt):  # Ctrl-C during a rebuild
        live.session.rebuild(f"{BRIEF} changed", {BRIEF})
    monkeypatch.undo()
    live.session.keep_cache()
    assert live.log.getvalue().splitlines()[-1] == (
        "build cache not saved: a rebuild was stopped half-way (the next build checks "
        "everything again)")
    build(site)
    assert "Stopped half-way" in (site / "output/briefs/brief-06/index.html").read_text()
    assert same_as_cold(site, tmp_path)


def test_serve_without_the_cache_neither_reads_nor_saves_it(site: Path,
                                                             tmp_path: Path) -> None:
    cache = snapshot(cache_dir(site))
    options = ServeOptions(site, site / "output", port=0, use_cache=False)
    log = io.StringIO()
    session = Session(options, out=log)
    session.rebuild("initial build", save_cache=True)
    initial = INITIAL.search(log.getvalue())
    assert initial is not None and int(initial[1]) > 20  # every page: nothing restored
    session.keep_cache()
    assert "build cache" not in log.getvalue()
    assert snapshot(cache_dir(site)) == cache  # nothing written: the output was the same
    assert same_as_cold(site, tmp_path)


def test_serve_leaves_the_cache_of_another_folder_alone(site: Path, tmp_path: Path) -> None:
    build(site, tmp_path / "published")  # the cache now describes this folder
    cache = snapshot(cache_dir(site))
    live = serve(site, tmp_path)
    retitle(site, "Edited while serving")
    live.wait_for_rebuilds(1)
    assert "build cache" not in stop(live)
    assert snapshot(cache_dir(site)) == cache
    assert describes_another_folder(site, site / "output")
    assert not describes_another_folder(site, tmp_path / "published")
    assert same_as_cold(site, tmp_path)


def test_the_cache_serve_saved_is_used_by_a_builder_of_the_same_folder(
        site: Path, tmp_path: Path) -> None:
    """What `serve` saved is a build's cache: a new session starts from it too."""
    live = serve(site, tmp_path)
    retitle(site, "First session")
    live.wait_for_rebuilds(1)
    age(site)
    stop(live)
    again = serve(site, tmp_path)
    initial = INITIAL.search(again.log.getvalue())
    assert initial is not None and initial.groups() == ("0", "0", "0")
    assert stop(again).count("build cache saved") == 1
    assert same_as_cold(site, tmp_path)


def test_a_brief_that_cannot_be_read_is_said_so_in_the_terminal(site: Path,
                                                                tmp_path: Path) -> None:
    """As `check` says it: what may only follow from the unread brief is held back, with a
    note, and the summary says it could not be read."""
    live = serve(site, tmp_path)
    before = live.epoch
    path = site / BRIEF
    atomic_write(path, path.read_text(encoding="utf-8").replace("title: ", "title: 'Brief: ", 1))
    live.wait_for_epoch(before)
    wait_until(lambda: "build failed" in live.log.getvalue(), 30, "the summary of the rebuild")
    log = live.log.getvalue().splitlines()
    live.stop()
    assert log[-2] == (f"note: 1 error and 1 warning not shown: they may only follow from "
                       f"what could not be read ({BRIEF}); fix it first")
    assert log[-1].endswith("build failed, still serving the last good site; 1 brief could "
                            "not be read: 1 error, 1 warning")
