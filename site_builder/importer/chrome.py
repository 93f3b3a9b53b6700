"""Page chrome: the lines of a saved or pasted page that are not the article.

Menus and breadcrumbs (`Home | News | Local`, `News > Africa > Politics`), sign-in,
share, newsletter and cookie lines, `Published ... Updated ...` lines, credits
(`(Reporting by ...; Editing by ...)`), editors' codes (`mb/sst/jm`, `dpa kv/ms`),
copyright lines, and the lists that follow `Most read` or `Related topics`. Each
test reads one line; `is_chrome` is true wherever the line stands in the page.
"""

from __future__ import annotations

import re

TERMINAL = tuple('.?!:"”\'’)')
SEPARATORS = re.compile(r"\s+[|>›»•·]\s+|\s+/\s+")
LABELLED = re.compile(r"^(?:follow us|share(?: this(?: article| story| page)?)?|partager|"
                      r"topics|tags|related topics|filed under|categories|more about)\s*:\s*",
                      re.IGNORECASE)
SINGLE = re.compile(r"^(?:" + "|".join((
    r"skip to (?:main )?(?:content|navigation|search)",
    r"menu|home|search|save|print|email|e-mail|comments?|close|open|more|next|previous|back",
    r"advertisement|advertising|sponsored(?: content)?|ad|scroll to continue",
    r"read more|read more:.*|also read:.*|read also:.*|see also:.*",
    r"related(?: articles| stories| content)?:?.*",
    r"copy link|listen to (?:this|the) article.*|\d+ min(?:ute)?s? read",
    r"share(?:\s+(?:this|via|on|to|by|with|article|story|page|link)\b.{0,40})?",
    r"(?:(?:facebook|twitter|x|whatsapp|linkedin|email|reddit|telegram|print|copy link)"
    r"[\s|•·,]*){1,8}",
    r"(?:©|\(c\)|copyright\b).*", r"follow us\b.*", r"we use cookies.*|.*\bcookie policy\b.*",
    r"accept(?: all)? cookies",
    r"image (?:caption|source|copyright),?.*|(?:photo|picture) (?:caption|credit),?",
    r"published|updated|\d+ (?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?) ago",
    r"our standards:.*|to contact the (?:reporter|editor|author)s?\b.*",
    r"[-—–]*\s*with assistance from .*",
    r"==\s*\w[\w ]*",
)) + r")[.!]?$", re.IGNORECASE)
LIST_HEADS = re.compile(r"^(?:most read|most popular|more on this story|related topics|"
                        r"related|recommended(?: for you)?|trending(?: now)?|latest(?: news)?|"
                        r"more from .{1,30}|you may also like|top stories|comments)$",
                        re.IGNORECASE)
SIGN_UP = re.compile(r"\b(subscribe|subscription|newsletter|sign up|log in|sign in|"
                     r"inbox)\b", re.I)
EDITOR_CODE = re.compile(r"^[a-z]{1,10}(?:[/-][a-z]{1,10})*/[a-z]{1,10}$")
CODE_TOKENS = re.compile(r"^(?:[a-z0-9]{1,6}(?:/[a-z0-9]{1,6})*\s+){1,8}[a-z0-9/]{1,8}$")
AGENCY_CREDITS = re.compile(
    r"^\(?(?:Reporting|Writing|Editing|Additional reporting|Compiled|Edited) by .*\)?$", re.I)
DATE_LINE = re.compile(r"^(?:(?:first |last )?(?:published|updated|posted|modified)\b|"
                       r"\w+ \d{1,2},? \d{4}\b.*\b(?:am|pm|gmt|bst|cet|est|utc)\b)", re.I)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
REPORTER = re.compile(r"\b(?:reporter|correspondent|editor|writer|columnist|staff)\b", re.I)


def is_chrome(line: str) -> bool:
    """Page furniture, wherever it stands: navigation, sharing, sign-in, credits, codes."""
    text = line.strip()
    if not text or _quoted(text):
        return False
    words = len(text.split())
    return bool(SINGLE.match(text) or LABELLED.match(text) or is_menu(text)
                or is_code(text) or AGENCY_CREDITS.match(text)
                or (DATE_LINE.match(text) and words <= 16)
                or (EMAIL.search(text) and words <= 12)
                or (SIGN_UP.search(text) and words <= 15))


def is_menu(text: str) -> bool:
    """A line of short items between `|`, `>`, `›` or `/`: a menu or a breadcrumb."""
    items = [i.strip() for i in SEPARATORS.split(text)]
    if len(items) < 2 or (len(items) < 3 and not re.search(r"\s[>›»]\s", text)):
        return False
    return all(0 < len(i.split()) <= 4 and not i.endswith(TERMINAL) and not re.search(r"\d", i)
               for i in items)


def is_code(text: str) -> bool:
    """Editors' codes of several words, wherever they stand: `dpa kv/ms yyzz a3 sm`. (One
    word, `burs/rlp/giv`, is a code only at the end of the text: `and/or` may be a line.)"""
    return "/" in text and bool(CODE_TOKENS.match(text))


def starts_list(text: str) -> bool:
    """`Most read`, `Related topics`: the short lines after it are links, not the article."""
    return bool(LIST_HEADS.match(text.strip().rstrip(":")))


def is_link_line(text: str) -> bool:
    """A headline or topic of a list of links: short, not ending as a sentence does."""
    text = text.strip()
    return len(text.split()) <= 14 and not text.endswith(TERMINAL) and not _quoted(text)


def is_date_line(text: str) -> bool:
    """`Published 3 March 2025 Updated 4 March 2025`, `June 4, 2025 at 9:00 AM GMT+2`."""
    return bool(DATE_LINE.match(text.strip()))


def is_caption_label(text: str) -> bool:
    """`Image caption,` (the next line is the caption)."""
    return bool(re.match(r"^(?:image|photo|picture) caption,?$", text.strip(), re.I))


def reporter_line(text: str) -> bool:
    """`Education reporter, BBC News`, `Ellis Grant, Court reporter`: a byline's second half."""
    return len(text.split()) <= 8 and bool(REPORTER.search(text)) and not text.endswith(".")


def _quoted(text: str) -> bool:
    return any(mark in text for mark in '"“”«»„')
