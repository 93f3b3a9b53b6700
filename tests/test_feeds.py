"""The Atom feeds (site/feeds.py, templates/feed.xml.j2): valid by the W3C Feed Validator,
with stable ids, dates from the briefs, links to the quotes, one for any tag; and linked from
every page.

Feeds are parsed with xml.etree. The example site is built with and without a base URL; a
fixture site of more briefs than a feed lists has tags of every kind (`C++ / Energy`, `Éire`
in two Unicode forms, `Iran` and `iran`, `日本`, markup), and names and texts to escape.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from sitetools import (
    ROOT,
    SEED_SLUG,
    actor,
    brief,
    build,
    claim,
    generate_corpus,
    html_pages,
    ids_of,
    parse_html,
    read_page,
    response,
    unsafe_markup,
    write_site,
)
from test_render import IMG, SCRIPT, evil_site
from tools import run_feed_validator

from site_builder.site import urls
from site_builder.site.feeds import FEED_ENTRIES

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://example.org/desk/"
ATOM_TYPE = "application/atom+xml"
NO_ENTRIES = "1970-01-01T00:00:00Z"
CLAIM = "iran-sent-missiles-to-russia"

NFD_EIRE = unicodedata.normalize("NFD", "Éire")
ODD_TAGS = ["C++ / Energy", "Éire", NFD_EIRE, "Iran", "iran", "日本", "x" * 90,
            "<b>bold</b> & \"quoted\"", "ballistic-missiles"]
ODD_BRIEFS = FEED_ENTRIES + 12  # more than a feed lists


# --- building -----------------------------------------------------------------------------------


def odd_site(root: Path) -> Path:
    """Briefs over a few weeks (several a day), each with a claim by `ana` about `etat` and a
    response by `bureau` to the claim of the brief before, tagged from ODD_TAGS."""
    actors = [actor("ana", 'Ana & <Co> "Ltd"', "organization"),
              actor("bureau", "Bureau d’Études", "organization"),
              actor("etat", "État X", "state")]
    briefs = {}
    for i in range(ODD_BRIEFS):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=i // 3)
        text = (f"Ana & Co said that plan {i} works. État X was not asked. "
                f"Bureau d’Études answered that plan {i - 1} was doubtful.\n")
        fields = brief(f"Plan {i} <review> & “more”", day, outlet="Wire & Co",
                       summary=f"Plan **{i}** and [its source](https://example.com/p?a=1&b={i}).",
                       tags=[ODD_TAGS[i % len(ODD_TAGS)], ODD_TAGS[(i * 5 + 1) % len(ODD_TAGS)]],
                       claims=[claim(f"plan-{i}", "ana", f"Plan {i} works, & <well>.",
                                     f"plan {i} works", about=["etat"])])
        if i:
            fields["responses"] = [response(f"plan-{i - 1}", "bureau", "disputes",
                                            f"plan {i - 1} was doubtful",
                                            note="Says *why* & how.")]
        briefs[f"{day.isoformat()}-plan-{i}"] = (text, fields)
    site = {"title": "Odd & <Desk>", "description": "Plans & “quotes”.", "language": "fr-CA"}
    return write_site(root, briefs, actors, site)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built for its base URL."""
    return build(ROOT, tmp_path_factory.mktemp("example") / "out", BASE, cache=False).out


@pytest.fixture(scope="module")
def example_local(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built without a base URL."""
    return build(ROOT, tmp_path_factory.mktemp("local") / "out", cache=False).out


@pytest.fixture(scope="module")
def odd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = odd_site(tmp_path_factory.mktemp("odd") / "site")
    return build(root, root / "output", BASE, cache=False).out


@pytest.fixture(scope="module")
def evil(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """test_render's site of markup and script in every field."""
    root = evil_site(tmp_path_factory.mktemp("evil") / "site")
    return build(root, root / "output", BASE, cache=False).out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark corpus's generator, a site of a hundred briefs."""
    root = generate_corpus(tmp_path_factory.mktemp("corpus"), 100, 40)
    return build(root, root / "output", BASE, cache=False).out


# --- reading feeds ------------------------------------------------------------------------------


def feed_files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob(urls.FEED_FILE))


def read_feed(out: Path, rel: str) -> ET.Element:
    root = ET.fromstring((out / rel).read_bytes())
    assert root.tag == f"{ATOM}feed", rel
    return root


def entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


def text(element: ET.Element, name: str) -> str:
    found = element.find(f"{ATOM}{name}")
    assert found is not None and found.text is not None, name
    return found.text


def link(element: ET.Element, rel: str) -> str | None:
    found = [e.get("href") for e in element.findall(f"{ATOM}link") if e.get("rel") == rel]
    assert len(found) <= 1, rel
    return found[0] if found else None


def ids(feed: ET.Element) -> list[str]:
    return [text(e, "id") for e in entries(feed)]


def local(out: Path, url: str, base: str | None, feed: str) -> tuple[str, str]:
    """The file of the output an address of a feed reaches, and its #fragment: a full address
    under `base`, or without a base URL an address relative to the feed."""
    parts = urlsplit(url)
    if base is not None:
        assert url.startswith(base), url
        path = parts.path.removeprefix(urlsplit(base).path)
    else:
        assert not parts.scheme and not parts.netloc, url
        path = posixpath.normpath(posixpath.join(posixpath.dirname(feed), parts.path))
        path += "/" if parts.path.endswith("/") else ""  # a folder (normpath drops the /)
    if path == "" or path.endswith("/"):
        path += "index.html"
    assert (out / path).is_file(), url
    return path, parts.fragment


# --- the validator ------------------------------------------------------------------------------


@pytest.mark.parametrize("site", ["example", "example_local", "odd", "evil", "corpus"])
def test_every_feed_passes_the_w3c_feed_validator(site: str,
                                                  request: pytest.FixtureRequest) -> None:
    out = request.getfixturevalue(site)
    found = feed_files(out)
    code, report = run_feed_validator([out])
    last = report.strip().splitlines()[-1]
    assert code == 0, report
    assert re.fullmatch(rf"feeds: {len(found)} files, 0 errors, \d+ warnings", last), report


# --- what each feed lists -----------------------------------------------------------------------


def test_the_sites_feed_lists_its_briefs(example: Path) -> None:
    feed = read_feed(example, "feed.xml")
    assert text(feed, "id") == link(feed, "self") == BASE + "feed.xml"
    assert link(feed, "alternate") == BASE
    assert text(feed, "title") == "Latest briefs · Annotated briefs"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert text(feed.find(f"{ATOM}author"), "name") == "Annotated briefs"
    [entry] = entries(feed)
    page = f"{BASE}briefs/{SEED_SLUG}/"
    assert text(entry, "id") == link(entry, "alternate") == page
    assert text(entry, "title") == "US warns of 'consequences' if Iran sends missiles to Russia"
    assert text(entry, "updated") == text(feed, "updated") == "2024-09-09T00:00:00Z"
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == \
        ["iran", "russia", "ukraine", "ballistic-missiles", "sanctions"]
    content = entry.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    assert "<p>The EU says allies have shared" in (content.text or "")


def test_an_actors_feed_lists_its_claims_and_responses(example: Path) -> None:
    stano = read_feed(example, "actors/peter-stano/feed.xml")
    assert text(stano, "id") == BASE + "actors/peter-stano/feed.xml"
    assert link(stano, "alternate") == BASE + "actors/peter-stano/"
    page = f"{BASE}briefs/{SEED_SLUG}/"
    # newest first: on one day, in the reverse of the brief's order
    assert ids(stano) == [page + "#response-2", page + "#response-1"]
    assert [text(e, "title") for e in entries(stano)] == [
        f"Peter Stano {stance}: Iran has transferred ballistic missiles to Russia for use in its "
        "war against Ukraine." for stance in ("warns", "supports")]
    for entry in entries(stano):
        assert text(entry.find(f"{ATOM}author"), "name") == "Peter Stano"
        assert link(entry, "related") == f"{BASE}claims/{CLAIM}/"

    # a claim about the actor is in its feed, as the claim's own entry
    iran = read_feed(example, "actors/iran/feed.xml")
    assert ids(iran) == [f"{BASE}claims/ukraine-attacked-with-shahed-drones/",
                         f"{BASE}claims/{CLAIM}/"]
    assert [text(a, "name") for a in entries(iran)[1].findall(f"{ATOM}author")] == \
        ["US media", "Wall Street Journal"]


def test_an_actor_with_nothing_to_list_has_an_empty_feed(example: Path) -> None:
    feed = read_feed(example, "actors/us-state-department/feed.xml")
    assert entries(feed) == []
    assert text(feed, "updated") == NO_ENTRIES


def test_a_claims_feed_lists_the_claim_and_its_responses(example: Path) -> None:
    feed = read_feed(example, f"claims/{CLAIM}/feed.xml")
    assert link(feed, "alternate") == f"{BASE}claims/{CLAIM}/"
    page = f"{BASE}briefs/{SEED_SLUG}/"
    assert ids(feed) == [page + f"#response-{n}" for n in range(10, 0, -1)] + \
        [f"{BASE}claims/{CLAIM}/"]
    assert text(entries(feed)[-1], "title") == \
        "Iran has transferred ballistic missiles to Russia for use in its war against Ukraine."
    assert text(entries(feed)[0].find(f"{ATOM}author"), "name") == "Dmitry Peskov"


@pytest.mark.parametrize("site", ["example", "odd"])
def test_entries_link_to_their_quotes(site: str, request: pytest.FixtureRequest) -> None:
    """Each entry's alternate link reaches its brief's page, and for a claim or a response,
    the element of that page marking its quote (or its note)."""
    out = request.getfixturevalue(site)
    pages = html_pages(out)
    for rel in feed_files(out):
        for entry in entries(read_feed(out, rel)):
            page, fragment = local(out, link(entry, "alternate") or "", BASE, rel)
            assert page.startswith("briefs/"), page
            if fragment:
                assert fragment in ids_of(pages[page]), (rel, fragment)
                marks = [e for e in pages[page].find_all("mark") if e.get("id") == fragment]
                assert marks, f"{rel}: #{fragment} is not the quote's mark"


def test_feeds_list_the_newest_entries_first(odd: Path) -> None:
    feed = read_feed(odd, "feed.xml")
    slugs = sorted((p.stem for p in (odd.parent / "briefs").glob("[!_]*.yaml")), reverse=True)
    assert ids(feed) == [f"{BASE}briefs/{slug}/" for slug in slugs[:FEED_ENTRIES]]
    dates = [text(e, "updated") for e in entries(feed)]
    assert dates == sorted(dates, reverse=True)
    assert text(feed, "updated") == dates[0]
    ana = read_feed(odd, "actors/ana/feed.xml")
    assert len(entries(ana)) == FEED_ENTRIES
    assert text(entries(ana)[0], "id") == f"{BASE}claims/plan-{ODD_BRIEFS - 1}/"


def test_text_is_escaped_and_read_back_as_written(odd: Path) -> None:
    feed = read_feed(odd, "claims/plan-3/feed.xml")
    assert text(feed, "title") == "Responses to the claim “Plan 3 works, & <well>.” · Odd & <Desk>"
    assert feed.find(f"{ATOM}subtitle") is None  # the site's feed only
    claim_entry, = (e for e in entries(feed) if text(e, "id").endswith("/claims/plan-3/"))
    assert text(claim_entry.find(f"{ATOM}author"), "name") == 'Ana & <Co> "Ltd"'
    site = read_feed(odd, "feed.xml")
    assert text(site, "subtitle") == "Plans & “quotes”."
    assert text(entries(site)[0], "title") == f"Plan {ODD_BRIEFS - 1} <review> & “more”"
    content = entries(site)[0].find(f"{ATOM}content")
    assert content is not None
    assert '<a href="https://example.com/p?a=1&amp;b=' in (content.text or "")


def test_markup_in_every_field_is_text_in_the_feeds(evil: Path) -> None:
    """Markup and script in every field: each title and name is read back as the text written,
    and the HTML of each entry's content holds no element of theirs."""
    for rel in feed_files(evil):
        feed = read_feed(evil, rel)
        assert text(feed, "title").startswith(("Latest briefs · site title <script>",
                                               "Evil <b>Actor</b>: claims", "Other: claims",
                                               "Responses to the claim “claim text <script>",
                                               "Briefs tagged tag <script>",
                                               "Briefs tagged plain")), rel
        for entry in entries(feed):
            content = entry.find(f"{ATOM}content")
            assert content is not None and content.text
            doc = parse_html(content.text)
            assert doc.errors == [] and unsafe_markup({rel: doc}) == [], rel
            assert doc.find_all("img") == [] and doc.find_all("b") == [], rel
    entry = entries(read_feed(evil, "feed.xml"))[0]
    assert text(entry, "title").startswith(f"title {SCRIPT} {IMG}")
    assert text(entry.find(f"{ATOM}author"), "name").startswith(f"outlet {SCRIPT}")
    assert f"summary {SCRIPT}" in parse_html(entry.find(f"{ATOM}content").text).text  # type: ignore[union-attr]


# --- tags ---------------------------------------------------------------------------------------


def test_every_tag_has_a_feed_of_its_briefs(odd: Path) -> None:
    root = odd.parent
    for tag in ODD_TAGS:
        rel = urls.tag_feed(tag)
        assert re.fullmatch(r"tags/[a-z0-9-]+/feed\.xml", rel), rel
        feed = read_feed(odd, rel)
        assert link(feed, "alternate") == BASE + urls.pretty(urls.tag(tag))  # the tag's page
        assert text(feed, "id") == link(feed, "self") == BASE + rel
        shown = [text(e, "id").removeprefix(f"{BASE}briefs/").rstrip("/") for e in entries(feed)]
        same = [t for t in ODD_TAGS if urls.tag_feed(t) == rel]  # Éire's two forms
        wanted = sorted({s for t in same for s in tagged_by(root, t)}, reverse=True)
        assert shown == wanted[:FEED_ENTRIES], tag
        for entry in entries(feed):
            terms = [c.get("term") for c in entry.findall(f"{ATOM}category")]
            assert any(t in terms for t in same)
    assert urls.tag_feed("Éire") == urls.tag_feed(NFD_EIRE)
    assert urls.tag_feed("Iran") != urls.tag_feed("iran")
    assert urls.tag_feed("ballistic-missiles") == "tags/ballistic-missiles/feed.xml"
    # the sources are read in one Unicode form: Éire typed either way is one tag
    assert text(read_feed(odd, urls.tag_feed("Éire")), "title") == \
        "Briefs tagged Éire · Odd & <Desk>"


def test_tags_given_one_folder_share_its_feed(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Were two tags to get one folder (equal digests), one feed lists the briefs of both."""
    monkeypatch.setattr(urls, "tag_slug", lambda tag: tag.lower().encode().hex())
    root = odd_site(tmp_path / "site")
    out = build(root, tmp_path / "out", BASE, cache=False).out
    rel = urls.tag_feed("iran")
    assert rel == urls.tag_feed("Iran")
    feed = read_feed(out, rel)
    assert text(feed, "title") == "Briefs tagged Iran or iran · Odd & <Desk>"
    shown = [text(e, "id").removeprefix(f"{BASE}briefs/").rstrip("/") for e in entries(feed)]
    both = {*tagged_by(root, "Iran"), *tagged_by(root, "iran")}
    assert shown == sorted(both, reverse=True)[:FEED_ENTRIES]
    assert len(shown) == len(set(shown))
    tags = {unicodedata.normalize("NFC", t) for t in ODD_TAGS}
    assert len(feed_files(out / "tags")) == len({urls.tag_feed(t) for t in tags})


def tagged_by(root: Path, tag: str) -> list[str]:
    """The slugs of the briefs whose YAML lists `tag`."""
    found = []
    for path in (root / "briefs").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and tag in data.get("tags", []):
            found.append(path.stem)
    return found


def test_tag_folders_are_safe_stable_and_apart() -> None:
    assert urls.tag_slug("ballistic-missiles") == "ballistic-missiles"
    assert urls.tag_slug("C++ / Energy") == "c-energy-99996eacc4"
    assert urls.tag_slug("Éire") == urls.tag_slug(NFD_EIRE) == "eire-63f75f0376"
    assert urls.tag_slug("Iran") == "iran-9964b8e24f"
    assert urls.tag_slug("日本") == "a376300a18"
    assert urls.tag_slug("a--b") != "a-b"
    long = urls.tag_slug("x" * 90)
    assert long.startswith("x" * urls.TAG_SLUG_MAX + "-") and len(long) == urls.TAG_SLUG_MAX + 11
    slugs = {urls.tag_slug(t) for t in ODD_TAGS if t != NFD_EIRE}
    assert len(slugs) == len(ODD_TAGS) - 1
    assert len({s.lower() for s in slugs}) == len(slugs)  # apart where case is not told apart


# --- ids and dates ------------------------------------------------------------------------------


def test_two_builds_write_the_same_feeds(odd: Path, tmp_path: Path) -> None:
    again = build(odd.parent, tmp_path / "again", BASE, cache=False).out
    assert feed_files(again) == feed_files(odd)
    for rel in feed_files(odd):
        assert (again / rel).read_bytes() == (odd / rel).read_bytes(), rel


def test_without_a_base_url_feeds_link_relatively_with_stable_ids(example_local: Path,
                                                                  tmp_path: Path) -> None:
    out = example_local
    again = build(ROOT, tmp_path / "again", cache=False).out
    seen: set[str] = set()
    for rel in feed_files(out):
        feed = read_feed(out, rel)
        assert (again / rel).read_bytes() == (out / rel).read_bytes()
        feed_ids = [text(feed, "id"), *ids(feed)]
        assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", i) for i in feed_ids), rel
        assert text(feed, "id") not in seen
        seen.add(text(feed, "id"))
        assert local(out, link(feed, "self") or "", None, rel)[0] == rel
        for entry in entries(feed):
            page, fragment = local(out, link(entry, "alternate") or "", None, rel)
            assert not fragment or fragment in ids_of(read_page(out, page))
    # an entry is one id in every feed that lists it
    stano = read_feed(out, "actors/peter-stano/feed.xml")
    claim_feed = read_feed(out, f"claims/{CLAIM}/feed.xml")
    assert set(ids(stano)) < set(ids(claim_feed))


# --- pages link their feeds ---------------------------------------------------------------------


def head_feeds(out: Path, page: str) -> list[tuple[str | None, str | None]]:
    doc = read_page(out, page)
    head = doc.find("head")
    assert head is not None
    return [(e.get("title"), e.get("href")) for e in head.find_all("link", rel="alternate")
            if e.get("type") == ATOM_TYPE]


def test_pages_announce_their_feeds_in_the_head(example_local: Path) -> None:
    out = example_local
    site_feed = ("Latest briefs · Annotated briefs", "feed.xml")
    assert head_feeds(out, "index.html") == [site_feed]
    assert head_feeds(out, "claims/index.html") == [("Latest briefs · Annotated briefs",
                                                     "../feed.xml")]
    up = "../../"
    # a brief's page: the site's feed; its tags' feeds are shown in its list of tags
    assert head_feeds(out, f"briefs/{SEED_SLUG}/index.html") == [
        (site_feed[0], up + "feed.xml")]
    assert head_feeds(out, "actors/iran/index.html") == [
        ("Iran: claims and responses · Annotated briefs", up + "actors/iran/feed.xml"),
        (site_feed[0], up + "feed.xml")]
    assert head_feeds(out, f"claims/{CLAIM}/index.html")[0] == (
        "Responses to the claim “Iran has transferred ballistic missiles to Russia for use in "
        "its war against Ukraine.” · Annotated briefs", f"{up}claims/{CLAIM}/feed.xml")
    assert head_feeds(out, "404.html") == [(site_feed[0], "/feed.xml")]


def test_pages_show_a_link_to_their_feeds(example_local: Path) -> None:
    out = example_local
    for rel, doc in html_pages(out).items():
        if rel.endswith("/embed/index.html"):  # an embed, in another site's page, has no footer
            continue
        footer = doc.find("footer")
        assert footer is not None
        [visible] = footer.find_all("a", class_="feed-link")
        assert visible.text == "Atom feed of the latest briefs", rel
    actor_page = read_page(out, "actors/iran/index.html")
    [follow] = actor_page.find("main").find_all("a", class_="feed-link")  # type: ignore[union-attr]
    assert follow.text == "Atom feed of the claims and responses of Iran"
    assert follow.get("href") == "../../actors/iran/feed.xml"
    claim_page = read_page(out, f"claims/{CLAIM}/index.html")
    [follow] = claim_page.find("main").find_all("a", class_="feed-link")  # type: ignore[union-attr]
    assert (follow.text, follow.get("href")) == \
        ("Atom feed of the responses to this claim", f"../../claims/{CLAIM}/feed.xml")
    tags = read_page(out, f"briefs/{SEED_SLUG}/index.html").find("ul", class_="tags")
    assert tags is not None
    assert [(a.get("aria-label"), a.get("href"))
            for a in tags.find_all("a", class_="feed-link")] == [
        (f"Atom feed of the tag {t}", f"../../tags/{t}/feed.xml")
        for t in ("iran", "russia", "ukraine", "ballistic-missiles", "sanctions")]


def test_the_sitemap_lists_no_feed(example: Path) -> None:
    sitemap = (example / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE}</loc>" in sitemap
    assert "feed.xml" not in sitemap


# --- the theme's templates ----------------------------------------------------------------------


def test_a_site_overrides_the_feed_templates(tmp_path: Path) -> None:
    root = odd_site(tmp_path / "site")
    templates = root / "templates"
    templates.mkdir()
    (templates / "feeds.html").write_text(
        "{% macro feed_title(feed, site) %}Our {{ feed.kind }} feed{% endmacro %}\n",
        encoding="utf-8")
    (templates / "feed.xml.j2").write_text(
        '{% extends "theme/feed.xml.j2" %}\n', encoding="utf-8")
    out = build(root, tmp_path / "out", BASE, cache=False).out
    assert text(read_feed(out, "actors/ana/feed.xml"), "title") == "Our actor feed"
    assert head_feeds(out, "actors/ana/index.html")[0] == \
        ("Our actor feed", "../../actors/ana/feed.xml")

    (templates / "feed.xml.j2").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>{{ feed.path }}</title></feed>\n", encoding="utf-8")
    out = build(root, tmp_path / "out", BASE, cache=False).out
    assert text(read_feed(out, "feed.xml"), "title") == "feed.xml"
