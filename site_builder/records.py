"""Pickling frozen records quickly, for the build cache and for results between processes.

A frozen dataclass with slots is pickled, by default, through generic Python code that
walks its fields one by one, both ways. `RecordPickler` writes it as its class and field
values instead, and unpickling calls its constructor: about half the time both ways for a
site's parsed briefs and articles. Anything else is pickled as usual, and `pickle.loads`
reads the result.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from typing import IO, Any


class RecordPickler(pickle.Pickler):
    def __init__(self, file: IO[bytes]) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.fields: dict[type, tuple[str, ...] | None] = {}

    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        names = self.fields.get(kind, ())
        if names == ():
            names = self.fields[kind] = _init_fields(kind)
        if names is None:
            return NotImplemented
        return kind, tuple([getattr(obj, name) for name in names])


def _init_fields(kind: type) -> tuple[str, ...] | None:
    """The fields of a frozen dataclass, when its constructor takes them all, else None."""
    params = getattr(kind, "__dataclass_params__", None)
    if params is None or not params.frozen:
        return None
    fields = dataclasses.fields(kind)
    return tuple(f.name for f in fields) if all(f.init for f in fields) else None


def dump(value: Any, file: IO[bytes]) -> None:
    RecordPickler(file).dump(value)


def dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    dump(value, buffer)
    return buffer.getvalue()
