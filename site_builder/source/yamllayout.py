"""What went wrong in a YAML file that cannot be read, said in terms of its layout.

PyYAML says where it gave up, in the words of its grammar ("did not find expected '-'
indicator"), often a line or more after the slip. When it fails, `explain` reads the lines
of the file up to that place as an editor sees them: fields (`name: value`), list items
(`- `), blocks nested by indentation. It finds the first line that breaks the layout the
lines above set up (a field indented 3 spaces among fields that use 4, a tab, a value with
`: ` in it, a quote never closed...) and says so, with the line as it should be written.
It reports only what YAML itself refuses: a file it finds nothing wrong in gets PyYAML's
own message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..base.diagnostics import lines_of, plural
from . import yamllines

RECORDS = {"claims": "claim", "responses": "response", "actors": "actor"}
HOLDERS = frozenset(("source", "quote", "stances"))  # fields whose value is fields


@dataclass(frozen=True, slots=True)
class Slip:
    """A line that breaks the layout: where, what is wrong, and how to write it."""

    line: int  # 1-based
    col: int
    message: str
    hint: str


@dataclass
class Block:
    """A mapping (its fields start at `indent`) or a list (its `- ` are at `indent`)."""

    kind: str  # "map" or "list"
    indent: int
    what: str  # how messages name it: "this response", "'source'", "the brief"
    key: str | None = None  # the field it is the value of
    last: str | None = None  # the last field of a map
    value: str = "open"  # what the last field or item holds: "open", "plain" or "done"


def explain(text: str, until: int, top: str) -> Slip | None:
    """The first line, up to line `until` (1-based), that breaks the layout of `text`;
    `top` names the file's top mapping ("the brief")."""
    return _Scan(lines_of(text), until, top).run()


class _Scan:
    def __init__(self, lines: list[str], until: int, top: str) -> None:
        self.lines = lines
        self.until = min(until, len(lines))
        self.top = top
        self.stack: list[Block] = []
        self.row = 0

    def run(self) -> Slip | None:
        while self.row < self.until:
            line = self.lines[self.row]
            self.row += 1
            body = line.lstrip(" ")
            if not body.strip():
                if "\t" in body and self.row == self.until:  # where YAML stopped
                    return Slip(self.row, line.index("\t") + 1, "this empty line holds a "
                                "tab, which YAML does not allow here", "delete the tab")
                continue
            if body.startswith("#") or yamllines.marker(line):
                continue
            if body[0] == "\t":
                return self._tab(line)
            if body.startswith(("? ", "&", "!", "*")) or body == "?":
                return None  # explicit keys, anchors, tags: not read here
            slip = self._line(line, len(line) - len(body))
            if slip is not None:
                return slip
        return None

    # --- one line --------------------------------------------------------------------------

    def _line(self, line: str, indent: int) -> Slip | None:
        popped = []
        while self.stack and self.stack[-1].indent > indent:
            popped.append(self.stack.pop())
        body = line[indent:]
        dash = body == "-" or body.startswith(("- ", "-\t"))
        if not self.stack:
            if popped:  # less indented than the top mapping
                return self._misplaced(line, indent, dash, popped)
            if not dash and not yamllines.key(body):
                self.row = self.until  # a document that is one value: nothing to read
                return None
            self.stack.append(Block("list" if dash else "map", indent, self.top))
            return self._entry(line, indent)
        top = self.stack[-1]
        if top.indent == indent:
            return self._at_level(line, indent, dash, top, popped)
        if popped:  # between the level of the block above and the one it left
            return self._misplaced(line, indent, dash, popped)
        return self._deeper(line, indent, dash, top)

    def _at_level(self, line: str, indent: int, dash: bool, top: Block,
                  popped: list[Block]) -> Slip | None:
        if top.kind == "list" and not dash:
            parent = self.stack[-2] if len(self.stack) > 1 else None
            if parent is not None and parent.kind == "map" and parent.indent == indent:
                self.stack.pop()  # a list at its field's own indentation, ended by a field
                return self._entry(line, indent)
            item = next((b for b in popped if b.kind == "map"), None)
            if item is not None or yamllines.key(line[indent:]):
                item = item or Block("map", indent + 2, f"this {_item(top)}")
                return self._indented(line, indent, item)
        if top.kind == "map" and dash:
            if top.value != "open":
                return self._list_among_fields(line, indent, top)
            self.stack.append(Block("list", indent, _list_name(top.last), top.last))
        return self._entry(line, indent)

    def _deeper(self, line: str, indent: int, dash: bool, top: Block) -> Slip | None:
        body = line[indent:]
        if top.value == "open":
            key = top.last if top.kind == "map" else top.key
            if dash:
                self.stack.append(Block("list", indent, _list_name(key), key))
            elif yamllines.key(body):
                what = _map_name(top) if top.kind == "map" else f"this {_item(top)}"
                self.stack.append(Block("map", indent, what, key))
            else:
                top.value = "plain"  # a value on the lines below its field
            return self._entry(line, indent) if dash or yamllines.key(body) else None
        if top.value == "plain" and not yamllines.looks_like_field(body):
            return None  # the value of the field above, continued
        if top.value == "plain" and top.kind == "map" and not dash \
                and (top.last in HOLDERS or top.key == "stances"):
            return self._under_a_value(line, indent, top)
        if dash:
            lists = [b for b in self.stack if b.kind == "list"]
            if lists:
                return self._indented(line, indent, lists[-1], item=True)
        reference = next((b for b in reversed(self.stack) if b.kind == "map"), None)
        if reference is None:
            return None
        return self._indented(line, indent, reference)

    def _misplaced(self, line: str, indent: int, dash: bool, popped: list[Block]) -> Slip:
        kind = "list" if dash else "map"
        near = [b for b in (*popped, *self.stack) if b.kind == kind] or popped
        best = min(near, key=lambda b: (abs(b.indent - indent), -b.indent))
        if dash and best.kind == "list":
            return self._indented(line, indent, best, item=True)
        return self._indented(line, indent, best)

    # --- what a line holds -----------------------------------------------------------------

    def _entry(self, line: str, indent: int) -> Slip | None:
        """The items (`- `) and the field a line starts with, at column `indent`, its value."""
        top = self.stack[-1]
        col = indent
        while line[col:] == "-" or line[col:].startswith(("- ", "-\t")):
            after = col + 1 + len(line[col + 1:]) - len(line[col + 1:].lstrip(" \t"))
            rest = line[after:]
            if not rest or rest.startswith("#"):
                top.value = "open"
                return None
            if rest.startswith(("? ", "&", "!", "*")) or rest == "?":
                self.row = self.until  # explicit keys, anchors, tags: not read here
                return None
            if rest == "-" or rest.startswith(("- ", "-\t")):
                self.stack.append(Block("list", after, f"the list in {top.what}"))
                top, col = self.stack[-1], after
                continue
            if yamllines.key(rest):
                self.stack.append(Block("map", after, f"this {_item(top)}", top.key))
                top, col = self.stack[-1], after
            else:
                top.value = "plain"
                return self._value(line, after, top)
            break
        return self._field(line, col, top)

    def _field(self, line: str, col: int, block: Block) -> Slip | None:
        body = line[col:]
        match = yamllines.key(body)
        if match is None:
            return self._not_a_field(line, col, block)
        key = match.group("key").strip("'\"")
        if re.fullmatch(r"-[A-Za-z_][\w-]*", key):  # `-id: a`, meant as an item
            fixed = line[:col] + "- " + body[1:]
            return Slip(self.row, col + 1, "a list item needs a space after its '-'",
                        f"write it so:\n{fixed}")
        block.last = key
        start = col + match.end()
        start += len(line[start:]) - len(line[start:].lstrip(" \t"))
        return self._value(line, start, block)

    def _value(self, line: str, start: int, block: Block) -> Slip | None:
        value = line[start:]
        if not value or value.startswith("#"):
            block.value = "open"
            return None
        block.value = "done"
        if yamllines.BLOCK_SCALAR.match(value):
            self._skip_block_scalar(block.indent)
            return None
        if value[0] in "\"'":
            return self._quoted(line, start)
        if value[0] in "[{":
            return self._flow(line, start)
        block.value = "plain"
        return self._plain(line, start)

    def _plain(self, line: str, start: int) -> Slip | None:
        """A value without quotes, on its field's line: it may not hold ': '."""
        value = yamllines.without_comment(line[start:])
        inner = value.find(": ")
        if inner == -1 and not value.endswith(":"):
            return None
        at = start + (inner if inner != -1 else len(value) - 1)
        head = line[:start]
        return Slip(self.row, at + 1, "this value holds ': ', which YAML reads as the start "
                    "of another field", f"put the value in quotes:\n{head}{yamllines.quote(value)}")

    def _quoted(self, line: str, start: int) -> Slip | None:
        mark = line[start]
        end = yamllines.closing(line, start + 1, mark)
        opened = self.row
        text = line
        while end is None and self.row < len(self.lines):
            text = self.lines[self.row]
            self.row += 1
            end = yamllines.closing(text, 0, mark)
        if end is None:
            return Slip(opened, start + 1, "this quoted value is never closed",
                        f"end it with {mark}:\n{line.rstrip()}{mark}")
        after = yamllines.without_comment(text[end + 1:]).strip()
        if not after:
            return None
        if mark == "'" and text[end + 1:end + 2].isalpha() and self.row == opened:
            value = yamllines.without_comment(line[start:]).strip()[1:].replace("''", "'")
            value = value[:-1] if value.endswith("'") else value
            return Slip(self.row, end + 1, "this apostrophe ends the value in single quotes",
                        "inside '...' write an apostrophe twice (''), or put the value in "
                        f"double quotes:\n{line[:start]}{yamllines.quote(value)}")
        hint = "a value in quotes ends at its closing quote: quote the whole value"
        if self.row == opened:
            whole = yamllines.without_comment(line[start:]).strip()
            hint += f":\n{line[:start]}{yamllines.quote(whole)}"
        return Slip(self.row, end + 2, "text follows the closing quote of this value", hint)

    def _flow(self, line: str, start: int) -> Slip | None:
        depth, opened, row, text, col = 0, self.row, line, line, start
        closer = {"[": "]", "{": "}"}[line[start]]
        quote: str | None = None
        while True:
            depth, quote, done = yamllines.brackets(text[col:], depth, quote)
            if done:
                return None
            if self.row >= len(self.lines):
                return Slip(opened, start + 1, f"this list in brackets is never closed with "
                            f"'{closer}'" if closer == "]" else
                            "this mapping in braces is never closed with '}'",
                            f"close it at the end of the value:\n{row.rstrip()}{closer}")
            text, col = self.lines[self.row], 0
            self.row += 1

    def _skip_block_scalar(self, indent: int) -> None:
        """The lines of a `|` or `>` value: blank, or indented more than its field."""
        while self.row < len(self.lines):
            line = self.lines[self.row]
            if line.strip() and len(line) - len(line.lstrip(" ")) <= indent:
                return
            self.row += 1

    # --- the slips -------------------------------------------------------------------------

    def _indented(self, line: str, indent: int, block: Block, item: bool = False) -> Slip:
        """A field (an `item` of a list) indented otherwise than the others of `block`."""
        others = "are not indented" if block.indent == 0 else f"use {block.indent}"
        fixed = " " * block.indent + line.lstrip(" ")
        what, them, how = ("item", "items", "indent its '-' as theirs") if item else \
            ("line", "fields", "indent it as they are")
        return Slip(self.row, indent + 1, f"this {what} is {_indentation(indent)}; the other "
                    f"{them} of {block.what} {others}", f"{how}:\n{fixed}")

    def _under_a_value(self, line: str, indent: int, block: Block) -> Slip:
        fixed = " " * block.indent + line.lstrip(" ")
        return Slip(self.row, indent + 1, f"this line is indented under '{block.last}:', "
                    "which has a value on the same line",
                    f"a field holds a value or fields under it, not both: leave "
                    f"'{block.last}:' empty with its fields under it, or indent this line as "
                    f"the other fields of {block.what}:\n{fixed}")

    def _list_among_fields(self, line: str, indent: int, block: Block) -> Slip:
        fixed = " " * indent + line[indent:][1:].lstrip(" ")
        return Slip(self.row, indent + 1, f"a list item ('- ') among the fields of "
                    f"{block.what}", f"a field is written without '- ':\n{fixed}")

    def _not_a_field(self, line: str, col: int, block: Block) -> Slip:
        body = line[col:]
        missing = yamllines.NO_SPACE.match(body)
        if missing is not None:
            at = col + missing.end() - 1
            fixed = line[:at + 1] + " " + line[at + 1:]
            return Slip(self.row, at + 1, f"'{missing.group('key')}:' needs a space after "
                        "its colon", f"write it so:\n{fixed}")
        where = f"among the fields of {block.what}"
        return Slip(self.row, col + 1, f"this line is not a field: it has no 'name: ' "
                    f"({where})", "write it 'name: value'; if it continues the value "
                    "above, indent it more than that field's name, or quote the whole value")

    def _tab(self, line: str) -> Slip:
        lead = line[:len(line) - len(line.lstrip(" \t"))]
        col = lead.index("\t") + 1
        indent = self._expected_indent()
        fixed = " " * indent + line.lstrip(" \t")
        return Slip(self.row, col, "this line is indented with a tab; YAML indents with "
                    "spaces only", f"indent it with spaces:\n{fixed}")

    def _expected_indent(self) -> int:
        """Where the next line's field would go: under an open field, or beside the last."""
        if not self.stack:
            return 0
        top = self.stack[-1]
        return top.indent + 2 if top.value == "open" else top.indent


def _indentation(count: int) -> str:
    return f"indented {plural(count, 'space')}" if count else "not indented"


def _item(block: Block) -> str:
    return RECORDS.get(block.key or "", f"item of '{block.key}'" if block.key else "item")


def _list_name(key: str | None) -> str:
    return f"'{key}'" if key else "the list"


def _map_name(parent: Block) -> str:
    if parent.key == "stances" and parent.last:
        return f"the stance '{parent.last}'"
    return f"'{parent.last}'" if parent.last else "the mapping"
