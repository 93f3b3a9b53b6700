"""Structured data written into a page: JSON that no text of a brief can break out of.

The `json_ld` filter writes a page's structured data (see `site.structured`) as the content of
its `<script type="application/ld+json">`. The HTML parser ends a script at the first
`</script` whatever the JSON around it, and `<!--` changes how it looks for that end, so every
`<`, `>` and `&` inside the JSON's strings is written as its `\\u` escape (`\\u003c`...), which
JSON reads back as the same character; so are the line and paragraph separators (U+2028,
U+2029), which some JavaScript parsers take for line ends. Control characters are left out, as
on the rest of the page. The keys keep the order the data gives them, so two builds write the
same bytes.
"""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup

from ..source.controls import CONTROL, drop_controls

ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
           "\u2029": "\\u2029"}
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
# What JSON writes for a control character (C0 but tab, line feed and carriage return, which
# `drop_controls` keeps): `\b`, `\f` or a `\u` escape. A text holding a backslash then `b`
# or `u0007` matches too, and only costs the slower way.
_ESCAPED_CONTROL = re.compile(r"\\(?:[bf]|u00(?:0[0-8bcef]|1[0-9a-f]))")


def json_ld(data: Any) -> Markup:
    """`data` as compact JSON, safe inside a `<script>` element."""
    text = _ENCODER.encode(data)
    if _has_controls(text):  # rare: clean, then again
        text = _ENCODER.encode(_clean(data))
    for char, escape in ESCAPES.items():  # a page's data has a few of them at most
        if char in text:
            text = text.replace(char, escape)
    return Markup(text)


def _has_controls(text: str) -> bool:
    """Whether JSON text holds a control character, as it is or escaped. Of those, an ASCII
    text can hold DEL only as it is (JSON escapes the others)."""
    raw = "\x7f" in text if text.isascii() else CONTROL.search(text) is not None
    return raw or _ESCAPED_CONTROL.search(text) is not None


def _clean(value: Any) -> Any:
    """`value` with the control characters of its texts left out (keys included)."""
    if isinstance(value, str):
        return drop_controls(value)
    if isinstance(value, dict):
        return {drop_controls(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value
