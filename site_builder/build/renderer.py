"""What renders a build's pages: a Jinja environment, made again when the templates change.

The environment is kept between builds while the settings, the actors and every template
file stay the same; any change makes a new one, since Jinja's cache would keep using a
theme template after the site adds its own copy (the cached file itself is unchanged).
A builder that uses the build cache keeps compiled templates there (see templatecode.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt

from ..site.views import SiteIndex
from ..theme.datafiles import DataTables
from ..theme.files import is_template
from ..theme.render import make_environment
from ..theme.templatedeps import pages_using, template_stamps
from ..theme.timelinejs import TimelineEvents
from .templatecode import TemplateCode


@dataclass(frozen=True, slots=True)
class Templates:
    """The templates of one build: the environment, each template file's stamp, and the
    templates edited since the last build that wrote the site."""

    env: jinja2.Environment
    stamps: dict[str, str]
    edited: frozenset[str]

    def using(self) -> Callable[[str], bool]:
        """Whether a page template uses an edited template (see `pages_using`)."""
        return pages_using(self.env, set(self.edited))


@dataclass
class Renderer:
    """The environment pages are rendered with, and the template files it was made from."""

    root: Path
    md: MarkdownIt
    compiled: bool  # keep compiled templates in the build cache
    stamps: dict[str, str] = field(default_factory=dict)  # as the last build that wrote
    env: jinja2.Environment | None = None
    tables: DataTables = field(default_factory=DataTables)  # what writes the data files
    timelines: TimelineEvents = field(default_factory=TimelineEvents)  # the TimelineJS data

    def templates(self, settings_changed: bool) -> Templates:
        """The templates as they are now: a new environment when the settings or the actors
        changed, or any template file."""
        stamps = template_stamps(self.root)
        if settings_changed or self.env is None or stamps != self.stamps:
            compiled = TemplateCode.for_site(self.root) if self.compiled else None
            self.env = make_environment(self.root, self.md, compiled, self.tables,
                                        self.timelines)
        edited = {n for n in stamps.keys() | self.stamps.keys()
                  if stamps.get(n) != self.stamps.get(n)}
        return Templates(self.env, stamps, frozenset(edited))

    def rendered(self, templates: Templates) -> None:
        """The site was written with `templates`: the next build compares with them."""
        self.stamps = templates.stamps

    def warm(self, names: Iterable[str], index: SiteIndex | None) -> None:
        """Compile the templates `names` now (a parallel build compiled them in its workers);
        a template's mistake is reported when a page uses it. From now on the data files'
        rows are kept between builds: they are made now, from `index`, the last build's; and
        the TimelineJS events, as each actor's file is made again."""
        self.tables.keep = True
        self.timelines.keep = True
        if index is not None:
            self.tables.prepare(index)
        if self.env is None:
            return
        for name in set(filter(is_template, names)):  # not the writers of data files
            with contextlib.suppress(jinja2.TemplateError):
                self.env.get_template(name)
