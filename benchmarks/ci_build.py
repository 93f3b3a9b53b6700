#!/usr/bin/env python3
"""The build a CI job makes: a fresh clone of the site, site-builder installed anew, the build
cache and output restored from the last run, one brief changed.

    python benchmarks/ci_build.py --source SITE [--output DIR] [--runs 3]

Each run first builds the site as it is (the last run's cache and output, as a CI job saves
them), then copies the site folder and the output folder to the same places again, as a
clone and `actions/cache` would leave them: every file with the same bytes, a new
modification time and a new inode. site-builder itself is copied too (a new install gives its
modules and theme new times) and the build runs from that copy. Then one brief's YAML changes
and the build is timed: the median of the runs is printed. bench.py runs it after its cold
builds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "site_builder"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="the site folder")
    parser.add_argument("--output", type=Path, help="its output folder (default SITE/output)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    out = args.output or args.source / "output"
    figures = measure(args.source.resolve(), out.resolve(), args.runs)
    print(f"CI builds: {', '.join(f'{f:.2f} s' for f in figures)}; "
          f"median {statistics.median(figures):.2f} s")
    return 0


def measure(site: Path, out: Path, runs: int) -> list[float]:
    """The time of each run's CI build of a one-brief change (see the top)."""
    brief = site / "briefs" / "brief-00002.yaml"
    original = brief.read_text(encoding="utf-8")
    figures = []
    with tempfile.TemporaryDirectory(prefix="ci-build-") as scratch:
        for n in range(runs):
            build(site, out, None)  # the state the last CI run saved
            copy_anew(site)
            if not out.is_relative_to(site):
                copy_anew(out)
            package = install_anew(Path(scratch) / str(n))
            brief.write_text(original.replace("title:", f"title: CI{n}", 1), encoding="utf-8")
            figures.append(build(site, out, package))
    brief.write_text(original, encoding="utf-8")
    build(site, out, None)
    return figures


def copy_anew(folder: Path) -> None:
    """`folder` replaced by a copy of itself: the same bytes, new times and inodes."""
    old = folder.with_name(folder.name + ".ci-old")
    folder.rename(old)
    shutil.copytree(old, folder, symlinks=True, copy_function=shutil.copy)
    shutil.rmtree(old)


def install_anew(where: Path) -> Path:
    """A copy of site-builder (modules and theme, links followed) at `where`, every file with
    a new time, as `pip install` of the same version would leave it: where to import it from."""
    shutil.copytree(PACKAGE, where / "site_builder", copy_function=shutil.copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return where


def build(site: Path, out: Path, package: Path | None) -> float:
    """Seconds a `site-builder build` of `site` into `out` took, run from `package` (None: the
    installed one)."""
    env = dict(os.environ)
    if package is not None:
        env["PYTHONPATH"] = str(package)
    command = [sys.executable, "-m", "site_builder", "build", "--quiet", "--source", str(site),
               "--output", str(out)]
    os.sync()
    started = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()[-3000:]}")
    return seconds


if __name__ == "__main__":
    raise SystemExit(main())
