"""Which files of a theme are templates, and which are assets.

A theme folder (the built-in one, a site's own `templates/`) holds both. A file whose
name ends in `.html`, `.j2` or `.jinja` is a template: Jinja renders it, and only such a
file can be a page's template or be extended, included or imported; a build watches it
for edits. Every other file is an asset (the stylesheet, images, fonts), copied to the
output as it is. Hidden files and editors' leftovers are neither.
"""

from __future__ import annotations

from collections.abc import Callable

import jinja2

from ..source.load import not_read

TEMPLATE_SUFFIXES = (".html", ".j2", ".jinja")


def is_template(name: str) -> bool:
    """Whether the theme file `name` (a path or a file name) is a template."""
    base = _file_name(name)
    return base.endswith(TEMPLATE_SUFFIXES) and not not_read(base)


def is_asset(name: str) -> bool:
    """Whether the theme file `name` is copied to the output as it is."""
    base = _file_name(name)
    return not base.endswith(TEMPLATE_SUFFIXES) and not not_read(base)


def _file_name(name: str) -> str:
    """The last part of a template's name or of a file's path (`/` or `\\` between parts)."""
    return name.replace("\\", "/").rsplit("/", 1)[-1]


class NotATemplate(jinja2.TemplateError):
    """A file that exists, asked for as a template, but whose name says it is an asset. Not a
    `TemplateNotFound`: `{% include ... ignore missing %}` would silently leave it out."""


class TemplatesOnly(jinja2.BaseLoader):
    """`loader`, for templates only: a name that is no template's is not loaded, even when
    a file of that name exists (it is an asset, published as it is)."""

    def __init__(self, loader: jinja2.BaseLoader) -> None:
        self.loader = loader

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str | None, Callable[[], bool] | None]:
        found = self.loader.get_source(environment, template)  # TemplateNotFound when none
        if not is_template(template):
            raise NotATemplate(
                f"'{template}' is not a template: only a file whose name ends in "
                f"{', '.join(TEMPLATE_SUFFIXES)} is one (the others are copied as they are)")
        return found
