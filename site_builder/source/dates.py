"""Dates as editors write them, and the ISO date to write instead.

A date is `YYYY-MM-DD`. A date written another way (`March 11, 2025`, `11 March 2025`,
`2025/03/11`) gets the ISO date it stands for in the hint; one that reads two ways
(`11/03/2025`: 11 March or 3 November) names both.
"""

from __future__ import annotations

import datetime as dt
import re

ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
ISO_HINT = "dates are written YYYY-MM-DD, e.g. 2024-09-09"
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH = r"([a-z]{3,9})\.?"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
YEAR_FIRST = re.compile(r"^(\d{4})[-/. ](\d{1,2})[-/. ](\d{1,2})(?:[t ].*)?$")
NUMBERS = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
MONTH_FIRST = re.compile(rf"^{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+(\d{{4}})$")
DAY_FIRST = re.compile(rf"^{_WEEKDAY}{_DAY}[\s-]+{_MONTH}[\s,-]+(\d{{4}})$")


def parse_iso(value: str) -> tuple[dt.date | None, str | None]:
    """The date `value` writes as YYYY-MM-DD; else None, with the reason when it has the
    form of one but is no real date (`day is out of range for month`)."""
    match = ISO.match(value.strip())
    if not match:
        return None, None
    try:
        return dt.date(*(int(part) for part in match.groups())), None
    except ValueError as exc:
        return None, str(exc)


def date_hint(value: str) -> str:
    """How to write `value` as a date: the ISO date it stands for, both when it reads two
    ways, else the format."""
    text = value.strip()
    readings = readings_of(text)
    if len(readings) == 1:
        return f"write it as {readings[0].isoformat()}: dates are written YYYY-MM-DD"
    if len(readings) == 2:
        first, second = readings
        return (f"it reads two ways: {long(first)} ({first.isoformat()}) or {long(second)} "
                f"({second.isoformat()}); write the one you mean as YYYY-MM-DD")
    numbers = NUMBERS.match(text)
    if numbers and len(numbers[3]) == 2:
        return "write the year in full, as YYYY-MM-DD: e.g. 2024-09-09"
    return ISO_HINT


def readings_of(text: str) -> list[dt.date]:
    """The real dates `text` may write, in the ways people write them: none, one, or the
    day-first and month-first readings of `11/03/2025`."""
    text = text.strip().lower()
    if match := YEAR_FIRST.match(text):
        return _real(int(match[1]), int(match[2]), int(match[3]))
    if match := MONTH_FIRST.match(text):
        month = _month(match[1])
        return _real(int(match[3]), month, int(match[2])) if month else []
    if match := DAY_FIRST.match(text):
        month = _month(match[2])
        return _real(int(match[3]), month, int(match[1])) if month else []
    if (match := NUMBERS.match(text)) and len(match[3]) == 4:
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        day_first = _real(year, second, first)
        month_first = _real(year, first, second) if first != second else []
        return day_first + month_first
    return []


def long(date: dt.date) -> str:
    """`11 March 2025`."""
    return f"{date.day} {MONTHS[date.month - 1].capitalize()} {date.year}"


def _month(word: str) -> int | None:
    found = [i for i, name in enumerate(MONTHS, start=1) if name.startswith(word)]
    return found[0] if len(found) == 1 and (len(word) >= 3 or word == "may") else None


def _real(year: int, month: int, day: int) -> list[dt.date]:
    try:
        return [dt.date(year, month, day)]
    except ValueError:
        return []
