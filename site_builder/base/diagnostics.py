"""Diagnostics: what a stage says about the user's input, with the place it comes from.

Stages never raise on a user's mistake; they add a `Diagnostic` to a
`Diagnostics` collector and carry on, so one run reports every problem.
Only the command line turns the collection into an exit code.

A warning is either a likely mistake or one of two kinds that are not: marked `pending`, the
state of the news as it stands (a claim no one has answered yet, an actor no brief names yet);
marked `optional`, what an optional setting left out costs (no ClaimReview without a
publisher). All are shown alike; `--strict` fails on the first kind only, so that a site is
published while its news unfolds and before its settings are complete.

A finding across files that rests on something being absent (an unknown id, a claim no one
answers, an actor no brief names) names what it rests on (`depends`). When a file could not
be read at all, such findings may only come from what it holds: `hold_back` sets aside those
whose words the unread file has (all of them when not even its text could be read), and the
summary says what could not be read.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A place in a source file: site-relative POSIX path, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: Severity
    span: Span
    message: str
    hint: str | None = None
    pending: bool = False  # a warning about news still unfolding, not a mistake: see `fails`
    depends: tuple[str, ...] = ()  # the ids or names whose absence it rests on: see `hold_back`
    optional: bool = False  # a warning about an optional setting left out, not a mistake

    def __str__(self) -> str:
        return visible(f"{self.span}: {self.severity}: {self.message}")

    @property
    def lets_pass(self) -> bool:
        """Whether `--strict` lets it pass: a warning on news still unfolding, or on an
        optional setting left out, says what is so, not what is wrong."""
        return self.pending or self.optional


@dataclass(slots=True)
class Diagnostics:
    """An append-only collection of diagnostics, shared by the stages of one run."""

    items: list[Diagnostic] = field(default_factory=list)
    # The files that could not be read (path -> their texts, or None when not even those
    # could be read), and the diagnostics `hold_back` set aside because of them.
    unread: dict[str, Sequence[str] | None] = field(default_factory=dict)
    held: list[Diagnostic] = field(default_factory=list)

    def error(self, span: Span, message: str, hint: str | None = None, *,
              depends: Sequence[str] = ()) -> None:
        self.items.append(Diagnostic(Severity.ERROR, span, message, hint,
                                     depends=tuple(depends)))

    def warning(self, span: Span, message: str, hint: str | None = None, *,
                pending: bool = False, optional: bool = False,
                depends: Sequence[str] = ()) -> None:
        """A warning; `pending` when it says how the news stands rather than what is wrong,
        `optional` when it says what a setting left out costs."""
        self.items.append(Diagnostic(Severity.WARNING, span, message, hint, pending=pending,
                                     optional=optional, depends=tuple(depends)))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    def absorb(self, other: Diagnostics) -> None:
        """Everything `other` collected: its diagnostics, what it could not read and held."""
        self.items.extend(other.items)
        self.unread.update(other.unread)
        self.held.extend(other.held)

    def hold_back(self) -> None:
        """Set aside the findings that may only come from a file that could not be read: those
        whose `depends` words that file holds (as whole words), every one that has `depends`
        when the file's text could not be read at all."""
        if not self.unread:
            return
        texts = list(self.unread.values())
        kept = []
        for diag in self.items:
            if diag.depends and any(t is None or _holds(t, diag.depends) for t in texts):
                self.held.append(diag)
            else:
                kept.append(diag)
        self.items = kept

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    @property
    def pending(self) -> list[Diagnostic]:
        """The warnings about news still unfolding, which `--strict` lets pass."""
        return [d for d in self.items if d.pending]

    @property
    def passing(self) -> list[Diagnostic]:
        """The warnings `--strict` lets pass: `pending` and `optional` ones."""
        return [d for d in self.items if d.lets_pass]

    def fails(self, strict: bool = False) -> bool:
        """Whether these stop a build: any error, and with `strict` any warning that is
        neither `pending` nor `optional` too."""
        return any(d.severity is Severity.ERROR or (strict and not d.lets_pass)
                   for d in self.items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Diagnostic]:
        """Diagnostics in file and line order; the order of a run stays stable."""
        return sorted(self.items, key=lambda d: (d.span.path, d.span.line, d.span.col))


def _holds(texts: Sequence[str], words: Sequence[str]) -> bool:
    """Whether one of `texts` holds one of `words` as whole words (line breaks and runs of
    spaces between a name's words count as one space)."""
    for word in words:
        pattern = r"\s+".join(map(re.escape, word.split()))
        found = re.compile(rf"(?<![\w-]){pattern}(?![\w-])")
        if any(found.search(text) for text in texts):
            return True
    return False


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest of `choices`, or None when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def one_of(choices: Iterable[str]) -> str:
    """A hint listing the allowed values."""
    return "allowed values: " + ", ".join(choices)


# What a message shows escaped, as Python writes it in a string (`\x1b`, `\n`, `\u202e`):
# control characters (C0, DEL, C1), which a terminal acts on (an escape sequence can clear the
# screen or retitle the window, hiding the messages around it); the line and paragraph
# separators; the bidirectional embeddings, overrides and isolates, which reorder the text
# shown around them. Any other text, non-ASCII letters and typographic quotes included, is
# shown as it is.
INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
NAMED_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
LINE_BREAK = re.compile(r"\r\n?|\n")  # what ends a line of any source file


def visible(text: str) -> str:
    """`text` with its control and invisible formatting characters written as escapes."""
    return INVISIBLE.sub(_escape, text) if INVISIBLE.search(text) else text


def _escape(match: re.Match[str]) -> str:
    return escaped(match.group())


def escaped(char: str) -> str:
    """One character as an escape: `\\n`, `\\x1b`, `\\u202e`."""
    code = ord(char)
    return NAMED_ESCAPES.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def lines_of(text: str) -> list[str]:
    """The lines of a source file, as the positions of its diagnostics count them: at CR, LF
    or CRLF only, as Markdown, Jinja and the YAML reader (see yamlsrc) count them."""
    lines = LINE_BREAK.split(text)
    return lines[:-1] if lines and not lines[-1] else lines


SourceLines = Callable[[str], list[str] | None]


def format_diagnostic(diag: Diagnostic, source_lines: SourceLines | None = None) -> str:
    """`path:line:col: severity: message`, then the hint and the source line with a caret;
    control characters in any of them shown escaped (see `visible`)."""
    out = [str(diag)]
    if diag.hint:
        out.extend(visible(f"  hint: {line}" if i == 0 else f"        {line}")
                   for i, line in enumerate(diag.hint.split("\n")))
    lines = source_lines(diag.span.path) if source_lines else None
    if lines and 1 <= diag.span.line <= len(lines):
        text = lines[diag.span.line - 1].rstrip("\n").expandtabs(1)
        before, after = _around(text, max(diag.span.col - 1, 0))
        gutter = f"{diag.span.line:>5} | "
        out.append(gutter + visible(before) + visible(after))
        out.append(" " * (len(gutter) + len(visible(before))) + "^")
    return "\n".join(out)


EXCERPT = 100  # characters of a long line shown on each side of the caret


def _around(text: str, col: int) -> tuple[str, str]:
    """A source line cut at the caret, each side shortened to `EXCERPT` characters with '…'
    (a paragraph of Markdown is one line, sometimes of many kilobytes)."""
    before, after = text[:col], text[col:]
    if len(before) > EXCERPT:
        before = "…" + before[-EXCERPT + 1:]
    if len(after) > EXCERPT:
        after = after[:EXCERPT - 1] + "…"
    return before, after


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def summary(diags: Diagnostics, what: str, strict: bool = False) -> str:
    """The one-line summary that ends every run: `what: N errors, M warnings`, and with
    `strict` how many of the warnings it lets pass (see `warning_count`); after `what`, what
    could not be read (`; 1 brief could not be read`)."""
    unread = unread_phrase(diags.unread)
    what = f"{what}; {unread}" if unread else what
    return f"{what}: {plural(len(diags.errors), 'error')}, {warning_count(diags, strict)}"


def unread_phrase(paths: Iterable[str]) -> str:
    """`1 brief could not be read`, `2 briefs and the actor registry could not be read`, or ''
    (the registry is `briefs/_actors.yaml`; any other file is a brief's)."""
    paths = list(paths)
    parts = []
    briefs = len({p.rpartition(".")[0] for p in paths if p != REGISTRY_PATH})  # .md or .yaml
    if briefs:
        parts.append(plural(briefs, "brief"))
    if REGISTRY_PATH in paths:
        parts.append("the actor registry")
    return " and ".join(parts) + " could not be read" if parts else ""


REGISTRY_PATH = "briefs/_actors.yaml"


def held_note(diags: Diagnostics) -> str | None:
    """The line that says how many findings `hold_back` set aside, and why."""
    if not diags.held:
        return None
    errors = sum(1 for d in diags.held if d.severity is Severity.ERROR)
    counts = " and ".join(c for c in (plural(errors, "error") if errors else "",
                                      plural(len(diags.held) - errors, "warning")
                                      if len(diags.held) > errors else "") if c)
    files = ", ".join(sorted(diags.unread))
    them = "it" if len(diags.unread) == 1 else "them"
    return (f"note: {counts} not shown: they may only follow from what could not be read "
            f"({files}); fix {them} first")


def warning_count(diags: Diagnostics, strict: bool = False) -> str:
    """`M warnings`, every warning counted; with `strict`, then `(K on news still unfolding,
    which --strict lets pass)` when some are `pending`, and `J on a setting left out` among
    them when some are `optional`."""
    count = plural(len(diags.warnings), "warning")
    pending = len(diags.pending)
    optional = sum(1 for d in diags.items if d.optional and not d.pending)
    if not strict or not (pending or optional):
        return count
    kinds = [f"{pending} on news still unfolding"] if pending else []
    if optional:
        kinds.append(f"{optional} on {'a setting' if optional == 1 else 'settings'} left out")
    return f"{count} ({', '.join(kinds)}, which --strict lets pass)"
