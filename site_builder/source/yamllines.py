"""Reading one line of YAML as an editor wrote it: where a field's name ends, where a
comment starts, where a quoted value or a value in brackets closes (see yamllayout)."""

from __future__ import annotations

import re

KEY = re.compile(r"""(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'"""  # quoted
                 r"""|(?:[^\s#'"\[\]{},:&*!|>%@`?-]|[-?:][^\s#])(?:(?![ \t]#).)*?)"""  # plain
                 r"""[ \t]*:(?=\s|$)""")
NO_SPACE = re.compile(r"(?P<key>[A-Za-z_][\w-]*):(?=[^\s/])")  # `stance:disputes`
BLOCK_SCALAR = re.compile(r"[|>][0-9+-]*[ \t]*(#.*)?$")


def marker(line: str) -> bool:
    """A document marker or directive: `---`, `...`, `%YAML`."""
    return line.startswith(("---", "...", "%")) and (len(line) == 3 or line[3:4] in " \t")


def key(body: str) -> re.Match[str] | None:
    return KEY.match(body)


def looks_like_field(body: str) -> bool:
    value = without_comment(body)
    return ": " in value or value.endswith(":")


def without_comment(text: str) -> str:
    """`text` without a comment (` #` to the end), outside quotes."""
    quote = None
    for i, char in enumerate(text):
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'" and (i == 0 or text[i - 1] in " [{,"):
            quote = char
        elif char == "#" and (i == 0 or text[i - 1] in " \t"):
            return text[:i].rstrip()
    return text.rstrip()


def closing(text: str, start: int, mark: str) -> int | None:
    """The index of the quote that closes a value opened before `start`, or None."""
    i = start
    while i < len(text):
        char = text[i]
        if mark == '"' and char == "\\":
            i += 2
            continue
        if char == mark:
            if mark == "'" and text[i + 1:i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return None


def brackets(text: str, depth: int, quote: str | None) -> tuple[int, str | None, bool]:
    """The depth of brackets and the open quote after `text`, and whether it closed."""
    start, i = quote is None, 0
    while i < len(text):
        char = text[i]
        if quote:
            if (quote == '"' and char == "\\") or (char == quote == "'"
                                                    and text[i + 1:i + 2] == "'"):
                i += 1  # an escape, or '' in single quotes
            elif char == quote:
                quote = None
        elif char in "\"'" and start:
            quote = char
        elif char == "#" and (i == 0 or text[i - 1] in " \t"):
            break
        elif char in "[{,:?":
            depth += char in "[{"
            start = True
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return 0, None, True
        elif char not in " \t":
            start = False
        i += 1
    return depth, quote, False


def quote(value: str) -> str:
    """`value` in double quotes, or single quotes (apostrophes doubled) when it has `"`."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"
