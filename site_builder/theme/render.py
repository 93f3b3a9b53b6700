"""Rendering planned pages through Jinja templates, into memory.

The pages are planned in `site.pages`; here they become bytes. `render_page`
returns a page's bytes and writes nothing: writing is the build's job,
and happens only when every page rendered. A template mistake becomes a
diagnostic naming the template file and line.
"""

from __future__ import annotations

import json
import traceback
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt

from ..base import sitefiles
from ..base.diagnostics import Diagnostic, Severity, Span
from ..site import urls
from ..site.pages import ANNOTATIONS, DATA_FILES, TIMELINE_DATA, PageSpec
from ..source.builtin import BUILTIN_THEME
from ..source.controls import page_bytes
from ..source.model import ACTOR_KINDS
from . import filters
from .annotations import annotations_document
from .datafiles import DataTables
from .files import TemplatesOnly, is_asset, is_template
from .loader import TEMPLATES_DIR, SiteTemplates, UnreadableTemplate
from .timelinejs import TimelineEvents

THEME_PREFIX = "theme/"  # the built-in templates, by this name too


class ThemeEnvironment(jinja2.Environment):
    """Jinja's environment, and beside it what writes the data files (`tables`) and the
    TimelineJS data (`timelines`)."""

    tables: DataTables
    timelines: TimelineEvents


def make_environment(site_root: Path, md: MarkdownIt,
                     compiled: jinja2.BytecodeCache | None = None,
                     tables: DataTables | None = None,
                     timelines: TimelineEvents | None = None) -> ThemeEnvironment:
    """Jinja with the site's own templates/ before the built-in theme; `compiled`, where the
    templates compiled by earlier builds are kept; `tables` and `timelines`, what writes the
    data files and the TimelineJS data (and may keep their rows and events between builds).

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
    env = ThemeEnvironment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                           trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                           auto_reload=False, cache_size=-1, bytecode_cache=compiled)
    env.tables = DataTables() if tables is None else tables
    env.timelines = TimelineEvents() if timelines is None else timelines
    filters.install(env, md)  # the filters: markdown, long_date, date, actor_link...
    env.globals["polarity_sign"] = filters.POLARITY_SIGNS.__getitem__
    env.globals["actor_kinds"] = ACTOR_KINDS
    return env


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
    template holds, none reaches a page (`controls` warns about those of the sources).

    A data file (a brief's annotations, the site's tables) is written by Python, not by a
    template: its format is a contract with the tools that read it, which a theme cannot
    break, and JSON and CSV have their own escaping, not HTML's."""
    if spec.template == ANNOTATIONS:
        return _json_file(annotations_document(spec.context()))
    if spec.template == TIMELINE_DATA:
        timelines = env.timelines if isinstance(env, ThemeEnvironment) else TimelineEvents()
        return timelines.render(spec.context(), _json_value) + b"\n"
    if spec.template in DATA_FILES:
        tables = env.tables if isinstance(env, ThemeEnvironment) else DataTables()
        return tables.render(spec.template, spec.context()["index"])
    return page_bytes(env.get_template(spec.template).render(spec.context()))


def _json_file(document: dict[str, Any]) -> bytes:
    """A JSON data file: compact, UTF-8, one line ending in a newline."""
    return _json_value(document) + b"\n"


def _json_value(value: Any) -> bytes:
    """A JSON value as a data file writes it (see `_json_file`): a file's parts written
    apart and joined are the bytes of the whole."""
    return page_bytes(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


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
