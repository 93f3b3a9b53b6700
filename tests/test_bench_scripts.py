"""The benchmark's scripts: benchmarks/stages.py times each stage at several sizes and leaves
the corpus as it found it; bench_report.py holds each size to its targets."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from servetools import tree
from sitetools import ROOT, generate_corpus

sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_report import Plan, met, report, target_text


def test_the_stage_profile_times_each_kind_of_build_at_each_size(tmp_path: Path) -> None:
    site = generate_corpus(tmp_path / "corpus-40-5-18", 40, 5)
    briefs = tree(site / "briefs")
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "stages.py"),
                           "--sizes", "20,40", "--briefs-per-actor", "8", "--work",
                           str(tmp_path), "--profile", "40:one", "--shown", "0"],
                          capture_output=True, text=True, check=True)
    for kind in ("cold", "one", "again"):
        table = done.stdout.split(f"\n{kind} build, jobs 1:")[1].split("\n\n")[0]
        total = re.search(r"^total +([\d.]+) +([\d.]+) +[\d.]+ +([\d.]+) +([\d.]+)$", table,
                          re.M)  # two sizes, the other clock, the growth overall and per step
        assert total, table
        assert float(total[1]) > 0 and float(total[2]) > 0 and total[3] == total[4]
        assert re.search(r"^read: site files +[\d.]+ +[\d.]+", table, re.M), table
    cold = done.stdout.split("\ncold build")[1]
    assert re.search(r"^render: brief\.html ", cold, re.M)  # jobs 1: each template apart
    assert "Ordered by: cumulative" in done.stdout and (tmp_path / "40-one.prof").is_file()
    assert tree(site / "briefs") == briefs  # the changed brief written back
    assert not (tmp_path / "aside").exists()


def test_each_size_is_held_to_its_own_targets() -> None:
    assert target_text("one_yaml", 10000, " s") == "<= 1 s / 0.5 s"
    assert target_text("one_yaml", 50000, " s") == "<= 2 s / 1 s"
    assert target_text("peak_mib", 10000, " MiB") == "<= 500 MiB"
    assert met("one_yaml", 1.5, 10000) == "**no**"
    assert met("one_yaml", 1.5, 50000) == "yes"
    assert met("one_yaml", 0.9, 50000) == "yes, the aim too"
    assert met("cold_ratio", 2.4, 29999) == "yes" and met("cold_ratio", 2.4, 30000) == "**no**"


def test_the_table_gives_every_figure_with_its_target() -> None:
    results = {"cold": 200.0, "hugo_cold": 210.0, "nothing": 0.4, "one_yaml": 1.8,
               "one_first": 2.5, "reload_ms": 320.0, "reload_min": 250.0, "reload_max": 400.0,
               "serve_start": 4.0, "peak_mib": 1500.0, "hugo_peak_mib": 3000.0,
               "one_peak_mib": 380.0, "one_first_peak_mib": 390.0}
    plan = Plan(50000, 1, 1, "timed", True, True)
    text = report(results, argparse.Namespace(actors=2000), plan)
    rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ")[1:] for line in
            text.splitlines() if line.startswith("| ") and "---" not in line}
    assert rows["cold full build"] == ["200.00 s", "Hugo 210.00 s: 0.95x",
                                       "<= 1x Hugo / 0.7x Hugo", "yes |"]
    assert rows["serve: save to reload signal"][2:] == ["<= 300 ms / 150 ms", "**no** |"]
    assert rows["peak memory, cold build, all processes (PSS)"][2:] == [
        "<= 2048 MiB / 1024 MiB", "yes |"]
    assert rows["peak memory, one-brief build, all processes (PSS)"][2:] == ["<= 400 MiB",
                                                                             "yes |"]
    assert "serve: start from the build cache, until it serves" in rows
    assert "build after _actors.yaml changes" not in rows  # --quick leaves it out
    assert "during the timed builds (every 50 ms)" in text
    assert set(plan.steps()) == {"generate", "cold builds", "nothing changed",
                                 "one brief changed", "serve"}
