"""`import` on raw articles written in the manner of wire copy (tests/fixtures/import/).

Each article has an `<name>.expected.json` beside it: the headline, date,
outlet and author it gives, and every direct quotation with its speaker's name
(null for a speaker the article does not name). `test_precision_and_recall`
measures the quote-speaker pairs found over all fixtures and prints the
figures (run pytest with -s to see them).

What counts as a quotation: words between quotation marks that someone says,
either a whole quotation or a quoted fragment of four words or more inside a
sentence that names its speaker. Shorter quoted fragments ("credible",
"priced in") are scare quotes or labels and are listed under `not_quotations`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sitetools import checked_site

from site_builder.base.diagnostics import Diagnostics
from site_builder.cli.commands import main
from site_builder.importer.cleaning import clean
from site_builder.importer.htmltext import read_page
from site_builder.importer.run import analyse
from site_builder.text.readertext import normalise

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
EXPECTED = sorted(FIXTURES.glob("*.expected.json"))
MIN_PRECISION = 0.9
MIN_RECALL = 0.9


def source_of(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.json")
    [source] = [p for p in FIXTURES.glob(f"{stem}.*") if not p.name.endswith(".json")]
    return source


def found_pairs(source: Path) -> tuple[list[tuple[str, str | None]], object]:
    page = read_page(source.read_text(encoding="utf-8"), source.name)
    article = clean(page)
    return [(normalise(q), who) for q, who in analyse(page, article, []).pairs()], article


def wanted_pairs(expected: dict) -> list[tuple[str, str | None]]:
    return [(normalise(q["quote"]), q["speaker"]) for q in expected["quotations"]]


def test_there_are_enough_fixtures():
    assert len(EXPECTED) >= 5


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_fixture_metadata_and_quotations(expected_path):
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    pairs, article = found_pairs(source_of(expected_path))

    assert article.headline == expected["headline"]
    assert (article.date.isoformat() if article.date else None) == expected["date"]
    assert article.outlet == expected["outlet"]
    assert article.author == expected["author"]
    assert pairs == wanted_pairs(expected)
    quotes = {q for q, _ in pairs}
    for words in expected.get("not_quotations", []):
        assert not any(words in q for q in quotes), words


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_fixture_cleaning(expected_path):
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    _, article = found_pairs(source_of(expected_path))
    texts = [b.text for b in article.blocks]

    for line in expected.get("dropped", []):
        assert line in article.dropped and line not in texts
    for heading in expected.get("headings", []):
        assert any(b.kind == "h" and b.text == heading for b in article.blocks)
    for words in expected.get("absent", []):
        assert not any(words in text for text in texts), words


def test_precision_and_recall():
    found_total = wanted_total = correct = 0
    rows = []
    for expected_path in EXPECTED:
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        found, _ = found_pairs(source_of(expected_path))
        wanted = wanted_pairs(expected)
        right = sum(1 for pair in found if pair in wanted)
        rows.append(f"  {expected_path.name.split('.')[0]:28} found {len(found):2}  "
                    f"expected {len(wanted):2}  right {right:2}")
        found_total += len(found)
        wanted_total += len(wanted)
        correct += right
    precision = correct / found_total
    recall = correct / wanted_total
    print("\nquote-speaker pairs over all import fixtures:", *rows,
          f"  precision {precision:.3f} ({correct}/{found_total}), "
          f"recall {recall:.3f} ({correct}/{wanted_total})", sep="\n")
    assert precision >= MIN_PRECISION
    assert recall >= MIN_RECALL


def test_every_fixture_imports_into_one_site_that_checks_clean(tmp_path, capsys):
    """All fixtures into one site with no registry: drafts pass `check --strict`."""
    root = tmp_path / "site"
    (root / "briefs").mkdir(parents=True)
    sources = [str(source_of(p)) for p in EXPECTED]

    assert main(["import", *sources, "--source", str(root)]) == 0
    assert main(["check", "--source", str(root), "--strict"]) == 0
    assert len(list((root / "briefs").glob("*.yaml"))) == len(EXPECTED)
    assert capsys.readouterr().err.count("wrote briefs/") == len(EXPECTED)


def test_quotations_anchor_where_the_article_has_them(tmp_path):
    """Quotes left to the editor are comments; the drafted ones all anchor (no error)."""
    root = tmp_path / "site"
    (root / "briefs").mkdir(parents=True)
    assert main(["import", str(FIXTURES / "markdown_valencia_floods.md"),
                 "--source", str(root)]) == 0
    diags = Diagnostics()
    checked = checked_site(root, diags)
    [brief] = checked.site.briefs
    anchors = checked.articles[brief.slug].anchors
    assert diags.errors == []
    assert len(anchors) == len(brief.claims) + len(brief.responses) == 3
    text = (root / brief.yaml_path).read_text(encoding="utf-8")
    assert '"Nobody came' in text and "speaker not certain" in text
