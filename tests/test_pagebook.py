"""The record of every page of the last build: which pages a change touches."""

from __future__ import annotations

from site_builder.build.pagebook import PageBook
from site_builder.site.pages import EVERYTHING, PageSpec

IRAN, EU, BRIEF = ("actor", "iran"), ("actor", "eu"), ("brief", "b1")


def spec(path: str, *deps: tuple[str, str], unit: tuple[str, ...] = (),
         template: str = "brief.html") -> PageSpec:
    return PageSpec(path, template, dict, frozenset(deps), unit or (path,))


def book(*specs: PageSpec) -> PageBook:
    pages = PageBook()
    pages.remember(specs, set())
    return pages


def never(template: str) -> bool:
    return False


def test_the_units_showing_a_key_are_found_and_kept_up_to_date() -> None:
    pages = book(spec("a.html", IRAN, BRIEF), spec("b.html", EU), spec("c.html", IRAN))
    assert pages.units_showing(frozenset({IRAN})) == {("a.html",), ("c.html",)}
    pages.remember([spec("c.html", EU)], gone={"a.html"})  # c now shows the EU; a is gone
    assert pages.units_showing(frozenset({IRAN})) == set()
    assert pages.units_showing(frozenset({EU})) == {("b.html",), ("c.html",)}
    assert set(pages.pages) == {"b.html", "c.html"}


def test_a_page_is_due_when_new_moved_unwritten_touched_or_its_template_edited() -> None:
    shown = spec("a.html", IRAN)
    pages = book(shown, spec("all.html", *EVERYTHING))
    written = {"a.html", "all.html"}
    assert not pages.due(shown, frozenset({EU}), never, written)
    assert pages.due(shown, frozenset({IRAN}), never, written)  # shows what changed
    assert pages.due(spec("new.html", IRAN), frozenset(), never, written)  # new
    assert pages.due(spec("a.html", EU), frozenset(), never, written)  # shows other things
    assert pages.due(shown, frozenset(), never, {"all.html"})  # not on disk
    assert pages.due(shown, frozenset(), lambda t: t == "brief.html", written)
    assert pages.due(spec("all.html", *EVERYTHING), frozenset({EU}), never, written)
    assert not pages.due(spec("all.html", *EVERYTHING), frozenset(), never, written)


def test_the_pages_of_each_unit_and_template_are_kept_up_to_date() -> None:
    """A rebuild finds the pages of the units it plans and the units using an edited template
    from the book's index, kept up to date as pages come, go, and change unit or template."""
    pages = book(spec("a.html", IRAN, unit=("brief", "a")),
                 spec("a.jsonld", IRAN, unit=("brief", "a"), template="annotations.jsonld"),
                 spec("x.html", EU, unit=("actor", "x"), template="actor.html"))
    assert pages.paths_of([("brief", "a")]) == {"a.html", "a.jsonld"}
    assert pages.units_using(lambda t: t == "actor.html") == {("actor", "x")}
    pages.remember([spec("x.html", EU, unit=("actor", "x"), template="other.html"),
                    spec("y.html", IRAN, unit=("actor", "y"), template="actor.html")],
                   gone={"a.jsonld"})
    assert pages.paths_of([("brief", "a"), ("actor", "y")]) == {"a.html", "y.html"}
    assert pages.units_using(lambda t: t == "actor.html") == {("actor", "y")}
    assert pages.units_using(lambda t: t == "other.html") == {("actor", "x")}
    assert pages.units_using(never) == set()
    assert pages.units_showing(frozenset({IRAN})) == {("brief", "a"), ("actor", "y")}
    fresh = PageBook(pages.pages)  # the same pages, indexed anew
    for units in ([("brief", "a")], [("actor", "x")], [("actor", "y")]):
        assert fresh.paths_of(units) == pages.paths_of(units)
