"""The package's layers and types, as CI checks them: `lint-imports` keeps the contracts of
pyproject.toml (docs/architecture.md), and `mypy` finds no error in site_builder/."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "site_builder"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """A tool of the test environment, run on the repository (no cache of its own left)."""
    return subprocess.run([sys.executable, *args], cwd=ROOT, text=True, capture_output=True,
                          timeout=600)


def contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def test_every_subpackage_is_in_a_layer() -> None:
    """A new folder of site_builder/ must be given its place, or the layers would not see it."""
    (layers,) = [c for c in contracts() if c["type"] == "layers"]
    named = {name.strip() for layer in layers["layers"] for name in layer.split("|")}
    folders = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert named == folders


def test_the_import_contracts_are_kept() -> None:
    done = run("-c", "import sys; from importlinter.cli import lint_imports_command; "
                     "sys.exit(lint_imports_command(['--no-cache']))")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Contracts: {len(contracts())} kept, 0 broken." in done.stdout


def test_the_package_type_checks() -> None:
    done = run("-m", "mypy", "--no-incremental", "--cache-dir", "/dev/null", "site_builder")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Success: no issues found")
