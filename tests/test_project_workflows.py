"""This repository's own GitHub workflows (.github/workflows/: ci.yml, release.yml, pages.yml),
held to the rules of the Pages workflow `init` writes (tests/test_workflow.py, which also runs
zizmor and GitHub's workflow schema on every one of them).

Every action pinned to a full commit with its version in a comment; nothing allowed by
default, each job asking only for what it needs and saying why; checkouts that keep no
credentials; GitHub's values reaching the shell through `env:`, never pasted into a command.
The release workflow publishes on a version tag by trusted publishing, and only its publish
job may ask for an identity token.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from site_builder import __version__

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / ".github" / "workflows"
FILES = sorted(FOLDER.glob("*.y*ml"))
PIN = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(job, step) for job, spec in workflow["jobs"].items()
            for step in spec.get("steps", [])]


def action(step: dict[str, Any]) -> str:
    return str(step.get("uses", "")).split("@", 1)[0]


@pytest.fixture(params=FILES, ids=[path.name for path in FILES])
def path(request: pytest.FixtureRequest) -> Path:
    return Path(request.param)


def test_the_project_has_its_three_workflows() -> None:
    assert [path.name for path in FILES] == ["ci.yml", "pages.yml", "release.yml"]


def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    """A tag can be moved to other code; a commit cannot. The comment says which version the
    commit is, for whoever updates it."""
    workflow = load(path)
    refs = [step["uses"] for _job, step in steps(workflow) if "uses" in step]
    refs += [spec["uses"] for spec in workflow["jobs"].values() if "uses" in spec]
    assert refs
    text = path.read_text(encoding="utf-8")
    for ref in refs:
        assert PIN.fullmatch(ref), ref
        assert re.search(re.escape(ref) + r"  # v[0-9]+\.[0-9]+\.[0-9]+\n", text), ref


def test_nothing_is_allowed_by_default_and_each_job_says_why(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {}
    for name, spec in workflow["jobs"].items():
        assert isinstance(spec.get("permissions"), dict) and spec["permissions"], name
    granted = [line for line in path.read_text(encoding="utf-8").splitlines()
               if re.fullmatch(r"\s+[a-z-]+: (read|write)\b.*", line)]
    assert granted
    for line in granted:
        assert re.search(r"  # to \S", line), f"no reason given: {line.strip()}"


def test_no_expression_is_pasted_into_a_command(path: Path) -> None:
    """`${{ }}` inside `run:` is expanded before the shell reads it: a branch or tag name
    could then be a command. Values reach the shell through `env:`."""
    for job, step in steps(load(path)):
        assert "${{" not in step.get("run", ""), (job, step.get("name"))


def test_checkouts_keep_no_credentials(path: Path) -> None:
    for job, step in steps(load(path)):
        if action(step) == "actions/checkout":
            assert step["with"]["persist-credentials"] is False, job


def test_ci_cancels_a_superseded_run_of_the_same_ref() -> None:
    workflow = load(FOLDER / "ci.yml")
    assert workflow["concurrency"]["cancel-in-progress"] is True
    assert "github.ref" in workflow["concurrency"]["group"]
    assert set(workflow[True]) == {"push", "pull_request", "workflow_dispatch"}


def release() -> dict[str, Any]:
    return load(FOLDER / "release.yml")


def test_the_release_runs_on_a_version_tag_and_is_never_stopped_halfway() -> None:
    workflow = release()
    assert workflow[True] == {"push": {"tags": ["v*"]}}
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_only_the_publish_job_may_ask_for_an_identity_token() -> None:
    """Trusted publishing: the index trusts the token GitHub gives this workflow's `pypi`
    environment, so no password is stored; every other job only reads the repository."""
    jobs = release()["jobs"]
    publish = [name for name, spec in jobs.items()
               if any(action(s) == "pypa/gh-action-pypi-publish" for s in spec["steps"])]
    assert publish == ["publish"]
    spec = jobs["publish"]
    assert spec["permissions"] == {"id-token": "write"}
    assert spec["environment"]["name"] == "pypi"
    assert spec["needs"] == "build"
    uploads = [s for s in spec["steps"] if action(s) == "pypa/gh-action-pypi-publish"]
    assert all(not set(s.get("with", {})) & {"password", "user"} for s in uploads)
    for name, other in jobs.items():
        if name != "publish":
            assert other["permissions"] == {"contents": "read"}, name


def test_the_release_is_built_and_checked_with_pinned_tools_then_uploaded() -> None:
    build = release()["jobs"]["build"]["steps"]
    runs = [s["run"].strip() for s in build if "run" in s]
    assert re.fullmatch(r"python -m pip install build==[0-9.]+ twine==[0-9.]+", runs[0])
    assert runs[2:] == ["python -m build", "python -m twine check --strict dist/*"]
    assert action(build[-1]) == "actions/upload-artifact"
    assert build[-1]["with"]["path"] == "dist/"


def tag_check(tag: str) -> subprocess.CompletedProcess[str]:
    """The release's tag check, run as the runner runs it: bash, the tag through `env:`."""
    step = next(s for s in release()["jobs"]["build"]["steps"]
                if s.get("name") == "Check that the tag is the package's version")
    assert step["env"] == {"TAG": "${{ github.ref_name }}"}
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=ROOT, text=True,
                          env={**os.environ, "PATH": path, "TAG": tag}, capture_output=True,
                          timeout=60)


def test_a_tag_that_is_not_the_package_version_stops_the_release() -> None:
    assert tag_check(f"v{__version__}").returncode == 0
    wrong = tag_check("v9.9.9")
    assert wrong.returncode == 1
    assert wrong.stdout == (
        f"::error::the tag v9.9.9 is not v{__version__}, the version in "
        f"site_builder/__init__.py: tag the commit v{__version__}, or change the version first\n")
