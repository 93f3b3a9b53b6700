"""Parallel builds: the same bytes whatever the number of worker processes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from servetools import tree
from sitetools import generate_corpus

from site_builder.base import parallel
from site_builder.base.diagnostics import Diagnostics
from site_builder.build.builder import Builder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_corpus(tmp_path_factory.mktemp("corpus"), 300, 60)


def test_run_keeps_the_order_of_items_whatever_the_workers() -> None:
    def task(payload: int, i: int) -> int:
        return payload * i

    assert parallel.run(task, 3, 500, jobs=1) == [3 * i for i in range(500)]
    assert parallel.run(task, 3, 500, jobs=2) == [3 * i for i in range(500)]


def test_progress_counts_every_chunk_as_it_is_read_ending_at_the_total() -> None:
    def task(payload: None, i: int) -> int:
        return i

    for jobs in (1, 2):
        seen: list[tuple[int, int]] = []
        parallel.run(task, None, 1000, jobs, lambda done, total, seen=seen:
                     seen.append((done, total)))
        dones = [done for done, _ in seen]
        assert dones == sorted(set(dones)) and dones[-1] == 1000
        assert len(seen) == 16 * jobs and {total for _, total in seen} == {1000}


def test_the_parent_hands_over_often_while_workers_run_then_as_before() -> None:
    def task(payload: None, i: int) -> float:
        return sys.getswitchinterval()

    before = sys.getswitchinterval()
    seen = set(parallel.run(task, None, 500, jobs=2))
    assert parallel.SWITCH_INTERVAL in seen  # the parent's own share ran with it
    assert sys.getswitchinterval() == before


def test_one_worker_and_two_workers_write_the_same_bytes(corpus: Path, tmp_path: Path) -> None:
    outputs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out-{jobs}"
        diags = Diagnostics()
        outcome = Builder(corpus, out, jobs=jobs).build(diags)
        assert outcome.report is not None, [str(d) for d in diags.errors]
        outputs[jobs] = tree(out)
    assert len(outputs[1]) > 600
    assert outputs[1].keys() == outputs[2].keys()
    assert [p for p in outputs[1] if outputs[1][p] != outputs[2][p]] == []


def test_progress_reports_every_stage_to_the_end(corpus: Path, tmp_path: Path) -> None:
    seen: dict[str, tuple[int, int]] = {}
    builder = Builder(corpus, tmp_path / "out", jobs=2,
                      progress=lambda stage, done, total: seen.__setitem__(stage, (done, total)))
    assert builder.build(Diagnostics()).report is not None
    assert seen["annotations"][0] == seen["annotations"][1] == 300
    assert seen["articles"][0] == seen["articles"][1] == 300
    assert seen["pages"][0] == seen["pages"][1] > 600
