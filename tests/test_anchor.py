"""anchor: each quote found in its article, or an error that helps the editor fix it."""

from __future__ import annotations

import json

import pytest
from conftest import REGISTRY, Report, dedent

from site_builder.text.anchor import Anchor
from site_builder.text.readertext import ReaderText, make_markdown, project

ARTICLE = dedent("""
    # EU warns Iran

    The EU said it had **intelligence that Iran** had supplied
    Russia with _ballistic missiles_, citing [allied services](https://x.org/a).

    Iran\u2019s foreign ministry said: \u201cWe strongly reject the claims.\u201d

    A spokesman said `no comment` and then: "no comment" again.
    """)

HEAD = dedent("""
    title: EU warns Iran
    date: 2024-09-09
    source: {outlet: AFP}
    claims:
      - id: missiles
        by: eu
        text: Iran has delivered ballistic missiles to Russia.
        status: unverified
    """)  # the quote goes on line 9, its value at column 12

TAIL = dedent("""
    responses:
      - claim: missiles
        by: iran
        stance: denies
    """)


def quote_value(quote: str | dict[str, str]) -> str:
    if isinstance(quote, str):
        return f"    quote: {json.dumps(quote, ensure_ascii=False)}\n"
    return "    quote:\n" + "".join(
        f"      {key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in quote.items())


@pytest.fixture
def anchored(check_files):
    """Check a site whose one claim quotes `quote` from `article`."""
    def run(quote: str | dict[str, str], article: str = ARTICLE) -> Report:
        return check_files({"briefs/_actors.yaml": REGISTRY, "briefs/x.md": article,
                            "briefs/x.yaml": HEAD + quote_value(quote) + TAIL})

    return run


def reader_of(report: Report, slug: str = "x") -> ReaderText:
    """The reader text the anchors' offsets index, projected as the pipeline does."""
    (brief,) = [b for b in report.checked.site.briefs if b.slug == slug]
    return project(make_markdown().parse(brief.article))


def only_anchor(report: Report) -> tuple[Anchor, str]:
    assert report.lines == []
    (anchor,) = report.checked.articles["x"].anchors
    return anchor, reader_of(report).raw[anchor.start:anchor.end]


# --- found ------------------------------------------------------------------------------------

def test_quote_across_bold_emphasis_link_and_soft_break(anchored) -> None:
    anchor, words = only_anchor(anchored(
        "intelligence that Iran had supplied Russia with ballistic missiles, citing allied "
        "services"))
    assert words == ("intelligence that Iran had supplied Russia with ballistic missiles, "
                     "citing allied services")
    assert (anchor.key, anchor.line, anchor.col) == ("claim-missiles", 3, 22)


def test_quote_across_inline_code(anchored) -> None:
    anchor, words = only_anchor(anchored({"exact": "said no comment and", "prefix": "spokesman"}))
    assert words == "said no comment and"
    assert (anchor.line, anchor.col) == (8, 13)


def test_typographic_quotes_in_the_article_match_straight_ones(anchored) -> None:
    _, words = only_anchor(anchored("Iran's foreign ministry said: \"We strongly reject"))
    assert words == "Iran\u2019s foreign ministry said: \u201cWe strongly reject"


def test_straight_quotes_in_the_article_match_typographic_ones(anchored) -> None:
    _, words = only_anchor(anchored("then: \u201cno comment\u201d again"))
    assert words == "then: \"no comment\" again"


def test_whitespace_runs_and_line_breaks_in_quote_and_article(anchored) -> None:
    article = "The   EU said it had\nintelligence\tthat Iran  \nhad supplied Russia.\n"
    report = anchored("said  it had intelligence that\n Iran had  supplied", article)
    _, words = only_anchor(report)
    assert words == "said it had intelligence\tthat Iran had supplied"


def test_anchor_offsets_cover_exactly_the_quoted_words(anchored) -> None:
    report = anchored("ballistic missiles")
    anchor, words = only_anchor(report)
    reader = reader_of(report)
    assert words == "ballistic missiles"
    assert reader.raw[anchor.start - 5:anchor.start] == "with "
    assert reader.raw[anchor.end:anchor.end + 1] == ","
    assert (anchor.line, anchor.col) == (4, 14)


def test_anchors_of_a_brief_in_reading_order(check_files) -> None:
    tail = dedent("""
        responses:
          - claim: missiles
            by: iran
            stance: denies
            quote: We strongly reject the claims
        """)
    report = check_files({"briefs/_actors.yaml": REGISTRY, "briefs/x.md": ARTICLE,
                          "briefs/x.yaml": HEAD + quote_value("ballistic missiles") + tail})
    assert report.lines == []
    raw = reader_of(report).raw
    anchors = report.checked.articles["x"].anchors
    assert [(a.key, raw[a.start:a.end], a.line) for a in anchors] == [
        ("claim-missiles", "ballistic missiles", 4),
        ("response-1", "We strongly reject the claims", 6),
    ]


# --- not found --------------------------------------------------------------------------------

def test_not_found_shows_the_closest_passage_and_its_line(anchored) -> None:
    report = anchored("We firmly reject the claims")
    assert report.lines == [
        "briefs/x.yaml:9:12: error: quote not found in the article: \"We firmly reject the "
        "claims\""]
    assert report.hint(report.lines[0]) == (
        "the closest passage, briefs/x.md line 6: \"We strongly reject the claims\"\n"
        "where they differ (in [ ]):\n"
        "  quote:   We [firmly]   reject the claims\n"
        "  article: We [strongly] reject the claims")


def test_not_found_in_a_long_paragraph_names_the_line_of_the_passage(anchored) -> None:
    report = anchored("Russia with balistic missile")
    assert report.hint(report.lines[0]) == (
        "the closest passage, briefs/x.md line 4: \"Russia with ballistic missiles\"\n"
        "where they differ (in [ ]):\n"
        "  quote:   Russia with [balistic missile]\n"
        "  article: Russia with [ballistic missiles]")


def test_other_capital_letters(anchored) -> None:
    report = anchored("the eu said")
    assert report.lines == ["briefs/x.yaml:9:12: error: quote not found in the article: "
                            "\"the eu said\""]
    assert report.hint(report.lines[0]) == (
        "the words are there with other capital letters; copy them exactly")


def test_nothing_close(anchored) -> None:
    report = anchored("zzzz qqqq xxxx")
    assert report.hint(report.lines[0]) == "copy the words from the article exactly"


def test_quote_spanning_two_paragraphs_is_not_found(anchored) -> None:
    report = anchored("citing allied services. Iran's foreign ministry")
    assert report.lines == [
        "briefs/x.yaml:9:12: error: quote not found in the article: \"citing allied services. "
        "Iran's foreign ministry\""]
    assert report.hint(report.lines[0]) == (
        "the words run across two paragraphs, from briefs/x.md line 4; a quote stays within "
        "one paragraph: quote only part of it")


def test_quote_spanning_heading_and_paragraph_is_not_found(anchored) -> None:
    report = anchored("EU warns Iran The EU said")
    assert report.lines == ["briefs/x.yaml:9:12: error: quote not found in the article: "
                            "\"EU warns Iran The EU said\""]


def test_a_long_quote_is_shortened_in_the_message(anchored) -> None:
    report = anchored("word " * 30)
    assert report.lines == [
        "briefs/x.yaml:9:12: error: quote not found in the article: \""
        + ("word " * 16).strip() + "\u2026\""]


# --- ambiguous, prefix and suffix -------------------------------------------------------------

def test_ambiguous_quote_lists_each_place(anchored) -> None:
    report = anchored("no comment")
    assert report.lines == [
        "briefs/x.yaml:9:12: error: quote found 2 times in the article: \"no comment\""]
    assert report.hint(report.lines[0]) == (
        "it appears at briefs/x.md:8:19, briefs/x.md:8:42\n"
        "add 'prefix:' or 'suffix:' with the words just before or after the one you mean")


def test_ambiguous_across_paragraphs_lists_each_line(anchored) -> None:
    report = anchored("Iran")
    assert report.lines == [
        "briefs/x.yaml:9:12: error: quote found 3 times in the article: \"Iran\""]
    assert report.hint(report.lines[0]).splitlines()[0] == (
        "it appears at briefs/x.md:1:12, briefs/x.md:3:40, briefs/x.md:6:1")


def test_prefix_chooses_one_place(anchored) -> None:
    report = anchored({"exact": "no comment", "prefix": "and then: \""})
    anchor, words = only_anchor(report)
    assert words == "no comment"
    assert reader_of(report).raw[anchor.start - 1] == "\""


def test_suffix_chooses_one_place(anchored) -> None:
    report = anchored({"exact": "no comment", "suffix": "and then"})
    anchor, words = only_anchor(report)
    assert words == "no comment"
    assert reader_of(report).raw[anchor.end:anchor.end + 5] == " and "


def test_typographic_prefix_matches(anchored) -> None:
    _, words = only_anchor(anchored({"exact": "foreign ministry", "prefix": "Iran\u2019s"}))
    assert words == "foreign ministry"


def test_prefix_that_matches_nothing(anchored) -> None:
    report = anchored({"exact": "no comment", "prefix": "the minister said"})
    assert report.lines == [
        "briefs/x.yaml:10:14: error: quote found, but not with the given prefix/suffix: "
        "\"no comment\""]
    assert report.hint(report.lines[0]) == "it appears at briefs/x.md:8:19, briefs/x.md:8:42"


def test_prefix_and_suffix_that_still_match_twice(check_files) -> None:
    article = "He said no. Then he said no. And he said no.\n"
    report = check_files({"briefs/_actors.yaml": REGISTRY, "briefs/x.md": article,
                          "briefs/x.yaml": HEAD + quote_value(
                              {"exact": "said no", "prefix": "he", "suffix": "."}) + TAIL})
    assert report.lines == [
        "briefs/x.yaml:10:14: error: quote found 2 times in the article: \"said no\""]
    assert report.hint(report.lines[0]).splitlines()[0] == (
        "it appears at briefs/x.md:1:21, briefs/x.md:1:37")


def test_every_quote_of_a_brief_is_checked(check_files) -> None:
    tail = dedent("""
        responses:
          - claim: missiles
            by: iran
            stance: denies
            quote: We reject nothing
        """)
    report = check_files({"briefs/_actors.yaml": REGISTRY, "briefs/x.md": ARTICLE,
                          "briefs/x.yaml": HEAD + quote_value("Iran") + tail})
    assert report.lines == [
        "briefs/x.yaml:9:12: error: quote found 3 times in the article: \"Iran\"",
        "briefs/x.yaml:14:12: error: quote not found in the article: \"We reject nothing\"",
    ]
