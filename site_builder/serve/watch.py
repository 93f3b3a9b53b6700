"""Watching a site's sources: watchdog events, filtered and debounced.

Only what a build reads counts: site.yaml, briefs/, templates/ and the
built-in theme. Editors' swap, backup and probe files are ignored, and so is
everything in the output folder and in the builder's temporary folders beside
it, so a build never triggers another. Saves that arrive as several events
(write, rename, chmod) become one change: `Watcher.wait` returns once events
have stopped for a short while.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from ..base import scratch
from ..source.load import BRIEFS_DIR, SITE_CONFIG
from ..source.pairing import editor_leftover

QUIET_SECONDS = 0.03
MAX_WAIT_SECONDS = 0.5


class Watcher(FileSystemEventHandler):
    def __init__(self, root: Path, theme: Path, out_dir: Path) -> None:
        self.root = root.resolve()
        self.theme = theme.resolve()
        self.out_dir = out_dir.resolve()
        self.watched = (self.root / BRIEFS_DIR, self.root / "templates", self.theme)
        self.changes: set[str] = set()
        self.lock = threading.Lock()
        self.pending = threading.Event()
        self.last_event = 0.0
        self.observer: BaseObserver | None = None
        self.polling = False

    def start(self) -> None:
        """Watch with the system's file events, or by polling where they are not available."""
        try:
            self._start(Observer())
        except OSError:  # e.g. inotify's limits reached by other programs
            self.stop()
            self.polling = True
            self._start(PollingObserver(timeout=0.25))

    def _start(self, observer: BaseObserver) -> None:
        self.observer = observer
        observer.schedule(self, str(self.root), recursive=False)
        for folder in self.watched:
            if folder.is_dir():
                observer.schedule(self, str(folder), recursive=True)
        observer.start()

    def stop(self) -> None:
        if self.observer is None:  # serving failed before watching started
            return
        self.observer.stop()
        if self.observer.is_alive():
            self.observer.join(timeout=2)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or \
                (event.is_directory and event.event_type == "modified"):
            return  # a folder's own time changes with every save inside it
        paths = [event.src_path, getattr(event, "dest_path", "")]
        relevant = [p for p in map(_text, paths) if p and self.relevant(Path(p))]
        if not relevant:
            return
        if event.is_directory and event.event_type == "created":
            self._watch_new_folder(Path(relevant[0]))
        with self.lock:
            self.changes.update(relevant)
            self.last_event = time.monotonic()
        self.pending.set()

    def relevant(self, path: Path) -> bool:
        if path.is_relative_to(self.out_dir) or scratch.inside_any(path, self.out_dir) \
                or editor_leftover(path.name) or path.name.startswith((".#", ".tmp-", ".~")):
            return False
        if path == self.root / SITE_CONFIG:
            return True
        return any(path == folder or path.is_relative_to(folder) for folder in self.watched)

    def _watch_new_folder(self, path: Path) -> None:
        """briefs/ or templates/ created after the start: watch it from now on."""
        if self.observer and path in self.watched[:2] and path.parent == self.root:
            self.observer.schedule(self, str(path), recursive=True)

    def wait(self, stop: threading.Event) -> set[str] | None:
        """The paths changed by the next save (once events settle); None when stopping."""
        while not self.pending.wait(timeout=0.2):
            if stop.is_set():
                return None
        first = time.monotonic()
        while True:
            with self.lock:
                quiet = time.monotonic() - self.last_event
            if quiet >= QUIET_SECONDS or time.monotonic() - first >= MAX_WAIT_SECONDS:
                break
            time.sleep(QUIET_SECONDS - quiet if quiet < QUIET_SECONDS else 0.005)
        with self.lock:
            changes, self.changes = self.changes, set()
            self.pending.clear()
        return changes


def _text(path: str | bytes) -> str:
    return path.decode() if isinstance(path, bytes) else path
