"""The lines above an article's first paragraph: headline, outlet, byline and date.

They are read until the first paragraph of text (a long line ending as a
sentence does). A headline may hold quotation marks (`Treasury's "growth plan"
meets a cool reception`); a one- or two-word line before a longer one is a
section label (`Football`), not the headline. A short line naming a newspaper
(`Northgate Echo`) is the outlet; a byline may carry the date (`By Owen Pryce |
Wednesday 21 May 2025`), and a reporter's line the outlet (`Education reporter,
BBC News`), with the reporter's name on the line before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from .chrome import TERMINAL, reporter_line
from .htmltext import Block

BYLINE = re.compile(r"^by\s+(.+?)$", re.IGNORECASE)
PRESS_WORDS = frozenset({
    "times", "post", "herald", "echo", "examiner", "gazette", "tribune", "courier", "courrier",
    "press", "news", "journal", "chronicle", "observer", "telegraph", "guardian", "mail", "star",
    "mirror", "standard", "express", "record", "sport", "wire", "daily", "weekly", "review",
    "radio", "tv", "agency", "zeitung", "monde", "dispatch", "bulletin", "independent", "sun",
    "inquirer"
})
NAME_LINE = re.compile(r"^(?:[A-Z][\w'’.-]+\s){1,3}[A-Z][\w'’.-]+$")
DATELINE_CITY = re.compile(r"^[A-Z][A-Z .'’-]{1,30}$")
HEADLINE_MAX_WORDS = 25
Outlets = Callable[[str], "str | None"]
Dates = Callable[[str], "dt.date | None"]
Fields = list[tuple[str, object]]


@dataclass(frozen=True, slots=True)
class Header:
    headline: str | None = None
    outlet: str | None = None
    author: str | None = None
    date: dt.date | None = None


def read_header(blocks: list[Block], outlet_of: Outlets, date_of: Dates,
                dropped: list[str]) -> tuple[Header, list[Block]]:
    """The header's fields, and the blocks without the lines they came from."""
    found: dict[str, object] = {}
    h1 = next((b for b in blocks if b.kind == "h1"), None)
    if h1 is not None:
        found["headline"] = h1.text
        dropped.append(h1.text)
    header: list[Block] = []
    rest = list(blocks)
    while rest and not is_body(rest[0]):
        header.append(rest.pop(0))
    kept: list[Block] = []
    for index, block in enumerate(header):
        if block is h1:
            continue
        fields = _fields(block, outlet_of, date_of)
        if not fields and "headline" not in found and _headline(block, header[index + 1:]):
            fields = [("headline", block.text.strip())]
        if not fields and _label(block):
            fields = [("label", block.text)]  # a section label or a dateline's city
        if not fields:
            kept.append(block)
            continue
        if any(key == "author-above" for key, _ in fields):
            kept = _author_above(kept, found, dropped)
        for key, value in fields:
            found.setdefault(key, value)
        dropped.append(block.text)
    values = {k: v for k, v in found.items() if k in ("headline", "outlet", "author", "date")}
    return Header(**values), kept + rest  # type: ignore[arg-type]


def _fields(block: Block, outlet_of: Outlets, date_of: Dates) -> Fields:
    text = block.text.strip()
    if block.kind != "p":
        return []
    if (outlet := outlet_of(text)) is not None:
        return [("outlet", outlet)]
    byline = BYLINE.match(text)
    if byline and len(text.split()) <= 12:
        names, _, rest = byline.group(1).partition(" | ")
        fields = _byline(names, outlet_of)
        date = date_of(rest) if rest else None
        return fields + ([("date", date)] if date else [])
    if reporter_line(text):
        return _reporter(text, outlet_of)
    date = date_of(text)
    if date is not None and len(text.split()) <= 12:
        return [("date", date)]
    found: Fields = [("outlet", text)] if _press_name(text) else []
    return found


def _byline(names: str, outlet_of: Outlets) -> Fields:
    if (outlet := outlet_of(names)) is not None:
        return [("outlet", outlet)]
    person, _, agency = names.partition(", ")
    if agency and (outlet_of(agency) or reporter_line(agency)):
        fields: Fields = [("author", person.strip())]
        if (found := outlet_of(agency)) is not None:
            fields.append(("outlet", found))
        return fields
    words = names.split()
    for cut in range(1, len(words)):  # "DANIEL OKAFOR Associated Press"
        if (outlet := outlet_of(" ".join(words[cut:]))) is not None:
            return [("author", " ".join(words[:cut])), ("outlet", outlet)]
    return [("author", names.strip())]


def _reporter(text: str, outlet_of: Outlets) -> Fields:
    """`Ellis Grant, Court reporter` or `Education reporter, BBC News` (name on the line above)."""
    parts = [p.strip() for p in text.split(",")]
    fields: Fields = []
    for part in parts:
        if (outlet := outlet_of(part)) is not None:
            fields.append(("outlet", outlet))
        elif NAME_LINE.match(part) and not reporter_line(part):
            fields.append(("author", part))
    if not any(key == "author" for key, _ in fields):
        fields.append(("author-above", True))
    return fields


def _author_above(kept: list[Block], found: dict[str, object],
                  dropped: list[str]) -> list[Block]:
    """The reporter's name on the line before their role: `Katie Moss`."""
    if kept and NAME_LINE.match(kept[-1].text.strip()) and "author" not in found:
        found["author"] = kept[-1].text.strip()
        dropped.append(kept[-1].text)
        return kept[:-1]
    return kept


def _headline(block: Block, after: list[Block]) -> bool:
    text = block.text.strip()
    words = len(text.split())
    if block.kind != "p" or words > HEADLINE_MAX_WORDS or text.endswith(('"', "”", "»")):
        return False
    if words <= 2 and any(len(b.text.split()) > 2 and b.kind == "p" for b in after):
        return False  # a section label before the headline
    return not DATELINE_CITY.match(text)


def _label(block: Block) -> bool:
    """`Football`, `ANKARA`: a word or two of no sentence, above the headline or below it."""
    text = block.text.strip()
    return block.kind == "p" and ((len(text.split()) <= 2 and not text.endswith(TERMINAL))
                                  or bool(DATELINE_CITY.match(text)))


def _press_name(text: str) -> bool:
    """A newspaper's name on its own line: `Northgate Echo`, `The Carrow Examiner`."""
    words = text.split()
    return 1 < len(words) <= 5 and not text.endswith(TERMINAL) \
        and all(w[:1].isupper() or w in ("du", "de", "la", "le", "of", "the") for w in words) \
        and any(w.lower() in PRESS_WORDS or w.lower().startswith("courrier") for w in words)


def is_body(block: Block) -> bool:
    """A paragraph of the article proper: a long line ending as a sentence does."""
    text = block.text.strip()
    return block.kind == "p" and len(text.split()) >= 12 and text.endswith(TERMINAL)
