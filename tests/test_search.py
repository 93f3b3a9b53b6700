"""Search (`search: true` in site.yaml): Pagefind's index of the brief pages, and its page.

Three briefs on one story, built with search on: only the brief pages are indexed, each with
its actors, stances, outlet and tags as filters; the header of every page has a search field;
a browser (Debian's Chromium) searches the site served under a sub-path, filters by an actor
and a stance, and follows a result to its brief. Without Pagefind the build says in one line
how to install it. Pagefind's own files are not byte-stable from one run to the next (the
order of a filter's values), so two builds are compared with the filters' contents sorted.

Without Pagefind (`pip install -e '.[test]'` installs it) these tests skip.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from sitetools import actor, brief, build, claim, output_files, read_page, response, write_site
from tools import open_browser, serve_directory

from site_builder.base.diagnostics import Diagnostics
from site_builder.site import urls
from site_builder.source import config

pytestmark = pytest.mark.skipif(not config.pagefind_installed(),
                                reason="Pagefind is not installed: pip install -e '.[search]'")

TIMEOUT_MS = 30_000  # generous: other jobs may share the cores
ACTORS = [actor("harbour-authority", "Harbour Authority", "organization"),
          actor("dockworkers-union", "Dockworkers Union", "organization"),
          actor("city-council", "City Council", "organization")]
STORY = {
    "2025-03-04-terminal": (
        "The Harbour Authority said the new terminal keeps every job.\n",
        brief("Terminal keeps every job, authority says", "2025-03-04", "Harbour Post",
              tags=["ports"],
              claims=[claim("jobs-kept", "harbour-authority", "The terminal keeps every job.",
                            "the new terminal keeps every job")])),
    "2025-03-11-rebuttal": (
        "The Dockworkers Union said the terminal plan cuts two hundred jobs.\n",
        brief("Union rebuts the terminal promise", "2025-03-11", "Coast Wire",
              tags=["ports", "labour"],
              responses=[response("jobs-kept", "dockworkers-union", "denies",
                                  "the terminal plan cuts two hundred jobs")])),
    "2025-03-19-council": (
        "The City Council said the terminal promise deserves a hearing.\n",
        brief("Council backs a terminal hearing", "2025-03-19", "Coast Wire",
              tags=["council"],
              responses=[response("jobs-kept", "city-council", "supports",
                                  "the terminal promise deserves a hearing")])),
}


def story_site(root: Path, search: bool = True) -> Path:
    return write_site(root, STORY, ACTORS,
                      {"title": "Harbour story", "search": "true" if search else "false"})


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = story_site(tmp_path_factory.mktemp("search"))
    result = build(root)
    assert [str(d) for d in result.diags.items] == []
    return result.out


def entry(out: Path) -> dict:
    return json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))


def test_only_the_brief_pages_are_indexed_with_their_filters(built: Path) -> None:
    assert entry(built)["languages"]["en"]["page_count"] == 3
    page = read_page(built, "briefs/2025-03-11-rebuttal/index.html")
    body = page.find("article")
    assert body is not None and "data-pagefind-body" in body.attrs
    filters = [(e.get("data-pagefind-filter"), e.text.strip())
               for e in page.iter() if e.get("data-pagefind-filter")]
    assert ("outlet", "Coast Wire") in filters
    assert ("tag", "ports") in filters and ("tag", "labour") in filters
    assert ("actor", "Dockworkers Union") in filters
    assert any(name == "stance:denies" for name, _ in filters)
    for rel in ("index.html", "briefs/index.html", "claims/jobs-kept/index.html"):
        assert 'data-pagefind-body' not in (built / rel).read_text(encoding="utf-8"), rel
    # what other briefs said (their titles, quotes) is not the words of this one
    first = read_page(built, "briefs/2025-03-04-terminal/index.html")
    for part in (first.find("section", class_="story"), first.find("nav", class_="brief-sequence")):
        assert part is not None and part.get("data-pagefind-ignore") == "all"


def test_every_page_has_the_search_field_and_the_search_page_is_there(built: Path) -> None:
    for rel in ("index.html", "briefs/2025-03-04-terminal/index.html", "404.html"):
        form = read_page(built, rel).find("form", class_="site-search")
        assert form is not None and form.get("role") == "search", rel
        assert form.find("input").get("name") == "q"
    assert read_page(built, "index.html").find("form").get("action") == "search/"
    assert read_page(built, "briefs/2025-03-04-terminal/index.html").find("form").get(
        "action") == "../../search/"
    search = read_page(built, "search/index.html")
    assert search.find("form", class_="site-search") is None  # its own field is Pagefind's
    assert search.by_id("search") is not None


def _sorted_filters(out: Path) -> dict[str, object]:
    """Pagefind's files, each filter file as the sorted bytes of its content (Pagefind writes
    a filter's values in no fixed order, and names the file, its meta and entry by them)."""
    found: dict[str, object] = {}
    for rel in sorted(output_files(out / "pagefind")):
        data = (out / "pagefind" / rel).read_bytes()
        if rel.startswith("filter/"):
            found.setdefault("filters", []).append(sorted(gzip.decompress(data)))  # type: ignore[union-attr]
        elif not re.search(r"(^|/)(pagefind\.\w+\.pf_meta|pagefind-entry\.json)$", rel):
            found[rel] = data
    found["filters"] = sorted(found.get("filters", []))  # type: ignore[type-var]
    return found


def test_two_builds_write_the_same_pages_and_the_same_index(built: Path, tmp_path: Path) -> None:
    again = build(story_site(tmp_path), cache=False).out
    pages = {p for p in output_files(built) if not p.startswith("pagefind/")}
    assert pages == {p for p in output_files(again) if not p.startswith("pagefind/")}
    assert all((built / p).read_bytes() == (again / p).read_bytes() for p in pages)
    assert _sorted_filters(built) == _sorted_filters(again)


def test_an_incremental_build_indexes_again_only_when_a_brief_page_changed(tmp_path: Path
                                                                           ) -> None:
    root = story_site(tmp_path / "site")
    out = build(root).out
    bundle = {p: (out / p).read_bytes() for p in output_files(out) if p.startswith("pagefind/")}
    # nothing changed: the index stays as it is
    assert build(root).outcome.report.written == ()
    # a brief changes: the index is made again, and finds its new words; old files go
    yaml_path = root / "briefs" / "2025-03-19-council.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace(
        "Council backs a terminal hearing", "Council backs a lighthouse hearing"),
        encoding="utf-8")
    report = build(root).outcome.report
    assert any(p.startswith("pagefind/fragment/") for p in report.written)
    cold = build(root, tmp_path / "cold", cache=False).out
    assert _sorted_filters(out) == _sorted_filters(cold)
    assert b"lighthouse" not in b"".join(bundle.values())
    fragments = [p for p in output_files(out) if p.startswith("pagefind/fragment/")]
    assert len(fragments) == 3  # the old brief's fragment is gone
    assert any(b"lighthouse" in gzip.decompress((out / p).read_bytes()) for p in fragments)


def test_turning_search_off_removes_the_index_and_the_search_page(tmp_path: Path) -> None:
    root = story_site(tmp_path)
    out = build(root).out
    story_site(root, search=False)
    removed = build(root).outcome.report.removed
    assert "search/index.html" in removed and "pagefind/pagefind.js" in removed
    assert not any(p.startswith(("pagefind/", "search/")) for p in output_files(out))
    assert read_page(out, "index.html").find("form", class_="site-search") is None


def test_without_pagefind_the_build_says_how_to_install_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(config, "pagefind_installed", lambda: False)
    result = build(story_site(tmp_path))
    assert [str(d) for d in result.diags.items] == [
        "site.yaml:2:9: warning: search needs Pagefind, which is not installed: the site is "
        "built without search"]
    assert [d.hint for d in result.diags.items] == [
        "install it with: pip install 'site-builder[search]'"]
    assert not (result.out / "search").exists() and not (result.out / "pagefind").exists()


def test_a_wrong_value_of_search_is_an_error(tmp_path: Path) -> None:
    root = write_site(tmp_path, STORY, ACTORS, {"search": "yes"})
    diags = Diagnostics()
    config.read_config(config.TextFile("site.yaml", (root / "site.yaml").read_text()), diags)
    assert [d.message for d in diags.errors] == ["'yes' is not a valid 'search' for site.yaml"]


@pytest.mark.parametrize("part", [urls.SEARCH_PART, 2], ids=["one-index", "in-parts"])
def test_a_browser_searches_the_site_under_a_sub_path(tmp_path: Path, monkeypatch,
                                                      part: int) -> None:
    """Served at /demo/ (as on GitHub Pages): search from the header, filter by an actor and
    a stance, follow the result to the brief. In parts too (two briefs per part here, as
    4,000 in a large site): the search page searches them together."""
    monkeypatch.setattr(urls, "SEARCH_PART", part)
    built = build(story_site(tmp_path / "site"), tmp_path / "demo").out
    bundles = ["pagefind/"] if part > 3 else ["pagefind/", "pagefind/part-2/"]
    assert sorted(p.parent.relative_to(built).as_posix() + "/"
                  for p in built.rglob("pagefind-entry.json")) == bundles
    with serve_directory(tmp_path) as url, open_browser() as browser:
        from playwright.sync_api import expect

        page = browser.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(url + "demo/")
        page.fill("#site-search-q", "terminal")
        page.click(".site-search button")
        expect(page).to_have_url(re.compile(r"/demo/search/\?q=terminal$"))
        results = page.locator(".pagefind-ui__result")
        expect(results).to_have_count(3, timeout=TIMEOUT_MS)

        page.locator(".pagefind-ui__filter-panel summary, .pagefind-ui__filter-name").first \
            .wait_for(timeout=TIMEOUT_MS)
        _open_filter(page, "actor")
        page.get_by_label(re.compile("^Dockworkers Union")).check()
        expect(results).to_have_count(1, timeout=TIMEOUT_MS)
        _open_filter(page, "stance")
        page.get_by_label(re.compile("^denies")).check()
        expect(results).to_have_count(1, timeout=TIMEOUT_MS)
        link = results.first.locator("a").first
        expect(link).to_have_text("Union rebuts the terminal promise")
        link.click()
        expect(page).to_have_url(url + "demo/briefs/2025-03-11-rebuttal/")
        expect(page.locator("h1")).to_have_text("Union rebuts the terminal promise")
        assert problems == []


def _open_filter(page, name: str) -> None:
    """Pagefind's filter groups are <details> elements, closed at first."""
    group = page.locator("details.pagefind-ui__filter-block", has_text=name)
    if group.get_attribute("open") is None:
        group.locator("summary").click()


def test_serve_serves_the_search(live_site, tmp_path: Path) -> None:
    import urllib.request

    live = live_site(story_site(tmp_path / "story"), base_url="https://x.github.io/demo/")
    base = f"http://127.0.0.1:{live.port}{live.base_path}"
    with urllib.request.urlopen(base + "search/") as answer:
        assert b"pagefind-ui.js" in answer.read()
    with urllib.request.urlopen(base + "pagefind/pagefind-entry.json") as answer:
        assert json.load(answer)["languages"]["en"]["page_count"] == 3


def test_when_pagefind_fails_nothing_is_written(tmp_path: Path, monkeypatch) -> None:
    """An index that cannot be made fails the build like a page that cannot be rendered:
    the output stays as the last build left it, index included."""
    from site_builder.build import search

    root = story_site(tmp_path)
    out = build(root).out
    before = {p: (out / p).read_bytes() for p in output_files(out)}
    monkeypatch.setattr(search, "_index", lambda site, bundle: "out of memory")
    yaml_path = root / "briefs" / "2025-03-19-council.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace(
        "Council backs a terminal hearing", "Council backs a vote"), encoding="utf-8")
    result = build(root, ok=False)
    assert result.outcome.report is None
    assert result.errors == ["site.yaml:1:1: error: the search index could not be made: "
                             "out of memory"]
    assert {p: (out / p).read_bytes() for p in output_files(out)} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output")] == []


def test_an_edit_indexes_again_only_the_part_that_holds_the_brief(tmp_path: Path,
                                                                   monkeypatch) -> None:
    """Two briefs per part: the third brief is in part 2. Editing it makes part 2 again and
    leaves part 1 as it is; adding a brief moves the parts' shares, so every part is made."""
    monkeypatch.setattr(urls, "SEARCH_PART", 2)
    root = story_site(tmp_path / "site")
    out = build(root).out

    def edit(name: str, old: str, new: str) -> tuple[str, ...]:
        path = root / "briefs" / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        report = build(root).outcome.report
        return tuple(p for p in report.written + report.removed if p.startswith("pagefind/"))

    # an article's words: the other briefs show its title and quotes (in their story), not them
    touched = edit("2025-03-19-council.md", "City Council said", "City Council stated")
    assert touched and all(p.startswith("pagefind/part-2/") for p in touched), touched
    touched = edit("2025-03-04-terminal.md", "Authority said", "Authority stated")
    assert touched and not any(p.startswith("pagefind/part-2/") for p in touched), touched
    cold = build(root, tmp_path / "cold", cache=False).out
    assert _sorted_filters(out) == _sorted_filters(cold)
    assert sorted(p for p in output_files(out) if "fragment/" in p) == \
        sorted(p for p in output_files(cold) if "fragment/" in p)

    (root / "briefs" / "2025-03-25-more.md").write_text("The terminal opens.\n", encoding="utf-8")
    (root / "briefs" / "2025-03-25-more.yaml").write_text(
        "title: Terminal opens\ndate: 2025-03-25\nsource:\n  outlet: Coast Wire\n",
        encoding="utf-8")
    report = build(root).outcome.report
    written = {p for p in report.written if p.startswith("pagefind/")}
    assert any(p.startswith("pagefind/part-2/") for p in written)
    assert len([p for p in output_files(out) if p.startswith("pagefind/part-2/fragment/")]) == 2
    cold = build(root, tmp_path / "cold2", cache=False).out
    assert _sorted_filters(out) == _sorted_filters(cold)


def test_a_rebuild_renders_the_search_page_only_when_its_parts_change(tmp_path: Path,
                                                                      monkeypatch) -> None:
    """The search page shows the parts of the index, not the briefs: a brief edited in
    `serve`'s builder leaves it alone; a brief that needs a new part renders it again, as a
    cold build writes it."""
    from site_builder.build import pagewrite
    from site_builder.build.builder import Builder

    monkeypatch.setattr(urls, "SEARCH_PART", 3)
    root = story_site(tmp_path / "site")
    builder = Builder(root, tmp_path / "out", jobs=1)
    assert builder.build(Diagnostics()).report is not None
    rendered: list[str] = []
    real = pagewrite.render_page

    def counted(spec, env):
        rendered.append(spec.path)
        return real(spec, env)

    monkeypatch.setattr(pagewrite, "render_page", counted)
    yaml_path = root / "briefs" / "2025-03-19-council.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace(
        "Council backs a terminal hearing", "Council backs a lighthouse hearing"),
        encoding="utf-8")
    assert builder.build(Diagnostics(), {"briefs/2025-03-19-council.yaml"}).report is not None
    assert "briefs/2025-03-19-council/index.html" in rendered
    assert urls.search() not in rendered
    (root / "briefs" / "2025-03-25-more.md").write_text("The terminal opens.\n", encoding="utf-8")
    (root / "briefs" / "2025-03-25-more.yaml").write_text(
        "title: Terminal opens\ndate: 2025-03-25\nsource:\n  outlet: Coast Wire\n",
        encoding="utf-8")
    assert builder.build(Diagnostics()).report is not None  # four briefs: a second part
    assert urls.search() in rendered
    cold = build(root, tmp_path / "cold", cache=False).out
    page = urls.search()
    assert (tmp_path / "out" / page).read_bytes() == (cold / page).read_bytes()
    assert b"../pagefind/part-2/" in (cold / page).read_bytes()
