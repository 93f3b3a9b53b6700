"""`site-builder deploy`: the built site becomes the gh-pages branch of a remote.

Every test works on its own repositories in tmp_path: a bare repository as the
remote and a work repository holding a copy of the example site, committed on
`main`. Git runs with an empty HOME and no system config, so no identity or
setting of the machine leaks in; the test's own commits name their author
through the environment of those commands only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder.cli.commands import main
from site_builder.site.hostfiles import OUTPUT_MARK

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "https://example.github.io/briefs-demo/"
SLUG = "2024-09-09-iran-missiles-russia"
TEST_IDENTITY = {"GIT_AUTHOR_NAME": "Test Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
                 "GIT_COMMITTER_NAME": "Test Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}
GIT_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                 "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CEILING_DIRECTORIES",
                 "GIT_CONFIG", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_COUNT", "GIT_CONFIG_PARAMETERS",
                 *TEST_IDENTITY, "EMAIL")


@pytest.fixture(autouse=True)
def no_git_identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty HOME and no system git config: deploy sees no identity and no settings."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_TERMINAL_PROMPT", "0")
    for name in GIT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return home


def git(cwd: Path, *args: str, check: bool = True,
        identity: bool = True) -> subprocess.CompletedProcess:
    """Run git for the test itself, as the test's identity (given only to this command)."""
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(TEST_IDENTITY if identity else {})}, check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done


def out(cwd: Path, *args: str) -> str:
    return git(cwd, *args).stdout.strip()


def copy_example(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "briefs", dest / "briefs")
    shutil.copy2(ROOT / "site.yaml", dest / "site.yaml")
    return dest


@pytest.fixture
def repos(tmp_path: Path) -> tuple[Path, Path]:
    """(work, bare): the example site committed on main, origin = the bare repository."""
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare))
    work = copy_example(tmp_path / "work")
    (work / ".gitignore").write_text("/output/\n", encoding="utf-8")
    git(work, "init", "--quiet", "--initial-branch=main")
    git(work, "add", "--all")
    git(work, "commit", "--quiet", "-m", "The example site")
    git(work, "remote", "add", "origin", str(bare))
    git(work, "push", "--quiet", "origin", "main")
    return work, bare


def deploy(work: Path, *extra: str) -> int:
    return main(["deploy", "--source", str(work), *extra])


def built(site: Path, dest: Path, base_url: str | None = BASE_URL) -> dict[str, bytes]:
    """What `site-builder build` writes for the site: {path: bytes}. It builds a copy of the
    site, so nothing (a build cache, say) is left in the work tree under test."""
    source = dest.with_name(dest.name + "-source")
    shutil.copytree(site, source, ignore=shutil.ignore_patterns(".git"))
    extra = ["--base-url", base_url] if base_url else []
    assert main(["build", "--source", str(source), "--output", str(dest), *extra]) == 0
    return {p.relative_to(dest).as_posix(): p.read_bytes()
            for p in sorted(dest.rglob("*")) if p.is_file()}


def published(bare: Path, ref: str = "refs/heads/gh-pages") -> dict[str, bytes]:
    """Every file of the branch in the bare repository: {path: bytes}; only plain files."""
    listing = git(bare, "ls-tree", "-r", "-z", "--full-tree", ref).stdout
    files = {}
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, kind, sha = meta.split()
        assert (mode, kind) == ("100644", "blob"), entry
        files[path] = subprocess.run(["git", "cat-file", "blob", sha], cwd=bare,
                                     capture_output=True, check=True).stdout
    return files


def head_of(bare: Path, branch: str = "gh-pages") -> str | None:
    done = git(bare, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False)
    return done.stdout.strip() or None


def parents(bare: Path, commit: str) -> list[str]:
    return out(bare, "rev-list", "--parents", "-n", "1", commit).split()[1:]


def tree_state(work: Path) -> dict[str, tuple[bytes, int]]:
    """The work tree's files (outside .git): bytes and modification time."""
    return {p.relative_to(work).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(work.rglob("*")) if p.is_file() and ".git" not in p.parts}


def repo_state(work: Path) -> dict[str, object]:
    """Everything deploy must leave alone, read without git writing anything."""
    return {"files": tree_state(work),
            "index": (work / ".git" / "index").read_bytes(),
            "HEAD": (work / ".git" / "HEAD").read_text(),
            "main": out(work, "rev-parse", "refs/heads/main")}


def assert_untouched(work: Path, before: dict[str, object]) -> None:
    assert repo_state(work) == before
    assert out(work, "status", "--porcelain", "--untracked-files=all") == ""
    assert out(work, "symbolic-ref", "HEAD") == "refs/heads/main"
    assert out(work, "diff", "--cached", "--name-only") == ""
    assert not (work / "output").exists()


def change_brief(work: Path, new_title: str) -> None:
    path = work / "briefs" / f"{SLUG}.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("title: "))
    lines[at] = f"title: {new_title}"
    path.write_text("\n".join(lines), encoding="utf-8")
    git(work, "commit", "--quiet", "-am", "A new title")


# --- the happy path -----------------------------------------------------------------------------


def test_deploy_twice_publishes_exactly_the_built_site(repos: tuple[Path, Path], tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    work, bare = repos
    git(work, "status", "--porcelain")  # let git refresh its index before the snapshot
    before = repo_state(work)

    assert deploy(work, "--base-url", BASE_URL) == 0
    assert_untouched(work, before)
    assert "deployed" in capsys.readouterr().err
    first = head_of(bare)
    assert first is not None
    assert parents(bare, first) == []
    expected = built(work, tmp_path / "expected1")
    site = published(bare)
    assert sorted(site) == sorted(expected)
    assert site == expected
    assert site[".nojekyll"] == OUTPUT_MARK
    assert "sitemap.xml" in site
    assert head_of(bare, "main") == before["main"]  # the source branch is not pushed over

    change_brief(work, "A changed title for the second deploy")
    git(work, "status", "--porcelain")
    before = repo_state(work)
    assert deploy(work, "--base-url", BASE_URL) == 0
    assert_untouched(work, before)
    second = head_of(bare)
    assert second is not None and second != first
    assert parents(bare, second) == [first]
    assert out(bare, "rev-list", "--count", "gh-pages") == "2"
    expected = built(work, tmp_path / "expected2")
    site = published(bare)
    assert site == expected
    assert b"A changed title for the second deploy" in site[f"briefs/{SLUG}/index.html"]


def test_deploy_without_changes_adds_no_commit(repos: tuple[Path, Path]) -> None:
    work, bare = repos
    assert deploy(work, "--base-url", BASE_URL) == 0
    first = head_of(bare)
    assert deploy(work, "--base-url", BASE_URL) == 0
    assert head_of(bare) == first


def test_deploy_uses_site_yaml_base_url_when_none_is_given(repos: tuple[Path, Path],
                                                           tmp_path: Path) -> None:
    work, bare = repos
    site_yaml = work / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + f"base_url: {BASE_URL}\n",
                         encoding="utf-8")
    git(work, "commit", "--quiet", "-am", "Publish at a base URL")
    assert deploy(work) == 0
    site = published(bare)
    assert site == built(work, tmp_path / "expected", base_url=None)
    assert f"Sitemap: {BASE_URL}sitemap.xml".encode() in site["robots.txt"]


def test_deploy_of_a_site_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare))
    repo = tmp_path / "repo"
    copy_example(repo / "site")
    (repo / "README.md").write_text("Not part of the site\n", encoding="utf-8")
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "Site in a subfolder")
    git(repo, "remote", "add", "origin", str(bare))
    git(repo, "status", "--porcelain")
    before = repo_state(repo)
    assert deploy(repo / "site", "--base-url", BASE_URL) == 0
    assert_untouched(repo, before)
    assert published(bare) == built(repo / "site", tmp_path / "expected")


# --- who commits --------------------------------------------------------------------------------


def author_of(bare: Path) -> str:
    return out(bare, "log", "-1", "--format=%an <%ae>|%cn <%ce>", "gh-pages")


def test_deploy_works_with_no_git_identity_at_all(repos: tuple[Path, Path]) -> None:
    work, bare = repos
    git_knows = git(work, "var", "GIT_COMMITTER_IDENT", check=False, identity=False)
    assert deploy(work, "--base-url", BASE_URL) == 0
    assert head_of(bare) is not None
    assert out(bare, "ls-tree", "--name-only", "gh-pages", ".nojekyll") == ".nojekyll"
    if git_knows.returncode != 0:  # git cannot guess one here (no mail domain): the fallback
        fallback = "site-builder <site-builder@localhost>"
        assert author_of(bare) == f"{fallback}|{fallback}"


def test_deploy_in_a_subprocess_with_no_identity(repos: tuple[Path, Path], tmp_path: Path,
                                                 no_git_identity: Path) -> None:
    work, bare = repos
    env = {k: v for k, v in os.environ.items() if k not in GIT_VARIABLES}
    env.update(HOME=str(no_git_identity), GIT_CONFIG_NOSYSTEM="1")
    done = subprocess.run([sys.executable, "-m", "site_builder", "deploy", "--source", str(work),
                           "--base-url", BASE_URL], capture_output=True, text=True, env=env,
                          cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert "deployed" in done.stderr
    assert head_of(bare) is not None


def test_deploy_honours_an_identity_given_in_the_environment(
        repos: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    work, bare = repos
    for name, value in {"GIT_AUTHOR_NAME": "Ann Editor", "GIT_AUTHOR_EMAIL": "ann@example.org",
                        "GIT_COMMITTER_NAME": "CI Bot",
                        "GIT_COMMITTER_EMAIL": "ci@example.org"}.items():
        monkeypatch.setenv(name, value)
    assert deploy(work, "--base-url", BASE_URL) == 0
    assert author_of(bare) == "Ann Editor <ann@example.org>|CI Bot <ci@example.org>"


def test_deploy_honours_the_repository_identity(repos: tuple[Path, Path]) -> None:
    work, bare = repos
    git(work, "config", "user.name", "Repo Editor")
    git(work, "config", "user.email", "repo@example.org")
    assert deploy(work, "--base-url", BASE_URL) == 0
    assert author_of(bare) == "Repo Editor <repo@example.org>|Repo Editor <repo@example.org>"


# --- a site with errors deploys nothing ---------------------------------------------------------


def break_site(work: Path) -> None:
    path = work / "briefs" / f"{SLUG}.yaml"
    text = path.read_text(encoding="utf-8")
    assert "stance: denies" in text
    path.write_text(text.replace("stance: denies", "stance: denied", 1), encoding="utf-8")
    git(work, "commit", "--quiet", "-am", "A typo")


def test_a_site_with_errors_deploys_nothing(repos: tuple[Path, Path],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    work, bare = repos
    break_site(work)
    git(work, "status", "--porcelain")
    before = repo_state(work)
    assert deploy(work, "--base-url", BASE_URL) == 1
    err = capsys.readouterr().err
    assert f"briefs/{SLUG}.yaml:" in err
    assert "error:" in err and "denied" in err
    assert "nothing was published" in err
    assert head_of(bare) is None
    assert "gh-pages" not in out(bare, "branch", "--list")
    assert_untouched(work, before)
    assert git(work, "rev-parse", "--verify", "--quiet", "refs/heads/gh-pages",
               check=False).returncode != 0


def test_a_site_with_errors_leaves_the_last_deploy_as_it_was(
        repos: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    work, bare = repos
    assert deploy(work, "--base-url", BASE_URL) == 0
    first = head_of(bare)
    site = published(bare)
    break_site(work)
    capsys.readouterr()
    assert deploy(work, "--base-url", BASE_URL) == 1
    assert "error:" in capsys.readouterr().err
    assert head_of(bare) == first
    assert published(bare) == site


# --- git failures -------------------------------------------------------------------------------


Run = Callable[..., subprocess.CompletedProcess]


@pytest.fixture
def run_cli(tmp_path: Path) -> Run:
    """`python -m site_builder ...` in a subprocess (to see that no traceback is printed)."""
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "site_builder", *args], cwd=tmp_path,
                              capture_output=True, text=True, check=False)
    return run


def test_a_remote_that_does_not_exist_is_a_clear_error(repos: tuple[Path, Path], tmp_path: Path,
                                                        run_cli: Run) -> None:
    work, _bare = repos
    git(work, "remote", "set-url", "origin", str(tmp_path / "no-such-remote.git"))
    git(work, "status", "--porcelain")
    before = repo_state(work)
    done = run_cli("deploy", "--source", str(work), "--base-url", BASE_URL)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "deploy failed, nothing was published" in done.stderr
    assert "does not appear to be a git repository" in done.stderr  # git's own words
    assert_untouched(work, before)
    assert git(work, "rev-parse", "--verify", "--quiet", "refs/heads/gh-pages",
               check=False).returncode != 0


def test_a_remote_name_that_does_not_exist_is_a_clear_error(repos: tuple[Path, Path],
                                                             run_cli: Run) -> None:
    work, bare = repos
    done = run_cli("deploy", "--source", str(work), "--remote", "upstream")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "No such remote 'upstream'" in done.stderr
    assert head_of(bare) is None


def test_a_site_outside_any_repository_is_a_clear_error(tmp_path: Path, run_cli: Run) -> None:
    site = copy_example(tmp_path / "plain")
    done = run_cli("deploy", "--source", str(site))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "not a git repository" in done.stderr


def test_a_rejected_push_is_a_clear_error(repos: tuple[Path, Path], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """The remote refuses the push (a hook): git's message is shown, the local branch stays."""
    work, bare = repos
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are closed today' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    assert deploy(work, "--base-url", BASE_URL) == 1
    err = capsys.readouterr().err
    assert "pushes are closed today" in err
    assert "deploy failed" in err
    assert head_of(bare) is None
    assert git(work, "rev-parse", "--verify", "--quiet", "refs/heads/gh-pages",
               check=False).returncode != 0


# --- which address the site is built for --------------------------------------------------------


@pytest.mark.parametrize(("remote", "expected"), [
    ("https://github.com/example/briefs-demo.git", "https://example.github.io/briefs-demo/"),
    ("https://github.com/Example/Briefs-Demo", "https://example.github.io/Briefs-Demo/"),
    ("git@github.com:example/briefs-demo.git", "https://example.github.io/briefs-demo/"),
    ("ssh://git@github.com/example/briefs-demo.git/", "https://example.github.io/briefs-demo/"),
    ("https://github.com/Example/example.github.io.git", "https://example.github.io/"),
    ("https://gitlab.com/example/briefs-demo.git", None),
    ("https://notgithub.com/example/briefs-demo.git", None),
    ("git@mygithub.com:example/briefs-demo.git", None),
    ("/srv/git/briefs-demo.git", None),
])
def test_github_pages_address_of_a_remote(remote: str, expected: str | None) -> None:
    from site_builder.publish.deploy import github_pages_url

    assert github_pages_url(remote) == expected


def pretend_github_remote(monkeypatch: pytest.MonkeyPatch) -> None:
    """The remote is a local bare repository; let deploy take it for GitHub's briefs-demo."""
    import site_builder.publish.deploy

    monkeypatch.setattr(site_builder.publish.deploy, "github_pages_url", lambda _url: BASE_URL)


def test_deploy_to_a_github_remote_publishes_at_its_pages_address(
        repos: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work, bare = repos
    pretend_github_remote(monkeypatch)
    assert deploy(work) == 0
    assert published(bare) == built(work, tmp_path / "expected", BASE_URL)


@pytest.mark.parametrize(("setting", "address"), [
    ("base_url: https://briefs.example.org/", "https://briefs.example.org/"),
    ("domain: briefs.example.org", "https://briefs.example.org/"),
])
def test_site_yaml_address_wins_over_the_remote_guess(
        repos: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        setting: str, address: str) -> None:
    """A site with its own address (or domain) must not be built for <user>.github.io/<repo>/:
    its 404 page would link to /<repo>/... on a host that serves it at /."""
    work, bare = repos
    site_yaml = work / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + setting + "\n",
                         encoding="utf-8")
    git(work, "commit", "--quiet", "-am", "Our own address")
    pretend_github_remote(monkeypatch)
    assert deploy(work) == 0
    site = published(bare)
    assert site == built(work, tmp_path / "expected", base_url=None)
    assert f"Sitemap: {address}sitemap.xml".encode() in site["robots.txt"]
    assert b"/briefs-demo/" not in site["404.html"]


# --- what deploy says ---------------------------------------------------------------------------


def last_lines(capsys: pytest.CaptureFixture[str], count: int) -> list[str]:
    return capsys.readouterr().err.splitlines()[-count:]


def commit_line(bare: Path) -> str:
    """The last line of a deploy that made a commit, for what `bare` holds now."""
    head = head_of(bare)
    assert head is not None
    return f"deployed {len(published(bare))} files to origin/gh-pages (commit {head[:12]})"


def test_deploy_says_the_base_url_given_and_what_it_did(
        repos: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    work, bare = repos
    assert deploy(work, "--base-url", BASE_URL) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"built for {BASE_URL} (from --base-url)", commit_line(bare)]


def test_deploy_says_the_base_url_of_site_yaml(repos: tuple[Path, Path],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    work, bare = repos
    site_yaml = work / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "domain: briefs.example.org\n",
                         encoding="utf-8")
    git(work, "commit", "--quiet", "-am", "Our own address")
    assert deploy(work) == 0
    assert last_lines(capsys, 2) == ["built for https://briefs.example.org/ (from site.yaml)",
                                     commit_line(bare)]


def test_deploy_says_the_github_pages_address_it_guessed(
        repos: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    work, bare = repos
    pretend_github_remote(monkeypatch)
    assert deploy(work) == 0
    assert last_lines(capsys, 2) == [
        f"built for {BASE_URL} (the GitHub Pages address of the remote)", commit_line(bare)]


NO_BASE_URL = ("site-builder: warning: built with no base URL: the remote 'origin' is not on "
               "GitHub and site.yaml sets no base_url, so the 404 page's links start at '/' and "
               "break if the site is served under a sub-path (and there is no sitemap); set "
               "base_url in site.yaml or pass --base-url")


def test_deploy_warns_when_the_remote_is_not_github_and_no_base_url_is_set(
        repos: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    work, bare = repos
    assert deploy(work) == 0
    assert last_lines(capsys, 2) == [NO_BASE_URL, commit_line(bare)]
    assert "sitemap.xml" not in published(bare)


def test_deploy_of_an_unchanged_site_says_nothing_changed(
        repos: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    work, bare = repos
    assert deploy(work, "--base-url", BASE_URL) == 0
    first = head_of(bare)
    assert first is not None
    capsys.readouterr()
    assert deploy(work, "--base-url", BASE_URL) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"built for {BASE_URL} (from --base-url)",
        f"nothing changed: origin/gh-pages already holds this site (commit {first[:12]}); "
        "nothing was committed or pushed"]
    assert head_of(bare) == first
    assert out(work, "rev-parse", "refs/heads/gh-pages") == first


def test_deploy_names_the_uncommitted_files_it_publishes(
        repos: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    work, bare = repos
    brief = work / "briefs" / f"{SLUG}.yaml"
    text = brief.read_text(encoding="utf-8")
    brief.write_text(text.replace("title: ", "title: Unsaved ", 1), encoding="utf-8")
    (work / "briefs" / "notes.txt").write_text("not committed\n", encoding="utf-8")
    git(work, "status", "--porcelain")
    index = (work / ".git" / "index").read_bytes()
    assert deploy(work, "--base-url", BASE_URL) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"built for {BASE_URL} (from --base-url)",
        f"published with uncommitted changes: briefs/{SLUG}.yaml, briefs/notes.txt (the site is "
        "built from the files as they are on disk; commit them so your history matches what "
        "is published)",
        commit_line(bare)]
    assert b"Unsaved " in published(bare)[f"briefs/{SLUG}/index.html"]
    assert (work / ".git" / "index").read_bytes() == index
    assert "with uncommitted changes" in out(bare, "log", "-1", "--format=%s", "gh-pages")


def test_uncommitted_files_outside_the_site_are_not_named(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Neither in deploy's lines nor in the commit's message: only the site's folder is
    published."""
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare))
    repo = tmp_path / "repo"
    copy_example(repo / "site")
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "Site in a subfolder")
    git(repo, "remote", "add", "origin", str(bare))
    (repo / "README.md").write_text("Not part of the site\n", encoding="utf-8")
    assert deploy(repo / "site", "--base-url", BASE_URL) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"built for {BASE_URL} (from --base-url)", commit_line(bare)]
    head = out(repo, "rev-parse", "--short", "HEAD")
    assert out(bare, "log", "-1", "--format=%s", "gh-pages") == \
        f"Publish the site built from {head}"


def test_deploy_names_three_uncommitted_files_and_counts_the_rest() -> None:
    from site_builder.publish.deploy import BaseUrl, DeployResult, deploy_lines

    names = ("site.yaml", "briefs/a.md", "briefs/a.yaml", "briefs/b.md", "briefs/b.yaml")
    result = DeployResult("0123456789abcdef", "gh-pages", "origin", 9,
                          BaseUrl(BASE_URL, "--base-url"), True, names)
    assert deploy_lines(result)[1].startswith(
        "published with uncommitted changes: site.yaml, briefs/a.md, briefs/a.yaml and 2 more "
        "(the site is built")


def test_a_renamed_file_is_named_once(repos: tuple[Path, Path],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    work, _bare = repos
    git(work, "mv", "site.yaml", "briefs/moved.txt")
    (work / "site.yaml").write_text((work / "briefs" / "moved.txt").read_text(encoding="utf-8"),
                                    encoding="utf-8")
    assert deploy(work, "--base-url", BASE_URL) == 0
    assert "published with uncommitted changes: briefs/moved.txt, site.yaml (the site" in \
        capsys.readouterr().err
