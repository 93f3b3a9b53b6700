"""Property-based tests of anchoring: any passage a reader can see can be quoted.

Articles are made of random words with random Markdown around words and
phrases (bold, emphasis, links, inline code, strikethrough, soft and hard line
breaks, headings, list items, block quotes, several paragraphs). Any passage of
the normalised reader text that occurs once, within one block, must anchor, and
its raw span must normalise back to the same words.
"""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from site_builder.base.diagnostics import Diagnostics, Span
from site_builder.source.model import Brief, Claim, Quote, Source, Status
from site_builder.text.anchor import anchor_brief, find_quote
from site_builder.text.readertext import BLOCK_BREAK, ReaderText, make_markdown, normalise, project

MD = make_markdown()
SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# Mostly ordinary letters and punctuation, with typographic quotes; now and then
# a character Markdown treats specially, so the projection meets odd tokens too.
PLAIN = "abcdefghijklmnopqrstuvwxyzÉéü0123456789'\".,;:!?-\u201c\u201d\u2018\u2019"
SPECIAL = "*_`[]()#<>&\\!~|"
word = st.one_of(
    st.text(alphabet=PLAIN, min_size=1, max_size=9),
    st.text(alphabet=PLAIN + SPECIAL, min_size=1, max_size=6),
)
WRAPS = ("{}", "{}", "{}", "**{}**", "_{}_", "*{}*", "[{}](https://x.org/a)", "`{}`",
         "~~{}~~", "__{}__")
SEPARATORS = (" ", " ", " ", " ", "  ", "\n", "  \n", "\t", " \u00a0 ")


plain_word = st.text(alphabet=PLAIN, min_size=1, max_size=9)


@st.composite
def phrase(draw: st.DrawFn, words_of: st.SearchStrategy[str] = word) -> str:
    words = draw(st.lists(words_of, min_size=1, max_size=3))
    wrap = draw(st.sampled_from(WRAPS))
    return wrap.format(" ".join(words))


@st.composite
def paragraph_text(draw: st.DrawFn, words_of: st.SearchStrategy[str] = word) -> str:
    phrases = draw(st.lists(phrase(words_of), min_size=1, max_size=8))
    out = phrases[0]
    for item in phrases[1:]:
        out += draw(st.sampled_from(SEPARATORS)) + item
    return out


@st.composite
def block(draw: st.DrawFn, words_of: st.SearchStrategy[str] = word) -> str:
    text = draw(paragraph_text(words_of))
    kind = draw(st.sampled_from(("p", "p", "p", "h", "li", "quote")))
    if kind == "h":
        return "## " + " ".join(text.split())
    if kind == "li":
        return "\n".join("- " + " ".join(line.split()) for line in text.split("\n"))
    if kind == "quote":
        return "\n".join("> " + line for line in text.split("\n"))
    return text


articles = st.lists(block(), min_size=1, max_size=5).map("\n\n".join)
# Without Markdown's special characters in the words, every text piece is in the source as is.
plain_articles = st.lists(block(plain_word), min_size=1, max_size=5).map("\n\n".join)


def reader_of(article: str) -> ReaderText:
    return project(MD.parse(article))


def occurrences(text: str, needle: str) -> list[int]:
    return [m.start() for m in re.finditer(f"(?={re.escape(needle)})", text)]


def anchor(reader: ReaderText, article: str, exact: str, prefix: str | None = None,
           suffix: str | None = None) -> tuple[tuple[int, int] | None, Diagnostics]:
    diags = Diagnostics()
    quote = Quote(exact, Span("briefs/x.yaml", 9, 12), prefix, suffix)
    return find_quote(quote, reader, diags, "briefs/x.md", article.splitlines()), diags


@st.composite
def passage(draw: st.DrawFn, reader: ReaderText) -> tuple[int, str]:
    """A stripped passage of `reader.norm` within one block that occurs exactly once."""
    norm = reader.norm
    assume(norm.strip())
    start = draw(st.integers(0, len(norm) - 1))
    block_end = norm.find(BLOCK_BREAK, start)
    block_end = len(norm) if block_end == -1 else block_end
    for end in range(start + 1, block_end + 1):
        text = norm[start:end].strip()
        if text and len(occurrences(norm, text)) == 1:
            break
    else:
        assume(False)
    end += draw(st.integers(0, block_end - end))
    text = norm[start:end].strip()
    return norm.index(text, start), text


@SETTINGS
@given(article=articles, data=st.data())
def test_every_unique_passage_anchors_back_to_the_same_words(article: str,
                                                             data: st.DataObject) -> None:
    reader = reader_of(article)
    assume(reader.norm.strip())
    at, exact = data.draw(passage(reader))
    assert exact and BLOCK_BREAK not in exact and normalise(exact) == exact
    assert occurrences(reader.norm, exact) == [at]

    found, diags = anchor(reader, article, exact)

    assert [str(d) for d in diags] == []
    assert found is not None
    start, end = found
    assert normalise(reader.raw[start:end]) == exact
    assert reader.raw[start:end] == reader.raw[start:end].strip()
    assert (start, end) == reader.raw_span(at, at + len(exact))


@SETTINGS
@given(article=articles, data=st.data())
def test_the_raw_span_of_any_word_is_that_word(article: str, data: st.DataObject) -> None:
    """The normalised -> raw map is exact word by word, unique or not."""
    reader = reader_of(article)
    words = [m for m in re.finditer(r"[^ \n]+", reader.norm)]
    assume(words)
    match = data.draw(st.sampled_from(words))
    start, end = reader.raw_span(match.start(), match.end())
    straight = str.maketrans("\u201c\u201d\u2018\u2019", "\"\"''")
    assert reader.raw[start:end].translate(straight) == match.group()


@SETTINGS
@given(article=articles, data=st.data())
def test_prefix_and_suffix_choose_among_repeated_passages(article: str,
                                                          data: st.DataObject) -> None:
    """Prefix and suffix select the places whose neighbouring words match them."""
    reader = reader_of(article)
    norm = reader.norm
    assume(norm.strip())
    start = data.draw(st.integers(0, len(norm) - 1))
    end = data.draw(st.integers(start + 1, len(norm)))
    exact = norm[start:end].strip()
    assume(exact and BLOCK_BREAK not in exact)
    at = norm.index(exact, start)
    before = norm[:at].rsplit(BLOCK_BREAK, 1)[-1]
    after = norm[at + len(exact):].split(BLOCK_BREAK, 1)[0]
    prefix = before[len(before) - data.draw(st.integers(0, len(before))):].strip() or None
    suffix = after[:data.draw(st.integers(0, len(after)))].strip() or None

    def fits(p: int) -> bool:
        ok_prefix = prefix is None or re.search(re.escape(prefix) + r"\s?$", norm[:p])
        ok_suffix = suffix is None or re.match(r"\s?" + re.escape(suffix),
                                               norm[p + len(exact):])
        return bool(ok_prefix and ok_suffix)

    expected = [p for p in occurrences(norm, exact) if fits(p)]
    assert at in expected

    found, diags = anchor(reader, article, exact, prefix, suffix)

    if len(expected) == 1:
        assert [str(d) for d in diags] == []
        assert found == reader.raw_span(at, at + len(exact))
    else:
        assert found is None
        assert [str(d) for d in diags] == [
            f"briefs/x.yaml:9:12: error: quote found {len(expected)} times in the article: "
            f"\"{exact if len(exact) <= 80 else exact[:79].rstrip() + '…'}\""]


@SETTINGS
@given(article=plain_articles, data=st.data())
def test_an_anchor_names_the_line_and_column_where_the_quote_starts(article: str,
                                                                   data: st.DataObject) -> None:
    reader = reader_of(article)
    assume(reader.norm.strip())
    _, exact = data.draw(passage(reader))
    span = Span("briefs/x.yaml", 9, 12)
    claim = Claim("c", "x", (), "A claim.", Status.UNVERIFIED, dt.date(2024, 9, 9), span,
                  quote=Quote(exact, span))
    brief = Brief("x", "X", dt.date(2024, 9, 9), Source("AFP"), article, "briefs/x.md",
                  "briefs/x.yaml", span, claims=(claim,))
    diags = Diagnostics()
    source_lines = article.splitlines()

    (found,) = anchor_brief(brief, reader, source_lines, diags)

    assert [str(d) for d in diags] == []
    source = source_lines[found.line - 1]
    first_word = reader.raw[found.start:found.end].split()[0]
    assert source[found.col - 1:].startswith(first_word)
