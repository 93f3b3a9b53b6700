"""`site-builder deploy`: publish the built site as the `gh-pages` branch.

The site is built into a temporary folder (a site with errors is never
deployed), committed with git's plumbing through a temporary index, so the
working tree, the staging area and the current branch are never touched, and
pushed. The local branch moves only after the push succeeded. Every git
failure is reported with git's own message.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .config import read_config
from .diagnostics import Diagnostics
from .incremental import Builder
from .load import SITE_CONFIG, read_text


class GitError(Exception):
    """A git command failed; the message holds the command and git's own words."""


@dataclass(frozen=True, slots=True)
class DeployResult:
    commit: str
    branch: str
    remote: str
    files: int


def deploy(root: Path, diags: Diagnostics, remote: str = "origin", branch: str = "gh-pages",
           message: str | None = None, base_url: str | None = None) -> DeployResult | None:
    """Build and publish; None (with diagnostics) when the site has errors."""
    repo = Path(git(root, "rev-parse", "--show-toplevel"))
    remote_url = git(repo, "remote", "get-url", remote)
    with tempfile.TemporaryDirectory(prefix="site-builder-deploy-") as tmp:
        out_dir = Path(tmp) / "site"
        url = base_url or _site_base_url(root) or github_pages_url(remote_url)
        outcome = Builder(root, out_dir, url).build(diags)
        if outcome.report is None:
            return None
        parent = _remote_head(repo, remote, branch) or _local_head(repo, branch)
        commit = _commit_tree(repo, out_dir, parent, message or _default_message(repo))
        git(repo, "push", remote, f"{commit}:refs/heads/{branch}")
        git(repo, "update-ref", f"refs/heads/{branch}", commit)
        files = len(outcome.report.written) + len(outcome.report.unchanged)
    return DeployResult(commit, branch, remote, files)


def _site_base_url(root: Path) -> str | None:
    """site.yaml's own address (base_url, or its domain's); the build reports its errors."""
    scratch = Diagnostics()
    return read_config(read_text(root, SITE_CONFIG, scratch, optional=True), scratch).base_url


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    command = ["git", *args]
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                              env={**os.environ, **(env or {})}, check=False)
    except FileNotFoundError as exc:
        raise GitError("git is not installed (or not on PATH)") from exc
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip()
        raise GitError(f"`{' '.join(command)}` failed: {said}")
    return done.stdout.strip()


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


def _default_message(repo: Path) -> str:
    try:
        head = git(repo, "rev-parse", "--short", "HEAD")
    except GitError:
        return "Publish the site"
    dirty = git(repo, "status", "--porcelain")
    return f"Publish the site built from {head}" + (" with uncommitted changes" if dirty else "")


def github_pages_url(remote_url: str) -> str | None:
    """https://<user>.github.io/<repo>/ for a GitHub remote, else None."""
    match = re.search(r"(?:^|[@/])github\.com[:/]([^/]+)/([^/]+?)(?:\.git)?/?$", remote_url)
    if not match:
        return None
    user, name = match.group(1), match.group(2)
    if name.lower() == f"{user.lower()}.github.io":
        return f"https://{name.lower()}/"
    return f"https://{user.lower()}.github.io/{name}/"
