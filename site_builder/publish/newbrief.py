"""`site-builder new SLUG`: a new brief, its article and its annotations, from a commented
template (`scaffold/new/`) that passes `check` as it is.

The title and the date come from the options, else from the slug: `2025-03-11-port-strike`
is dated 2025-03-11 and titled "Port strike". Nothing is ever written over: when either file
exists, or a link of its name, nothing is written at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from pathlib import Path

from ..source.load import BRIEFS_DIR
from ..source.schema import FOLDER, SITE_SCHEMA
from .scaffold import SCAFFOLD, write_site_schemas

TEMPLATE = SCAFFOLD / "new"
DATED = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,.()'’-]*")  # a title YAML reads as it is
OUTLET = "Unknown outlet"


class NewBriefError(Exception):
    pass


def new_brief(root: Path, slug: str, title: str | None = None, date: dt.date | None = None,
              today: dt.date | None = None) -> list[str]:
    """Write `briefs/<slug>.md` and `.yaml` in the site at `root`; their site-relative paths.
    Raises `NewBriefError` (nothing written) when the site has no briefs/ folder or either
    file exists."""
    folder = root / BRIEFS_DIR
    if not folder.is_dir():
        raise NewBriefError(f"no '{BRIEFS_DIR}/' folder in {root}: run the command in a "
                            "site's folder (or a folder inside it), or give it with --source DIR")
    names = [f"{slug}.md", f"{slug}.yaml"]
    there = [f"{BRIEFS_DIR}/{n}" for n in names if os.path.lexists(folder / n)]
    if there:
        verb = "exist" if len(there) > 1 else "exists"
        raise NewBriefError(f"{' and '.join(there)} already {verb}; nothing was written "
                            "(choose another name, or edit that brief)")
    values = {"slug": slug, "outlet": OUTLET, **_from_slug(slug, today or dt.date.today())}
    if title is not None:
        values["title"] = title
    if date is not None:
        values["date"] = date.isoformat()
    values["title"] = _yaml_text(values["title"])
    texts = [(folder / n, _filled((TEMPLATE / f"brief{Path(n).suffix}").read_text("utf-8"),
                                  values)) for n in names]
    _write_all(texts)
    if not (root / FOLDER / SITE_SCHEMA).exists():  # the schema its first line names
        write_site_schemas(root)
    return [f"{BRIEFS_DIR}/{n}" for n in names]


def _from_slug(slug: str, today: dt.date) -> dict[str, str]:
    """The date and title a slug gives: `2025-03-11-port-strike` -> 2025-03-11, Port strike."""
    match = DATED.match(slug)
    date, words = today, slug
    if match:
        with contextlib.suppress(ValueError):
            date, words = dt.date(*map(int, match.groups()[:3])), match[4]
    text = words.replace("-", " ")
    return {"date": date.isoformat(), "title": text[:1].upper() + text[1:]}


def _yaml_text(text: str) -> str:
    """`text` as a YAML value: as it is when YAML reads it so, else as a JSON string (which
    YAML reads as a double-quoted one)."""
    return text if PLAIN.fullmatch(text) and not text.endswith(" ") else \
        json.dumps(text, ensure_ascii=False)


def _filled(template: str, values: dict[str, str]) -> str:
    """The template with each `{name}` replaced by its value (in one pass: a title holding
    `{date}` stays as it is)."""
    return re.sub(r"\{(slug|title|date|outlet)\}", lambda m: values[m[1]], template)


def _write_all(texts: list[tuple[Path, str]]) -> None:
    """Each new file, or none: one made before a failure is removed again."""
    made: list[Path] = []
    try:
        for path, text in texts:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            made.append(path)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
    except BaseException as exc:
        for path in made:
            with contextlib.suppress(OSError):
                path.unlink()
        if isinstance(exc, OSError):
            raise NewBriefError(f"cannot write in {texts[0][0].parent}: "
                                f"{exc.strerror or exc}; nothing was written") from exc
        raise
