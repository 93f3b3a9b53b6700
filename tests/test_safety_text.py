"""Issue 17, items 5 and 17: what editors write cannot take over the terminal or the pages,
and an ambiguous actor name does not go unnoticed.

Item 5: control characters (escape sequences, bells, NUL, C1 controls) in a YAML value or an
article are shown escaped in every message and in the quoted source line, are reported with
a warning, and never reach a built page. Item 17: two actors sharing a name, or an alias that
is another actor's name, get a warning at the second declaration naming both.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ARTICLE, BRIEF, REGISTRY, dedent
from servetools import replace_in
from sitetools import SEED_SLUG, article, build, html_pages, marked_text

from site_builder.base.diagnostics import Diagnostic, Severity, Span, format_diagnostic
from site_builder.cli.commands import main

# What no page may hold: C0 controls but tab, LF and CR; DEL; C1 controls; U+FFFE, U+FFFF.
FORBIDDEN = {chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20),
                              *range(0x7F, 0xA0), 0xFFFE, 0xFFFF)}
HOSTILE = r'"\e]0;pwned\a\e[2J"'  # retitles the terminal window, then clears the screen


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert captured.out == ""
    return code, captured.err


def assert_no_raw_controls(text: str) -> None:
    found = sorted({hex(ord(c)) for c in text if c in FORBIDDEN or c == "\x7f"})
    assert found == [], f"raw control characters in the output: {found}"


# --- item 5: messages show control characters escaped ------------------------------------------


def test_safety_05_check_shows_an_escape_sequence_of_a_yaml_value_escaped(
        make_site, valid_files, capsys) -> None:
    registry = REGISTRY.replace("kind: organization", f"kind: {HOSTILE}")
    code, err = run_cli(capsys, "check", "--source", str(make_site(
        {**valid_files, "briefs/_actors.yaml": registry})))
    assert_no_raw_controls(err)
    assert code == 1
    assert err.splitlines() == [
        r"briefs/_actors.yaml:7:11: error: '\x1b]0;pwned\x07\x1b[2J' is not a valid 'kind' "
        "for an actor",
        "  hint: allowed values:",
        "          person        one person",
        "          organization  a body, company, party or union",
        "          state         a country or its government",
        "          media         an outlet or news agency",
        "          other         anything else",
        r'    7 |     kind: "\e]0;pwned\a\e[2J"',
        "                  ^",
        r"briefs/_actors.yaml:7:12: warning: 3 control characters in the value of 'kind', "
        r"the first here (\x1b): the pages show none of them",
        r"  hint: remove the escape sequences (such as \e, \a or \x07) from the value",
        r'    7 |     kind: "\e]0;pwned\a\e[2J"',
        "                   ^",
        "checked 1 brief: 1 error, 1 warning"]


def test_safety_05_a_control_character_in_an_article_is_escaped_in_the_quoted_line(
        make_site, valid_files, capsys) -> None:
    text = ARTICLE.replace("The EU said", "The EU\x1b[2J\x07 said")
    code, err = run_cli(capsys, "check", "--source", str(make_site(
        {**valid_files, "briefs/missiles.md": text})))
    assert_no_raw_controls(err)
    assert code == 0
    assert err.splitlines() == [
        r"briefs/missiles.md:1:7: warning: 2 control characters in the article, the first "
        r"here (\x1b): the page shows none of them",
        "  hint: delete them: they are invisible, and were probably pasted along with the text",
        r"    1 | The EU\x1b[2J\x07 said it had intelligence that Iran had supplied Russia "
        "with ballistic missiles.",
        "              ^",
        "checked 1 brief: 0 errors, 1 warning"]


def test_safety_05_the_caret_stays_under_its_character_after_escapes() -> None:
    diag = Diagnostic(Severity.ERROR, Span("briefs/a.md", 1, 6), "bad \x9b[2J\u202e here")
    lines = {"briefs/a.md": ["a\x1b\x07b\tcX d"]}
    assert format_diagnostic(diag, lines.get) == "\n".join([
        r"briefs/a.md:1:6: error: bad \x9b[2J\u202e here",
        r"    1 | a\x1b\x07b cX d",
        "                   ^"])


def test_safety_05_ordinary_text_is_shown_as_it_is() -> None:
    from site_builder.base.diagnostics import visible

    text = "Müller’s «Ελλάδα» — “quoted” 北京 ok"
    assert visible(text) == text
    assert visible("a\tb\nc\rd\x85e\u2028f") == r"a\tb\nc\rd\x85e\u2028f"


def test_safety_05_a_hint_keeps_its_lines_and_escapes_the_rest() -> None:
    diag = Diagnostic(Severity.WARNING, Span("x.yaml"), "m", "one \x1b\x0bline\ntwo \x85")
    assert format_diagnostic(diag) == "\n".join([
        "x.yaml:1:1: warning: m", r"  hint: one \x1b\x0bline", r"        two \x85"])


def test_safety_05_the_serve_overlay_shows_control_characters_escaped(live_site,
                                                                      example_site) -> None:
    live = live_site()
    before = live.epoch
    replace_in(example_site / "briefs" / f"{SEED_SLUG}.yaml", "stance: denies",
               r'stance: "\e[2J<b>x\a"')
    live.wait_for_epoch(before)
    html = live.page().text
    overlay = html[html.index('id="site-builder-errors"'):]
    assert r"error: &#x27;\x1b[2J&lt;b&gt;x\x07&#x27; is not a valid &#x27;stance&#x27;" \
        in overlay
    assert_no_raw_controls(html)
    assert_no_raw_controls(live.log.getvalue())


# --- item 5: no control character reaches a page -----------------------------------------------


def hostile_site(files: dict[str, str | bytes]) -> dict[str, str | bytes]:
    """The valid site with control characters in its article and in YAML values."""
    text = ARTICLE.replace("Russia with", "Russia\x1b with\x07").replace(
        "ballistic", "ball\x00istic\x85").replace("foreign ministry", "for\x9beign\x0cministry")
    notes = BRIEF.replace("title: EU says Iran sent missiles to Russia",
                          'title: "EU says \\e[2JIran sent missiles\\x07 to Russia"')
    notes += 'summary: "Tehran \\0denies \\N it \\uFFFE."\n'
    return {**files, "briefs/missiles.md": text, "briefs/missiles.yaml": notes,
            "site.yaml": 'title: "Briefs\\a"\n'}


def test_safety_05_built_pages_hold_no_control_character(make_site, valid_files) -> None:
    built = build(make_site(hostile_site(valid_files)))
    pages = html_pages(built.out)
    assert len(pages) > 5
    for rel in pages:
        assert_no_raw_controls((built.out / rel).read_text(encoding="utf-8"))
    assert [str(d) for d in built.diags.sorted()] == [
        r"briefs/missiles.md:1:62: warning: 6 control characters in the article, the first "
        r"here (\x1b): the page shows none of them",
        r"briefs/missiles.yaml:1:17: warning: 2 control characters in the value of 'title', "
        r"the first here (\x1b): the pages show none of them",
        r"briefs/missiles.yaml:16:18: warning: 3 control characters in the value of "
        r"'summary', the first here (\x00): the pages show none of them",
        r"site.yaml:1:15: warning: a control character (\x07) in the value of 'title': the "
        r"pages do not show it",
    ]
    page = pages["briefs/missiles/index.html"]
    shown = " ".join(article(page).text.split())
    assert "Iran had supplied Russia" in shown
    assert "with ballistic missiles." in shown
    assert "Iran's foreign ministry said" in shown  # a form feed is a space, C1 is left out
    assert page.find("h1").text == "EU says [2JIran sent missiles to Russia"
    assert "\ufffd" not in shown  # a NUL is left out, not replaced


def test_safety_05_a_quote_around_a_control_character_is_marked(make_site,
                                                                valid_files) -> None:
    """The quote is written as the page shows the words (without the invisible character),
    or with it as an escape: either way the same words are marked, and only those."""
    text = ARTICLE.replace("Iran had supplied", "Iran had\x07 sup\x1bplied")
    notes = BRIEF.replace("quote: intelligence that Iran had supplied Russia",
                          "quote: that Iran had supplied Russia").replace(
        "quote: We strongly reject the claims", r'quote: "Iran had\a sup\eplied Russia"')
    built = build(make_site({**valid_files, "briefs/missiles.md": text,
                             "briefs/missiles.yaml": notes}))
    assert str(built.diags.warnings[0]).startswith("briefs/missiles.md:1:46: warning: 2 ")
    page = built.page("briefs/missiles/index.html")
    assert marked_text(page, "claim-iran-sent-missiles") == "that Iran had supplied Russia"
    assert marked_text(page, "response-1") == "Iran had supplied Russia"
    assert page.errors == []


def test_safety_05_lines_after_a_form_feed_keep_their_numbers(check_files, valid_files) -> None:
    """A form feed or NEL ends no line of an article (str.splitlines says it does)."""
    text = "Intro\x0c text\x85 here.\n\nIran said no. Iran said no.\n"
    notes = BRIEF.replace("quote: We strongly reject the claims", "quote: Iran said no")
    report = check_files({**valid_files, "briefs/missiles.md": text + ARTICLE,
                          "briefs/missiles.yaml": notes})
    line = 'briefs/missiles.yaml:15:12: error: quote found 2 times in the article: "Iran said no"'
    assert line in report.lines
    assert report.hint(line) == (
        "it appears at briefs/missiles.md:3:1, briefs/missiles.md:3:15\n"
        "add 'prefix:' or 'suffix:' with the words just before or after the one you mean")


# --- item 17: a name two actors share ----------------------------------------------------------


LINDQVISTS = """\
actors:
  - id: maria-lindqvist
    kind: person
    role: minister
    name: Maria Lindqvist
  - id: iran
    name: Iran
    kind: state
  - id: maria-lindqvist-2
    kind: person
    name: Maria Lindqvist
  - id: eu
    name: European Union
    kind: organization
"""


def test_safety_17_two_actors_with_one_name_get_a_warning_at_the_second(
        make_site, valid_files, capsys) -> None:
    files = {**valid_files, "briefs/_actors.yaml": LINDQVISTS,
             "briefs/missiles.md": ARTICLE + "\nMaria Lindqvist said nothing.\n"}
    root = make_site(files)
    code, err = run_cli(capsys, "check", "--source", str(root))
    assert code == 0
    assert err.splitlines() == [
        # The name is hers only, on the pages as in the checks: her namesake is not mentioned.
        "briefs/_actors.yaml:9:5: warning: no brief mentions the actor 'maria-lindqvist-2'",
        "  hint: use it in a claim or response, name it in an article, or remove it",
        "    9 |   - id: maria-lindqvist-2",
        "            ^",
        "briefs/_actors.yaml:11:11: warning: 'Maria Lindqvist' is the name of both "
        "'maria-lindqvist' (line 5) and 'maria-lindqvist-2' (line 11): mentions of it in "
        "articles are linked to 'maria-lindqvist' only",
        "  hint: if they are one actor, keep one of the two declarations; if not, give each a "
        "name of its own",
        "   11 |     name: Maria Lindqvist",
        "                  ^",
        "checked 1 brief: 0 errors, 2 warnings"]
    # What the warning says is what the build does.
    links = article(build(root).page("briefs/missiles/index.html")).find_all(
        "a", class_="actor-link")
    assert [(a.text, a.get("href")) for a in links if a.text == "Maria Lindqvist"] == [
        ("Maria Lindqvist", "../../actors/maria-lindqvist/")]


def test_safety_17_an_alias_that_is_another_actors_name(check_files, valid_files) -> None:
    registry = REGISTRY + ("  - id: tehran\n    name: Tehran\n    kind: state\n"
                           "    aliases:\n      - Tehran\n      - Iran\n")
    report = check_files({**valid_files, "briefs/_actors.yaml": registry})
    line = ("briefs/_actors.yaml:13:9: warning: 'Iran' is the name of 'iran' (line 3) and an "
            "alias of 'tehran' (line 13): mentions of it in articles are linked to 'iran' only")
    # The article's 'Iran' names 'iran' only, as its link and the actors' pages say.
    assert report.warnings == [
        "briefs/_actors.yaml:8:5: warning: no brief mentions the actor 'tehran'", line]
    assert report.hint(line) == ("remove the alias from 'tehran', or change it to a name only "
                                 "'tehran' is known by")


def test_safety_17_an_actor_of_a_brief_sharing_a_registry_name(check_files,
                                                               valid_files) -> None:
    """Names are matched across the whole site: a brief's own actor competes with the
    registry's, and the smaller id wins whichever is declared first."""
    notes = BRIEF + dedent("""
        actors:
          - id: eu-commission
            name: Commission
            kind: organization
            aliases: [European Union]
        """)
    report = check_files({**valid_files, "briefs/missiles.yaml": notes})
    assert report.warnings == [
        "briefs/missiles.yaml:17:5: warning: no brief mentions the actor 'eu-commission'",
        "briefs/missiles.yaml:20:15: warning: 'European Union' is the name of 'eu' "
        "(briefs/_actors.yaml:6:11) and an alias of 'eu-commission' (line 20): mentions of it "
        "in articles are linked to 'eu' only"]


def test_safety_17_two_aliases_and_what_is_not_shared(check_files, valid_files) -> None:
    """Two aliases alike are reported; an actor repeating its own name, names that differ in
    capitals (matching is case-sensitive) and names never looked for (starting with a
    quote mark) are not."""
    registry = REGISTRY.replace("    name: Iran\n", "    name: Iran\n    aliases: [Iran, IR, "
                                "\"'the West'\"]\n") + (
        "  - id: ir-agency\n    name: The Agency\n    kind: media\n"
        "    aliases: [IR, european union, \"'the West'\"]\n")
    report = check_files({**valid_files, "briefs/_actors.yaml": registry})
    line = ("briefs/_actors.yaml:12:15: warning: 'IR' is an alias of both 'iran' (line 4) and "
            "'ir-agency' (line 12): mentions of it in articles are linked to 'ir-agency' only")
    assert report.warnings == [
        "briefs/_actors.yaml:9:5: warning: no brief mentions the actor 'ir-agency'", line]
    assert report.hint(line) == ("remove the alias from one of them, or change it to a name "
                                 "only one is known by")


def test_safety_17_the_warning_follows_the_registry_in_a_rebuild(make_site,
                                                                 valid_files) -> None:
    """Incremental builds (serve) read the registry again: the warning comes and goes."""
    from site_builder.base.diagnostics import Diagnostics
    from site_builder.build.builder import Builder

    root = make_site(valid_files)
    builder = Builder(root, root / "output", None, use_cache=False)
    first = Diagnostics()
    builder.build(first)
    assert [str(d) for d in first] == []
    registry = root / "briefs" / "_actors.yaml"
    registry.write_text(REGISTRY + "  - id: iran-2\n    name: Iran\n    kind: state\n",
                        encoding="utf-8")
    second = Diagnostics()
    builder.build(second, {str(Path("briefs/_actors.yaml"))})
    assert [str(d) for d in second.warnings][-2:] == [
        "briefs/_actors.yaml:9:11: warning: 'Iran' is the name of both 'iran' (line 3) and "
        "'iran-2' (line 9): mentions of it in articles are linked to 'iran' only",
        "briefs/_actors.yaml:8:5: warning: no brief mentions the actor 'iran-2'"]


def test_safety_05_import_shows_the_pages_headline_escaped(make_site, valid_files, tmp_path,
                                                           capsys) -> None:
    """A saved web page is a stranger's text too: its control characters are left out of the
    draft, and what else would mislead a terminal (a right-to-left override) is shown escaped."""
    root = make_site(valid_files)
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Big \x1b[2Jnews</title>"
        '<meta property="og:site_name" content="Wire\u202e\x07"></head><body><article>'
        "<h1>Big \x1b[2Jnews</h1><p>The ministry said it would answer the claims soon, "
        "in a statement read out on television.</p><p>Another paragraph, long enough to be "
        "taken for the body of the article by the importer.</p></article></body></html>",
        encoding="utf-8")
    _, err = run_cli(capsys, "import", str(page), "--slug", "big-news", "--source", str(root))
    assert_no_raw_controls(err)
    assert r"  title: Big [2Jnews; date: (none found, today used); outlet: Wire\u202e" \
        in err.splitlines()


def test_safety_05_serve_names_a_changed_file_escaped(tmp_path) -> None:
    from site_builder.serve.session import _describe

    changed = {str(tmp_path / "briefs" / "a\x1b]0;x\x07.md")}
    assert _describe(changed, tmp_path) == r"briefs/a\x1b]0;x\x07.md changed"
