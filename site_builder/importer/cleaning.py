"""Cleaning a raw article: metadata out of the text, page chrome and captions dropped.

The cleaner only ever drops whole lines, or turns a crosshead (`- Title -`) into
a heading: the words of the paragraphs it keeps are never changed. It finds the
headline, outlet, byline and date at the top of the article (or in the page's
`<meta>` tags) so they can go to the brief's YAML.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from .chrome import (
    EDITOR_CODE,
    is_caption_label,
    is_chrome,
    is_date_line,
    is_link_line,
    starts_list,
)
from .header import is_body, read_header
from .htmltext import Block, Page

MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
    ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
    ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")), start=1) for name in names}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DATE_FORMS = (
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?!\d)"), ("y", "m", "d")),
    (re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.I), ("mon", "d", "y")),
    (re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(\d{4})\b", re.I),
     ("d", "mon", "y")),
    (re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})\b"), ("d", "m", "y")),  # 14.10.2025
)

KNOWN_OUTLETS = {
    "agence france-presse": "Agence France-Presse", "afp": "Agence France-Presse",
    "agence france presse": "Agence France-Presse",
    "reuters": "Reuters", "associated press": "Associated Press",
    "the associated press": "Associated Press", "ap": "Associated Press",
    "bloomberg": "Bloomberg", "bbc": "BBC News", "bbc news": "BBC News",
    "al jazeera": "Al Jazeera", "the guardian": "The Guardian", "cnn": "CNN",
    "deutsche welle": "Deutsche Welle", "dw": "Deutsche Welle", "xinhua": "Xinhua",
    "anadolu agency": "Anadolu Agency", "tass": "TASS", "kyodo news": "Kyodo News",
    "efe": "EFE", "ansa": "ANSA", "dpa": "dpa", "upi": "UPI", "france 24": "France 24",
    "euronews": "Euronews", "the new york times": "The New York Times",
    "the washington post": "The Washington Post", "financial times": "Financial Times",
    "politico": "Politico", "npr": "NPR", "sky news": "Sky News",
    "kyodo": "Kyodo News", "anadolu": "Anadolu Agency", "anadolu ajansi": "Anadolu Agency",
}
CREDIT_SOURCES = r"(AFP|Getty Images|Getty|Reuters|AP|EPA(?:-EFE)?|Anadolu|Shutterstock|Xinhua|" \
                 r"Bloomberg|Sputnik|Pool|Handout|Alamy|dpa|SIPA|ANP|TASS|WireImage)"

CREDIT_SOURCE = re.compile(CREDIT_SOURCES, re.IGNORECASE)
CREDIT_LINE = re.compile(
    r"^(?:(?:photo(?:graph)?|image|picture|illustration|credit)s?\s*(?::|by)\s*.{1,80}"
    r"|[\w .,'’&-]{0,60}/\s*" + CREDIT_SOURCES + r"(?:\s*/\s*[\w .'-]{1,30})?"
    r"|" + CREDIT_SOURCES + r"(?: photo)?\s*/\s*[\w .'-]{1,40})$", re.IGNORECASE)
INLINE_CREDIT = re.compile(r"(?:\(|\s)(?:photo(?:graph)?|picture|image)\s*:\s*[^.\"“”]{1,60}\)?$",
                           re.IGNORECASE)
CROSSHEAD = re.compile(r"^[-–—]\s*(.+?)\s*[-–—]$")
DATELINE_OUTLET = re.compile(r"^(?:[A-Z][^()\n]{0,60}?\s*)?\(([A-Za-z][\w .-]{0,30})\)"
                             r"\s*(?:--|[-–—])")
COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)\s*(?:\d{4}\s*)?(?P<who>.*?)\s*(?:\d{4})?\s*"
                       r"(?:[.,]\s*(?:all rights reserved|registered in)\b.*)?\.?$", re.I)
WIRE_TAIL = re.compile(r"^==\s*(?P<who>\w[\w ]*)$")
MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MD_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)")


@dataclass(frozen=True, slots=True)
class CleanArticle:
    """The article ready for a brief: metadata found, blocks of the text kept."""

    headline: str | None
    outlet: str | None
    author: str | None
    date: dt.date | None
    blocks: tuple[Block, ...]  # "p" paragraphs and "h" headings, in reading order
    dropped: tuple[str, ...] = ()  # whole lines removed, for the report


def clean(page: Page, outlets: Iterable[str] = ()) -> CleanArticle:
    """Clean `page`; `outlets` are extra outlet names (the registry's media actors)."""
    names = dict(KNOWN_OUTLETS) | {name.lower(): name for name in outlets}
    if page.markdown:
        return _clean_markdown(page, names)
    return _clean(page, list(page.blocks), names)


def _clean_markdown(page: Page, names: dict[str, str]) -> CleanArticle:
    """Markdown is cleaned as the plain text it shows; the blocks kept keep their Markdown."""
    plain = [Block(b.kind, plain_markdown(b.text)) for b in page.blocks]
    cleaned = _clean(page, plain, names)
    source = {p.text: b.text for p, b in zip(plain, page.blocks, strict=True)}
    blocks = tuple(Block(b.kind, source.get(b.text, b.text)) if b.kind == "p" else b
                   for b in cleaned.blocks)
    return replace(cleaned, blocks=blocks)


def plain_markdown(text: str) -> str:
    """The words of a line of Markdown: links as their text, no emphasis markers."""
    text = MD_LINK.sub(r"\1", text)
    return MD_EMPHASIS.sub("", text).strip()


def _clean(page: Page, blocks: list[Block], names: dict[str, str]) -> CleanArticle:
    dropped: list[str] = []
    blocks = _drop_chrome(blocks, dropped)
    blocks = _drop_trailer(blocks, names, dropped)
    header, blocks = read_header(blocks, lambda line: outlet_name(line, names), find_date,
                                 dropped)
    blocks = _drop_captions(blocks, dropped)
    meta = page.meta
    outlet = header.outlet or _dateline_outlet(blocks, names) \
        or outlet_name(meta.outlet or "", names) or meta.outlet or _dropped_outlet(dropped, names)
    headline = header.headline or _page_title(meta.title, outlet)
    return CleanArticle(
        headline=headline,
        outlet=outlet or _title_outlet(meta.title, headline, names),
        author=header.author or meta.author,
        date=header.date or (find_date(meta.date) if meta.date else None)
        or _dropped_date(dropped) or _dateline_date(blocks),
        blocks=tuple(_headings(blocks)),
        dropped=tuple(dropped),
    )


def _drop_chrome(blocks: list[Block], dropped: list[str]) -> list[Block]:
    """Chrome lines anywhere; the caption after `Image caption,`; the links after `Most read`."""
    kept: list[Block] = []
    listing = caption = False
    for block in blocks:
        text = block.text.strip()
        heads_list = starts_list(text)
        chrome = block.kind != "h1" and (is_chrome(text) or heads_list)
        if chrome or caption or (listing and is_link_line(text)):
            dropped.append(block.text)
            listing = heads_list or listing
            caption = is_caption_label(text)
            continue
        listing = caption = False
        kept.append(block)
    return kept


def _dropped_date(dropped: Sequence[str]) -> dt.date | None:
    """The date of a `Published ...` line dropped as chrome."""
    return next((d for line in dropped if is_date_line(line) and (d := find_date(line))), None)


def _dropped_outlet(dropped: Sequence[str], names: dict[str, str]) -> str | None:
    """The outlet a dropped `© 2025 Westshire Press` or `==Kyodo` line names."""
    for line in dropped:
        if (named := outlet_name(line, names)) is not None:
            return named  # "Anadolu Agency" at the end of the text
        found = COPYRIGHT.match(line.strip()) or WIRE_TAIL.match(line.strip())
        who = found.group("who").strip(" .,") if found else ""
        who = re.sub(r"\s+(?:ltd|limited|inc|plc|llc)\.?$", "", who, flags=re.I)
        if who and len(who.split()) <= 5:
            return outlet_name(who, names) or who
    return None


def find_date(text: str) -> dt.date | None:
    """The first date written in `text` ('Sep 9, 2024', '9 September 2024', '2024-09-09')."""
    found = []
    for pattern, order in DATE_FORMS:
        match = pattern.search(text)
        if match:
            parts = dict(zip(order, match.groups(), strict=True))
            month = int(parts["m"]) if "m" in parts else MONTHS[parts["mon"].lower()]
            try:
                found.append((match.start(), dt.date(int(parts["y"]), month, int(parts["d"]))))
            except ValueError:
                continue
    return min(found)[1] if found else None


def outlet_name(line: str, names: dict[str, str]) -> str | None:
    """The outlet a line names on its own ('AFP', 'By Reuters', '(AP)'), or None."""
    key = line.strip().strip("()").strip().lower()
    key = re.sub(r"^(by|source:)\s+", "", key).strip(" .")
    return names.get(key)


def _drop(blocks: list[Block], dropped: list[str],
          test: Callable[[Block], bool]) -> list[Block]:
    kept = []
    for block in blocks:
        if test(block):
            dropped.append(block.text)
        else:
            kept.append(block)
    return kept


def _drop_trailer(blocks: list[Block], names: dict[str, str],
                  dropped: list[str]) -> list[Block]:
    """Editor codes (`burs/rlp/giv`) and the outlet's name at the end of the text."""
    while blocks and blocks[-1].kind == "p" and (
            EDITOR_CODE.match(blocks[-1].text) or outlet_name(blocks[-1].text, names)
            or blocks[-1].text.strip(" -–—") in {"", "ends"}):
        dropped.append(blocks.pop().text)
    return blocks


def _drop_captions(blocks: list[Block], dropped: list[str]) -> list[Block]:
    """Photo captions: a line with a credit, a line repeated, a line followed by a credit."""
    drop: set[int] = set()
    seen: set[str] = set()
    for i, block in enumerate(blocks):
        text = block.text.strip()
        if block.kind != "p":
            continue
        if CREDIT_LINE.match(text.strip("()")):
            drop.add(i)
            if i > 0 and blocks[i - 1].kind == "p" and not _is_body_with_quote(blocks[i - 1]):
                drop.add(i - 1)
        elif INLINE_CREDIT.search(text) and not _has_quote(text):
            drop.add(i)
        elif i + 1 < len(blocks) and _same_caption(text, blocks[i + 1].text.strip()):
            drop.update((i, i + 1))
        elif text in seen:
            drop.add(i)
        seen.add(text)
    for i in sorted(drop):
        dropped.append(blocks[i].text)
    return [b for i, b in enumerate(blocks) if i not in drop]


def _same_caption(first: str, second: str) -> bool:
    """Two adjacent lines that are one caption twice (perhaps with a credit after)."""
    if not first or not second:
        return False
    short, long = sorted((first, second), key=len)
    if not long.startswith(short):
        return False
    rest = long[len(short):].strip().strip(" -–—|()")
    return not re.search(r"\w", rest) or bool(CREDIT_LINE.match(rest)) \
        or bool(CREDIT_SOURCE.fullmatch(rest))


def _is_body_with_quote(block: Block) -> bool:
    return _has_quote(block.text) and is_body(block)


def _has_quote(text: str) -> bool:
    return any(mark in text for mark in '"“”«»')


def _headings(blocks: Sequence[Block]) -> list[Block]:
    """Crossheads (`- 'Severe' response -`, or h2/h3 of a page) become headings."""
    out = []
    for block in blocks:
        crosshead = CROSSHEAD.match(block.text.strip()) if block.kind == "p" else None
        if crosshead:
            out.append(Block("h", crosshead.group(1)))
        elif block.kind in ("h1", "h2", "h3"):
            out.append(Block("h", block.text))
        else:
            out.append(block)
    return out


def _page_title(title: str | None, outlet: str | None) -> str | None:
    """A page's <title> without the site's name after ' | ' or ' - '."""
    if not title:
        return None
    for separator in (" | ", " - ", " – ", " — "):
        head, _, tail = title.rpartition(separator)
        if head and (outlet is None or outlet.lower() in tail.lower() or len(tail.split()) <= 3):
            return head.strip()
    return title


def _title_outlet(title: str | None, headline: str | None,
                  names: dict[str, str]) -> str | None:
    """The site named after the headline in a page's <title>: 'Talks stall | Wire'."""
    if not title or not headline or not title.startswith(headline):
        return None
    tail = title[len(headline):].strip(" |-–—:")
    if not tail or len(tail.split()) > 5:
        return None
    return outlet_name(tail, names) or tail


def _dateline_date(blocks: Sequence[Block]) -> dt.date | None:
    """The date of a dateline: 'TOKYO, Aug. 20, 2025 (Kyodo) -- ...'."""
    for block in blocks[:3]:
        match = DATELINE_OUTLET.match(block.text)
        if match:
            return find_date(block.text[:match.end()])
    return None


def _dateline_outlet(blocks: Sequence[Block], names: dict[str, str]) -> str | None:
    """The agency of a dateline: 'KYIV (Reuters) - ...' in the first paragraphs."""
    for block in blocks[:3]:
        match = DATELINE_OUTLET.match(block.text)
        if match:
            return outlet_name(match.group(1), names) or match.group(1)
    return None
