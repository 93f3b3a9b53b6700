"""The JSON Schemas for editors (issue 22, item 6): valid draft-07, true to the format as the
checker reads it, and checked with check-jsonschema against the example site, a new site of
`init` and a brief of `import`; the site's `.schema/` is written by `check` and `build`, with
the site's actor ids, only when it changes, and never through a link."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_import_cli import ARTICLE as RAW_ARTICLE

from site_builder.cli.commands import main
from site_builder.source import annotations
from site_builder.source.model import ACTOR_KINDS, BUILTIN_STANCES, Status
from site_builder.source.schema import (
    MODELINE,
    REGISTRY_MODELINE,
    SCHEMAS,
    schema_text,
    site_schema,
)

ROOT = Path(__file__).resolve().parent.parent
BRIEF = "briefs/2025-01-15-port-expansion.yaml"
VERDICT = """\
    verdicts:
      - status: disputed
        date: {}
        reason: The union disputes the figures.
        evidence: {}"""


def validate(schema: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile",
                           str(schema), *map(str, files)], capture_output=True, text=True,
                          timeout=300)


def valid(schema: Path, *files: Path) -> None:
    done = validate(schema, *files)
    assert done.returncode == 0, done.stdout + done.stderr


def briefs_of(site: Path) -> list[Path]:
    return sorted(p for p in (site / "briefs").glob("*.yaml") if not p.name.startswith("_"))


# --- the schemas themselves -----------------------------------------------------------------

def test_the_shipped_schemas_are_draft_07() -> None:
    for name in ("brief.schema.json", "actors.schema.json", "site.schema.json"):
        done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--check-metaschema",
                               str(SCHEMAS / name)], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        assert json.loads((SCHEMAS / name).read_text())["$schema"] == \
            "http://json-schema.org/draft-07/schema#"


def test_the_schemas_name_the_fields_the_checker_reads() -> None:
    brief = json.loads((SCHEMAS / "brief.schema.json").read_text())
    actors = json.loads((SCHEMAS / "actors.schema.json").read_text())
    defs = brief["definitions"]
    assert tuple(brief["properties"]) == annotations.BRIEF_FIELDS
    assert tuple(brief["properties"]["source"]["properties"]) == annotations.SOURCE_FIELDS
    assert tuple(defs["claim"]["properties"]) == annotations.CLAIM_FIELDS
    assert tuple(defs["response"]["properties"]) == annotations.RESPONSE_FIELDS
    assert tuple(defs["quote"]["anyOf"][1]["properties"]) == annotations.QUOTE_FIELDS
    assert tuple(actors["definitions"]["actor"]["properties"]) == annotations.ACTOR_FIELDS


def test_the_shipped_site_schema_is_the_one_made_for_no_site() -> None:
    shipped = (SCHEMAS / "site.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_text(site_schema(None, BUILTIN_STANCES))
    values = json.loads(shipped)["definitions"]
    assert [v["const"] for v in values["stance"]["anyOf"]] == [s.name for s in BUILTIN_STANCES]
    assert [v["const"] for v in values["status"]["anyOf"]] == [s.value for s in Status]
    assert [v["const"] for v in values["kind"]["anyOf"]] == list(ACTOR_KINDS)


# --- what they validate ---------------------------------------------------------------------

def test_the_example_site_validates(tmp_path: Path, capsys) -> None:
    valid(SCHEMAS / "brief.schema.json", *briefs_of(ROOT))
    valid(SCHEMAS / "actors.schema.json", ROOT / "briefs" / "_actors.yaml")
    site = tmp_path / "example"  # with the schemas `check` writes for it: its actor ids
    shutil.copytree(ROOT / "briefs", site / "briefs")
    shutil.copy(ROOT / "site.yaml", site / "site.yaml")
    assert main(["check", "--source", str(site)]) == 0
    valid(site / ".schema" / "brief.schema.json", *briefs_of(site))
    valid(site / ".schema" / "actors.schema.json", site / "briefs" / "_actors.yaml")


def test_a_new_site_validates_and_names_its_schemas(new_site: Path) -> None:
    assert (new_site / BRIEF).read_text().splitlines()[0] == MODELINE
    assert (new_site / "briefs" / "_actors.yaml").read_text().splitlines()[0] == \
        REGISTRY_MODELINE
    valid(new_site / ".schema" / "brief.schema.json", new_site / BRIEF)
    valid(new_site / ".schema" / "actors.schema.json", new_site / "briefs" / "_actors.yaml")


def test_an_imported_brief_validates(new_site: Path, tmp_path: Path, capsys) -> None:
    raw = tmp_path / "article.txt"
    raw.write_text(RAW_ARTICLE, encoding="utf-8")
    assert main(["import", str(raw), "--source", str(new_site)]) == 0
    imported = [p for p in briefs_of(new_site) if p.name != Path(BRIEF).name]
    assert len(imported) == 1 and imported[0].read_text().splitlines()[0] == MODELINE
    # its new actors (declared in it) are in the site's schema: `import` checked the site
    valid(new_site / ".schema" / "brief.schema.json", *imported)


def test_a_new_brief_validates(new_site: Path, capsys) -> None:
    assert main(["new", "2025-03-11-port-strike", "--source", str(new_site)]) == 0
    valid(new_site / ".schema" / "brief.schema.json", new_site / "briefs" /
          "2025-03-11-port-strike.yaml")


@pytest.mark.parametrize(("change", "ok"), [
    (("stance: disputes", "stance: denies"), True),
    (("stance: disputes", "stance: rejects"), False),
    (("by: tomas-okafor", "by: dockworkers-union"), True),
    (("by: tomas-okafor", "by: tomas-okafur"), False),  # the site's actors, as `check` wrote
    (("    note:", "    date: 2025-01-16\n    note:"), True),
    (("    note:", "    date: 16/01/2025\n    note:"), False),
    (("  outlet: Example Wire", "  outlet: Example Wire\n  author: Jane Doe"), True),
    (("  outlet: Example Wire", "  outlet: Example Wire\nauthor: Jane Doe"), False),
    # a claim's verdicts, which stand for its status
    (("    status: unverified", VERDICT.format("2025-01-16", "https://example.org/union")), True),
    (("    status: unverified", "    status: disputed\n" + VERDICT.format(
        "2025-01-16", "[2025-01-15-port-expansion, https://example.org/union]")), True),
    (("    status: unverified", VERDICT.format("16/01/2025", "https://example.org/union")), False),
    (("    status: unverified", VERDICT.format("2025-01-16", "the union's statement")), False),
    (("    status: unverified", VERDICT.format("2025-01-16", "https://example.org/u").replace(
        "        reason: The union disputes the figures.\n", "")), False),
])
def test_editing_a_brief_is_judged_as_the_checker_would(new_site: Path, change: tuple[str, str],
                                                        ok: bool) -> None:
    path = new_site / BRIEF
    text = path.read_text(encoding="utf-8")
    assert change[0] in text
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    done = validate(new_site / ".schema" / "brief.schema.json", path)
    assert (done.returncode == 0) == ok, done.stdout + done.stderr
    assert (main(["check", "--source", str(new_site)]) == 0) == ok


# --- the site's .schema/ ----------------------------------------------------------------------

def test_check_writes_the_site_s_actor_ids_and_stances(new_site: Path, capsys) -> None:
    (new_site / "site.yaml").write_text("stances:\n  hedges: {polarity: neither, meaning: "
                                        "answers without taking a side}\n", encoding="utf-8")
    assert main(["check", "--source", str(new_site)]) == 0
    values = json.loads((new_site / ".schema" / "site.schema.json").read_text())["definitions"]
    assert values["actorId"]["anyOf"][-1] == {"const": "tomas-okafor",
                                              "description": "Tomas Okafor, Union secretary"}
    assert values["stance"]["anyOf"][-1] == {
        "const": "hedges", "description": "answers without taking a side (neither)"}
    assert values["claimId"]["anyOf"][0]["const"] == "terminal-keeps-all-jobs"
    assert (new_site / ".schema" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_schemas_are_written_only_when_they_change(new_site: Path, capsys) -> None:
    files = sorted((new_site / ".schema").iterdir())
    before = {p.name: p.stat().st_mtime_ns for p in files}
    os.utime(new_site / ".schema" / "site.schema.json", ns=(1, 1))
    assert main(["check", "--source", str(new_site)]) == 0
    assert main(["build", "--source", str(new_site)]) == 0
    after = {p.name: p.stat().st_mtime_ns for p in sorted((new_site / ".schema").iterdir())}
    assert after == {**before, "site.schema.json": 1}
    registry = new_site / "briefs" / "_actors.yaml"
    registry.write_text(registry.read_text().replace("tomas-okafor", "tomas-okafor-2"))
    main(["build", "--source", str(new_site)])
    assert "tomas-okafor-2" in (new_site / ".schema" / "site.schema.json").read_text()


def test_a_schema_folder_that_is_a_link_is_never_written_through(new_site: Path, tmp_path: Path,
                                                                  capsys) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(new_site / ".schema")
    (new_site / ".schema").symlink_to(elsewhere)
    assert main(["check", "--source", str(new_site)]) == 0
    assert list(elsewhere.iterdir()) == []


def test_a_schema_file_that_is_a_link_is_replaced_not_written_through(new_site: Path,
                                                                      tmp_path: Path,
                                                                      capsys) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text("keep\n")
    target = new_site / ".schema" / "site.schema.json"
    target.unlink()
    target.symlink_to(outside)
    assert main(["check", "--source", str(new_site)]) == 0
    assert outside.read_text() == "keep\n"
    assert not target.is_symlink() and "tomas-okafor" in target.read_text()


def test_the_schemas_are_never_published(new_site: Path, capsys) -> None:
    assert main(["build", "--source", str(new_site)]) == 0
    output = new_site / "output"
    assert not [p for p in output.rglob("*") if "schema" in p.name]


def test_a_builder_that_lives_on_makes_the_schemas_again_only_when_they_change(
        new_site: Path) -> None:
    """`serve` keeps one builder: a save that changes no actor, claim or stance costs no
    schema; one that adds an actor brings it to the editor."""
    from site_builder.base.diagnostics import Diagnostics
    from site_builder.build.builder import Builder

    builder = Builder(new_site, new_site / "output", jobs=1)
    schema = new_site / ".schema" / "site.schema.json"
    assert builder.build(Diagnostics()).report is not None
    os.utime(schema, ns=(1, 1))
    brief = new_site / BRIEF
    brief.write_text(brief.read_text().replace("title: Port", "title: The port"))
    assert builder.build(Diagnostics(), {BRIEF}).report is not None
    assert schema.stat().st_mtime_ns == 1
    registry = new_site / "briefs" / "_actors.yaml"
    registry.write_text(registry.read_text() + "  - id: jonas-weber\n    name: Jonas Weber\n"
                        "    kind: person\n")
    builder.build(Diagnostics(), {"briefs/_actors.yaml"})
    assert '"const": "jonas-weber"' in schema.read_text()
