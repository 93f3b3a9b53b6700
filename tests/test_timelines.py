"""Linking into timelines (issue 25): every entry of an actor's or a claim's timeline has an id,
a brief's notes link each claim and response to its entries on the right page, an old
address of an entry still leads to it once the entry moved, the embeds show the latest
entries, and each timeline's TimelineJS data passes a schema written from TimelineJS's
documentation.

Checked on the example site and on a generated site whose timelines run to several pages.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from servetools import copy_example_site
from sitetools import (
    ROOT,
    Element,
    build,
    dump,
    generate_corpus,
    html_pages,
    links,
    read_page,
)

from site_builder.site import urls
from site_builder.site.timelines import TIMELINE_PAGE

SCHEMA = json.loads((Path(__file__).parent / "timelinejs.schema.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example_site(tmp_path_factory.mktemp("example") / "site")
    return build(root, cache=False).out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 generated briefs among 12 actors: timelines of three pages and more."""
    return generate_corpus(tmp_path_factory.mktemp("corpus"), 300, 12)


@pytest.fixture(scope="module")
def large(corpus: Path) -> Path:
    out = build(corpus, corpus.parent / "out", cache=False).out
    assert list(out.glob("actors/*/page/3/index.html")), "no timeline of three pages"
    return out


def entries(doc: Element) -> list[Element]:
    """A timeline page's entries: an actor's events, a claim's responses."""
    timeline = doc.find("ol", class_="timeline")
    return timeline.find_all("li", class_="event") if timeline is not None else []


def timeline_pages(out: Path) -> list[str]:
    found = [p.relative_to(out).as_posix() for p in out.glob("actors/*/**/index.html")]
    found += [p.relative_to(out).as_posix() for p in out.glob("claims/*/index.html")]
    return sorted(p for p in found if "/embed/" not in p)


@pytest.mark.parametrize("site", ["example", "large"])
def test_every_entry_has_an_id_and_a_link_to_itself(site: str, request: pytest.FixtureRequest):
    out = request.getfixturevalue(site)
    seen = 0
    for rel in timeline_pages(out):
        doc = read_page(out, rel)
        for entry in entries(doc):
            ident = entry.get("id")
            assert ident and "--" in ident, f"{rel}: an entry without an id: {entry!r}"
            link = entry.find("a", class_="permalink")
            assert link is not None and link.get("href") == f"#{ident}", rel
            assert link.get("aria-label") == "Link to this entry"
            seen += 1
    assert seen > (1000 if site == "large" else 20)


@pytest.mark.parametrize("site", ["example", "large"])
def test_every_link_from_a_brief_to_a_timeline_entry_finds_it(site: str,
                                                              request: pytest.FixtureRequest):
    out = request.getfixturevalue(site)
    pages = html_pages(out)
    briefs = {rel: doc for rel, doc in pages.items() if rel.startswith("briefs/")}
    followed, pages_seen = 0, set()
    for link in links(out, briefs):
        if link.fragment and link.target and link.target.startswith(("actors/", "claims/")):
            target = pages[link.target]
            found = target.by_id(link.fragment)
            assert found is not None, f"{link.page}: {link.value} -> no such entry"
            assert "event" in found.classes(), f"{link.page}: {link.value} -> not an entry"
            followed += 1
            pages_seen.add(link.target)
    assert followed > (1000 if site == "large" else 10)
    if site == "large":
        assert any("/page/3/" in p for p in pages_seen), "no link lands on a third page"


def test_a_link_to_an_entry_on_page_three_lands_on_page_three(large: Path):
    third = sorted(large.glob("actors/*/page/3/index.html"))[0]
    actor = third.relative_to(large).parts[1]
    shown = [e.get("id") or "" for e in entries(read_page(large, third.relative_to(large)
                                                       .as_posix()))]
    entry = next(e for e in shown if "--response-" in e or "--claim-" in e)
    slug = entry.split("--")[0]
    brief = read_page(large, urls.brief(slug))
    hrefs = [a.get("href") for a in brief.find_all("a") if a.get("href", "").endswith(entry)]
    assert f"../../actors/{actor}/page/3/#{entry}" in hrefs


def resolve(out: Path, page: str, entry: str) -> str:
    """Where the address `page#entry` leads: the page itself when it shows the entry; else
    where the page's script sends it (the entry's place in the timeline's data, its page)."""
    doc = read_page(out, page)
    if doc.by_id(entry) is not None:
        return page
    assert doc.find("script") is not None, f"{page}: no script to find moved entries"
    actor = page.split("/")[1]
    data = json.loads((out / urls.actor_timeline(actor)).read_text("utf-8"))
    place = [event["unique_id"] for event in data["events"]].index(entry)
    return urls.actor_page(actor, place // TIMELINE_PAGE + 1)


def add_briefs(site: Path, actor: str, count: int, year: int) -> None:
    """`count` briefs of `year`, each with a claim by `actor`."""
    for n in range(count):
        slug = f"added-{year}-{n:03d}"
        fields = {"title": f"Added {n}", "date": f"{year}-01-{n % 28 + 1:02d}",
                  "source": {"outlet": "Wire"},
                  "claims": [{"id": f"added-{year}-{n}", "by": actor, "text": f"Said {n}.",
                              "status": "unverified"}]}
        (site / "briefs" / f"{slug}.md").write_text(f"Text {n}.\n", encoding="utf-8")
        (site / "briefs" / f"{slug}.yaml").write_text(dump(fields), encoding="utf-8")


@pytest.mark.parametrize(("year", "moves"), [(2090, False), (1990, True)],
                         ids=["newer", "older"])
def test_an_old_address_still_leads_to_its_entry(corpus: Path, tmp_path: Path, year: int,
                                                 moves: bool):
    """100 briefs added after every other (the entries stay on their pages), or before them
    (every entry moves on a page): the addresses of the last build still lead to them."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(corpus, site)
    out = build(site, tmp_path / "out").out
    second = sorted(out.glob("actors/*/page/2/index.html"))[0].relative_to(out).as_posix()
    actor = second.split("/")[1]
    old = [e.get("id") or "" for e in entries(read_page(out, second))]
    add_briefs(site, actor, 100, year)
    build(site, tmp_path / "out")
    now = {entry: resolve(out, second, entry) for entry in old}
    for entry, page in now.items():
        assert read_page(out, page).by_id(entry) is not None, (entry, page)
    assert (set(now.values()) != {second}) is moves


@pytest.mark.parametrize("site", ["example", "large"])
def test_the_timeline_data_of_every_actor_and_claim_passes_the_schema(
        site: str, request: pytest.FixtureRequest):
    out = request.getfixturevalue(site)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    checked = 0
    for path in sorted([*out.glob("actors/*/timeline.json"), *out.glob("claims/*/timeline.json")]):
        data = json.loads(path.read_text("utf-8"))
        problems = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]
        assert problems == [], f"{path.relative_to(out)}: {problems}"
        checked += 1
    actors = [p for p in out.glob("actors/*/index.html")]
    assert checked >= len(actors) > 5


def test_the_schema_refuses_what_timelinejs_cannot_read():
    validator = jsonschema.Draft202012Validator(SCHEMA)
    good = {"events": [{"start_date": {"year": 2024, "month": 9, "day": 9},
                        "text": {"headline": "h", "text": "<p>t</p>"}, "group": "denies"}]}
    assert list(validator.iter_errors(good)) == []
    for bad in ({}, {"events": [{"text": {"headline": "no date"}}]},
                {"events": [{"start_date": {"month": 9}}]},
                {"events": [{"start_date": {"year": 2024, "month": 13}}]},
                {"events": [{"start_date": {"year": 2024}, "group": 3}]},
                {"events": [], "scale": "geological"}):
        assert list(validator.iter_errors(bad)), bad


def test_an_actors_data_lists_its_timeline_in_order(example: Path):
    data = json.loads((example / urls.actor_timeline("dmitry-peskov")).read_text("utf-8"))
    page = read_page(example, urls.actor("dmitry-peskov"))
    assert [e["unique_id"] for e in data["events"]] == [e.get("id") for e in entries(page)]
    event = data["events"][0]
    assert event["start_date"] == {"year": 2024, "month": 9, "day": 9}
    assert event["group"] == "questions"
    assert f'href="../../actors/dmitry-peskov/#{event["unique_id"]}"' in event["text"]["text"]


def test_an_embed_shows_the_latest_entries_and_links_to_them(large: Path):
    actor = sorted(large.glob("actors/*/page/3/index.html"))[0].parts[-4]
    embed = read_page(large, urls.actor_embed(actor))
    assert embed.find("header") is None and embed.find("nav") is None  # no site chrome
    base = embed.find("base")
    assert base is not None and base.get("target") == "_top"
    shown = embed.find("main").find_all("li")
    assert len(shown) == 20
    data = json.loads((large / urls.actor_timeline(actor)).read_text("utf-8"))
    latest = [e["unique_id"] for e in data["events"]][::-1][:20]
    assert [li.get("id") for li in shown] == latest
    pages = html_pages(large)
    for link in links(large, {urls.actor_embed(actor): embed}):
        if link.fragment:
            assert pages[link.target].by_id(link.fragment) is not None, link.value


@pytest.mark.parametrize("base_url", [None, "https://example.org/desk/"])
def test_the_page_shows_the_iframe_to_copy(tmp_path: Path, base_url: str | None):
    root = copy_example_site(tmp_path / "site")
    out = build(root, tmp_path / "out", base_url=base_url, cache=False).out
    for page, embed in ((urls.actor("kremlin"), urls.actor_embed("kremlin")),
                        (urls.claim("iran-sent-missiles-to-russia"),
                         urls.claim_embed("iran-sent-missiles-to-russia"))):
        code = read_page(out, page).find("details", class_="embed-code").find("code").text
        address = (base_url or "/") + urls.pretty(embed)
        assert code.startswith(f'<iframe src="{address}" title="'), code
        assert (out / embed).is_file()


def test_the_example_site_has_a_schema_for_the_docs():
    """The schema the tests use is the one docs/embeds.md points editors to."""
    assert "tests/timelinejs.schema.json" in (ROOT / "docs" / "embeds.md").read_text("utf-8")
