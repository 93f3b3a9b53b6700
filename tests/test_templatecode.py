"""Compiled templates in the build cache: a new `build` process compiles none of them again,
yet an edited template, a damaged file or another builder's code is never used."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from servetools import tree
from sitetools import read_page
from test_cache import many_briefs

from site_builder import templatecode
from site_builder.cache import cache_dir
from site_builder.diagnostics import Diagnostics
from site_builder.incremental import Builder
from site_builder.render import BUILTIN_THEME


def build(root: Path, out: Path, use_cache: bool = True) -> None:
    diags = Diagnostics()
    outcome = Builder(root, out, jobs=1, use_cache=use_cache).build(diags)
    assert outcome.report is not None, [str(d) for d in diags.errors]


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja compiles from their source, in this process."""
    names: list[str] = []
    original = jinja2.Environment.compile

    def compile_(self: jinja2.Environment, source: str, name: str | None = None,
                 *args: object, **kwargs: object) -> object:
        names.append(str(name))
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_)
    return names


def edit_title(site: Path, title: str = "Brief three") -> None:
    path = site / "briefs" / "brief-03.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("title: ")
    path.write_text(text[:start] + f"title: {title}" + text[text.index("\n", start):],
                    encoding="utf-8")


def test_the_next_build_compiles_no_template(tmp_path: Path, compiled: list[str]) -> None:
    site, out = many_briefs(tmp_path / "site"), tmp_path / "out"
    build(site, out)
    assert "brief.html" in compiled
    assert sorted(p.name for p in (cache_dir(site) / "templates").iterdir())
    compiled.clear()
    edit_title(site)
    build(site, out)  # a new builder, as a new `build` process would make
    assert compiled == []
    assert read_page(out, "briefs/brief-03/index.html").find("h1").text == "Brief three"


def test_an_edited_template_is_compiled_again(tmp_path: Path, compiled: list[str]) -> None:
    site, out = many_briefs(tmp_path / "site"), tmp_path / "out"
    build(site, out)
    (site / "templates").mkdir()
    theme = (BUILTIN_THEME / "brief.html").read_text(encoding="utf-8")
    (site / "templates" / "brief.html").write_text(
        theme.replace("{% block main %}", "{% block main %}<p id='edited'>Edited</p>", 1),
        encoding="utf-8")
    compiled.clear()
    build(site, out)
    assert compiled == ["brief.html"]
    assert read_page(out, "briefs/brief-03/index.html").find("p", id="edited") is not None


def test_damaged_or_foreign_code_is_compiled_again(tmp_path: Path, compiled: list[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    site, out = many_briefs(tmp_path / "site"), tmp_path / "out"
    build(site, out)
    files = sorted((cache_dir(site) / "templates").iterdir())
    for path in files:
        path.write_bytes(path.read_bytes()[:40])  # cut short, as by a full disk
    compiled.clear()
    edit_title(site)
    build(site, out)
    assert len(compiled) == len(files)
    build(site, tmp_path / "cold", use_cache=False)
    assert tree(out) == tree(tmp_path / "cold")

    monkeypatch.setattr(templatecode, "stamp", lambda options: "another builder's code")
    compiled.clear()
    edit_title(site, "Brief 3")
    build(site, out)
    assert len(compiled) == len(files)


def test_no_cache_means_no_compiled_templates_kept(tmp_path: Path) -> None:
    site = many_briefs(tmp_path / "site")
    build(site, tmp_path / "out", use_cache=False)
    assert not (site / ".cache").exists()
