"""Running one function over many items on every core, with the same result as one core.

Workers are forked, so they start with everything the parent had built (the
parsed briefs, the index, the templates) without copying it through pipes; the
payload is handed to them once through the pool's initializer (and the
parent's objects are frozen out of the garbage collector first). The parent
works too, as one of the `jobs`. Results come back in the items' order, so the
output never depends on the worker count.
Small jobs run in the calling process: starting workers costs more than it saves.
So does every job of a process that runs other threads (`serve`'s server and file
watcher): see `may_fork`.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from . import records

MIN_ITEMS_PER_WORKER = 64
SWITCH_INTERVAL = 0.0005  # seconds: how often the working thread lets the pool's threads run
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
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods() \
            or not may_fork():
        results = _Results(chunks, progress)
        for index, chunk in enumerate(chunks):
            results.add(index, [task(payload, i) for i in chunk])
        return results.in_order()
    return _shared(task, payload, chunks, workers, progress)


def may_fork() -> bool:
    """Whether this process may fork: only while it runs no other thread. A child starts with
    every lock as it was at the fork, and one that another thread held then (a stream's, the
    import system's, a logger's) stays held in the child for ever: whatever takes it there
    hangs (Python 3.12 warns of it). `serve`, whose server and file watcher are threads,
    therefore rebuilds in its own process; `build` runs no thread and forks."""
    return threading.active_count() <= 1


def _shared(task: Callable[[Any, int], Any], payload: Any, chunks: Sequence[range],
            workers: int, progress: Progress | None) -> list[Any]:
    """The calling process is one of the workers: it takes chunks from the end while the
    forked ones take them from the start, until they meet. (One process fewer to fork saves
    the memory its copy of the parent's pages would take.)"""
    # Objects alive now are frozen out of the garbage collector: the workers' collections
    # then neither walk them nor touch (and so copy) the memory they share with the parent.
    gc.freeze()
    collecting = gc.isenabled()
    gc.enable()  # cheap now, and the parent's share of the work makes garbage too
    # The pool's threads in this process read the workers' results, and each read of the
    # pipe waits for this thread, busy with its own share, to hand over the interpreter:
    # every 5 ms by default, which left a worker idle a third of the time.
    switching = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        return _share(task, payload, chunks, workers, progress)
    finally:
        sys.setswitchinterval(switching)
        if not collecting:
            gc.disable()


def _share(task: Callable[[Any, int], Any], payload: Any, chunks: Sequence[range],
           workers: int, progress: Progress | None) -> list[Any]:
    context = multiprocessing.get_context("fork")
    claimed = context.Array("b", len(chunks))  # which chunks a process has taken
    results = _Results(chunks, progress)
    with context.Pool(workers - 1, initializer=_install,
                      initargs=(task, payload, claimed)) as pool:
        pending = pool.imap_unordered(_run_chunk, list(enumerate(chunks)), chunksize=1)
        for index in reversed(range(len(chunks))):
            if not _claim(claimed, index):
                break
            results.add(index, [task(payload, i) for i in chunks[index]])
            results.read(pending, wait=False)  # what the workers have finished meanwhile
        results.read(pending, wait=True)
    return results.in_order()


class _Results:
    """The chunks' results as they come in (the workers' are read between the calling
    process's own chunks, not all at the end), and the progress they make."""

    def __init__(self, chunks: Sequence[range], progress: Progress | None) -> None:
        self.chunks, self.progress = chunks, progress
        self.parts: dict[int, list[Any]] = {}
        self.done = 0

    def add(self, index: int, part: list[Any]) -> None:
        self.parts[index] = part
        self.done += len(self.chunks[index])
        if self.progress:
            self.progress(self.done, self.chunks[-1].stop)

    def read(self, pending: Any, wait: bool) -> None:
        """Read the workers' results: those ready now, or with `wait` all that remain."""
        while True:
            try:
                index, part = pending.next(None if wait else 0)
            except (StopIteration, multiprocessing.TimeoutError):
                return
            if part is not None:
                self.add(index, pickle.loads(part))

    def in_order(self) -> list[Any]:
        return [result for index in range(len(self.chunks)) for result in self.parts[index]]


def _claim(claimed: Any, index: int) -> bool:
    with claimed.get_lock():
        if claimed[index]:
            return False
        claimed[index] = 1
        return True


def _chunks(count: int, pieces: int) -> Sequence[range]:
    size = max(1, -(-count // pieces))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _install(task: Callable[[Any, int], Any], payload: Any, claimed: Any) -> None:
    global _payload
    _payload = (task, payload, claimed)
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


def _run_chunk(job: tuple[int, range]) -> tuple[int, bytes | None]:
    """A chunk's results, pickled as records (see records.py): the parent reads them faster.
    None when the parent took the chunk first."""
    task, payload, claimed = _payload
    index, indices = job
    if not _claim(claimed, index):
        return index, None
    return index, records.dumps([task(payload, i) for i in indices])
