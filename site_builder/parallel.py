"""Running one function over many items on every core, with the same result as one core.

Workers are forked, so they start with everything the parent had built (the
parsed briefs, the index, the templates) without copying it through pipes; the
payload is handed to them once through the pool's initializer (and the
parent's objects are frozen out of the garbage collector first). Results come
back in the items' order, so the output never depends on the worker count.
Small jobs run in the calling process: starting workers costs more than it saves.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from . import records

MIN_ITEMS_PER_WORKER = 64
_payload: Any = None  # set in each worker by _install, from the parent's memory


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


Progress = Callable[[int, int], None]  # (items done, items in all)


def run(task: Callable[[Any, int], Any], payload: Any, count: int, jobs: int,
        progress: Progress | None = None) -> list[Any]:
    """`[task(payload, i) for i in range(count)]`, spread over up to `jobs` processes."""
    workers = min(jobs, count // MIN_ITEMS_PER_WORKER)
    chunks = _chunks(count, max(workers, 1) * 16)
    results: list[Any] = []
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in chunks:
            results += [task(payload, i) for i in chunk]
            if progress:
                progress(len(results), count)
        return results
    # Objects alive now are frozen out of the garbage collector: the workers' collections
    # then neither walk them nor touch (and so copy) the memory they share with the parent.
    gc.freeze()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_install, initargs=(task, payload)) as pool:
        for part in pool.imap(_run_chunk, chunks, chunksize=1):
            results += pickle.loads(part)
            if progress:
                progress(len(results), count)
    return results


def _chunks(count: int, pieces: int) -> Sequence[range]:
    size = max(1, -(-count // pieces))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _install(task: Callable[[Any, int], Any], payload: Any) -> None:
    global _payload
    _payload = (task, payload)
    gc.enable()  # a worker collects its own garbage, even when the parent paused collection


@contextmanager
def paused_collector() -> Iterator[None]:
    """No garbage collection inside: building or (un)pickling a large site's records makes
    millions of objects, and the collector would walk them again and again (doubling the
    time) though none is garbage. What is garbage is collected once it is back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run_chunk(indices: range) -> bytes:
    """A chunk's results, pickled as records (see records.py): the parent reads them faster."""
    task, payload = _payload
    return records.dumps([task(payload, i) for i in indices])
