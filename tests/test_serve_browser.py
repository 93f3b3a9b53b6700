"""Live preview in a real browser: headless Chromium (Debian's) driven by Playwright.

Open a brief served by `serve`, edit its YAML on disk: the page reloads by itself and shows
the change. Break the YAML: the overlay names the file, line and column, over the last good
page. Fix it: the overlay goes and the page is current.

Without Chromium or Playwright these tests skip (and fail in CI): see tests/tools.py.
"""

from __future__ import annotations

import re

import pytest
from servetools import SEED_SLUG, atomic_write, replace_in
from tools import open_browser

TIMEOUT_MS = 10_000  # generous: a reload takes well under a second


def _expect():
    try:
        from playwright.sync_api import expect
    except ImportError:  # open_browser() skips or fails first, with the reason
        pytest.skip("Playwright is not installed")
    return expect


def mark_page(page) -> None:
    """Something only this load of the page has: gone after a reload."""
    page.evaluate("window.__notReloaded = true")


def reloaded(page) -> bool:
    return page.evaluate("window.__notReloaded === undefined")


@pytest.mark.parametrize("base_url", [None, "https://x.github.io/demo/"],
                         ids=["root", "base-url"])
def test_edit_reloads_the_page_and_errors_show_in_an_overlay(live_site, example_site,
                                                            base_url):
    live = live_site(base_url=base_url)
    yaml_path = example_site / "briefs" / f"{SEED_SLUG}.yaml"
    lines = yaml_path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.strip() == "stance: denies")
    col = lines[line - 1].index("denies") + 1

    with open_browser() as browser:
        expect = _expect()
        page = browser.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(f"http://127.0.0.1:{live.port}{live.base_path}briefs/{SEED_SLUG}/")
        heading = page.locator("h1")
        expect(heading).to_have_text(re.compile("^US warns of"), timeout=TIMEOUT_MS)
        overlay = page.locator("#site-builder-errors")
        expect(overlay).to_have_count(0)

        # an edit: the page reloads by itself and shows it
        mark_page(page)
        replace_in(yaml_path, "title: US warns", "title: Washington warns")
        expect(heading).to_have_text(re.compile("^Washington warns of"), timeout=TIMEOUT_MS)
        assert reloaded(page)
        expect(overlay).to_have_count(0)

        # a mistake: the overlay names the file, line and column, over the last good page
        mark_page(page)
        replace_in(yaml_path, "stance: denies", "stance: deniez")
        expect(overlay).to_be_visible(timeout=TIMEOUT_MS)
        assert reloaded(page)
        expect(overlay).to_contain_text(f"briefs/{SEED_SLUG}.yaml:{line}:{col}: error:")
        expect(overlay).to_contain_text("'deniez' is not a valid 'stance'")
        expect(heading).to_have_text(re.compile("^Washington warns of"))  # the last good page

        # a YAML syntax error: the overlay follows it to the new place
        mark_page(page)
        original = replace_in(yaml_path, "title: Washington", "title: 'Washington")
        expect(overlay).to_contain_text(f"briefs/{SEED_SLUG}.yaml:2:", timeout=TIMEOUT_MS)
        expect(overlay).not_to_contain_text("deniez")
        assert reloaded(page)

        # fixed (with one more change): the overlay goes and the page is current
        mark_page(page)
        atomic_write(yaml_path, original.replace("stance: deniez", "stance: denies")
                     .replace("title: Washington warns", "title: Brussels warns"))
        expect(heading).to_have_text(re.compile("^Brussels warns of"), timeout=TIMEOUT_MS)
        expect(overlay).to_have_count(0)
        assert reloaded(page)
        assert problems == []


def test_the_404_page_and_other_pages_reload_too(live_site, example_site):
    live = live_site()
    with open_browser() as browser:
        expect = _expect()
        home = browser.new_page()
        missing = browser.new_page()
        home.goto(f"http://127.0.0.1:{live.port}/")
        response = missing.goto(f"http://127.0.0.1:{live.port}/no-such-page/")
        assert response is not None and response.status == 404
        for page in (home, missing):
            mark_page(page)
        replace_in(example_site / "site.yaml", "title: Annotated briefs",
                   "title: Missile watch")
        for page in (home, missing):
            expect(page).to_have_title(re.compile("Missile watch"), timeout=TIMEOUT_MS)
            assert reloaded(page)
