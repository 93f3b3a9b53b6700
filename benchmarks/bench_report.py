"""bench.py's targets, its estimate of how long a run takes, and its table of figures.

The targets are issue 24's (must, aim), at 10,000 and at 50,000 briefs: a corpus of
SCALE_FROM briefs or more is held to the 50,000 ones.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass

SCALE_FROM = 30000
# measure: ((must, aim) below SCALE_FROM briefs, (must, aim) from it); None: none set.
TARGETS: dict[str, tuple[tuple[float | None, float | None], tuple[float | None, float | None]]] = {
    "cold_ratio": ((2.5, 2.0), (1.0, 0.7)),  # our cold build / Hugo's
    "nothing": ((0.3, 0.2), (1.0, 0.5)),  # seconds
    "one_yaml": ((1.0, 0.5), (2.0, 1.0)),  # seconds
    "reload_ms": ((200, 100), (300, 150)),  # milliseconds
    "peak_mib": ((500, None), (2048, 1024)),  # MiB, PSS of every process
    "one_peak_mib": ((200, None), (400, None)),  # MiB, PSS of every process
}

# Seconds per 1,000 briefs of each step, from main's builds of 2026-12-07 (10,000 and 50,000
# briefs, 2 cores): only for the estimate printed at the start.
COST = {"generate": 0.7, "cold": 3.8, "hugo": 4.2, "nothing": 0.06, "one": 1.0,
        "registry": 3.3, "serve_start": 1.2, "reload": 0.06, "ci": 4.0}
SETTLE = 35  # seconds: bench.settle's wait


@dataclass(frozen=True)
class Plan:
    """What a run does, from its options."""

    briefs: int
    runs: int
    cold_runs: int
    memory: str  # "apart": builds of their own sampled; "timed": sampled while timed
    quick: bool  # no _actors.yaml build, no CI build
    hugo: bool

    @property
    def reloads(self) -> int:
        return max(self.runs * 3, 5)

    def steps(self) -> dict[str, float]:
        """Each step's estimated seconds, in the order they run."""
        k, runs = self.briefs / 1000, self.runs
        cold = self.cold_runs * (COST["cold"] + (COST["hugo"] if self.hugo else 0)) * k
        sampled = cold + COST["one"] * k if self.memory == "apart" else 0.0
        steps = {"generate": COST["generate"] * k + SETTLE, "cold builds": cold + sampled,
                 "nothing changed": (runs + 1) * COST["nothing"] * k,
                 "one brief changed": (runs + 2) * COST["one"] * k}
        if not self.quick:
            steps["_actors.yaml changed"] = runs * COST["registry"] * k
        steps["serve"] = (COST["serve_start"] + self.reloads * COST["reload"]) * k
        if not self.quick:
            steps["CI build"] = (runs + 1) * COST["ci"] * k
        return steps


def estimate(plan: Plan) -> str:
    steps = plan.steps()
    parts = ", ".join(f"{name} {seconds / 60:.1f}" for name, seconds in steps.items())
    return (f"estimated time of this run: {sum(steps.values()) / 60:.0f} min ({parts} min; "
            "from main's speed on 2026-12-07: faster code takes less)")


def remaining(plan: Plan, cold: float) -> str:
    """The estimate of the steps after the cold builds, scaled by how the cold build did."""
    steps = plan.steps()
    left = sum(seconds for name, seconds in steps.items()
               if name not in ("generate", "cold builds"))
    scale = cold / (COST["cold"] * plan.briefs / 1000)
    return f"about {left * scale / 60:.0f} min left (the estimate times {scale:.2f}, as the " \
           "cold build went)"


def targets(name: str, briefs: int) -> tuple[float | None, float | None]:
    return TARGETS[name][briefs >= SCALE_FROM]


def met(name: str, value: float, briefs: int) -> str:
    must, aim = targets(name, briefs)
    if must is None:
        return ""
    if aim is not None and value <= aim:
        return "yes, the aim too"
    return "yes" if value <= must else "**no**"


def target_text(name: str, briefs: int, unit: str) -> str:
    must, aim = targets(name, briefs)
    if must is None:
        return ""
    return f"<= {must:g}{unit}" + (f" / {aim:g}{unit}" if aim is not None else "")


def report(results: Mapping[str, float], args: argparse.Namespace, plan: Plan) -> str:
    """The table of the run: each figure, Hugo's or a comparison, the target, whether met."""
    hugo, n = results.get("hugo_cold"), plan.briefs
    size = "50,000" if n >= SCALE_FROM else "10,000"
    sampled = ("in builds of their own (every 10 ms)" if plan.memory == "apart" else
               "during the timed builds (every 50 ms)")
    lines = [f"\n{n} briefs, {args.actors} actors, {os.cpu_count()} cores; medians of "
             f"{plan.runs} runs, cold builds {plan.cold_runs}; memory sampled {sampled}; "
             f"targets: issue 24's at {size} briefs\n",
             "| measure | site-builder | compared | target (must / aim) | met? |",
             "| --- | --- | --- | --- | --- |"]

    def row(label: str, ours: str, other: str = "", name: str = "", value: float = 0.0,
            unit: str = "") -> None:
        goal = target_text(name, n, unit) if name else ""
        lines.append(f"| {label} | {ours} | {other} | {goal} | "
                     f"{met(name, value, n) if name else ''} |")

    if hugo:
        ratio = results["cold"] / hugo
        row("cold full build", f"{results['cold']:.2f} s", f"Hugo {hugo:.2f} s: {ratio:.2f}x",
            "cold_ratio", ratio, "x Hugo")
    else:
        row("cold full build", f"{results['cold']:.2f} s", "no Hugo to compare")
    row("build with nothing changed", f"{results['nothing']:.2f} s", "", "nothing",
        results["nothing"], " s")
    row("build after one brief's YAML changes", f"{results['one_yaml']:.2f} s",
        f"the first after the cold build: {results['one_first']:.2f} s", "one_yaml",
        results["one_yaml"], " s")
    if "registry" in results:
        row("build after _actors.yaml changes", f"{results['registry']:.2f} s")
    row("serve: save to reload signal", f"{results['reload_ms']:.0f} ms",
        f"{results['reload_min']:.0f} to {results['reload_max']:.0f} ms over "
        f"{plan.reloads} saves", "reload_ms", results["reload_ms"], " ms")
    row("serve: start from the build cache, until it serves", f"{results['serve_start']:.2f} s")
    if "ci" in results:
        row("CI build: fresh clone, cache restored, one brief changed",
            f"{results['ci']:.2f} s", f"{results['ci'] / results['cold']:.2f}x our cold build")
    row("peak memory, cold build, all processes (PSS)", f"{results['peak_mib']:.0f} MiB",
        f"Hugo {results['hugo_peak_mib']:.0f} MiB" if hugo else "", "peak_mib",
        results["peak_mib"], " MiB")
    first = results.get("one_first_peak_mib")
    row("peak memory, one-brief build, all processes (PSS)",
        f"{results['one_peak_mib']:.0f} MiB",
        f"the first after the cold build: {first:.0f} MiB" if first else "", "one_peak_mib",
        results["one_peak_mib"], " MiB")
    return "\n".join(lines)
