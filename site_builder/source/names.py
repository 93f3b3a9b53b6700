"""Which names of actors are looked for in articles, and whose each name is.

A name is searched for only when it starts with a letter or digit and has no space at
either end; a name two actors share goes to the smaller id. Validation warns about the
others (`validate`), and the article stage finds these (`text.mentions`): one rule for both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .model import Actor

WORD = re.compile(r"\w+")


def findable(name: str) -> bool:
    """Whether articles are searched for `name`: it must start with a letter or digit."""
    return bool(WORD.match(name)) and name.strip() == name


def name_owners(actors: Iterable[Actor]) -> dict[str, str]:
    """The actor each name or alias links to. A name shared by two actors goes to the
    smaller id (`validate` warns about it)."""
    owner: dict[str, str] = {}
    for actor in actors:
        for name in actor.names:
            if findable(name):
                owner[name] = min(owner.get(name, actor.id), actor.id)
    return owner
