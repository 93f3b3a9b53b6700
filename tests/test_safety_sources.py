"""Issue 17, items 3, 6 and 16: what the builder reads of a site folder, and how.

3: only regular files inside the site folder (links that stay inside are followed), of at
   most 32 MiB; links out of the site, FIFOs and devices are refused with an error.
6: `base_url` (site.yaml or `--base-url`) is validated as an absolute http(s) address.
16: U+2028, U+2029 and NEL are ordinary characters in YAML, not line breaks.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from conftest import ARTICLE, BRIEF, REGISTRY, dedent, write_files
from sitetools import build, snapshot

from site_builder.base import sitefiles
from site_builder.base.diagnostics import Diagnostics
from site_builder.cli.commands import main
from site_builder.source.load import TextCache, load_site
from site_builder.text.readertext import make_markdown
from site_builder.theme.render import make_environment

REPO = Path(__file__).resolve().parent.parent
OUTSIDE = ("site.yaml:1:1: error: the file is a link to a file outside the site folder; "
           "site-builder reads only files inside it")
SECRET = "The secret of the machine that builds the site: 7f3a9c.\n"


def site(root: Path, **more: str | bytes) -> Path:
    """A valid site of one brief (`briefs/missiles.*`), and `more` files."""
    return write_files(root, {"briefs/_actors.yaml": REGISTRY, "briefs/missiles.md": ARTICLE,
                              "briefs/missiles.yaml": BRIEF, **more})


def errors(root: Path, cache: TextCache | None = None) -> list[str]:
    diags = Diagnostics()
    load_site(root, diags, cache)
    return [str(d) for d in diags.sorted()]


def check_in_a_child(root: Path) -> subprocess.CompletedProcess[str]:
    """`site-builder check` in its own process, with 1 GiB of memory and 60 s at most: the
    code before the fix waited forever on a FIFO and read /dev/zero until memory ran out."""
    def limited() -> None:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run([sys.executable, "-m", "site_builder", "check", "--source", str(root)],
                          capture_output=True, text=True, timeout=60, cwd=REPO,
                          preexec_fn=limited, check=False)


# --- 3: links out of the site, special files, sizes --------------------------------------------


def test_safety_03_article_linked_outside_the_site_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "secret.md").write_text(ARTICLE.replace("The EU", SECRET + "\nThe EU"),
                                        encoding="utf-8")
    root = site(tmp_path / "site")
    (root / "briefs" / "missiles.md").unlink()
    (root / "briefs" / "missiles.md").symlink_to(tmp_path / "secret.md")
    assert main(["build", "--source", str(root)]) == 1
    err = capsys.readouterr().err
    assert ("briefs/missiles.md:1:1: error: the file is a link to a file outside the site "
            "folder; site-builder reads only files inside it\n"
            "  hint: copy the file into the site folder, or remove the link\n") in err
    assert "7f3a9c" not in err  # nor its first line shown under the message
    assert not (root / "output").exists()


def test_safety_03_links_inside_the_site_are_followed(tmp_path: Path) -> None:
    root = site(tmp_path / "site", **{"drafts/other.md": ARTICLE,
                                      "drafts/other.yaml": BRIEF.replace("iran-sent", "iran-gave")})
    (root / "briefs" / "other.md").symlink_to("../drafts/other.md")
    (root / "briefs" / "other.yaml").symlink_to(root / "drafts" / "other.yaml")  # absolute
    link = tmp_path / "link-to-site"
    link.symlink_to(root)
    built = build(link, tmp_path / "out", cache=False)  # the site folder itself through a link
    assert "Iran has delivered ballistic missiles" in built.page("briefs/other/index.html").text


def test_safety_03_briefs_folder_linked_outside_is_refused(tmp_path: Path) -> None:
    elsewhere = site(tmp_path / "elsewhere") / "briefs"
    root = tmp_path / "site"
    root.mkdir()
    (root / "briefs").symlink_to(elsewhere)
    assert errors(root) == [
        "briefs:1:1: error: the folder is a link to a folder outside the site folder; "
        "site-builder reads only files inside it"]
    assert build(root, ok=False).outcome.report is None


def test_safety_03_links_into_hidden_parts_of_the_site_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`actions/checkout` leaves its token in `.git/config`, inside the site folder: a link to
    it (or into `.cache/`) would publish it, so links into hidden files and folders are
    refused like links out of the site."""
    root = site(tmp_path / "site", **{".git/config": SECRET, ".cache/notes.txt": SECRET})
    (root / "briefs" / "missiles.md").unlink()
    (root / "briefs" / "missiles.md").symlink_to("../.git/config")
    (root / "templates").mkdir()
    (root / "templates" / "leak.css").symlink_to(root / ".cache" / "notes.txt")
    (root / "templates" / "git").symlink_to("../.git")
    assert errors(root) == [
        "briefs/missiles.md:1:1: error: the file is a link to '.git/config', a hidden part of "
        "the site folder; site-builder follows links only to the site's own visible files",
        "templates/git:1:1: error: the folder is a link to '.git', a hidden part of the site "
        "folder; site-builder follows links only to the site's own visible files",
        "templates/leak.css:1:1: error: the file is a link to '.cache/notes.txt', a hidden part "
        "of the site folder; site-builder follows links only to the site's own visible files",
    ]
    assert main(["build", "--source", str(root)]) == 1
    assert "7f3a9c" not in capsys.readouterr().err
    assert not (root / "output").exists()


def test_safety_03_site_yaml_linked_to_dev_zero_is_refused_at_once(tmp_path: Path) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    root = site(tmp_path / "site")
    (root / "site.yaml").symlink_to("/dev/zero")
    done = check_in_a_child(root)
    assert done.returncode == 1, done.stderr[-2000:]
    assert done.stderr.startswith(OUTSIDE + "\n"), done.stderr[-2000:]


def test_safety_03_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    os.mkfifo(root / "site.yaml")
    os.mkfifo(root / "briefs" / "pipe.md")
    write_files(root, {"briefs/pipe.yaml": BRIEF.replace("iran-sent", "iran-gave")})
    done = check_in_a_child(root)
    assert done.returncode == 1, done.stderr[-2000:]
    assert done.stderr.splitlines()[::2][:2] == [
        "briefs/pipe.md:1:1: error: the file is a named pipe (FIFO), not a regular file; "
        "site-builder reads only regular files",
        "site.yaml:1:1: error: the file is a named pipe (FIFO), not a regular file; "
        "site-builder reads only regular files",
    ]
    assert "  hint: replace it with an ordinary file, or remove it" in done.stderr


def test_safety_03_a_file_over_32_mib_is_refused(tmp_path: Path) -> None:
    big = "# " + "x" * (32 * 1024 * 1024) + "\n"
    root = site(tmp_path / "site", **{"site.yaml": big})
    assert errors(root) == [
        "site.yaml:1:1: error: the file is too big: 33,554,435 bytes, more than the 32 MiB "
        "(33,554,432 bytes) site-builder reads from a source file"]


def test_safety_03_a_file_swapped_for_a_link_is_refused_despite_the_cache(
        tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    article = root / "briefs" / "missiles.md"
    (tmp_path / "secret.md").write_text(ARTICLE.upper(), encoding="utf-8")
    cache = TextCache()
    assert errors(root, cache) == []
    before = os.stat(article)
    os.utime(tmp_path / "secret.md", ns=(before.st_atime_ns, before.st_mtime_ns))
    article.unlink()
    article.symlink_to(tmp_path / "secret.md")  # the same size and time as the file it replaces
    assert errors(root, cache) == [
        "briefs/missiles.md:1:1: error: the file is a link to a file outside the site folder; "
        "site-builder reads only files inside it"]


def test_safety_03_site_templates_linked_outside_are_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "secret-folder").mkdir()
    root = site(tmp_path / "site")
    (root / "templates" / "partials").mkdir(parents=True)
    (root / "templates" / "robots-extra.txt").symlink_to(tmp_path / "secret.txt")
    (root / "templates" / "base.html").symlink_to(tmp_path / "secret.txt")
    (root / "templates" / "partials" / "more").symlink_to(tmp_path / "secret-folder")
    os.mkfifo(root / "templates" / "pipe.css")
    assert errors(root) == [
        "templates/base.html:1:1: error: the file is a link to a file outside the site folder; "
        "site-builder reads only files inside it",
        "templates/partials/more:1:1: error: the folder is a link to a folder outside the site "
        "folder; site-builder reads only files inside it",
        "templates/pipe.css:1:1: error: the file is a named pipe (FIFO), not a regular file; "
        "site-builder reads only regular files",
        "templates/robots-extra.txt:1:1: error: the file is a link to a file outside the site "
        "folder; site-builder reads only files inside it",
    ]
    built = build(root, ok=False)
    assert built.outcome.report is None and not built.out.exists()


def test_safety_03_the_theme_never_loads_a_site_template_from_outside(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    root = site(tmp_path / "site", **{"templates/note.html": "inside {{ 1 + 1 }}"})
    (root / "templates" / "base.html").symlink_to(tmp_path / "secret.txt")
    env = make_environment(root, make_markdown())
    assert env.get_template("note.html").render() == "inside 2"
    with pytest.raises(jinja2.TemplateError, match="outside the site folder") as raised:
        env.get_template("base.html")
    assert Path(raised.value.filename) == root / "templates" / "base.html"  # type: ignore[attr-defined]


def unreadable(monkeypatch: pytest.MonkeyPatch, rel: str) -> None:
    """The site's `rel` cannot be read, as when its permissions deny it (tests run as root,
    whom chmod does not stop)."""
    real = sitefiles.read_bytes

    def read_bytes(root: Path | str, wanted: str) -> bytes:
        if wanted == rel:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES),
                                  os.path.join(root, wanted))
        return real(root, wanted)

    monkeypatch.setattr(sitefiles, "read_bytes", read_bytes)


@pytest.mark.parametrize("how", ["first build", "build from the cache"])
@pytest.mark.parametrize("rel", ["templates/base.html", "templates/extra.css"])
def test_safety_03_an_unreadable_site_template_or_asset_is_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        rel: str, how: str) -> None:
    """Not the built-in base.html in place of the site's own, nor "free some disk space": the
    file that cannot be read, and nothing written."""
    root = site(tmp_path / "site", **{
        "templates/base.html": '{% extends "theme/base.html" %}{# the site\'s own #}\n',
        "templates/extra.css": "body { color: teal }\n"})
    if how == "build from the cache":
        assert main(["build", "--source", str(root)]) == 0
        (root / rel).write_text((root / rel).read_text(encoding="utf-8") + "\n",
                                encoding="utf-8")  # edited, so the pages are made again
    before = snapshot(root / "output") if (root / "output").exists() else None
    capsys.readouterr()
    unreadable(monkeypatch, rel)
    assert main(["build", "--source", str(root)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{rel}:1:1: error: '{rel}' cannot be read: Permission denied"
    assert len(err) == 2 and err[1].endswith(": 1 error, 0 warnings")  # no hint, no traceback
    assert (snapshot(root / "output") if (root / "output").exists() else None) == before


# --- 6: base_url ---------------------------------------------------------------------------------


def test_safety_06_base_url_with_a_newline_writes_no_robots_rule(tmp_path: Path) -> None:
    root = site(tmp_path / "site", **{"site.yaml": dedent('''
        title: Briefs
        base_url: "https://example.org/briefs/\\nDisallow: /"
        ''')})
    built = build(root, ok=False)
    assert built.errors == [
        "site.yaml:2:11: error: 'https://example.org/briefs/\\nDisallow: /' is not a valid "
        "base URL: it contains a line break"]
    assert built.diags.errors[0].hint == "write it in full, e.g. https://example.github.io/briefs/"
    assert not (built.out / "robots.txt").exists()


@pytest.mark.parametrize(("value", "problem"), [
    ("https://example.org/my briefs/", "it contains a space"),
    ("https://example.org/?page=1", "it has a query ('?...'); the address of the site's "
                                    "folder has none"),
    ("https://example.org/#top", "it has a fragment ('#...'); the address of the site's "
                                 "folder has none"),
    ("https://example.org:70000/", "the port must be a number from 1 to 65535"),
    ("https://example.org:0/", "the port must be a number from 1 to 65535"),
    ("https://example.org:http/", "the port must be a number from 1 to 65535"),
    ("https://[example.org]/", "its host is not valid"),
    ("https://:8000/", "it names no host"),
    ("https://user:secret@example.org/", "it holds a user name or password ('...@')"),
    ("https://exa_mple..org/", "'exa_mple..org' is not a host name"),
    ("https://example.org/<b>", "it contains '<', which a web address cannot hold as it is"),
])
def test_safety_06_base_url_must_be_a_folder_address(check_files, valid_files, value: str,
                                                    problem: str) -> None:
    report = check_files({**valid_files, "site.yaml": f"title: Briefs\nbase_url: '{value}'\n"})
    assert report.lines == [f"site.yaml:2:11: error: '{value}' is not a valid base URL: {problem}"]


@pytest.mark.parametrize(("value", "kept"), [
    ("https://example.org:8443/briefs", "https://example.org:8443/briefs/"),
    ("http://[::1]:8000/", "http://[::1]:8000/"),
    ("https://bücher.example/", "https://bücher.example/"),
    ("https://example.github.io/briefs/", "https://example.github.io/briefs/"),
])
def test_safety_06_valid_base_urls_are_kept(check_files, valid_files, value: str,
                                            kept: str) -> None:
    report = check_files({**valid_files, "site.yaml": f"base_url: {value}\n"})
    assert report.lines == []
    assert report.checked.site.config.base_url == kept


def test_safety_06_base_url_option_is_a_usage_error(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    root = site(tmp_path / "site")
    for command in ("build", "serve", "deploy"):
        with pytest.raises(SystemExit) as exited:
            main([command, "--source", str(root), "--base-url", "https://example.org:70000/"])
        assert exited.value.code == 2
        assert capsys.readouterr().err.splitlines()[-1] == (
            f"site-builder {command}: error: argument --base-url: 'https://example.org:70000/' "
            "is not a valid base URL: the port must be a number from 1 to 65535; write it in "
            "full, e.g. https://example.github.io/briefs/")
    assert not (root / "output").exists()


def test_safety_06_base_url_reaches_robots_sitemap_and_canonical_links(tmp_path: Path) -> None:
    root = site(tmp_path / "site", **{"site.yaml": "base_url: https://example.org:8443/b\n"})
    built = build(root, cache=False)
    assert (built.out / "robots.txt").read_text(encoding="utf-8") == (
        "User-agent: *\nAllow: /\nSitemap: https://example.org:8443/b/sitemap.xml\n")
    assert "<loc>https://example.org:8443/b/briefs/missiles/</loc>" in \
        (built.out / "sitemap.xml").read_text(encoding="utf-8")
    canonical = built.page("briefs/missiles/index.html").find("link", rel="canonical")
    assert canonical is not None
    assert canonical.get("href") == "https://example.org:8443/b/briefs/missiles/"


# --- 16: U+2028, U+2029 and NEL in YAML ----------------------------------------------------------


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_safety_16_line_separator_in_a_yaml_comment_is_no_error(check_files, valid_files,
                                                                char: str) -> None:
    brief = f"# pasted from a web page:{char} the wire's own words\n{BRIEF}"
    report = check_files({**valid_files, "briefs/missiles.yaml": brief,
                          "site.yaml": f"title: Briefs{char}of the week  # a{char}b\n"})
    assert report.lines == []
    assert report.checked.site.config.title == f"Briefs{char}of the week"


def test_safety_16_positions_after_a_line_separator_are_exact(
        make_site, valid_files, capsys: pytest.CaptureFixture[str]) -> None:
    brief = BRIEF.replace("source:", "# one\u2028two\u2029three\x85four\n"
                                     "  outlet: x\u2028y\nsource:", 1)
    root = make_site({**valid_files, "briefs/missiles.yaml": brief})
    assert main(["check", "--source", str(root)]) == 1
    err = capsys.readouterr().err.split("\n")  # not splitlines(): U+2028 (shown escaped, item 5)
    at = err.index("briefs/missiles.yaml:4:3: error: this line is indented 2 spaces; the other "
                   "fields of the brief are not indented")
    assert err[at + 1:at + 5] == ["  hint: indent it as they are:", "        outlet: x\\u2028y",
                                  "    4 |   outlet: x\\u2028y", "          ^"]


def test_safety_16_syntax_error_after_a_line_separator_is_at_its_place(check_files,
                                                                        valid_files) -> None:
    brief = BRIEF.replace("source:", "# one\u2028two\ntitle: a: b\nsource:")
    report = check_files({**valid_files, "briefs/missiles.yaml": brief})
    assert report.errors == [
        "briefs/missiles.yaml:4:9: error: this value holds ': ', which YAML reads as the start "
        "of another field"]


def test_safety_03_messages_never_show_a_line_of_a_file_outside_the_site(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An error about a path outside the site (the output folder given as a file) names it,
    and shows none of its lines."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    root = site(tmp_path / "site")
    assert main(["build", "--source", str(root), "--output", str(secret)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{secret}:1:1: error: the output folder '{secret}' is a file\n"
                          "  hint: choose another folder with --output DIR\n")
    assert "7f3a9c" not in err
