"""How a build spreads its work over the cores, and tells how far each stage has got."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ..base import parallel

Payload = TypeVar("Payload")
StageProgress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True, slots=True)
class Workers:
    """The worker processes a build may use, and who hears of its progress."""

    jobs: int
    progress: StageProgress | None = None

    def run(self, stage: str, task: Callable[[Payload, int], Any], payload: Payload,
            count: int) -> list[Any]:
        """`task(payload, i)` for each i below `count`, on every core (see `parallel.run`)."""
        return parallel.run(task, payload, count, self.jobs, self.reporter(stage))

    def reporter(self, stage: str) -> parallel.Progress | None:
        progress = self.progress
        return None if progress is None else lambda done, total: progress(stage, done, total)
