"""`site-builder init DIR`: a new site that checks clean, builds, and never overwrites one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_builder import __version__
from site_builder.cli.commands import main
from site_builder.publish.scaffold import FILES, SCAFFOLD, scaffold_text

SCHEMAS = [".schema/.gitignore", ".schema/actors.schema.json", ".schema/brief.schema.json",
           ".schema/site.schema.json"]  # for editors' completion (see test_schema.py)
EXPECTED = sorted([*FILES.values(), *SCHEMAS])


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_init_then_check_strict_and_build(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "new-site"
    site.mkdir()
    assert main(["init", str(site)]) == 0
    err = capsys.readouterr().err
    assert sorted(files_under(site)) == EXPECTED
    for target in FILES.values():
        assert f"created {site / target}" in err
    assert f"created {site / '.schema'}/ (schemas for editors' completion: see " \
           "docs/format.md)" in err

    assert main(["check", "--strict", "--source", str(site)]) == 0
    assert "checked 1 brief: 0 errors, 0 warnings" in capsys.readouterr().err

    assert main(["build", "--strict", "--source", str(site)]) == 0
    assert re.search(r"\b0 warnings\b", capsys.readouterr().err)
    out = site / "output"
    for page in ("index.html", "404.html", "style.css", ".nojekyll", "robots.txt",
                 "briefs/index.html", "actors/index.html", "claims/index.html",
                 "briefs/2025-01-15-port-expansion/index.html"):
        assert (out / page).is_file(), page
    assert not (out / "CNAME").exists()  # the scaffold names no domain


def test_init_site_builds_under_a_base_url(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert main(["init", str(site)]) == 0
    out = tmp_path / "out"
    assert main(["build", "--strict", "--source", str(site), "--output", str(out),
                 "--base-url", "https://example.github.io/my-briefs/"]) == 0
    assert "https://example.github.io/my-briefs/briefs/2025-01-15-port-expansion/" in \
        (out / "sitemap.xml").read_text(encoding="utf-8")


def test_init_creates_a_folder_that_does_not_exist_yet(tmp_path: Path) -> None:
    site = tmp_path / "a" / "b" / "site"
    assert main(["init", str(site)]) == 0
    assert sorted(files_under(site)) == EXPECTED


def test_init_writes_exactly_the_scaffold(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert main(["init", str(site)]) == 0
    for source, target in FILES.items():
        expected = (SCAFFOLD / source).read_bytes()
        if target == "requirements.txt":  # the one template
            expected = scaffold_text(source).encode()
        assert (site / target).read_bytes() == expected, target
    ignored = (site / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/output/" in ignored


def test_init_refuses_a_folder_that_already_has_a_site(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    assert main(["init", str(site)]) == 0
    (site / "site.yaml").write_text("title: Edited by hand\n", encoding="utf-8")
    before = files_under(site)
    capsys.readouterr()
    assert main(["init", str(site)]) == 1
    err = capsys.readouterr().err
    assert "already holds a site" in err
    assert "Traceback" not in err
    assert files_under(site) == before


@pytest.mark.parametrize("existing", ["site.yaml", "briefs/_actors.yaml", "briefs/other.md"])
def test_init_refuses_any_part_of_a_site(tmp_path: Path, existing: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    path = site / existing
    path.parent.mkdir(parents=True)
    path.write_text("mine\n", encoding="utf-8")
    assert main(["init", str(site)]) == 1
    assert "already holds a site" in capsys.readouterr().err
    assert files_under(site) == {existing: b"mine\n"}


def test_init_refuses_the_example_site(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parent.parent
    assert main(["init", str(root)]) == 1
    assert "already holds a site" in capsys.readouterr().err


def test_init_refuses_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "a-file"
    target.write_text("x", encoding="utf-8")
    assert main(["init", str(target)]) == 1
    assert "is not a folder" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "x"


def test_init_keeps_unrelated_files(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "README.md").write_text("my notes\n", encoding="utf-8")
    assert main(["init", str(site)]) == 0
    assert (site / "README.md").read_text(encoding="utf-8") == "my notes\n"


def test_init_pins_the_site_builder_that_ran_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert main(["init", str(site)]) == 0
    lines = (site / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if not line.startswith("#")] == \
        [f"site-builder[search]=={__version__}"]
    assert "# site-builder @ git+https://github.com/OWNER/site-builder@vX.Y.Z" in lines
    assert "{version}" not in (site / "requirements.txt").read_text(encoding="utf-8")


PUBLISH_STEPS = [
    "to publish it with GitHub Pages:",
    '  git init -b main && git add --all && git commit -m "A new site"',
    "  push it to a new GitHub repository (git remote add origin URL && git push -u origin main)",
    "  then in the repository's Settings > Pages set \"Source\" to \"GitHub Actions\"",
]


def test_init_outside_a_repository_says_how_to_publish(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    assert main(["init", str(site)]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[-5:] == [f"next: cd {site} && site-builder serve", *PUBLISH_STEPS]


@pytest.mark.parametrize("where", [".", "sub/site"])
def test_init_inside_a_repository_says_only_what_is_next(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str) -> None:
    (tmp_path / ".git").mkdir()  # all git itself looks for, and all init looks at
    site = tmp_path / where
    assert main(["init", str(site)]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[-1] == f"next: cd {site} && site-builder serve"
    assert [line for line in lines if not line.startswith("created ")] == [lines[-1]]


def test_a_folder_with_its_own_requirements_is_not_called_a_site(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Another project's requirements.txt is not a site: init says which file it would write
    over, and writes nothing."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "requirements.txt").write_text("requests\n", encoding="utf-8")
    assert main(["init", str(folder)]) == 1
    err = capsys.readouterr().err
    assert f"'{folder}' already holds a file init would write ({folder / 'requirements.txt'}); " \
        "choose an empty or new folder" in err
    assert files_under(folder) == {"requirements.txt": b"requests\n"}
