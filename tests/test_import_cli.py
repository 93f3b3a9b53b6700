"""`site-builder import` on the command line: files written, refusals, exit codes, messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from site_builder.cli.commands import main

ARTICLE = """\
Skip to main content

EU warns Iran over missile deliveries

Agence France-Presse
Sep 9, 2024

"We are aware of the credible information provided by allies," EU spokesman Peter Stano said.

"We are looking further into it with our member states."

Iranian foreign ministry spokesman Nasser Kanani said: "We strongly reject the claims."

burs/rlp/giv
"""
SLUG = "2024-09-09-eu-warns-iran-over-missile"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "briefs").mkdir(parents=True)
    return root


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def run(*args: str | Path) -> int:
    return main(["import", *(str(a) for a in args)])


def test_import_writes_a_brief_that_checks(site, article, capsys):
    assert run(article, "--source", site) == 0
    err = capsys.readouterr().err
    assert f"wrote briefs/{SLUG}.md and briefs/{SLUG}.yaml from {article}" in err
    assert "3 quotations: 3 drafted, 0 left as comments; 2 speakers" in err
    assert "new actors: peter-stano, nasser-kanani" in err
    assert f"next: look for EDITOR in briefs/{SLUG}.yaml" in err
    assert main(["check", "--source", str(site), "--strict"]) == 0


def test_the_slug_can_be_chosen(site, article):
    assert run(article, "--source", site, "--slug", "eu-iran") == 0
    assert (site / "briefs" / "eu-iran.md").exists()
    assert (site / "briefs" / "eu-iran.yaml").exists()


def test_an_existing_brief_is_not_overwritten(site, article, capsys):
    (site / "briefs" / f"{SLUG}.md").write_text("the editor's work\n", encoding="utf-8")
    assert run(article, "--source", site) == 1
    err = capsys.readouterr().err
    assert f"briefs/{SLUG}.md already exists; nothing written" in err
    assert "--force" in err
    assert (site / "briefs" / f"{SLUG}.md").read_text(encoding="utf-8") == "the editor's work\n"
    assert not (site / "briefs" / f"{SLUG}.yaml").exists()


def test_force_replaces_the_brief_without_clashing_with_itself(site, article):
    assert run(article, "--source", site) == 0
    assert run(article, "--source", site) == 1
    assert run(article, "--source", site, "--force") == 0
    assert main(["check", "--source", str(site), "--strict"]) == 0


def test_a_second_article_reuses_the_actors_the_first_drafted(site, article, tmp_path):
    second = tmp_path / "second.txt"
    second.write_text(ARTICLE.replace("EU warns Iran", "Stano speaks again"), encoding="utf-8")
    assert run(article, second, "--source", site) == 0
    briefs = sorted((site / "briefs").glob("*.yaml"))
    declared = [a["id"] for b in briefs for a in yaml.safe_load(b.read_text()).get("actors", [])]
    assert sorted(declared) == ["nasser-kanani", "peter-stano"]
    assert main(["check", "--source", str(site), "--strict"]) == 0


def test_slug_with_several_files_is_a_usage_error(site, article, capsys):
    assert run(article, article, "--source", site, "--slug", "x") == 2
    assert "--slug names one brief" in capsys.readouterr().err


def test_an_invalid_slug_is_a_usage_error(site, article, capsys):
    assert run(article, "--source", site, "--slug", "Not A Slug") == 2
    assert "'Not A Slug' is not a valid slug" in capsys.readouterr().err
    assert list((site / "briefs").iterdir()) == []


def test_no_file_is_a_usage_error(site):
    with pytest.raises(SystemExit) as exc:
        run("--source", site)
    assert exc.value.code == 2


def test_a_folder_that_is_not_a_site_is_refused(tmp_path, article, capsys):
    assert run(article, "--source", tmp_path / "nowhere") == 1
    assert "no 'briefs/' folder" in capsys.readouterr().err


def test_unreadable_files_are_reported_and_the_others_imported(site, article, tmp_path, capsys):
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Caf\xe9 owners protest".encode("latin-1"))
    assert run(tmp_path / "missing.txt", latin, article, "--source", site) == 1
    err = capsys.readouterr().err
    assert "missing.txt: cannot read" in err
    assert "latin1.txt is not UTF-8 text" in err
    assert (site / "briefs" / f"{SLUG}.yaml").exists()


def test_an_article_without_date_or_quotations_still_checks(site, tmp_path, capsys):
    path = tmp_path / "bare.txt"
    path.write_text("Storm hits the coast\n\nA storm hit the coast on Monday, officials said.\n",
                    encoding="utf-8")
    assert run(path, "--source", site) == 0
    assert "date: (none found, today used)" in capsys.readouterr().err
    [notes_path] = (site / "briefs").glob("*.yaml")
    text = notes_path.read_text(encoding="utf-8")
    assert "# EDITOR: no date found" in text and "# EDITOR: no outlet found" in text
    assert "# EDITOR: no quotation could be drafted" in text
    assert yaml.safe_load(text)["date"] == dt.date.today()
    assert main(["check", "--source", str(site), "--strict"]) == 0


def test_a_saved_web_page(site, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("""<!doctype html><html><head><title>Talks stall | Wire</title>
        <meta property="article:published_time" content="2024-05-02T10:00:00Z"></head>
        <body><nav><p>Home</p></nav><article><h1>Talks stall</h1>
        <p>&ldquo;We are not there yet,&rdquo; said mediator Jane Roe.</p>
        <p>&ldquo;But we are close.&rdquo;</p></article></body></html>""", encoding="utf-8")
    assert run(page, "--source", site) == 0
    notes = yaml.safe_load((site / "briefs" / "2024-05-02-talks-stall.yaml").read_text())
    assert notes["title"] == "Talks stall" and notes["source"]["outlet"] == "Wire"
    assert notes["claims"][0]["by"] == notes["responses"][0]["by"] == "jane-roe"
    assert main(["check", "--source", str(site), "--strict"]) == 0


def test_two_files_of_one_run_never_replace_each_other(site, article, tmp_path, capsys):
    same = tmp_path / "same.txt"
    same.write_text(ARTICLE.replace("We strongly reject", "We reject"), encoding="utf-8")
    assert run(article, same, "--source", site, "--force") == 1
    assert "another file of this run was imported as" in capsys.readouterr().err
    text = (site / "briefs" / f"{SLUG}.yaml").read_text(encoding="utf-8")
    assert "We strongly reject" in text
