"""Writing the output folder (site_builder/build/output.py): all or nothing, only what changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sitetools import commit_output, output_files, snapshot

from site_builder.base import scratch
from site_builder.build import output
from site_builder.build.output import Patch, unsafe_output

PAGES = {
    "index.html": b"<p>home</p>",
    "briefs/a/index.html": b"<p>a</p>",
    "actors/x/index.html": b"<p>x</p>",
    "style.css": b"body {}",
    ".nojekyll": b"",
}


def test_first_write_creates_exactly_the_pages(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = commit_output(PAGES, out)
    assert snapshot(out).keys() == PAGES.keys()
    assert {k: v[0] for k, v in snapshot(out).items()} == PAGES
    assert report.written == tuple(sorted(PAGES))
    assert report.unchanged == () and report.removed == ()


def test_nothing_changed_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    commit_output(PAGES, out)
    before = snapshot(out)
    inode = os.stat(out).st_ino
    report = commit_output(dict(PAGES), out)
    assert report.written == () and report.removed == ()
    assert report.unchanged == tuple(sorted(PAGES))
    assert snapshot(out) == before
    assert os.stat(out).st_ino == inode


def test_unchanged_files_keep_their_mtime_when_others_change(tmp_path: Path) -> None:
    out = tmp_path / "out"
    commit_output(PAGES, out)
    before = snapshot(out)
    report = commit_output({**PAGES, "index.html": b"<p>new home</p>"}, out)
    after = snapshot(out)
    assert report.written == ("index.html",)
    assert after["index.html"][0] == b"<p>new home</p>"
    for rel in PAGES.keys() - {"index.html"}:
        assert after[rel] == before[rel], rel  # same bytes, same st_mtime_ns


def test_files_the_site_no_longer_has_disappear(tmp_path: Path) -> None:
    out = tmp_path / "out"
    commit_output(PAGES, out)
    (out / "stray.txt").write_text("left by hand")
    smaller = {k: v for k, v in PAGES.items() if not k.startswith("actors/")}
    report = commit_output(smaller, out)
    assert set(report.removed) == {"actors/x/index.html", "stray.txt"}
    assert output_files(out) == set(smaller)
    assert not (out / "actors").exists()


def test_a_link_to_a_folder_in_the_output_is_removed_as_one_entry_not_followed(
        tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    commit_output(PAGES, out)
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("not the site's")
    (out / "linked").symlink_to(elsewhere, target_is_directory=True)
    report = commit_output(PAGES, out)
    assert report.removed == ("linked",)
    assert output_files(out) == set(PAGES)
    assert (elsewhere / "keep.txt").read_text() == "not the site's"


def test_only_removals_still_rewrite(tmp_path: Path) -> None:
    out = tmp_path / "out"
    commit_output(PAGES, out)
    smaller = dict(PAGES)
    del smaller["briefs/a/index.html"]
    report = commit_output(smaller, out)
    assert report.written == () and report.removed == ("briefs/a/index.html",)
    assert output_files(out) == set(smaller)


def test_no_staging_or_old_folder_is_left(tmp_path: Path) -> None:
    out = tmp_path / "out"
    commit_output(PAGES, out)
    commit_output({**PAGES, "index.html": b"changed"}, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_leftovers_of_a_crashed_run_are_cleared(tmp_path: Path) -> None:
    out = tmp_path / "out"
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    leftover = scratch.make(out.resolve())  # made by a build that has ended since
    marker = leftover / scratch.MARKER
    marker.write_text(json.dumps({**json.loads(marker.read_text()), "pid": int(ended.stdout)}))
    (leftover / "site").mkdir()
    (leftover / "site" / "junk.html").write_text("junk")
    commit_output(PAGES, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert "junk.html" not in output_files(out)


def test_a_failure_while_staging_keeps_the_old_output(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    commit_output(PAGES, out)
    before = snapshot(out)
    put = output.Staging.put
    calls = []

    def failing_put(self: output.Staging, rel: str, data: bytes) -> bool:
        calls.append(rel)
        if len(calls) == 3:
            raise OSError("disk full")
        return put(self, rel, data)

    monkeypatch.setattr(output.Staging, "put", failing_put)
    with pytest.raises(OSError, match="disk full"):
        commit_output({**PAGES, "index.html": b"new"}, out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("relative", [".", "./", "sub/.."])
def test_output_given_as_dot(tmp_path: Path, relative: str,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "public"
    (out / "sub").mkdir(parents=True)
    monkeypatch.chdir(out)
    commit_output(PAGES, Path(relative))
    assert output_files(out) == set(PAGES)


def test_output_folder_behind_a_symbolic_link(tmp_path: Path) -> None:
    """output -> www: the pages go where the link points, and the link stays."""
    www = tmp_path / "www"
    www.mkdir()
    link = tmp_path / "output"
    link.symlink_to(www, target_is_directory=True)
    commit_output(PAGES, link)
    commit_output({**PAGES, "index.html": b"changed"}, link)
    assert link.is_symlink() and link.resolve() == www.resolve()
    assert output_files(www) == set(PAGES)
    assert (www / "index.html").read_bytes() == b"changed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output", "www"]


# --- folders that must not be replaced --------------------------------------------------------


@pytest.mark.parametrize(("out", "unsafe"), [
    ("output", False),
    ("public/site", False),
    ("../elsewhere", False),
    (".", True),
    ("..", True),
    ("briefs", True),
    ("briefs/out", True),
    ("templates/out", True),
    ("seeds", True),
])
def test_unsafe_output(tmp_path: Path, out: str, unsafe: bool) -> None:
    root = tmp_path / "site"
    for folder in ("briefs", "templates", "seeds"):
        (root / folder).mkdir(parents=True)
    reason = unsafe_output(root / out, root)
    assert (reason is not None) == unsafe, reason


def test_an_existing_file_is_not_an_output_folder(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "briefs").mkdir(parents=True)
    (root / "README.md").write_text("keep me", encoding="utf-8")
    assert "is a file" in unsafe_output(root / "README.md", root)


def test_unsafe_output_through_a_relative_path(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "site"
    (root / "briefs").mkdir(parents=True)
    monkeypatch.chdir(root / "briefs")
    assert unsafe_output(Path(".."), Path("..")) is not None
    assert unsafe_output(Path("../output"), Path("..")) is None
    assert "contains the site" in unsafe_output(Path("../.."), Path(".."))


def patched(tmp_path: Path) -> tuple[Path, dict[str, tuple[bytes, int]], Patch]:
    """An output folder written whole, its files, and a patch started over it."""
    out = tmp_path / "out"
    commit_output(PAGES, out)
    return out, snapshot(out), Patch.start(out)


def test_a_patch_moves_its_files_in_and_removes_the_pages_gone(tmp_path: Path) -> None:
    out, before, patch = patched(tmp_path)
    patch.put("briefs/a/index.html", b"<p>a, edited</p>")
    patch.put("briefs/b/index.html", b"<p>b</p>")
    assert snapshot(out) == before  # nothing moves before `apply`
    present = [*(rel for rel in PAGES if rel != "actors/x/index.html"), "briefs/b/index.html"]
    report = patch.apply({"briefs/a/index.html", "briefs/b/index.html"},
                         {"actors/x/index.html"}, present)
    assert report.written == ("briefs/a/index.html", "briefs/b/index.html")
    assert report.removed == ("actors/x/index.html",)
    assert set(report.unchanged) == set(PAGES) - {"briefs/a/index.html", "actors/x/index.html"}
    after = snapshot(out)
    assert after["briefs/a/index.html"][0] == b"<p>a, edited</p>"
    assert after["briefs/b/index.html"][0] == b"<p>b</p>"
    assert after["index.html"] == before["index.html"]  # same bytes, same time
    assert not (out / "actors").exists()  # emptied folders go too
    assert not patch.folder.exists()
    mode = os.stat(out / "briefs/b/index.html").st_mode & 0o777
    assert mode == os.stat(out / "index.html").st_mode & 0o777  # as a full build writes them


def test_an_aborted_patch_leaves_the_output_as_it_was(tmp_path: Path) -> None:
    out, before, patch = patched(tmp_path)
    patch.put("index.html", b"<p>never shown</p>")
    patch.abort()
    assert snapshot(out) == before
    assert not patch.folder.exists()
