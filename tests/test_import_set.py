"""The import test set (tests/fixtures/import_set/), measured by benchmarks/import_quality.py.

Seventeen raw articles written for it, text and saved pages, each with its expected
title, outlet, date and quotation-speaker pairs. The drafts must reach the figures of
issue 23: precision of the pairs written as `by:` of at least 0.98, recall of at least
0.90, every title, outlet and date right, no chrome line in any article, and `check`
clean on every draft and on one site holding them all.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "import_quality.py"


@pytest.fixture(scope="module")
def quality():
    spec = importlib.util.spec_from_file_location("import_quality", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_quality"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    del sys.modules["import_quality"]


@pytest.fixture(scope="module")
def results(quality, tmp_path_factory):
    root = tmp_path_factory.mktemp("sites")
    return [quality.measure(source, expected, root / source.stem)
            for source, expected in quality.articles(quality.DEFAULT_SET)]


def test_the_set_has_fifteen_articles_or_more_in_both_forms(quality):
    sources = [source.suffix for source, _ in quality.articles(quality.DEFAULT_SET)]
    assert len(sources) >= 15
    assert ".txt" in sources and ".html" in sources


def test_precision_and_recall_of_the_written_pairs(quality, results):
    figures = quality.figures(results)
    assert figures["precision"] >= 0.98
    assert figures["recall"] >= 0.90
    assert figures["offered_recall"] >= figures["recall"]


def test_every_title_outlet_and_date_is_right(results):
    assert {r.name: r.wrong_fields for r in results if r.wrong_fields} == {}


def test_no_chrome_line_reaches_a_draft(results):
    assert {r.name: r.chrome for r in results if r.chrome} == {}


def test_every_draft_checks_clean(quality, results, tmp_path):
    assert {r.name: r.problems for r in results if r.problems} == {}
    assert quality.combined_check(quality.articles(quality.DEFAULT_SET), tmp_path / "all") == 0
