"""What a release of site-builder carries: its version on the command line, its metadata."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

from site_builder import __version__
from site_builder.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_version_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out == f"site-builder {__version__}\n"


def test_the_metadata_an_index_shows() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11"
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert "Programming Language :: Python :: 3 :: Only" in project["classifiers"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert f"## [{__version__}]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert (ROOT / "site_builder" / "py.typed").exists()


THEME = sorted(p.name for p in (ROOT / "templates").iterdir() if p.is_file())
LEFT_OUT = {".git", ".venv", ".cache", ".ci", ".hypothesis", "output", "build", "dist", "tests",
            "benchmarks"}  # at the top of the tree only: site_builder/build/ is a package


def not_shipped(folder: str, names: list[str]) -> set[str]:
    top = Path(folder) == ROOT
    return {n for n in names if (top and n in LEFT_OUT) or n == "__pycache__"
            or n.endswith(".egg-info")}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The sdist and the wheel, built by `python -m build` in a copy of the tree (it writes
    beside the sources)."""
    work = tmp_path_factory.mktemp("release")
    source, out = work / "source", work / "dist"
    shutil.copytree(ROOT, source, ignore=not_shipped)
    built = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(source)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    return sorted(out.iterdir())


def test_the_sdist_and_wheel_build_and_hold_the_theme_and_the_scaffold(
        dist: list[Path]) -> None:
    """`twine check` passes, and the wheel carries what an installed site-builder reads
    besides its code."""
    assert [f.name for f in dist] == [f"site_builder-{__version__}-py3-none-any.whl",
                                      f"site_builder-{__version__}.tar.gz"]
    checked = subprocess.run([sys.executable, "-m", "twine", "check", "--strict",
                              *map(str, dist)], capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    names = set(zipfile.ZipFile(dist[0]).namelist())
    assert {f"site_builder/templates/{name}" for name in THEME} <= names
    assert "site_builder/publish/scaffold/workflows/pages.yml" in names
    assert {"site_builder/publish/scaffold/new/brief.yaml",
            "site_builder/publish/scaffold/new/brief.md"} <= names  # `new`'s template
    assert {f"site_builder/source/schemas/{name}.schema.json"
            for name in ("brief", "actors", "site")} <= names  # for editors: see test_schema
    assert {"site_builder/build/builder.py", "site_builder/cli/commands.py"} <= names
    assert "site_builder/py.typed" in names
    assert f"site_builder-{__version__}.dist-info/licenses/LICENSE" in names


# What actions/configure-pages reports for a project site (no trailing slash).
PAGES_URL = "https://example.github.io/news-desk"
EXPRESSION = re.compile(r"\$\{\{\s*steps\.pages\.outputs\.base_url\s*\}\}")


def run_workflow_steps(site: Path, venv: Path) -> list[tuple[str, int, str]]:
    """The generated workflow's `run:` steps of its build job, in order, as a runner runs
    them: in the site's folder, with bash, GitHub's values given through each step's `env:`,
    and the virtual environment's Python first on the PATH (what setup-python does). Stops at
    the first step that fails; each step's name, exit code and output."""
    workflow = yaml.safe_load((site / ".github" / "workflows" / "pages.yml").read_text())
    job = next(spec for spec in workflow["jobs"].values()
               if any("site-builder build" in s.get("run", "") for s in spec["steps"]))
    done = []
    for step in job["steps"]:
        if "run" not in step:
            continue
        env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
               "GITHUB_WORKSPACE": str(site), "CI": "true", "GITHUB_ACTIONS": "true"}
        env.update({k: EXPRESSION.sub(PAGES_URL, str(v)) for k, v in step.get("env", {}).items()})
        ran = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=site, env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        done.append((step.get("name", step["run"]), ran.returncode, ran.stdout))
        if ran.returncode:
            break
    return done


def test_the_generated_workflow_publishes_a_site_with_news_still_unfolding(
        dist: list[Path], tmp_path: Path) -> None:
    """The wheel installed in a new virtual environment, `init`, then the workflow's own steps
    (its install step pointed at the wheel through requirements.txt): a site whose claim has
    no response yet is built for the Pages address; a broken brief stops it at the build."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    installed = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                                str(dist[0])], capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    site = tmp_path / "news-desk"
    made = subprocess.run([str(venv / "bin" / "site-builder"), "init", str(site)],
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stdout + made.stderr
    pinned = (site / "requirements.txt").read_text(encoding="utf-8")
    assert f"site-builder[search]=={__version__}\n" in pinned
    (site / "requirements.txt").write_text(f"site-builder @ {dist[0].as_uri()}\n")
    annotations = next((site / "briefs").glob("20*.yaml"))
    text = annotations.read_text(encoding="utf-8")
    annotations.write_text(text[:text.index("responses:")], encoding="utf-8")  # unanswered

    steps = run_workflow_steps(site, venv)
    assert [(name, code) for name, code, _ in steps] == [("Install site-builder", 0),
                                                         ("Build", 0)], steps
    assert "1 warning (1 on news still unfolding, which --strict lets pass)" in steps[-1][2]
    output = site / "output"
    assert (output / "index.html").is_file() and (output / "404.html").is_file()
    assert f"<loc>{PAGES_URL}/</loc>" in (output / "sitemap.xml").read_text(encoding="utf-8")
    assert 'href="/news-desk/style.css"' in (output / "404.html").read_text(encoding="utf-8")

    annotations.write_text(text.replace("quote: The terminal will", "quote: The harbour will"),
                           encoding="utf-8")
    steps = run_workflow_steps(site, venv)
    assert [(name, code) for name, code, _ in steps] == [("Install site-builder", 0),
                                                         ("Build", 1)], steps
    assert "1 error" in steps[-1][2]
