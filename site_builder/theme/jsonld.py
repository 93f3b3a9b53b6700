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
from typing import Any

from markupsafe import Markup

from ..source.controls import drop_controls

ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
           "\u2029": "\\u2029"}
_TABLE = str.maketrans(ESCAPES)


def json_ld(data: Any) -> Markup:
    """`data` as compact JSON, safe inside a `<script>` element."""
    text = json.dumps(_clean(data), ensure_ascii=False, separators=(",", ":"))
    return Markup(text.translate(_TABLE))


def _clean(value: Any) -> Any:
    """`value` with the control characters of its texts left out (keys included)."""
    if isinstance(value, str):
        return drop_controls(value)
    if isinstance(value, dict):
        return {drop_controls(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value
