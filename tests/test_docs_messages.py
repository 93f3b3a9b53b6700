"""docs/format.md's list of every error and warning matches the messages the code writes: each
message it lists (in bold) is made by some string of site_builder/, its words in the same
order, with `<...>` where the code fills something in."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Every error and warning"
BOLD = re.compile(r"\*\*(?:warning: )?`([^`]+)`\*\*", re.S)
PLACEHOLDER = re.compile(r"<[^>]+>")
FILLED = "\x00"  # where an f-string fills a value in


def listed() -> list[str]:
    """The messages of docs/format.md's list, in bold, their line breaks undone."""
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    section = text[text.index(SECTION):]
    return [" ".join(m.split()) for m in BOLD.findall(section)]


@cache
def strings_of_the_code() -> tuple[str, ...]:
    """Every string of site_builder/: literal text, with `FILLED` where an f-string fills in
    a value (implicit concatenation is one string already)."""
    found = []
    for path in sorted((ROOT / "site_builder").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append(node.value.replace("{}", FILLED))  # str.format's places
            elif isinstance(node, ast.JoinedStr):
                found.append("".join(v.value if isinstance(v, ast.Constant) else FILLED
                                     for v in node.values))
    return tuple(found)


@cache
def patterns_of_the_code() -> tuple[re.Pattern[str], ...]:
    """Each string of the code as a pattern: its literal text, anything where it fills in a
    value."""
    return tuple(re.compile(".*?".join(map(re.escape, s.split(FILLED))), re.S)
                 for s in strings_of_the_code() if len(s.replace(FILLED, "")) >= 8)


def written(message: str) -> bool:
    """Whether some string of the code writes `message`: the message, with anything it
    says `<...>` about standing for what the code fills in, is one the string can make."""
    shown = PLACEHOLDER.sub(FILLED, message)
    return any(p.fullmatch(shown) or p.fullmatch(message) for p in patterns_of_the_code())


def test_the_list_is_read() -> None:
    messages = listed()
    assert len(messages) > 80
    assert "this line is indented <n> spaces; the other fields of <what> use <m>" in messages


@pytest.mark.parametrize("message", listed())
def test_each_listed_message_is_written_by_the_code(message: str) -> None:
    assert written(message), f"docs/format.md lists a message no code writes: {message}"


def test_a_message_no_code_writes_is_caught() -> None:
    assert written("this line is indented <n> spaces; the other fields of <what> use <m>")
    assert not written("this line is indented <n> tabs; the other fields use <m>")
    assert not written("an unknown field '<key>' in <what>")
