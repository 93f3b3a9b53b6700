"""What a release of site-builder carries: its version on the command line, its metadata."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

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
NOT_SHIPPED = shutil.ignore_patterns(".git", ".venv", ".cache", ".ci", ".hypothesis", "output",
                                     "build", "dist", "*.egg-info", "__pycache__", "tests",
                                     "benchmarks")


def test_the_sdist_and_wheel_build_and_hold_the_theme_and_the_scaffold(tmp_path: Path) -> None:
    """`python -m build` (in a copy: it writes beside the sources) and `twine check` pass, and
    the wheel carries what an installed site-builder reads besides its code."""
    source, dist = tmp_path / "source", tmp_path / "dist"
    shutil.copytree(ROOT, source, ignore=NOT_SHIPPED)
    built = subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(source)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    files = sorted(dist.iterdir())
    assert [f.name for f in files] == [f"site_builder-{__version__}-py3-none-any.whl",
                                       f"site_builder-{__version__}.tar.gz"]
    checked = subprocess.run([sys.executable, "-m", "twine", "check", "--strict",
                              *map(str, files)], capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    names = set(zipfile.ZipFile(files[0]).namelist())
    assert {f"site_builder/templates/{name}" for name in THEME} <= names
    assert "site_builder/publish/scaffold/workflows/pages.yml" in names
    assert "site_builder/py.typed" in names
    assert f"site_builder-{__version__}.dist-info/licenses/LICENSE" in names
