"""A reader follows a story: a brief links to what other briefs said of its claims later (and
earlier), and to the briefs before and after it; every tag has a page listing its briefs.

The test site (tests/fixtures/story/) is three briefs on one story: a ministry's claim on
4 March, engineers' rebuttal on 11 March, the ministry's retraction on 19 March.
"""

from __future__ import annotations

import posixpath
import shutil
from pathlib import Path

import pytest
from sitetools import Element, broken_links, build, read_page, write_site
from sitetools import brief as brief_fields

from site_builder.site import story, urls

STORY = Path(__file__).resolve().parent / "fixtures" / "story"
CLAIM = "2025-03-04-bridge-declared-safe"
REBUTTAL = "2025-03-11-engineers-rebut-ministry"
RETRACTION = "2025-03-19-ministry-retracts"
ODD_TAG = "Elm Street / Ørsted"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = shutil.copytree(STORY, tmp_path_factory.mktemp("story") / "site")
    return build(site, site / "output", cache=False).out


def follow(out: Path, page: str, href: str) -> tuple[str, Element | None]:
    """The page a link of `page` leads to, and the element its fragment names there."""
    path, _, fragment = href.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    target = f"{target}/index.html" if path.endswith("/") else target
    doc = read_page(out, target)
    return target, doc.by_id(fragment) if fragment else doc


def story_items(doc: Element) -> list[Element]:
    section = doc.find("section", class_="story")
    assert section is not None
    return section.find_all("li")


def test_the_first_brief_links_to_the_later_rebuttal_and_retraction(out: Path):
    page = urls.brief(CLAIM)
    doc = read_page(out, page)
    section = doc.find("section", class_="story")
    assert section is not None
    assert section.find("h2").text == "What happened next"
    items = story_items(doc)
    assert [(i.find("time").get("datetime"), i.find("span", class_="stance").text.split()[-1])
            for i in items] == [("2025-03-19", "retracts"), ("2025-03-11", "denies")]
    assert [i.find("a", class_="actor").text for i in items] == [
        "Transport Ministry", "Guild of Structural Engineers"]
    reached = []
    for item in items:
        quote = item.find_all("a")[-1]
        target, element = follow(out, page, quote.get("href"))
        assert element is not None, f"{quote.get('href')} names no element of {target}"
        assert element.tag == "mark"  # the quoted words, marked in the other brief's article
        reached.append((target, element.text))
    assert reached == [
        (urls.brief(RETRACTION), "We withdraw our earlier statement on the bridge"),
        (urls.brief(REBUTTAL), "The bridge is not sound: its main girders are corroded")]


def test_a_brief_in_the_middle_shows_later_and_earlier_responses(out: Path):
    doc = read_page(out, urls.brief(REBUTTAL))
    section = doc.find("section", class_="story")
    assert section is not None
    lists = {section.by_id(ol.get("aria-labelledby")).text: ol
             for ol in section.find_all("ol")}
    assert list(lists) == ["Later", "Earlier"]
    assert [t.get("datetime") for t in lists["Later"].find_all("time")] == ["2025-03-19"]
    assert [t.get("datetime") for t in lists["Earlier"].find_all("time")] == ["2025-03-04"]
    # the brief's own response is in its notes, not in the rest of the story
    assert all(REBUTTAL not in (a.get("href") or "") for a in section.find_all("a"))


def test_the_last_brief_shows_what_came_before(out: Path):
    doc = read_page(out, urls.brief(RETRACTION))
    assert doc.find("section", class_="story").find("h2").text == "What came before"
    assert [t.get("datetime") for t in doc.find("section", class_="story").find_all("time")] \
        == ["2025-03-11", "2025-03-04"]


@pytest.mark.parametrize(("slug", "older", "newer"), [
    (CLAIM, None, REBUTTAL), (REBUTTAL, CLAIM, RETRACTION), (RETRACTION, REBUTTAL, None)])
def test_previous_and_next_briefs_in_date_order(out: Path, slug: str, older: str | None,
                                                newer: str | None):
    page = urls.brief(slug)
    nav = read_page(out, page).find("nav", class_="brief-sequence")
    assert nav is not None
    found = {}
    for rel in ("prev", "next"):
        link = nav.find("a", rel=rel)
        found[rel] = link and follow(out, page, link.get("href"))[0]
    assert found == {"prev": older and urls.brief(older), "next": newer and urls.brief(newer)}


def test_more_responses_than_shown_link_to_the_claims_page(out: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(story, "STORY_SHOWN", 1)
    site = shutil.copytree(STORY, tmp_path / "site")
    built = build(site, tmp_path / "out", cache=False)
    doc = built.page(urls.brief(CLAIM))
    section = doc.find("section", class_="story")
    assert [t.get("datetime") for t in section.find_all("time")] == ["2025-03-19"]
    more = section.find("p", class_="meta").find("a")
    assert more.text == "1 more response on the claim’s page"
    assert follow(built.out, urls.brief(CLAIM), more.get("href"))[0] == \
        urls.claim("elm-street-bridge-is-sound")


def test_a_brief_alone_has_no_story(tmp_path: Path):
    site = write_site(tmp_path / "site", {"2025-01-01-alone": (
        "Nothing happened.\n", brief_fields("Alone", "2025-01-01"))})
    doc = build(site, cache=False).page(urls.brief("2025-01-01-alone"))
    assert doc.find("section", class_="story") is None
    assert doc.find("nav", class_="brief-sequence") is None


# --- tags ----------------------------------------------------------------------------------------


def test_a_tag_page_lists_its_briefs_newest_first(out: Path):
    doc = read_page(out, urls.tag("bridges"))
    assert doc.find("h1").text == "bridges"
    titles = [a.get("href") for a in doc.find_all("a", class_="brief-title")]
    assert [follow(out, urls.tag("bridges"), href)[0] for href in titles] == [
        urls.brief(RETRACTION), urls.brief(REBUTTAL), urls.brief(CLAIM)]
    feed = doc.find("p", class_="feeds").find("a")
    assert follow(out, urls.tag("bridges"), feed.get("href"))[0] == urls.tag_feed("bridges")
    assert doc.find("link", rel="alternate", type="application/atom+xml").get("href") == \
        feed.get("href")


def test_a_tag_with_any_characters_has_its_page_and_feed(out: Path):
    page = urls.tag(ODD_TAG)
    assert page == "tags/elm-street-rsted-4e163d92f0/index.html"
    doc = read_page(out, page)
    assert doc.find("h1").text == ODD_TAG
    assert len(doc.find_all("a", class_="brief-title")) == 2
    assert (out / urls.tag_feed(ODD_TAG)).is_file()


def test_tag_links_from_briefs_and_lists_go_to_the_tag_pages(out: Path):
    for page in (urls.brief(CLAIM), urls.listing("briefs")):
        doc = read_page(out, page)
        tags = doc.find("ul", class_="tags")
        named = {a.text: follow(out, page, a.get("href"))[0]
                 for a in tags.find_all("a") if "feed-link" not in a.classes()}
        assert named == {"bridges": urls.tag("bridges"), ODD_TAG: urls.tag(ODD_TAG)}


def test_the_tags_index_lists_every_tag_with_its_count(out: Path):
    doc = read_page(out, urls.listing("tags"))
    rows = [(li.find("a").text, li.find("span", class_="count").text)
            for li in doc.find("ul", class_="tag-index").find_all("li")]
    assert rows == [("bridges", "3 briefs"), (ODD_TAG, "2 briefs")]


def test_every_link_of_the_story_site_reaches_its_target(out: Path):
    assert broken_links(out) == []


def test_a_long_tag_is_paginated_like_the_other_lists(tmp_path: Path):
    days = [f"2025-{month:02d}-{day:02d}" for month in (1, 2) for day in range(1, 29)]
    briefs = {f"{day}-b": ("Words.\n", brief_fields(f"Brief {day}", day, tags=["long"]))
              for day in days}
    built = build(write_site(tmp_path / "site", briefs), cache=False)
    first, second = built.page(urls.tag("long")), built.page(urls.tag("long", 2))
    assert len(first.find_all("a", class_="brief-title")) == 50
    assert len(second.find_all("a", class_="brief-title")) == 6
    assert first.find("a", rel="next") is not None
    assert follow(built.out, urls.tag("long", 2), second.find("a", rel="prev").get("href"))[0] \
        == urls.tag("long")
