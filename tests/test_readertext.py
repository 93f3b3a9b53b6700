"""readertext: the article as a reader sees it, normalised, with the way back to raw offsets."""

from __future__ import annotations

import pytest

from site_builder.text.readertext import ODD_SPACES, ReaderText, make_markdown, normalise, project

MD = make_markdown()


def reader(article: str) -> ReaderText:
    return project(MD.parse(article))


@pytest.mark.parametrize(("article", "raw"), [
    ("The **EU said** it had _intelligence_ that [Iran](https://x.org) had `supplied` Russia.",
     "The EU said it had intelligence that Iran had supplied Russia."),
    ("Struck ~~out~~ and ***both*** and __strong__ and *em*.",
     "Struck out and both and strong and em."),
    ("a <b>html</b> &amp; &copy; \\*not emphasis\\*",
     "a <b>html</b> & © *not emphasis*"),
    ("![a photo](photo.jpg) Caption text.", " Caption text."),
    ("[a link](javascript:alert(1)) text", "[a link](javascript:alert(1)) text"),
])
def test_markdown_syntax_is_removed(article: str, raw: str) -> None:
    assert reader(article).raw == raw


def test_blocks_are_joined_by_a_newline_and_code_blocks_left_out() -> None:
    article = ("# A heading\n\nFirst paragraph\ncontinues here.\n\n- item one\n- item two\n\n"
               "> a quoted\n> passage\n\n```\nnot prose\n```\n\n    indented code\n\n"
               "| cell a | cell b |\n|---|---|\n| c | d |\n\nLast.\n")
    assert reader(article).raw == (
        "A heading\nFirst paragraph continues here.\nitem one\nitem two\na quoted passage\n"
        "cell a\ncell b\nc\nd\nLast.")


def test_soft_and_hard_breaks_are_spaces() -> None:
    assert reader("one\ntwo  \nthree\\\nfour").raw == "one two three four"


def test_normalised_text_folds_whitespace_and_typographic_quotes() -> None:
    text = reader("He said \u201cno\u201d,\tit\u2019s   \u2018final\u2019&nbsp;&nbsp;now.\n\nNext.")
    assert text.raw == ("He said \u201cno\u201d,\tit\u2019s   \u2018final\u2019\u00a0\u00a0now."
                        "\nNext.")
    assert text.norm == "He said \"no\", it's 'final' now.\nNext."


def test_normalise_quote_text() -> None:
    assert normalise("  \u201cWe  strongly\n reject\u201d \u2018it\u2019  ") == (
        "\"We strongly reject\" 'it'")
    assert normalise("\u201e\u201f\u2033\u201a\u201b\u2032\u02bc") == "\"\"\"''''"


def test_normalised_offsets_map_back_to_raw() -> None:
    text = reader("a  b\t\tc \u00a0 d\n\ne")
    assert text.norm == "a b c d\ne"
    assert [text.to_raw(i) for i in range(len(text.norm))] == [0, 1, 3, 4, 6, 7, 10, 11, 12]
    assert [text.raw[text.to_raw(i)] for i in range(len(text.norm))] == list("a b\tc d\ne")
    start, end = text.raw_span(2, 7)  # "b c d"
    assert text.raw[start:end] == "b\t\tc \u00a0 d"


def test_every_whitespace_but_space_and_newline_counts_as_odd() -> None:
    everywhere = {c for c in map(chr, range(0x110000)) if c.isspace() and c not in " \n"}
    assert set(ODD_SPACES) == everywhere


@pytest.mark.parametrize("space", ["  ", *ODD_SPACES])
def test_one_odd_space_is_normalised(space: str) -> None:
    text = reader(f"one two{space}three\u2019s")
    assert text.norm == "one two three's"
    assert text.raw[text.to_raw(len("one two three")):] == "'s".replace("'", "\u2019")


def test_plain_spaces_map_straight_back() -> None:
    text = reader("one \u201ctwo\u201d three\n\nfour")
    assert (text.norm, text.norm_points, text.raw_points) == ('one "two" three\nfour', (0,), (0,))


def test_pieces_record_their_line_in_the_markdown() -> None:
    article = "# Title\n\nOne **two**\nthree `four`\n\n- five\n- six\n"
    text = reader(article)
    assert [(text.raw[p.start:p.end], p.line) for p in text.pieces] == [
        ("Title", 1), ("One ", 3), ("two", 3), ("three ", 4), ("four", 4), ("five", 6),
        ("six", 7)]
    assert text.line_at(text.raw.index("three")) == 4
    assert text.line_at(text.raw.index("six")) == 7


def test_empty_article_has_empty_text() -> None:
    text = reader("")
    assert (text.raw, text.norm, text.pieces) == ("", "", ())
    assert text.line_at(0) == 1
