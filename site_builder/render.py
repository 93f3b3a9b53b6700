"""Rendering the indexed site through Jinja templates, into memory.

`render_site` returns `{output path: bytes}` and writes nothing: writing is
`output.py`'s job, and happens only when every page rendered. A template
mistake becomes a diagnostic naming the template file and line.
"""

from __future__ import annotations

import datetime as dt
import math
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from . import urls
from .diagnostics import Diagnostics, Span
from .index import BriefView, SiteIndex
from .marks import decorate
from .model import ACTOR_KINDS, Status

BUILTIN_THEME = Path(__file__).parent / "templates"
PER_PAGE = {"briefs": 50, "claims": 100, "actors": 200, "timeline": 100}
HOME_LISTS = 10
POLARITY_SIGNS = {"+": "+", "0": "\u25cb", "-": "\u2212"}  # +, white circle, minus sign


@dataclass(frozen=True, slots=True)
class Pager:
    """One page of a long list, and how to reach the others."""

    items: Sequence[Any]
    number: int
    count: int
    section: str
    href: Callable[[int], str]

    @property
    def pages(self) -> range:
        return range(1, self.count + 1)


def make_environment(site_root: Path, md: MarkdownIt) -> jinja2.Environment:
    """Jinja with the site's own templates/ before the built-in theme."""
    loader = jinja2.FileSystemLoader([str(site_root / "templates"), str(BUILTIN_THEME)])
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["markdown"] = lambda text: Markup(md.render(text)) if text else Markup("")
    env.filters["long_date"] = long_date
    env.globals["polarity_sign"] = POLARITY_SIGNS.__getitem__
    env.globals["actor_kinds"] = ACTOR_KINDS
    return env


def long_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def render_site(index: SiteIndex, env: jinja2.Environment, md: MarkdownIt,
                diags: Diagnostics, site_root: Path) -> dict[str, bytes]:
    """Every page of the site, rendered; an empty result when a template failed."""
    renderer = _Renderer(index, env, md)
    pages: dict[str, bytes] = {}
    for path, template, context in renderer.pages():
        try:
            pages[path] = renderer.render(path, template, context)
        except jinja2.TemplateError as exc:
            diags.error(template_span(exc, site_root), f"template error while rendering "
                        f"'{path}': {exc.message or type(exc).__name__}",
                        "fix the template; the last good site is left as it was")
            return {}
    pages[urls.STYLESHEET] = _asset(env, urls.STYLESHEET)
    pages[".nojekyll"] = b""
    return pages


def _asset(env: jinja2.Environment, name: str) -> bytes:
    source, _filename, _uptodate = env.loader.get_source(env, name)  # type: ignore[union-attr]
    return source.encode("utf-8")


def template_span(exc: jinja2.TemplateError, site_root: Path) -> Span:
    """Where in which template the error is: from the error itself or its traceback."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not filename:
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if f.filename.endswith((".html", ".xml", ".txt"))]
        if frames:
            filename, line = frames[-1].filename, frames[-1].lineno
    if not filename:
        return Span("templates")
    path = Path(filename)
    shown = path.relative_to(site_root) if path.is_relative_to(site_root) else path
    return Span(shown.as_posix(), line or 1, 1)


class _Renderer:
    def __init__(self, index: SiteIndex, env: jinja2.Environment, md: MarkdownIt) -> None:
        self.index = index
        self.env = env
        self.md = md
        self.site = index.site

    def render(self, path: str, template: str, context: dict[str, Any]) -> bytes:
        linker = urls.RootLinker(path, _base_path(self.site.config.base_url)) \
            if path == "404.html" else urls.Linker(path)
        canonical = (self.site.config.base_url + urls.pretty(path)
                     if self.site.config.base_url and path != "404.html" else None)
        html = self.env.get_template(template).render(
            site=self.site.config, index=self.index, url=linker, page_path=path,
            canonical=canonical, stance=self.site.config.stance, **context)
        return html.encode("utf-8")

    def pages(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        index = self.index
        yield urls.home(), "home.html", self._home()
        yield from self._listing("briefs", index.briefs, "briefs.html")
        for view in index.briefs:
            yield urls.brief(view.brief.slug), "brief.html", self._brief(view)
        actors = sorted(index.actors.values(),
                        key=lambda v: (ACTOR_KINDS.index(v.actor.kind), v.actor.name.lower()))
        yield from self._listing("actors", actors, "actors.html")
        for view in index.actors.values():
            yield from self._actor(view)
        yield from self._listing("claims", list(index.threads.values()), "claims.html")
        for thread in index.threads.values():
            yield urls.claim(thread.claim.id), "claim.html", {"thread": thread}
        yield "404.html", "404.html", {}

    def _home(self) -> dict[str, Any]:
        index = self.index
        active = sorted(index.actors.values(), key=lambda v: (-len(v.timeline), v.actor.name))
        threads = list(index.threads.values())
        return {
            "latest": index.briefs[:HOME_LISTS],
            "active": [v for v in active if v.timeline][:HOME_LISTS],
            "disputed": [t for t in threads if t.claim.status is Status.DISPUTED][:HOME_LISTS],
            "unverified": [t for t in threads
                           if t.claim.status is Status.UNVERIFIED][:HOME_LISTS],
        }

    def _listing(self, section: str, items: Sequence[Any],
                 template: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
        per_page = PER_PAGE[section]
        count = max(1, math.ceil(len(items) / per_page))
        for number in range(1, count + 1):
            path = urls.listing(section, number)
            pager = Pager(items[(number - 1) * per_page:number * per_page], number, count,
                          section, lambda n, here=path: urls.Linker(here).listing(section, n))
            yield path, template, {"pager": pager}

    def _brief(self, view: BriefView) -> dict[str, Any]:
        linker = urls.Linker(urls.brief(view.brief.slug))
        article = view.article
        tokens = decorate(article.tokens, article.reader, article.anchors, view.mentions,
                          linker.actor, {a.key: a.label for a in view.annotations})
        html = self.md.renderer.render(tokens, self.md.options, {})
        return {"view": view, "article_html": Markup(html)}

    def _actor(self, view: Any) -> Iterator[tuple[str, str, dict[str, Any]]]:
        per_page = PER_PAGE["timeline"]
        count = max(1, math.ceil(len(view.timeline) / per_page))
        actor_id = view.actor.id
        for number in range(1, count + 1):
            path = urls.actor_page(actor_id, number)
            pager = Pager(view.timeline[(number - 1) * per_page:number * per_page], number, count,
                          "timeline",
                          lambda n, here=path: urls.Linker(here).to(urls.actor_page(actor_id, n)))
            yield path, "actor.html", {"view": view, "pager": pager}


def _base_path(base_url: str | None) -> str:
    if not base_url:
        return "/"
    from urllib.parse import urlsplit

    return urlsplit(base_url).path or "/"
