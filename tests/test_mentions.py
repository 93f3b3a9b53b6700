"""Actors named in articles (site_builder/text/mentions.py), and their links in brief pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitetools import Element, actor, article, brief, broken_links, build, write_site

from site_builder.base.diagnostics import Span
from site_builder.source.model import Actor
from site_builder.text.mentions import Mention, NameMatcher, named_in
from site_builder.text.readertext import make_markdown, project

MD = make_markdown()


def find_all(matcher: NameMatcher, text: str) -> list[Mention]:
    """Every whole-word occurrence, leftmost-longest, without overlaps."""
    return [Mention(actor, *match.span()) for actor, match in matcher.matches(text)]


def make_actor(ident: str, name: str, *aliases: str) -> Actor:
    return Actor(ident, name, "state", Span("briefs/_actors.yaml"), aliases=aliases)


MATCHER = NameMatcher([
    make_actor("iran", "Iran", "Tehran"),
    make_actor("iran-fm", "Iranian foreign ministry", "Iran's foreign ministry"),
    make_actor("wsj", "Wall Street Journal", "WSJ"),
    make_actor("wall-street", "Wall Street"),
    make_actor("zurich", "Zürich Council"),
    make_actor("greece", "Ελλάδα"),
    make_actor("us", "United States", "US"),
])


def found(text: str) -> list[tuple[str, str]]:
    return [(m.actor, text[m.start:m.end]) for m in find_all(MATCHER, text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Iran said", [("iran", "Iran")]),
    ("Iranian officials", []),
    ("the Iranian foreign ministry said", [("iran-fm", "Iranian foreign ministry")]),
    ("Iran's foreign ministry said", [("iran-fm", "Iran's foreign ministry")]),
    ("Iran's missiles", [("iran", "Iran")]),
    ("in Tehran.", [("iran", "Tehran")]),
    ("PreIran", []),
    ("Iran2", []),
    ("Iran_x", []),
    ("iran and IRAN", []),  # names are proper nouns: case counts
    ("the Wall Street Journal", [("wsj", "Wall Street Journal")]),  # longest name wins
    ("on Wall Street today", [("wall-street", "Wall Street")]),
    ("the Zürich Council met", [("zurich", "Zürich Council")]),
    ("the Zürich Councils met", []),
    ("Zürich Council's vote", [("zurich", "Zürich Council")]),
    ("Ελλάδα και Τουρκία", [("greece", "Ελλάδα")]),
    ("της Ελλάδας", []),
    ("ΝέαΕλλάδα", []),
    ("«Ελλάδα»", [("greece", "Ελλάδα")]),
    ("US and USA", [("us", "US")]),
    ("Tehran, Iran, Tehran", [("iran", "Tehran"), ("iran", "Iran"), ("iran", "Tehran")]),
])
def test_find_all_whole_words(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def reader(markdown: str):
    return project(MD.parse(markdown))


def firsts(markdown: str) -> list[tuple[str, str]]:
    text = reader(markdown)
    return [(m.actor, text.raw[m.start:m.end]) for m in named_in(text, MATCHER).firsts]


def test_first_mention_only() -> None:
    assert firsts("Iran spoke. Tehran and Iran again.\n\nIran.") == [("iran", "Iran")]


def test_first_mention_skips_link_text_and_split_names() -> None:
    # Inside a link a mention cannot become a link; across emphasis it cannot be one link.
    text = "[Iran](https://x.org) and **Wall** Street Journal; later Tehran and the WSJ."
    assert firsts(text) == [("iran", "Tehran"), ("wsj", "WSJ")]


def test_mentioned_actors_counts_every_occurrence_even_unlinkable() -> None:
    text = reader("[Iran](https://x.org) and **Wall** Street Journal.")
    assert named_in(text, MATCHER).actors == {"iran", "wsj"}


def test_names_in_inline_code_are_not_linked() -> None:
    assert firsts("`Iran` then Iran") == [("iran", "Iran")]
    text = reader("`Iran` then Iran")
    assert named_in(text, MATCHER).firsts[0].start == text.raw.rindex("Iran")


def test_a_name_of_two_actors_goes_to_the_smaller_id() -> None:
    matcher = NameMatcher([make_actor("zeta", "Union"), make_actor("alpha", "Beta", "Union")])
    assert [m.actor for m in find_all(matcher, "Union and Beta")] == ["alpha", "alpha"]


def test_a_name_ending_in_punctuation_and_one_inside_a_longer_miss() -> None:
    matcher = NameMatcher([make_actor("us", "U.S."), make_actor("a", "A-B C"),
                           make_actor("b", "B C")])
    text = "the U.S. said; xA-B C; A-B C"
    assert [(m.actor, text[m.start:m.end]) for m in find_all(matcher, text)] == [
        ("us", "U.S."), ("b", "B C"), ("a", "A-B C")]
    assert find_all(matcher, "U.S.A") == [] and find_all(NameMatcher([]), "Iran") == []


def test_names_with_leading_or_trailing_space_are_ignored() -> None:
    matcher = NameMatcher([make_actor("x", " Iran")])
    assert find_all(matcher, "Iran") == []


# --- in the built page ------------------------------------------------------------------------

ARTICLE = """\
The Zürich Council met officials of Ελλάδα. Iranian diplomats and Iran's foreign ministry
were there; Iran said little.

Later, the Zürich Council and Ελλάδα spoke again, and Iran too.
"""


def actor_links(doc: Element) -> dict[str, int]:
    counts: dict[str, int] = {}
    for a in article(doc).find_all("a"):
        href = a.get("href") or ""
        if href.startswith("../../actors/"):
            counts[href] = counts.get(href, 0) + 1
    return counts


def test_first_mentions_link_to_actor_pages(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"b": (ARTICLE, brief("B", "2024-01-01"))}, actors=[
        actor("zurich", "Zürich Council", "organization"),
        actor("greece", "Ελλάδα"),
        actor("iran", "Iran"),
        actor("iran-fm", "Iranian foreign ministry", "organization",
              aliases=["Iran's foreign ministry"]),
    ])
    built = build(root)
    doc = built.page("briefs/b/index.html")
    assert actor_links(doc) == {
        "../../actors/zurich/": 1,
        "../../actors/greece/": 1,
        "../../actors/iran/": 1,
        "../../actors/iran-fm/": 1,
    }
    by_href = {a.get("href"): a for a in article(doc).find_all("a")}
    assert by_href["../../actors/zurich/"].text == "Zürich Council"
    assert by_href["../../actors/greece/"].text == "Ελλάδα"
    assert by_href["../../actors/iran-fm/"].text == "Iran's foreign ministry"
    # 'Iranian' does not link Iran: its link is on the later, whole word.
    iran = by_href["../../actors/iran/"]
    assert iran.text == "Iran"
    assert iran.get("id") == "mention-iran"
    first_paragraph = article(doc).find("p")
    assert "Iranian diplomats" in first_paragraph.text
    assert iran in first_paragraph.iter()
    assert iran.parent.tag == "p"
    # The first mention is linked, later ones are plain text.
    second = article(doc).find_all("p")[1]
    assert second.find_all("a") == []
    assert broken_links(built.out) == []


def test_mention_links_never_nest_in_article_links(tmp_path: Path) -> None:
    text = "[Iran at the UN](https://example.org/un) then Iran.\n"
    built = build(write_site(tmp_path / "site", {"b": (text, brief("B", "2024-01-01"))},
                             actors=[actor("iran", "Iran")]))
    doc = built.page("briefs/b/index.html")
    for a in doc.find_all("a"):
        assert not any(p.tag == "a" for p in a.ancestors()), a
    links = article(doc).find_all("a")
    assert [a.get("href") for a in links] == ["https://example.org/un",
                                              "../../actors/iran/"]
