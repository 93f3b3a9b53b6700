"""The charts of the claim and actor pages: their geometry, and the SVG the pages carry."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sitetools import Element, actor, brief, build, claim, read_page, response, write_site
from tools import open_browser, serve_directory

from site_builder.theme import charts
from site_builder.theme.charts import Answer, activity_chart, response_chart

D = dt.date
NUMBER = re.compile(r"-?\d+\.\d")  # every coordinate: one decimal, always


def answers(*items: tuple[D, str]) -> list[Answer]:
    return [Answer(day, polarity, f"actor {i}", "denies" if polarity == "-" else "supports")
            for i, (day, polarity) in enumerate(items)]


# --- the response chart ----------------------------------------------------------------------


def test_no_response_no_chart() -> None:
    assert response_chart(D(2025, 3, 4), []) is None


def test_marks_are_placed_by_date_between_the_first_and_last_day() -> None:
    chart = response_chart(D(2025, 3, 4), answers((D(2025, 3, 11), "-"), (D(2025, 3, 19), "-"),
                                                 (D(2025, 3, 5), "+")))
    assert chart is not None
    assert (chart.first, chart.last, chart.total, chart.counts) == (
        D(2025, 3, 4), D(2025, 3, 19), 3, (1, 0, 2))
    assert [(m.date, m.x) for m in chart.marks] == [
        (D(2025, 3, 5), "106.4"), (D(2025, 3, 11), "228.8"), (D(2025, 3, 19), "392.0")]
    assert chart.claimed_x == "86.0"  # the claim's day is the first: the left end
    assert [(t.label, t.x, t.anchor) for t in chart.ticks] == [
        ("4 Mar 2025", "86.0", "start"), ("19 Mar 2025", "392.0", "end")]


def test_each_polarity_has_its_lane_and_its_shape() -> None:
    chart = response_chart(D(2025, 1, 1), answers((D(2025, 1, 2), "+"), (D(2025, 1, 3), "0"),
                                                 (D(2025, 1, 4), "-")))
    assert chart is not None
    assert [(lane.label, lane.polarity, lane.y) for lane in chart.lanes] == [
        ("+ for", "for", "22.0"), ("\u25cb neither", "neither", "58.0"),
        ("\u2212 against", "against", "94.0")]
    lane_y = {lane.polarity: lane.y for lane in chart.lanes}
    assert all(m.y == lane_y[m.polarity] for m in chart.marks)
    shapes = {m.polarity: re.sub(NUMBER, "n", m.d) for m in chart.marks}
    assert len(set(shapes.values())) == 3  # a plus, a ring, a minus: not colour alone
    assert shapes["neither"].count("a") == 4  # two circles: a ring


def test_a_single_day_is_in_the_middle_with_one_tick() -> None:
    chart = response_chart(D(2024, 9, 9), answers((D(2024, 9, 9), "-")))
    assert chart is not None
    assert chart.marks[0].x == chart.claimed_x == "239.0"
    assert [(t.label, t.anchor) for t in chart.ticks] == [("9 Sep 2024", "middle")]


def test_marks_on_the_same_day_do_not_cover_each_other() -> None:
    chart = response_chart(D(2024, 9, 9), answers(*[(D(2024, 9, 9), "0")] * 7))
    assert chart is not None
    spots = [(float(m.x), float(m.y)) for m in chart.marks]
    assert len(set(spots)) == 7
    for i, (x, y) in enumerate(spots):
        for x2, y2 in spots[i + 1:]:
            assert abs(x - x2) >= charts.GAP or abs(y - y2) >= 12
    assert max(x for x, _ in spots) <= charts.PLOT_RIGHT


def test_crowded_marks_stay_inside_the_chart() -> None:
    chart = response_chart(D(2024, 9, 9), answers(*[(D(2024, 9, 10), "+")] * 100))
    assert chart is not None
    assert len(chart.marks) == 100
    assert max(float(m.x) for m in chart.marks) == charts.PLOT_RIGHT


def test_past_the_cap_marks_stand_for_a_day_and_polarity() -> None:
    many = answers(*[(D(2025, 1, 1 + i % 20), "+-"[i % 2]) for i in range(charts.MAX_MARKS + 1)])
    chart = response_chart(D(2025, 1, 1), many)
    assert chart is not None
    assert chart.grouped == "day" and chart.total == charts.MAX_MARKS + 1
    assert len(chart.marks) == 20  # each day has one polarity: i and i % 20 share parity
    assert sum(m.count for m in chart.marks) == charts.MAX_MARKS + 1
    assert chart.marks[0].period == "1 January 2025"


def test_past_the_cap_by_month_when_days_are_too_many() -> None:
    days = [D(2020, 1, 1) + dt.timedelta(days=i) for i in range(charts.MAX_MARKS + 1)]
    chart = response_chart(days[0], answers(*[(day, "0") for day in days]))
    assert chart is not None
    assert chart.grouped == "month"
    assert [m.period for m in chart.marks][:2] == ["January 2020", "February 2020"]
    assert len(chart.marks) <= charts.MAX_MARKS


def test_the_same_answers_give_the_same_chart_in_any_order() -> None:
    items = answers((D(2025, 3, 4), "-"), (D(2025, 3, 4), "+"), (D(2025, 3, 6), "0"),
                    (D(2025, 3, 4), "-"))
    assert response_chart(D(2025, 3, 1), items) == response_chart(D(2025, 3, 1), items[::-1])


# --- the activity chart ----------------------------------------------------------------------


def test_no_entry_no_chart() -> None:
    assert activity_chart([]) is None


def test_bars_count_the_entries_of_each_month() -> None:
    dates = [D(2024, 9, 9), D(2024, 9, 30), D(2024, 11, 1), D(2025, 2, 28)]
    chart = activity_chart(dates)
    assert chart is not None
    assert (chart.months, chart.periods, chart.most, chart.total) == (1, 6, 2, 4)
    assert [(b.label, b.count) for b in chart.bars] == [
        ("September 2024", 2), ("November 2024", 1), ("February 2025", 1)]
    tallest = chart.bars[0]
    assert (tallest.y, tallest.height) == (chart.top, "62.0")
    assert chart.bars[1].height == "31.0"
    assert [(t.label, t.anchor) for t in chart.ticks] == [("Sep 2024", "start"),
                                                          ("Feb 2025", "end")]
    xs = [float(b.x) for b in chart.bars]
    assert xs == sorted(xs) and xs[0] >= float(chart.left)


def test_a_single_month_is_one_bar_with_its_label_under_it() -> None:
    chart = activity_chart([D(2024, 9, 9)] * 3)
    assert chart is not None
    assert [(b.label, b.count, b.width) for b in chart.bars] == [("September 2024", 3, "24.0")]
    assert [(t.label, t.anchor) for t in chart.ticks] == [("Sep 2024", "middle")]


@pytest.mark.parametrize(("years", "months", "first"), [
    (5, 1, "January 2020"), (14, 3, "Q1 2020"), (40, 12, "2020"), (300, 120, "2020s")])
def test_long_spans_have_longer_periods_and_at_most_sixty_bars(years: int, months: int,
                                                                first: str) -> None:
    dates = [D(2020 + y, m, 1) for y in range(years) for m in (1, 7)]
    chart = activity_chart(dates)
    assert chart is not None
    assert chart.months == months and chart.periods <= charts.MAX_BARS
    assert chart.bars[0].label == first
    assert chart.total == len(dates)


def test_every_coordinate_has_one_decimal() -> None:
    bars = activity_chart([D(2024, 1, 3), D(2024, 2, 1), D(2024, 2, 9)])
    marks = response_chart(D(2024, 1, 1), answers((D(2024, 1, 3), "0"), (D(2024, 2, 7), "+")))
    assert bars is not None and marks is not None
    values = [getattr(b, f) for b in bars.bars for f in ("x", "y", "width", "height")]
    values += [v for m in marks.marks for v in (m.x, m.y)]
    assert all(NUMBER.fullmatch(v) for v in values)
    assert all(NUMBER.fullmatch(n) for m in marks.marks for n in re.findall(r"[\d.]+", m.d)
               if "." in n)


# --- the pages -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three briefs on one story: a claim on 4 March (and a doubt the same day), a rebuttal
    on 11 March, a retraction on 19 April. Iran's timeline: its claim, its name in the
    rebuttal, its retraction."""
    text = "Iran said it. The EU denied it. Russia doubted it. Iran took it back.\n"
    briefs = {
        "claim": (text, brief("The claim", "2025-03-04", claims=[
            claim("sent", "iran", "Missiles were sent.", "Iran said it")],
            responses=[response("sent", "russia", "questions", "Russia doubted it")])),
        "rebuttal": (text, brief("The rebuttal", "2025-03-11", responses=[
            response("sent", "eu", "denies", "The EU denied it")])),
        "retraction": (text, brief("The retraction", "2025-04-19", responses=[
            response("sent", "iran", "retracts", "Iran took it back")])),
    }
    root = write_site(tmp_path_factory.mktemp("story") / "site", briefs, actors=[
        actor("iran", "Iran"), actor("eu", "European Union", "organization"),
        actor("russia", "Russia")])
    return build(root).out


def figure(page: Element) -> Element:
    found = page.find("figure", "chart")
    assert found is not None
    return found


def named_chart(page: Element) -> tuple[Element, list[str], list[list[str]]]:
    """A page's chart: its SVG (an image), the texts naming and describing it (its
    `<title>` and `<desc>`), and the rows of its hidden table."""
    chart = figure(page)
    svg = chart.find("svg")
    assert svg is not None and svg.get("role") == "img"
    named = [page.by_id(i) for i in (svg.get("aria-labelledby") or "").split()]
    assert [e.tag if e else None for e in named] == ["title", "desc"]
    table = chart.find("table")
    assert table is not None and "visually-hidden" in table.parent.classes()
    rows = [[td.text for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]
    return svg, [e.text for e in named if e], rows


def test_the_claim_page_draws_one_mark_per_response(story: Path) -> None:
    svg, named, rows = named_chart(build_page(story, "claims/sent/index.html"))
    assert named == ["Responses over time, by polarity",
                     "3 responses from 4 March 2025 to 19 April 2025: 0 for, 1 neither,"
                     " 2 against. The claim was reported on 4 March 2025."]
    marks = svg.find_all("path", "mark")
    assert [(m.classes()[1], m.find("title").text) for m in marks] == [
        ("mark-neither", "Russia: questions (neither), 4 March 2025"),
        ("mark-against", "European Union: denies (against), 11 March 2025"),
        ("mark-against", "Iran: retracts (against), 19 April 2025")]
    assert rows == [["4 March 2025", "Russia", "questions", "neither"],
                    ["11 March 2025", "European Union", "denies", "against"],
                    ["19 April 2025", "Iran", "retracts", "against"]]


def test_a_claim_without_responses_has_no_chart(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"b": ("Iran said it.\n", brief(
        "B", "2024-01-01", claims=[claim("c", "iran", "Said.", "Iran said it")]))},
        actors=[actor("iran", "Iran")])
    out = build(root).out
    assert build_page(out, "claims/c/index.html").find("figure", "chart") is None


def test_the_actor_page_draws_its_entries_by_month(story: Path) -> None:
    svg, named, rows = named_chart(build_page(story, "actors/iran/index.html"))
    assert named == ["Timeline entries by month",
                     "3 entries from March 2025 to April 2025, at most 2 in a month."]
    bars = svg.find_all("rect", "chart-bar")
    assert [b.find("title").text for b in bars] == ["March 2025: 2 entries", "April 2025: 1 entry"]
    assert rows == [["March 2025", "2"], ["April 2025", "1"]]


def build_page(out: Path, rel: str) -> Element:
    page = read_page(out, rel)
    assert page.errors == []
    return page


def test_a_site_replaces_one_chart_and_keeps_the_other(tmp_path: Path) -> None:
    own = """{% import "theme/charts.html" as theme %}
{% macro responses_chart(chart) %}<p class="own-chart">{{ chart.total }} answers</p>{% endmacro %}
{% macro activity_chart(chart) %}{{ theme.activity_chart(chart) }}{% endmacro %}
"""
    root = write_site(tmp_path / "site", {"b": ("Iran said it.\n", brief(
        "B", "2024-01-01", claims=[claim("c", "iran", "Said.", "Iran said it")],
        responses=[response("c", "iran", "confirms")]))}, actors=[actor("iran", "Iran")],
        files={"templates/charts.html": own})
    out = build(root).out
    claim_page = build_page(out, "claims/c/index.html")
    assert claim_page.find("figure", "chart") is None
    assert claim_page.find("p", "own-chart").text == "1 answers"
    bars = figure(build_page(out, "actors/iran/index.html")).find_all("rect", "chart-bar")
    assert [b.find("title").text for b in bars] == ["January 2024: 2 entries"]


# --- in a browser ----------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_charts_fit_a_phone_and_follow_the_scheme(story: Path, scheme: str) -> None:
    """At 390 px wide nothing scrolls sideways, the charts' text is at least 12 px high, and
    the marks take the stances' colours of the scheme (the stylesheet's properties)."""
    colours = {"light": "rgb(71, 79, 92)", "dark": "rgb(199, 206, 216)"}  # --neither
    with serve_directory(story) as url, open_browser() as chromium:
        context = chromium.new_context(viewport={"width": 390, "height": 844},
                                       color_scheme=scheme)
        page = context.new_page()
        for path in ("claims/sent/", "actors/iran/"):
            page.goto(url + path)
            sizes = page.evaluate("""() => ({
                overflow: document.documentElement.scrollWidth - innerWidth,
                svg: document.querySelector('figure.chart svg').getBoundingClientRect().right,
                text: Math.min(...[...document.querySelectorAll('figure.chart svg text')]
                    .map(t => t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize))),
            })""")
            assert sizes["overflow"] <= 0 and sizes["svg"] <= 390, (path, sizes)
            assert sizes["text"] >= 12, (path, sizes)
        page.goto(url + "claims/sent/")
        fills = page.evaluate("""() => [...document.querySelectorAll('.chart-svg .mark')]
            .map(m => getComputedStyle(m).fill)""")
        assert fills[0] == colours[scheme]
        context.close()
