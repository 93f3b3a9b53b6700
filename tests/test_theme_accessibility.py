"""The built-in theme is accessible: axe-core finds no serious or critical violation.

The example site is built into a temporary folder (with search on, when Pagefind is
installed, and with the story site of tests/fixtures/story/ in its story/ folder) and served
over HTTP; one headless Chromium
and one page (shared by the module) visit it. Every page is checked at desktop width in the
light scheme; the main pages (home, the three indexes, the richest brief, actor and claim
page, and the embeds of that actor and claim) are checked in the dark scheme and at phone
width too, in both schemes, since colour contrast and layout differ in each.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from servetools import searchable_example
from tools import open_browser, run_axe, serve_directory

from site_builder.cli.commands import main

STORY = Path(__file__).parent / "fixtures" / "story"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("theme-accessibility") / "site"
    code = main(["build", "--source", str(searchable_example(out.parent)), "--output", str(out)])
    assert code == 0, "the example site did not build; see the diagnostics above"
    # The story site (three briefs on one story, their tags) beside it, in story/: its pages
    # show what the example's single brief cannot (what happened next, previous and next).
    code = main(["build", "--source", str(STORY), "--output", str(out / "story"), "--no-cache"])
    assert code == 0, "the story site did not build; see the diagnostics above"
    return out


@pytest.fixture(scope="module")
def browser(site: Path) -> Iterator[tuple[str, Any]]:
    """The served site's base URL and one browser page for the whole module."""
    with serve_directory(site) as url, open_browser() as chromium:
        page = chromium.new_page(viewport=DESKTOP)
        yield url, page
        page.close()


def all_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def main_pages(site: Path) -> list[str]:
    """Home, the three indexes, the largest (richest) brief, actor and claim page, the tags'
    pages and the story site's middle brief."""
    pages = ["index.html", "briefs/index.html", "actors/index.html", "claims/index.html"]
    for section in ("briefs", "actors", "claims"):
        details = list((site / section).glob("*/index.html"))
        assert details, f"the example site has no page under {section}/"
        richest = max(details, key=lambda p: (p.stat().st_size, p.as_posix()))
        pages.append(richest.relative_to(site).as_posix())
        if section != "briefs":  # its embed, shown in other sites' pages in either scheme
            pages.append(richest.relative_to(site).parent.joinpath("embed", "index.html")
                         .as_posix())
    # a tag's page, the tags' index, and the story site's brief with later and earlier
    # responses and both neighbours
    pages += ["tags/index.html", "tags/iran/index.html",
              "story/briefs/2025-03-11-engineers-rebut-ministry/index.html"]
    return pages


def audit(
    browser: tuple[str, Any], paths: list[str], scheme: str, viewport: dict[str, int]
) -> list[str]:
    """axe on each page; one line per node of every serious or critical violation."""
    url, page = browser
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=scheme)
    problems: list[str] = []
    for path in paths:
        page.goto(url + path)
        dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        assert dark == (scheme == "dark"), f"{path}: the {scheme} scheme was not applied"
        result = run_axe(page)
        assert result["passes"], f"{path}: axe checked nothing"
        for violation in result["violations"]:
            if violation["impact"] not in BLOCKING:
                continue
            for node in violation["nodes"]:
                summary = " ".join(node.get("failureSummary", "").split())
                problems.append(
                    f"{path} [{scheme}, {viewport['width']}px]: {violation['id']} "
                    f"({violation['impact']}) at {' '.join(map(str, node['target']))}: {summary}"
                )
    return problems


def check(problems: list[str]) -> None:
    if problems:
        print("\n".join(problems))
    assert not problems, f"{len(problems)} serious or critical axe violation(s):\n" + "\n".join(
        problems
    )


def test_every_page_at_desktop_width(browser: tuple[str, Any], site: Path) -> None:
    pages = all_pages(site)
    assert len(pages) >= 8, pages
    check(audit(browser, pages, "light", DESKTOP))


@pytest.mark.parametrize(
    ("scheme", "viewport"),
    [("dark", DESKTOP), ("light", PHONE), ("dark", PHONE)],
    ids=["dark-desktop", "light-phone", "dark-phone"],
)
def test_main_pages_in_every_scheme_and_width(
    browser: tuple[str, Any], site: Path, scheme: str, viewport: dict[str, int]
) -> None:
    check(audit(browser, main_pages(site), scheme, viewport))


VERDICTS = Path(__file__).parent / "fixtures" / "verdicts"  # a claim with a verdict history
VERDICT_PAGES = ["claims/terminal-costs-no-jobs/index.html", "claims/index.html",
               "briefs/2025-03-04-terminal-claim/index.html",
               "actors/harbour-authority/index.html"]


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("theme-accessibility") / "verdicts"
    assert main(["build", "--source", str(VERDICTS), "--output", str(out), "--no-cache",
                 "--quiet"]) == 0
    return out


@pytest.mark.parametrize(("scheme", "viewport"), [
    ("light", DESKTOP), ("dark", DESKTOP), ("light", PHONE), ("dark", PHONE)],
    ids=["light-desktop", "dark-desktop", "light-phone", "dark-phone"])
def test_a_verdict_history_in_every_scheme_and_width(browser: tuple[str, Any], verdicts: Path,
                                                     scheme: str,
                                                     viewport: dict[str, int]) -> None:
    """The verdicts site, served beside the example site, in the module's one browser."""
    with serve_directory(verdicts) as url:
        check(audit((url, browser[1]), VERDICT_PAGES, scheme, viewport))


@pytest.mark.parametrize(
    ("scheme", "viewport"),
    [("light", DESKTOP), ("dark", DESKTOP), ("light", PHONE), ("dark", PHONE)],
    ids=["light-desktop", "dark-desktop", "light-phone", "dark-phone"],
)
def test_the_search_page_with_results_and_filters(
    browser: tuple[str, Any], site: Path, scheme: str, viewport: dict[str, int]
) -> None:
    """Pagefind's interface, once it shows results and the filters (axe on what it drew)."""
    if not (site / "search" / "index.html").is_file():
        pytest.skip("Pagefind is not installed: no search page")
    url, page = browser
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=scheme)
    page.goto(url + "search/?q=missiles")
    page.locator(".pagefind-ui__result").first.wait_for(timeout=30_000)
    page.locator(".pagefind-ui__filter-block summary").first.click()
    result = run_axe(page)
    problems = [f"search/ [{scheme}, {viewport['width']}px]: {v['id']} ({v['impact']}) at "
                f"{' '.join(map(str, n['target']))}"
                for v in result["violations"] if v["impact"] in BLOCKING for n in v["nodes"]]
    check(problems)
