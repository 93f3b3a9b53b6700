"""Which templates make which pages: what a template edit must render again.

`template_stamps` tells each template's file (the site's own first, then the
built-in theme's) with its size, times and inode, so a build sees which changed;
`pages_using` tells whether a page's template uses one of those, directly or
through `extends`, `include` and `import`.
"""

from __future__ import annotations

import stat
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import jinja2
import jinja2.meta

from ..base.clock import file_stats, racy
from ..source.builtin import BUILTIN_THEME
from .files import is_template
from .render import THEME_PREFIX


def template_stamps(root: Path) -> dict[str, str]:
    """Each template name, with the file that provides it (the site's own first) and its state.

    A template modified too recently (see clock.py) gets a stamp of its own, which the next
    build takes for a change: an edit within the same tick of the clock could keep its size
    and time.
    """
    stamps: dict[str, str] = {}
    now = time.time_ns()
    for folder in (BUILTIN_THEME, root / "templates"):  # the site's own files win
        if folder.is_dir():
            for path in folder.rglob("*"):
                try:
                    info = path.stat()
                except OSError:  # gone since it was listed, or a dangling link
                    continue
                if stat.S_ISREG(info.st_mode) and is_template(path.name):
                    fresh = f":{now}" if racy(info.st_mtime_ns, now) else ""
                    stamps[path.relative_to(folder).as_posix()] = \
                        f"{path}:{file_stats(info)}{fresh}"
    return stamps


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
