"""Loading the site's own templates/: read as the site's other files are (see sitefiles.py).

Jinja's `FileSystemLoader` opens whatever a name leads to: a link to a file anywhere, a named
pipe (which waits forever). A site's template is read only when it is a regular file inside
the site folder, of a bounded size; `load_site` has reported the others before any build.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from ..base import sitefiles

TEMPLATES_DIR = "templates"


class RefusedTemplate(jinja2.TemplateError):
    """A template file of the site that is not read (a link out of the site, a FIFO...)."""

    def __init__(self, message: str, filename: str) -> None:
        super().__init__(message)
        self.filename = filename
        self.lineno = 1


class UnreadableTemplate(RefusedTemplate):
    """A file of the site's templates/ that the operating system would not let be read (its
    permissions): an error of its own, never the built-in file of the same name instead."""

    def __init__(self, rel: str, exc: OSError, filename: str) -> None:
        super().__init__(sitefiles.cannot_read(rel, exc), filename)


class SiteTemplates(jinja2.BaseLoader):
    """The templates in the site's own templates/ folder; a name it lacks is not found (the
    built-in theme's loader comes next)."""

    def __init__(self, site_root: Path) -> None:
        self.root = site_root

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        rel = "/".join((TEMPLATES_DIR, *split_template_path(template)))
        filename = os.path.normpath(os.path.join(self.root, rel))
        if os.path.isdir(filename):
            raise jinja2.TemplateNotFound(template)
        try:
            data = sitefiles.read_bytes(self.root, rel)
        except sitefiles.Refused as refused:
            raise RefusedTemplate(refused.message, filename) from None
        except (FileNotFoundError, NotADirectoryError):  # none of this name
            raise jinja2.TemplateNotFound(template) from None
        except OSError as exc:  # there, but not to be read: not the built-in one instead
            raise UnreadableTemplate(rel, exc, filename) from None
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RefusedTemplate(f"the template is not UTF-8 text: {exc.reason}",
                                  filename) from None
        mtime = os.path.getmtime(filename)
        return source, filename, lambda: _unchanged(filename, mtime)


def _unchanged(filename: str, mtime: float) -> bool:
    try:
        return os.path.getmtime(filename) == mtime
    except OSError:
        return False
