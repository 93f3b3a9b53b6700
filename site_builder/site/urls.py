"""Where every page lives, and the relative links between pages.

This is the only module that knows page paths. Every internal link is relative, so the same
output works at `/` and under a sub-path such as `/<repo>/`. A link to a page points at its
folder (`../actors/iran/`), as web servers and GitHub Pages answer it with the folder's
`index.html`; with `files` (site.yaml's `links: files`) it names the `index.html`, which
also works opened straight from disk.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

STYLESHEET = "style.css"
FEED_FILE = "feed.xml"  # the name of every Atom feed
TIMELINE_FILE = "timeline.json"  # the name of every timeline's TimelineJS data
TAG_SLUG_MAX = 60  # characters of a tag's words kept in its folder's name


def home() -> str:
    return "index.html"


def brief(slug: str) -> str:
    return f"briefs/{slug}/index.html"


def brief_annotations(slug: str) -> str:
    """A brief's claims and responses as W3C Web Annotations, beside its page."""
    return f"briefs/{slug}/annotations.jsonld"


def data(name: str) -> str:
    """A file of the site's data: `data/responses.csv`, `data/claims.json`..."""
    return f"data/{name}"


def actor(actor_id: str) -> str:
    return f"actors/{actor_id}/index.html"


def claim(claim_id: str) -> str:
    return f"claims/{claim_id}/index.html"


def actor_embed(actor_id: str) -> str:
    """An actor's timeline to embed in another site's page, in an `<iframe>`."""
    return f"actors/{actor_id}/embed/index.html"


def claim_embed(claim_id: str) -> str:
    return f"claims/{claim_id}/embed/index.html"


def is_embed(path: str) -> bool:
    """Whether a page is an embed, which search engines need not list (it is not indexed)."""
    return path.endswith("/embed/index.html")


def actor_timeline(actor_id: str) -> str:
    """An actor's timeline as TimelineJS data (JSON)."""
    return f"actors/{actor_id}/{TIMELINE_FILE}"


def claim_timeline(claim_id: str) -> str:
    return f"claims/{claim_id}/{TIMELINE_FILE}"


def listing(section: str, page: int = 1) -> str:
    """Page `page` of a long list: `claims/index.html`, `claims/page/2/index.html`..."""
    base = "" if section == "home" else f"{section}/"
    return f"{base}index.html" if page == 1 else f"{base}page/{page}/index.html"


def actor_page(actor_id: str, page: int = 1) -> str:
    return actor(actor_id) if page == 1 else f"actors/{actor_id}/page/{page}/index.html"


def search() -> str:
    """The search page (with `search: true` in site.yaml); its index is in `SEARCH_BUNDLE`."""
    return "search/index.html"


SEARCH_BUNDLE = "pagefind/"  # Pagefind's files: the index of the brief pages, and its scripts
# Briefs per part of the index: Pagefind holds a part's pages in memory while it indexes them
# (some 175 kB each), so a large site is indexed part by part, and searched across the parts.
SEARCH_PART = 4000


def search_bundles(briefs: int) -> list[str]:
    """The folders of the parts of the search index of `briefs` brief pages: `pagefind/`,
    then `pagefind/part-2/`, ... (one at least)."""
    return [SEARCH_BUNDLE if n == 1 else f"{SEARCH_BUNDLE}part-{n}/"
            for n in range(1, max(1, -(-briefs // SEARCH_PART)) + 1)]


def site_feed() -> str:
    return FEED_FILE


def actor_feed(actor_id: str) -> str:
    return f"actors/{actor_id}/{FEED_FILE}"


def claim_feed(claim_id: str) -> str:
    return f"claims/{claim_id}/{FEED_FILE}"


def tag_feed(tag: str) -> str:
    return f"tags/{tag_slug(tag)}/{FEED_FILE}"


def tag(tag: str, page: int = 1) -> str:
    """Page `page` of a tag's briefs: `tags/<tag_slug>/index.html`, then `.../page/2/...`."""
    folder = f"tags/{tag_slug(tag)}/"
    return f"{folder}index.html" if page == 1 else f"{folder}page/{page}/index.html"


@functools.lru_cache(maxsize=1 << 16)
def tag_slug(tag: str) -> str:
    """A tag's folder name: safe in any address and on any file system, the same in every
    build, and another for every other tag.

    A tag that is already a lowercase id (`ballistic-missiles`) is its own name. Any other
    (`C++ / Energy`, `Éire`, `Iran`, `日本`) gets its words in plain lowercase ASCII, then a
    digest of the tag itself (in Unicode's composed form, so that `É` typed as one character
    or as E and an accent is one tag): `c-energy-99996eacc4`, `eire-63f75f0376`,
    `iran-9964b8e24f`, `a376300a18`. The folder depends on the tag alone, never on which
    other tags the site has, so a feed keeps its address; tags that differ only in case get
    two folders, even where file names do not tell case apart. Two tags with one folder
    (digests that happen to be equal) would share its feed (see `feeds.TagGroups`)."""
    tag = unicodedata.normalize("NFC", tag)
    words = unicodedata.normalize("NFKD", tag).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")
    if slug == tag and len(slug) <= TAG_SLUG_MAX:
        return slug
    digest = hashlib.blake2b(tag.encode("utf-8"), digest_size=5).hexdigest()
    slug = slug[:TAG_SLUG_MAX].rstrip("-")
    return f"{slug}-{digest}" if slug else digest


INDEX = "index.html"
_IN_FOLDER = "/" + INDEX
_CUT = -len(INDEX)


def pretty(path: str) -> str:
    """The address a web server shows for `path`: `actors/iran/index.html` -> `actors/iran/`,
    `index.html` -> ``."""
    return path[:_CUT] if path.endswith(_IN_FOLDER) or path == INDEX else path


@dataclass(frozen=True, slots=True)
class Linker:
    """Builds links from one page (`here`, an output path) to any other: to the page's folder,
    or with `files` to its `index.html`.

    A page makes hundreds of links (a timeline page, one or more per entry): `up`, the '../'
    that lead from `here` to the site root, is worked out once per page."""

    here: str
    files: bool = field(default=False, kw_only=True)
    up: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "up", "../" * self.here.count("/"))

    def to(self, target: str, fragment: str | None = None) -> str:
        """`target` (a path from the site root) as seen from `here`: '../' per folder up, then
        the target's folder (`./` for the site's root seen from itself) or with `files` the
        target itself."""
        if not self.files and (target.endswith(_IN_FOLDER) or target == INDEX):
            target = target[:_CUT]  # `pretty`, without a call: a page makes hundreds of links
        link = self.up + target or "./"
        return f"{link}#{fragment}" if fragment else link

    def brief(self, slug: str, fragment: str | None = None) -> str:
        return self.to(brief(slug), fragment)

    def actor(self, actor_id: str) -> str:
        return self.to(actor(actor_id))

    def claim(self, claim_id: str, fragment: str | None = None) -> str:
        return self.to(claim(claim_id), fragment)

    def listing(self, section: str, page: int = 1) -> str:
        return self.to(listing(section, page))

    def entry(self, actor_id: str, page: int, entry_id: str) -> str:
        """An entry of an actor's timeline, on the page it is on."""
        return self.to(actor_page(actor_id, page), entry_id)

    def actor_timeline(self, actor_id: str) -> str:
        return self.to(actor_timeline(actor_id))

    def actor_embed(self, actor_id: str) -> str:
        return self.to(actor_embed(actor_id))

    def claim_embed(self, claim_id: str) -> str:
        return self.to(claim_embed(claim_id))

    def claim_timeline(self, claim_id: str) -> str:
        return self.to(claim_timeline(claim_id))

    def annotations(self, slug: str) -> str:
        """From the brief's own page, the file's name alone (it sits beside the page)."""
        target = brief_annotations(slug)
        folder, _, name = target.rpartition("/")
        if self.here.rpartition("/")[0] == folder:
            return name
        return self.to(target)

    def data(self, name: str) -> str:
        return self.to(data(name))

    def asset(self, name: str) -> str:
        return self.to(name)

    def search(self) -> str:
        return self.to(search())

    def site_feed(self) -> str:
        return self.to(site_feed())

    def actor_feed(self, actor_id: str) -> str:
        return self.to(actor_feed(actor_id))

    def claim_feed(self, claim_id: str) -> str:
        return self.to(claim_feed(claim_id))

    def tag_feed(self, tag: str) -> str:
        return self.to(tag_feed(tag))

    def tag(self, name: str, page: int = 1) -> str:
        return self.to(tag(name, page))


@dataclass(frozen=True, slots=True)
class RootLinker(Linker):
    """Links for pages served at any depth (the 404 page): absolute paths under `base_path`;
    or read anywhere (a feed): full addresses, `base_path` being the site's base URL."""

    base_path: str = "/"

    def to(self, target: str, fragment: str | None = None) -> str:
        url = self.base_path + pretty(target)
        return f"{url}#{fragment}" if fragment else url

