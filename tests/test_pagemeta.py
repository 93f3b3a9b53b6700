"""What each page says about itself in its <head>: description, Open Graph, Twitter card
(site/pagemeta.py, text/summaries.py, templates/meta.html)."""

from __future__ import annotations

from pathlib import Path

import pytest
from servetools import copy_example_site
from sitetools import SEED_SLUG, Element, actor, brief, build, claim, html_pages, write_site
from tools import run_vnu

from site_builder.site.pagemeta import og_locale
from site_builder.text.readertext import make_markdown
from site_builder.text.summaries import cut, plain_text

BASE = "https://example.github.io/briefs/"
SITE_DESCRIPTION = "News articles annotated with who claims what, who responds, and how."
# The example brief's summary, cut at the last word that keeps it within 200 characters.
SEED_DESCRIPTION = (
    'The EU says allies have shared "credible" intelligence that Iran has delivered ballistic '
    "missiles to Russia, as first reported by US media. Brussels and Washington warn that such "
    "a transfer would be…")


def head(doc: Element) -> dict[str, list[str]]:
    """The page's <meta> tags: each name or property, with its values in order."""
    found: dict[str, list[str]] = {}
    for meta in doc.find("head").find_all("meta"):
        key = meta.get("property") or meta.get("name")
        if key and key not in ("viewport", "color-scheme"):
            found.setdefault(key, []).append(meta.get("content") or "")
    return found


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, published at an address, in Brazilian Portuguese, with an image."""
    root = copy_example_site(tmp_path_factory.mktemp("pagemeta") / "site")
    site_yaml = (root / "site.yaml").read_text(encoding="utf-8")
    (root / "site.yaml").write_text(site_yaml.replace("language: en", "language: pt-BR")
                                    + "image: img/card.png\n", encoding="utf-8")
    (root / "templates" / "img").mkdir(parents=True)
    (root / "templates" / "img" / "card.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    built = build(root, base_url=BASE, cache=False)
    assert [str(d) for d in built.diags] == []
    return built.out


def test_the_brief_page_is_an_article(example: Path) -> None:
    doc = html_pages(example)[f"briefs/{SEED_SLUG}/index.html"]
    title = "US warns of 'consequences' if Iran sends missiles to Russia · Annotated briefs"
    assert head(doc) == {
        "description": [SEED_DESCRIPTION],
        "og:description": [SEED_DESCRIPTION],
        "og:title": [title],
        "og:site_name": ["Annotated briefs"],
        "og:type": ["article"],
        "og:url": [f"{BASE}briefs/{SEED_SLUG}/"],
        "og:locale": ["pt_BR"],
        "og:image": [f"{BASE}img/card.png"],
        "article:published_time": ["2024-09-09"],
        "article:tag": ["iran", "russia", "ukraine", "ballistic-missiles", "sanctions"],
        "twitter:card": ["summary"],
    }
    assert doc.find("link", rel="canonical").get("href") == f"{BASE}briefs/{SEED_SLUG}/"


def test_actor_claim_and_list_pages_describe_themselves(example: Path) -> None:
    pages = html_pages(example)
    peskov = head(pages["actors/dmitry-peskov/index.html"])
    assert peskov["description"] == peskov["og:description"] == [
        "Press secretary of the Russian president."]
    assert peskov["og:type"] == ["website"]
    assert "article:published_time" not in peskov and "article:tag" not in peskov
    claim_page = head(pages["claims/ukraine-attacked-with-shahed-drones/index.html"])
    assert claim_page["description"] == [
        "Russia attacks Ukraine almost daily with Iranian-designed Shahed drones."]
    for rel in ("index.html", "briefs/index.html", "actors/index.html", "claims/index.html",
                "404.html"):
        meta = head(pages[rel])
        assert meta["description"] == meta["og:description"] == [SITE_DESCRIPTION], rel
        assert (meta["og:type"], meta["twitter:card"]) == (["website"], ["summary"]), rel
        assert meta["og:image"] == [f"{BASE}img/card.png"], rel
    assert "og:url" not in head(pages["404.html"])  # it is shown at any address


def test_every_page_with_all_its_tags_is_valid_html(example: Path) -> None:
    messages = [m for m in run_vnu(sorted(example.rglob("*.html"))) if m.get("type") != "info"]
    assert messages == []


def test_descriptions_of_a_site_without_summaries(tmp_path: Path) -> None:
    """Without a summary, a brief is described by its article's first paragraph (a heading is
    not one); an actor by its description as plain text, else its role, else the site's."""
    article = ("# The heading\n\nThe **first** paragraph, with [a link](https://x.org) and "
               "`code`,\nover two lines.\n\nThe second paragraph.\n")
    actors = [actor("a", "A", "person", description="*Marked* [up](https://x.org)."),
              actor("b", "B", "person", role="Spokesman"), actor("c", "C")]
    data = brief("B", "2024-01-01", claims=[claim("c1", ["a", "b", "c"], "Said.")])
    built = build(write_site(tmp_path / "site", {"b": (article, data)}, actors=actors,
                             site={"description": "The site."}))
    described = {rel: head(built.page(rel))["description"] for rel in (
        "briefs/b/index.html", "actors/a/index.html", "actors/b/index.html",
        "actors/c/index.html")}
    assert described == {
        "briefs/b/index.html": ["The first paragraph, with a link and code, over two lines."],
        "actors/a/index.html": ["Marked up."],
        "actors/b/index.html": ["Spokesman"],
        "actors/c/index.html": ["The site."],
    }


def test_a_page_without_any_description_has_none(tmp_path: Path) -> None:
    built = build(write_site(tmp_path / "site", {"b": ("# Only a heading\n", brief(
        "B", "2024-01-01"))}))
    meta = head(built.page("briefs/b/index.html"))
    assert "description" not in meta and "og:description" not in meta
    assert "og:url" not in meta and "og:image" not in meta and "og:locale" not in meta


def test_an_absolute_image_is_used_as_it_is_even_without_a_base_url(tmp_path: Path) -> None:
    built = build(write_site(tmp_path / "site", {"b": ("Text.\n", brief("B", "2024-01-01"))},
                             site={"image": "https://cdn.example.org/card.png?v=2"}))
    assert head(built.page("index.html"))["og:image"] == ["https://cdn.example.org/card.png?v=2"]


def test_a_site_image_with_a_path_needs_the_base_url(tmp_path: Path) -> None:
    built = build(write_site(tmp_path / "site", {"b": ("Text.\n", brief("B", "2024-01-01"))},
                             site={"image": "card ä.png".replace(" ", "-")},
                             files={"templates/card-ä.png": "png"}))
    assert "og:image" not in head(built.page("index.html"))
    built = build(built.out.parent, tmp_path / "published", base_url=BASE)
    assert head(built.page("index.html"))["og:image"] == [f"{BASE}card-%C3%A4.png"]


# --- cutting a description at a word ------------------------------------------------------------


def test_a_short_text_is_kept_whole() -> None:
    text = "word " * 39 + "end."  # 199 characters
    assert cut(text) == text
    assert cut("x" * 200) == "x" * 200


def test_a_long_text_is_cut_at_the_last_word_that_fits() -> None:
    text = ("abcd " * 60).strip()  # 299 characters, a space every fifth
    assert cut(text) == "abcd " * 39 + "abcd…"
    assert len(cut(text)) == 200
    assert cut("a" * 170 + ", " + "b" * 100) == "a" * 170 + "…"  # the comma goes too
    assert cut("a" * 100 + " " + "b" * 150) == "a" * 100 + " " + "b" * 98 + "…"  # too short
    assert cut("a" * 300) == "a" * 199 + "…"


def test_markdown_as_plain_text() -> None:
    md = make_markdown()
    assert plain_text(md, "*One*  two\n\n- three\n- [four](https://x.org)") == \
        "One two three four"
    assert plain_text(md, "<b>raw</b> &amp;") == "<b>raw</b> &"


def test_locales_only_for_tags_with_a_region() -> None:
    assert [og_locale(tag) for tag in ("pt-BR", "en-gb", "en", "zh-Hant", "es-419")] == [
        "pt_BR", "en_GB", None, None, None]


def test_a_site_adds_to_the_meta_block(tmp_path: Path) -> None:
    """As theme.md shows: the theme's base.html extended, its block `meta` kept and added to."""
    base = ('{% extends "theme/base.html" %}\n{% block meta %}{% include "theme/meta.html" %}'
            '<meta name="author" content="Briefs Desk">{% endblock %}\n')
    built = build(write_site(tmp_path / "site", {"b": ("Text.\n", brief("B", "2024-01-01"))},
                             files={"templates/base.html": base}))
    meta = head(built.page("briefs/b/index.html"))
    assert (meta["author"], meta["og:type"], meta["description"]) == (
        ["Briefs Desk"], ["article"], ["Text."])
