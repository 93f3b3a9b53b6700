"""Page paths and the links between pages (site_builder/site/urls.py)."""

from __future__ import annotations

import posixpath

import pytest

from site_builder.site import urls

PAGES = [
    urls.home(),
    urls.listing("briefs"),
    urls.listing("briefs", 3),
    urls.listing("claims", 2),
    urls.brief("2024-09-09-iran-missiles-russia"),
    urls.actor("iran"),
    urls.actor_page("iran", 2),
    urls.claim("iran-sent-missiles-to-russia"),
    urls.STYLESHEET,
    "404.html",
    urls.site_feed(),
    urls.actor_feed("iran"),
    urls.claim_feed("iran-sent-missiles-to-russia"),
    urls.tag_feed("C++ / Energy"),
]


def test_paths_of_the_format() -> None:
    assert urls.home() == "index.html"
    assert urls.brief("a-b") == "briefs/a-b/index.html"
    assert urls.actor("iran") == "actors/iran/index.html"
    assert urls.claim("c-1") == "claims/c-1/index.html"
    assert urls.listing("actors") == "actors/index.html"
    assert urls.listing("claims") == "claims/index.html"
    assert urls.listing("briefs") == "briefs/index.html"


def test_paths_of_long_lists() -> None:
    assert urls.listing("claims", 1) == "claims/index.html"
    assert urls.listing("claims", 2) == "claims/page/2/index.html"
    assert urls.listing("home", 1) == "index.html"
    assert urls.listing("home", 2) == "page/2/index.html"
    assert urls.actor_page("iran", 1) == urls.actor("iran")
    assert urls.actor_page("iran", 3) == "actors/iran/page/3/index.html"


def test_paths_of_the_feeds() -> None:
    assert urls.site_feed() == "feed.xml"
    assert urls.actor_feed("iran") == "actors/iran/feed.xml"
    assert urls.claim_feed("c-1") == "claims/c-1/feed.xml"
    assert urls.tag_feed("ballistic-missiles") == "tags/ballistic-missiles/feed.xml"
    assert urls.tag_feed("C++ / Energy") == "tags/c-energy-99996eacc4/feed.xml"
    assert urls.pretty(urls.actor_feed("iran")) == "actors/iran/feed.xml"


def test_pretty() -> None:
    assert urls.pretty("index.html") == ""
    assert urls.pretty("actors/iran/index.html") == "actors/iran/"
    assert urls.pretty("style.css") == "style.css"
    assert urls.pretty("img/myindex.html") == "img/myindex.html"  # not a folder's page


def resolve(here: str, link: str) -> str:
    """The file a relative link on `here` reaches, as a web server answers it (a folder with
    its index.html), and its #fragment if any."""
    path, _, fragment = link.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(here), path))
    if path.endswith("/"):
        target = urls.INDEX if target == "." else f"{target}/{urls.INDEX}"
    return f"{target}#{fragment}" if fragment else target


@pytest.mark.parametrize("files", [False, True])
@pytest.mark.parametrize("here", PAGES)
@pytest.mark.parametrize("target", PAGES)
def test_relative_link_reaches_its_target(here: str, target: str, files: bool) -> None:
    link = urls.Linker(here, files=files).to(target)
    assert not link.startswith("/")
    assert "://" not in link
    assert resolve(here, link) == target
    assert link.endswith("index.html") == (files and target.endswith("index.html"))


@pytest.mark.parametrize("here", ["index.html", "briefs/index.html", "briefs/x/index.html",
                                  "claims/page/2/index.html", "actors/iran/index.html",
                                  "actors/iran/page/2/index.html"])
def test_actor_link_from_each_depth(here: str) -> None:
    link = urls.Linker(here).actor("iran")
    assert resolve(here, link) == "actors/iran/index.html"
    assert link.endswith("actors/iran/")
    link = urls.Linker(here, files=True).actor("iran")
    assert resolve(here, link) == "actors/iran/index.html"
    assert link.endswith("actors/iran/index.html")


def test_links_point_at_folders_as_web_servers_answer_them() -> None:
    here = "briefs/x/index.html"
    linker = urls.Linker(here)
    assert linker.listing("claims") == "../../claims/"
    assert linker.to("index.html") == "../../"
    assert linker.asset("style.css") == "../../style.css"
    assert linker.listing("briefs", 2) == "../../briefs/page/2/"
    assert urls.Linker("index.html").to("index.html") == "./"  # the home page, from itself
    assert urls.Linker("index.html").listing("actors") == "actors/"


def test_file_links_name_index_html_so_they_work_from_disk() -> None:
    here = "briefs/x/index.html"
    linker = urls.Linker(here, files=True)
    assert linker.listing("claims") == "../../claims/index.html"
    assert linker.to("index.html") == "../../index.html"
    assert linker.asset("style.css") == "../../style.css"
    assert resolve(here, linker.listing("briefs", 2)) == "briefs/page/2/index.html"
    assert urls.Linker("index.html", files=True).to("index.html") == "index.html"


def test_fragments() -> None:
    here = "claims/c/index.html"
    linker = urls.Linker(here)
    assert linker.brief("b", "response-2") == "../../briefs/b/#response-2"
    assert resolve(here, linker.claim("c", "tally")) == "claims/c/index.html#tally"
    assert linker.brief("b") == "../../briefs/b/"
    assert urls.Linker("index.html").to("index.html", "latest") == "./#latest"
    assert urls.Linker(here, files=True).brief("b", "response-2") == \
        "../../briefs/b/index.html#response-2"


@pytest.mark.parametrize(("base", "target", "expected"), [
    ("/", "style.css", "/style.css"),
    ("/", "index.html", "/"),
    ("/briefs-demo/", "style.css", "/briefs-demo/style.css"),
    ("/briefs-demo/", "index.html", "/briefs-demo/"),
    ("/briefs-demo/", "claims/index.html", "/briefs-demo/claims/"),
    ("/briefs-demo/", "actors/iran/index.html", "/briefs-demo/actors/iran/"),
])
def test_root_linker_uses_absolute_paths_under_the_base_path(base: str, target: str,
                                                             expected: str) -> None:
    linker = urls.RootLinker("404.html", base)
    assert linker.to(target) == expected


def test_root_linker_helpers_and_fragments() -> None:
    linker = urls.RootLinker("404.html", "/demo/")
    assert linker.listing("briefs") == "/demo/briefs/"
    assert linker.actor("eu") == "/demo/actors/eu/"
    assert linker.brief("b", "claim-x") == "/demo/briefs/b/#claim-x"
    assert linker.asset("style.css") == "/demo/style.css"


@pytest.mark.parametrize("here", PAGES)
def test_helpers_link_to_the_pages_of_the_format(here: str) -> None:
    for linker in (urls.Linker(here), urls.Linker(here, files=True),
                   urls.RootLinker(here, "/demo/")):
        assert linker.brief("b") == linker.to(urls.brief("b"))
        assert linker.brief("b", "claim-x") == linker.to(urls.brief("b"), "claim-x")
        assert linker.actor("a") == linker.to(urls.actor("a"))
        assert linker.claim("c") == linker.to(urls.claim("c"))
        assert linker.claim("c", "tally") == linker.to(urls.claim("c"), "tally")
        assert linker.listing("claims", 2) == linker.to(urls.listing("claims", 2))
        assert linker.listing("briefs") == linker.to(urls.listing("briefs"))
        assert linker.asset("style.css") == linker.to("style.css")
        assert linker.site_feed() == linker.to(urls.site_feed())
        assert linker.actor_feed("a") == linker.to(urls.actor_feed("a"))
        assert linker.claim_feed("c") == linker.to(urls.claim_feed("c"))
        assert linker.tag_feed("Éire") == linker.to(urls.tag_feed("Éire"))


def test_a_feed_links_in_full_under_the_base_url() -> None:
    linker = urls.RootLinker(urls.actor_feed("eu"), "https://example.org/desk/")
    assert linker.actor_feed("eu") == "https://example.org/desk/actors/eu/feed.xml"
    assert linker.brief("b", "response-3") == "https://example.org/desk/briefs/b/#response-3"
    assert linker.to("index.html") == "https://example.org/desk/"


def test_linkers_compare_by_page_and_style() -> None:
    assert urls.Linker("briefs/x/index.html") == urls.Linker("briefs/x/index.html")
    assert urls.Linker("briefs/x/index.html") != urls.Linker("claims/x/index.html")
    assert urls.Linker("index.html") != urls.Linker("index.html", files=True)
    assert repr(urls.Linker("index.html")) == "Linker(here='index.html', files=False)"
