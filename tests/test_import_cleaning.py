"""Cleaning raw articles for `import`: metadata out, chrome and captions dropped, text intact."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from site_builder.importer.cleaning import clean, find_date
from site_builder.importer.drafting import article_markdown, escape
from site_builder.importer.htmltext import html_page, read_page, text_page
from site_builder.importer.yamltext import yaml_string
from site_builder.text.readertext import make_markdown, project

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_6513786e4494a05a.txt"
BODY = "The minister said on Monday that talks would resume next week in Geneva."


def cleaned(*lines: str):
    return clean(text_page("\n\n".join(lines)))


def texts(article) -> list[str]:
    return [b.text for b in article.blocks]


@pytest.mark.parametrize("chrome", [
    "Skip to main content", "Advertisement", "ADVERTISEMENT", "Read more",
    "Read more: Xi to visit Europe in May", "Share", "Share this article", "Copy link",
    "Facebook Twitter WhatsApp", "Subscribe to our newsletter", "Sign up for our daily newsletter",
    "© 2024 AFP", "Listen to this article", "5 min read",
])
def test_page_chrome_is_dropped(chrome):
    article = cleaned("A headline", BODY, chrome, BODY.replace("Geneva", "Vienna"))
    assert chrome not in texts(article)
    assert chrome in article.dropped
    assert len(article.blocks) == 2


def test_a_sentence_about_subscribers_is_kept():
    line = 'Netflix said it had 5 million new subscribers, calling it "a strong quarter for us".'
    assert line in texts(cleaned("Headline", BODY, line))


@pytest.mark.parametrize("credit", [
    "AFP/Getty", "Photo: Pedro Pardo/AFP", "(AP Photo/Omar Khalid)", "ATTA KENARE / AFP",
    "Photograph: Kirill Kudryavtsev/AFP", "Image: Reuters",
])
def test_a_caption_followed_by_a_credit_is_dropped(credit):
    caption = "Iranian President Masoud Pezeshkian speaks in Tehran on Monday"
    article = cleaned("Headline", BODY, caption, credit, "Second paragraph of the story.")
    assert texts(article) == [BODY, "Second paragraph of the story."]
    assert caption in article.dropped and credit in article.dropped


def test_a_caption_given_twice_is_dropped():
    caption = "The Kremlin did not issue a denial on Monday"
    article = clean(text_page(f"Headline\n\n{BODY}\n{caption}\n{caption} — AFP\n\nMore text."))
    assert texts(article) == [BODY, "More text."]


def test_a_caption_with_its_credit_inline_is_dropped():
    caption = "Border guards at the Raja-Jooseppi crossing (Photo: Lehtikuva)"
    assert texts(cleaned("Headline", BODY, caption)) == [BODY]


def test_a_line_repeated_later_is_kept_once():
    article = cleaned("Headline", BODY, "Another paragraph.", BODY)
    assert texts(article) == [BODY, "Another paragraph."]


@pytest.mark.parametrize("codes", ["burs/rlp/giv", "jm/ach", "burs-jm/rlp", "ach/ds"])
def test_trailing_editor_codes_are_dropped(codes):
    article = cleaned("Headline", BODY, "Last paragraph.", codes)
    assert texts(article) == [BODY, "Last paragraph."]
    assert codes in article.dropped


def test_lowercase_text_with_a_slash_inside_the_story_is_kept():
    article = cleaned("Headline", BODY, "and/or", "Last paragraph.")
    assert "and/or" in texts(article)


@pytest.mark.parametrize(("line", "heading"), [
    ("- 'Severe' response -", "'Severe' response"),
    ("– Talks stall –", "Talks stall"),
    ("— A new front —", "A new front"),
])
def test_crossheads_become_headings(line, heading):
    article = cleaned("Headline", BODY, line, "More text.")
    assert [(b.kind, b.text) for b in article.blocks][1] == ("h", heading)
    markdown = article_markdown(article.blocks).text
    assert f"\n\n## {heading}\n\n" in markdown


def test_a_dash_led_sentence_is_not_a_crosshead():
    article = cleaned("Headline", BODY, "- a list-like line without a closing dash")
    assert article.blocks[-1].kind == "p"


@pytest.mark.parametrize("text", [
    "Sep 9, 2024", "Sept. 9, 2024", "September 9, 2024", "9 September 2024", "9 Sep 2024",
    "2024-09-09", "Published 9 September 2024", "Monday 9 September 2024 10:32 GMT",
    "September 9th, 2024", "2024-09-09T14:05:00+02:00", "Updated: SEP 9, 2024",
])
def test_dates_become_iso(text):
    assert find_date(text) == dt.date(2024, 9, 9)


@pytest.mark.parametrize("text", ["no date here", "31 February 2024", "2024"])
def test_no_date(text):
    assert find_date(text) is None


def test_header_metadata_moves_out_of_the_text():
    article = cleaned("Talks resume in Geneva", "By Jane Doe", "Reuters", "9 September 2024", BODY)
    assert (article.headline, article.author, article.outlet, article.date) == (
        "Talks resume in Geneva", "Jane Doe", "Reuters", dt.date(2024, 9, 9))
    assert texts(article) == [BODY]


def test_a_dateline_gives_the_outlet():
    article = cleaned("Headline", "KYIV, March 3 (Reuters) - " + BODY)
    assert article.outlet == "Reuters"
    assert texts(article) == ["KYIV, March 3 (Reuters) - " + BODY]


def test_the_seed_keeps_its_paragraphs_character_for_character():
    raw = SEED.read_text(encoding="utf-8")
    article = clean(read_page(raw, SEED.name))
    raw_lines = set(raw.splitlines())
    assert all(b.text in raw_lines for b in article.blocks if b.kind == "p")
    assert (article.headline, article.outlet, article.date) == (
        "US warns of 'consequences' if Iran sends missiles to Russia",
        "Agence France-Presse", dt.date(2024, 9, 9))


def test_html_keeps_the_article_and_drops_the_page():
    page = html_page("""<html><head><title>Talks | Wire</title>
        <meta property="og:site_name" content="Wire"><script>var x = "<p>no</p>";</script>
        </head><body><header><nav><p>Home</p></nav></header>
        <article><h1>Talks resume</h1><p>First &ldquo;para&rdquo; with <a href="#">a link</a>.</p>
        <figure><figcaption>A caption</figcaption></figure><aside><p>Related</p></aside>
        <h2>A crosshead</h2><blockquote>A block quote.</blockquote><p>Second<br>line.</p>
        </article><footer><p>Footer</p></footer></body></html>""")
    assert [(b.kind, b.text) for b in page.blocks] == [
        ("h1", "Talks resume"), ("p", "First “para” with a link."), ("h2", "A crosshead"),
        ("p", "A block quote."), ("p", "Second line.")]
    assert page.meta.outlet == "Wire" and page.meta.title == "Talks | Wire"


def test_a_page_without_article_keeps_every_paragraph():
    page = html_page("<body><h1>T</h1><p>One.</p><div><p>Two.</p></div></body>")
    assert [b.text for b in page.blocks] == ["T", "One.", "Two."]


def test_hard_wrapped_paragraphs_are_joined():
    page = text_page("A short headline\nMarch 3, 2025\n\n"
                     "The first paragraph was wrapped by the wire service at seventy\n"
                     "characters, as plain-text copy often is, and continues here.\n\n"
                     "The second paragraph was wrapped in the same way, at the same\n"
                     "width. It ends on its second line.\n\n"
                     "A third paragraph.")
    assert [b.text for b in page.blocks] == [
        "A short headline", "March 3, 2025",
        "The first paragraph was wrapped by the wire service at seventy characters, as "
        "plain-text copy often is, and continues here.",
        "The second paragraph was wrapped in the same way, at the same width. It ends on its "
        "second line.", "A third paragraph."]


def test_lines_that_end_sentences_are_not_joined():
    """One paragraph a line, no blank lines: not hard-wrapped even if lines are short."""
    lines = ["The minister said on Monday that talks would resume next week in Geneva.",
             "The opposition said on Tuesday that the talks would fail again this time.",
             "Both sides said on Wednesday that they would send delegations to Geneva."]
    assert [b.text for b in text_page("\n".join(lines)).blocks] == lines


def test_long_lines_are_never_joined():
    long_line = "x " * 60
    page = text_page(f"{long_line}\n{long_line}")
    assert len(page.blocks) == 2


RISKY = st.text(st.sampled_from(list("ab1 .)#>-+=*_`[]()<>!~|&;\\\"'“”")), min_size=1,
                max_size=30)


@given(RISKY)
def test_escaped_text_reads_as_the_text(text):
    """Whatever the article says, its Markdown shows exactly those characters."""
    text = " ".join(text.split())
    if not text:
        return
    reader = project(make_markdown().parse(escape(text)))
    assert reader.raw == text


@given(st.text(max_size=40))
def test_yaml_strings_round_trip(text):
    assert yaml.safe_load(f"key: {yaml_string(text)}")["key"] == text


def test_a_page_date_in_its_structured_data_is_found():
    page = html_page('<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
                     '"datePublished": "2025-09-30T16:20:00Z"}</script></head><body><article>'
                     f"<h1>Headline</h1><p>{BODY}</p></article></body></html>")
    assert clean(page).date == dt.date(2025, 9, 30)
