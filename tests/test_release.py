"""What a release of site-builder carries: its version on the command line, its metadata."""

from __future__ import annotations

import tomllib
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
