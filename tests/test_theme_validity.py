"""The built-in theme writes valid HTML: the Nu HTML Checker finds no error on any page.

The example site at the top of the repository is built into a temporary folder (with search
on, when Pagefind is installed: its search page, the header's search field), with the story
site of tests/fixtures/story/ in its story/ folder, and every HTML file of both goes to vnu in
one call (one JVM). The stylesheet is checked as CSS too.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from servetools import searchable_example
from tools import java_path, missing, run_vnu, vnu_jar

from site_builder.cli.commands import main
from site_builder.source.config import pagefind_installed

STORY = Path(__file__).parent / "fixtures" / "story"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("theme-validity") / "site"
    code = main(["build", "--source", str(searchable_example(out.parent)), "--output", str(out)])
    assert code == 0, "the example site did not build; see the diagnostics above"
    # The story site (three briefs on one story, their tags) beside it, in story/: its pages
    # show what the example's single brief cannot (what happened next, previous and next).
    code = main(["build", "--source", str(STORY), "--output", str(out / "story"), "--no-cache"])
    assert code == 0, "the story site did not build; see the diagnostics above"
    return out


def _where(message: dict, site: Path) -> str:
    url = message.get("url", "")
    path = url.removeprefix("file:")
    try:
        shown = Path(path).resolve().relative_to(site.resolve()).as_posix()
    except ValueError:
        shown = path
    line, column = message.get("lastLine", "?"), message.get("firstColumn", "?")
    return f"{shown}:{line}:{column}"


def test_every_page_is_valid_html(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    sections = {p.relative_to(site).parts[0] for p in pages}
    assert {"index.html", "404.html", "briefs", "actors", "claims", "tags", "story"} <= sections, \
        sections
    assert "search" in sections or not pagefind_installed()

    messages = run_vnu(pages)

    errors = [m for m in messages if m.get("type") != "info"]
    report = "\n".join(
        f"{_where(m, site)}: {m.get('type')}: {m.get('message')}\n"
        f"    {m.get('extract', '').strip()}"
        for m in errors
    )
    if errors:
        print(f"vnu found {len(errors)} error(s) in {len(pages)} pages:\n{report}")
    assert not errors, f"{len(errors)} HTML error(s):\n{report}"


def test_stylesheet_is_valid_css(site: Path) -> None:
    stylesheet = site / "style.css"
    assert stylesheet.is_file()
    jar, java = vnu_jar(), java_path()
    if java is None:
        missing("java not found: run `bash .ci/install-tools`")
    result = subprocess.run(
        [
            java,
            "-jar",
            str(jar),
            "--css",
            "--format",
            "json",
            "--exit-zero-always",
            str(stylesheet),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [m for m in messages if m.get("type") != "info"]
    report = "\n".join(f"style.css:{m.get('lastLine', '?')}: {m.get('message')}" for m in errors)
    if errors:
        print(report)
    assert not errors, f"{len(errors)} CSS error(s):\n{report}"


VERDICTS = Path(__file__).parent / "fixtures" / "verdicts"  # a claim with a verdict history


def test_the_verdict_sites_pages_are_valid_html(tmp_path: Path) -> None:
    """The pages the example site lacks: a verdict history, badges with their date, a
    response counted as withdrawn."""
    out = tmp_path / "verdicts"
    assert main(["build", "--source", str(VERDICTS), "--output", str(out), "--no-cache",
                 "--quiet"]) == 0
    messages = [m for m in run_vnu(sorted(out.rglob("*.html"))) if m.get("type") != "info"]
    assert not messages, "\n".join(f"{_where(m, out)}: {m.get('message')}" for m in messages)
