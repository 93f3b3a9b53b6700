"""The build cache in .cache/: what `site-builder build` keeps between runs, in its store."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ARTICLE, REGISTRY, Files, actor_entry
from servetools import tree
from sitetools import actor, brief, build, claim, rendered_files, response, write_site

from site_builder.base.diagnostics import Diagnostics
from site_builder.build import store, storewrite
from site_builder.build.builder import Builder
from site_builder.build.cachefolder import cache_dir
from site_builder.source import load as load_module

SLUGS = [f"brief-{n:02d}" for n in range(12)]


def many_briefs(root: Path) -> Path:
    site = write_site(root, {slug: (f"Iran said {slug} was fine.\n", brief(
        f"Brief {slug}", f"2024-01-{n + 2:02d}",
        claims=[claim(f"{slug}-c", "iran", "It was fine.", f"{slug} was fine")],
        responses=[response(f"{SLUGS[n - 1]}-c", "eu", "denies")] if n else []))
        for n, slug in enumerate(SLUGS)},
        actors=[actor("iran", "Iran"), actor("eu", "European Union", "organization")])
    for path in (site / "briefs").iterdir():
        info = path.stat()  # saved an hour ago: no file is read again for being recent
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - 3600 * 1_000_000_000))
    return site


def stored(root: Path) -> str:
    """What the cache's store holds, as SQL."""
    with contextlib.closing(sqlite3.connect(cache_dir(root) / store.STORE_FILE)) as conn:
        return "\n".join(conn.iterdump())


def state_names(root: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(cache_dir(root) / store.STORE_FILE)) as conn:
        return {name for (name,) in conn.execute("SELECT name FROM meta")}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = many_briefs(tmp_path / "site")
    build(root)
    return root


def test_a_new_process_reads_only_the_files_that_changed(site: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    real = load_module.read_text
    monkeypatch.setattr(load_module, "read_text", lambda root, rel, diags, optional=False:
                        reads.append(rel) or real(root, rel, diags, optional))
    (site / "briefs" / "brief-05.md").write_text("Iran said brief-05 was fine, twice.\n",
                                                 encoding="utf-8")
    built = build(site)  # a new Builder: what it knows comes from the cache
    assert [r for r in reads if r.startswith("briefs/brief-")] == ["briefs/brief-05.md"]
    assert "twice" in (built.out / "briefs" / "brief-05" / "index.html").read_text()


@pytest.mark.parametrize("damage", ["delete", "truncate"])
def test_a_damaged_brief_row_means_a_cold_build_with_the_same_output(site: Path, tmp_path: Path,
                                                                      damage: str) -> None:
    with contextlib.closing(sqlite3.connect(cache_dir(site) / store.STORE_FILE)) as conn:
        if damage == "delete":
            conn.execute("DELETE FROM briefs WHERE slug = 'brief-07'")
        else:
            conn.execute("UPDATE briefs SET kept = substr(kept, 1, 100)")
        conn.commit()
    yaml_file = site / "briefs" / "brief-07.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace(
        "title: Brief brief-07", "title: Brief seven"), encoding="utf-8")
    out = build(site).out
    cold = build(site, tmp_path / "cold", cache=False).out
    assert tree(out) == tree(cold)
    assert "Brief seven" in (out / "briefs" / "brief-07" / "index.html").read_text()


def test_briefs_left_staged_by_an_interrupted_cold_build_are_removed(site: Path) -> None:
    with contextlib.closing(sqlite3.connect(cache_dir(site) / store.STORE_FILE)) as conn:
        conn.execute(store.TABLES["briefs"].format(name=store.STAGING))
        conn.commit()
    (site / "briefs" / "brief-01.md").write_text("Iran said brief-01 was fine.\nMore.\n",
                                                 encoding="utf-8")
    build(site)
    assert store.STAGING not in stored(site)


def edit_titles(root: Path, slugs: list[str]) -> None:
    for slug in slugs:
        yaml_file = root / "briefs" / f"{slug}.yaml"
        yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace(
            f"title: Brief {slug}", f"title: Brief {slug} edited"), encoding="utf-8")


def test_a_build_that_fails_keeps_the_last_cache(site: Path, tmp_path: Path) -> None:
    before = stored(site)
    edit_titles(site, SLUGS)
    (site / "templates").mkdir()
    (site / "templates" / "claim.html").write_text(
        "{% extends 'base.html' %}{% block main %}{{ thread.nothing.here }}{% endblock %}",
        encoding="utf-8")
    failed = build(site, ok=False)
    assert failed.outcome.report is None
    assert stored(site) == before
    (site / "templates" / "claim.html").unlink()
    out = build(site).out
    assert tree(out) == tree(build(site, tmp_path / "cold", cache=False).out)


def test_a_store_that_cannot_be_written_keeps_no_state_and_the_next_build_is_whole(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(storewrite, "_write", failing)
    edit_titles(site, SLUGS)
    first = build(site)
    assert "Brief brief-04 edited" in (first.out / "briefs" / "brief-04" / "index.html").read_text()
    assert not {"state", "summary"} & state_names(site)
    monkeypatch.undo()
    again = build(site)  # nothing known from the cache: every page rendered again
    assert again.outcome.rendered == len(rendered_files(again.out))
    assert tree(again.out) == tree(build(site, tmp_path / "cold", cache=False).out)


UNNAMED = "briefs/_actors.yaml:8:5: warning: no brief mentions the actor 'china'"
MARIA = "briefs/_actors.yaml:11:5: warning: no brief mentions the actor 'maria-lindqvist'"


def test_who_no_article_names_is_warned_about_in_warm_builds_too(
        make_site: Callable[[Files], Path], valid_files: Files) -> None:
    """The warning reads the articles as the actors' pages do (`**Maria** Lindqvist` names
    her), also from articles processed by an earlier build: kept in the cache, or by `serve`'s
    builder."""
    registry = (REGISTRY + actor_entry("china", "China")
                + actor_entry("maria-lindqvist", "Maria Lindqvist", "person"))
    named = ARTICLE + "\n**Maria** Lindqvist declined to comment.\n"
    root = make_site({**valid_files, "briefs/_actors.yaml": registry, "briefs/missiles.md": named,
                      "briefs/second.md": "Nothing new.\n",
                      "briefs/second.yaml": "title: Second\ndate: 2024-09-10\n"
                                            "source: {outlet: AFP}\n"})
    assert warnings(build(root).diags) == [UNNAMED]  # cold: the cache is saved
    second = root / "briefs" / "second.yaml"
    second.write_text(second.read_text(encoding="utf-8").replace("Second", "Later"),
                      encoding="utf-8")
    # Every file saved an hour ago: the build after the next can answer "nothing changed".
    for path in (root / "briefs").iterdir():
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - 3600 * 1_000_000_000))
    processed: list[int] = []
    builder = Builder(root, root / "output", use_cache=True,  # as a new process would
                      progress=lambda stage, done, total: processed.append(total)
                      if stage == "articles" else None)
    diags = Diagnostics()
    assert builder.build(diags).report is not None
    assert set(processed) == {1}  # the other article is the cache's
    assert warnings(diags) == [UNNAMED]
    assert warnings(build(root).diags) == [UNNAMED]  # nothing changed: the last build's said
    article = root / "briefs" / "missiles.md"
    for text, expected in ((named.replace("**Maria** ", ""), [UNNAMED, MARIA]),
                           (named, [UNNAMED])):
        article.write_text(text, encoding="utf-8")
        diags = Diagnostics()  # `serve`'s rebuild after the article's save
        assert builder.build(diags, {"briefs/missiles.md"}, save_cache=False).report is not None
        assert warnings(diags) == expected


def warnings(diags: Diagnostics) -> list[str]:
    return [str(d) for d in diags.sorted() if d.severity == "warning"]
