"""An embed works inside an `<iframe>` of another site (issue 25): a page of one local server
frames an actor's embed from another (another origin), under a sub-path; Chromium shows the
entries in the frame, and a click on one opens the entry's page of the site in the whole
window. `serve` lets embeds be framed, and a timeline's page finds an entry that moved to
another page.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from servetools import copy_example_site
from sitetools import build, generate_corpus, read_page
from test_timelines import add_briefs, entries
from tools import open_browser, serve_directory

from site_builder.site import urls

SUB_PATH = "desk"  # the site is served under /desk/, as a project site of GitHub Pages


@pytest.fixture
def site_folder(tmp_path: Path) -> Path:
    """The example site built into `<folder>/desk/`; the folder is what the server serves."""
    root = copy_example_site(tmp_path / "site")
    build(root, tmp_path / "served" / SUB_PATH, cache=False)
    return tmp_path / "served"


def test_an_embed_in_a_frame_of_another_site_links_back(site_folder: Path, tmp_path: Path):
    host = tmp_path / "host"
    host.mkdir()
    with serve_directory(site_folder) as site_url, serve_directory(host) as host_url:
        embed = f"{site_url}{SUB_PATH}/{urls.pretty(urls.actor_embed('dmitry-peskov'))}"
        (host / "article.html").write_text(
            '<!DOCTYPE html><html lang="en"><head><title>Newsroom</title></head><body>'
            f'<h1>An article</h1><iframe id="t" src="{embed}" title="Timeline"></iframe>'
            "</body></html>", encoding="utf-8")
        assert site_url != host_url  # two origins: another port
        with open_browser() as chromium:
            page = chromium.new_page()
            page.goto(host_url + "article.html")
            frame = page.frame_locator("#t")
            shown = frame.locator("main li")
            shown.first.wait_for()
            assert shown.count() == 1
            entry = shown.first.get_attribute("id")
            assert entry and entry.startswith("2024-09-09-iran-missiles-russia--response-")
            link = shown.first.locator("a[href*='#']").last
            link.click()
            page.wait_for_url(f"{site_url}{SUB_PATH}/actors/dmitry-peskov/#{entry}")
            assert page.locator(f"[id='{entry}']").count() == 1
            assert page.evaluate("window.top === window.self")


def test_serve_lets_an_embed_be_framed(live_site):
    live = live_site()
    reply = live.page(urls.pretty(urls.actor_embed("kremlin")))
    assert reply.status == 200
    assert "x-frame-options" not in reply.headers
    assert "frame-ancestors" not in reply.headers.get("content-security-policy", "")


def test_a_timeline_page_finds_an_entry_that_moved(tmp_path: Path):
    """An entry's old address, once 100 earlier briefs pushed it to the next page: the page's
    script finds it in the timeline's data and goes there."""
    site = generate_corpus(tmp_path / "corpus", 300, 12)
    out = build(site, tmp_path / "out", cache=False).out
    second = sorted(out.glob("actors/*/page/2/index.html"))[0].relative_to(out).as_posix()
    actor = second.split("/")[1]
    entry = entries(read_page(out, second))[-1].get("id")
    add_briefs(site, actor, 100, 1990)
    build(site, tmp_path / "out", cache=False)
    assert read_page(out, second).by_id(entry or "") is None
    data = json.loads((out / urls.actor_timeline(actor)).read_text("utf-8"))
    place = [e["unique_id"] for e in data["events"]].index(entry)
    now = urls.pretty(urls.actor_page(actor, place // 100 + 1))
    shutil.rmtree(site)
    with serve_directory(out) as url, open_browser() as chromium:
        page = chromium.new_page()
        page.goto(f"{url}{urls.pretty(second)}#{entry}")
        page.wait_for_url(f"{url}{now}#{entry}")
        assert page.locator(f"[id='{entry}']").count() == 1
