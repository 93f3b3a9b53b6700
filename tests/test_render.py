"""Rendering pages (site_builder/theme/render.py): escaping, pagination, the 404 page, templates."""

from __future__ import annotations

import math
import re
from pathlib import Path

import jinja2
import pytest
from sitetools import (
    actor,
    brief,
    broken_links,
    build,
    checked_site,
    claim,
    html_pages,
    links,
    output_files,
    response,
    unsafe_markup,
    write_site,
)

from site_builder.base.diagnostics import Diagnostic, Diagnostics
from site_builder.site.index import build_index
from site_builder.site.pages import PER_PAGE, plan_pages
from site_builder.site.views import SiteIndex
from site_builder.text.readertext import make_markdown
from site_builder.theme.render import make_environment, render_page, template_error, theme_files


def render_site(index: SiteIndex, env: jinja2.Environment, diags: Diagnostics,
                root: Path) -> dict[str, bytes]:
    """Every page of the site and the theme's assets, rendered in memory; nothing when a
    template failed."""
    pages: dict[str, bytes] = {}
    for spec in plan_pages(index):
        try:
            pages[spec.path] = render_page(spec, env)
        except jinja2.TemplateError as exc:
            diags.extend([template_error(exc, spec.path, root)])
            return {}
    files = theme_files(root)
    if isinstance(files, Diagnostic):
        diags.extend([files])
        return {}
    return {**pages, **files}


# --- markup in every field comes out as text ----------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
ATTR = '" onmouseover="alert(3)" x="'
MARKDOWN_JS = "[click](javascript:alert(4)) <javascript:alert(5)> [x](JAVASCRIPT:alert(6))"


def evil(label: str) -> str:
    """A payload that tries every way out of text: tags, attributes, script links."""
    return f"{label} {SCRIPT} {IMG} {ATTR} {MARKDOWN_JS}"


ARTICLE = f"""\
# Heading {SCRIPT}

The Evil <b>Actor</b> said {SCRIPT} and <img src=x onerror=alert(7)> here.

<script>alert(8)</script>

<div onclick="alert(9)">raw block</div>

Links: [a](javascript:alert(10)), [b](  javascript:alert(11)), <javascript:alert(12)>,
[c](java&#x73;cript:alert(13)), [d](vbscript:msgbox(14)),
[e](data:text/html,<script>alert(15)</script>), ![img](javascript:alert(16))
and <a href="javascript:alert(17)">raw link</a>.

Quoted: {ATTR} end.
"""


def evil_site(root: Path) -> Path:
    actors = [actor("evil", "Evil <b>Actor</b>", "person", role=evil("role"),
                    description=evil("description"), aliases=[evil("alias")]),
              actor("other", "Other", "organization", description=evil("other"))]
    data = brief(
        evil("title"), "2024-01-01", evil("outlet"),
        summary=evil("summary"), tags=[evil("tag"), "plain"],
        claims=[claim("c", "evil", evil("claim text"), f"said {SCRIPT} and")],
        responses=[response("c", "other", "evil-stance", {"exact": ATTR.strip(),
                                                          "prefix": "Quoted:"},
                            note=evil("note"))])
    data["source"] = {"outlet": evil("outlet"), "author": evil("author"),
                      "url": 'https://example.org/a"><script>alert(18)</script>'}
    site = {"title": evil("site title"), "description": evil("site description"),
            "stances": {"evil-stance": {"polarity": "-", "meaning": evil("meaning")}}}
    return write_site(root, {"b": (ARTICLE, data)}, actors=actors, site=site)


@pytest.fixture(scope="module")
def evil_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = evil_site(tmp_path_factory.mktemp("evil") / "site")
    built = build(root)
    assert broken_links(built.out) == []
    return html_pages(built.out)


def test_markup_in_every_field_comes_out_as_text(evil_pages: dict) -> None:
    assert unsafe_markup(evil_pages) == []
    for rel, doc in evil_pages.items():
        assert doc.errors == [], rel
        assert doc.find_all("img") == [], rel
        assert doc.find_all("b") == [], rel


def test_every_payload_is_shown_as_text(evil_pages: dict) -> None:
    brief_page = evil_pages["briefs/b/index.html"].text
    for label in ("title", "outlet", "author", "summary", "tag", "claim text", "note",
                  "site title"):
        assert f"{label} {SCRIPT} {IMG}" in brief_page, label
    assert "The Evil <b>Actor</b> said <script>alert(1)</script>" in brief_page
    assert "<script>alert(8)</script>" in brief_page
    assert "javascript:alert(10)" in brief_page  # left as words, not a link
    actor_page = evil_pages["actors/evil/index.html"].text
    for label in ("role", "description", "alias"):
        assert f"{label} {SCRIPT} {IMG}" in actor_page, label
    assert "Evil <b>Actor</b>" in actor_page
    head = evil_pages["index.html"].find("meta", name="description")
    assert head is not None and head.get("content").startswith(f"site description {SCRIPT}")


def test_stance_meaning_is_an_attribute_value_only(evil_pages: dict) -> None:
    titles = [e.get("title") for e in evil_pages["claims/c/index.html"].iter()
              if (e.get("title") or "").startswith("meaning")]
    assert titles and all(ATTR in t for t in titles)


def test_source_url_stays_inside_its_attribute(evil_pages: dict) -> None:
    links = [a for a in evil_pages["briefs/b/index.html"].find_all("a")
             if (a.get("href") or "").startswith("https://example.org/a")]
    assert links
    assert {a.get("href") for a in links} == {'https://example.org/a"><script>alert(18)</script>'}


def test_quote_with_markup_is_marked_as_text(evil_pages: dict) -> None:
    page = evil_pages["briefs/b/index.html"]
    marks = page.find_all("mark")
    assert "".join(m.text for m in marks if "claim-c" in m.get("data-annotation")) == \
        f"said {SCRIPT} and"
    assert any(ATTR.strip() in m.text for m in marks)


# --- pagination -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """More briefs, claims and timeline entries than a page holds."""
    n_briefs = PER_PAGE["briefs"] + 1
    n_claims = max(PER_PAGE["claims"], PER_PAGE["timeline"]) + 1
    briefs = {}
    for i in range(n_briefs):
        day = f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}"
        briefs[f"brief-{i:03d}"] = (f"Iran spoke, number {i}.\n", brief(
            f"Brief {i}", day, responses=[response("claim-000", "eu", "questions")]))
    text = " ".join(f"Claim {i} is made." for i in range(n_claims)) + "\n"
    briefs["many-claims"] = (text, brief("Many claims", "2023-12-31", claims=[
        claim(f"claim-{i:03d}", "iran", f"Claim {i}.", f"Claim {i} is made")
        for i in range(n_claims)]))
    root = write_site(tmp_path_factory.mktemp("long") / "site", briefs, actors=[
        actor("iran", "Iran"), actor("eu", "European Union", "organization")])
    build(root)
    return root / "output"


def page_count(total: int, section: str) -> int:
    return math.ceil(total / PER_PAGE[section])


def test_long_lists_are_split_into_pages(long_site: Path) -> None:
    files = output_files(long_site)
    briefs_pages = page_count(PER_PAGE["briefs"] + 2, "briefs")
    claims_pages = page_count(max(PER_PAGE["claims"], PER_PAGE["timeline"]) + 1, "claims")
    assert briefs_pages >= 2 and claims_pages >= 2
    for n in range(2, briefs_pages + 1):
        assert f"briefs/page/{n}/index.html" in files
    assert f"briefs/page/{briefs_pages + 1}/index.html" not in files
    for n in range(2, claims_pages + 1):
        assert f"claims/page/{n}/index.html" in files
    assert "actors/iran/page/2/index.html" in files
    assert "actors/eu/page/2/index.html" not in files  # its timeline holds on one page


def test_pages_link_to_each_other(long_site: Path) -> None:
    pages = html_pages(long_site)
    assert broken_links(long_site, pages) == []
    reached = {(link.page, link.target) for link in links(long_site, pages)}
    for first, second in (("briefs/index.html", "briefs/page/2/index.html"),
                          ("claims/index.html", "claims/page/2/index.html"),
                          ("actors/iran/index.html", "actors/iran/page/2/index.html")):
        assert (first, second) in reached
        assert (second, first) in reached


def test_every_item_is_on_exactly_one_page(long_site: Path) -> None:
    pages = html_pages(long_site)
    listed: list[str] = []
    for rel, doc in pages.items():
        if re.fullmatch(r"claims/(page/\d+/)?index\.html", rel):
            listed += [h for a in doc.find("main").find_all("a")
                       if re.search(r"claims/claim-\d+/$", h := a.get("href") or "") or
                       re.fullmatch(r"(\.\./)*claim-\d+/", h)]
    ids = sorted(re.search(r"(claim-\d+)/$", h).group(1) for h in listed)
    assert ids == sorted(f"claim-{i:03d}" for i in range(len(ids)))
    assert len(ids) == max(PER_PAGE["claims"], PER_PAGE["timeline"]) + 1


# --- the 404 page, assets, templates ----------------------------------------------------------


def small_site(root: Path, **site: str) -> Path:
    return write_site(root, {"b": ("Iran said it.\n", brief(
        "B", "2024-01-01", claims=[claim("c", "iran", "Said.", "Iran said it")],
        responses=[response("c", "iran", "confirms")]))}, actors=[actor("iran", "Iran")],
        site=site or None)


def render(root: Path) -> tuple[dict[str, bytes], Diagnostics]:
    diags = Diagnostics()
    md = make_markdown()
    checked = checked_site(root, diags, md)
    assert diags.errors == []
    pages = render_site(build_index(checked), make_environment(root, md), diags, root)
    return pages, diags


def test_render_site_returns_every_page_in_memory(tmp_path: Path) -> None:
    root = small_site(tmp_path / "site")
    pages, _ = render(root)
    html = {p for p in pages if p.endswith(".html")}
    assert html == {"index.html", "briefs/index.html", "briefs/b/index.html",
                    "actors/index.html", "actors/iran/index.html", "claims/index.html",
                    "claims/c/index.html", "tags/index.html", "404.html",
                    "actors/iran/embed/index.html", "claims/c/embed/index.html"}
    assert "style.css" in pages
    assert not (root / "output").exists()
    assert all(isinstance(v, bytes) for v in pages.values())


def test_404_page_uses_the_base_path_of_site_yaml(tmp_path: Path) -> None:
    root = small_site(tmp_path / "site", base_url="https://example.github.io/briefs-demo")
    built = build(root)
    page = built.page("404.html")
    hrefs = [e.get("href") for e in page.iter() if e.get("href")]
    assert "/briefs-demo/style.css" in hrefs
    assert all(h.startswith("/briefs-demo/") or h.startswith("#") for h in hrefs), hrefs
    assert broken_links(built.out, {"404.html": page}, base_path="/briefs-demo/") == []
    assert page.find("link", rel="canonical") is None


def test_site_templates_override_single_files(tmp_path: Path) -> None:
    root = small_site(tmp_path / "site")
    (root / "templates").mkdir()
    (root / "templates" / "404.html").write_text(
        "{% extends 'base.html' %}{% block main %}<p class='custom'>Lost</p>{% endblock %}",
        encoding="utf-8")
    (root / "templates" / "style.css").write_text("body { color: red }\n", encoding="utf-8")
    built = build(root)
    assert built.page("404.html").find("p", class_="custom") is not None
    assert (built.out / "style.css").read_text(encoding="utf-8") == "body { color: red }\n"
    assert built.page("index.html").find("header") is not None  # the rest is the theme


def test_template_error_names_the_template(tmp_path: Path) -> None:
    root = small_site(tmp_path / "site")
    (root / "templates").mkdir()
    (root / "templates" / "actor.html").write_text("line one\n{{ nope.nothing }}\n",
                                                   encoding="utf-8")
    diags = Diagnostics()
    md = make_markdown()
    checked = checked_site(root, diags, md)
    pages = render_site(build_index(checked), make_environment(root, md), diags, root)
    assert not pages
    assert str(diags.errors[0]).startswith("templates/actor.html:2:")


def test_a_filter_given_the_wrong_value_names_the_template(tmp_path: Path) -> None:
    root = small_site(tmp_path / "site")
    (root / "templates").mkdir()
    (root / "templates" / "actor.html").write_text("line one\n{{ view.actor.name | date }}\n",
                                                   encoding="utf-8")
    diags = Diagnostics()
    md = make_markdown()
    checked = checked_site(root, diags, md)
    pages = render_site(build_index(checked), make_environment(root, md), diags, root)
    assert not pages
    assert str(diags.errors[0]).startswith("templates/actor.html:2:")
    assert "filter 'date'" in str(diags.errors[0])


def test_a_page_written_for_the_macros_still_builds(tmp_path: Path) -> None:
    """A site's own copy of a page from before the filters calls the macros, with context."""
    root = small_site(tmp_path / "site")
    (root / "templates").mkdir()
    (root / "templates" / "claim.html").write_text(
        '{% extends "base.html" %}{% import "macros.html" as m with context %}'
        "{% block main %}<p class='old'>{{ m.status_badge(thread.claim.status) }} by "
        "{{ m.actors(thread.claim.by) }}, {{ m.date(thread.claim.date) }}</p>"
        "{{ m.tally(thread.tally) }}{% endblock %}", encoding="utf-8")
    built = build(root)
    old = built.page("claims/c/index.html").find("p", class_="old")
    assert old is not None
    assert " ".join(old.text.split()) == "? unverified by Iran, 1 January 2024"
    # The site's own claim page lists no responses: the brief's links to them find no ids.
    assert [p for p in broken_links(built.out) if "in claims/c/index.html" not in p] == []


def test_title_and_language(tmp_path: Path) -> None:
    root = small_site(tmp_path / "site", title="My briefs", language="fr")
    built = build(root)
    doc = built.page("briefs/b/index.html")
    assert doc.find("html").get("lang") == "fr"
    assert "My briefs" in doc.find("title").text and "B" in doc.find("title").text
