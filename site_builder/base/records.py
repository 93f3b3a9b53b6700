"""Pickling frozen records quickly, for the build cache and for results between processes.

A frozen dataclass with slots is pickled, by default, through generic Python code that
walks its fields one by one, both ways. `RecordPickler` writes it as its class and field
values instead, and unpickling calls its constructor: about half the time both ways for a
site's parsed briefs and articles. Anything else is pickled as usual, and `pickle.loads`
reads the result.

A pickle names the functions and classes to call when it is read back, so reading one that
a stranger wrote (a file committed into `.cache/`) could run anything. `load` reads back only
the classes it is given (Python's "restricting globals"): records whose construction does
nothing but store their fields; any other name stops it with `ForeignData`.
"""

from __future__ import annotations

import dataclasses
import io
import operator
import pickle
from collections.abc import Callable, Collection
from typing import IO, Any


class RecordPickler(pickle.Pickler):
    def __init__(self, file: IO[bytes]) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.fields: dict[type, Callable[[Any], tuple[Any, ...]] | None] = {}

    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        try:
            values = self.fields[kind]
        except KeyError:
            values = self.fields[kind] = _field_values(kind)
        if values is None:
            return NotImplemented
        return kind, values(obj)


def _field_values(kind: type) -> Callable[[Any], tuple[Any, ...]] | None:
    """What gives the field values of a frozen dataclass, in its constructor's order, when
    the constructor takes them all; else None."""
    params = getattr(kind, "__dataclass_params__", None)
    if params is None or not params.frozen:
        return None
    fields = dataclasses.fields(kind)
    if not all(f.init for f in fields):
        return None
    names = [f.name for f in fields]
    if len(names) == 1:  # attrgetter of one name gives the value, not a tuple
        name = names[0]
        return lambda obj: (getattr(obj, name),)
    if not names:
        return lambda obj: ()
    getter: Callable[[Any], tuple[Any, ...]] = operator.attrgetter(*names)
    return getter


def dump(value: Any, file: IO[bytes]) -> None:
    RecordPickler(file).dump(value)


def dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    dump(value, buffer)
    return buffer.getvalue()


class ForeignData(pickle.UnpicklingError):
    """A pickle names something other than the records it may hold: not written by this code."""


class RecordUnpickler(pickle.Unpickler):
    """Reads back only the classes named in `allowed`, as (module, name): nothing else can be
    called, so nothing else runs."""

    def __init__(self, file: IO[bytes], allowed: Collection[tuple[str, str]]) -> None:
        super().__init__(file)
        self.allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.allowed:
            raise ForeignData(f"{module}.{name}")
        return super().find_class(module, name)


def load(file: IO[bytes], allowed: Collection[tuple[str, str]]) -> Any:
    """What `file` holds, if it names no class but those `allowed` (else `ForeignData`)."""
    return RecordUnpickler(file, allowed).load()
