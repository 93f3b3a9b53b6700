"""Cross-references of a site (site_builder/site/index.py): timelines, claim threads, targets.

Each test checks the index itself, and where it shows, the page built from it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sitetools import (
    Element,
    actor,
    brief,
    broken_links,
    build,
    checked_site,
    claim,
    marked_text,
    response,
    write_site,
)

from site_builder.base.diagnostics import Diagnostics
from site_builder.site.index import build_index
from site_builder.site.views import SiteIndex
from site_builder.text.readertext import normalise

ACTORS = [
    actor("iran", "Iran"),
    actor("iran-fm", "Iranian foreign ministry", "organization", part_of="iran"),
    actor("kanani", "Nasser Kanani", "person", part_of="iran-fm"),
    actor("eu", "European Union", "organization"),
    actor("russia", "Russia"),
]


def index_of(root: Path) -> SiteIndex:
    diags = Diagnostics()
    checked = checked_site(root, diags)
    assert diags.errors == [], [str(d) for d in diags.errors]
    return build_index(checked)


def three_briefs(root: Path) -> Path:
    """Iran claims something in three briefs; file names are not in date order."""
    briefs = {}
    for slug, date in (("c-march", "2024-03-05"), ("a-january", "2024-01-20"),
                       ("b-february", "2024-02-10")):
        word = slug.split("-")[1].capitalize()
        briefs[slug] = (f"Iran said {word} things.\n", brief(
            f"Brief of {word}", date,
            claims=[claim(f"said-{slug}", "iran", f"Iran said {word} things.",
                          f"said {word} things")],
            responses=[response(f"said-{slug}", "eu", "questions")]))
    return write_site(root, briefs, actors=ACTORS)


def test_timeline_is_in_date_order_across_briefs(tmp_path: Path) -> None:
    index = index_of(three_briefs(tmp_path / "site"))
    timeline = index.actors["iran"].timeline
    claims = [e for e in timeline if e.kind == "claim"]
    assert [e.date for e in claims] == [dt.date(2024, 1, 20), dt.date(2024, 2, 10),
                                        dt.date(2024, 3, 5)]
    assert [e.brief.slug for e in claims] == ["a-january", "b-february", "c-march"]
    assert [e.date for e in timeline] == sorted(e.date for e in timeline)
    assert [b.slug for b in index.actors["iran"].briefs] == ["a-january", "b-february",
                                                            "c-march"]


def brief_links(page: Element) -> list[str]:
    """Links from a page into brief pages, with their fragment, in document order."""
    main = page.find("main")
    assert main is not None
    return [a.get("href") for a in main.find_all("a")
            if re.search(r"briefs/[^/]+/#", a.get("href") or "")]


def test_timeline_page_is_in_date_order(tmp_path: Path) -> None:
    built = build(three_briefs(tmp_path / "site"))
    page = built.page("actors/iran/index.html")
    slugs = [re.search(r"briefs/([^/]+)/", h).group(1) for h in brief_links(page)]
    assert list(dict.fromkeys(slugs)) == ["a-january", "b-february", "c-march"]
    dates = [t.get("datetime") for t in page.find("main").find_all("time")]
    assert dates[:3] == ["2024-01-20", "2024-02-10", "2024-03-05"]
    assert broken_links(built.out) == []


def test_briefs_and_threads_newest_first(tmp_path: Path) -> None:
    index = index_of(three_briefs(tmp_path / "site"))
    assert [v.brief.slug for v in index.briefs] == ["c-march", "b-february", "a-january"]
    assert list(index.threads) == ["said-c-march", "said-b-february", "said-a-january"]
    assert index.brief("b-february").brief.title == "Brief of February"


# --- a claim answered across briefs -----------------------------------------------------------

CLAIM_QUOTE = "Iran had supplied Russia with ballistic missiles"
LATER_QUOTE = "We strongly reject the claims"
LATEST_QUOTE = "The European Union will respond swiftly"


def answered_elsewhere(root: Path) -> Path:
    """A claim made in one brief and answered in two later ones (plus once in its own)."""
    return write_site(root, {
        "zz-claim": (f"The European Union said {CLAIM_QUOTE}. Russia said nothing.\n", brief(
            "The claim", "2024-09-09",
            claims=[claim("missiles", "eu", "Iran sent missiles to Russia.", CLAIM_QUOTE,
                          about=["iran", "russia"])],
            responses=[response("missiles", "russia", "no-comment")])),
        "mm-denial": (f'Nasser Kanani said: "{LATER_QUOTE} on Iran\'s role."\n', brief(
            "The denial", "2024-09-10",
            responses=[response("missiles", "kanani", "denies", LATER_QUOTE)])),
        "aa-threat": (f"Again: {LATEST_QUOTE}, it said.\n\nAnd Iran denied again.\n", brief(
            "The threat", "2024-09-12",
            responses=[response("missiles", "eu", "threatens", LATEST_QUOTE),
                       response("missiles", "iran", "denies", date="2024-09-11",
                                note="No quote: the response is linked by its note.")])),
    }, actors=ACTORS)


def test_thread_gathers_responses_from_every_brief(tmp_path: Path) -> None:
    index = index_of(answered_elsewhere(tmp_path / "site"))
    thread = index.threads["missiles"]
    assert thread.brief.slug == "zz-claim"
    assert thread.target == "claim-missiles"
    entries = [(e.response.date.isoformat(), e.brief.slug, e.response.by.id, e.target)
               for e in thread.responses]
    assert entries == [
        ("2024-09-09", "zz-claim", "russia", "note-response-1"),  # no quote: the side note
        ("2024-09-10", "mm-denial", "kanani", "response-1"),
        ("2024-09-11", "aa-threat", "iran", "note-response-2"),
        ("2024-09-12", "aa-threat", "eu", "response-1"),
    ]
    # The tally follows the order of the stances, not of the responses.
    assert [(s.name, n) for s, n in thread.tally] == [("no-comment", 1), ("threatens", 1),
                                                      ("denies", 2)]


def test_claim_page_links_every_brief_to_the_right_marks(tmp_path: Path) -> None:
    built = build(answered_elsewhere(tmp_path / "site"))
    assert broken_links(built.out) == []
    page = built.page("claims/missiles/index.html")
    links = brief_links(page)
    assert {h.split("#")[0] for h in links} == {
        f"../../briefs/{s}/" for s in ("zz-claim", "mm-denial", "aa-threat")}
    # Every response, in date order, then the claim's own place (wherever the theme puts it).
    responses = [h for h in links if "#claim-" not in h]
    assert responses == [
        "../../briefs/zz-claim/#note-response-1",
        "../../briefs/mm-denial/#response-1",
        "../../briefs/aa-threat/#note-response-2",
        "../../briefs/aa-threat/#response-1",
    ]
    expected = {
        "../../briefs/zz-claim/#claim-missiles": CLAIM_QUOTE,
        "../../briefs/mm-denial/#response-1": LATER_QUOTE,
        "../../briefs/aa-threat/#response-1": LATEST_QUOTE,
    }
    assert set(expected) <= set(links)
    for href, quote in expected.items():
        assert quote in page.text
        path, fragment = href.removeprefix("../../").split("#")
        target = built.page(path + "index.html")
        mark = target.by_id(fragment)
        assert mark is not None and mark.tag == "mark", href
        assert fragment in mark.get("data-annotation").split()
        assert marked_text(target, fragment) == normalise(quote)
    # A response without a quote links to its note beside the article.
    note = built.page("briefs/aa-threat/index.html").by_id("note-response-2")
    assert note is not None and "linked by its note" in note.text


def test_brief_page_links_responses_to_claims_of_other_briefs(tmp_path: Path) -> None:
    built = build(answered_elsewhere(tmp_path / "site"))
    page = built.page("briefs/mm-denial/index.html")
    hrefs = [a.get("href") for a in page.find_all("a")]
    assert "../../claims/missiles/" in hrefs
    assert page.by_id("note-response-1") is not None
    assert "#note-response-1" in [a.get("href") for a in page.find_all("a", class_="mark-ref")]


# --- actors -----------------------------------------------------------------------------------


def test_part_of_chain_and_members(tmp_path: Path) -> None:
    index = index_of(answered_elsewhere(tmp_path / "site"))
    assert [a.id for a in index.actors["kanani"].chain] == ["iran-fm", "iran"]
    assert [a.id for a in index.actors["iran"].members] == ["iran-fm"]
    assert [a.id for a in index.actors["iran-fm"].members] == ["kanani"]


def test_actor_events_cover_claims_subjects_responses_and_mentions(tmp_path: Path) -> None:
    index = index_of(answered_elsewhere(tmp_path / "site"))
    iran = [(e.kind, e.brief.slug) for e in index.actors["iran"].timeline]
    assert iran == [("subject", "zz-claim"), ("mention", "mm-denial"), ("response", "aa-threat")]
    eu = [(e.kind, e.brief.slug, e.target) for e in index.actors["eu"].timeline]
    assert eu == [("claim", "zz-claim", "claim-missiles"),
                  ("response", "aa-threat", "response-1")]
    stances = index.actors["kanani"].stances
    assert [(s.response.stance, s.brief.slug) for s in stances] == [("denies", "mm-denial")]


def test_actor_only_named_in_an_article_gets_a_mention_event(tmp_path: Path) -> None:
    root = answered_elsewhere(tmp_path / "site")
    index = index_of(root)
    # Iran is named in mm-denial without being part of an annotation there.
    mentions = [e for e in index.actors["iran"].timeline if e.kind == "mention"]
    assert [(e.brief.slug, e.target) for e in mentions] == [("mm-denial", "mention-iran")]
    built = build(root)
    assert built.page("briefs/mm-denial/index.html").by_id("mention-iran") is not None


def test_mention_that_cannot_be_linked_still_leads_to_the_brief(tmp_path: Path) -> None:
    """An actor named only inside a link or across emphasis has no mention link to aim at."""
    root = write_site(tmp_path / "site", {
        "b": ("[Iran](https://example.org) and **Peter** Stano spoke. Russia said it.\n", brief(
            "B", "2024-01-01",
            claims=[claim("c", "russia", "Russia said it.", "Russia said it")],
            responses=[response("c", "eu", "questions")])),
    }, actors=[*ACTORS, actor("stano", "Peter Stano", "person")])
    index = index_of(root)
    for actor_id in ("iran", "stano"):
        events = [e for e in index.actors[actor_id].timeline if e.kind == "mention"]
        assert [e.brief.slug for e in events] == ["b"], actor_id
    built = build(root)
    assert broken_links(built.out) == []


def test_companions_count_briefs_shared(tmp_path: Path) -> None:
    index = index_of(answered_elsewhere(tmp_path / "site"))
    companions = {a.id: n for a, n in index.actors["eu"].companions}
    assert companions["iran"] == 2  # zz-claim and aa-threat
    assert companions["russia"] == 1  # zz-claim only
    assert "eu" not in companions


def test_response_and_claim_dates_default_to_the_brief(tmp_path: Path) -> None:
    index = index_of(answered_elsewhere(tmp_path / "site"))
    assert index.threads["missiles"].claim.date == dt.date(2024, 9, 9)
    dates = {e.brief.slug: e.response.date for e in index.threads["missiles"].responses
             if e.response.by.id != "iran"}
    assert dates == {"zz-claim": dt.date(2024, 9, 9), "mm-denial": dt.date(2024, 9, 10),
                     "aa-threat": dt.date(2024, 9, 12)}


def test_many_responses_in_one_brief_keep_their_order(tmp_path: Path) -> None:
    """response-10 comes after response-9, on the actor's timeline and in the thread."""
    sentences = [f"Answer number {n} was given." for n in range(1, 13)]
    root = write_site(tmp_path / "site", {"b": (" ".join(sentences) + "\n", brief(
        "B", "2024-01-01", claims=[claim("c", "iran", "Something.")],
        responses=[response("c", "eu", "denies", s.removesuffix(".") if n % 3 else None)
                   for n, s in enumerate(sentences, start=1)]))},
        actors=ACTORS)
    index = index_of(root)
    # Every third response has no quote: it is linked by its note, and keeps its place.
    expected = [f"response-{n}" if n % 3 else f"note-response-{n}" for n in range(1, 13)]
    assert [e.target for e in index.actors["eu"].timeline] == expected
    assert [e.target for e in index.threads["c"].responses] == expected
    built = build(root)
    page = built.page("claims/c/index.html")
    assert [h.split("#")[1] for h in brief_links(page) if "response-" in h] == expected
