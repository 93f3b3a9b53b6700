"""Shared helpers: write a small site into a temporary folder and check it.

`check_files({relative_path: text_or_bytes})` writes the files under `tmp_path`
and runs the checking pipeline (`checked_site`), returning a `Report` whose
`lines` are the diagnostics as `str(Diagnostic)` (`path:line:col: severity:
message`) in file order, so tests compare exact strings. `make_site(files)` only
writes them; `valid_files` is a small site with no diagnostic to start from.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from sitetools import checked_site

from site_builder.base.diagnostics import Diagnostic, Diagnostics
from site_builder.text.articles import CheckedSite

Files = Mapping[str, str | bytes]

REGISTRY = """\
actors:
  - id: iran
    name: Iran
    kind: state
  - id: eu
    name: European Union
    kind: organization
"""

ARTICLE = """\
The EU said it had intelligence that Iran had supplied Russia with ballistic missiles.

Iran's foreign ministry said: "We strongly reject the claims."
"""

BRIEF = """\
title: EU says Iran sent missiles to Russia
date: 2024-09-09
source:
  outlet: Agence France-Presse
claims:
  - id: iran-sent-missiles
    by: eu
    text: Iran has delivered ballistic missiles to Russia.
    quote: intelligence that Iran had supplied Russia
    status: unverified
responses:
  - claim: iran-sent-missiles
    by: iran
    stance: denies
    quote: We strongly reject the claims
"""


@pytest.fixture(autouse=True, scope="session")
def user_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The user's cache folder, where builds keep the key that signs compiled templates: the
    tests' own, never the real one (subprocesses inherit it)."""
    folder = tmp_path_factory.mktemp("user-cache")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    return folder


@pytest.fixture
def new_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A site as `site-builder init` makes it (what it printed is read and dropped)."""
    from site_builder.cli.commands import main

    site = tmp_path / "site"
    assert main(["init", str(site)]) == 0
    capsys.readouterr()
    return site


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def actor_entry(ident: str, name: str, kind: str = "state", **extra: str) -> str:
    """One actor of a registry's `actors:` list, indented to follow `REGISTRY`."""
    out = f"  - id: {ident}\n    name: {name}\n    kind: {kind}\n"
    return out + "".join(f"    {key}: {value}\n" for key, value in extra.items())


def billion_laughs() -> str:
    """9 levels of 10 aliases each: 10**9 'lol's if anything expanded it."""
    out = ["title: lol", "date: 2024-09-09", "source: {outlet: lol}",
           "a: &a [" + ", ".join(['"lol"'] * 10) + "]"]
    previous = "a"
    for name in "bcdefghi":
        out.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
        previous = name
    return "\n".join(out) + "\n"


@dataclass
class Report:
    """The outcome of checking a site: diagnostics as strings, and the objects."""

    root: Path
    diagnostics: list[Diagnostic]
    checked: CheckedSite

    @property
    def lines(self) -> list[str]:
        return [str(d) for d in self.diagnostics]

    @property
    def errors(self) -> list[str]:
        return [str(d) for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[str]:
        return [str(d) for d in self.diagnostics if d.severity == "warning"]

    def hint(self, line: str) -> str | None:
        """The hint of the diagnostic whose `str()` is `line`."""
        matches = [d for d in self.diagnostics if str(d) == line]
        assert matches, f"no diagnostic {line!r} in {self.lines}"
        return matches[0].hint


def write_files(root: Path, files: Files) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[[Files], Path]:
    """Write `{relative_path: text or bytes}` under a fresh site folder; return the folder."""
    def write(files: Files) -> Path:
        root = tmp_path / "site"
        root.mkdir(exist_ok=True)
        return write_files(root, files)

    return write


@pytest.fixture
def check_files(make_site: Callable[[Files], Path]) -> Callable[[Files], Report]:
    """Write a site and check it; the `Report` lists every diagnostic in file order."""
    def check(files: Files) -> Report:
        root = make_site(files)
        diags = Diagnostics()
        checked = checked_site(root, diags)
        return Report(root, diags.sorted(), checked)

    return check


@pytest.fixture
def valid_files() -> dict[str, str | bytes]:
    """A small site that checks with no diagnostic at all; tests change one file of it."""
    return {
        "briefs/_actors.yaml": REGISTRY,
        "briefs/missiles.md": ARTICLE,
        "briefs/missiles.yaml": BRIEF,
    }


# --- `site-builder serve`: the example site, live (see servetools.py) ---------------------------


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """A copy of the repository's example site (briefs/ and site.yaml) in a temporary folder."""
    from servetools import copy_example_site

    return copy_example_site(tmp_path / "site")


@pytest.fixture
def live_site(example_site: Path, tmp_path: Path):
    """Start `serve` in-process on a site (default: `example_site`); stopped after the test.

    `live_site()` or `live_site(root, base_url=..., out_dir=...)` returns a running
    `servetools.LiveSite`.
    """
    from servetools import start_live_site

    started = []
    quiet_theme = tmp_path / "quiet-theme"
    quiet_theme.mkdir(exist_ok=True)

    def start(root: Path | None = None, **options: object):
        live = start_live_site(root or example_site, quiet_theme, **options)  # type: ignore[arg-type]
        started.append(live)
        return live

    yield start
    for live in reversed(started):
        live.stop()
