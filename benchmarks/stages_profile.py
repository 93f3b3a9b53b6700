"""stages.py's profiles: the costliest functions of one build, and which grow fastest.

Given cProfile files of the same kind of build at two sizes or more, `growth` lists the
functions that take at least SHARE of the largest build (cumulative time), the fastest
growing first: their cumulative and own seconds and their calls at each size, and the growth
per doubling of the briefs of their cumulative time and of their calls. A function whose
calls grow faster than the briefs is doing work per pair of things (per brief and per brief
of its actor, say); one whose calls grow as the briefs and whose time grows faster spends
more on each call as the site grows.
"""

from __future__ import annotations

import io
import math
import pstats
from pathlib import Path
from typing import Any

SHARE = 0.01
ROWS = 30


def costliest(path: Path, rows: int = ROWS) -> str:
    """The `rows` functions of most cumulative time in one profile, as pstats prints them."""
    out = io.StringIO()
    pstats.Stats(str(path), stream=out).sort_stats("cumulative").print_stats(rows)
    return out.getvalue()


def growth(paths: dict[int, Path], share: float = SHARE, rows: int = ROWS) -> str:
    """The functions of the profiles (by number of briefs) that grow fastest (see the top)."""
    sizes = sorted(paths)
    stats: dict[int, dict[Any, Any]] = {n: pstats.Stats(str(paths[n])).stats  # type: ignore[attr-defined]
                                        for n in sizes}
    largest, before = stats[sizes[-1]], stats[sizes[-2]]
    total = max(entry[3] for entry in largest.values())
    found = []
    for function, (_, calls, own, cumulative, _) in largest.items():
        if cumulative < share * total:
            continue
        earlier = before.get(function)
        grows = per_doubling(sizes[-2], sizes[-1], earlier[3], cumulative) if earlier else math.inf
        called = per_doubling(sizes[-2], sizes[-1], earlier[1], calls) if earlier else math.inf
        found.append((grows, called, function, own))
    found.sort(key=lambda f: -f[0])
    head = (f"{'function':<60}" + "".join(f"{f'cum {n}':>12}" for n in sizes) +
            f"{'own':>9}" + "".join(f"{f'calls {n}':>14}" for n in sizes) + "  growth  calls")
    lines = [f"functions over {share:.0%} of the largest build, fastest growing first "
             "(growth per doubling of the briefs, of the cumulative time and of the calls)",
             head]
    for grows, called, function, own in found[:rows]:
        filename, line, name = function
        where = f"{_short(filename)}:{line}({name})"[-59:]
        cums = "".join(f"{stats[n].get(function, (0, 0, 0, 0.0))[3]:>12.3f}" for n in sizes)
        counts = "".join(f"{stats[n].get(function, (0, 0))[1]:>14}" for n in sizes)
        lines.append(f"{where:<60}{cums}{own:>9.3f}{counts}  {grows:6.2f} {called:6.2f}")
    return "\n".join(lines)


def per_doubling(n1: int, n2: int, t1: float, t2: float) -> float:
    """How many times `t` grows when the briefs double, from two sizes."""
    if t1 <= 0 or t2 <= 0 or n2 == n1:
        return 0.0
    return float((t2 / t1) ** (1 / math.log2(n2 / n1)))


def _short(filename: str) -> str:
    """A module's path from its package on (site_builder/... or the library's)."""
    for marker in ("site_builder/", "site-packages/", "python3."):
        if marker in filename:
            return filename[filename.index(marker):]
    return filename
