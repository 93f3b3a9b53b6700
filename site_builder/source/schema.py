"""JSON Schemas for editors: what a brief's YAML and the actor registry may hold, so that an
editor with a YAML language server (VS Code's YAML extension, and others) completes fields,
stances and statuses, and the ids of the site's actors.

The package ships `schemas/brief.schema.json` and `schemas/actors.schema.json` (draft-07),
which name the values a site chooses through `site.schema.json`: its actor ids, claim ids and
stances (the package's own copy allows any id and the built-in stances). `write_schemas`
keeps the site's `.schema/` folder up to date (`init` and `check` make it; `build` and `serve`
keep it up to date once it is there): the two schemas as shipped, its
`site.schema.json` made from the site as read, and a `.gitignore` that keeps the folder out
of git. Files are written only when their bytes change, never through a link, never out of
the site's folder, and a failure to write is silent: the schemas help, nothing needs them.
A brief's YAML names its schema on its first line (`MODELINE`), by a path relative to
`briefs/`, so that it works offline and the same on every computer.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .model import ACTOR_KINDS, KIND_MEANINGS, STATUS_MEANINGS, Site, Stance, Status
from .yamlsrc import ID_PATTERN

SCHEMAS = Path(__file__).parent / "schemas"
FOLDER = ".schema"
BRIEF_SCHEMA = "brief.schema.json"
REGISTRY_SCHEMA = "actors.schema.json"
SITE_SCHEMA = "site.schema.json"
MODELINE = f"# yaml-language-server: $schema=../{FOLDER}/{BRIEF_SCHEMA}"
REGISTRY_MODELINE = f"# yaml-language-server: $schema=../{FOLDER}/{REGISTRY_SCHEMA}"
GITIGNORE = ("# Written by site-builder (check, build, serve) for editors' completion: never "
             "committed.\n*\n")


def site_schema(site: Site | None, stances: Sequence[Stance]) -> dict[str, Any]:
    """The values the site chooses: its actor ids (any id without a `site`), its claim ids
    (suggested, not required: a new claim is answered before `check` runs), its stances."""
    ident = {"type": "string", "pattern": ID_PATTERN.pattern}
    actors = [_value(a.id, a.name if not a.role else f"{a.name}, {a.role}")
              for a in site.actors] if site else []
    claims = [_value(c.id, _short(c.text)) for c in site.claim_by_id.values()] if site else []
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "The values this site chooses (written by site-builder: do not edit)",
        "definitions": {
            "newId": {**ident, "description": "Lowercase letters, digits and single hyphens."},
            "actorId": {"anyOf": actors} if actors else ident,
            "claimId": {"anyOf": [*claims, ident]},
            "stance": {"anyOf": [_value(s.name, f"{s.meaning} ({s.polarity_word})")
                                 for s in stances]},
            "status": {"anyOf": [_value(s.value, STATUS_MEANINGS[s.value]) for s in Status]},
            "kind": {"anyOf": [_value(k, KIND_MEANINGS[k]) for k in ACTOR_KINDS]},
        },
    }


def _value(value: str, description: str) -> dict[str, str]:
    return {"const": value, "description": description}


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


class SchemaWriter:
    """`write_schemas` for a builder that lives on (`serve`): the schemas are made again only
    when what they name changed (on a site of 10,000 briefs, making them takes 70 ms)."""

    def __init__(self) -> None:
        self.last: tuple[Any, ...] | None = None

    def write(self, root: Path, site: Site, create: bool = True) -> None:
        there = (root / FOLDER / SITE_SCHEMA).is_file()
        if not there and not create and not (root / FOLDER).is_dir():
            return
        named = (tuple((a.id, a.name, a.role) for a in site.actors),
                 tuple((c.id, c.text) for c in site.claim_by_id.values()), site.config.stances)
        if named == self.last and there:
            return
        self.last = named
        write_schemas(root, site, create)


def write_schemas(root: Path, site: Site, create: bool = True) -> None:
    """Bring the site's `.schema/` folder up to date (see the module's docstring); without
    `create`, only when the folder exists (a build in CI makes none)."""
    folder = root / FOLDER
    try:
        if os.path.islink(folder) or (folder.exists() and not folder.is_dir()):
            return
        if not create and not folder.is_dir():
            return
        folder.mkdir(exist_ok=True)
        files = {".gitignore": GITIGNORE,
                 BRIEF_SCHEMA: (SCHEMAS / BRIEF_SCHEMA).read_text(encoding="utf-8"),
                 REGISTRY_SCHEMA: (SCHEMAS / REGISTRY_SCHEMA).read_text(encoding="utf-8"),
                 SITE_SCHEMA: schema_text(site_schema(site, site.config.stances))}
        for name, text in files.items():
            _write_if_changed(folder / name, text.encode("utf-8"))
    except OSError:
        return  # a folder one may not write in: the schemas are a help, not a need


def _write_if_changed(path: Path, data: bytes) -> None:
    if not os.path.islink(path) and path.is_file():
        with contextlib.suppress(OSError):
            if path.read_bytes() == data:
                return
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # as the umask allows
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)  # a link of that name is replaced, never written through
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
