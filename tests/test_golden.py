"""Golden output: the example site, built, matches tests/golden/example/ byte for byte.

When the output is meant to change (a template, the renderer, the example briefs),
regenerate the expected files, then review the difference before committing it:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py
    git diff --stat tests/golden/ && git diff tests/golden/

With UPDATE_GOLDEN=1 the test rewrites tests/golden/example/ (removing files the
build no longer writes) and is reported as skipped, so an update never passes
unnoticed. style.css is left out: it is the theme's file copied as it is, which
test_build.py checks.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest
from sitetools import ROOT, build

GOLDEN = Path(__file__).resolve().parent / "golden" / "example"
LEFT_OUT = {"style.css"}
UPDATE_HINT = "UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py"
MAX_SHOWN = 5  # files whose differences are printed in full


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def updating() -> bool:
    return os.environ.get("UPDATE_GOLDEN", "").strip().lower() not in ("", "0", "false", "no")


def write_golden(files: dict[str, bytes]) -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for rel, data in files.items():
        path = GOLDEN / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def describe(rel: str, expected: bytes, actual: bytes) -> str:
    try:
        old = expected.decode("utf-8").splitlines(keepends=True)
        new = actual.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return f"{rel}: binary files differ"
    diff = difflib.unified_diff(old, new, f"golden/{rel}", f"built/{rel}", n=2)
    lines = list(diff)
    shown = "".join(lines[:60])
    return shown + (f"... ({len(lines) - 60} more diff lines)\n" if len(lines) > 60 else "")


def test_example_site_matches_golden_output(tmp_path: Path) -> None:
    out = build(ROOT, tmp_path / "out", cache=False).out
    actual = {rel: data for rel, data in files_under(out).items() if rel not in LEFT_OUT}
    if updating():
        write_golden(actual)
        pytest.skip(f"golden output rewritten in {GOLDEN}: review `git diff tests/golden/`")
    assert GOLDEN.is_dir(), f"no golden output yet: create it with {UPDATE_HINT}"
    expected = files_under(GOLDEN)
    problems = []
    if missing := sorted(expected.keys() - actual.keys()):
        problems.append(f"no longer written: {missing}")
    if extra := sorted(actual.keys() - expected.keys()):
        problems.append(f"new files: {extra}")
    changed = sorted(rel for rel in expected.keys() & actual.keys()
                     if expected[rel] != actual[rel])
    if changed:
        problems.append(f"{len(changed)} files differ: {changed}")
        problems += [describe(rel, expected[rel], actual[rel]) for rel in changed[:MAX_SHOWN]]
    assert not problems, (
        "the example site's output differs from tests/golden/example/; if the change is "
        f"intended, run `{UPDATE_HINT}` and review the diff\n" + "\n".join(problems))
