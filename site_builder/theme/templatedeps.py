"""Which templates make which pages: what a template edit must render again.

`template_stamps` tells each template's file (the site's own first, then the
built-in theme's) with the digest of its bytes, so a build sees which changed;
`pages_using` tells whether a page's template uses one of those, directly or
through `extends`, `include` and `import`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

import jinja2
import jinja2.meta

from ..base import sitefiles
from ..source.builtin import BUILTIN_THEME
from .files import is_template
from .loader import TEMPLATES_DIR
from .render import THEME_PREFIX


def template_stamps(root: Path) -> dict[str, str]:
    """Each template name, with the folder that provides it (the site's own first) and the
    digest of its bytes.

    By content, not by size and time: a fresh checkout or a new install of the same version
    (each run of a CI job) gives every file a new time, and the pages made with a template
    that did not change stay good. A theme is a few dozen small files: read in a millisecond.
    """
    stamps: dict[str, str] = {}
    for origin, folder in (("theme", BUILTIN_THEME), ("site", root / TEMPLATES_DIR)):
        if folder.is_dir():  # the site's own files win
            for path in folder.rglob("*"):
                if is_template(path.name) and path.is_file():
                    rel = path.relative_to(folder).as_posix()
                    stamps[rel] = f"{origin}:{_digest(root, origin, rel, path)}"
    return stamps


def _digest(root: Path, origin: str, rel: str, path: Path) -> str:
    """The digest of a template file's bytes: a site's read as its other files are (never
    through a link out of the site); `unread` when it cannot be read (its build says why)."""
    try:
        if origin == "site":
            code = sitefiles.read_bytes(root, f"{TEMPLATES_DIR}/{rel}")
        else:
            code = path.read_bytes()
    except (sitefiles.Refused, OSError):
        return "unread"
    return hashlib.blake2b(code, digest_size=16).hexdigest()


def pages_using(env: jinja2.Environment, edited: set[str]) -> Callable[[str], bool]:
    """Whether a page template uses (extends, includes, imports) any of the edited templates."""
    closures: dict[str, set[str]] = {}

    def closure(name: str) -> set[str]:
        if name not in closures:
            closures[name] = {name}
            found: Iterable[str | None] = ()
            try:
                source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
                found = list(jinja2.meta.find_referenced_templates(env.parse(source)))
            except jinja2.TemplateError:
                pass
            for other in found:
                if other:
                    closures[name] |= closure(other)
        return closures[name]

    def uses_edited(template: str) -> bool:
        """Whether the page made with `template` uses an edited one (a data file, written
        by a writer of the theme and not by a template, uses none)."""
        return bool(edited) and is_template(template) and any(
            name.removeprefix(THEME_PREFIX) in edited for name in closure(template))

    return uses_edited
