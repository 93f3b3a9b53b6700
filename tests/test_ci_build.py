"""benchmarks/ci_build.py, the benchmark of a CI job's build: it runs from a fresh clone, and
leaves the site as it found it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from servetools import tree
from sitetools import ROOT, build, generate_corpus


def test_the_ci_build_benchmark_times_its_runs_and_leaves_the_site_as_it_was(
        tmp_path: Path) -> None:
    site = generate_corpus(tmp_path / "corpus", 12, 6)
    briefs = tree(site / "briefs")
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "ci_build.py"),
                           "--source", str(site), "--runs", "2"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.startswith("CI builds: ") and "; median " in done.stdout
    assert len(done.stdout.split(";")[0].split(",")) == 2  # one figure per run
    assert tree(site / "briefs") == briefs
    assert tree(site / "output") == tree(build(site, tmp_path / "cold", cache=False).out)
    assert not list(tmp_path.glob("**/*.ci-old"))
