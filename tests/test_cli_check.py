"""`site-builder check`: the report, the summary line, exit codes, and never a traceback."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ARTICLE, BRIEF, REGISTRY, actor_entry, billion_laughs, dedent

from site_builder.cli.commands import main

SUMMARY_OK = "checked 1 brief: 0 errors, 0 warnings"


def run_check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["check", "--source", str(root), *extra])
    captured = capsys.readouterr()
    assert captured.out == ""
    return code, captured.err


def test_a_valid_site_exits_0_with_the_summary_line(make_site, valid_files, capsys) -> None:
    code, err = run_check(make_site(valid_files), capsys)
    assert (code, err) == (0, SUMMARY_OK + "\n")


def test_strict_on_a_valid_site(make_site, valid_files, capsys) -> None:
    code, err = run_check(make_site(valid_files), capsys, "--strict")
    assert (code, err) == (0, SUMMARY_OK + "\n")


def test_errors_exit_1_and_are_shown_with_hint_and_source_line(make_site, valid_files,
                                                                capsys) -> None:
    root = make_site({**valid_files,
                       "briefs/missiles.yaml": BRIEF.replace("by: iran", "by: irna")})
    code, err = run_check(root, capsys)
    assert code == 1
    assert err == dedent("""
        briefs/missiles.yaml:13:9: error: unknown actor 'irna'
          hint: did you mean 'iran'?
           13 |     by: irna
                        ^
        checked 1 brief: 1 error, 0 warnings
        """)


def warnings_only(valid_files: dict[str, str | bytes]) -> dict[str, str | bytes]:
    return {**valid_files, "briefs/_actors.yaml": REGISTRY + actor_entry("china", "China")}


def test_warnings_only_exit_0_without_strict(make_site, valid_files, capsys) -> None:
    code, err = run_check(make_site(warnings_only(valid_files)), capsys)
    assert code == 0
    assert err.splitlines()[0] == (
        "briefs/_actors.yaml:8:5: warning: no brief mentions the actor 'china'")
    assert err.splitlines()[-1] == "checked 1 brief: 0 errors, 1 warning"


def test_an_actor_no_brief_names_yet_exits_0_with_strict(make_site, valid_files,
                                                         capsys) -> None:
    """The state of the news, not a mistake: `--strict` lets it pass (see test_strict.py)."""
    code, err = run_check(make_site(warnings_only(valid_files)), capsys, "--strict")
    assert code == 0
    assert err.splitlines()[-1] == ("checked 1 brief: 0 errors, 1 warning "
                                    "(1 on news still unfolding, which --strict lets pass)")


def test_other_warnings_exit_1_with_strict(make_site, valid_files, capsys) -> None:
    files = {**valid_files, "briefs/missiles.md": ARTICLE + "\x1b[2J\n"}
    code, err = run_check(make_site(files), capsys, "--strict")
    assert code == 1
    assert err.splitlines()[-1] == "checked 1 brief: 0 errors, 1 warning"


def test_a_name_split_by_markup_warns_neither_check_nor_build(make_site, valid_files, capsys,
                                                             tmp_path) -> None:
    """`**Maria** Lindqvist` names her, on her page as in the checks: `--strict` passes."""
    registry = REGISTRY + actor_entry("maria-lindqvist", "Maria Lindqvist", "person")
    root = make_site({**valid_files, "briefs/_actors.yaml": registry, "briefs/missiles.md":
                      ARTICLE + "\n**Maria** Lindqvist declined to comment.\n"})
    for strict in ((), ("--strict",)):
        assert run_check(root, capsys, *strict) == (0, SUMMARY_OK + "\n")
    out = tmp_path / "out"
    code = main(["build", "--strict", "--source", str(root), "--output", str(out)])
    assert code == 0
    assert " written, 0 unchanged, 0 removed, 0 warnings, " in capsys.readouterr().err
    page = (out / "actors" / "maria-lindqvist" / "index.html").read_text(encoding="utf-8")
    assert 'Mentioned</span> <a href="../../briefs/missiles/' in page


def test_summary_counts_every_problem_of_every_file(make_site, valid_files, capsys) -> None:
    other = dedent("""
        title: Second
        date: 2024-13-01
        source: {outlet: AFP}
        """)
    root = make_site({**warnings_only(valid_files), "briefs/second.md": "Text.\n",
                       "briefs/second.yaml": other, "briefs/third.md": "Text.\n"})
    code, err = run_check(root, capsys)
    assert code == 1
    lines = [line for line in err.splitlines() if ": error: " in line or ": warning: " in line]
    assert lines == [
        "briefs/_actors.yaml:8:5: warning: no brief mentions the actor 'china'",
        "briefs/second.yaml:2:7: error: '2024-13-01' is not a real date for 'date': "
        "month must be in 1..12",
        "briefs/third.md:1:1: error: the article 'third.md' has no annotations: "
        "'briefs/third.yaml' is missing",
    ]
    assert err.splitlines()[-1] == "checked 2 briefs: 2 errors, 1 warning"


def test_no_briefs_folder(tmp_path, capsys) -> None:
    code, err = run_check(tmp_path, capsys)
    assert code == 1
    assert err.splitlines() == [
        f"briefs:1:1: error: no 'briefs/' folder in {tmp_path}",
        "  hint: run the command in a site's folder (or a folder inside it), or give it "
        "with --source DIR",
        "checked 0 briefs: 1 error, 0 warnings",
    ]


def test_source_defaults_to_the_current_folder(make_site, valid_files, capsys,
                                               monkeypatch) -> None:
    monkeypatch.chdir(make_site(valid_files))
    assert main(["check"]) == 0
    assert capsys.readouterr().err == SUMMARY_OK + "\n"


def test_wrong_command_line_exits_2(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--no-such-option"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err


# --- no input gives a traceback ---------------------------------------------------------------

def mutations(seed: int, count: int) -> list[tuple[str, str]]:
    """Deterministic random damage to the valid files: deleted and inserted characters."""
    rng = random.Random(seed)
    alphabet = list(":-[]{}&*!|>'\"#%@` \n\t,?~\u201c\u00a0\x00\ufeffü")
    sources = {"briefs/_actors.yaml": REGISTRY, "briefs/missiles.yaml": BRIEF,
               "briefs/missiles.md": ARTICLE,
               "site.yaml": "title: x\nstances:\n  mocks: {polarity: '-'}\n"}
    out = []
    for _ in range(count):
        rel = rng.choice(sorted(sources))
        chars = list(sources[rel])
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(len(chars))
            if rng.random() < 0.5:
                del chars[i]
            else:
                chars.insert(i, rng.choice(alphabet))
        out.append((rel, "".join(chars)))
    return out


BROKEN: dict[str, dict[str, str | bytes]] = {
    "yaml syntax": {"briefs/missiles.yaml": "title: Iran: the reply\n"},
    "billion laughs": {"briefs/missiles.yaml": billion_laughs()},
    "binary yaml": {"briefs/missiles.yaml": bytes(range(256))},
    "binary article": {"briefs/missiles.md": b"\x89PNG\r\n\x1a\n\x00\x00"},
    "nul in article": {"briefs/missiles.md": ARTICLE + "\x00\x00\n"},
    "empty files": {"briefs/missiles.yaml": "", "briefs/missiles.md": "",
                    "briefs/_actors.yaml": "", "site.yaml": ""},
    "yaml is a list": {"briefs/missiles.yaml": "- a\n- b\n", "briefs/_actors.yaml": "[1]\n",
                       "site.yaml": "- x\n"},
    "yaml is text": {"briefs/missiles.yaml": "just text\n", "briefs/_actors.yaml": "actors\n",
                     "site.yaml": "42\n"},
    "deep nesting": {"briefs/missiles.yaml": "title: " + "[" * 5000 + "]" * 5000 + "\n"},
    "pathological markdown": {"briefs/missiles.md": "*" * 5000 + "\n" + "[" * 5000 + "\n"
                              + "> " * 2000 + "x\n" + "- " * 2000 + "y\n" + "`" * 3000 + "\n"},
    "odd keys": {"briefs/missiles.yaml": "? [a]\n: b\n1: 2\n~: 3\n"},
    "tagged values": {"briefs/missiles.yaml": BRIEF.replace("title:", "title: !!binary")
                      .replace("date: 2024-09-09", "date: !!timestamp 2024-09-09")},
    "quote shapes": {"briefs/missiles.yaml": BRIEF.replace(
        "quote: We strongly reject the claims", "quote: {exact: [a], prefix: {b: c}}")},
    "part_of loop": {"briefs/_actors.yaml": REGISTRY.replace(
        "kind: state", "kind: state\n    part_of: eu").replace(
        "kind: organization", "kind: organization\n    part_of: iran")},
    "stances garbage": {"site.yaml": "stances: {a: [], b: {polarity: [x]}, 'C D': 1, denies: 2}\n"},
    "half pair and yml": {"briefs/lonely.md": "x", "briefs/orphan.yml": "title: x"},
    "bad slug": {"briefs/Bad Name.md": ARTICLE, "briefs/Bad Name.yaml": BRIEF},
    "folder named like a brief": {"briefs/folder.md/readme.md": "x", "briefs/folder.yaml": BRIEF},
    **{f"mutation {n}": {rel: text} for n, (rel, text) in enumerate(mutations(7, 60))},
}


@pytest.mark.parametrize("damage", BROKEN.values(), ids=list(BROKEN))
def test_no_input_gives_a_traceback(damage, make_site, valid_files, capsys) -> None:
    code, err = run_check(make_site({**valid_files, **damage}), capsys)
    assert code in (0, 1)
    assert "Traceback" not in err
    last = err.splitlines()[-1]
    assert last.startswith("checked ") and " error" in last and " warning" in last


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_broken_and_looping_symlinks(make_site, valid_files, capsys) -> None:
    root = make_site(valid_files)
    os.symlink(root / "briefs" / "nowhere.md", root / "briefs" / "dangling.md")
    os.symlink(root / "briefs" / "loop.yaml", root / "briefs" / "loop.yaml")
    code, err = run_check(root, capsys)
    assert (code, err) == (0, SUMMARY_OK + "\n")


def test_python_m_site_builder_on_a_broken_site(make_site, valid_files) -> None:
    root = make_site({**valid_files, "briefs/missiles.yaml": billion_laughs(),
                       "briefs/other.md": bytes([0xC3, 0x28]), "briefs/other.yaml": BRIEF,
                       "briefs/third.md": ARTICLE, "briefs/third.yaml": "title: [\n"})
    result = subprocess.run([sys.executable, "-m", "site_builder", "check", "--source",
                             str(root)], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.splitlines()[-2:] == [
        "note: 2 warnings not shown: they may only follow from what could not be read "
        "(briefs/missiles.yaml, briefs/other.md, briefs/third.yaml); fix them first",
        "checked 0 briefs; 3 briefs could not be read: 3 errors, 0 warnings"]
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        "briefs/missiles.yaml:4:4: error: this value is reused through a YAML alias (*name); "
        "anchors and aliases are not allowed in site-builder's YAML files",
        "briefs/other.md:1:1: error: the file is not UTF-8 text (byte 0xc3 cannot be read)",
        "briefs/third.yaml:1:8: error: this list in brackets is never closed with ']'",
    ]
