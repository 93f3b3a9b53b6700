"""load: the site's files found on disk, paired and decoded."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import ARTICLE, BRIEF

from site_builder.base.diagnostics import Diagnostics
from site_builder.source import load as load_module
from site_builder.source.load import TextCache, load_site


def load(root: Path) -> tuple[list[str], list[str], Diagnostics]:
    diags = Diagnostics()
    sources = load_site(root, diags)
    return [b.slug for b in sources.briefs], [str(d) for d in diags.sorted()], diags


def test_pairs_articles_with_annotations(make_site, valid_files) -> None:
    root = make_site({**valid_files, "briefs/other.md": ARTICLE, "briefs/other.yaml": BRIEF})
    diags = Diagnostics()
    sources = load_site(root, diags)
    assert [str(d) for d in diags] == []
    assert [(b.slug, b.article.path, b.annotations.path) for b in sources.briefs] == [
        ("missiles", "briefs/missiles.md", "briefs/missiles.yaml"),
        ("other", "briefs/other.md", "briefs/other.yaml"),
    ]
    assert sources.registry is not None and sources.registry.path == "briefs/_actors.yaml"
    assert sources.config is None


def test_half_pairs_name_the_missing_file(make_site) -> None:
    root = make_site({"briefs/lonely.md": "Some text.\n", "briefs/orphan.yaml": BRIEF})
    slugs, lines, diags = load(root)
    assert slugs == []
    assert lines == [
        "briefs/lonely.md:1:1: error: the article 'lonely.md' has no annotations: "
        "'briefs/lonely.yaml' is missing",
        "briefs/orphan.yaml:1:1: error: the annotations 'orphan.yaml' have no article: "
        "'briefs/orphan.md' is missing",
    ]
    assert [d.hint for d in diags.sorted()] == [
        "create it beside the article (at least title, date and source)",
        "put the article beside them, with the same name ending in .md",
    ]


def test_yml_extension_is_an_error_with_the_new_name(make_site) -> None:
    root = make_site({"briefs/missiles.md": ARTICLE, "briefs/missiles.yml": BRIEF})
    _, lines, diags = load(root)
    assert lines == [
        "briefs/missiles.md:1:1: error: the article 'missiles.md' has no annotations: "
        "'briefs/missiles.yaml' is missing",
        "briefs/missiles.yml:1:1: error: 'missiles.yml' has the extension .yml",
    ]
    assert diags.sorted()[1].hint == "rename it to 'missiles.yaml'"


def test_invalid_slug_is_reported_once_per_pair(make_site) -> None:
    root = make_site({"briefs/Iran Missiles.md": ARTICLE, "briefs/Iran Missiles.yaml": BRIEF,
                       "briefs/ok.md": ARTICLE, "briefs/ok.yaml": BRIEF})
    slugs, lines, diags = load(root)
    assert slugs == ["ok"]
    assert lines == [
        "briefs/Iran Missiles.md:1:1: error: 'Iran Missiles.md' does not make a valid brief slug"]
    assert diags.items[0].hint == (
        "rename it to 'iran-missiles.md'; ids use lowercase letters, digits and single "
        "hyphens, e.g. 'peter-stano'")


def test_invalid_slug_with_nothing_to_suggest(make_site) -> None:
    root = make_site({"briefs/--.yaml": BRIEF})
    _, lines, diags = load(root)
    assert lines == ["briefs/--.yaml:1:1: error: '--.yaml' does not make a valid brief slug"]
    assert diags.items[0].hint == (
        "ids use lowercase letters, digits and single hyphens, e.g. 'peter-stano'")


def test_not_utf8_names_line_and_column_of_the_bad_byte(make_site, valid_files) -> None:
    data = BRIEF.encode().replace(b"outlet: Agence", b"outlet: Agenc\xe9")
    root = make_site({**valid_files, "briefs/missiles.yaml": data})
    slugs, lines, diags = load(root)
    assert slugs == []
    assert lines == ["briefs/missiles.yaml:4:16: error: the file is not UTF-8 text "
                     "(byte 0xe9 cannot be read)"]
    assert diags.items[0].hint == "save the file with the UTF-8 encoding"


def test_not_utf8_column_counts_characters_not_bytes(make_site, valid_files) -> None:
    # "Ünïcode — caf" is 13 characters but 17 bytes in UTF-8: the column is 14.
    data = "First line.\nÜnïcode — caf".encode() + b"\xe9 au lait\n"
    root = make_site({**valid_files, "briefs/missiles.md": data})
    _, lines, _ = load(root)
    assert lines == ["briefs/missiles.md:2:14: error: the file is not UTF-8 text "
                     "(byte 0xe9 cannot be read)"]


def test_not_utf8_registry_and_config(make_site, valid_files) -> None:
    root = make_site({**valid_files, "briefs/_actors.yaml": b"actors:\n  - id: \xff\n",
                       "site.yaml": b"\x80title: x\n"})
    _, lines, _ = load(root)
    assert lines == [
        "briefs/_actors.yaml:2:9: error: the file is not UTF-8 text (byte 0xff cannot be read)",
        "site.yaml:1:1: error: the file is not UTF-8 text (byte 0x80 cannot be read)",
    ]


def test_byte_order_mark_and_windows_line_ends_are_accepted(make_site, valid_files) -> None:
    root = make_site({**valid_files,
                       "briefs/missiles.yaml": b"\xef\xbb\xbf" + BRIEF.replace(
                           "\n", "\r\n").encode()})
    diags = Diagnostics()
    sources = load_site(root, diags)
    assert [str(d) for d in diags] == []
    assert sources.briefs[0].annotations.text == BRIEF


def test_leftovers_hidden_files_and_folders_are_not_briefs(make_site, valid_files) -> None:
    root = make_site({**valid_files, "briefs/missiles.md~": "x", "briefs/.missiles.yaml.swp": "x",
                       "briefs/#notes.md#": "x", "briefs/4913": "x", "briefs/draft.bak": "x",
                       "briefs/_template.yaml": "title:", "briefs/.hidden.md": "x",
                       "briefs/images/photo.md": "x", "briefs/README.txt": "x"})
    slugs, lines, _ = load(root)
    assert (slugs, lines) == (["missiles"], [])


def test_no_briefs_folder(tmp_path: Path) -> None:
    slugs, lines, diags = load(tmp_path)
    assert slugs == []
    assert lines == [f"briefs:1:1: error: no 'briefs/' folder in {tmp_path}"]
    assert diags.items[0].hint == (
        "run the command in a site's folder (or a folder inside it), or give it with "
        "--source DIR")


def test_yml_registry_and_config_are_not_silently_ignored(make_site) -> None:
    root = make_site({"briefs/_actors.yml": "actors: []\n", "site.yml": "title: x\n",
                       "briefs/missiles.md": ARTICLE, "briefs/missiles.yaml": BRIEF})
    _, lines, diags = load(root)
    assert lines == [
        "briefs/_actors.yml:1:1: error: '_actors.yml' has the extension .yml",
        "site.yml:1:1: error: 'site.yml' has the extension .yml",
    ]
    assert [d.hint for d in diags.sorted()] == [
        "rename it to '_actors.yaml'", "rename it to 'site.yaml'"]


# --- the text cache: files read again only when they changed ---------------------------------


def _age(path: Path, seconds: int) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - seconds * 1_000_000_000))


def test_a_cache_reads_only_the_files_that_changed(make_site, valid_files, monkeypatch) -> None:
    root = make_site({**valid_files, "briefs/other.md": ARTICLE, "briefs/other.yaml": BRIEF})
    for path in (root / "briefs").iterdir():
        _age(path, 3600)  # saved an hour ago
    reads: list[str] = []
    real = load_module.read_text
    monkeypatch.setattr(load_module, "read_text",
                        lambda root, rel, diags, optional=False:
                        reads.append(rel) or real(root, rel, diags, optional))
    cache = TextCache()
    first = load_site(root, Diagnostics(), cache)
    assert sorted(r for r in reads if r.startswith("briefs/") and "_" not in r) == [
        "briefs/missiles.md", "briefs/missiles.yaml", "briefs/other.md", "briefs/other.yaml"]
    reads.clear()
    (root / "briefs" / "other.md").write_text(ARTICLE + "More.\n", encoding="utf-8")
    second = load_site(root, Diagnostics(), cache)
    assert [r for r in reads if r.startswith("briefs/") and "_" not in r] == ["briefs/other.md"]
    assert second.briefs[0] is first.briefs[0]  # missiles: the same source, not read again
    assert second.briefs[1].article.text.endswith("More.\n")
    reads.clear()  # with the watcher's list, the other files are not even looked at
    (root / "briefs" / "missiles.yaml").write_text(BRIEF + "\n", encoding="utf-8")
    changed = load_site(root, Diagnostics(), cache, changed={"briefs/missiles.yaml"})
    assert [r for r in reads if r.startswith("briefs/") and "_" not in r] == [
        "briefs/missiles.yaml"]
    assert changed.briefs[0].annotations.text == BRIEF + "\n"
    assert changed.briefs[1] is second.briefs[1]


def test_a_file_saved_twice_in_one_tick_of_the_clock_is_read_again(make_site,
                                                                    valid_files) -> None:
    """An edit that keeps the file's size and time: seen, because the file was saved just
    before the load that read it (git calls such files racy)."""
    root = make_site(valid_files)
    yaml_file = root / "briefs" / "missiles.yaml"
    cache = TextCache()
    load_site(root, Diagnostics(), cache)
    info = yaml_file.stat()
    text = yaml_file.read_text(encoding="utf-8")
    edited = text.replace("title: ", "title:_", 1)
    assert len(edited) == len(text) and edited != text
    yaml_file.write_text(edited, encoding="utf-8")
    os.utime(yaml_file, ns=(info.st_atime_ns, info.st_mtime_ns))  # the same size and time
    again = load_site(root, Diagnostics(), cache)
    assert again.briefs[0].annotations.text == edited


# --- the watcher's paths: files added and deleted looked at, and no other ----------------------

FOLDER_NAMES = ["a.md", "a.yaml", "b.md", "b.yaml", "b.yml", "c.yaml", "Bad Name.md",
                "Bad Name.yaml", "d.md", ".hidden.md", "e.yaml~", "_notes.md", "f.txt", "g.yml"]


def _described(root: Path, cache: TextCache | None = None,
               changed: set[str] | None = None) -> tuple[list[tuple[str, str, str]], list[str]]:
    diags = Diagnostics()
    sources = load_site(root, diags, cache, changed)
    return ([(b.slug, b.article.text, b.annotations.text) for b in sources.briefs],
            [str(d) for d in diags])


def test_files_added_and_deleted_pair_as_a_new_listing_pairs_them(make_site, valid_files,
                                                                   monkeypatch) -> None:
    """Random files added, deleted and saved in briefs/ (pairs, half pairs, `.yml` files,
    invalid slugs, hidden files and leftovers), told by the watcher: the same briefs, texts and
    problems, in the same order, as a load that lists the folder; and the folder is never
    listed, only the files the watcher named looked at."""
    import random

    root = make_site(valid_files)
    cache = TextCache()
    load_site(root, Diagnostics(), cache)
    rng = random.Random(24)
    listed: list[str] = []
    real_scandir = load_module.os.scandir
    briefs = str(root / "briefs")
    monkeypatch.setattr(load_module.os, "scandir",
                        lambda path: listed.append(path) or real_scandir(path)
                        if str(path) == briefs else real_scandir(path))
    for round_ in range(40):
        changed = set()
        for name in rng.sample(FOLDER_NAMES, rng.randint(1, 4)):
            path = root / "briefs" / name
            if path.exists() and rng.random() < 0.5:
                path.unlink()
            else:
                path.write_text((ARTICLE if name.endswith(".md") else BRIEF) + f"# {round_}\n",
                                encoding="utf-8")
            changed.add(f"briefs/{name}")
        found = _described(root, cache, changed)
        assert listed == [], f"round {round_}: the folder was listed"
        assert found == _described(root), f"round {round_}: {sorted(changed)}"
        listed.clear()  # by the load without a cache, just now


def test_a_file_saved_while_it_pairs_with_nothing_is_read_when_its_pair_comes_back(
        make_site, valid_files) -> None:
    """The article deleted, the annotations saved (no brief: nothing read), the article back:
    the annotations are those saved, not those read before."""
    root = make_site(valid_files)
    cache = TextCache()
    load_site(root, Diagnostics(), cache)
    article = root / "briefs" / "missiles.md"
    article.unlink()
    load_site(root, Diagnostics(), cache, {"briefs/missiles.md"})
    (root / "briefs" / "missiles.yaml").write_text(BRIEF + "# saved\n", encoding="utf-8")
    load_site(root, Diagnostics(), cache, {"briefs/missiles.yaml"})
    article.write_text(ARTICLE, encoding="utf-8")
    again = load_site(root, Diagnostics(), cache, {"briefs/missiles.md"})
    assert [b.annotations.text for b in again.briefs] == [BRIEF + "# saved\n"]
