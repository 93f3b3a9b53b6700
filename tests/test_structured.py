"""Structured data: every page's JSON-LD block, parsed, with exact values (site/structured.py,
the theme's json_ld filter).

The example site is built for an address (`--base-url`), with a publisher, its logo and a site
image; every JSON-LD block of every page is read with `json.loads` and compared whole.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from servetools import copy_example_site, tree
from sitetools import (
    SEED_SLUG,
    actor,
    brief,
    build,
    claim,
    html_pages,
    json_ld,
    response,
    unsafe_markup,
    write_site,
)

BASE = "https://example.github.io/briefs/"
SCHEMA = "https://schema.org"
SITE_YAML = """\
title: Annotated briefs
description: News articles annotated with who claims what, who responds, and how.
language: en
image: img/card.png
publisher:
  name: Briefs Desk
  url: https://desk.example.org/
  logo: img/logo.png
"""
DATA_BLOCK = re.compile(rb'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def page_url(path: str) -> str:
    return BASE + path


def actor_ref(kind: str, name: str, ident: str) -> dict:
    return {"@type": kind, "name": name, "url": page_url(f"actors/{ident}/")}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example_site(tmp_path_factory.mktemp("structured") / "site")
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (root / "templates" / "img").mkdir(parents=True)
    for name in ("card.png", "logo.png"):
        (root / "templates" / "img" / name).write_bytes(b"\x89PNG\r\n\x1a\n")
    built = build(root, base_url=BASE, cache=False)
    assert [str(d) for d in built.diags] == []
    return built.out


@pytest.fixture(scope="module")
def blocks(example: Path) -> dict[str, list]:
    """Every page's JSON-LD blocks, parsed, by the page's path."""
    return {rel: json_ld(doc) for rel, doc in html_pages(example).items()}


def data_of(blocks: dict[str, list], rel: str) -> dict:
    found = blocks[rel]
    assert len(found) == 1, f"{rel}: {len(found)} JSON-LD blocks"
    return found[0]


def test_pages_have_one_block_each_lists_and_404_none(blocks: dict[str, list]) -> None:
    described = {rel for rel, found in blocks.items() if found}
    assert described == {"index.html", f"briefs/{SEED_SLUG}/index.html",
                         *(r for r in blocks if re.fullmatch(r"(actors|claims)/[^/]+/index\.html",
                                                             r))}
    assert all(len(found) <= 1 for found in blocks.values())
    assert all(found[0]["@context"] == SCHEMA for found in blocks.values() if found)
    assert len(described) == 1 + 1 + 17 + 3  # home, brief, actors, claims


def test_every_block_is_json_without_markup_characters(example: Path) -> None:
    for path in sorted(example.rglob("*.html")):
        for raw in DATA_BLOCK.findall(path.read_bytes()):
            assert not re.search(rb"[<>&]", raw), path
            json.loads(raw)
    assert unsafe_markup(html_pages(example)) == []


def test_the_home_page_is_the_website(blocks: dict[str, list]) -> None:
    assert data_of(blocks, "index.html") == {
        "@context": SCHEMA, "@type": "WebSite", "name": "Annotated briefs", "url": BASE,
        "description": "News articles annotated with who claims what, who responds, and how.",
        "inLanguage": "en",
        "publisher": {"@type": "Organization", "name": "Briefs Desk",
                      "url": "https://desk.example.org/", "logo": page_url("img/logo.png")},
    }


def test_the_brief_page_is_a_news_article(blocks: dict[str, list]) -> None:
    assert data_of(blocks, f"briefs/{SEED_SLUG}/index.html") == {
        "@context": SCHEMA, "@type": "NewsArticle",
        "headline": "US warns of 'consequences' if Iran sends missiles to Russia",
        "datePublished": "2024-09-09",
        "url": page_url(f"briefs/{SEED_SLUG}/"),
        "publisher": {"@type": "NewsMediaOrganization", "name": "Agence France-Presse"},
        "mentions": [  # the actors the brief involves, in order of appearance
            actor_ref("NewsMediaOrganization", "US media", "us-media"),
            actor_ref("NewsMediaOrganization", "Wall Street Journal", "wall-street-journal"),
            actor_ref("GovernmentOrganization", "Iran", "iran"),
            actor_ref("GovernmentOrganization", "Russia", "russia"),
            actor_ref("GovernmentOrganization", "Ukraine", "ukraine"),
            actor_ref("GovernmentOrganization", "North Korea", "north-korea"),
            actor_ref("Person", "Peter Stano", "peter-stano"),
            actor_ref("Organization", "European Union", "eu"),
            actor_ref("Person", "Nasser Kanani", "nasser-kanani"),
            actor_ref("Person", "Vedant Patel", "vedant-patel"),
            actor_ref("GovernmentOrganization", "United States", "united-states"),
            actor_ref("Organization", "Kremlin", "kremlin"),
            actor_ref("Person", "Dmitry Peskov", "dmitry-peskov"),
            actor_ref("NewsMediaOrganization", "Agence France-Presse", "agence-france-presse"),
        ],
    }


def test_actor_pages_by_kind(blocks: dict[str, list]) -> None:
    assert data_of(blocks, "actors/peter-stano/index.html") == {
        "@context": SCHEMA, "@type": "Person", "name": "Peter Stano",
        "url": page_url("actors/peter-stano/"), "alternateName": ["Stano"],
        "description": "Spokesman for the EU's foreign affairs and security policy.",
        "jobTitle": "EU spokesman",
        "memberOf": actor_ref("Organization", "European Union", "eu"),
    }
    assert data_of(blocks, "actors/iran-foreign-ministry/index.html") == {
        "@context": SCHEMA, "@type": "Organization", "name": "Iranian foreign ministry",
        "url": page_url("actors/iran-foreign-ministry/"),
        "alternateName": ["Iran's foreign ministry"],
        "description": "The Ministry of Foreign Affairs of the Islamic Republic of Iran.",
        "parentOrganization": actor_ref("GovernmentOrganization", "Iran", "iran"),
    }
    assert data_of(blocks, "actors/united-states/index.html") == {
        "@context": SCHEMA, "@type": "GovernmentOrganization", "name": "United States",
        "url": page_url("actors/united-states/"), "alternateName": ["Washington", "US"],
        "description": "The United States of America.",
    }
    assert data_of(blocks, "actors/kremlin/index.html") == {  # no aliases
        "@context": SCHEMA, "@type": "Organization", "name": "Kremlin",
        "url": page_url("actors/kremlin/"),
        "description": "The Russian presidency and its administration.",
        "parentOrganization": actor_ref("GovernmentOrganization", "Russia", "russia"),
    }
    assert data_of(blocks, "actors/wall-street-journal/index.html")["@type"] == \
        "NewsMediaOrganization"


FIRST_APPEARANCE = {
    "@type": "CreativeWork",
    "headline": "US warns of 'consequences' if Iran sends missiles to Russia",
    "datePublished": "2024-09-09", "url": page_url(f"briefs/{SEED_SLUG}/"),
}
DESK = {"@type": "Organization", "name": "Briefs Desk", "url": "https://desk.example.org/",
        "logo": page_url("img/logo.png")}


def test_a_claim_with_the_sites_verdict_is_a_claim_review(blocks: dict[str, list]) -> None:
    assert data_of(blocks, "claims/iran-sent-missiles-to-russia/index.html") == {
        "@context": SCHEMA, "@type": "ClaimReview",
        "url": page_url("claims/iran-sent-missiles-to-russia/"),
        "claimReviewed": "Iran has transferred ballistic missiles to Russia for use in its war "
                         "against Ukraine.",
        "author": DESK,
        "reviewRating": {"@type": "Rating", "alternateName": "Disputed"},
        "itemReviewed": {
            "@type": "Claim",
            "author": [actor_ref("NewsMediaOrganization", "US media", "us-media"),
                       actor_ref("NewsMediaOrganization", "Wall Street Journal",
                                 "wall-street-journal")],
            "datePublished": "2024-09-09",
            "firstAppearance": FIRST_APPEARANCE,
        },
    }
    confirmed = data_of(blocks, "claims/ukraine-attacked-with-shahed-drones/index.html")
    assert confirmed["reviewRating"] == {"@type": "Rating", "alternateName": "Confirmed"}
    assert confirmed["itemReviewed"]["author"] == actor_ref("GovernmentOrganization",
                                                            "Ukraine", "ukraine")


def test_an_unverified_claim_is_only_the_claim(blocks: dict[str, list]) -> None:
    assert data_of(blocks, "claims/north-korean-missile-fragments-in-ukraine/index.html") == {
        "@context": SCHEMA, "@type": "Claim",
        "url": page_url("claims/north-korean-missile-fragments-in-ukraine/"),
        "text": "Fragments of North Korean missiles have been found on Ukrainian territory.",
        "author": actor_ref("GovernmentOrganization", "Ukraine", "ukraine"),
        "datePublished": "2024-09-09",
        "firstAppearance": FIRST_APPEARANCE,
    }


def test_without_a_base_url_no_address_is_given(tmp_path: Path) -> None:
    """Addresses in structured data are absolute: without the site's address, none; the
    publisher's own address, given in site.yaml, stays."""
    root = copy_example_site(tmp_path / "site")
    (root / "site.yaml").write_text(SITE_YAML.replace("  logo: img/logo.png\n", ""),
                                    encoding="utf-8")
    built = build(root, cache=False, ok=False)
    found = {rel: json_ld(doc) for rel, doc in html_pages(built.out).items()}
    text = json.dumps(found)
    assert "example.github.io" not in text and '"logo"' not in text
    review = data_of(found, "claims/iran-sent-missiles-to-russia/index.html")
    assert review["author"] == {"@type": "Organization", "name": "Briefs Desk",
                                "url": "https://desk.example.org/"}
    assert review["itemReviewed"]["firstAppearance"] == {
        k: v for k, v in FIRST_APPEARANCE.items() if k != "url"}


def test_without_a_publisher_claims_are_not_reviewed(tmp_path: Path) -> None:
    root = copy_example_site(tmp_path / "site")
    (root / "site.yaml").write_text("title: Annotated briefs\n", encoding="utf-8")
    built = build(root, base_url=BASE, cache=False)
    found = {rel: json_ld(doc) for rel, doc in html_pages(built.out).items()}
    assert {data["@type"] for rel, blocks_ in found.items() if rel.startswith("claims/")
            for data in blocks_} == {"Claim"}
    assert "publisher" not in data_of(found, "index.html")
    assert [str(d) for d in built.diags] == [
        "site.yaml:1:1: warning: 2 claims have a verdict, but their pages carry no "
        "ClaimReview: site.yaml names no publisher to give them"]
    assert built.diags.items[0].optional


def test_the_publisher_without_url_is_the_site_itself(tmp_path: Path) -> None:
    root = copy_example_site(tmp_path / "site")
    (root / "site.yaml").write_text("publisher: {name: Briefs Desk}\n", encoding="utf-8")
    built = build(root, base_url=BASE, cache=False)
    review = json_ld(built.page("claims/iran-sent-missiles-to-russia/index.html"))[0]
    assert review["author"] == {"@type": "Organization", "name": "Briefs Desk", "url": BASE}


# --- what editors write cannot break out of the script ------------------------------------------

ESCAPEE = "</script><!--<script>alert(1)</script> & \u2028\u2029 -->"


def test_text_of_a_brief_stays_inside_its_script(tmp_path: Path) -> None:
    """A title, an author, a claim and an actor's name holding `</script>`, `<!--`, `&` and
    the line separators: each page has one data block, which reads back as those texts."""
    actors = [actor("evil", f"Evil {ESCAPEE}", "other", description=f"Bad {ESCAPEE}"),
              actor("iran", "Iran")]
    data = brief(f"Title {ESCAPEE}", "2024-01-01", f"Outlet {ESCAPEE}",
                 claims=[claim("c", "evil", f"Claim {ESCAPEE}", "Iran said it", "refuted")],
                 responses=[response("c", "iran", "denies")], tags=["a", ESCAPEE])
    data["source"]["author"] = f"Author {ESCAPEE}"
    root = write_site(tmp_path / "site", {"b": ("Iran said it.\n", data)}, actors=actors,
                      site={"title": "T", "publisher": {"name": f"Desk {ESCAPEE}"}})
    built = build(root, base_url=BASE)
    for rel in ("briefs/b/index.html", "claims/c/index.html", "actors/evil/index.html",
                "index.html"):
        raw = (built.out / rel).read_bytes()
        assert raw.count(b"</script>") == 1, rel
        assert raw.count(b"<!--") == 0, rel
        (inside,) = DATA_BLOCK.findall(raw)
        assert not re.search(rb"[<>&]|\xe2\x80[\xa8\xa9]", inside), rel
        assert json.loads(inside) == json_ld(built.page(rel))[0]
    news = json_ld(built.page("briefs/b/index.html"))[0]
    assert (news["headline"], news["author"]["name"], news["publisher"]["name"]) == (
        f"Title {ESCAPEE}", f"Author {ESCAPEE}", f"Outlet {ESCAPEE}")
    assert news["mentions"][0] == {"@type": "Thing", "name": f"Evil {ESCAPEE}",
                                   "url": page_url("actors/evil/")}
    review = json_ld(built.page("claims/c/index.html"))[0]
    assert (review["claimReviewed"], review["author"]["name"]) == (f"Claim {ESCAPEE}",
                                                                   f"Desk {ESCAPEE}")
    thing = json_ld(built.page("actors/evil/index.html"))[0]
    assert thing["description"] == "Bad </script><!--<script>alert(1)</script> & -->"
    assert unsafe_markup(built.pages()) == []


@pytest.mark.parametrize(("title", "shown"), [
    ('Title "\x07bell"', 'Title "bell"'),
    ("Back\x08space, form\x0cfeed, \x7fdelete, \x85next", "Backspace, form feed, delete,  next"),
    ("A backslash: \\b \\u0007", "A backslash: \\b \\u0007"),  # written as it is
])
def test_control_characters_do_not_reach_the_data(tmp_path: Path, title: str,
                                                  shown: str) -> None:
    root = write_site(tmp_path / "site", {"b": ("Text.\n", brief(title, "2024-01-01"))})
    built = build(root)
    raw = (built.out / "briefs/b/index.html").read_bytes()
    (inside,) = DATA_BLOCK.findall(raw)
    assert json.loads(inside)["headline"] == shown


def test_two_builds_write_the_same_bytes(tmp_path: Path, example: Path) -> None:
    root = copy_example_site(tmp_path / "site")
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (root / "templates" / "img").mkdir(parents=True)
    for name in ("card.png", "logo.png"):
        (root / "templates" / "img" / name).write_bytes(b"\x89PNG\r\n\x1a\n")
    again = build(root, tmp_path / "again", base_url=BASE, cache=False).out
    assert tree(again) == tree(example)
