"""The GitHub Actions workflows that publish with GitHub Pages: the one `init` writes into a
new site (site_builder/publish/scaffold/workflows/pages.yml) and this repository's own.

Each must be valid YAML, use only GitHub's official actions, build with the base URL that
configure-pages reports, and upload the folder that build writes. The build step's
command is also run here as the workflow would run it, with configure-pages' output
substituted.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from site_builder.cli.commands import main
from site_builder.publish.scaffold import SCAFFOLD

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = {"scaffold": SCAFFOLD / "workflows" / "pages.yml",
             "repository": ROOT / ".github" / "workflows" / "pages.yml"}
PAGES_ACTIONS = ("actions/configure-pages", "actions/upload-pages-artifact",
                 "actions/deploy-pages")
# what actions/configure-pages reports as base_url (no trailing slash)
CONFIGURED = "https://example.github.io/briefs-demo"
EXPRESSION = re.compile(r"\$\{\{\s*steps\.([A-Za-z0-9_-]+)\.outputs\.base_url\s*\}\}")


def load(which: str) -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOWS[which].read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(job, step) for job, spec in workflow["jobs"].items() for step in spec["steps"]]


def uses(workflow: dict[str, Any]) -> list[str]:
    return [step["uses"] for _job, step in steps(workflow) if "uses" in step]


def action(ref: str) -> str:
    return ref.split("@", 1)[0]


def command_of(step: dict[str, Any], base_url: str) -> list[str]:
    """The step's command as the runner runs it: configure-pages' `base_url` in its `env:`,
    the variables expanded by the shell."""
    run = step["run"]
    for name, value in step.get("env", {}).items():
        run = run.replace(f"${name}", EXPRESSION.sub(base_url, str(value)))
    return shlex.split(run)


def build_step(workflow: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    found = [(job, step) for job, step in steps(workflow)
             if "run" in step and "site-builder build" in step["run"]]
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(params=sorted(WORKFLOWS))
def which(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_is_valid_yaml_with_a_trigger_and_jobs(which: str) -> None:
    workflow = load(which)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers, "no `on:`"
    assert "push" in triggers or "workflow_dispatch" in triggers
    assert workflow["jobs"]


def test_uses_only_official_actions_pinned_to_a_commit(which: str) -> None:
    """Each action at a full commit, its version in a comment: a tag can be moved, a commit
    cannot."""
    refs = uses(load(which))
    assert refs
    for ref in refs:
        assert re.fullmatch(r"actions/[A-Za-z0-9_.-]+@[0-9a-f]{40}", ref), ref
    text = WORKFLOWS[which].read_text(encoding="utf-8")
    for ref in refs:
        assert re.search(re.escape(ref) + r"  # v[0-9]+\.[0-9]+\.[0-9]+\n", text), ref


def test_uses_the_three_pages_actions_in_order(which: str) -> None:
    workflow = load(which)
    names = [action(ref) for ref in uses(workflow)]
    for name in PAGES_ACTIONS:
        assert name in names, name
    job, build = build_step(workflow)
    in_job = workflow["jobs"][job]["steps"]
    order = [action(s.get("uses", "")) if s is not build else "build" for s in in_job]
    assert order.index("actions/configure-pages") < order.index("build") \
        < order.index("actions/upload-pages-artifact")


def test_passes_configure_pages_base_url_to_the_build(which: str) -> None:
    workflow = load(which)
    job, step = build_step(workflow)
    ids = {s.get("id"): action(s.get("uses", "")) for j, s in steps(workflow) if j == job}
    assert "${{" not in step["run"]  # expressions reach the shell through env:, never inline
    match = EXPRESSION.search(" ".join(map(str, step.get("env", {}).values())))
    assert match, step
    assert ids.get(match.group(1)) == "actions/configure-pages"
    assert "--base-url" in step["run"]


def test_has_what_github_pages_deployment_needs(which: str) -> None:
    workflow = load(which)
    assert workflow["permissions"] == {}  # nothing by default: each job asks for its own
    deploy_jobs = [name for name, spec in workflow["jobs"].items()
                   if any(action(s.get("uses", "")) == "actions/deploy-pages"
                          for s in spec["steps"])]
    assert len(deploy_jobs) == 1
    spec = workflow["jobs"][deploy_jobs[0]]
    assert spec["permissions"] == {"pages": "write", "id-token": "write"}
    build_job = build_step(workflow)[0]
    assert workflow["jobs"][build_job]["permissions"] == {"contents": "read"}
    needs = spec.get("needs")
    assert build_job == deploy_jobs[0] or needs == build_job or build_job in (needs or [])
    environment = spec.get("environment")
    name = environment.get("name") if isinstance(environment, dict) else environment
    assert name == "github-pages"


def test_the_build_command_as_the_workflow_runs_it(which: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the build step (configure-pages' output substituted) in a site, then look at the
    folder the upload step would upload."""
    workflow = load(which)
    site = tmp_path / "site"
    if which == "scaffold":
        assert main(["init", str(site)]) == 0
    else:
        site.mkdir()
        shutil.copytree(ROOT / "briefs", site / "briefs")
        shutil.copy2(ROOT / "site.yaml", site / "site.yaml")
    _job, step = build_step(workflow)
    command = command_of(step, CONFIGURED)
    assert command[:2] == ["site-builder", "build"]
    monkeypatch.chdir(site)
    assert main(command[1:]) == 0

    upload = next(s for _j, s in steps(workflow)
                  if action(s.get("uses", "")) == "actions/upload-pages-artifact")
    folder = site / upload.get("with", {}).get("path", "_site")
    assert (folder / "index.html").is_file()
    assert (folder / "404.html").is_file()
    sitemap = (folder / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{CONFIGURED}/</loc>" in sitemap
    assert f"{CONFIGURED}//" not in sitemap
    assert 'href="/briefs-demo/style.css"' in (folder / "404.html").read_text(encoding="utf-8")


def test_a_custom_domain_base_url_from_configure_pages_works(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """configure-pages reports https://<domain> (no path) for a custom domain."""
    site = tmp_path / "site"
    assert main(["init", str(site)]) == 0
    _job, step = build_step(load("scaffold"))
    command = command_of(step, "https://briefs.example.org")
    monkeypatch.chdir(site)
    assert main(command[1:]) == 0
    assert "<loc>https://briefs.example.org/</loc>" in \
        (site / "output" / "sitemap.xml").read_text(encoding="utf-8")


def test_init_installs_the_scaffold_workflow(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert main(["init", str(site)]) == 0
    installed = site / ".github" / "workflows" / "pages.yml"
    assert installed.read_bytes() == WORKFLOWS["scaffold"].read_bytes()


def test_the_scaffold_workflow_ships_with_the_package() -> None:
    """pyproject's package-data must carry scaffold/workflows/pages.yml into the wheel."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"scaffold/*/*"' in text


def test_checkout_keeps_no_credentials(which: str) -> None:
    workflow = load(which)
    checkouts = [s for _j, s in steps(workflow) if action(s.get("uses", "")) == "actions/checkout"]
    assert checkouts and all(s["with"]["persist-credentials"] is False for s in checkouts)


def test_zizmor_finds_nothing_and_the_schema_holds() -> None:
    """zizmor, the GitHub Actions security linter, even as its pedantic persona, and GitHub's
    workflow schema, both offline, on the workflow `init` writes and on every workflow of this
    repository (pages.yml, ci.yml, release.yml: tests/test_project_workflows.py)."""
    own = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
    assert WORKFLOWS["repository"] in own and len(own) >= 3
    files = [str(WORKFLOWS["scaffold"]), *map(str, own)]
    zizmor = Path(sys.executable).parent / "zizmor"  # the test environment's, from its wheel
    audit = subprocess.run([str(zizmor), "--offline", "--persona", "pedantic", "--no-progress",
                            *files], capture_output=True, text=True, timeout=300)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert "No findings to report" in audit.stdout + audit.stderr
    schema = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                             "vendor.github-workflows", *files], capture_output=True, text=True,
                            timeout=300)
    assert schema.returncode == 0, schema.stdout + schema.stderr


def test_the_scaffold_workflow_installs_the_pinned_site_builder(tmp_path: Path) -> None:
    """The install step installs what requirements.txt pins, and init writes that file."""
    workflow = load("scaffold")
    job, build = build_step(workflow)
    runs = [s["run"] for s in workflow["jobs"][job]["steps"] if "run" in s]
    install = [run for run in runs if "pip install" in run]
    assert install == ["python -m pip install -r requirements.txt"]
    assert runs.index(install[0]) < runs.index(build["run"])
    site = tmp_path / "site"
    assert main(["init", str(site)]) == 0
    assert (site / "requirements.txt").is_file()
