"""`site-builder deploy`: publish the built site as the `gh-pages` branch.

The site is built into a temporary folder (a site with errors is never
deployed), committed with git's plumbing through a temporary index, so the
working tree, the staging area and the current branch are never touched, and
pushed. The local branch moves only after the push succeeded. Every git
failure is reported with git's own message. A site the remote's branch holds
already is not committed or pushed again.

The result says what was done: the base URL the site was built for and where
it came from, whether anything changed, and which files of the site's folder
had uncommitted changes when they were published.

The branch must be a branch of its own, as git itself would insist: deploy
refuses a branch checked out in any work tree (its ref would move under the
files) and any branch holding the sources (the site's files in its last
commit, or a history shared with the commit being deployed), before building.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..base.diagnostics import Diagnostics
from ..build.builder import Builder
from ..source.config import read_config
from ..source.load import SITE_CONFIG, read_text


class GitError(Exception):
    """A git command failed; the message holds the command and git's own words."""


class DeployRefused(Exception):
    """The branch is not one to publish to; the message says why. Nothing was done."""


@dataclass(frozen=True, slots=True)
class BaseUrl:
    """The address the site is built for (None: none found) and where it came from."""
    url: str | None
    source: str  # "--base-url", "site.yaml", "github" or "none"


@dataclass(frozen=True, slots=True)
class DeployResult:
    commit: str
    branch: str
    remote: str
    files: int
    base_url: BaseUrl
    changed: bool  # False: the remote's branch held this very site already
    uncommitted: tuple[str, ...] = ()  # the site's files published with uncommitted changes


def deploy(root: Path, diags: Diagnostics, remote: str = "origin", branch: str = "gh-pages",
           message: str | None = None, base_url: str | None = None) -> DeployResult | None:
    """Build and publish; None (with diagnostics) when the site has errors."""
    repo = Path(git(root, "rev-parse", "--show-toplevel"))
    remote_url = git(repo, "remote", "get-url", remote)
    _refuse_checked_out(repo, branch)
    remote_tip, local_tip = _remote_head(repo, remote, branch), _local_head(repo, branch)
    for label, tip in ((f"{remote}/{branch}", remote_tip),
                       (f"the local branch '{branch}'", local_tip)):
        if tip:
            _refuse_sources(repo, root, branch, label, tip)
    url = _base_url(root, base_url, remote_url)
    with tempfile.TemporaryDirectory(prefix="site-builder-deploy-") as tmp:
        out_dir = Path(tmp) / "site"
        outcome = Builder(root, out_dir, url.url).build(diags)
        if outcome.report is None:
            return None
        parent = remote_tip or local_tip
        edits = _uncommitted(root)
        commit = _commit_tree(repo, out_dir, parent, message or _default_message(repo, edits))
        changed = commit != remote_tip
        if changed:
            git(repo, "push", remote, f"{commit}:refs/heads/{branch}")
        git(repo, "update-ref", f"refs/heads/{branch}", commit)
        files = len(outcome.report.written) + len(outcome.report.unchanged)
    return DeployResult(commit, branch, remote, files, url, changed, edits if changed else ())


def _base_url(root: Path, given: str | None, remote_url: str) -> BaseUrl:
    """The first found of --base-url, site.yaml's address, the remote's GitHub Pages one."""
    if given:
        return BaseUrl(given, "--base-url")
    own = _site_base_url(root)
    if own:
        return BaseUrl(own, "site.yaml")
    pages = github_pages_url(remote_url)
    return BaseUrl(pages, "github") if pages else BaseUrl(None, "none")


def _uncommitted(root: Path) -> tuple[str, ...]:
    """The files under the site's folder that differ from HEAD or are new (not ignored), as
    git names them: from the top of the repository."""
    listing = git(root, "--no-optional-locks", "status", "--porcelain", "-z",  # the index
                  "--untracked-files=all", "--", ".", strip=False)  # is read, never rewritten
    entries = iter(listing.split("\0"))
    names = []
    for entry in entries:
        if entry:
            names.append(entry[3:])
            if {"R", "C"} & set(entry[:2]):  # a rename's or copy's next entry: its old name
                next(entries, None)
    return tuple(names)


BASE_URL_SOURCES = {"--base-url": "from --base-url", "site.yaml": "from site.yaml",
                    "github": "the GitHub Pages address of the remote"}


def deploy_lines(result: DeployResult) -> list[str]:
    """What deploy tells: the base URL, uncommitted files published, and what it did."""
    where, url = f"{result.remote}/{result.branch}", result.base_url
    if url.url:
        lines = [f"built for {url.url} ({BASE_URL_SOURCES[url.source]})"]
    else:
        lines = [f"site-builder: warning: built with no base URL: the remote '{result.remote}' "
                 "is not on GitHub and site.yaml sets no base_url, so the 404 page's links "
                 "start at '/' and break if the site is served under a sub-path (and there is "
                 "no sitemap); set base_url in site.yaml or pass --base-url"]
    if result.uncommitted:
        shown = ", ".join(result.uncommitted[:3])
        more = f" and {len(result.uncommitted) - 3} more" if len(result.uncommitted) > 3 else ""
        lines.append(f"published with uncommitted changes: {shown}{more} "
                     "(the site is built from the files as they are on disk; commit them so "
                     "your history matches what is published)")
    if not result.changed:
        lines.append(f"nothing changed: {where} already holds this site "
                     f"(commit {result.commit[:12]}); nothing was committed or pushed")
    else:
        lines.append(f"deployed {result.files} files to {where} (commit {result.commit[:12]})")
    return lines


OWN_BRANCH = "the built site goes to a branch of its own (the default is gh-pages)"


def _refuse_checked_out(repo: Path, branch: str) -> None:
    """A branch checked out in the main work tree or a linked one is never published to."""
    where = None
    for line in git(repo, "worktree", "list", "--porcelain").splitlines():
        if line.startswith("worktree "):
            where = line[len("worktree "):]
        elif line == f"branch refs/heads/{branch}":
            raise DeployRefused(f"refusing to deploy to '{branch}': it is the branch checked "
                                f"out in {where}; {OWN_BRANCH}")


def _refuse_sources(repo: Path, root: Path, branch: str, label: str, tip: str) -> None:
    """A branch whose last commit holds the site's sources, or whose history and the one
    being deployed from are one line, is a source branch: never published to."""
    why = _source_file(repo, root, tip)
    head = _head(repo)
    if why:
        why = f"{label} holds the site's sources ({why})"
    elif head and _is_ancestor(repo, head, tip):
        why = f"{label} has the commit you deploy from (HEAD, {head[:7]}) in its history"
    elif head and _is_ancestor(repo, tip, head):
        why = f"{label} is part of the history you deploy from (HEAD, {head[:7]})"
    if why:
        raise DeployRefused(f"refusing to deploy to '{branch}': {why}; {OWN_BRANCH}")


def _source_file(repo: Path, root: Path, tip: str) -> str | None:
    """The first of the site's own files (site.yaml, a brief or the registry in briefs/) that
    the commit `tip` holds where the site is; a built site has none of them."""
    prefix = git(root, "rev-parse", "--show-prefix")
    listing = git(repo, "ls-tree", "-z", "--name-only", tip, "--",
                  f"{prefix}{SITE_CONFIG}", f"{prefix}briefs/")
    names = listing.split("\0")
    if f"{prefix}{SITE_CONFIG}" in names:
        return f"{prefix}{SITE_CONFIG}"
    return next((name for name in names if name.endswith((".md", ".yaml"))), None)


def _head(repo: Path) -> str | None:
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except GitError:
        return None  # a repository with no commit yet


def _is_ancestor(repo: Path, ancestor: str, descendant: str) -> bool:
    done = _run(repo, ["merge-base", "--is-ancestor", ancestor, descendant])
    if done.returncode not in (0, 1):
        raise GitError(f"`git merge-base --is-ancestor` failed: {done.stderr.strip()}")
    return done.returncode == 0


def _site_base_url(root: Path) -> str | None:
    """site.yaml's own address (base_url, or its domain's); the build reports its errors."""
    scratch = Diagnostics()
    return read_config(read_text(root, SITE_CONFIG, scratch, optional=True), scratch).base_url


def git(cwd: Path, *args: str, env: dict[str, str] | None = None, strip: bool = True) -> str:
    """git's output, stripped unless `strip` is False (a status line may start with a space)."""
    done = _run(cwd, list(args), env)
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip()
        raise GitError(f"`{' '.join(['git', *args])}` failed: {said}")
    return done.stdout.strip() if strip else done.stdout


def _run(cwd: Path, args: list[str],
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              env={**os.environ, **(env or {})}, check=False)
    except FileNotFoundError as exc:
        raise GitError("git is not installed (or not on PATH)") from exc


def _remote_head(repo: Path, remote: str, branch: str) -> str | None:
    """The branch's commit on the remote (fetched now), or None when it has none yet."""
    tracking = f"refs/remotes/{remote}/{branch}"
    try:
        # LC_ALL=C: the message tested below must not come translated
        git(repo, "fetch", "--quiet", remote, f"+refs/heads/{branch}:{tracking}",
            env={"LC_ALL": "C"})
    except GitError as exc:
        if "couldn't find remote ref" not in str(exc):
            raise
        return None
    return git(repo, "rev-parse", "--verify", tracking)


def _local_head(repo: Path, branch: str) -> str | None:
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")
    except GitError:
        return None


def _commit_tree(repo: Path, site: Path, parent: str | None, message: str) -> str:
    with tempfile.TemporaryDirectory(prefix="site-builder-index-") as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        git(repo, f"--work-tree={site}", "add", "--all", "--force", ".", env=env)
        tree = git(repo, "write-tree", env=env)
    if parent and git(repo, "rev-parse", f"{parent}^{{tree}}") == tree:
        return parent  # nothing changed since the last deploy
    args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
    return git(repo, *args, env=_identity(repo))


def _identity(repo: Path) -> dict[str, str]:
    """Who commits: git's own identity (config or GIT_AUTHOR_*/GIT_COMMITTER_* variables),
    with site-builder's filling in only what git cannot tell."""
    try:
        git(repo, "var", "GIT_AUTHOR_IDENT")
        git(repo, "var", "GIT_COMMITTER_IDENT")
        return {}
    except GitError:
        name, email = "site-builder", "site-builder@localhost"
        fallback = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
                    "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email}
        return {key: value for key, value in fallback.items() if not os.environ.get(key)}


def _default_message(repo: Path, edits: tuple[str, ...]) -> str:
    """Names the commit HEAD is at, and says so when the site's folder had uncommitted
    changes (`edits`, what deploy's line names too): files elsewhere in the repository are
    not published, so they do not count."""
    try:
        head = git(repo, "rev-parse", "--short", "HEAD")
    except GitError:
        return "Publish the site"
    return f"Publish the site built from {head}" + (" with uncommitted changes" if edits else "")


def github_pages_url(remote_url: str) -> str | None:
    """https://<user>.github.io/<repo>/ for a GitHub remote, else None."""
    match = re.search(r"(?:^|[@/])github\.com[:/]([^/]+)/([^/]+?)(?:\.git)?/?$", remote_url)
    if not match:
        return None
    user, name = match.group(1), match.group(2)
    if name.lower() == f"{user.lower()}.github.io":
        return f"https://{name.lower()}/"
    return f"https://{user.lower()}.github.io/{name}/"
