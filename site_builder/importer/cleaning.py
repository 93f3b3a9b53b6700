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
}
CREDIT_SOURCES = r"(AFP|Getty Images|Getty|Reuters|AP|EPA(?:-EFE)?|Anadolu|Shutterstock|Xinhua|" \
                 r"Bloomberg|Sputnik|Pool|Handout|Alamy|dpa|SIPA|ANP|TASS|WireImage)"

CREDIT_SOURCE = re.compile(CREDIT_SOURCES, re.IGNORECASE)
CHROME = re.compile(r"^(?:" + "|".join((
    r"skip to (?:main )?(?:content|navigation|search)",
    r"advertisement|advertising|sponsored(?: content)?|ad|scroll to continue",
    r"read more|read more:.*|also read:.*|read also:.*|see also:.*",
    r"related(?: articles| stories)?:?.*",
    r"more on this story|most read|recommended(?: for you)?|trending(?: now)?",
    r"(?:share|share this(?: article| story)?|share on \w+|copy link|print|email|comments?)",
    r"(?:(?:facebook|twitter|x|whatsapp|linkedin|email|reddit|telegram|print|copy link)"
    r"[\s|•·,]*){1,8}",
    r"listen to (?:this|the) article.*|\d+ min(?:ute)?s? read",
    r"(?:©|\(c\)|copyright\b).*", r"follow us on .*", r"we use cookies.*|accept(?: all)? cookies",
    r"(?:last )?updated:? .{0,40}",
)) + r")[.!]?$", re.IGNORECASE)
SIGN_UP = re.compile(r"\b(subscribe|subscription|newsletter|sign up|log in|sign in)\b", re.I)
EDITOR_CODE = re.compile(r"^[a-z]{1,10}(?:[/-][a-z]{1,10})*/[a-z]{1,10}$")
AGENCY_CREDITS = re.compile(
    r"^\(?(?:Reporting|Writing|Editing|Additional reporting|Compiled) by .*\)?$", re.I)
CREDIT_LINE = re.compile(
    r"^(?:(?:photo(?:graph)?|image|picture|illustration|credit)s?\s*(?::|by)\s*.{1,80}"
    r"|[\w .,'’&-]{0,60}/\s*" + CREDIT_SOURCES + r"(?:\s*/\s*[\w .'-]{1,30})?"
    r"|" + CREDIT_SOURCES + r"(?: photo)?\s*/\s*[\w .'-]{1,40})$", re.IGNORECASE)
INLINE_CREDIT = re.compile(r"(?:\(|\s)(?:photo(?:graph)?|picture|image)\s*:\s*[^.\"“”]{1,60}\)?$",
                           re.IGNORECASE)
CROSSHEAD = re.compile(r"^[-–—]\s*(.+?)\s*[-–—]$")
BYLINE = re.compile(r"^by\s+(.+?)$", re.IGNORECASE)
DATELINE_OUTLET = re.compile(r"^[A-Z][\w .'’-]{1,40}(?:, [\w .]{1,30})?\s*"
                             r"\(([A-Za-z][\w .-]{0,30})\)\s*[-–—]")
TERMINAL = tuple('.?!:"”\'’)')
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


@dataclass(frozen=True, slots=True)
class _Header:
    headline: str | None = None
    outlet: str | None = None
    author: str | None = None
    date: dt.date | None = None


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
    blocks = _drop(blocks, dropped, lambda b: b.kind == "p" and is_chrome(b.text))
    blocks = _drop_trailer(blocks, dropped)
    header, blocks = _read_header(blocks, names, dropped)
    blocks = _drop_captions(blocks, dropped)
    meta = page.meta
    outlet = header.outlet or outlet_name(meta.outlet or "", names) or meta.outlet \
        or _dateline_outlet(blocks, names)
    headline = header.headline or _page_title(meta.title, outlet)
    return CleanArticle(
        headline=headline,
        outlet=outlet or _title_outlet(meta.title, headline, names),
        author=header.author or meta.author,
        date=header.date or (find_date(meta.date) if meta.date else None),
        blocks=tuple(_headings(blocks)),
        dropped=tuple(dropped),
    )


def is_chrome(line: str) -> bool:
    """Page furniture: navigation, sharing, subscription and advertising lines."""
    if CHROME.match(line.strip()):
        return True
    return bool(SIGN_UP.search(line)) and len(line.split()) <= 15 and not _has_quote(line)


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


def _drop_trailer(blocks: list[Block], dropped: list[str]) -> list[Block]:
    """Editor codes (`burs/rlp/giv`) and agency credits at the end of the text."""
    while blocks and blocks[-1].kind == "p" and (
            EDITOR_CODE.match(blocks[-1].text) or AGENCY_CREDITS.match(blocks[-1].text)
            or blocks[-1].text.strip(" -–—") in {"", "ends", "AFP", "Reuters", "AP"}):
        dropped.append(blocks.pop().text)
    return blocks


def _read_header(blocks: list[Block], names: dict[str, str],
                 dropped: list[str]) -> tuple[_Header, list[Block]]:
    """Headline, outlet, byline and date among the lines before the first paragraph of text."""
    found: dict[str, object] = {}
    kept: list[Block] = []
    h1 = next((b for b in blocks if b.kind == "h1"), None)
    if h1 is not None:
        found["headline"] = h1.text
        dropped.append(h1.text)
    in_header = True
    for block in blocks:
        if block is h1:
            continue
        in_header = in_header and not _is_body(block)
        field_value = _header_field(block, names, found) if in_header else None
        if field_value is None:
            kept.append(block)
            continue
        key, value = field_value
        found.setdefault(key, value)
        dropped.append(block.text)
    return _Header(**found), kept  # type: ignore[arg-type]


def _header_field(block: Block, names: dict[str, str],
                  found: dict[str, object]) -> tuple[str, object] | None:
    text = block.text.strip()
    if block.kind != "p" or _has_quote(text):
        return None
    if (outlet := outlet_name(text, names)) is not None:
        return "outlet", outlet
    byline = BYLINE.match(text)
    if byline and len(text.split()) <= 12:
        return _byline(byline.group(1), names)
    date = find_date(text)
    if date is not None and len(text.split()) <= 12:
        return "date", date
    if "headline" not in found and len(text.split()) <= 25:
        return "headline", text
    return None


def _byline(names_text: str, names: dict[str, str]) -> tuple[str, object]:
    if (outlet := outlet_name(names_text, names)) is not None:
        return "outlet", outlet
    person, _, agency = names_text.partition(", ")
    if agency and outlet_name(agency, names):
        return "author", person.strip()
    return "author", names_text.strip()


def _is_body(block: Block) -> bool:
    """A paragraph of the article proper: a long line ending as a sentence does."""
    text = block.text.strip()
    return block.kind == "p" and len(text.split()) >= 12 and text.endswith(TERMINAL)


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
    return _has_quote(block.text) and _is_body(block)


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


def _dateline_outlet(blocks: Sequence[Block], names: dict[str, str]) -> str | None:
    """The agency of a dateline: 'KYIV (Reuters) - ...' in the first paragraphs."""
    for block in blocks[:3]:
        match = DATELINE_OUTLET.match(block.text)
        if match:
            return outlet_name(match.group(1), names) or match.group(1)
    return None
