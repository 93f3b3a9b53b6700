#!/usr/bin/env python3
"""Each stage's time in a cold build and a one-brief build at several sizes, and how it grows.

    python benchmarks/stages.py [--sizes 2500,5000,10000,20000] [--briefs-per-actor 20]
                                [--jobs 1] [--work DIR] [--by cpu|wall]
                                [--profile 10000:one,20000:one]
    python benchmarks/stages.py --show DIR/stages.json [--by wall]

For each size, generates a corpus with benchmarks/corpus.py (kept in --work and used again
while its corpus.json says the same), then runs, each in a fresh process like the command
line's, site-builder's build (`build.run.build_site`, the build cache on):

- cold: no output folder, no `.cache/`;
- one: then one brief's title changed (the middle brief among those the busiest actor
  makes a claim or answers one in: its timeline is the longest);
- again: the same brief changed back (the one-brief build after a first one: what a
  build after a cold one makes once, such as the data tables' kept rows, is then there).

Each stage is a function or method of the builder, timed by wrapping it (PROBES, in one
place): its own time, without the probes it calls (a probe missing from the code is skipped
and said). Prints, per kind of build, each stage's processor seconds (--by wall: wall-clock
ones; other work on a shared machine changes the processor time less) at each size and the
growth per doubling of the briefs ((t2 / t1) ** (1 / log2(n2 / n1)): 2.0 grows as the briefs
do), from the smallest size to the largest ("overall": the machine's noise sways it less)
and for each step, marking with `<<` a stage that grows overall by more than GROWTH_MARK
and takes over 1% of the build at the largest size. The figures are kept in --work's
stages.json (--show prints them again). With --jobs 1 (the default) everything runs in one
process, so the times add up and each template's rendering is a stage of its own; with more
jobs the parallel stages are timed as the parent waits for them. --profile SIZE:KIND,... also
writes a cProfile of those builds to --work and prints the 30 costliest functions (cumulative)
of the largest of each kind and, given two sizes of a kind, the functions that grow fastest
(stages_profile.py). A profiled build's stage times include the profiler's cost: profile in
a run of its own.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stages_profile import costliest, growth, per_doubling

KINDS = ("cold", "one", "again")
GROWTH_MARK = 2.3  # per doubling: more than linear by a margin the machine's noise rarely gives
TOTAL = "total"
SHOWN = 0.002  # stages under this share of the largest build are counted, not shown

# (stage, "module:qualified name"); a template's rendering is "render: " + its template.
PROBES = (
    ("run: other", "site_builder.build.run:build_site"),
    ("nothing-changed check", "site_builder.build.cache:unchanged_since_last_build"),
    ("builder: other", "site_builder.build.builder:Builder.build"),
    ("cache: load state", "site_builder.build.cache:load_state"),
    ("cache: restore", "site_builder.build.builder:Builder._restore"),
    ("cache: unpack briefs", "site_builder.build.kept:unpack"),
    ("inputs fingerprint", "site_builder.build.saving:CacheSaver.inputs_fingerprint"),
    ("read: site files", "site_builder.source.load:load_site"),
    ("read: config, registry", "site_builder.build.reading:Reader._config"),
    ("read: config, registry", "site_builder.build.reading:Reader._read_registry"),
    ("read: annotations", "site_builder.build.reading:Reader._read_briefs"),
    ("read: checks across files", "site_builder.build.reading:Reader._check"),
    ("read: articles", "site_builder.build.reading:Reader._process_articles"),
    ("read: other", "site_builder.build.reading:Reader.read"),
    ("plan: index built", "site_builder.site.index:build_index"),
    ("plan: index updated", "site_builder.site.index:update_index"),
    ("plan: tag groups", "site_builder.site.feeds:TagGroups.update"),
    ("plan: pages (all)", "site_builder.site.pages:plan_pages"),
    ("plan: what pages show", "site_builder.build.pagebook:PageBook.showing"),
    ("plan: moved entries", "site_builder.site.timelines:moved_entries"),
    ("plan: other", "site_builder.build.plan:SitePlan.whole"),
    ("plan: other", "site_builder.build.plan:SitePlan.changes"),
    ("plan: remember", "site_builder.build.plan:SitePlan.remember"),
    ("templates", "site_builder.build.renderer:Renderer.templates"),
    ("data tables: changed", "site_builder.theme.datafiles:DataTables.changed"),
    ("host files", "site_builder.build.writer:Writer._host_files"),
    ("write: all (render, stage)", "site_builder.build.pagewrite:write_all"),
    ("write: due (render, compare)", "site_builder.build.pagewrite:changes"),
    ("write: move in", "site_builder.build.output:Patch.apply"),
    ("write: other", "site_builder.build.writer:Writer.write"),
    ("output signature", "site_builder.build.writer:Writer.wrote"),
    ("cache: start shards", "site_builder.build.saving:CacheSaver.start"),
    ("cache: save", "site_builder.build.builder:Builder._save"),
)
RENDER = "site_builder.build.pagewrite:_rendered"  # one call per page: by template, jobs 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2500,5000,10000,20000",
                        help="numbers of briefs, comma-separated, smallest first")
    parser.add_argument("--briefs-per-actor", type=int, default=20,
                        help="actors = briefs / this (the benchmark's 10,000 and 500)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes of each build")
    parser.add_argument("--work", type=Path, default=Path("/tmp/site-builder-stages"))
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--profile", default="",
                        help="SIZE:KIND,... to cProfile, e.g. 10000:one,20000:one")
    parser.add_argument("--by", choices=("cpu", "wall"), default="cpu",
                        help="the time the tables give and grow by (default: processor time, "
                             "which other work on the machine changes less)")
    parser.add_argument("--shown", type=float, default=SHOWN,
                        help="the smallest share of the largest build a stage shown takes")
    parser.add_argument("--show", type=Path, default=None,
                        help="only print the tables of an earlier run's stages.json")
    parser.add_argument("--child", nargs=3, metavar=("SITE", "OUT", "PROFILE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(Path(args.child[0]), Path(args.child[1]), args.child[2], args.jobs)
    if args.show:
        saved = json.loads(args.show.read_text(encoding="utf-8"))
        results = {kind: {int(n): f for n, f in by_size.items()}
                   for kind, by_size in saved["results"].items()}
        jobs = saved["jobs"]
    else:
        results, jobs = measure_all(args), args.jobs
    for kind in KINDS:
        print(table(kind, results[kind], jobs, args.by, args.shown))
    print(profiles(args.work, args.profile), flush=True)
    if (args.work / "aside").exists():  # after the tables: it takes minutes at 20,000 briefs
        print("removing the outputs moved aside ...", file=sys.stderr, flush=True)
        shutil.rmtree(args.work / "aside", ignore_errors=True)
    return 0


def profiles(work: Path, asked: str) -> str:
    """The profiles asked for: the costliest functions of the largest build of each kind, and
    with two sizes or more, the functions that grow fastest."""
    found: dict[str, dict[int, Path]] = {}
    for size, _, kind in (item.partition(":") for item in asked.split(",") if item):
        path = work / f"{size}-{kind}.prof"
        if path.is_file():
            found.setdefault(kind, {})[int(size)] = path
    parts = []
    for kind, paths in found.items():
        largest = max(paths)
        parts.append(f"\nprofile of the {kind} build of {largest} briefs (its stage times "
                     f"above include cProfile's cost)\n{costliest(paths[largest])}")
        if len(paths) > 1:
            parts.append(growth(paths))
    return "\n".join(parts)


def measure_all(args: argparse.Namespace) -> dict[str, dict[int, dict[str, Any]]]:
    """Every size's builds; kept in --work's stages.json too."""
    results: dict[str, dict[int, dict[str, Any]]] = {kind: {} for kind in KINDS}
    for size in (int(s) for s in args.sizes.split(",")):
        site = corpus(args.work, size, max(size // args.briefs_per_actor, 1), args.seed)
        for kind, figures in measure(site, args.work, size, args.jobs, args.profile).items():
            results[kind][size] = figures
    (args.work / "stages.json").write_text(json.dumps({"jobs": args.jobs, "results": results}),
                                           encoding="utf-8")
    return results


def corpus(work: Path, briefs: int, actors: int, seed: int | None) -> Path:
    """The corpus of that size in `work`, made unless there already."""
    from corpus import DEFAULT_SEED, generate

    seed = DEFAULT_SEED if seed is None else seed
    out = work / f"corpus-{briefs}-{actors}-{seed}"
    try:
        made = json.loads((out / "corpus.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        made = {}
    if (made.get("briefs"), made.get("actors"), made.get("seed")) != (briefs, actors, seed):
        print(f"generating {briefs} briefs, {actors} actors ...", file=sys.stderr, flush=True)
        generate(out, briefs, actors, seed)
    return out / "ours"


def measure(site: Path, work: Path, size: int, jobs: int, profile: str
            ) -> dict[str, dict[str, Any]]:
    """The three builds of the top, each in a process of its own."""
    out = work / f"output-{size}"
    for folder in (out, site / ".cache"):  # moved, not deleted: see bench.py's `Aside`
        if folder.exists():
            aside = work / "aside" / f"{folder.name}-{time.time_ns()}"
            aside.parent.mkdir(parents=True, exist_ok=True)
            folder.rename(aside)
    brief = busiest_brief(site)
    original = brief.read_text(encoding="utf-8")
    figures = {}
    try:
        for kind in KINDS:
            if kind == "one":
                brief.write_text(original.replace("title:", "title: Stage", 1), encoding="utf-8")
            elif kind == "again":
                brief.write_text(original, encoding="utf-8")
            asked = f"{size}:{kind}" in profile.split(",")
            profiled = work / f"{size}-{kind}.prof" if asked else None
            figures[kind] = run_child(site, out, jobs, profiled)
            print(f"{size} briefs, {kind}: {figures[kind]['stages'][TOTAL][0]:.2f} s "
                  f"({brief.name})", file=sys.stderr, flush=True)
    finally:
        brief.write_text(original, encoding="utf-8")
    return figures


def busiest_brief(site: Path) -> Path:
    """The middle one of the briefs whose claims or responses are by the busiest actor."""
    made = json.loads((site.parent / "corpus.json").read_text(encoding="utf-8"))
    mark = f"by: {made['busiest_actor']}\n"
    briefs = sorted(p for p in (site / "briefs").glob("brief-*.yaml")
                    if mark in p.read_text(encoding="utf-8"))
    return briefs[len(briefs) // 2]


def run_child(site: Path, out: Path, jobs: int, profile: Path | None) -> dict[str, Any]:
    command = [sys.executable, __file__, "--jobs", str(jobs), "--child", str(site), str(out),
               str(profile or "")]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return figures


def child(site: Path, out: Path, profile: str, jobs: int) -> int:
    """One build, its stages timed: a line of JSON on standard output."""
    clock = Clock()
    started, used = time.perf_counter(), _cpu()
    from site_builder.base.diagnostics import Diagnostics
    from site_builder.build import builder, run  # noqa: F401  (every probe's module loaded)

    imports = [time.perf_counter() - started, _cpu() - used]
    missing = install(clock, jobs)
    diags = Diagnostics()
    # processor time: what other work on the machine changes less
    profiler = cProfile.Profile(time.process_time) if profile else None
    if profiler:
        profiler.enable()
    wall, cpu = time.perf_counter(), _cpu()
    with sys.modules["site_builder.base.parallel"].paused_collector():  # as the command's
        outcome = sys.modules["site_builder.build.run"].build_site(site, out, diags, jobs=jobs)
    clock.stages[TOTAL] = [time.perf_counter() - wall, _cpu() - cpu]
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    if outcome.report is None:
        print("\n".join(str(d) for d in diags.items), file=sys.stderr)
        return 1
    clock.stages["imports (not in total)"] = imports
    report = outcome.report
    print(json.dumps({"stages": clock.stages, "missing": missing, "rendered": outcome.rendered,
                      "written": len(report.written),
                      "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    return 0


@dataclass
class Clock:
    """Each stage's own wall-clock and processor seconds: the time inside its probes, less
    the time inside the probes they call."""

    stages: dict[str, list[float]] = field(default_factory=dict)
    _inner: list[list[float]] = field(default_factory=list)  # per open probe: inner times

    def timed(self, stage: str | Callable[..., str], function: Callable[..., Any]
              ) -> Callable[..., Any]:
        def probe(*args: Any, **kwargs: Any) -> Any:
            self._inner.append([0.0, 0.0])
            wall, cpu = time.perf_counter(), _cpu()
            try:
                return function(*args, **kwargs)
            finally:
                wall, cpu = time.perf_counter() - wall, _cpu() - cpu
                inner = self._inner.pop()
                name = stage if isinstance(stage, str) else stage(*args)
                total = self.stages.setdefault(name, [0.0, 0.0])
                total[0] += wall - inner[0]
                total[1] += cpu - inner[1]
                if self._inner:
                    self._inner[-1][0] += wall
                    self._inner[-1][1] += cpu

        probe.__wrapped__ = function  # type: ignore[attr-defined]
        return probe


def _cpu() -> float:
    """Processor seconds of this process and of the workers it has waited for."""
    own, workers = (resource.getrusage(who) for who in
                    (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def install(clock: Clock, jobs: int) -> list[str]:
    """Every probe put in place (a function also where another module imported it by name);
    the targets the code does not have."""
    probes: list[tuple[str | Callable[..., str], str]] = list(PROBES)
    if jobs == 1:
        probes.append((lambda spec, *_: f"render: {spec.template}", RENDER))
    missing = []
    for stage, target in probes:
        module_name, _, qualname = target.partition(":")
        owner: Any = sys.modules.get(module_name)
        if owner is None:
            try:
                owner = __import__(module_name, fromlist=["_"])
            except ImportError:
                missing.append(target)
                continue
        *path, name = qualname.split(".")
        for part in path:
            owner = getattr(owner, part, None)
        original = getattr(owner, name, None) if owner is not None else None
        if original is None:
            missing.append(target)
            continue
        wrapped = clock.timed(stage, original)
        setattr(owner, name, wrapped)
        if not path:  # a module's function: also where it was imported by name
            for module in list(sys.modules.values()):
                if getattr(module, "__name__", "").startswith("site_builder") and \
                        getattr(module, name, None) is original:
                    setattr(module, name, wrapped)
    return missing


def table(kind: str, by_size: dict[int, dict[str, Any]], jobs: int, by: str = "cpu",
          shown_share: float = SHOWN) -> str:
    """One kind of build: each stage's seconds at each size (`by`: processor or wall-clock),
    and its growth per doubling."""
    sizes = sorted(by_size)
    if not sizes:
        return ""
    at = 1 if by == "cpu" else 0
    other = "wall-clock" if by == "cpu" else "processor"
    stages = {name for figures in by_size.values() for name in figures["stages"]}
    largest = by_size[sizes[-1]]["stages"]
    whole = largest[TOTAL][at]
    order = sorted(stages, key=lambda s: -largest.get(s, [0.0, 0.0])[at])
    missing = sorted({m for figures in by_size.values() for m in figures["missing"]})
    lines = [f"\n{kind} build, jobs {jobs}: own {'processor' if at else 'wall-clock'} seconds "
             f"per stage ({other} seconds of the largest in brackets); growth per doubling of "
             "the briefs, overall and at each step"]
    width = max(len(s) for s in stages) + 2
    lines.append(f"{'stage':<{width}}" + "".join(f"{s:>9}" for s in sizes) +
                 f"{'(' + other[:4] + ')':>9}  overall  each doubling")
    shown = [s for s in order
             if s != TOTAL and largest.get(s, [0.0, 0.0])[at] >= shown_share * whole]
    for name in [TOTAL, *shown]:
        times = [by_size[s]["stages"].get(name, [0.0, 0.0])[at] for s in sizes]
        growth = [per_doubling(sizes[i], sizes[i + 1], times[i], times[i + 1])
                  for i in range(len(sizes) - 1)]
        overall = per_doubling(sizes[0], sizes[-1], times[0], times[-1])
        aside = largest.get(name, [0.0, 0.0])[1 - at]
        mark = "  <<" if overall > GROWTH_MARK and times[-1] > 0.01 * whole and \
            name != TOTAL else ""
        lines.append(f"{name:<{width}}" + "".join(f"{t:>9.3f}" for t in times) +
                     f"{aside:>9.2f}  {overall:7.2f}  " + " ".join(f"{g:4.2f}" for g in growth)
                     + mark)
    lines.append("pages rendered: " + ", ".join(str(by_size[s]["rendered"]) for s in sizes) +
                 "; files written: " + ", ".join(str(by_size[s]["written"]) for s in sizes) +
                 "; max RSS MiB: " + ", ".join(f"{by_size[s]['max_rss_mib']:.0f}" for s in sizes))
    if len(shown) < len(order) - 1:
        lines.append(f"({len(order) - 1 - len(shown)} more stages, each under "
                     f"{shown_share:.1%} of the largest build)")
    if missing:
        lines.append("not in the code, not timed: " + ", ".join(missing))
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
