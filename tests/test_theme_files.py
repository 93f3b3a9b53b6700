"""Which files of a theme are templates (site_builder/theme/files.py): one rule for what is
rendered, what is copied, what a build watches and where a template error is shown."""

from __future__ import annotations

from pathlib import Path

from sitetools import actor, brief, build, claim, response, snapshot, write_site

from site_builder.theme.files import is_asset, is_template


def small_site(root: Path, templates: dict[str, str]) -> Path:
    root = write_site(root, {"b": ("Iran said it.\n", brief(
        "B", "2024-01-01", claims=[claim("c", "iran", "Said.", "Iran said it")],
        responses=[response("c", "iran", "confirms")]))}, actors=[actor("iran", "Iran")])
    for rel, text in templates.items():
        (root / "templates" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "templates" / rel).write_text(text, encoding="utf-8")
    return root


NOT_A_TEMPLATE = (" is not a template: only a file whose name ends in .html, .j2, .jinja is one "
                  "(the others are copied as they are)")
FOOTER_FROM = "{% extends 'theme/base.html' %}{% block footer %}{% include '%s' %}{% endblock %}"


def test_templates_and_assets_by_name() -> None:
    assert [is_template(n) for n in ("home.html", "partials/bits.j2", "x/feed.jinja")] == \
        [True, True, True]
    assert [is_template(n) for n in ("style.css", "notes.txt", "feed.xml", "logo.png")] == \
        [False, False, False, False]
    assert [is_asset(n) for n in ("style.css", "img/logo.png", "home.html", "home.html~",
                                  ".home.html.swp", ".hidden.css")] == \
        [True, True, False, False, False, False]


def test_an_error_in_a_j2_partial_is_shown_in_that_partial(tmp_path: Path) -> None:
    """Before, only frames of .html, .xml and .txt files counted as a template's: a mistake
    in a `.j2` partial was reported in the page template that included it."""
    root = small_site(tmp_path / "site", {
        "base.html": FOOTER_FROM.replace("%s", "partials/bits.j2"),
        "partials/bits.j2": "<p>fine</p>\n{{ no_such_value.field }}\n",
    })
    failed = build(root, ok=False)
    assert failed.errors[0].startswith("templates/partials/bits.j2:2:1: error: template error")


def test_a_file_that_is_no_template_is_not_rendered_but_copied(tmp_path: Path) -> None:
    """`notes.txt` is an asset, published as it is: including it as a template is an error
    that says so (before, it was both rendered into pages and copied, Jinja code and all)."""
    root = small_site(tmp_path / "site", {
        "base.html": FOOTER_FROM.replace("%s", "notes.txt"),
        "notes.txt": "{{ site.title }} notes\n",
    })
    failed = build(root, ok=False)
    assert len(failed.errors) == 1
    assert failed.errors[0].startswith("templates/base.html:1:1: error: template error while "
                                       "rendering ")
    assert failed.errors[0].endswith("'notes.txt'" + NOT_A_TEMPLATE)
    (root / "templates" / "base.html").unlink()
    built = build(root)
    assert (built.out / "notes.txt").read_text(encoding="utf-8") == "{{ site.title }} notes\n"


def test_editing_a_partial_renders_again_the_pages_that_use_it(tmp_path: Path) -> None:
    root = small_site(tmp_path / "site", {
        "base.html": FOOTER_FROM.replace("%s", "partials/bits.j2"),
        "partials/bits.j2": "<p>first footer</p>\n",
    })
    built = build(root)
    assert "first footer" in (built.out / "index.html").read_text(encoding="utf-8")
    (root / "templates" / "partials" / "bits.j2").write_text("<p>second footer!</p>\n",
                                                             encoding="utf-8")
    built = build(root)
    pages = snapshot(built.out)
    assert all(b"second footer!" in data for rel, (data, _) in pages.items()
               if rel.endswith(".html") and "/embed/" not in rel)  # embeds have no footer


def test_ignore_missing_does_not_hide_a_file_that_is_no_template(tmp_path: Path) -> None:
    """`ignore missing` leaves out a template that does not exist, not an asset asked for as
    one: that is the same clear error as without it (found in review: an SVG sprite included
    this way vanished from every page without a word)."""
    root = small_site(tmp_path / "site", {
        "base.html": FOOTER_FROM.replace("'%s'", "'icons.svg' ignore missing"),
        "icons.svg": "<svg id=icons></svg>\n",
    })
    failed = build(root, ok=False)
    assert len(failed.errors) == 1
    assert failed.errors[0].endswith("'icons.svg'" + NOT_A_TEMPLATE)
    (root / "templates" / "base.html").write_text(
        FOOTER_FROM.replace("'%s'", "'nowhere.html' ignore missing"), encoding="utf-8")
    built = build(root)
    assert (built.out / "icons.svg").read_text(encoding="utf-8") == "<svg id=icons></svg>\n"
