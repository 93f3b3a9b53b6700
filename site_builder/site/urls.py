"""Where every page lives, and the relative links between pages.

This is the only module that knows page paths. Every internal link is relative, so the same
output works at `/` and under a sub-path such as `/<repo>/`. A link to a page points at its
folder (`../actors/iran/`), as web servers and GitHub Pages answer it with the folder's
`index.html`; with `files` (site.yaml's `links: files`) it names the `index.html`, which
also works opened straight from disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STYLESHEET = "style.css"


def home() -> str:
    return "index.html"


def brief(slug: str) -> str:
    return f"briefs/{slug}/index.html"


def actor(actor_id: str) -> str:
    return f"actors/{actor_id}/index.html"


def claim(claim_id: str) -> str:
    return f"claims/{claim_id}/index.html"


def listing(section: str, page: int = 1) -> str:
    """Page `page` of a long list: `claims/index.html`, `claims/page/2/index.html`..."""
    base = "" if section == "home" else f"{section}/"
    return f"{base}index.html" if page == 1 else f"{base}page/{page}/index.html"


def actor_page(actor_id: str, page: int = 1) -> str:
    return actor(actor_id) if page == 1 else f"actors/{actor_id}/page/{page}/index.html"


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

    def asset(self, name: str) -> str:
        return self.to(name)


@dataclass(frozen=True, slots=True)
class RootLinker(Linker):
    """Links for pages served at any depth (the 404 page): absolute paths under `base_path`."""

    base_path: str = "/"

    def to(self, target: str, fragment: str | None = None) -> str:
        url = self.base_path + pretty(target)
        return f"{url}#{fragment}" if fragment else url

