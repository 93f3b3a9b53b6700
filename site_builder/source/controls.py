"""Control characters in what editors write: found and reported, then left out of the pages.

An article can hold control characters pasted along with its text (an escape sequence,
a bell, a form feed); a YAML value can hold them through double-quoted escapes (`"\\e"`,
`"\\a"`, `"\\x07"`). None is ever wanted on a page, and most are not allowed in HTML and
XML at all: each article and each value that has some gets a warning at the first one,
and `page_bytes` takes them out of every rendered page (a space-like one becomes a space).
The text keeps them until then, so that positions in the article (of quotes, of names)
stay those of the file; the reader text's normalisation passes over them, as the page does.
"""

from __future__ import annotations

import re

import yaml

from ..base.diagnostics import LINE_BREAK, Diagnostics, Span, plural, visible

# C0 controls but tab, line feed and carriage return; DEL; C1 controls; the characters that
# are never text (lone surrogates, U+FFFE, U+FFFF). XML 1.0 allows none of them but the C1.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
C0_AND_DEL = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")  # the C1 controls in UTF-8
NONCHARS_UTF8 = re.compile(rb"\xef\xbf[\xbe\xbf]")  # U+FFFE and U+FFFF in UTF-8
# One escape of a double-quoted YAML value: `\x1b`, `\u0007`, `\U0000001b`, or `\` and a letter.
YAML_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
YAML_LETTERS = {"0": "\x00", "a": "\x07", "b": "\x08", "v": "\x0b", "f": "\x0c", "e": "\x1b",
                "N": "\x85"}


def drop_controls(text: str) -> str:
    """`text` without its control characters (a page as it is written out); those that are
    also spaces (vertical tab, form feed, the separators U+001C to U+001F, next line U+0085)
    become a plain space, as they separate words."""
    return CONTROL.sub(_replacement, text) if CONTROL.search(text) else text


def _replacement(match: re.Match[str]) -> str:
    return " " if match.group().isspace() else ""


def page_bytes(html: str) -> bytes:
    """A rendered page as UTF-8, without control characters (see `drop_controls`).

    Most pages have none, and looking for them in the bytes is quicker than in the text
    (a third of the time): the C0 controls and DEL are single bytes that `bytes.translate`
    deletes, the C1 controls and U+FFFE, U+FFFF begin with a fixed byte that a regular
    expression skips ahead to.
    """
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (a YAML escape, without LibYAML)
        return drop_controls(html).encode("utf-8")
    if len(data.translate(None, C0_AND_DEL)) == len(data) and not C1_UTF8.search(data) \
            and not NONCHARS_UTF8.search(data):
        return data
    return drop_controls(html).encode("utf-8")


def check_article(text: str, path: str, diags: Diagnostics) -> None:
    """A warning at the first control character of an article, if it has any."""
    first = CONTROL.search(text)
    if first is None:
        return
    before = text[:first.start()]
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    span = Span(path, len(LINE_BREAK.findall(before)) + 1, len(before) - line_start + 1)
    count = len(CONTROL.findall(text))
    hint = ("delete it: it is invisible, and was probably pasted along with the text"
            if count == 1 else
            "delete them: they are invisible, and were probably pasted along with the text")
    diags.warning(span, _message(count, first.group(), "the article", pages=False), hint)


def check_yaml(root: yaml.Node | None, text: str, path: str, diags: Diagnostics) -> None:
    """A warning for each value of a YAML file that holds control characters, at the first.

    Such characters can only come from the escapes of double-quoted values (the YAML reader
    refuses them written as they are), so a file without a backslash is not walked.
    """
    if root is None or "\\" not in text:
        return
    stack: list[tuple[yaml.Node, str | None]] = [(root, None)]
    while stack:
        node, key = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack.extend((value, k.value if isinstance(k, yaml.ScalarNode) else key)
                         for k, value in reversed(node.value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, key) for item in reversed(node.value))
        elif isinstance(node, yaml.ScalarNode) and (found := CONTROL.findall(node.value)):
            what = f"the value of '{key}'" if key else "a value"
            hint = ("remove the escape sequence (such as \\e, \\a or \\x07) from the value"
                    if len(found) == 1 else "remove the escape sequences (such as \\e, \\a "
                    "or \\x07) from the value")
            diags.warning(_escape_span(node, text, path),
                          _message(len(found), found[0], what, pages=True), hint)


def _message(count: int, char: str, what: str, pages: bool) -> str:
    page, does, shows = ("the pages", "do", "show") if pages else ("the page", "does", "shows")
    if count == 1:
        return f"a control character ({visible(char)}) in {what}: {page} {does} not show it"
    return (f"{plural(count, 'control character')} in {what}, the first here ({visible(char)}): "
            f"{page} {shows} none of them")


def _escape_span(node: yaml.ScalarNode, text: str, path: str) -> Span:
    """Where the escape of the value's first control character is written; the value's start
    when it cannot be found."""
    start, end = node.start_mark.index, node.end_mark.index
    for escape in YAML_ESCAPE.finditer(text, start, end):
        if CONTROL.match(_decoded(escape.group())):
            at = escape.start()
            breaks = list(LINE_BREAK.finditer(text, start, at))
            if not breaks:
                return Span(path, node.start_mark.line + 1, node.start_mark.column + 1 + at - start)
            return Span(path, node.start_mark.line + 1 + len(breaks), at - breaks[-1].end() + 1)
    return Span(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _decoded(escape: str) -> str:
    letter = escape[1]
    if letter in "xuU" and len(escape) > 2:
        return chr(int(escape[2:], 16)) if int(escape[2:], 16) <= 0x10FFFF else ""
    return YAML_LETTERS.get(letter, "")
