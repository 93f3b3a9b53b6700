"""Progress of a long build on a terminal: one line, rewritten in place.

Shown only when the output is a terminal and the build takes more than a
moment; never in logs, pipes or with --quiet.
"""

from __future__ import annotations

import time
from typing import TextIO

DELAY_SECONDS = 0.5
INTERVAL_SECONDS = 0.1


class TerminalProgress:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.started = time.monotonic()
        self.last = 0.0
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.started < DELAY_SECONDS or (now - self.last < INTERVAL_SECONDS
                                                   and done < total):
            return
        self.last = now
        self.out.write(f"\r\x1b[K{stage}: {done} of {total}")
        self.out.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.out.write("\r\x1b[K")
            self.out.flush()
