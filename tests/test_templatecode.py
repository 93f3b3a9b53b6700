"""Compiled templates in the build cache: a new `build` process compiles none of them again,
yet an edited template, a damaged file or another builder's code is never used."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import jinja2
import pytest
from markdown_it import MarkdownIt
from servetools import tree
from sitetools import read_page
from test_cache import many_briefs

from site_builder.base.diagnostics import Diagnostics
from site_builder.build import templatecode
from site_builder.build.builder import Builder
from site_builder.build.cachefolder import cache_dir
from site_builder.theme.render import BUILTIN_THEME, make_environment


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
    assert len(files) == len(set(compiled))
    # every template but that of the tags' index, which shows no title, renders again
    again = sorted(set(compiled) - {"tags.html"})
    for path in files:
        path.write_bytes(path.read_bytes()[:40])  # cut short, as by a full disk
    compiled.clear()
    edit_title(site)
    build(site, out)
    assert sorted(compiled) == again
    build(site, tmp_path / "cold", use_cache=False)
    assert tree(out) == tree(tmp_path / "cold")

    monkeypatch.setattr(templatecode, "stamp", lambda options: "another builder's code")
    compiled.clear()
    edit_title(site, "Brief 3")
    build(site, out)
    assert sorted(compiled) == again


def test_no_cache_means_no_compiled_templates_kept(tmp_path: Path) -> None:
    site = many_briefs(tmp_path / "site")
    build(site, tmp_path / "out", use_cache=False)
    assert not (site / ".cache").exists()


def forge_compiled(site: Path, name: str, code: str) -> Path:
    """Write, where the cache keeps `name` compiled, a file that Jinja would load as its code
    (as anyone who can commit a `.cache/` folder could): `code` runs when the template is
    loaded from it."""
    cache = templatecode.TemplateCode(site, b"\0" * templatecode.KEY_BYTES,
                                        cache_dir(site) / "templates")
    env = make_environment(site, MarkdownIt(), cache)
    source, filename, _ = env.loader.get_source(env, name)
    bucket = cache.get_bucket(env, name, filename, source)
    bucket.code = compile(code, "<forged>", "exec")
    path = Path(cache._get_cache_filename(bucket))
    path.write_bytes(bucket.bytecode_to_string())
    return path


def test_safety_04_compiled_templates_from_a_committed_cache_never_run(
        tmp_path: Path, compiled: list[str]) -> None:
    site, out = many_briefs(tmp_path / "site"), tmp_path / "out"
    build(site, out)
    marker = tmp_path / "pwned"
    forged = forge_compiled(site, "base.html", f"open({str(marker)!r}, 'w').close()")
    compiled.clear()
    edit_title(site)
    build(site, out)
    assert not marker.exists()
    assert "base.html" in compiled  # compiled again from its source
    assert read_page(out, "briefs/brief-03/index.html").find("h1").text == "Brief three"
    # Signed with another key (another computer's, or a guessed one): not loaded either.
    forged.write_bytes(hmac.new(b"guess", forged.read_bytes(), hashlib.sha256).digest()
                       + forged.read_bytes())
    compiled.clear()
    edit_title(site, "Brief 3")
    build(site, out)
    assert not marker.exists()
    assert "base.html" in compiled


def test_the_key_lives_in_the_user_cache_folder_not_the_site(
        tmp_path: Path, user_cache_folder: Path) -> None:
    site = many_briefs(tmp_path / "site")
    build(site, tmp_path / "out")
    key = user_cache_folder / "site-builder" / "template-key"
    assert templatecode.key_file() == key
    assert len(key.read_bytes()) == templatecode.KEY_BYTES
    assert key.stat().st_mode & 0o077 == 0  # this user's only
    assert not [p for p in site.rglob("*") if "key" in p.name]


def test_without_a_key_templates_are_compiled_every_time(
        tmp_path: Path, compiled: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templatecode, "key_file", lambda: None)
    site, out = many_briefs(tmp_path / "site"), tmp_path / "out"
    build(site, out)
    assert not (cache_dir(site) / "templates").exists()
    compiled.clear()
    edit_title(site)
    build(site, out)
    assert "brief.html" in compiled


def test_safety_04_a_key_inside_the_site_is_never_used(
        tmp_path: Path, compiled: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """`XDG_CACHE_HOME` set inside the site (as CI setups that cache `.cache/` do) would put
    the key beside the code it signs, where a stranger could commit both: templates are then
    compiled by every build, and nothing is kept or loaded compiled."""
    site, out = many_briefs(tmp_path / "site"), tmp_path / "out"
    monkeypatch.setenv("XDG_CACHE_HOME", str(site / ".cache"))
    build(site, out)
    assert not (cache_dir(site) / "templates").exists()
    assert not (site / ".cache" / "site-builder" / "template-key").exists()
    compiled.clear()
    edit_title(site)
    build(site, out)
    assert "brief.html" in compiled
