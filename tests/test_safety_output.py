"""Issue 17, items 1 and 7: the output folder's housekeeping deletes only what it made, and
files move into the output all or nothing.

Item 1: the builder's temporary folders beside the output have unique names it made and a
marker inside; nothing else beside the output (a site folder named `pub.old`, a backup named
`output.old/`) is ever removed, by `build` or `serve`. Item 7: Ctrl-C, a full disk or a kill
while files move into the output leave it entirely old or entirely new, and the next build
repairs what a kill left.
"""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from servetools import tree
from sitetools import ROOT, build, commit_output, output_files, snapshot
from test_cache import many_briefs

from site_builder.base import scratch
from site_builder.cli.commands import main
from site_builder.serve.session import ServeOptions, Session
from site_builder.site.hostfiles import OUTPUT_MARK

PAGES = {
    "index.html": b"<p>home</p>",
    "briefs/a/index.html": b"<p>a</p>",
    "style.css": b"body {}",
    ".nojekyll": b"",
}


def files_of(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` (hidden ones and .git too), with its bytes and time."""
    return snapshot(folder)


def beside(out: Path) -> list[str]:
    """What lies in the output folder's parent folder."""
    return sorted(p.name for p in out.parent.iterdir())


def scratch_folders(out: Path) -> list[str]:
    return [name for name in beside(out) if scratch.named_like(name, out.resolve())]


def a_site(root: Path) -> Path:
    """A site of a few dozen pages with a title in site.yaml, and a git repository's files."""
    many_briefs(root)
    (root / "site.yaml").write_text("title: Before\n", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    return root


def retitle(root: Path, title: str) -> None:
    """A change of site.yaml: every page is rendered again, and each one changes."""
    (root / "site.yaml").write_text(f"title: {title}\n", encoding="utf-8")


def cold(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """The site as a build without the cache writes it, into a folder of its own."""
    return tree(build(root, tmp_path / "cold", cache=False).out)


# --- item 1: only what the builder made is ever removed ----------------------------------------


def test_safety_01_a_site_folder_named_like_the_old_output_is_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    site = a_site(tmp_path / "pub.old")
    sources = files_of(site)
    monkeypatch.chdir(site)
    assert main(["build", "--output", "../pub"]) == 0
    assert "Traceback" not in capsys.readouterr().err
    kept = files_of(site)
    assert {rel: kept[rel] for rel in sources} == sources  # .git and every source, untouched
    assert (tmp_path / "pub" / "index.html").is_file()
    retitle(site, "After")  # a build from the cache, which moves files in
    assert main(["build", "--output", "../pub"]) == 0
    assert (site / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"
    assert tree(tmp_path / "pub") == cold(site, tmp_path)
    assert beside(tmp_path / "pub") == ["cold", "pub", "pub.old"]


def test_safety_01_serve_keeps_a_site_folder_named_like_the_old_output(tmp_path: Path) -> None:
    site = a_site(tmp_path / "pub.old")
    sources = files_of(site / "briefs")
    session = Session(ServeOptions(site, tmp_path / "pub", port=0), out=io.StringIO())
    session.rebuild("initial build", save_cache=True)
    retitle(site, "After")
    session.rebuild("site.yaml changed", {"site.yaml"})
    assert (site / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"
    assert files_of(site / "briefs") == sources
    assert tree(tmp_path / "pub") == cold(site, tmp_path)


def users_folders(site: Path) -> dict[str, dict[str, tuple[bytes, int]]]:
    """A backup of the output made by hand (`output.old/`, `.nojekyll` and all), a folder
    named as the builder's staging folder once was, and one named as its temporary folders
    are now, but without their marker."""
    shutil.copytree(site / "output", site / "output.old")
    (site / "output.staging" / "notes").mkdir(parents=True)
    (site / "output.staging" / "notes" / "todo.txt").write_text("mine\n", encoding="utf-8")
    lookalike = site / ".output.site-builder-abcd1234"
    lookalike.mkdir()
    (lookalike / "keep.txt").write_text("mine too\n", encoding="utf-8")
    return {name: files_of(site / name)
            for name in ("output.old", "output.staging", lookalike.name)}


@pytest.mark.parametrize("how", ["build from the cache", "full build"])
def test_safety_01_a_users_backup_beside_the_output_is_kept(tmp_path: Path, how: str) -> None:
    site = a_site(tmp_path / "site")
    build(site)
    before = users_folders(site)
    retitle(site, "After")
    build(site, cache=how == "build from the cache")
    assert {name: files_of(site / name) for name in before} == before
    assert tree(site / "output") == cold(site, tmp_path)
    assert scratch_folders(site / "output") == [".output.site-builder-abcd1234"]


def test_safety_01_serve_keeps_a_users_backup_beside_the_output(tmp_path: Path) -> None:
    site = a_site(tmp_path / "site")
    build(site)
    before = users_folders(site)
    session = Session(ServeOptions(site, site / "output", port=0), out=io.StringIO())
    session.rebuild("initial build", save_cache=True)
    retitle(site, "After")
    session.rebuild("site.yaml changed", {"site.yaml"})
    assert {name: files_of(site / name) for name in before} == before
    assert tree(site / "output") == cold(site, tmp_path)


def dead_pid() -> int:
    """The id of a process that has ended."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def made_by(out: Path, pid: int, **note: str) -> Path:
    """A temporary folder of the builder's for `out`, as if made by the process `pid`."""
    folder = scratch.make(out.resolve())
    marker = folder / scratch.MARKER
    marker.write_text(json.dumps({**json.loads(marker.read_text()), "pid": pid, **note}))
    (folder / "site").mkdir()
    (folder / "site" / "junk.html").write_text("junk")
    return folder


def test_safety_01_only_marked_leftovers_of_a_build_that_ended_are_removed(
        tmp_path: Path) -> None:
    out = tmp_path / "out"
    commit_output(PAGES, out)
    left = made_by(out, dead_pid())
    running = made_by(out, os.getppid())  # a build still running: its folder is its own
    remote = made_by(out, dead_pid(), host="another-machine")  # cannot be known: kept
    unmarked = made_by(out, dead_pid())
    (unmarked / scratch.MARKER).unlink()
    made_by(out, dead_pid()).rename(tmp_path / "target")  # a link named as a temporary
    link = tmp_path / ".out.site-builder-1111aaaa"
    link.symlink_to(tmp_path / "target", target_is_directory=True)  # folder: not followed
    other = made_by(tmp_path / "other", dead_pid())  # another output folder's
    commit_output({**PAGES, "index.html": b"new"}, out)
    assert not left.exists()
    assert {p.name for p in tmp_path.iterdir()} == {
        "out", running.name, remote.name, unmarked.name, "target", link.name, other.name}
    assert (tmp_path / "target" / "site" / "junk.html").exists()
    assert output_files(out) == set(PAGES)


def test_safety_01_an_output_folder_with_a_long_non_ascii_name_is_built(tmp_path: Path) -> None:
    """80 CJK characters are 240 bytes, a valid name (file systems allow 255 bytes): the
    temporary folders beside it keep within the limit, and its leftovers are still recognised,
    by their marker, apart from another output folder's named alike."""
    site = a_site(tmp_path / "site")
    out = tmp_path / ("出版" * 40)
    assert len(os.fsencode(out.name)) == 240
    build(site, out)  # a full build, through a staging folder
    retitle(site, "After")
    build(site, out)  # a build from the cache, its files moved in from a patch folder
    assert tree(out) == cold(site, tmp_path)
    left = made_by(out, dead_pid())
    twin = made_by(tmp_path / f"{out.name}x", dead_pid())  # the same first 200 bytes
    assert len(os.fsencode(left.name)) <= 255 and scratch.named_like(twin.name, out.resolve())
    retitle(site, "Again")
    build(site, out)
    assert not left.exists()
    assert beside(out) == sorted(["cold", "site", out.name, twin.name])
    assert tree(out) == cold(site, tmp_path / "again")


# --- item 7: all or nothing --------------------------------------------------------------------


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A site built once (its cache describes its output), then edited in site.yaml: the next
    build is a build from the cache, rendering every page again and moving each in."""
    site = a_site(tmp_path / "site")
    build(site)
    retitle(site, "After")
    return site


def moves_into(out: Path, monkeypatch: pytest.MonkeyPatch, count: int,
               then: Callable[[], None]) -> list[str]:
    """`then()` right after the `count`th file moved into `out` (os.replace): the files moved."""
    real, moved, prefix = os.replace, [], f"{out.resolve()}{os.sep}"

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str], **kw: int) -> None:
        real(src, dst, **kw)
        if os.fspath(dst).startswith(prefix) and len(moved) < count:
            moved.append(os.fspath(dst))
            if len(moved) == count:
                then()

    monkeypatch.setattr(os, "replace", replace)
    return moved


def test_safety_07_ctrl_c_while_files_move_in_leaves_the_old_output_whole(
        built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = built / "output"
    before = snapshot(out)

    def ctrl_c() -> None:
        raise KeyboardInterrupt

    moved = moves_into(out, monkeypatch, 4, ctrl_c)
    assert main(["build", "--source", str(built), "--jobs", "1"]) == 130
    assert capsys.readouterr().err == "site-builder: interrupted\n"
    assert len(moved) == 4
    assert snapshot(out) == before  # every file as it was: bytes and times
    assert beside(out) == [".cache", ".git", "briefs", "output", "site.yaml"]
    monkeypatch.undo()
    build(built)
    assert tree(out) == cold(built, tmp_path)


def test_safety_07_ctrl_c_while_files_move_in_waits_until_all_have_moved(
        built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = built / "output"
    moves_into(out, monkeypatch, 4, lambda: signal.raise_signal(signal.SIGINT))
    assert main(["build", "--source", str(built), "--jobs", "1"]) == 130
    assert capsys.readouterr().err == "site-builder: interrupted\n"
    assert tree(out) == cold(built, tmp_path)  # every file moved in, then it stopped
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    monkeypatch.undo()
    build(built)
    assert tree(out) == cold(built, tmp_path)


def test_safety_07_a_full_disk_while_files_move_in_leaves_the_old_output_whole(
        built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = built / "output"
    before = snapshot(out)

    def full_disk() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(out / "index.html"))

    moves_into(out, monkeypatch, 7, full_disk)
    failed = build(built, ok=False)
    assert failed.errors == [f"{out}:1:1: error: the site could not be written: No space left "
                             f"on device: {out / 'index.html'}"]
    assert snapshot(out) == before
    assert scratch_folders(out) == []
    monkeypatch.undo()
    build(built)
    assert tree(out) == cold(built, tmp_path)


def test_safety_07_a_full_build_stopped_between_its_two_renames_keeps_the_old_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    commit_output(PAGES, out)
    before = snapshot(out)
    real = os.rename

    def rename(src: str | os.PathLike[str], dst: str | os.PathLike[str], **kw: int) -> None:
        if Path(dst) == out:  # the old output is aside, the new one about to take its place
            raise KeyboardInterrupt
        real(src, dst, **kw)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        commit_output({**PAGES, "index.html": b"new"}, out)
    assert snapshot(out) == before
    assert beside(out) == ["out"]


# A build that is killed outright (SIGKILL) once it has moved N files, or right after the
# full build's first rename (`KILL_AFTER` "swap"): argv is the output folder, N, then the
# command line of `site-builder`.
KILLED = """
import os, signal, sys
from site_builder.build import storewrite
from site_builder.cli import commands as cli
storewrite.BACKGROUND_BRIEFS = 10**9  # the briefs written here, not by a child left behind
out, after = os.path.realpath(sys.argv[1]), sys.argv[2]
moved, real_replace, real_rename = [], os.replace, os.rename

def replace(src, dst, **kw):
    real_replace(src, dst, **kw)
    if os.fspath(dst).startswith(out + os.sep):
        moved.append(dst)
        if after != "swap" and len(moved) == int(after):
            os.kill(os.getpid(), signal.SIGKILL)

def rename(src, dst, **kw):
    real_rename(src, dst, **kw)
    if after == "swap" and os.fspath(src) == out:
        os.kill(os.getpid(), signal.SIGKILL)

os.replace, os.rename = replace, rename
sys.exit(cli.main(sys.argv[3:]))
"""


def killed(site: Path, after: str, *args: str) -> None:
    out = site / "output"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", KILLED, str(out), after, "build", "--source",
                           str(site), "--jobs", "1", *args], env=env, capture_output=True)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()


def break_a_brief(site: Path) -> None:
    path = site / "briefs" / "brief-03.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("date:", "date: [", 1),
                    encoding="utf-8")


needs_sigkill = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no SIGKILL")


@needs_sigkill
@pytest.mark.parametrize("next_build", ["succeeds", "fails"])
def test_safety_07_a_build_killed_while_files_move_in_is_repaired_by_the_next(
        built: Path, tmp_path: Path, next_build: str) -> None:
    out = built / "output"
    before = snapshot(out)
    killed(built, "5")
    assert snapshot(out) != before  # a mix of old and new pages, for now
    if next_build == "fails":  # the old output is put back, whole, even so
        break_a_brief(built)
        assert build(built, ok=False).errors
        assert snapshot(out) == before
    else:
        build(built)
        assert tree(out) == cold(built, tmp_path)
    assert scratch_folders(out) == []


@needs_sigkill
@pytest.mark.parametrize("next_build", ["succeeds", "fails"])
def test_safety_07_a_full_build_killed_between_its_renames_is_repaired_by_the_next(
        built: Path, tmp_path: Path, next_build: str) -> None:
    out = built / "output"
    before = snapshot(out)
    killed(built, "swap", "--no-cache")
    assert not out.exists()  # the old output aside, the new one not yet in its place
    if next_build == "fails":
        break_a_brief(built)
        assert build(built, ok=False).errors
        assert snapshot(out) == before  # the old output, back in its place
    else:
        build(built)
        assert tree(out) == cold(built, tmp_path)
    assert scratch_folders(out) == []


@pytest.mark.parametrize("how", ["build from the cache", "full build"])
def test_safety_01_an_output_folder_holding_a_git_repository_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str) -> None:
    site = a_site(tmp_path / "site")
    build(site)
    out = site / "output"
    (out / ".git").mkdir()  # `git init` in the output folder, to publish it by hand
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    before = snapshot(out)
    retitle(site, "After")
    capsys.readouterr()
    options = [] if how == "build from the cache" else ["--no-cache"]
    assert main(["build", "--source", str(site), *options]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (f"{out}:1:1: error: the output folder '{out}' holds a git repository (.git), "
                      "which a build would delete (a build replaces everything in it)")
    assert snapshot(out) == before


def test_safety_01_a_folder_with_someone_elses_nojekyll_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Sphinx, ghp-import and hand-made Pages folders hold an empty `.nojekyll` too: only the
    one site-builder writes proves a folder is the builder's to replace."""
    site = a_site(tmp_path / "site")
    docs = tmp_path / "docs"
    for rel, data in {".nojekyll": b"", "index.html": b"<p>docs</p>",
                      "_static/notes.txt": b"mine\n"}.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_bytes(data)
    before = snapshot(docs)
    assert main(["build", "--source", str(site), "--output", str(docs)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{docs}:1:1: error: the output folder '{docs}' holds files that site-builder did not "
        "write (a build replaces everything in it)")
    assert snapshot(docs) == before


def test_safety_01_an_output_of_an_earlier_version_is_replaced_where_it_builds_by_default(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before the mark, `.nojekyll` was empty: `output/` of the site is still taken for the
    builder's (and gets the mark); the same folder given elsewhere with --output is not."""
    site = a_site(tmp_path / "site")
    build(site)
    for out in (site / "output", tmp_path / "elsewhere"):
        if not out.exists():
            shutil.copytree(site / "output", out)
        (out / ".nojekyll").write_bytes(b"")
    assert main(["build", "--source", str(site), "--no-cache"]) == 0
    assert (site / "output" / ".nojekyll").read_bytes() == OUTPUT_MARK
    assert main(["build", "--source", str(site), "--output", str(tmp_path / "elsewhere")]) == 1
    assert "holds files that site-builder did not write" in capsys.readouterr().err
