"""The first minutes (issue 22, items 5, 7 and 8): commands find their site from any folder
inside it; `new` writes a brief from its template; `init` says where a site should live and
how to run `site-builder` when it is not on the PATH."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.cli.commands import main
from site_builder.cli.starting import own_clone
from site_builder.source import findsite

ROOT = Path(__file__).resolve().parent.parent
BRIEF = "briefs/2025-01-15-port-expansion.yaml"


# --- finding the site -------------------------------------------------------------------------

def test_check_inside_briefs_checks_the_site_above(new_site: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(new_site / "briefs")
    assert main(["check"]) == 0
    assert capsys.readouterr().err == (f"site-builder: using the site in .. ({new_site})\n"
                                       "checked 1 brief: 0 errors, 0 warnings\n")


def test_messages_and_output_are_the_site_s_from_a_folder_deep_inside(new_site: Path,
                                                                      monkeypatch,
                                                                      capsys) -> None:
    (new_site / "seeds" / "2025").mkdir(parents=True)
    brief = new_site / BRIEF
    brief.write_text(brief.read_text().replace("by: tomas-okafor", "by: tomas-okafur"))
    monkeypatch.chdir(new_site / "seeds" / "2025")
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[:2] == [
        f"site-builder: using the site in ../.. ({new_site})",
        f"{BRIEF}:21:9: error: unknown actor 'tomas-okafur'"]
    assert err.splitlines()[-1] == ("build failed, ../../output left as it was: 1 error, "
                                    "0 warnings")
    brief.write_text(brief.read_text().replace("by: tomas-okafur", "by: tomas-okafor"))
    assert main(["build"]) == 0
    assert (new_site / "output" / "index.html").is_file()
    assert not (new_site / "seeds" / "2025" / "output").exists()


def test_the_current_folder_is_said_nothing_about(new_site: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(new_site)
    assert main(["check"]) == 0
    assert capsys.readouterr().err == "checked 1 brief: 0 errors, 0 warnings\n"


def test_source_given_is_used_as_it_is(new_site: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(new_site / "briefs")
    assert main(["check", "--source", "."]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "briefs:1:1: error: no 'briefs/' folder in .")


def test_a_folder_with_only_site_yaml_is_a_site(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: x\n")
    (tmp_path / "notes" / "deep").mkdir(parents=True)
    assert findsite.find_site(tmp_path / "notes" / "deep") == tmp_path


def test_the_search_stops_at_the_home_folder(tmp_path: Path, monkeypatch) -> None:
    """A briefs/ folder in the home folder, or above it, is never taken for a site of a
    folder below: a site is not one's whole home."""
    (tmp_path / "briefs").mkdir()
    home = tmp_path / "home"
    (home / "work").mkdir(parents=True)
    monkeypatch.setattr(findsite.Path, "home", lambda: home)
    assert findsite.find_site(home / "work") is None
    (home / "briefs").mkdir()
    assert findsite.find_site(home / "work") is None
    assert findsite.find_site(home) == home  # run in it, it is the site


def test_the_search_stops_at_a_folder_of_another_user(tmp_path: Path, monkeypatch) -> None:
    """On a shared machine a `/tmp/briefs/` someone else made is never the user's site."""
    (tmp_path / "briefs").mkdir()
    (tmp_path / "mine").mkdir()
    assert findsite.find_site(tmp_path / "mine") == tmp_path
    monkeypatch.setattr(findsite, "_own", lambda folder: folder != tmp_path)
    assert findsite.find_site(tmp_path / "mine") is None


def test_no_site_anywhere_keeps_the_message(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(findsite.Path, "home", lambda: tmp_path)
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines()[:2] == [
        "briefs:1:1: error: no 'briefs/' folder in .",
        "  hint: run the command in a site's folder (or a folder inside it), or give it "
        "with --source DIR"]


# --- new --------------------------------------------------------------------------------------

def test_new_writes_a_brief_that_passes_check(new_site: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(new_site)
    assert main(["new", "2025-03-11-port-strike"]) == 0
    assert capsys.readouterr().err == (
        "created briefs/2025-03-11-port-strike.md\n"
        "created briefs/2025-03-11-port-strike.yaml\n"
        "next: paste the article into briefs/2025-03-11-port-strike.md, annotate "
        "briefs/2025-03-11-port-strike.yaml, then run: site-builder check\n")
    text = (new_site / "briefs" / "2025-03-11-port-strike.yaml").read_text()
    assert "title: Port strike\ndate: 2025-03-11  #" in text
    assert main(["check", "--strict"]) == 0
    assert capsys.readouterr().err == "checked 2 briefs: 0 errors, 0 warnings\n"


def test_new_takes_a_title_and_a_date(new_site: Path, capsys) -> None:
    assert main(["new", "reply", "--title", 'Iran: the "reply"', "--date", "2024-09-10",
                 "--source", str(new_site)]) == 0
    text = (new_site / "briefs" / "reply.yaml").read_text()
    assert 'title: "Iran: the \\"reply\\""\ndate: 2024-09-10  #' in text
    assert main(["check", "--source", str(new_site)]) == 0


def test_new_never_writes_over_a_brief(new_site: Path, capsys) -> None:
    article = new_site / "briefs" / "x.md"
    article.write_text("Mine.\n")
    assert main(["new", "x", "--source", str(new_site)]) == 1
    assert capsys.readouterr().err == (
        "site-builder: briefs/x.md already exists; nothing was written (choose another name, "
        "or edit that brief)\n")
    assert article.read_text() == "Mine.\n"
    assert not (new_site / "briefs" / "x.yaml").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["Port Strike"], "site-builder new: 'Port Strike' is not a valid slug: lowercase letters, "
                      "digits and single hyphens, e.g. 'port-strike'"),
    (["_draft"], "site-builder new: '_draft' is not a valid slug: lowercase letters, digits "
                 "and single hyphens, e.g. 'draft'"),
    (["x", "--date", "11/03/2025"], "site-builder new: argument --date: '11/03/2025' is not a "
     "date: it reads two ways: 11 March 2025 (2025-03-11) or 3 November 2025 (2025-11-03); "
     "write the one you mean as YYYY-MM-DD"),
    (["x", "--date", "2025-02-30"], "site-builder new: argument --date: '2025-02-30' is not a "
     "date: it is not a real date (day is out of range for month)"),
])
def test_new_refuses_a_wrong_command_line(new_site: Path, args: list[str], message: str,
                                          capsys) -> None:
    assert main(["new", *args, "--source", str(new_site)]) == 2
    assert capsys.readouterr().err == message + "\n"
    assert sorted(p.name for p in (new_site / "briefs").iterdir()) == [
        "2025-01-15-port-expansion.md", "2025-01-15-port-expansion.yaml", "_actors.yaml"]


def test_new_outside_a_site(tmp_path: Path, capsys) -> None:
    assert main(["new", "x", "--source", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"site-builder: no 'briefs/' folder in {tmp_path}: run the command in a site's folder "
        "(or a folder inside it), or give it with --source DIR\n")


# --- init's notes -----------------------------------------------------------------------------

def test_site_builder_s_own_folder_is_known(tmp_path: Path) -> None:
    assert own_clone(ROOT / "my-site") == ROOT  # an editable install, as the README makes
    assert own_clone(ROOT / "deep" / "my-site") == ROOT
    assert own_clone(tmp_path / "my-site") is None
    other = tmp_path / "site-builder-0.2"  # another clone, of another version
    (other / "site_builder").mkdir(parents=True)
    (other / "site_builder" / "__init__.py").write_text("")
    (other / "pyproject.toml").write_text("[project]\nname = 'site-builder'\n")
    assert own_clone(other / "my-site") == other


def test_init_says_when_site_builder_is_not_on_the_path(tmp_path: Path) -> None:
    """The README's install puts site-builder in .venv/bin: run from there, with a PATH
    that does not have it, `init` says how to run it."""
    command = Path(sys.executable).parent / "site-builder"
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    done = subprocess.run([str(command), "init", str(tmp_path / "site")], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert f"next: cd {tmp_path / 'site'} && {command.resolve()} serve" in lines
    assert (f"note: the command site-builder is not on your PATH: run it as "
            f"{command.resolve()}, or activate its virtual environment first (source "
            f"{command.resolve().parent}/activate), or install it for every terminal with "
            "pipx (pipx install site-builder)") in lines


def test_init_in_the_clone_prints_the_note(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("site_builder.cli.starting.own_clone", lambda directory: tmp_path)
    site = tmp_path / "my-site"
    assert main(["init", str(site)]) == 0
    assert (f"note: {site} is inside site-builder's own folder ({tmp_path}); a site is best "
            "kept in a folder of its own, which becomes its own git repository: e.g. "
            "site-builder init ~/my-site") in capsys.readouterr().err.splitlines()
