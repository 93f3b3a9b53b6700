"""The geometry of the theme's two charts, drawn at build time as inline SVG.

`response_chart` places a claim's responses over time: one mark per response, at its date
along the width, in the lane of its polarity (for, neither, against), shaped by polarity too
(a plus, a ring, a minus), so colour is never the only sign. `activity_chart` counts an
actor's timeline entries by month, as bars. Both give frozen records of numbers already
written as text (one decimal, always), so two builds write the same bytes; `charts.html`
turns them into markup, and a site can change how they look there.

Both stay small whatever the site: a claim with more than `MAX_MARKS` responses gets one mark
per day (then per month, per year) and polarity, with its count; an actor's bars are months
while there are at most `MAX_BARS` of them, then quarters, years, decades.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

WIDTH = 400.0  # the viewBox's width, in the units of its font size (13)
MAX_MARKS = 200  # more responses than this: one mark per period and polarity
MAX_BARS = 60  # more months than this: quarters, then years, then decades

# The response chart: three lanes under each other, the dates along the width.
POLARITIES = ("+", "0", "-")
POLARITY_WORDS = {"+": "for", "0": "neither", "-": "against"}
LANE_LABELS = {"+": "+ for", "0": "\u25cb neither", "-": "\u2212 against"}
LANE_HEIGHT = 36.0
TOP = 4.0
PLOT_LEFT, PLOT_RIGHT = 86.0, 392.0
ROWS = (0.0, -12.0, 12.0)  # where marks on the same spot go, within their lane
GAP = 12.0  # the least distance between two marks' centres in one row of a lane

# The activity chart: bars above a baseline, the count of the tallest at the top left.
BAR_TOP, BAR_BASE = 12.0, 74.0
BAR_LEFT, BAR_RIGHT = 42.0, 396.0  # room for a count of four digits at the left
BAR_MAX_WIDTH = 24.0
PERIODS = (1, 3, 12, 120)  # months per bar


def num(value: float) -> str:
    """A coordinate as the charts write it: one decimal, always."""
    return f"{value:.1f}"


@functools.lru_cache(maxsize=4096)
def short_date(day: dt.date) -> str:
    """`4 Mar 2025`, for an axis."""
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True, slots=True)
class Mark:
    """One response (or, past `MAX_MARKS`, the responses of one period and polarity)."""

    x: str
    y: str
    d: str  # the SVG path of its shape
    polarity: str  # 'for', 'neither', 'against'
    date: dt.date  # the response's date (the first of its period, for several)
    period: str  # '', or 'March 2025' when it stands for several responses
    actors: tuple[str, ...]  # the names of those who responded, each once
    stance: str  # the stance's name; '' when it stands for several stances
    count: int


@dataclass(frozen=True, slots=True)
class Lane:
    label: str
    polarity: str
    y: str  # the centre line
    label_y: str


LANE_Y = {p: TOP + LANE_HEIGHT * (i + 0.5) for i, p in enumerate(POLARITIES)}  # centres
LANES = tuple(Lane(LANE_LABELS[p], POLARITY_WORDS[p], num(y), num(y + 4.5))
              for p, y in LANE_Y.items())
AXIS_Y = TOP + LANE_HEIGHT * len(POLARITIES)


@dataclass(frozen=True, slots=True)
class Tick:
    x: str
    label: str
    anchor: str  # 'start', 'middle' or 'end'


@dataclass(frozen=True, slots=True)
class ResponseChart:
    width: str
    height: str
    lanes: tuple[Lane, ...]
    marks: tuple[Mark, ...]
    ticks: tuple[Tick, ...]
    axis_y: str
    tick_y: str
    claimed_x: str  # where the line of the claim's date is
    claimed: dt.date
    first: dt.date  # the first and last days along the width
    last: dt.date
    total: int  # responses (more than the marks when they are grouped)
    counts: tuple[int, int, int]  # responses for, neither, against
    grouped: str  # '', or the period of the grouped marks: 'day', 'month' or 'year'
    left: str  # the ends of the lanes' lines
    right: str


@dataclass(frozen=True, slots=True)
class Answer:
    """What the response chart needs of one response."""

    date: dt.date
    polarity: str  # '+', '0' or '-'
    actor: str
    stance: str


def response_chart(claimed: dt.date, answers: Sequence[Answer]) -> ResponseChart | None:
    """The chart of a claim's responses, or None without any."""
    if not answers:
        return None
    first = min(claimed, *(a.date for a in answers))
    last = max(claimed, *(a.date for a in answers))
    place = _scale(first, last)
    groups, grouped = _groups(answers)
    marks: list[tuple[int, Mark]] = []  # each with its place in `groups`: date order
    for polarity in POLARITIES:
        in_lane = [(i, g) for i, g in enumerate(groups) if g[1] == polarity]
        spots = _spread([place(g[0]) for _, g in in_lane])
        for (i, (day, _, period, members)), (x, row) in zip(in_lane, spots, strict=True):
            marks.append((i, _mark(day, polarity, period, members, x, LANE_Y[polarity] + row)))
    marks.sort(key=lambda item: item[0])
    return ResponseChart(
        num(WIDTH), num(AXIS_Y + 22), LANES, tuple(m for _, m in marks),
        _date_ticks(first, last, place), num(AXIS_Y), num(AXIS_Y + 16), num(place(claimed)),
        claimed, first, last, len(answers), _polarity_counts(answers), grouped,
        num(PLOT_LEFT - 6), num(PLOT_RIGHT + 6))


def _polarity_counts(answers: Sequence[Answer]) -> tuple[int, int, int]:
    plus, neither, against = (sum(a.polarity == p for a in answers) for p in POLARITIES)
    return plus, neither, against


def _scale(first: dt.date, last: dt.date) -> Callable[[dt.date], float]:
    """Where a day goes along the width; a single day, in the middle."""
    span = (last - first).days
    if not span:
        return lambda day: (PLOT_LEFT + PLOT_RIGHT) / 2
    return lambda day: PLOT_LEFT + (day - first).days / span * (PLOT_RIGHT - PLOT_LEFT)


Group = tuple[dt.date, str, str, tuple[Answer, ...]]  # day, polarity, period, answers


def _groups(answers: Sequence[Answer]) -> tuple[list[Group], str]:
    """One group per response, in date order; past `MAX_MARKS`, one per period (the first
    of day, month, year that makes few enough) and polarity, with the period's name."""
    ordered = sorted(answers, key=lambda a: (a.date, POLARITIES.index(a.polarity), a.actor,
                                             a.stance))
    if len(ordered) <= MAX_MARKS:
        return [(a.date, a.polarity, "", (a,)) for a in ordered], ""
    for name, period in (("day", _day), ("month", _month), ("year", _year)):
        grouped: dict[tuple[str, str], list[Answer]] = {}
        for a in ordered:
            grouped.setdefault((period(a.date), a.polarity), []).append(a)
        if len(grouped) <= MAX_MARKS or name == "year":  # years: the last resort
            break
    return [(members[0].date, polarity, label, tuple(members))
            for (label, polarity), members in grouped.items()], name


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _month(day: dt.date) -> str:
    return f"{day:%B %Y}"


def _year(day: dt.date) -> str:
    return f"{day.year}"


def _spread(xs: Sequence[float]) -> list[tuple[float, float]]:
    """Where marks at `xs` (in date order) go in their lane: at their date, in the first row
    free there; when all are taken, just after the row that frees first, never past the
    right edge (they overlap there rather than leave the chart)."""
    ends = [float("-inf")] * len(ROWS)
    spots = []
    for x in xs:
        row = next((r for r, end in enumerate(ends) if end + GAP <= x + 1e-9), None)
        if row is None:
            row = min(range(len(ROWS)), key=lambda r: (ends[r], r))
            x = min(ends[row] + GAP, PLOT_RIGHT)
        ends[row] = x
        spots.append((x, ROWS[row]))
    return spots


def _mark(day: dt.date, polarity: str, period: str, members: tuple[Answer, ...],
          x: float, y: float) -> Mark:
    actors = tuple(dict.fromkeys(a.actor for a in members))
    stances = {a.stance for a in members}
    stance = members[0].stance if len(stances) == 1 else ""
    return Mark(num(x), num(y), shape(polarity, x, y), POLARITY_WORDS[polarity], day,
                period, actors, stance, len(members))


def shape(polarity: str, x: float, y: float) -> str:
    """A mark's outline, 10 wide, centred on (x, y): a plus for, a ring neither, a minus
    against."""
    if polarity == "+":
        return (f"M{num(x - 1.6)} {num(y - 5)}h3.2v3.4h3.4v3.2h-3.4v3.4h-3.2v-3.4h-3.4v-3.2"
                "h3.4z")
    if polarity == "-":
        return f"M{num(x - 5)} {num(y - 1.75)}h10v3.5h-10z"
    # a ring: a circle of radius 5 with a hole of radius 2.5 (filled, with the even-odd rule)
    return (f"M{num(x - 5)} {num(y)}a5 5 0 1 0 10 0a5 5 0 1 0 -10 0z"
            f"M{num(x - 2.5)} {num(y)}a2.5 2.5 0 1 0 5 0a2.5 2.5 0 1 0 -5 0z")


def _date_ticks(first: dt.date, last: dt.date,
                place: Callable[[dt.date], float]) -> tuple[Tick, ...]:
    """The first and last days, under the ends of the axis; a single day, in the middle."""
    if first == last:
        return (Tick(num(place(first)), short_date(first), "middle"),)
    return (Tick(num(PLOT_LEFT), short_date(first), "start"),
            Tick(num(PLOT_RIGHT), short_date(last), "end"))


@dataclass(frozen=True, slots=True)
class Bar:
    x: str
    y: str
    width: str
    height: str
    label: str  # 'March 2025', 'Q1 2025', '2025', '2020s'
    start: dt.date  # the first day of its period
    count: int


@dataclass(frozen=True, slots=True)
class ActivityChart:
    width: str
    height: str
    bars: tuple[Bar, ...]  # the periods with entries, in date order
    ticks: tuple[Tick, ...]
    months: int  # months per bar: 1, 3, 12 or 120
    periods: int  # the periods along the width, empty ones too
    most: int  # the count of the tallest bar
    total: int
    top: str  # the line of the tallest bar's top
    base: str  # the baseline
    left: str
    right: str
    tick_y: str
    count_x: str  # where the counts of the top and base lines end


def activity_chart(dates: Iterable[dt.date]) -> ActivityChart | None:
    """The chart of an actor's timeline entries (their dates) by month, or None without any."""
    counts: dict[int, int] = {}
    for day in dates:
        month = day.year * 12 + day.month - 1
        counts[month] = counts.get(month, 0) + 1
    if not counts:
        return None
    low, high = min(counts), max(counts)
    months = next((m for m in PERIODS if high // m - low // m < MAX_BARS), PERIODS[-1])
    binned: dict[int, int] = {}
    for month, n in counts.items():
        binned[month // months] = binned.get(month // months, 0) + n
    start, end = low // months, high // months
    periods, most = end - start + 1, max(binned.values())
    slot = (BAR_RIGHT - BAR_LEFT) / periods
    width = min(BAR_MAX_WIDTH, max(1.0, slot * 0.7))
    bars = []
    for period in sorted(binned):
        n = binned[period]
        height = max(1.5, (BAR_BASE - BAR_TOP) * n / most)
        x = BAR_LEFT + (period - start + 0.5) * slot - width / 2
        bars.append(Bar(num(x), num(BAR_BASE - height), num(width), num(height),
                        period_label(period, months), _first_day(period * months), n))
    if end == start:
        ticks = [Tick(num((BAR_LEFT + BAR_RIGHT) / 2), period_label(start, months, True),
                      "middle")]
    else:
        ticks = [Tick(num(BAR_LEFT), period_label(start, months, True), "start"),
                 Tick(num(BAR_RIGHT), period_label(end, months, True), "end")]
    return ActivityChart(num(WIDTH), num(BAR_BASE + 22), tuple(bars), tuple(ticks), months,
                         periods, most, sum(binned.values()), num(BAR_TOP), num(BAR_BASE),
                         num(BAR_LEFT), num(BAR_RIGHT), num(BAR_BASE + 16),
                         num(BAR_LEFT - 6))


def _first_day(month: int) -> dt.date:
    return dt.date(month // 12, month % 12 + 1, 1)


def period_label(period: int, months: int, short: bool = False) -> str:
    """`March 2025` (`Mar 2025` when `short`), `Q1 2025`, `2025` or `2020s`: period number
    `period` of `months` months (counted from year 0)."""
    day = _first_day(period * months)
    if months == 1:
        return f"{day:%b %Y}" if short else f"{day:%B %Y}"
    if months == 3:
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if months == 12:
        return f"{day.year}"
    return f"{day.year}s"


def thread_answers(thread: Any, index: Any) -> list[Answer]:
    """What the response chart needs of a claim's thread: each response's date, polarity,
    actor's name and stance (`index` gives the names and the site's stances)."""
    stance = index.site.config.stance
    return [Answer(e.response.date, stance(e.response.stance).polarity,
                   index.actor(e.response.by.id).name, e.response.stance)
            for e in thread.responses]
