"""Quotes marked in the article (site_builder/text/marks.py), checked on the built pages."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sitetools import (
    ROOT,
    SEED_SLUG,
    Element,
    actor,
    article,
    brief,
    broken_links,
    build,
    claim,
    marked_text,
    marks_of,
    parse_html,
    response,
    write_site,
)

from site_builder.base.diagnostics import Diagnostics, Span
from site_builder.source.model import Actor, Quote
from site_builder.text.anchor import Anchor, find_quote
from site_builder.text.marks import decorate
from site_builder.text.mentions import NameMatcher, named_in
from site_builder.text.readertext import ReaderText, make_markdown, normalise, project


def exact(quote: Any) -> str:
    return quote["exact"] if isinstance(quote, dict) else quote


def seed_quotes() -> dict[str, str]:
    """The mark id of every quote of the seed brief, and its exact words."""
    data = yaml.safe_load((ROOT / "briefs" / f"{SEED_SLUG}.yaml").read_text(encoding="utf-8"))
    quotes = {f"claim-{c['id']}": exact(c["quote"]) for c in data["claims"] if c.get("quote")}
    quotes |= {f"response-{n}": exact(r["quote"])
               for n, r in enumerate(data["responses"], start=1) if r.get("quote")}
    return quotes


def assert_marks_well_formed(doc: Element) -> None:
    """Marks nest validly: the page parses cleanly, no mark in a mark, no link in a link."""
    assert doc.errors == []
    for mark in doc.find_all("mark"):
        assert not any(p.tag == "mark" for p in mark.ancestors()), mark
        assert mark.find("a") is None, f"a link inside {mark!r}"
    for link in doc.find_all("a"):
        assert not any(p.tag == "a" for p in link.ancestors()), link


def back_link(doc: Element, key: str) -> Element:
    links = doc.find_all("a", href=f"#note-{key}", class_="mark-ref")
    assert len(links) == 1, key
    return links[0]


def follows(doc: Element, first: Element, then: Element) -> bool:
    order = list(doc.iter())
    return order.index(first) < order.index(then)


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory: pytest.TempPathFactory) -> Element:
    out = tmp_path_factory.mktemp("seed") / "out"
    return build(ROOT, out, cache=False).page(f"briefs/{SEED_SLUG}/index.html")


def test_every_seed_quote_is_marked(seed_page: Element) -> None:
    quotes = seed_quotes()
    assert len(quotes) == 15
    for key, quote in quotes.items():
        marks = marks_of(seed_page, key)
        assert marks, f"{key} is not marked"
        assert all(article(seed_page) in m.ancestors() for m in marks)
        assert marked_text(seed_page, key) == normalise(quote), key
        assert marks[0].get("id") == key or seed_page.by_id(key) is not None
        # The back-link to the note comes after the quote's last mark.
        assert follows(seed_page, marks[-1], back_link(seed_page, key))
        assert seed_page.by_id(f"note-{key}") is not None


def test_seed_marks_nest_validly(seed_page: Element) -> None:
    assert_marks_well_formed(seed_page)
    ids = [m.get("id") for m in seed_page.find_all("mark") if m.get("id")]
    assert sorted(ids) == sorted(seed_quotes())


def test_seed_quote_crossing_a_mention_is_split_around_the_link(seed_page: Element) -> None:
    # "... about the Wall Street Journal report ...": the actor's link holds a mark of its own.
    marks = marks_of(seed_page, "response-9")
    assert len(marks) == 3
    assert marks[1].parent.tag == "a"
    assert marks[1].text == "Wall Street Journal"


# --- fixture articles -------------------------------------------------------------------------

ACTORS = [actor("eu", "European Union", "organization"), actor("iran", "Iran"),
          actor("wsj", "Wall Street Journal", "media")]


def one_brief(tmp_path: Path, text: str, claims: list[dict], responses: list[dict]) -> Element:
    root = write_site(tmp_path / "site", {"b": (text, brief(
        "B", "2024-01-01", claims=claims, responses=responses))}, actors=ACTORS)
    built = build(root)
    assert broken_links(built.out) == []
    doc = built.page("briefs/b/index.html")
    assert_marks_well_formed(doc)
    return doc


def test_quote_across_bold_emphasis_and_link(tmp_path: Path) -> None:
    text = ("They said the **missiles were _delivered_ last** week, as [the paper](https://x.org)"
            " reported on Monday.\n")
    quote = "missiles were delivered last week, as the paper reported"
    doc = one_brief(tmp_path, text, [claim("c", "eu", "Delivered.", quote)],
                    [response("c", "iran", "denies")])
    marks = marks_of(doc, "claim-c")
    assert len(marks) >= 5
    assert {m.get("data-annotation") for m in marks} == {"claim-c"}
    assert marked_text(doc, "claim-c") == quote
    assert [m.get("id") for m in marks].count("claim-c") == 1
    assert marks[0].get("id") == "claim-c"
    parents = {m.parent.tag for m in marks}
    assert {"strong", "em", "a", "p"} <= parents
    assert follows(doc, marks[-1], back_link(doc, "claim-c"))


def test_overlapping_quotes(tmp_path: Path) -> None:
    text = "The European Union said Iran had delivered missiles to Russia last week.\n"
    first = "said Iran had delivered missiles"
    second = "delivered missiles to Russia"
    doc = one_brief(tmp_path, text, [claim("c", "eu", "Delivered.", first)],
                    [response("c", "iran", "denies", second)])
    assert marked_text(doc, "claim-c") == first
    assert marked_text(doc, "response-1") == second
    shared = [m for m in doc.find_all("mark")
              if set(m.get("data-annotation").split()) == {"claim-c", "response-1"}]
    assert [m.text for m in shared] == ["delivered missiles"]
    assert doc.by_id("claim-c").tag == "mark"
    assert doc.by_id("response-1").tag == "mark"
    # Each back-link comes after the end of its own quote.
    assert follows(doc, marks_of(doc, "claim-c")[-1], back_link(doc, "claim-c"))
    assert follows(doc, marks_of(doc, "response-1")[-1], back_link(doc, "response-1"))
    assert follows(doc, back_link(doc, "claim-c"), marks_of(doc, "response-1")[-1])


def test_quotes_starting_at_the_same_word(tmp_path: Path) -> None:
    text = "Iran had delivered missiles to Russia last week.\n"
    doc = one_brief(tmp_path, text,
                    [claim("c", "eu", "Delivered.", "Iran had delivered missiles")],
                    [response("c", "iran", "denies", "Iran had delivered missiles to Russia")])
    assert marked_text(doc, "claim-c") == "Iran had delivered missiles"
    assert marked_text(doc, "response-1") == "Iran had delivered missiles to Russia"
    # Both annotations have an element to link to, before the shared mark.
    assert doc.by_id("claim-c") is not None and doc.by_id("response-1") is not None


def test_quote_ending_inside_a_link_puts_the_back_link_after_it(tmp_path: Path) -> None:
    text = "The EU cited [reports in the press](https://example.org/press) on Monday.\n"
    doc = one_brief(tmp_path, text, [claim("c", "eu", "Reported.", "The EU cited reports")],
                    [response("c", "iran", "denies")])
    assert marked_text(doc, "claim-c") == "The EU cited reports"
    press = doc.find("a", href="https://example.org/press")
    assert press is not None and press.text == "reports in the press"
    ref = back_link(doc, "claim-c")
    assert press not in ref.ancestors()
    assert follows(doc, press, ref)
    assert not any(e is ref for e in press.iter())


def test_quote_ending_inside_a_mention_puts_the_back_link_after_it(tmp_path: Path) -> None:
    text = "It cited the Wall Street Journal on Monday.\n"
    doc = one_brief(tmp_path, text, [claim("c", "wsj", "Cited.", "It cited the Wall Street")],
                    [response("c", "iran", "denies")])
    mention = doc.find("a", id="mention-wsj")
    assert mention is not None and mention.text == "Wall Street Journal"
    assert marked_text(doc, "claim-c") == "It cited the Wall Street"
    ref = back_link(doc, "claim-c")
    assert mention not in ref.ancestors() and follows(doc, mention, ref)


def test_quote_starting_inside_a_link(tmp_path: Path) -> None:
    text = "See [the full report](https://example.org) for details.\n"
    doc = one_brief(tmp_path, text, [claim("c", "eu", "Report.", "full report for details")],
                    [response("c", "iran", "denies")])
    marks = marks_of(doc, "claim-c")
    assert marked_text(doc, "claim-c") == "full report for details"
    assert marks[0].parent.tag == "a"


def test_quote_with_inline_code_marks_the_code_whole(tmp_path: Path) -> None:
    text = "The file `missiles.csv` lists every delivery.\n"
    doc = one_brief(tmp_path, text, [claim("c", "eu", "Listed.", "missiles.csv lists every")],
                    [response("c", "iran", "denies")])
    code = doc.find("code")
    assert code is not None and code.text == "missiles.csv"
    assert code.parent.tag == "mark"
    assert marked_text(doc, "claim-c") == "missiles.csv lists every"


def test_quote_with_typographic_quotes_and_html_characters(tmp_path: Path) -> None:
    text = "He said \u201cwe won\u2019t <stop> & won\u2019t wait\u201d, twice.\n"
    doc = one_brief(tmp_path, text,
                    [claim("c", "eu", "Said.", "we won't <stop> & won't wait")],
                    [response("c", "iran", "denies")])
    assert marked_text(doc, "claim-c") == "we won't <stop> & won't wait"
    assert doc.find("stop") is None


def test_quote_across_a_hard_line_break(tmp_path: Path) -> None:
    text = "They said the missiles  \nwere delivered.\n"
    doc = one_brief(tmp_path, text, [claim("c", "eu", "Said.", "the missiles were delivered")],
                    [response("c", "iran", "denies")])
    texts = [m.text for m in marks_of(doc, "claim-c")]
    assert normalise(" ".join(texts)) == "the missiles were delivered"


def test_quote_across_a_soft_line_break(tmp_path: Path) -> None:
    text = "They said the missiles\nwere delivered.\n"
    doc = one_brief(tmp_path, text, [claim("c", "eu", "Said.", "the missiles were delivered")],
                    [response("c", "iran", "denies")])
    assert marked_text(doc, "claim-c") == "the missiles were delivered"


def test_decorate_leaves_the_parsed_tokens_alone() -> None:
    tokens = MD.parse("The **European Union** said so, [it said](https://x.org).\n")
    reader = project(tokens)
    before = copy.deepcopy(tokens)
    found = find_quote(Quote("Union said so, it", Span("b.yaml")), reader, Diagnostics(),
                       "b.md", [])
    assert found is not None
    decorated = decorate(tokens, reader, [Anchor("claim-c", *found, 1, 1)],
                         named_in(reader, MATCHER).firsts, lambda a: f"../{a}/",
                         {"claim-c": "C1"})
    assert [t.as_dict() for t in tokens] == [t.as_dict() for t in before]
    assert [t.as_dict() for t in decorated] != [t.as_dict() for t in before]


# --- any quote of any article -----------------------------------------------------------------

MD = make_markdown()
MATCHER = NameMatcher([
    Actor("iran", "Iran", "state", Span("briefs/_actors.yaml")),
    Actor("eu", "European Union", "organization", Span("briefs/_actors.yaml"), aliases=("EU",)),
])
WORDS = ("Iran", "Iranian", "European", "Union", "EU", "said", "the", "missiles", "were",
         "delivered", "today", "«quoted»", "it's", "R&D", "<b>")
WRAPS = ("{}", "{}", "{}", "**{}**", "_{}_", "[{}](https://x.org/a)", "~~{}~~")
SEPARATORS = (" ", " ", " ", "\n", "  \n")


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
        separator = draw(st.sampled_from(SEPARATORS))
        if len(words) == 1 and draw(st.booleans()):
            parts.append(f"`{words[0]}`")  # code is marked whole: only one word in it
        else:
            parts.append(draw(st.sampled_from(WRAPS)).format(separator.join(words)))
    return draw(st.sampled_from(SEPARATORS)).join(parts)


def passage(draw: st.DrawFn, reader: ReaderText) -> str:
    block = draw(st.sampled_from([b for b in reader.norm.split("\n") if b.strip()]))
    words = block.split(" ")
    start = draw(st.integers(0, len(words) - 1))
    end = draw(st.integers(start + 1, len(words)))
    return " ".join(words[start:end])


@given(data=st.data())
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_any_quote_is_marked_exactly_and_nests_validly(data: st.DataObject) -> None:
    text = "\n\n".join(data.draw(st.lists(paragraph(), min_size=1, max_size=3)))
    tokens = MD.parse(text)
    reader = project(tokens)
    assume(reader.norm.strip())
    quotes = {"claim-a": passage(data.draw, reader), "response-1": passage(data.draw, reader)}
    anchors = []
    for key, quote in quotes.items():
        diags = Diagnostics()
        found = find_quote(Quote(quote, Span("b.yaml")), reader, diags, "b.md", [])
        assume(found is not None)
        anchors.append(Anchor(key, *found, 1, 1))
    mentions = named_in(reader, MATCHER).firsts
    decorated = decorate(tokens, reader, anchors, mentions, lambda a: f"../{a}/",
                         {"claim-a": "C1", "response-1": "R1"})
    doc = parse_html(MD.renderer.render(decorated, MD.options, {}))
    assert_marks_well_formed(doc)
    for key, quote in quotes.items():
        assert marked_text(doc, key) == normalise(quote), (text, key, quote)
        assert doc.by_id(key) is not None
        assert follows(doc, marks_of(doc, key)[-1], back_link(doc, key))
    assert len(doc.find_all("a", class_="actor-link")) == len(mentions)
