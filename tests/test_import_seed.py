"""`site-builder import` on the seed article: every quotation, its speaker, the metadata.

The seed (an AFP wire story saved with its page chrome) is imported into a
fresh site twice: with the repository's actor registry, where every speaker
is a known actor, and with an empty registry, where speakers are drafted as
new actors with the roles the article gives. Both drafts must pass `check`.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from sitetools import checked_site

from site_builder.base.diagnostics import Diagnostics
from site_builder.cli.commands import main

REPO = Path(__file__).resolve().parent.parent
SEED_NAME = "000_6513786e4494a05a.txt"
SEED = REPO / "seeds" / SEED_NAME  # the project's copy of the first real article
SLUG = "2024-09-09-us-warns-consequences-iran-sends"

# Every direct quotation of the article, in order, with the registry id of its speaker.
QUOTATIONS = [
    ("We are aware of the credible information provided by allies on the delivery of "
     "Iranian ballistic missiles to Russia", "peter-stano"),
    ("We are looking further into it with our member states and if confirmed, this delivery "
     "would represent a substantive material escalation in Iran's support for Russia's "
     "illegal war of aggression against Ukraine", "peter-stano"),
    ("the EU leaders' unanimous position has always been clear. The European Union will "
     "respond swiftly and in coordination with international partners, including with new "
     "and significant restrictive measures against Iran", "peter-stano"),
    ("We strongly reject the claims on Iran's role in exporting arms to one side of the war",
     "nasser-kanani"),
    ("Any transfer of Iranian ballistic missiles to Russia would represent a dramatic "
     "escalation in Iran's support for Russia's war of aggression against Ukraine",
     "vedant-patel"),
    ("We have been clear... that we're prepared to deliver significant consequences",
     "vedant-patel"),
    ("We have seen this report, it is not every time that this kind of information is true",
     "dmitry-peskov"),
    ("Iran is our important partner, we are developing our trade and economic relations, we "
     "are developing our cooperation and dialogue in all possible areas, including the most "
     "sensitive areas", "dmitry-peskov"),
]
SCARE_QUOTES = ("credible", "significant consequences", "escalation", "severe")


def make_site(tmp_path: Path, registry: str | None) -> tuple[Path, Path]:
    """A site with `registry` as briefs/_actors.yaml, and the seed copied into it."""
    root = tmp_path / "site"
    (root / "briefs").mkdir(parents=True)
    (root / "seeds").mkdir()
    if registry is not None:
        (root / "briefs" / "_actors.yaml").write_text(registry, encoding="utf-8")
    seed = root / "seeds" / SEED_NAME
    shutil.copyfile(SEED, seed)
    return root, seed


def import_seed(tmp_path: Path, registry: str | None) -> tuple[Path, dict]:
    root, seed = make_site(tmp_path, registry)
    assert main(["import", str(seed), "--source", str(root)]) == 0
    notes = yaml.safe_load((root / "briefs" / f"{SLUG}.yaml").read_text(encoding="utf-8"))
    return root, notes


def quoted(notes: dict) -> list[tuple[str, str]]:
    """(quote, speaker id) of every drafted claim and response, in article order."""
    entries = [*notes.get("claims", []), *notes.get("responses", [])]
    return [(e["quote"] if isinstance(e["quote"], str) else e["quote"]["exact"], e["by"])
            for e in entries]


def check(root: Path) -> Diagnostics:
    diags = Diagnostics()
    checked_site(root, diags)
    return diags


@pytest.fixture
def repo_registry() -> str:
    return (REPO / "briefs" / "_actors.yaml").read_text(encoding="utf-8")


def test_seed_with_the_registry_finds_every_quotation_and_speaker(tmp_path, repo_registry):
    root, notes = import_seed(tmp_path, repo_registry)

    assert quoted(notes) == QUOTATIONS
    assert notes["title"] == "US warns of 'consequences' if Iran sends missiles to Russia"
    assert notes["date"] == dt.date(2024, 9, 9)
    assert notes["source"] == {"outlet": "Agence France-Presse"}
    assert "actors" not in notes  # every speaker is in the registry
    diags = check(root)
    assert diags.errors == []
    ours = [d for d in diags.warnings if d.span.path.startswith(f"briefs/{SLUG}")]
    assert ours == []


def test_seed_draft_scheme_is_one_claim_answered_by_the_others(tmp_path, repo_registry):
    _, notes = import_seed(tmp_path, repo_registry)

    [claim] = notes["claims"]
    assert claim["by"] == "peter-stano"
    assert claim["status"] == "unverified"
    assert claim["text"] == QUOTATIONS[0][0]
    assert {r["claim"] for r in notes["responses"]} == {claim["id"]}
    assert {r["stance"] for r in notes["responses"]} == {"asserts"}


def test_seed_with_an_empty_registry_drafts_the_speakers_as_actors(tmp_path):
    root, notes = import_seed(tmp_path, None)

    assert quoted(notes) == QUOTATIONS
    actors = {a["id"]: a for a in notes["actors"]}
    assert actors == {
        "peter-stano": {"id": "peter-stano", "name": "Peter Stano", "kind": "person",
                        "role": "EU spokesman"},
        "nasser-kanani": {"id": "nasser-kanani", "name": "Nasser Kanani", "kind": "person",
                          "role": "Iranian foreign ministry spokesman"},
        "vedant-patel": {"id": "vedant-patel", "name": "Vedant Patel", "kind": "person",
                         "role": "State Department spokesman"},
        "dmitry-peskov": {"id": "dmitry-peskov", "name": "Dmitry Peskov", "kind": "person",
                          "role": "Kremlin spokesman"},
    }
    diags = check(root)
    assert (diags.errors, diags.warnings) == ([], [])


def test_a_role_naming_a_known_actor_gives_part_of(tmp_path):
    registry = "actors:\n  - id: eu\n    name: European Union\n    kind: organization\n" \
               "    aliases: [EU]\n"
    root, notes = import_seed(tmp_path, registry)

    stano = next(a for a in notes["actors"] if a["id"] == "peter-stano")
    assert stano["part_of"] == "eu"
    assert check(root).errors == []


def test_seed_article_is_the_hand_made_one(tmp_path, repo_registry):
    """Chrome, byline, date, captions and codes dropped; the crosshead a heading; text intact."""
    root, _ = import_seed(tmp_path, repo_registry)

    article = (root / "briefs" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert article == (REPO / "briefs" / "2024-09-09-iran-missiles-russia.md").read_text(
        encoding="utf-8")


def test_scare_quotes_are_not_drafted(tmp_path, repo_registry):
    _, notes = import_seed(tmp_path, repo_registry)

    quotes = [q for q, _ in quoted(notes)]
    for scare in SCARE_QUOTES:
        assert scare not in quotes


def test_every_draft_entry_asks_the_editor(tmp_path, repo_registry):
    root, notes = import_seed(tmp_path, repo_registry)

    text = (root / "briefs" / f"{SLUG}.yaml").read_text(encoding="utf-8")
    entries = len(notes["claims"]) + len(notes["responses"])
    assert text.count("# EDITOR: choose the stance") == entries - 1
    assert text.count("# EDITOR: the article's first quotation") == 1
    comments = " ".join(text.replace("#", " ").split())
    assert '"reject" suggests denies' in comments
