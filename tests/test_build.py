"""The whole build, end to end: the example site, the command line, and the output folder.

The example site is the repository itself (site.yaml, briefs/); it is built into a
temporary folder, never into the repository's output/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from sitetools import (
    ROOT,
    SEED_SLUG,
    actor,
    brief,
    broken_links,
    build,
    claim,
    duplicate_ids,
    html_pages,
    output_files,
    response,
    snapshot,
    write_site,
)

from site_builder.cli.commands import main
from site_builder.site import urls
from site_builder.site.hostfiles import OUTPUT_MARK

REPO = Path(__file__).resolve().parents[1]

# --- the example site -------------------------------------------------------------------------


def example_ids() -> tuple[list[str], list[str], list[str]]:
    """Brief slugs, actor ids and claim ids of the example site, read straight from its files."""
    briefs_dir = ROOT / "briefs"
    slugs = sorted(p.stem for p in briefs_dir.glob("*.yaml") if not p.name.startswith("_"))
    registry = yaml.safe_load((briefs_dir / "_actors.yaml").read_text(encoding="utf-8"))
    actors = [a["id"] for a in registry["actors"]]
    claims = []
    for slug in slugs:
        data = yaml.safe_load((briefs_dir / f"{slug}.yaml").read_text(encoding="utf-8"))
        actors += [a["id"] for a in data.get("actors") or []]
        claims += [c["id"] for c in data.get("claims") or []]
    return slugs, actors, claims


def example_tags() -> set[str]:
    """The tags of the example site's briefs."""
    return {tag for p in (ROOT / "briefs").glob("[!_]*.yaml")
            for tag in yaml.safe_load(p.read_text(encoding="utf-8")).get("tags") or []}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built once for this module; the output folder."""
    out = tmp_path_factory.mktemp("example") / "out"
    build(ROOT, out, cache=False)
    return out


def test_example_site_writes_every_page_of_the_format(example: Path) -> None:
    slugs, actors, claims = example_ids()
    assert SEED_SLUG in slugs
    expected = {"index.html", "actors/index.html", "claims/index.html", "404.html",
                "style.css", ".nojekyll"}
    expected |= {f"briefs/{s}/index.html" for s in slugs}
    expected |= {f"actors/{a}/index.html" for a in actors}
    expected |= {f"claims/{c}/index.html" for c in claims}
    expected |= {"tags/index.html", *(urls.tag(t) for t in example_tags())}
    files = output_files(example)
    assert expected <= files, f"missing: {sorted(expected - files)}"
    # Besides the format's table (with the tags' pages), the only pages are the list of all
    # briefs (and the pages of long lists) and the embeds of timelines; no source file is copied.
    extra = {f for f in files - expected if f.endswith(".html")
             and f != "briefs/index.html" and "/page/" not in f and "/embed/" not in f}
    assert extra == set()
    assert not any(f.endswith((".md", ".yaml")) for f in files)


def test_example_site_links_all_resolve(example: Path) -> None:
    assert broken_links(example) == []


def page_links(out: Path) -> list[str]:
    """Every relative link between pages (not to an asset, a fragment or another site)."""
    return [link for doc in html_pages(out).values() for e in doc.iter()
            if (link := (e.get("href") or "").partition("#")[0])
            and "://" not in link and not link.startswith("/") and not link.endswith(".css")]


DATA_FILES = (".xml", ".jsonld", ".csv", ".json")  # feeds and data: files, in either style


def test_links_point_at_folders(example: Path) -> None:
    links = page_links(example)
    assert len(links) > 500
    pages = [link for link in links if not link.endswith(DATA_FILES)]
    assert [link for link in pages if not link.endswith("/")] == []


def test_links_files_name_each_pages_index_html(tmp_path: Path) -> None:
    """`links: files` is for browsing the output from disk, where a folder is not its
    index.html; the links the articles' stage writes (first mentions) follow it too."""
    root = tmp_path / "site"
    shutil.copytree(ROOT / "briefs", root / "briefs")
    (root / "site.yaml").write_text((ROOT / "site.yaml").read_text(encoding="utf-8")
                                    + "links: files\n", encoding="utf-8")
    out = build(root, cache=False).out
    links = page_links(out)
    assert len(links) > 500
    pages = [link for link in links if not link.endswith(DATA_FILES)]
    assert [link for link in pages if not link.endswith("index.html")] == []
    page = html_pages(out)[f"briefs/{SEED_SLUG}/index.html"]
    assert page.by_id("mention-iran").get("href") == "../../actors/iran/index.html"
    assert broken_links(out) == []


def test_example_pages_are_well_formed(example: Path) -> None:
    for rel, doc in html_pages(example).items():
        assert doc.errors == [], rel
        assert duplicate_ids(doc) == [], rel
        assert doc.find("title") is not None and doc.find("title").text.strip(), rel


def test_example_links_are_relative_except_on_the_404_page(example: Path) -> None:
    for rel, doc in html_pages(example).items():
        absolute = [e.get("href") or e.get("src") for e in doc.iter()
                    if (e.get("href") or e.get("src") or "").startswith("/")]
        if rel == "404.html":
            assert absolute, "the 404 page is served at any depth: its links are absolute"
        else:
            assert absolute == [], rel


def test_example_brief_page_links_every_actor_and_claim(example: Path) -> None:
    _slugs, _actors, claims = example_ids()
    page = html_pages(example)[f"briefs/{SEED_SLUG}/index.html"]
    hrefs = {a.get("href") for a in page.find_all("a")}
    for claim_id in claims:
        assert f"../../claims/{claim_id}/" in hrefs


def test_style_css_and_nojekyll(example: Path) -> None:
    assert (example / ".nojekyll").read_bytes() == OUTPUT_MARK
    assert (example / "style.css").read_bytes() == (ROOT / "templates" / "style.css").read_bytes()


# --- the command line -------------------------------------------------------------------------


def small_site(root: Path, **more_briefs: tuple[str, dict]) -> Path:
    briefs = {
        "first": ("Iran said it. The European Union answered.\n",
                  brief("First", "2024-01-01",
                        claims=[claim("iran-said", "iran", "Iran said it.", "Iran said it")],
                        responses=[response("iran-said", "eu", "denies",
                                            "The European Union answered")])),
        **more_briefs,
    }
    return write_site(root, briefs, actors=[actor("iran", "Iran"),
                                            actor("eu", "European Union", "organization")])


def test_cli_build_exit_zero_and_writes_output(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    root = small_site(tmp_path / "site")
    assert main(["build", "--source", str(root)]) == 0
    assert (root / "output" / "briefs" / "first" / "index.html").is_file()
    assert "built 1 brief" in capsys.readouterr().err


def test_cli_build_with_errors_exits_1_and_keeps_previous_output(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = small_site(tmp_path / "site")
    assert main(["build", "--source", str(root)]) == 0
    before = snapshot(root / "output")
    # A quote that is not in the article, and an unknown actor: two errors.
    write_site(root, {"second": ("Nothing to see.\n", brief(
        "Second", "2024-02-01", responses=[response("iran-said", "nobody", "denies",
                                                    "words that are not there")]))})
    assert main(["build", "--source", str(root)]) == 1
    err = capsys.readouterr().err
    assert "briefs/second.yaml:" in err and "error" in err
    assert snapshot(root / "output") == before


def test_template_error_keeps_previous_output(tmp_path: Path) -> None:
    root = small_site(tmp_path / "site")
    built = build(root)
    before = snapshot(built.out)
    (root / "templates").mkdir()
    (root / "templates" / "claim.html").write_text("{% extends 'base.html' %}{% block main %}"
                                                   "{{ thread.no_such_thing }}{% endblock %}")
    failed = build(root, ok=False)
    assert failed.outcome.report is None
    assert any(e.startswith("templates/claim.html:") for e in failed.errors), failed.errors
    assert snapshot(built.out) == before


def test_deleted_brief_and_actor_disappear_on_rebuild(tmp_path: Path) -> None:
    root = small_site(tmp_path / "site", second=(
        "Tehran spoke. Russia too.\n",
        brief("Second", "2024-02-01", actors=[actor("russia", "Russia")],
              responses=[response("iran-said", "russia", "supports", "Russia too")])))
    out = build(root).out
    assert {"briefs/second/index.html", "actors/russia/index.html"} <= output_files(out)
    (root / "briefs" / "second.md").unlink()
    (root / "briefs" / "second.yaml").unlink()
    build(root)
    files = output_files(out)
    assert "briefs/second/index.html" not in files
    assert "actors/russia/index.html" not in files
    assert not (out / "briefs" / "second").exists()
    assert not (out / "actors" / "russia").exists()
    assert broken_links(out) == []


def test_second_build_without_change_rewrites_nothing(tmp_path: Path) -> None:
    root = small_site(tmp_path / "site")
    out = build(root).out
    before = snapshot(out)
    again = build(root)
    assert again.outcome.report.written == ()
    assert again.outcome.report.removed == ()
    assert snapshot(out) == before  # same bytes, same st_mtime_ns


def test_rebuild_after_a_change_keeps_untouched_files(tmp_path: Path) -> None:
    root = small_site(tmp_path / "site")
    out = build(root).out
    before = snapshot(out)
    (root / "site.yaml").write_text("title: Renamed\n", encoding="utf-8")
    build(root)
    after = snapshot(out)
    assert after[".nojekyll"] == before[".nojekyll"]
    assert after["style.css"] == before["style.css"]
    assert after["index.html"][0] != before["index.html"][0]


@pytest.mark.parametrize("where", ["root", "parent", "briefs", "file"])
def test_build_refuses_an_output_folder_that_holds_the_site_or_is_a_file(
        tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    root = small_site(tmp_path / "site")
    out = {"root": root, "parent": tmp_path, "briefs": root / "briefs" / "out",
           "file": tmp_path / "notes.txt"}[where]
    (tmp_path / "notes.txt").write_text("not an output folder", encoding="utf-8")
    before = snapshot(tmp_path)
    assert main(["build", "--source", str(root), "--output", str(out)]) == 1
    assert "error" in capsys.readouterr().err
    assert snapshot(tmp_path) == before


def test_output_elsewhere_leaves_the_site_alone(tmp_path: Path) -> None:
    root = small_site(tmp_path / "site")
    sources = snapshot(root)
    out = build(root, tmp_path / "public").out
    assert (out / "index.html").is_file()
    after = {rel: v for rel, v in snapshot(root).items() if not rel.startswith(".cache/")}
    assert after == sources  # only the build cache is added, in .cache/


def test_base_url_option(tmp_path: Path) -> None:
    root = small_site(tmp_path / "site")
    assert main(["build", "--source", str(root),
                 "--base-url", "https://example.github.io/briefs-demo/"]) == 0
    out = root / "output"
    pages = html_pages(out)
    not_found = pages["404.html"]
    stylesheet = not_found.find("link", rel="stylesheet")
    assert stylesheet is not None and stylesheet.get("href") == "/briefs-demo/style.css"
    assert broken_links(out, {"404.html": not_found}, base_path="/briefs-demo/") == []
    canonical = pages["briefs/first/index.html"].find("link", rel="canonical")
    assert canonical is not None
    assert canonical.get("href") == "https://example.github.io/briefs-demo/briefs/first/"
    for rel, doc in pages.items():
        if rel != "404.html":
            assert not [e for e in doc.iter() if (e.get("href") or "").startswith("/")], rel
    assert broken_links(out, {k: v for k, v in pages.items() if k != "404.html"}) == []


def test_404_without_base_url_uses_root_paths(tmp_path: Path) -> None:
    out = build(small_site(tmp_path / "site")).out
    not_found = html_pages(out)["404.html"]
    assert not_found.find("link", rel="stylesheet").get("href") == "/style.css"
    assert broken_links(out, {"404.html": not_found}, base_path="/") == []


def test_invalid_base_url_option_is_an_error(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    root = small_site(tmp_path / "site")
    with pytest.raises(SystemExit) as exited:  # a wrong command line: nothing is built
        main(["build", "--source", str(root), "--base-url", "example.org/briefs"])
    assert exited.value.code == 2
    assert "'example.org/briefs' is not an absolute web address" in capsys.readouterr().err
    assert not (root / "output").exists()


def test_build_copies_nothing_of_the_source(tmp_path: Path) -> None:
    root = small_site(tmp_path / "site")
    (root / "seeds").mkdir()
    (root / "seeds" / "raw.txt").write_text("raw", encoding="utf-8")
    out = build(root).out
    files = output_files(out)
    assert not any(f.endswith((".md", ".yaml")) or f.endswith("raw.txt") for f in files)


def test_example_site_copy_builds_with_default_output(tmp_path: Path) -> None:
    """`site-builder build` in a copy of the example site writes output/ beside it."""
    copy = tmp_path / "example"
    shutil.copytree(ROOT / "briefs", copy / "briefs")
    shutil.copy2(ROOT / "site.yaml", copy / "site.yaml")
    assert main(["build", "--source", str(copy)]) == 0
    assert (copy / "output" / "briefs" / SEED_SLUG / "index.html").is_file()
    assert broken_links(copy / "output") == []


# --- a build that reuses the cache writes what a cold build writes ----------------------------


def files_of(folder: Path) -> dict[str, bytes]:
    return {rel: data for rel, (data, _mtime) in snapshot(folder).items()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_cached_rebuilds_match_cold_builds(tmp_path: Path) -> None:
    root = small_site(tmp_path / "site", second=(
        "Tehran spoke. Russia too.\n",
        brief("Second", "2024-02-01", actors=[actor("russia", "Russia")],
              responses=[response("iran-said", "russia", "supports", "Russia too")])))
    briefs = root / "briefs"
    steps = [
        lambda: edit(briefs / "second.md", "Tehran spoke.", "Iran spoke loudly."),
        lambda: edit(briefs / "first.yaml", "title: First", "title: First, renamed"),
        lambda: write_site(root, {"third": ("The European Union said no.\n", brief(
            "Third", "2023-12-01", responses=[response("iran-said", "eu", "denies",
                                                       "said no")]))}),
        lambda: edit(briefs / "_actors.yaml", "name: Iran", "name: Iran\n  aliases: [Tehran]"),
        lambda: (briefs / "third.md").unlink() or (briefs / "third.yaml").unlink(),
        lambda: write_site(root, {}, site={"title": "Renamed site"}),
        lambda: write_site(root, {}, files={"templates/404.html": "{% extends 'base.html' %}"
                                            "{% block main %}<p>Gone</p>{% endblock %}"}),
    ]
    out = build(root).out
    for number, step in enumerate(steps, start=1):
        step()
        build(root)
        cold = build(root, tmp_path / f"cold-{number}", cache=False).out
        assert files_of(out) == files_of(cold), f"after step {number}"
        assert broken_links(out) == []


def test_fixing_an_error_after_a_failed_build(tmp_path: Path) -> None:
    root = small_site(tmp_path / "site")
    out = build(root).out
    good = files_of(out)
    yaml_file = root / "briefs" / "first.yaml"
    edit(yaml_file, "by: eu", "by: nobody")
    assert build(root, ok=False).outcome.report is None
    assert files_of(out) == good
    edit(yaml_file, "by: nobody", "by: eu")
    build(root)
    assert files_of(out) == good


@pytest.mark.parametrize("cache", [True, False])
def test_second_build_rewrites_nothing_with_or_without_cache(tmp_path: Path,
                                                             cache: bool) -> None:
    root = small_site(tmp_path / "site")
    out = build(root, cache=cache).out
    before = snapshot(out)
    assert build(root, cache=cache).outcome.report.written == ()
    assert snapshot(out) == before


def test_the_theme_files_that_are_not_templates_are_copied(tmp_path: Path) -> None:
    """Images and other files in the site's templates/ are published as they are (editors'
    leftovers are not), and leave the output when they leave templates/."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "briefs", site / "briefs")
    images = site / "templates" / "img"
    images.mkdir(parents=True)
    (images / "logo.png").write_bytes(b"\x89PNG logo")
    (images / "logo.png~").write_bytes(b"backup")
    out = tmp_path / "out"
    assert main(["build", "--source", str(site), "--output", str(out), "--quiet"]) == 0
    assert (out / "img" / "logo.png").read_bytes() == b"\x89PNG logo"
    assert not (out / "img" / "logo.png~").exists()
    assert (out / "style.css").read_bytes() == (REPO / "templates" / "style.css").read_bytes()
    (images / "logo.png").unlink()
    assert main(["build", "--source", str(site), "--output", str(out), "--quiet"]) == 0
    assert not (out / "img" / "logo.png").exists()


def test_a_site_template_can_extend_the_theme_file_it_replaces(tmp_path: Path) -> None:
    """`templates/base.html` of a site extends `theme/base.html` and changes one block."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "briefs", site / "briefs")
    (site / "templates").mkdir()
    (site / "templates" / "base.html").write_text(
        '{% extends "theme/base.html" %}\n'
        "{% block footer %}<p>The desk's own footer</p>{% endblock %}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", "--source", str(site), "--output", str(out), "--quiet"]) == 0
    page = (out / "claims" / "index.html").read_text(encoding="utf-8")
    assert "<p>The desk's own footer</p>" in page
    assert 'class="site-header' in page  # the rest of the theme's layout is still there


def test_build_shows_the_first_warnings_and_counts_the_rest(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]):
    """Sixty unanswered claims: `build` shows fifty warnings and says how many it left out;
    `check` shows all sixty."""
    claims = [claim(f"c-{n:02d}", "iran", f"Claim number {n}.") for n in range(60)]
    root = write_site(tmp_path / "site", {"many": ("Iran said things.\n",
                                                   brief("Many claims", "2024-09-09",
                                                         claims=claims))},
                      actors=[actor("iran", "Iran")])
    assert main(["build", "--source", str(root), "--quiet"]) == 0
    shown = capsys.readouterr().err
    assert shown.count(": warning: ") == 50
    assert "briefs/many.yaml:" in shown.splitlines()[0]
    assert "... and 10 more warnings not shown here: `site-builder check` lists them all" in shown
    assert shown.splitlines()[-1].startswith("built 1 brief into ")
    assert ", 60 warnings, " in shown.splitlines()[-1]
    assert main(["check", "--source", str(root)]) == 0
    assert capsys.readouterr().err.count(": warning: ") == 60
