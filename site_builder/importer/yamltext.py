"""Writing a draft brief's YAML as text, with the editor's comments kept.

Strings are written as JSON strings, which are valid YAML double-quoted
scalars; characters YAML would not accept as they are get `\\u` escapes.
The first quotation becomes the claim the others answer (`stance: asserts`,
`status: unverified`, placeholders the checker accepts); every entry carries
an `# EDITOR:` comment saying what is left to decide.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from ..source.schema import MODELINE
from .drafting import Anchoring, Entry
from .speakers import Casting, DraftActor

STANCE_HINTS = (  # words of a quotation, and the stance they may suggest
    ("denies", ("reject", "deny", "denied", "false", "untrue", "not true", "baseless",
                "fabricat", "no truth", "lies")),
    ("condemns", ("condemn", "unacceptable", "outrageous", "deplor", "denounce")),
    ("threatens", ("consequences", "respond", "retaliat", "measures", "sanction", "will act")),
    ("warns", ("escalation", "danger", "risk", "we warn", "warned", "threat to")),
    ("questions", ("not every time", "doubt", "unclear", "verify", "whether", "looking into",
                   "if confirmed")),
    ("no-comment", ("no comment", "not comment", "decline to comment")),
    ("accuses", ("blame", "accuse", "responsible for")),
    ("confirms", ("confirm", "we are aware", "it is true")),
)
STANCE_WORDS = tuple((stance, tuple((w, re.compile(r"(?<!\w)" + re.escape(w))) for w in words))
                     for stance, words in STANCE_HINTS)
STATUS_CHOICES = "unverified, disputed, confirmed, refuted"
WIDTH = 99


@dataclass(frozen=True, slots=True)
class Header:
    """The brief's fields other than actors, claims and responses."""

    title: str | None
    date: dt.date
    date_found: bool
    outlet: str | None
    author: str | None
    source_name: str


def yaml_string(text: str) -> str:
    """`text` as a YAML double-quoted scalar."""
    out = json.dumps(text, ensure_ascii=False)
    return "".join(c if c.isprintable() else _escape(c) for c in out)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def brief_yaml(header: Header, entries: Sequence[Entry], casting: Casting,
               claim: str | None) -> str:
    """The whole YAML file; `claim` is the id of the drafted claim (None without one)."""
    placed = [e for e in entries if e.actor is not None and e.anchoring is not None]
    left = [e for e in entries if e.actor is None or e.anchoring is None]
    parts = [_header(header), _actors(casting.new)]
    if placed and claim is not None:
        parts.append(_claim(placed[0], claim, casting))
        parts.append(_responses(placed[1:], claim, casting))
    else:
        parts.append("# EDITOR: no quotation could be drafted; write the claims and responses.\n")
    parts.append(_left_over(left, casting))
    return "\n".join(p for p in parts if p)


def _header(header: Header) -> str:
    lines = [MODELINE, f"# Drafted by `site-builder import` from {header.source_name}.",
             "# Every '# EDITOR:' comment marks a decision left to you; the drafted values",
             "# are placeholders that pass `site-builder check`."]
    if header.title:
        lines.append(f"title: {yaml_string(header.title)}")
    else:
        lines += ["# EDITOR: no headline found; write the title.",
                  f"title: {yaml_string(header.source_name)}"]
    if not header.date_found:
        lines.append("# EDITOR: no date found in the article; today's date is a placeholder.")
    lines += [f"date: {header.date.isoformat()}", "source:"]
    if not header.outlet:
        lines.append("  # EDITOR: no outlet found; write who published the article.")
    lines.append(f"  outlet: {yaml_string(header.outlet or 'Unknown outlet')}")
    if header.author:
        lines.append(f"  author: {yaml_string(header.author)}")
    lines += ["  # url: https://... (the article's address, optional)",
              "# summary: one paragraph in your words (optional)",
              "# tags: [one, two]"]
    return "\n".join(lines) + "\n"


def _actors(new: Sequence[DraftActor]) -> str:
    if not new:
        return ""
    lines = ["actors:"]
    for actor in new:
        lines += [*_comments(f"EDITOR: new actor drafted from \"{_comment(actor.phrase)}\": "
                             f"check 'kind' ({actor.kind} is a guess) and 'role', or move it "
                             "to briefs/_actors.yaml if other briefs name it too.", 2),
                  f"  - id: {actor.id}", f"    name: {yaml_string(actor.name)}",
                  f"    kind: {actor.kind}"]
        if actor.role:
            lines.append(f"    role: {yaml_string(actor.role)}")
        if actor.part_of:
            lines.append(f"    part_of: {actor.part_of}")
    return "\n".join(lines) + "\n"


def _claim(entry: Entry, claim: str, casting: Casting) -> str:
    assert entry.anchoring is not None and entry.actor is not None
    lines = ["claims:", *_where(entry, casting),
             *_comments("EDITOR: the article's first quotation, drafted as the claim the others "
                        "answer. Rewrite 'text' as the claim in your own words, check who makes "
                        f"it ('by'), choose 'status' ({STATUS_CHOICES}) and give 'id' a name "
                        "for the claim; or make it a response to a claim of another brief.", 2),
             f"  - id: {claim}", f"    by: {entry.actor}",
             f"    text: {yaml_string(entry.anchoring.exact)}",
             *_quote(entry.anchoring), "    status: unverified"]
    return "\n".join(lines) + "\n"


def _responses(entries: Sequence[Entry], claim: str, casting: Casting) -> str:
    if not entries:
        return ""
    lines = ["responses:"]
    for entry in entries:
        assert entry.anchoring is not None and entry.actor is not None
        lines += [*_where(entry, casting),
                  *_comments(f"EDITOR: {_stance_question(entry.anchoring.exact)}", 2),
                  f"  - claim: {claim}", f"    by: {entry.actor}", "    stance: asserts",
                  *_quote(entry.anchoring), ""]
    return "\n".join(lines)


def _left_over(entries: Sequence[Entry], casting: Casting) -> str:
    if not entries:
        return ""
    lines = _comments("EDITOR: quotations left to you (no speaker is certain, or the words "
                      "could not be placed); add them as responses if they matter:", 0)
    for entry in entries:
        said = entry.quotation.said or "no attribution found"
        why = "speaker not certain" if entry.actor is None else "quote not placed"
        lines += _comments(f"- line {entry.line} ({why}; \"{_comment(said)}\"): "
                           f"\"{_comment(entry.quotation.exact)}\"", 0)
        if entry.candidates:
            named = [f"{c} ({casting.names[c]})" if c in casting.names else c
                     for c in entry.candidates]
            lines += _comments("  who may have said it, most likely first: "
                               + ", ".join(named), 0)
    return "\n".join(lines) + "\n"


def _where(entry: Entry, casting: Casting) -> list[str]:
    name = casting.names.get(entry.actor or "", entry.actor)
    quotation = entry.quotation
    said = f": \"{_comment(quotation.said)}\"" if quotation.said else ""
    return _comments(f"{name}, article line {entry.line} ({quotation.how}{said})", 2)


def _comments(text: str, indent: int) -> list[str]:
    """`text` as comment lines that fit the width."""
    prefix = " " * indent + "# "
    return textwrap.wrap(text, WIDTH, initial_indent=prefix, subsequent_indent=prefix + "  ",
                         break_long_words=False, break_on_hyphens=False)


def _stance_question(exact: str) -> str:
    """The question for the editor, with the stances the quotation's words suggest."""
    lowered = exact.lower()
    hints = []
    for stance, words in STANCE_WORDS:
        hit = next((w for w, pattern in words if pattern.search(lowered)), None)
        if hit is not None:
            hints.append(f"\"{hit}\" suggests {stance}")
    suggestion = f" ({'; '.join(hints[:2])})" if hints else ""
    return ("choose the stance (asserts is a placeholder) and the claim it answers"
            + suggestion)


def _quote(anchoring: Anchoring) -> list[str]:
    if anchoring.prefix is None and anchoring.suffix is None:
        return [f"    quote: {yaml_string(anchoring.exact)}"]
    lines = ["    quote:", f"      exact: {yaml_string(anchoring.exact)}"]
    if anchoring.prefix is not None:
        lines.append(f"      prefix: {yaml_string(anchoring.prefix)}")
    if anchoring.suffix is not None:
        lines.append(f"      suffix: {yaml_string(anchoring.suffix)}")
    return lines


def _comment(text: str, limit: int = 90) -> str:
    """Text fit for one comment line."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
