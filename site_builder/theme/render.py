"""Rendering the indexed site through Jinja templates, into memory.

`render_site` returns `{output path: bytes}` and writes nothing: writing is
the `build` package's job, and happens only when every page rendered. A template
mistake becomes a diagnostic naming the template file and line.
"""

from __future__ import annotations

import hashlib
import math
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..base import sitefiles
from ..base.diagnostics import Diagnostic, Diagnostics, Severity, Span
from ..site import urls
from ..site.index import ActorView, BriefView, Event, SiteIndex, Thread
from ..source.builtin import BUILTIN_THEME
from ..source.controls import page_bytes
from ..source.model import ACTOR_KINDS, Status
from . import filters
from .files import TemplatesOnly, is_asset, is_template
from .loader import TEMPLATES_DIR, SiteTemplates, UnreadableTemplate

PER_PAGE = {"briefs": 50, "claims": 100, "actors": 200, "timeline": 100}
HOME_LISTS = 10
THEME_PREFIX = "theme/"  # the built-in templates, by this name too


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


def make_environment(site_root: Path, md: MarkdownIt,
                     compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """Jinja with the site's own templates/ before the built-in theme; `compiled`, where the
    templates compiled by earlier builds are kept.

    The built-in files are also reachable as `theme/<name>`, so a site's `base.html` can
    `{% extends "theme/base.html" %}` and change one block instead of copying the whole file.
    """
    theme = jinja2.FileSystemLoader(str(BUILTIN_THEME))
    loader = TemplatesOnly(jinja2.ChoiceLoader([
        SiteTemplates(site_root),  # never a file outside the site, a FIFO or a device
        theme,
        jinja2.PrefixLoader({THEME_PREFIX.rstrip("/"): theme}),
    ]))
    # auto_reload off: the builder makes a new environment whenever a template changes, so
    # Jinja need not check every template file's time again on every page. cache_size -1:
    # the loaded templates (a theme's dozen) in a plain dictionary, where Jinja's default
    # least-recently-used cache reorders itself on each of the three look-ups of a page.
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             auto_reload=False, cache_size=-1, bytecode_cache=compiled)
    filters.install(env, md)  # the filters: markdown, long_date, date, actor_link...
    env.globals["polarity_sign"] = filters.POLARITY_SIGNS.__getitem__
    env.globals["actor_kinds"] = ACTOR_KINDS
    return env


Key = tuple[str, str]
Deps = frozenset[Key]
Keys = frozenset[Key]
Unit = tuple[str, ...]  # what a group of pages shows: ('brief', slug), ('list', 'claims')...
EVERYTHING: Deps = frozenset({("*", "*")})


@dataclass(frozen=True, slots=True)
class PageSpec:
    """A page to render: where, with which template and context, and what it shows.

    `deps` names the briefs, actors and claims whose change alters the page:
    ('brief', slug), ('actor', id), ('claim', id); ('*', '*') for lists that
    show everything.
    """

    path: str
    template: str
    context: Callable[[], dict[str, Any]]
    deps: Deps
    unit: Unit = ()


class PageInfo(NamedTuple):
    """What a build remembers of a page it planned."""

    unit: Unit
    template: str
    deps: Deps


def render_site(index: SiteIndex, env: jinja2.Environment, md: MarkdownIt,
                diags: Diagnostics, site_root: Path) -> dict[str, bytes]:
    """Every page of the site, rendered; an empty result when a template failed."""
    return render_pages(plan_pages(index, env, md), env, diags, site_root) or {}


def plan_pages(index: SiteIndex, env: jinja2.Environment, md: MarkdownIt) -> list[PageSpec]:
    planner = Planner(index, env, md)
    return [spec for unit in planner.units() for spec in planner.pages(unit)]


def render_pages(specs: Iterable[PageSpec], env: jinja2.Environment, diags: Diagnostics,
                 site_root: Path, assets: bool = True) -> dict[str, bytes] | None:
    """The given pages rendered (with the theme's assets); None when a template failed."""
    pages: dict[str, bytes] = {}
    for spec in specs:
        try:
            pages[spec.path] = render_page(spec, env)
        except jinja2.TemplateError as exc:
            diags.extend([template_error(exc, spec.path, site_root)])
            return None
    if assets:
        files = theme_files(site_root)
        if isinstance(files, Diagnostic):
            diags.extend([files])
            return None
        pages.update(files)
    return pages


def theme_files(site_root: Path) -> dict[str, bytes] | Diagnostic:
    """The theme's files that are not templates (see `static_files`), or why they cannot be
    copied: the stylesheet is missing, or a file of the site's templates/ cannot be read."""
    try:
        return static_files(site_root)
    except jinja2.TemplateNotFound as exc:
        return Diagnostic(Severity.ERROR, Span("templates"), f"the theme has no '{exc.name}'",
                          "put it back in templates/ or delete the site's copy")
    except UnreadableTemplate as exc:
        return unreadable_error(exc, site_root)


def static_files(site_root: Path) -> dict[str, bytes]:
    """The theme's files that are not templates (the stylesheet, images, fonts), copied as
    they are; a file in the site's own templates/ replaces the built-in one of the same name."""
    files: dict[str, bytes] = {}
    for folder in (BUILTIN_THEME, site_root / TEMPLATES_DIR):  # the site's own files win
        if folder.is_dir():
            found = ((p.relative_to(folder).as_posix(), _asset(folder, p, site_root))
                     for p in sorted(folder.rglob("*"))
                     if p.is_file() and is_asset(p.name))
            files.update((rel, data) for rel, data in found if data is not None)
    if urls.STYLESHEET not in files:
        raise jinja2.TemplateNotFound(urls.STYLESHEET)
    return files


def _asset(folder: Path, path: Path, site_root: Path) -> bytes | None:
    """A file of the theme; of the site's own templates/, read as its other files are: None
    for one refused (a link out of the site, a FIFO...), which `load_site` reported, or gone
    since it was listed; `UnreadableTemplate` for one the operating system would not let be
    read (its permissions), never silently left out."""
    if folder == BUILTIN_THEME:
        return path.read_bytes()
    rel = path.relative_to(site_root).as_posix()
    try:
        return sitefiles.read_bytes(site_root, rel)
    except (sitefiles.Refused, FileNotFoundError):
        return None
    except OSError as exc:
        raise UnreadableTemplate(rel, exc, str(path)) from None


def render_page(spec: PageSpec, env: jinja2.Environment) -> bytes:
    """The page's bytes, without control characters: whatever an article, a value or a
    template holds, none reaches a page (`controls` warns about those of the sources)."""
    return page_bytes(env.get_template(spec.template).render(spec.context()))


def template_error(exc: jinja2.TemplateError, page: str, site_root: Path) -> Diagnostic:
    if isinstance(exc, UnreadableTemplate):  # no mistake in the template: its permissions
        return unreadable_error(exc, site_root)
    return Diagnostic(Severity.ERROR, template_span(exc, site_root),
                      f"template error while rendering '{page}': "
                      f"{exc.message or type(exc).__name__}",
                      "fix the template; the last good site is left as it was")


def unreadable_error(exc: UnreadableTemplate, site_root: Path) -> Diagnostic:
    """`'templates/base.html' cannot be read: Permission denied`, at the file, as for the
    site's other files (load.py)."""
    return Diagnostic(Severity.ERROR, template_span(exc, site_root), exc.message or "")


def template_span(exc: jinja2.TemplateError, site_root: Path) -> Span:
    """Where in which template the error is: from the error itself or its traceback."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not filename:
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if is_template(f.filename)]
        if frames:
            filename, line = frames[-1].filename, frames[-1].lineno
    if not filename:
        return Span("templates")
    path = Path(filename)
    shown = path.relative_to(site_root) if path.is_relative_to(site_root) else path
    return Span(shown.as_posix(), line or 1, 1)


SHARED_UNITS: tuple[Unit, ...] = (("home",), ("list", "briefs"), ("list", "actors"),
                                  ("list", "claims"), ("404",))


class Planner:
    """The pages of an indexed site, by unit: a brief's page, an actor's timeline pages, a
    claim's page, each list's pages, the home page. An incremental build plans again only
    the units an update touched, and the shared ones."""

    def __init__(self, index: SiteIndex, env: jinja2.Environment, md: MarkdownIt) -> None:
        self.index = index
        self.env = env
        self.md = md
        self.site = index.site
        self.unit: Unit = ()

    def units(self) -> Iterator[Unit]:
        index = self.index
        yield ("home",)
        yield ("list", "briefs")
        yield from (("brief", view.brief.slug) for view in index.briefs)
        yield ("list", "actors")
        yield from (("actor", actor_id) for actor_id in index.actors)
        yield ("list", "claims")
        yield from (("claim", claim_id) for claim_id in index.threads)
        yield ("404",)

    def pages(self, unit: Unit) -> list[PageSpec]:
        """The pages of one unit; none when what it shows is gone."""
        self.unit = unit
        kind, *rest = unit
        if kind == "brief":
            view = self.index.links.views.get(rest[0])
            return [] if view is None else [self._brief(view)]
        if kind == "actor":
            actor_view = self.index.actors.get(rest[0])
            return [] if actor_view is None else list(self._actor(actor_view))
        if kind == "claim":
            thread = self.index.threads.get(rest[0])
            return [] if thread is None else [self._claim(thread)]
        if kind == "list":
            return list(self._listing(rest[0]))
        if kind == "home":
            return [self.spec(urls.home(), "home.html", EVERYTHING, self._home)]
        return [self.spec("404.html", "404.html", EVERYTHING)]

    def spec(self, path: str, template: str, deps: Deps,
             context: Callable[[], dict[str, Any]] = dict) -> PageSpec:
        return PageSpec(path, template, lambda: {**self.common(path), **context()}, deps,
                        self.unit)

    def common(self, path: str) -> dict[str, Any]:
        config = self.site.config
        linker = urls.RootLinker(path, _base_path(config.base_url)) \
            if path == "404.html" else urls.Linker(path)
        canonical = (config.base_url + urls.pretty(path)
                     if config.base_url and path != "404.html" else None)
        return {"site": config, "index": self.index, "url": linker, "page_path": path,
                "canonical": canonical, "stance": config.stance}

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

    def _listing(self, section: str) -> Iterator[PageSpec]:
        items, template, key = self._list_items(section)
        per_page = PER_PAGE[section]
        count = max(1, math.ceil(len(items) / per_page))
        for number in range(1, count + 1):
            path = urls.listing(section, number)
            shown = items[(number - 1) * per_page:number * per_page]
            pager = Pager(shown, number, count, section,
                          lambda n, here=path: urls.Linker(here).listing(section, n))
            deps = frozenset({("list", f"{section}:{len(items)}"), *map(key, shown)})
            yield self.spec(path, template, deps, lambda pager=pager: {"pager": pager})

    def _list_items(self, section: str) -> tuple[Sequence[Any], str, Callable[[Any], Key]]:
        index = self.index
        if section == "briefs":
            return index.briefs, "briefs.html", lambda v: ("brief", v.brief.slug)
        if section == "claims":
            return list(index.threads.values()), "claims.html", lambda t: ("claim", t.claim.id)
        actors = sorted(index.actors.values(),
                        key=lambda v: (ACTOR_KINDS.index(v.actor.kind), v.actor.name.lower()))
        return actors, "actors.html", lambda v: ("actor", v.actor.id)

    def _brief(self, view: BriefView) -> PageSpec:
        return self.spec(urls.brief(view.brief.slug), "brief.html", brief_deps(view),
                         lambda: {"view": view, "article_html": Markup(view.article.html)})

    def _claim(self, thread: Thread) -> PageSpec:
        return self.spec(urls.claim(thread.claim.id), "claim.html", thread_deps(thread),
                         lambda: {"thread": thread})

    def _actor(self, view: ActorView) -> Iterator[PageSpec]:
        per_page = PER_PAGE["timeline"]
        count = max(1, math.ceil(len(view.timeline) / per_page))
        actor_id = view.actor.id
        for number in range(1, count + 1):
            path = urls.actor_page(actor_id, number)
            events = view.timeline[(number - 1) * per_page:number * per_page]
            pager = Pager(events, number, count, "timeline",
                          lambda n, here=path: urls.Linker(here).to(urls.actor_page(actor_id, n)))
            yield self.spec(path, "actor.html", actor_deps(view, events, number),
                            lambda pager=pager: {"view": view, "pager": pager})


def brief_deps(view: BriefView) -> Deps:
    """A brief's page shows the brief and the claims it answers (their text and status)."""
    claims = {("claim", a.claim.id) for a in view.annotations}
    return frozenset({("brief", view.brief.slug), *claims})


def thread_deps(thread: Thread) -> Deps:
    return frozenset({("claim", thread.claim.id)})


def actor_deps(view: ActorView, events: Sequence[Event], number: int) -> Deps:
    """A page of an actor's timeline shows its entries (their briefs and claims), the actor's
    figures and companions; the first page also its stances and briefs (the whole view),
    with the text and verdict of each claim it answered (made in briefs that may not involve
    the actor at all).

    The entries are named too: when entries move across pages (a brief's date changed), a
    page can show other entries of the same briefs and claims."""
    companions = ",".join(f"{other.id}={n}" for other, n in view.companions)
    figures = f"{view.actor.id}:{len(view.timeline)}:{len(view.briefs)}:{len(view.stances)}" \
              f":{companions}"
    entries = hashlib.blake2b(digest_size=12)
    for event in events:
        entries.update(f"{event.brief.slug}#{event.target}#{event.kind}\n".encode())
    deps = {("figures", figures), ("entries", f"{view.actor.id}:{number}:{entries.hexdigest()}")}
    deps.update(("brief", e.brief.slug) for e in events)
    deps.update(("claim", e.claim.id) for e in events if e.claim)
    if number == 1:
        deps.add(("actor", view.actor.id))
        deps.update(("claim", e.response.claim.id) for e in view.stances)
    return frozenset(deps)


def _base_path(base_url: str | None) -> str:
    if not base_url:
        return "/"
    from urllib.parse import urlsplit

    return urlsplit(base_url).path or "/"
