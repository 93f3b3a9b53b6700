"""Reading YAML while keeping the position of every value.

Files are composed into PyYAML's node tree (never `safe_load`): nodes carry their
line and column, duplicate keys can be seen, and no value is turned into a
boolean, a float or a date behind the editor's back. `Fields` reads one mapping
as a record and reports every mistake to a `Diagnostics` collector.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import yaml

from ..base.diagnostics import LINE_BREAK, Diagnostics, Span, one_of
from .dates import ISO_HINT, date_hint, parse_iso
from .suggest import field_hint, value_hint
from .yamllayout import explain

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
NULL_TAG = "tag:yaml.org,2002:null"
STR_TAG = "tag:yaml.org,2002:str"
NULLS = frozenset(("", "~", "null", "Null", "NULL"))  # YAML 1.1's plain nulls


class Loader(_BaseLoader):
    """The safe loader, telling plain nulls from text and nothing else: every value is read
    as the text the editor wrote, so the other implicit types (numbers, booleans, dates)
    would only cost time (the loader tries their patterns on every value)."""

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and value is not None:
            return NULL_TAG if implicit[0] and value in NULLS else STR_TAG
        return super().resolve(kind, value, implicit)


OTHER_BREAKS = "\x85\u2028\u2029"  # line breaks to YAML 1.1, ordinary characters to YAML 1.2
_OTHER_BREAKS = re.compile(f"[{OTHER_BREAKS}]")
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ID_HINT = "ids use lowercase letters, digits and single hyphens, e.g. 'peter-stano'"


@dataclass(frozen=True, slots=True)
class Ref:
    """An id written by the editor, with where it was written."""

    id: str
    span: Span


def node_span(path: str, node: yaml.Node) -> Span:
    return Span(path, node.start_mark.line + 1, node.start_mark.column + 1)


def kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "text"


def is_null(node: yaml.Node) -> bool:
    """A plain empty, `~` or `null` value (libyaml marks plain style '', PyYAML None)."""
    return isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG and not node.style


def parse_yaml(text: str, path: str, diags: Diagnostics,
               empty_ok: bool = False) -> yaml.Node | None:
    """The node tree of one YAML document, or None (with a diagnostic) when it has none.

    With `empty_ok` (optional files: site.yaml, the actor registry) a file with no
    value at all, only comments say, is None without a diagnostic.
    """
    read, back = _without_other_breaks(text)
    try:
        root = yaml.compose(read, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        slip = explain(read, mark.line + 1, _top_name(path)) if mark else None
        if slip is not None:
            diags.error(Span(path, slip.line, slip.col), slip.message.translate(back),
                        slip.hint.translate(back))
            return None
        span = Span(path, mark.line + 1, mark.column + 1) if mark else Span(path)
        problem = (exc.problem or exc.context or "invalid YAML").translate(back)
        diags.error(span, f"YAML syntax error: {problem}", _syntax_hint(exc, read))
        return None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        lines = LINE_BREAK.split(text[:getattr(exc, "position", 0) or 0])
        diags.error(Span(path, len(lines), len(lines[-1]) + 1),
                    "YAML cannot contain this character",
                    "remove the control character or invisible symbol at this place")
        return None
    except RecursionError:  # PyYAML's pure-Python composer, when libyaml is missing
        diags.error(Span(path), "YAML syntax error: exceeded maximum nesting depth",
                    "lists and mappings are nested too deeply")
        return None
    if root is None or is_null(root):
        if empty_ok:
            return None
        diags.error(Span(path), "the file is empty", "a brief's annotations start with 'title:'")
        return None
    # An alias is written `*name`: a text without a '*' has none, and its tree need not be walked.
    if "*" in text and _reject_aliases(root, path, diags):
        return None
    if back:
        _put_back(root, back)
    return root


def _top_name(path: str) -> str:
    """How messages name the top mapping of the file at `path`."""
    name = path.rpartition("/")[2]
    return {"_actors.yaml": "the actor registry", "site.yaml": "site.yaml"}.get(name,
                                                                               "the brief")


def _without_other_breaks(text: str) -> tuple[str, dict[int, str]]:
    """`text` with YAML 1.1's other line breaks (NEL, U+2028, U+2029) each replaced by a
    private-use character `text` lacks, and the table that puts them back.

    YAML 1.2, editors and this tool's positions end lines at \\n (or \\r) only; PyYAML
    and LibYAML, which read YAML 1.1, end them at these three too: a U+2028 pasted into a
    comment would end it, the rest of the comment read as YAML (a false syntax error) and
    every position after it a line off. Read this way they are ordinary characters."""
    if text.isascii() or not _OTHER_BREAKS.search(text):
        return text, {}
    present = set(text)
    free = (c for c in map(chr, chain(range(0xE000, 0xF900), range(0xF0000, 0xFFFFE)))
            if c not in present)
    stand_ins = {char: next(free, None) for char in OTHER_BREAKS if char in present}
    if None in stand_ins.values():  # a text that holds every private-use character
        return text, {}
    back = {ord(stand_in): char for char, stand_in in stand_ins.items() if stand_in}
    return text.translate({ord(char): s for char, s in stand_ins.items()}), back


def _put_back(root: yaml.Node, back: dict[int, str]) -> None:
    """The characters `_without_other_breaks` replaced, put back in every key and value."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            node.value = node.value.translate(back)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _syntax_hint(exc: yaml.MarkedYAMLError, text: str) -> str | None:
    problem = exc.problem or ""
    mark = exc.problem_mark
    lines = LINE_BREAK.split(text)
    at = lines[mark.line] if mark and mark.line < len(lines) else ""
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, e.g. title: \"Iran: the reply\""
    if "found character '\\t'" in problem or "\t" in at[:len(at) - len(at.lstrip())]:
        return "indent with spaces, not tabs"
    if "found unexpected end of stream" in problem or "did not find expected key" in problem:
        return ("a quoted value may be missing its closing quote; inside '...' write an "
                "apostrophe twice ('') or use \"...\"")
    if "expected a single document" in (exc.context or "") + problem:
        return "a file holds one YAML document: remove the extra '---'"
    return None


def _reject_aliases(root: yaml.Node, path: str, diags: Diagnostics) -> bool:
    """Aliases (`*name`) are refused: they hide values and can expand exponentially."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            diags.error(node_span(path, node),
                        "this value is reused through a YAML alias (*name); "
                        "anchors and aliases are not allowed in site-builder's YAML files",
                        "write the value out in full where it is needed")
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


class Fields:
    """One YAML mapping read as a record of known fields."""

    def __init__(self, node: yaml.Node, path: str, diags: Diagnostics, what: str,
                 allowed: Sequence[str]) -> None:
        self.node = node
        self.path = path
        self.diags = diags
        self.what = what
        self.values: dict[str, yaml.Node] = {}
        self.keys: dict[str, yaml.Node] = {}
        self.meant: dict[str, str] = {}  # unknown field -> the field it stands for, if known
        self._read_keys(allowed)

    @classmethod
    def of(cls, node: yaml.Node, path: str, diags: Diagnostics, what: str,
           allowed: Sequence[str]) -> Fields | None:
        """Fields of `node`, or None with an error when it is not a mapping."""
        if not isinstance(node, yaml.MappingNode):
            diags.error(node_span(path, node), f"{what} must be a mapping of fields, "
                        f"not {kind_of(node)}", "fields are written 'name: value', one per line")
            return None
        return cls(node, path, diags, what, allowed)

    def _read_keys(self, allowed: Sequence[str]) -> None:
        for key_node, value_node in self.node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.diags.error(self.at(key_node), f"a key of {self.what} must be plain text")
                continue
            key = key_node.value
            if key in self.keys:
                first = self.keys[key].start_mark.line + 1
                self.diags.error(self.at(key_node), f"duplicate key '{key}' in {self.what} "
                                 f"(first given on line {first})", "keep only one of them")
                continue
            self.keys[key] = key_node
            if key not in allowed:
                text = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
                hint, meant = field_hint(self.what, key, allowed, text)
                if meant is not None:
                    self.meant[key] = meant
                self.diags.error(self.at(key_node), f"unknown field '{key}' in {self.what}", hint)
                continue
            if not is_null(value_node):
                self.values[key] = value_node

    def at(self, node: yaml.Node) -> Span:
        return node_span(self.path, node)

    def span(self, key: str | None = None) -> Span:
        """Where `key`'s value is, else the key, else the mapping itself."""
        if key in self.values:
            return self.at(self.values[key])
        if key in self.keys:
            return self.at(self.keys[key])
        return self.at(self.node)

    def has(self, key: str) -> bool:
        return key in self.values

    def _missing(self, key: str, hint: str | None = None) -> None:
        if key in self.meant.values():
            return  # written under another name: the unknown field's error says so
        self.diags.error(self.span(key), f"{self.what} is missing the required field '{key}'",
                         hint)

    def _scalar(self, node: yaml.Node, key: str) -> str | None:
        if isinstance(node, yaml.ScalarNode):
            return str(node.value)
        self.diags.error(self.at(node), f"'{key}' in {self.what} must be text, not {kind_of(node)}")
        return None

    def _given(self, key: str, required: bool, hint: str | None) -> yaml.Node | None:
        """The value's node; None (an error if it is required) when the field is absent."""
        node = self.values.get(key)
        if node is None and required:
            self._missing(key, hint)
        return node

    def text(self, key: str, required: bool = False, hint: str | None = None) -> str | None:
        node = self._given(key, required, hint)
        if node is None:
            return None
        value = self._scalar(node, key)
        if value is not None and not value.strip():
            if required:
                self.diags.error(self.at(node), f"'{key}' in {self.what} is empty", hint)
            return None
        return value.strip() if value is not None else None

    def ident(self, key: str, required: bool = False, hint: str | None = None) -> Ref | None:
        node = self._given(key, required, hint)
        if node is None:
            return None
        value = self._scalar(node, key)
        return self._check_id(value, node, key) if value is not None else None

    def _check_id(self, value: str, node: yaml.Node, key: str) -> Ref | None:
        if ID_PATTERN.match(value):
            return Ref(value, self.at(node))
        suggestion = slugify(value)
        hint = f"try '{suggestion}'; {ID_HINT}" if suggestion else ID_HINT
        self.diags.error(self.at(node), f"'{value}' is not a valid id for '{key}' in {self.what}",
                         hint)
        return None

    def _items(self, key: str) -> list[yaml.Node]:
        node = self.values.get(key)
        if node is None:
            return []
        return node.value if isinstance(node, yaml.SequenceNode) else [node]

    def idents(self, key: str, required: bool = False, hint: str | None = None) -> tuple[Ref, ...]:
        """One id or a list of ids."""
        if required and key not in self.values:
            self._missing(key, hint)
        elif required and not self._items(key):
            self.diags.error(self.span(key), f"'{key}' in {self.what} is an empty list", hint)
        refs = []
        for node in self._items(key):
            value = self._scalar(node, key)
            ref = self._check_id(value, node, key) if value is not None else None
            if ref is not None:
                refs.append(ref)
        return tuple(refs)

    def texts(self, key: str) -> tuple[str, ...]:
        """One text or a list of texts."""
        values = (self._scalar(node, key) for node in self._items(key))
        return tuple(v.strip() for v in values if v is not None and v.strip())

    def date(self, key: str, required: bool = False) -> dt.date | None:
        node = self.values.get(key)
        if node is None:
            if required:
                self._missing(key, ISO_HINT)
            return None
        value = self._scalar(node, key)
        return parse_date(value, self.at(node), key, self.diags) if value is not None else None

    def choice(self, key: str, choices: Iterable[str], required: bool = False,
               default: str | None = None,
               meanings: Mapping[str, str] | None = None) -> str | None:
        """One of `choices`; a wrong value gets the choices it may mean (see `suggest`), and
        the list of them, with their `meanings` when none is close."""
        allowed = list(choices)
        value = self.text(key, required, one_of(allowed))
        if value is None:
            return default
        if value not in allowed:
            self.diags.error(self.span(key), f"'{value}' is not a valid '{key}' for {self.what}",
                             value_hint(key, value, allowed, meanings))
            return None
        return value

    def sequence(self, key: str, item: str) -> list[yaml.Node]:
        """The items of a list field; an error when it is something else."""
        node = self.values.get(key)
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.diags.error(self.at(node), f"'{key}' in {self.what} must be a list, "
                             f"not {kind_of(node)}",
                             f"write each {item} on its own line starting with '- '")
            return []
        return node.value

    def mapping(self, key: str, what: str, allowed: Sequence[str]) -> Fields | None:
        node = self.values.get(key)
        if node is None:
            return None
        return Fields.of(node, self.path, self.diags, what, allowed)


def parse_date(value: str, span: Span, key: str, diags: Diagnostics) -> dt.date | None:
    date, wrong = parse_iso(value)
    if date is not None:
        return date
    if wrong is not None:
        diags.error(span, f"'{value}' is not a real date for '{key}': {wrong}", ISO_HINT)
    else:
        diags.error(span, f"'{value}' is not a date for '{key}'", date_hint(value))
    return None


def slugify(text: str) -> str:
    """A valid id made from free text ('Peter Stano' -> 'peter-stano'), or ''."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
