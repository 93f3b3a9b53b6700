"""Issue 17, items 3 and 14, for `site-builder import`: what it reads, what it writes.

Item 14: a page declaring a character set that cannot be used, an empty file and
a page with no article are refused with a clear message, and nothing is
written. Item 3: the new brief's files are never written through a link (a link
out of the site is refused, a link inside is replaced, never its target), the
raw article must be a regular file of a bounded size, and the two files are
written all or nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from site_builder.cli.commands import main
from site_builder.importer.importfiles import MAX_ARTICLE_BYTES

ARTICLE = """\
Storm hits the coast

Reuters
May 2, 2024

"The water came in very fast," harbour master Jane Roe said on Thursday.

"We had no warning at all."
"""
SLUG = "2024-05-02-storm-hits-coast"
PAGE = """<!doctype html><html><head><meta charset="{charset}">
<title>Café owners protest | Wire</title></head><body><article><h1>Café owners protest</h1>
<p>“We were never asked,” said café owner Jane Roe.</p>
<p>“Nobody came to see us.”</p></article></body></html>"""
WORDS = "“We were never asked,” said café owner Jane Roe.\n\n“Nobody came to see us.”\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    assert main(["init", str(root)]) == 0
    return root


def run(site: Path, *args: str | Path) -> int:
    return main(["import", *(str(a) for a in args), "--source", str(site)])


def listing(site: Path) -> dict[str, bytes]:
    """Every entry of briefs/ (hidden ones too) with its content, or its link's target."""
    out = {}
    for path in sorted((site / "briefs").iterdir()):
        out[path.name] = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
    return out


def assert_refused(site: Path, before: dict[str, bytes], capsys: pytest.CaptureFixture[str],
                   code: int, message: str) -> None:
    err = capsys.readouterr().err
    assert code == 1
    assert message in err
    assert "Traceback" not in err
    assert listing(site) == before


# Item 14: character sets ----------------------------------------------------------------


@pytest.mark.parametrize(("charset", "message"), [
    ("undefined", "declares the character set 'undefined', which is not one the import "
                  "knows, and is not UTF-8 text; nothing written (save it with the UTF-8 "
                  "encoding, then import it again, or correct its <meta charset>)"),
    ("x-nonsense", "declares the character set 'x-nonsense', which is not one"),
    ("unicode_escape", "declares the character set 'unicode_escape', which is not one"),
    ("utf-16", "declares the character set 'utf-16', which is not one"),
    ("rot13", "is not rot13 text as it declares; nothing written"),
    ("shift_jis", "is not shift_jis text as it declares (line 2: byte 0xe9); nothing written"),
    ("x" * 60, f"declares the character set '{'x' * 40}…', which is not one"),
])
def test_safety_14_a_page_declaring_an_unusable_charset_is_refused(site, tmp_path, capsys,
                                                                  charset, message):
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.format(charset=charset).encode("latin-1", "replace"))
    before = listing(site)
    assert_refused(site, before, capsys, run(site, page), f"{page}: {page} {message}")


def test_safety_14_a_utf8_page_declaring_a_bogus_charset_is_read_as_utf8(site, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE.format(charset="undefined"), encoding="utf-8")
    assert run(site, page) == 0
    article = next((site / "briefs").glob("*-caf-owners-protest.md")).read_text("utf-8")
    assert article == WORDS


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_safety_14_a_page_with_a_byte_order_mark_is_read(site, tmp_path, encoding):
    page = tmp_path / "page.html"
    text = PAGE.format(charset=encoding)
    page.write_bytes(b"\xfe\xff" + text.encode(encoding) if encoding == "utf-16-be"
                     else text.encode(encoding))  # the others write their own mark
    assert run(site, page) == 0
    article = next((site / "briefs").glob("*-caf-owners-protest.md")).read_text("utf-8")
    assert article == WORDS
    assert main(["check", "--source", str(site), "--strict"]) == 0


def test_safety_14_a_latin1_page_declaring_its_charset_is_read(site, tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.format(charset="iso-8859-1").replace("“", '"').replace("”", '"')
                     .encode("iso-8859-1"))
    assert run(site, page) == 0
    article = next((site / "briefs").glob("*-caf-owners-protest.md")).read_text("utf-8")
    assert article == WORDS.replace("“", '"').replace("”", '"')
    assert main(["check", "--source", str(site), "--strict"]) == 0


def test_safety_14_a_broken_byte_order_mark_is_refused(site, tmp_path, capsys):
    page = tmp_path / "page.txt"
    page.write_bytes(b"\xff\xfe" + "Storm\n".encode("utf-16-le") + b"\x00\xd8")
    before = listing(site)
    assert_refused(site, before, capsys, run(site, page),
                   f"{page} starts with a UTF-16 byte-order mark but is not UTF-16 text")


# Item 14: no article --------------------------------------------------------------------

EMPTY = "no article text found: the file is empty; nothing written (save the article's " \
        "text in it, then import it again)"
NO_PARAGRAPH = "no article text found: the page has no paragraphs outside its navigation, " \
               "scripts and page furniture; nothing written (save the page with its " \
               "article, or paste the article's text into a .txt file and import that)"
ONLY_HEADINGS = "no article text found: its lines are only headings, a byline, a date or " \
                "page furniture; nothing written (add the article's text, then import it again)"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.txt", "", EMPTY),
    ("blank.md", " \n\n\t\r\n  ", EMPTY),
    ("blank.html", "\ufeff\n", EMPTY),
    ("nav.html", "<html><body><nav><p>Home</p><p>World</p></nav>"
                 "<footer><p>(c) 2024 Wire</p></footer></body></html>", NO_PARAGRAPH),
    ("scripts.html", "<html><body><script>document.write('<p>Hi</p>')</script>"
                     "<style>p { color: red }</style></body></html>", NO_PARAGRAPH),
    ("headline.html", "<html><body><article><h1>Storm hits the coast</h1>"
                      "<p>Advertisement</p></article></body></html>", ONLY_HEADINGS),
    ("chrome.txt", "Skip to main content\nAdvertisement\nShare this article\n", ONLY_HEADINGS),
    ("header.txt", "Storm hits the coast\n\nReuters\n\nMay 2, 2024\n", ONLY_HEADINGS),
])
def test_safety_14_an_article_without_text_is_refused_and_nothing_written(
        site, tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    before = listing(site)
    assert_refused(site, before, capsys, run(site, path), f"site-builder import: {path}: {message}")
    assert main(["check", "--source", str(site), "--strict"]) == 0


@pytest.mark.parametrize("text", [
    "A storm hit the coast on Monday, officials said.\n",
    "Skip to main content\n\nIs the storm over?\n",
    "# A storm hit the coast.\n",
])
def test_safety_14_a_one_sentence_article_is_imported_and_checks(site, tmp_path, text):
    path = tmp_path / "one.md"
    path.write_text(text, encoding="utf-8")
    assert run(site, path) == 0
    [md] = [p for p in (site / "briefs").glob("*.md") if "port-expansion" not in p.name]
    sentence = text.strip().splitlines()[-1].removeprefix("# ")
    assert md.read_text(encoding="utf-8") == sentence + "\n"
    notes = yaml.safe_load(md.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert notes["title"] == sentence
    assert main(["check", "--source", str(site), "--strict"]) == 0


# Item 3: the brief's files are never written through a link -----------------------------


def test_safety_03_force_refuses_a_link_out_of_the_site(site, tmp_path, capsys):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("not the site's\n", encoding="utf-8")
    (site / "briefs" / f"{SLUG}.md").symlink_to(outside)
    before = listing(site)
    assert_refused(site, before, capsys, run(site, article, "--force"),
                   f"briefs/{SLUG}.md is a link to a file outside the site folder; nothing "
                   "written (delete the link, or choose another name with --slug)")
    assert outside.read_text(encoding="utf-8") == "not the site's\n"


def test_safety_03_a_broken_link_is_never_written_through(site, tmp_path, capsys):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    (site / "briefs" / f"{SLUG}.yaml").symlink_to(tmp_path / "created-outside.yaml")
    before = listing(site)
    assert_refused(site, before, capsys, run(site, article),
                   f"briefs/{SLUG}.yaml already exists; nothing written (add --force")
    assert_refused(site, before, capsys, run(site, article, "--force"),
                   f"briefs/{SLUG}.yaml is a link to a file outside the site folder")
    assert not (tmp_path / "created-outside.yaml").exists()


def test_safety_03_force_replaces_a_link_inside_the_site_not_its_target(site, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    config = (site / "site.yaml").read_bytes()
    (site / "briefs" / f"{SLUG}.yaml").symlink_to(Path("..") / "site.yaml")
    (site / "briefs" / f"{SLUG}.md").symlink_to("2025-01-15-port-expansion.md")
    example = (site / "briefs" / "2025-01-15-port-expansion.md").read_bytes()
    assert run(site, article, "--force") == 0
    assert (site / "site.yaml").read_bytes() == config
    assert (site / "briefs" / "2025-01-15-port-expansion.md").read_bytes() == example
    for suffix in (".md", ".yaml"):
        assert not (site / "briefs" / f"{SLUG}{suffix}").is_symlink()
    assert "harbour master Jane Roe" in (site / "briefs" / f"{SLUG}.md").read_text("utf-8")
    assert main(["check", "--source", str(site), "--strict"]) == 0


def test_safety_03_a_briefs_folder_linked_out_of_the_site_is_refused(tmp_path, capsys):
    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    site.mkdir()
    (site / "briefs").symlink_to(elsewhere)
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert run(site, article) == 1
    assert "'briefs/' leads out of the site folder (a link); nothing written" \
        in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []


def test_safety_03_force_over_a_folder_writes_nothing(site, tmp_path, capsys):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    (site / "briefs" / f"{SLUG}.md").write_text("the editor's work\n", encoding="utf-8")
    (site / "briefs" / f"{SLUG}.yaml").mkdir()
    assert run(site, article, "--force") == 1
    err = capsys.readouterr().err
    assert f"briefs/{SLUG}.yaml is not a file; nothing written" in err
    assert "Traceback" not in err
    assert (site / "briefs" / f"{SLUG}.md").read_text(encoding="utf-8") == "the editor's work\n"


# Item 3: the raw article must be a regular file of a bounded size ------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_safety_03_a_named_pipe_is_refused_without_waiting(site, tmp_path):
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    before = listing(site)
    done = subprocess.run([sys.executable, "-m", "site_builder", "import", str(fifo),
                           "--source", str(site)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 1
    assert f"cannot read {fifo}: it is a named pipe (FIFO), not a file; save the article " \
           "in a file and import that" in done.stderr
    assert listing(site) == before


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null here")
def test_safety_03_a_device_is_refused(site, capsys):
    before = listing(site)
    assert_refused(site, before, capsys, run(site, "/dev/null"),
                   "cannot read /dev/null: it is a device, not a file")


def test_safety_03_a_huge_article_is_refused_before_it_is_read(site, tmp_path, capsys):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # sparse: nothing is written to the disk
        handle.truncate(MAX_ARTICLE_BYTES + 1)
    before = listing(site)
    assert_refused(site, before, capsys, run(site, huge),
                   f"{huge} is larger than 64 MB, too large for an article; nothing written")


# The two files: all or nothing -----------------------------------------------------------


def failing_replace(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """os.replace fails when it moves a new file to `name` (a full disk, a lost mount)."""
    real = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        if Path(dst).name == name and Path(src).name.startswith(".tmp-"):
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


def test_safety_14_when_the_second_file_fails_neither_is_written(site, tmp_path, capsys,
                                                                 monkeypatch):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = listing(site)
    failing_replace(monkeypatch, f"{SLUG}.yaml")
    assert_refused(site, before, capsys, run(site, article),
                   f"cannot write briefs/{SLUG}.md and briefs/{SLUG}.yaml: No space left on "
                   "device; nothing written")


def test_safety_14_when_force_fails_the_old_brief_is_put_back(site, tmp_path, capsys,
                                                              monkeypatch):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    (site / "briefs" / f"{SLUG}.md").write_text("the editor's article\n", encoding="utf-8")
    (site / "briefs" / f"{SLUG}.yaml").symlink_to("2025-01-15-port-expansion.yaml")
    before = listing(site)
    failing_replace(monkeypatch, f"{SLUG}.yaml")
    assert_refused(site, before, capsys, run(site, article, "--force"), "nothing written")
    assert (site / "briefs" / f"{SLUG}.yaml").is_symlink()


def test_safety_03_a_draft_the_builder_would_refuse_for_its_size_is_not_written(
        site, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("site_builder.base.sitefiles.MAX_BYTES", 100)
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = listing(site)
    assert_refused(site, before, capsys, run(site, article),
                   f"the draft's briefs/{SLUG}.md would be 102 bytes, over the limit of 100 "
                   "bytes that site-builder reads from a source file; nothing written")


def test_safety_05_control_characters_of_an_imported_page_stay_out_of_the_brief(
        site, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE.replace("very fast", "very\x1b[2J fast\x07"), encoding="utf-8")
    assert run(site, article) == 0
    for path in (site / "briefs").glob(f"{SLUG}.*"):
        assert not any(c in path.read_text(encoding="utf-8") for c in "\x1b\x07"), path
    assert main(["check", "--source", str(site)]) == 0
