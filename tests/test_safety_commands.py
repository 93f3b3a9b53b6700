"""Issue 17, the commands: deploy never publishes over a source branch (item 2), serve
answers every request path and checks --port before building (item 13), init writes all of
a site or nothing (item 15).

Deploy tests work on real repositories in tmp_path (a bare one as the remote), with git's
identity and settings kept out as in test_deploy.py. Serve tests talk to a live session over
real HTTP, some over a raw socket, so that the request path reaches the server exactly as sent.
"""

from __future__ import annotations

import errno
import io
import os
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from servetools import LiveSite, request
from test_deploy import (  # no_git_identity: the same empty HOME, applied to every test here
    BASE_URL,
    copy_example,
    git,
    head_of,
    no_git_identity,  # noqa: F401
    out,
    repo_state,
)

from site_builder.cli.commands import _parser, main

OWN_BRANCH = "the built site goes to a branch of its own (the default is gh-pages)"
NOTHING = "; nothing was published\n"


def make_repo(tmp_path: Path, site: str = "", readme_first: bool = False) -> tuple[Path, Path]:
    """(work, bare): the example site (in the folder `site` of the repository) committed on
    main and pushed to origin, a bare repository; `readme_first`: a README commit before it."""
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare))
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "--quiet", "--initial-branch=main")
    (work / ".gitignore").write_text("output/\n.cache/\n", encoding="utf-8")
    if readme_first:
        (work / "README.md").write_text("Notes\n", encoding="utf-8")
        git(work, "add", "--all")
        git(work, "commit", "--quiet", "-m", "Notes")
        git(work, "branch", "notes")
    copy_example(work / site)
    git(work, "add", "--all")
    git(work, "commit", "--quiet", "-m", "The example site")
    git(work, "remote", "add", "origin", str(bare))
    git(work, "push", "--quiet", "origin", "main")
    git(work, "status", "--porcelain")  # let git refresh its index before any snapshot
    return work, bare


def refs(repo: Path) -> str:
    return out(repo, "for-each-ref", "--format=%(refname) %(objectname)")


def commit_of_files(work: Path, files: dict[str, str], parent: str | None = None) -> str:
    """A commit holding just `files` (made with git's plumbing, through an index of its own:
    the work tree and its index are untouched)."""
    env = {**os.environ, "GIT_INDEX_FILE": str(work.parent / "by-hand.index")}

    def run(*args: str, text: str | None = None) -> str:
        return subprocess.run(["git", *args], cwd=work, input=text, env=env, text=True,
                              capture_output=True, check=True).stdout.strip()

    run("read-tree", "--empty")
    for name, text in files.items():
        blob = run("hash-object", "-w", "--stdin", text=text)
        run("update-index", "--add", "--cacheinfo", f"100644,{blob},{name}")
    tree = run("write-tree")
    return out(work, "commit-tree", tree, "-m", "By hand", *(["-p", parent] if parent else []))


def refused(work: Path, branch: str, capsys: pytest.CaptureFixture[str],
            source: Path | None = None) -> str:
    """Deploy to `branch`; it must be refused with nothing changed anywhere: the reason."""
    bare = work.parent / "remote.git"
    before, remote_before = repo_state(work), refs(bare)
    capsys.readouterr()
    code = main(["deploy", "--source", str(source or work), "--branch", branch,
                 "--base-url", BASE_URL])
    err = capsys.readouterr().err
    assert code == 1, err
    assert (repo_state(work), refs(bare)) == (before, remote_before)
    assert out(work, "status", "--porcelain", "--untracked-files=all") == ""
    prefix = f"site-builder: refusing to deploy to '{branch}': "
    assert err.startswith(prefix) and err.endswith(f"; {OWN_BRANCH}{NOTHING}"), err
    assert "Traceback" not in err
    return err[len(prefix):-len(f"; {OWN_BRANCH}{NOTHING}")]


# --- item 2: deploy publishes to a branch of its own --------------------------------------------


def test_safety_02_deploy_refuses_the_checked_out_branch(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`deploy --branch main` pushed the built site over main and moved the local main under
    the work tree (every source file then showed as deleted)."""
    work, bare = make_repo(tmp_path)
    main_before = head_of(bare, "main")
    why = refused(work, "main", capsys)
    assert why == f"it is the branch checked out in {work.resolve()}"
    assert head_of(bare, "main") == main_before
    assert not (work / "output").exists()  # refused before building


def test_safety_02_deploy_refuses_a_branch_checked_out_in_another_work_tree(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work, _bare = make_repo(tmp_path)
    linked = tmp_path / "drafts-tree"
    git(work, "worktree", "add", "--quiet", "-b", "drafts", str(linked))
    assert refused(work, "drafts", capsys) == f"it is the branch checked out in {linked.resolve()}"


@pytest.mark.parametrize("where", ["remote", "local"])
def test_safety_02_deploy_refuses_a_branch_holding_the_sources(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str) -> None:
    """A copy of main (on the remote only, or local only) is a source branch too."""
    work, _bare = make_repo(tmp_path)
    if where == "remote":
        git(work, "push", "--quiet", "origin", "main:site-sources")
        label = "origin/site-sources"
    else:
        git(work, "branch", "site-sources")
        label = "the local branch 'site-sources'"
    assert refused(work, "site-sources", capsys) == \
        f"{label} holds the site's sources (site.yaml)"


@pytest.mark.parametrize(("files", "found"), [
    ({"web/site.yaml": "title: An old copy\n"}, "web/site.yaml"),
    ({"web/briefs/_actors.yaml": "actors: []\n", "web/briefs/index.html": "<p>Hi</p>\n"},
     "web/briefs/_actors.yaml"),
])
def test_safety_02_deploy_refuses_a_branch_with_the_sources_of_a_site_in_a_subfolder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str],
        found: str) -> None:
    """No shared history, but the site's own files where the site is: a copy of its sources."""
    work, _bare = make_repo(tmp_path, site="web")
    git(work, "update-ref", "refs/heads/old-web", commit_of_files(work, files))
    assert refused(work, "old-web", capsys, source=work / "web") == \
        f"the local branch 'old-web' holds the site's sources ({found})"


def test_safety_02_deploy_refuses_a_branch_whose_history_holds_the_commit_deployed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A branch made from main whose last commit removed the site: still main's history."""
    work, _bare = make_repo(tmp_path)
    head = out(work, "rev-parse", "HEAD")
    ahead = commit_of_files(work, {"README.md": "The site moved\n"}, parent=head)
    git(work, "update-ref", "refs/heads/moved", ahead)
    assert refused(work, "moved", capsys) == \
        f"the local branch 'moved' has the commit you deploy from (HEAD, {head[:7]}) in its history"


def test_safety_02_deploy_refuses_a_branch_from_earlier_in_the_history(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A branch left behind before the site was added: no site file in it, but main's past."""
    work, _bare = make_repo(tmp_path, readme_first=True)
    head = out(work, "rev-parse", "HEAD")
    assert refused(work, "notes", capsys) == \
        f"the local branch 'notes' is part of the history you deploy from (HEAD, {head[:7]})"


def test_safety_02_a_pages_branch_made_by_hand_is_still_deployed_to(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The refusals stop at source branches: a branch of its own, made by hand, is published
    on top of, as before."""
    work, bare = make_repo(tmp_path)
    by_hand = commit_of_files(work, {"index.html": "<p>Soon</p>\n",
                                     "briefs/index.html": "<p>Briefs</p>\n"})
    git(work, "push", "--quiet", "origin", f"{by_hand}:refs/heads/pages")
    assert main(["deploy", "--source", str(work), "--branch", "pages",
                 "--base-url", BASE_URL]) == 0
    assert "deployed" in capsys.readouterr().err
    published = head_of(bare, "pages")
    assert out(bare, "rev-list", "--parents", "-n", "1", published).split()[1:] == [by_hand]
    assert out(work, "rev-parse", "refs/heads/pages") == published


# --- item 13: serve answers every path, checks --port first -------------------------------------


def not_found_page(live: LiveSite) -> bytes:
    return (live.out / "404.html").read_bytes().split(b"</body>")[0]


LONG_PATHS = [
    "/" + "a" * 256,  # one segment over the 255 bytes a file name may have
    "/" + "a" * 256 + "/",
    "/briefs/" + "b" * 300 + "/index.html",
    "/" + "%C3%A9" * 128,  # 128 characters, 256 bytes once decoded
    "/" + "/".join(["a" * 200] * 25),  # short segments, 5,000 bytes in all: over PATH_MAX
]


def test_safety_13_a_path_segment_over_255_bytes_is_not_found(
        live_site: Callable[..., LiveSite], capfd: pytest.CaptureFixture[str]) -> None:
    """The server stat()ed the name, got ENAMETOOLONG, and dropped the connection with a
    traceback; now it is the site's own 404 page."""
    live = live_site()
    page = not_found_page(live)
    wrong = []
    for path in LONG_PATHS:
        for method in ("GET", "HEAD"):
            try:
                reply = live.get(path, method)
            except OSError as exc:  # the connection closed with no reply
                wrong.append(f"{method} {path[:30]}...: {exc!r}")
                continue
            if reply.status != 404 or (method == "GET" and not reply.body.startswith(page)):
                wrong.append(f"{method} {path[:30]}...: {reply.status}")
    assert wrong == []
    assert "Traceback" not in capfd.readouterr().err


def raw_status(port: int, target: bytes) -> int | None:
    """Send `GET <target>` byte for byte; the reply's status, None when none came."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    line = data.split(b"\r\n", 1)[0].split()
    return int(line[1]) if len(line) > 1 else None


ODD_TARGETS = [
    b"/a\x00b", b"/%00", b"/..%00/site.yaml", b"/%zz", b"/%", b"/%e9", b"/\xff\xfe",
    b"/loop", b"/loop/index.html",  # a symlink loop in the output folder
    b"http://[::1/",  # an absolute address with a bracket left open: not a URL at all
    b"/" + b"a/" * 3000,
]


def test_safety_13_odd_request_paths_answer_4xx_without_a_traceback(
        live_site: Callable[..., LiveSite], capfd: pytest.CaptureFixture[str]) -> None:
    live = live_site()
    (live.out / "loop").symlink_to("loop")
    port = live.port
    statuses = {target: raw_status(port, target) for target in ODD_TARGETS}
    assert {t: s for t, s in statuses.items() if s is None or not 400 <= s < 500} == {}
    assert statuses[b"http://[::1/"] == 400
    assert "Traceback" not in capfd.readouterr().err
    assert request(port, "/").status == 200  # and the server is still there


@pytest.mark.parametrize("port", ["70000", "65536", "-1", "eighty"])
def test_safety_13_a_port_out_of_range_is_a_usage_error_before_building(
        example_site: Path, capsys: pytest.CaptureFixture[str], port: str) -> None:
    """`--port 70000` built the site, then crashed in bind() with a traceback."""
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--source", str(example_site), "--port", port])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: site-builder serve ")
    assert err.endswith(f"site-builder serve: error: argument --port: '{port}' is not a port: "
                        "give a number from 1 to 65535 (or 0 for any free port)\n")
    assert not (example_site / "output").exists()
    assert not (example_site / ".cache").exists()


@pytest.mark.parametrize(("given", "port"), [("0", 0), ("1", 1), ("8000", 8000),
                                             ("65535", 65535)])
def test_safety_13_ports_in_range_are_taken(given: str, port: int) -> None:
    assert _parser().parse_args(["serve", "--port", given]).port == port


def test_safety_13_ports_in_use_near_the_top_stop_at_65535(
        example_site: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Every port taken from 65530 on: it tried 65536 next (an OverflowError, a traceback)."""
    import site_builder.serve.session as serve_module

    tried = []

    def taken(_state: object, _host: str, port: int) -> None:
        tried.append(port)
        raise OSError(errno.EADDRINUSE, "Address already in use")

    monkeypatch.setattr(serve_module, "make_server", taken)
    assert main(["serve", "--source", str(example_site), "--port", "65530"]) == 1
    assert tried == list(range(65530, 65536))
    assert "site-builder: ports 65530 to 65535 on 127.0.0.1 are all in use" in \
        capsys.readouterr().err


# --- item 15: init writes a whole site or nothing -----------------------------------------------


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def folders_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir())


def init_fails(directory: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    code = main(["init", str(directory)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err
    assert err.startswith("site-builder: ") and err.endswith("\n") and err.count("\n") == 1
    return err[len("site-builder: "):-1]


def test_safety_15_init_under_a_file_is_refused(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes").write_text("mine\n", encoding="utf-8")
    site = tmp_path / "notes" / "site"
    assert init_fails(site, capsys) == (f"cannot create the site in '{site}': "
                                        f"'{tmp_path / 'notes'}' is a file; move it away or "
                                        "choose another folder")
    assert files_under(tmp_path) == {"notes": b"mine\n"}


def test_safety_15_a_file_where_a_later_folder_goes_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`.github` is a file: the site's first files were written, then a traceback."""
    site = tmp_path / "site"
    site.mkdir()
    (site / ".github").write_text("not a folder\n", encoding="utf-8")
    assert init_fails(site, capsys) == (f"cannot create the site in '{site}': "
                                        f"'{site / '.github'}' is a file; move it away or "
                                        "choose another folder")
    assert files_under(site) == {".github": b"not a folder\n"}
    assert folders_under(site) == []


@pytest.fixture
def unwritable(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make a folder one may not write in. chmod 555 does it for a normal user; root (as the
    tests run in CI) ignores permissions, so for root, os.mkdir, os.open and io.open refuse
    any write inside the folder with the PermissionError the system would give. Both paths
    then meet the same refusal: the first one in init's checks, the second in its writes
    (which must take back what they had made)."""
    def lock(folder: Path) -> None:
        folder.chmod(0o555)
        if os.geteuid() != 0:
            return
        real_mkdir, real_open, real_io_open = os.mkdir, os.open, io.open

        def check(path: object) -> None:
            if Path(os.fsdecode(path)).resolve().parent == folder.resolve():  # type: ignore
                raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))  # type: ignore

        def mkdir(path: object, *args: object, **kwargs: object) -> None:
            check(path)
            real_mkdir(path, *args, **kwargs)  # type: ignore

        def os_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                check(path)
            return real_open(path, flags, *args, **kwargs)  # type: ignore

        def io_open(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
            if isinstance(file, (str, Path)) and set(mode) & set("wax+"):
                check(file)
            return real_io_open(file, mode, *args, **kwargs)  # type: ignore

        monkeypatch.setattr(os, "mkdir", mkdir)
        monkeypatch.setattr(os, "open", os_open)
        monkeypatch.setattr(io, "open", io_open)

    return lock


@pytest.mark.parametrize("locked", ["", ".github"])
def test_safety_15_init_into_an_unwritable_folder_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        unwritable: Callable[[Path], None], locked: str) -> None:
    """The site's folder, or only its .github folder (where the last files go), is read-only:
    a traceback, and (for .github) the first files left written."""
    site = tmp_path / "site"
    (site / locked).mkdir(parents=True, exist_ok=True)
    unwritable(site / locked)
    try:
        why = init_fails(site, capsys)
        found, folders = files_under(site), folders_under(site)
    finally:
        (site / locked).chmod(0o755)
    folder = site / locked if locked else site
    assert why == (f"cannot write in '{folder}': permission denied; nothing was written "
                   "(choose a folder you can write in)")
    assert (found, folders) == ({}, [locked] if locked else [])


def test_safety_15_a_gitignore_that_is_not_utf8_changes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every file was written, then the .gitignore failed to decode: a traceback."""
    site = tmp_path / "site"
    site.mkdir()
    original = b"/build/\n\xff\xfe latin-1 notes\n"
    (site / ".gitignore").write_bytes(original)
    assert init_fails(site, capsys) == (f"cannot add to '{site / '.gitignore'}': it is not "
                                        "UTF-8 text (byte 0xff on line 2); save it as UTF-8 "
                                        "and run init again; nothing was written")
    assert files_under(site) == {".gitignore": original}
    assert folders_under(site) == []


def test_safety_15_a_write_that_fails_at_the_end_takes_back_every_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills as the .gitignore (the last file) is replaced: the new files go, the
    .gitignore stays as it was."""
    site = tmp_path / "site"
    site.mkdir()
    (site / ".gitignore").write_text("/build/\n", encoding="utf-8")

    def full(_src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", os.fsdecode(dst))  # type: ignore

    monkeypatch.setattr(os, "replace", full)
    assert init_fails(site, capsys) == (f"cannot write in '{site}': no space left on device; "
                                        "nothing was written")
    assert files_under(site) == {".gitignore": b"/build/\n"}
    assert folders_under(site) == []
