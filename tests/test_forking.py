"""A process that runs other threads never forks: a lock another thread holds at the fork
stays held in the child for ever, and whatever takes it there hangs (Python 3.12 warns).

`serve` runs its server and file watcher in threads: its rebuilds, once they run, share no
work with forked workers, and the cache's writer is not forked either. `build` runs no other
thread, and forks as before. Each test records every fork of this process with the number
of threads running then.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from servetools import SEED_SLUG, LiveSite, replace_in
from test_cache import many_briefs

from site_builder.base import parallel
from site_builder.base.diagnostics import Diagnostics
from site_builder.build import storewrite
from site_builder.build.builder import Builder
from site_builder.build.cache import unchanged_since_last_build


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of threads this process ran at each of its forks from now on."""
    seen: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        seen.append(threading.active_count())
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    return seen


@contextmanager
def another_thread() -> Iterator[None]:
    """A second thread, waiting, while in the block."""
    done = threading.Event()
    thread = threading.Thread(target=done.wait, name="another-thread", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def times(payload: int, i: int) -> int:
    return payload * i


def test_work_is_shared_with_forked_workers_only_without_other_threads(
        forks: list[int]) -> None:
    with another_thread():
        assert parallel.run(times, 3, 500, jobs=2) == [3 * i for i in range(500)]
    assert forks == []
    assert parallel.run(times, 3, 500, jobs=2) == [3 * i for i in range(500)]
    assert forks and set(forks) == {1}  # as before: a worker forked


def test_serve_forks_nothing_once_its_threads_run(live_site: Callable[..., LiveSite],
                                                  example_site: Path, forks: list[int],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)  # every rebuild worth sharing
    monkeypatch.setattr(storewrite, "BACKGROUND_BRIEFS", 1)  # and every save of the cache
    run = parallel.run
    monkeypatch.setattr(parallel, "run", lambda task, payload, count, jobs, progress=None:
                        run(task, payload, count, 2, progress))  # two workers on any machine
    live = live_site()
    assert threading.active_count() > 1  # the server, the watcher, the rebuild loop
    replace_in(example_site / "briefs" / f"{SEED_SLUG}.yaml", "title: ", "title: Now ")
    live.wait_for_rebuilds(1)
    rendered = re.search(r"changed: (\d+) pages rendered", live.log.getvalue())
    assert rendered is not None and int(rendered[1]) > 1
    live.wait_for_output(lambda: "Now " in (live.out / "index.html").read_text())
    assert [count for count in forks if count > 1] == []


def test_the_cache_is_written_in_the_process_while_other_threads_run(
        tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storewrite, "BACKGROUND_BRIEFS", 1)
    root = many_briefs(tmp_path / "site")
    with another_thread():
        outcome = Builder(root, root / "output", jobs=1, use_cache=True).build(Diagnostics())
    assert outcome.report is not None
    assert forks == []
    assert unchanged_since_last_build(root, root / "output", None)[0] is not None
    processed: list[str] = []  # a builder from the cache has nothing to read again
    Builder(root, root / "output", jobs=1, use_cache=True,
            progress=lambda stage, done, total: processed.append(stage)).build(Diagnostics())
    assert "annotations" not in processed and "articles" not in processed


def test_build_still_forks_the_cache_writer(tmp_path: Path, forks: list[int],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storewrite, "BACKGROUND_BRIEFS", 1)
    root = many_briefs(tmp_path / "site")
    outcome = Builder(root, root / "output", jobs=1, use_cache=True).build(Diagnostics())
    assert outcome.report is not None
    assert forks == [1]
    assert unchanged_since_last_build(root, root / "output", None)[0] is not None


def test_build_on_two_cores_forks_its_workers_with_no_other_thread(
        tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    """`build` loses none of its parallel work: with two jobs, its stages and the cache's
    writer fork, each time from a process running no other thread."""
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    monkeypatch.setattr(storewrite, "BACKGROUND_BRIEFS", 1)
    root = many_briefs(tmp_path / "site")
    outcome = Builder(root, root / "output", jobs=2, use_cache=True).build(Diagnostics())
    assert outcome.report is not None
    assert len(forks) >= 2 and set(forks) == {1}
