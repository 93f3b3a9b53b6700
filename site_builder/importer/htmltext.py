"""The text of an article: its blocks, from plain text, Markdown or a saved web page.

A saved page is read with the standard library's `html.parser`. Only the
text of paragraphs, headings (h1-h3) and block quotes is kept, and only inside
`<article>` when the page has one; scripts, styles, navigation, page headers,
footers, asides and figures (with their captions) are dropped. What the page's
`<meta>` tags (and its JSON-LD `datePublished`) say about the article (title,
site, author, date) is kept aside for the cleaning stage.

The bytes of a raw article are read as the text they encode: by their
byte-order mark, as UTF-8, or in the character set a saved page declares.
"""

from __future__ import annotations

import codecs
import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCK_TAGS = {"p": "p", "blockquote": "p", "h1": "h1", "h2": "h2", "h3": "h3"}
SKIP_TAGS = frozenset({"script", "style", "nav", "footer", "aside", "figure", "figcaption",
                       "form", "noscript", "button", "svg", "template", "iframe", "select"})
HTML_START = re.compile(r"\s*(<!doctype html|<html|<head|<body|<article)", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?:][\"”’')]*$")
WRAP_MIN, WRAP_MAX, WRAP_SLACK = 45, 100, 16  # slack: about the longest word
MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
META_KEYS = {
    "og:title": "title", "twitter:title": "title",
    "og:site_name": "outlet", "application-name": "outlet",
    "author": "author", "article:author": "author", "byl": "author",
    "article:published_time": "date", "date": "date", "pubdate": "date",
    "datepublished": "date", "dc.date": "date",
}
BYTE_ORDER_MARKS = (  # UTF-32's first: its little-endian mark starts as UTF-16's does
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"))
JSON_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{4,40})"')  # a page's structured data
META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)
# Python's codecs that are no web page's character set: they would read the bytes as
# something else than text (escape sequences, domain names), or never read them.
NOT_CHARSETS = frozenset({"undefined", "unicode-escape", "raw-unicode-escape", "idna",
                          "punycode", "utf-7"})
LABEL_MAX = 40  # characters of a declared charset shown in a message


class UndecodableText(ValueError):
    """The bytes are not text the import can read: what is wrong, and what to do."""

    def __init__(self, what: str, hint: str) -> None:
        super().__init__(f"{what} ({hint})")
        self.what, self.hint = what, hint


@dataclass(frozen=True, slots=True)
class Block:
    """One block of text: `p` (a paragraph), `h1` (a headline) or `h2`/`h3` (a crosshead)."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What a page says about its article outside the text (all optional)."""

    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    blocks: tuple[Block, ...]
    meta: PageMeta = field(default_factory=PageMeta)
    markdown: bool = False  # the blocks are Markdown source, not plain text


def looks_like_html(text: str, filename: str = "") -> bool:
    return filename.lower().endswith((".html", ".htm")) or bool(HTML_START.match(text))


def decode_text(data: bytes, filename: str = "") -> str:
    """The text of a raw article's bytes; raises `UndecodableText` when they are not text.

    A byte-order mark says the encoding; otherwise the text is UTF-8, or, for a web
    page that is not, the character set its `<meta>` declares (one Python reads as text).
    """
    for mark, codec in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            name = codec[:6].upper()
            return _decode(data[len(mark):], codec,
                           f"starts with a {name} byte-order mark but is not {name} text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    resave = "save it with the UTF-8 encoding, then import it again"
    declared = META_CHARSET.search(data[:4096])
    if not declared or not looks_like_html(data[:200].decode("ascii", "replace"), filename):
        raise UndecodableText("is not UTF-8 text", resave)
    label = declared.group(1).decode("ascii")
    shown = label if len(label) <= LABEL_MAX else label[:LABEL_MAX] + "…"
    charset = _charset(label)
    if charset is None:
        raise UndecodableText(f"declares the character set '{shown}', which is not one the "
                              "import knows, and is not UTF-8 text",
                              f"{resave}, or correct its <meta charset>")
    return _decode(data, charset, f"is not {shown} text as it declares")


def _charset(label: str) -> str | None:
    """The codec of a declared character set, or None for one that is no page's charset."""
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # a page whose <meta> is readable byte by byte is in no UTF-16 or UTF-32
    name = info.name
    return None if name in NOT_CHARSETS or name.startswith(("utf-16", "utf-32")) else name


def _decode(data: bytes, codec: str, wrong: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].decode(codec, "replace").count("\n") + 1
        raise UndecodableText(f"{wrong} (line {line}: byte 0x{data[exc.start]:02x})",
                              "save it with the UTF-8 encoding, then import it again") from None
    except (LookupError, UnicodeError):
        raise UndecodableText(wrong, "save it with the UTF-8 encoding, then import it "
                              "again") from None


def read_page(text: str, filename: str = "") -> Page:
    """The blocks of a raw article, whatever its form."""
    if looks_like_html(text, filename):
        return html_page(text)
    return text_page(text, markdown=filename.lower().endswith((".md", ".markdown")))


def text_page(text: str, markdown: bool = False) -> Page:
    """One block per line, or per paragraph of hard-wrapped lines; `# ` lines are headings."""
    groups = _line_groups(text)
    width = _wrap_width(groups)
    blocks = []
    for group in groups:
        for line in _unwrap(group, width) if width else group:
            heading = MARKDOWN_HEADING.match(line) if markdown else None
            if heading:
                level = min(len(heading.group(1)), 3)
                blocks.append(Block(f"h{level}", heading.group(2)))
            else:
                blocks.append(Block("p", line))
    return Page(tuple(blocks), markdown=markdown)


def _wrap_width(groups: list[list[str]]) -> int:
    """The width a hard-wrapped text is wrapped at, or 0 when it is not hard-wrapped.

    It is when no line is longer than `WRAP_MAX` and most lines that fill the
    width (within `WRAP_SLACK`) and run on to another line stop in mid-sentence.
    """
    width = max((len(line) for group in groups for line in group), default=0)
    if width > WRAP_MAX:
        return 0
    full = max(WRAP_MIN, width - WRAP_SLACK)
    running = [line for group in groups for line in group[:-1] if len(line) >= full]
    mid_sentence = [line for line in running if not SENTENCE_END.search(line)]
    return width if len(mid_sentence) >= 2 and 2 * len(mid_sentence) >= len(running) else 0


def _line_groups(text: str) -> list[list[str]]:
    """Runs of non-empty lines between blank lines."""
    groups: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip()
        if line:
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return [g for g in groups if g]


def _unwrap(lines: list[str], width: int) -> list[str]:
    """Lines of a hard-wrapped text joined: a line that fills the width runs on."""
    full = max(WRAP_MIN, width - WRAP_SLACK)
    out = [lines[0]]
    for previous, line in itertools.pairwise(lines):
        if len(previous) >= full and not previous.startswith("#"):
            out[-1] += " " + line
        else:
            out.append(line)
    return out


def html_page(text: str) -> Page:
    parser = _ArticleParser()
    parser.feed(text)
    parser.close()
    return Page(parser.result(), PageMeta(**parser.meta))


@dataclass(slots=True)
class _Found:
    kind: str
    text: str
    in_article: bool


class _ArticleParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[_Found] = []
        self.meta: dict[str, str] = {}
        self.skip = 0  # depth inside dropped elements
        self.article = 0  # depth inside <article>
        self.open: list[str] = []  # open block tags, innermost last
        self.buffer: list[str] = []
        self.in_title = False
        self.title: list[str] = []
        self.in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            self._meta(dict(attrs))
        elif tag == "time" and "date" not in self.meta:
            stamp = dict(attrs).get("datetime")
            if stamp:
                self.meta["date"] = stamp
        elif tag == "title":
            self.in_title = True
        elif tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self.in_json_ld = True
        elif tag == "br":
            self.buffer.append(" ")
        if tag in SKIP_TAGS or (tag == "header" and not self.article):
            self.skip += 1
        elif tag == "article":
            self.article += 1
        elif tag in BLOCK_TAGS:
            self._flush()
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            self._meta(dict(attrs))
        elif tag == "br":
            self.buffer.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS or (tag == "header" and not self.article):
            self.skip = max(0, self.skip - 1)
        elif tag == "article":
            self.article = max(0, self.article - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in BLOCK_TAGS:
            self._flush()
            if tag in self.open:
                del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        if self.in_json_ld:
            self.in_json_ld = False
            found = JSON_LD_DATE.search(data)
            if found and "date" not in self.meta:
                self.meta["date"] = found.group(1)
        elif self.in_title:
            self.title.append(data)
        elif not self.skip and self.open:
            self.buffer.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        self.buffer = []
        if text and self.open and not self.skip:
            self.found.append(_Found(BLOCK_TAGS[self.open[-1]], text, self.article > 0))

    def _meta(self, attrs: dict[str, str | None]) -> None:
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        content = attrs.get("content")
        field_name = META_KEYS.get(key)
        if field_name and content and content.strip() and field_name not in self.meta:
            self.meta[field_name] = " ".join(content.split())

    def result(self) -> tuple[Block, ...]:
        self._flush()
        if "title" not in self.meta and "".join(self.title).strip():
            self.meta["title"] = " ".join("".join(self.title).split())
        found = self.found
        if any(f.in_article for f in found):  # the article's blocks, and a headline outside it
            inside = [f for f in found if f.in_article]
            outside_h1 = [f for f in found if f.kind == "h1" and not f.in_article]
            if outside_h1 and not any(f.kind == "h1" for f in inside):
                inside.insert(0, outside_h1[0])
            found = inside
        return tuple(Block(f.kind, f.text) for f in found)
