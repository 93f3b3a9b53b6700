"""Watching a site while serving: which saves start a rebuild, how many, and what it writes.

The first half drives `site_builder.serve.watch.Watcher` directly (filters, debounce); the second
runs a whole `serve` Session (`live_site` fixture) and checks the output folder after real
saves: atomic renames, editors' leftovers, briefs added, renamed and deleted, a new actor,
the site's own templates, and the output folder itself.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from servetools import (
    DEADLINE,
    NEW_SLUG,
    NEW_TITLE,
    SEED_SLUG,
    add_actor,
    add_brief,
    atomic_write,
    delete_brief,
    rename_brief,
    replace_in,
    tree,
    wait_until,
)

from site_builder.base import scratch
from site_builder.serve.watch import MAX_WAIT_SECONDS, Watcher
from site_builder.theme.render import BUILTIN_THEME

QUIET = 0.5  # seconds to wait for an event that must not come


# --- the Watcher -------------------------------------------------------------------------------


@pytest.fixture
def theme(tmp_path: Path) -> Path:
    folder = tmp_path / "theme"
    folder.mkdir()
    (folder / "base.html").write_text("<!doctype html>{% block body %}{% endblock %}\n",
                                      encoding="utf-8")
    return folder


@pytest.fixture
def watcher(example_site: Path, theme: Path) -> Iterator[Watcher]:
    out = example_site / "output"
    (out / "briefs").mkdir(parents=True)
    (out / "index.html").write_text("<p>old</p>", encoding="utf-8")
    watching = Watcher(example_site, theme, out)
    watching.start()
    try:
        yield watching
    finally:
        watching.stop()


def next_save(watcher: Watcher, timeout: float = DEADLINE) -> set[str]:
    """The paths of the next save the watcher reports; fail when none comes in time."""
    stop = threading.Event()
    timer = threading.Timer(timeout, stop.set)
    timer.start()
    try:
        changes = watcher.wait(stop)
    finally:
        timer.cancel()
    assert changes is not None, f"no change reported within {timeout} s"
    return changes


def assert_quiet(watcher: Watcher, seconds: float = QUIET) -> None:
    """Nothing reported for `seconds`."""
    assert not watcher.pending.wait(seconds), f"unexpected changes: {watcher.changes}"
    assert watcher.changes == set()


def names(changes: set[str], root: Path) -> set[str]:
    return {Path(p).resolve().relative_to(root.resolve()).as_posix() for p in changes}


def test_an_atomic_save_is_one_change(watcher: Watcher, example_site: Path):
    target = example_site / "briefs" / f"{SEED_SLUG}.yaml"
    replace_in(target, "title: US", "title: The US")
    assert f"briefs/{SEED_SLUG}.yaml" in names(next_save(watcher), example_site)
    assert_quiet(watcher)


def test_an_in_place_save_is_one_change(watcher: Watcher, example_site: Path):
    target = example_site / "briefs" / f"{SEED_SLUG}.md"
    with target.open("a", encoding="utf-8") as handle:
        handle.write("\nOne more paragraph.\n")
    assert names(next_save(watcher), example_site) == {f"briefs/{SEED_SLUG}.md"}
    assert_quiet(watcher)


def test_many_events_of_one_save_are_one_change(watcher: Watcher, example_site: Path):
    """Write, chmod, touch, rename: the events of one save come out as one change."""
    target = example_site / "briefs" / f"{SEED_SLUG}.yaml"
    text = target.read_text(encoding="utf-8")
    temp = target.with_name(f".{target.name}.tmp1234")
    temp.write_text(text.replace("title: US", "title: The US", 1), encoding="utf-8")
    os.chmod(temp, 0o644)
    os.utime(temp)
    os.replace(temp, target)
    os.utime(target)
    os.chmod(target, 0o644)
    assert f"briefs/{SEED_SLUG}.yaml" in names(next_save(watcher), example_site)
    assert_quiet(watcher)


def test_vim_style_save_is_one_change(watcher: Watcher, example_site: Path):
    """Vim probes with '4913', renames the file to a '~' backup, writes anew, drops the backup."""
    briefs = example_site / "briefs"
    target = briefs / f"{SEED_SLUG}.yaml"
    text = target.read_text(encoding="utf-8")
    (briefs / f".{target.name}.swp").write_bytes(b"swap")
    (briefs / "4913").write_bytes(b"")
    (briefs / "4913").unlink()
    backup = briefs / f"{target.name}~"
    os.rename(target, backup)
    target.write_text(text.replace("title: US", "title: The US", 1), encoding="utf-8")
    backup.unlink()
    (briefs / f".{target.name}.swp").unlink()
    assert names(next_save(watcher), example_site) == {f"briefs/{SEED_SLUG}.yaml"}
    assert_quiet(watcher)


LEFTOVERS = [".{name}.swp", ".{name}.swo", ".{name}.swx", "{name}~", "4913", "#{name}#",
             ".#{name}", "{name}.bak", "{name}.tmp", ".~lock.{name}#", ".tmp-{name}"]


@pytest.mark.parametrize("folder", ["briefs", "templates", "theme"])
def test_editors_leftovers_change_nothing(watcher: Watcher, example_site: Path, theme: Path,
                                          folder: str):
    where = theme if folder == "theme" else example_site / folder
    where.mkdir(exist_ok=True)
    if folder == "templates":  # a templates/ folder made after the start: let that pass
        next_save(watcher)
    for pattern in LEFTOVERS:
        path = where / pattern.format(name=f"{SEED_SLUG}.yaml")
        path.write_text("junk", encoding="utf-8")
        with path.open("a", encoding="utf-8") as handle:
            handle.write(" more junk")
        os.chmod(path, 0o600)
        os.rename(path, path.with_name(path.name + "~"))
        path.with_name(path.name + "~").unlink()
    assert_quiet(watcher)


def test_nothing_in_the_output_folder_counts(watcher: Watcher, example_site: Path):
    out = example_site / "output"
    (out / "index.html").write_text("<p>new</p>", encoding="utf-8")
    (out / "briefs" / "x").mkdir()
    (out / "briefs" / "x" / "index.html").write_text("x", encoding="utf-8")
    atomic_write(out / "style.css", "body{}")
    temporary = scratch.make(out.resolve())  # what a write uses beside it
    (temporary / "site").mkdir()
    (temporary / "site" / "index.html").write_text("x", encoding="utf-8")
    os.rename(out, temporary / "old-output")
    os.rename(temporary / "site", out)
    shutil.rmtree(temporary)
    assert_quiet(watcher)


def test_what_a_build_does_not_read_changes_nothing(watcher: Watcher, example_site: Path):
    (example_site / "README.md").write_text("# notes", encoding="utf-8")
    (example_site / "seeds").mkdir()
    (example_site / "seeds" / "article.txt").write_text("raw", encoding="utf-8")
    (example_site / "notes.yaml").write_text("a: 1", encoding="utf-8")
    assert_quiet(watcher)


@pytest.mark.parametrize("rel", ["site.yaml", "briefs/_actors.yaml",
                                 f"briefs/{SEED_SLUG}.md", "briefs/new-brief.yaml"])
def test_what_a_build_reads_is_a_change(watcher: Watcher, example_site: Path, rel: str):
    path = example_site / rel
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    atomic_write(path, old + "\n# edited\n")
    assert rel in names(next_save(watcher), example_site)


def test_deleting_a_brief_is_a_change(watcher: Watcher, example_site: Path):
    delete_brief(example_site, SEED_SLUG)
    assert names(next_save(watcher), example_site) == {f"briefs/{SEED_SLUG}.md",
                                                       f"briefs/{SEED_SLUG}.yaml"}


def test_a_theme_change_is_a_change(watcher: Watcher, theme: Path):
    atomic_write(theme / "base.html", "<!doctype html><main>{% block body %}{% endblock %}</main>")
    changes = next_save(watcher)
    assert str((theme / "base.html").resolve()) in changes


def test_a_templates_folder_made_after_the_start_is_watched(watcher: Watcher,
                                                            example_site: Path):
    templates = example_site / "templates"
    templates.mkdir()
    assert "templates" in names(next_save(watcher), example_site)
    # new files inside it are seen too, once the folder itself was reported
    (templates / "base.html").write_text("<!doctype html>", encoding="utf-8")
    assert "templates/base.html" in names(next_save(watcher), example_site)
    atomic_write(templates / "base.html", "<!doctype html><p>")
    assert "templates/base.html" in names(next_save(watcher), example_site)


def test_a_stream_of_events_does_not_postpone_the_rebuild_for_ever(watcher: Watcher,
                                                                   example_site: Path):
    target = example_site / "briefs" / f"{SEED_SLUG}.md"
    stop_writing = threading.Event()

    def keep_writing() -> None:
        while not stop_writing.is_set():
            with target.open("a", encoding="utf-8") as handle:
                handle.write(" ")
            time.sleep(0.005)

    writer = threading.Thread(target=keep_writing, daemon=True)
    writer.start()
    try:
        started = time.monotonic()
        next_save(watcher)
        waited = time.monotonic() - started
    finally:
        stop_writing.set()
        writer.join(DEADLINE)
    assert waited < MAX_WAIT_SECONDS + 3.0  # bounded, generously


def test_wait_returns_none_when_stopping(watcher: Watcher):
    stop = threading.Event()
    stop.set()
    assert watcher.wait(stop) is None


# --- a whole serve session ---------------------------------------------------------------------


def settle(seconds: float = QUIET) -> None:
    """Give an extra rebuild (there must be none) the time to happen before counting."""
    time.sleep(seconds)


def test_an_atomic_save_rebuilds_once_and_updates_the_page(live_site, example_site):
    live = live_site()
    page = live.out / "briefs" / SEED_SLUG / "index.html"
    replace_in(example_site / "briefs" / f"{SEED_SLUG}.yaml", "title: US warns",
               "title: Washington warns")
    live.wait_for_output(lambda: "Washington warns" in page.read_text(encoding="utf-8"),
                         what="the brief's page to show the new title")
    settle()
    assert len(live.rebuilds) == 1, live.rebuilds  # (the temporary file counts in its reason)
    assert "Washington warns" in live.page(f"briefs/{SEED_SLUG}/").text


def test_the_events_of_one_save_make_one_rebuild(live_site, example_site):
    live = live_site()
    briefs = example_site / "briefs"
    target = briefs / f"{SEED_SLUG}.yaml"
    text = target.read_text(encoding="utf-8")
    (briefs / "4913").write_bytes(b"")
    (briefs / "4913").unlink()
    os.rename(target, briefs / f"{target.name}~")
    target.write_text(text.replace("title: US warns", "title: Washington warns"),
                      encoding="utf-8")
    os.chmod(target, 0o644)
    os.utime(target)
    (briefs / f"{target.name}~").unlink()
    live.wait_for_rebuilds(1)
    settle()
    assert live.rebuilds == [f"briefs/{SEED_SLUG}.yaml changed"]
    assert live.session.state.errors is None


def test_editors_leftovers_start_no_rebuild(live_site, example_site):
    live = live_site()
    epoch = live.epoch
    briefs = example_site / "briefs"
    for pattern in LEFTOVERS:
        path = briefs / pattern.format(name=f"{SEED_SLUG}.yaml")
        path.write_text("junk: [", encoding="utf-8")
    settle()
    assert live.rebuilds == []
    assert live.epoch == epoch
    for pattern in LEFTOVERS:
        (briefs / pattern.format(name=f"{SEED_SLUG}.yaml")).unlink()
    settle()
    assert live.rebuilds == []


def test_changes_inside_output_start_no_rebuild(live_site):
    live = live_site()
    epoch = live.epoch
    (live.out / "index.html").write_text("<p>edited by hand</p>", encoding="utf-8")
    (live.out / "extra").mkdir()
    (live.out / "extra" / "page.html").write_text("<p>x</p>", encoding="utf-8")
    (live.out / "style.css").unlink()
    settle()
    assert live.rebuilds == []
    assert live.epoch == epoch


def test_a_brief_added_renamed_and_deleted(live_site, example_site):
    live = live_site()
    out = live.out

    def listed(rel: str, text: str) -> bool:
        path = out / rel
        return path.is_file() and text in path.read_text(encoding="utf-8")

    add_brief(example_site)
    live.wait_for_output((out / "briefs" / NEW_SLUG / "index.html").is_file,
                         what="the new brief's page")
    for rel in ("index.html", "briefs/index.html"):
        assert listed(rel, NEW_TITLE), rel
    assert (out / "claims" / "ukraine-expects-more-deliveries" / "index.html").is_file()
    assert listed("claims/iran-sent-missiles-to-russia/index.html", NEW_TITLE)
    assert listed("actors/dmitry-peskov/index.html", NEW_TITLE)
    assert live.page(f"briefs/{NEW_SLUG}/").status == 200

    renamed = "2024-09-10-peskov-rejects-reports"
    rename_brief(example_site, NEW_SLUG, renamed)
    live.wait_for_output(lambda: (out / "briefs" / renamed / "index.html").is_file()
                         and not (out / "briefs" / NEW_SLUG).exists(),
                         what="the renamed brief's page")
    for rel in ("index.html", "briefs/index.html", "actors/dmitry-peskov/index.html",
                "claims/iran-sent-missiles-to-russia/index.html"):
        text = (out / rel).read_text(encoding="utf-8")
        assert renamed in text and NEW_SLUG not in text, rel
    assert live.page(f"briefs/{NEW_SLUG}/").status == 404
    assert live.page(f"briefs/{renamed}/").status == 200

    delete_brief(example_site, renamed)
    live.wait_for_output(lambda: not (out / "briefs" / renamed).exists(),
                         what="the deleted brief's page to go")
    assert not (out / "claims" / "ukraine-expects-more-deliveries").exists()
    for rel in ("index.html", "briefs/index.html", "actors/dmitry-peskov/index.html",
                "claims/iran-sent-missiles-to-russia/index.html"):
        text = (out / rel).read_text(encoding="utf-8")
        assert NEW_TITLE not in text and renamed not in text, rel
    assert live.page(f"briefs/{renamed}/").status == 404


def test_a_new_actor_in_the_registry(live_site, example_site):
    live = live_site()
    add_actor(example_site)
    page = live.out / "actors" / "ali-khamenei" / "index.html"
    live.wait_for_output(page.is_file, what="the new actor's page")
    assert "Ali Khamenei" in page.read_text(encoding="utf-8")
    assert "Ali Khamenei" in (live.out / "actors" / "index.html").read_text(encoding="utf-8")
    assert live.page("actors/ali-khamenei/").status == 200
    assert len(live.rebuilds) == 1, live.rebuilds


def test_site_settings_change_every_page(live_site, example_site):
    live = live_site()
    replace_in(example_site / "site.yaml", "title: Annotated briefs", "title: Missile watch")
    live.wait_for_rebuilds(1)
    pages = {rel: data for rel, data in tree(live.out).items() if rel.endswith(".html")}
    assert pages
    for rel, data in pages.items():
        assert b"Missile watch" in data, rel


def test_the_sites_own_template_overrides_the_theme(live_site, example_site):
    live = live_site()
    base = (BUILTIN_THEME / "base.html").read_text(encoding="utf-8")
    assert "</body>" in base
    templates = example_site / "templates"
    templates.mkdir()
    atomic_write(templates / "base.html",
                 base.replace("</body>", "<p>Site footer one</p></body>", 1))
    home = live.out / "index.html"
    live.wait_for_output(lambda: "Site footer one" in home.read_text(encoding="utf-8"),
                         what="the site's base.html to be used")
    replace_in(templates / "base.html", "Site footer one", "Site footer two")
    live.wait_for_output(lambda: "Site footer two" in home.read_text(encoding="utf-8"),
                         what="the edited base.html to be used")
    (templates / "base.html").unlink()
    live.wait_for_output(lambda: "Site footer" not in home.read_text(encoding="utf-8"),
                         what="the theme's base.html again")
    assert "Site footer" not in live.page().text


def test_a_broken_template_keeps_the_last_good_site(live_site, example_site):
    live = live_site()
    good = tree(live.out)
    templates = example_site / "templates"
    templates.mkdir()
    epoch = live.epoch
    atomic_write(templates / "brief.html", "{% extends 'base.html' %}{% block nope %}\n")
    live.wait_for_epoch(epoch)
    wait_until(lambda: live.session.state.errors, what="the template error")
    assert "templates/brief.html" in (live.session.state.errors or "")
    assert tree(live.out) == good
    (templates / "brief.html").unlink()
    wait_until(lambda: live.session.state.errors is None, what="the error to clear")
    assert tree(live.out) == good
