"""`site-builder serve`: build, serve, watch, rebuild, reload; until Ctrl-C.

The rebuild loop runs in the main thread with one `Builder`, so each save
redoes only what it changed. A failed rebuild keeps the last good output and
shows the diagnostics in the terminal and over every page. The first build runs
on every core, before the server and the watcher start; once their threads run,
the process no longer forks (see `parallel.may_fork`), and rebuilds run in it.

The first build starts from the build cache, as `build` does, and saves it;
rebuilds do not save it (that would slow every reload), so on stopping the
session checks every file once more and saves it: the next `build` starts from
what the session built.
"""

from __future__ import annotations

import errno
import signal
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from ..base.diagnostics import (
    Diagnostic,
    Diagnostics,
    format_diagnostic,
    held_note,
    summary,
    visible,
)
from ..build.builder import Builder, BuildOutcome
from ..build.cache import describes_another_folder
from ..source.builtin import BUILTIN_THEME
from ..source.config import read_config
from ..source.load import SITE_CONFIG, read_text
from .server import LiveState, make_server
from .watch import Watcher

PORT_TRIES = 20
LAST_PORT = 65535


@dataclass
class ServeOptions:
    root: Path
    out_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str | None = None
    open_browser: bool = False
    use_cache: bool = True  # start from the build cache and leave it up to date


class PortInUse(Exception):
    pass


class CannotListen(Exception):
    pass


class Session:
    """One `serve` run: the builder, the live state, the HTTP server and the watcher."""

    def __init__(self, options: ServeOptions, out: TextIO = sys.stderr,
                 source_lines: Callable[[str], list[str] | None] | None = None) -> None:
        self.options = options
        self.out = out
        self.source_lines = source_lines
        # A cache kept for another output folder (`build --output DIR`) is left to it.
        cached = options.use_cache and not describes_another_folder(options.root,
                                                                    options.out_dir)
        self.builder = Builder(options.root, options.out_dir, options.base_url,
                               use_cache=cached)
        self.halfway = False  # a build was stopped half-way (Ctrl-C): its results are in doubt
        base_url = options.base_url or _configured_base_url(options.root)
        base_path = urlsplit(base_url).path if base_url else "/"
        base_path = base_path if base_path.endswith("/") else base_path + "/"
        self.state = LiveState(options.out_dir, base_path,
                               on_missing_output=self.request_rebuild)
        self.watcher = Watcher(options.root, BUILTIN_THEME, options.out_dir)
        self.server: ThreadingHTTPServer | None = None
        self.last_shown: list[Diagnostic] = []

    def start(self) -> str:
        """Build once, start serving and watching; the address pages are served at."""
        self.rebuild("initial build", save_cache=True)
        self.builder.warm()
        self.server = self._bind()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.watcher.start()
        if self.watcher.polling:
            print("file events are not available here: watching by polling (slower)",
                  file=self.out)
        host, port = self.server.socket.getsockname()[:2]  # the port the system chose
        return f"http://{host}:{port}{self.state.base_path}"

    def run_forever(self) -> None:
        while not self.state.stopping.is_set():
            changes = self.watcher.wait(self.state.stopping)
            if changes is not None:
                self.rebuild(_describe(changes, self.options.root),
                             _site_relative(changes, self.options.root))

    def stop(self) -> None:
        self.state.stop()
        self.watcher.stop()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def request_rebuild(self) -> None:
        """The output folder vanished (deleted by hand): write it again, now."""
        with self.state.lock:
            if self.options.out_dir.is_dir():
                return
            self._build_and_publish("output folder missing", force_publish=True)

    def rebuild(self, reason: str, paths: set[str] | None = None,
                save_cache: bool = False) -> BuildOutcome:
        """Build again; `paths`, the files the watcher saw change, spare looking at the rest."""
        with self.state.lock:
            return self._build_and_publish(reason, paths=paths, save_cache=save_cache)

    def _build_and_publish(self, reason: str, force_publish: bool = False,
                           paths: set[str] | None = None,
                           save_cache: bool = False) -> BuildOutcome:
        started = time.perf_counter()
        diags = Diagnostics()
        self.halfway = True
        outcome = self.builder.build(diags, paths, save_cache)
        self.halfway = False
        seconds = time.perf_counter() - started
        errors = None if outcome.report is not None else \
            "\n".join(format_diagnostic(d, self.source_lines) for d in diags.errors)
        changed = outcome.report is not None and (outcome.report.written or outcome.report.removed)
        if changed or errors != self.state.errors or force_publish:
            self.state.publish(errors)  # the browser reloads first; the terminal can wait
        self._report(diags, outcome, reason, seconds)
        return outcome

    def keep_cache(self) -> None:
        """Once stopped: build once more, checking every file as `build` does (a save the
        loop had not built yet is built now), and save the build cache."""
        if not self.builder.use_cache:
            return
        if self.halfway:
            print("build cache not saved: a rebuild was stopped half-way (the next build "
                  "checks everything again)", file=self.out)
            return
        started = time.perf_counter()
        diags = Diagnostics()
        try:
            with self.state.lock:  # a request still being answered may rebuild a lost folder
                outcome = self.builder.build(diags)
        except KeyboardInterrupt:
            print("build cache not saved: stopped while saving it", file=self.out)
            return
        seconds = time.perf_counter() - started
        if outcome.report is None:
            if diags.sorted() != self.last_shown:  # a save the loop had not built yet
                for item in diags.errors:
                    print(format_diagnostic(item, self.source_lines), file=self.out)
            print(summary(diags, "build cache not saved: the site has errors"), file=self.out)
            return
        written = len(outcome.report.written) + len(outcome.report.removed)
        changes = f"{written} files written or removed, " if written else ""
        print(f"build cache saved for the next build ({changes}{seconds:.1f} s)", file=self.out)

    def _report(self, diags: Diagnostics, outcome: BuildOutcome, reason: str,
                seconds: float) -> None:
        items = diags.sorted()
        if items != self.last_shown:  # the same warnings after every save would drown the news
            for item in items:
                print(format_diagnostic(item, self.source_lines), file=self.out)
            self.last_shown = items
        elif items:
            print(f"({len(items)} problems, the same as before)", file=self.out)
        if (note := held_note(diags)) is not None:
            print(note, file=self.out)
        if outcome.report is None:
            print(summary(diags, f"{reason}: build failed, still serving the last good site"),
                  file=self.out)
            return
        report = outcome.report
        print(f"{reason}: {outcome.rendered} pages rendered, {len(report.written)} written, "
              f"{len(report.removed)} removed in {seconds * 1000:.0f} ms", file=self.out)

    def _bind(self) -> ThreadingHTTPServer:
        host, first = self.options.host, self.options.port
        last = min(first + PORT_TRIES - 1, LAST_PORT)  # from --port 65530: 65530 to 65535
        for port in range(first, last + 1):
            try:
                server = make_server(self.state, host, port)
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise CannotListen(f"cannot listen on {host}:{port}: {exc.strerror}") \
                        from exc
                continue
            if port != first:
                print(f"port {first} is in use; serving on port {port} instead", file=self.out)
            return server
        raise PortInUse(f"ports {first} to {last} on {host} are all in use")


def _configured_base_url(root: Path) -> str | None:
    """site.yaml's base_url, so the preview serves under the same path as the published site."""
    return read_config(read_text(root, SITE_CONFIG, Diagnostics(), optional=True),
                       Diagnostics()).base_url


def _site_relative(changes: set[str], root: Path) -> set[str]:
    """The watcher's paths as the site names them (`briefs/x.yaml`), for the builder."""
    base = root.resolve()
    found = set()
    for path in changes:
        resolved = Path(path).resolve()
        if resolved.is_relative_to(base):
            found.add(resolved.relative_to(base).as_posix())
    return found


def _describe(changes: set[str], root: Path) -> str:
    base = root.resolve()
    paths = [Path(p).resolve() for p in changes]
    names = sorted(p.relative_to(base).as_posix() for p in paths
                   if p.is_relative_to(base) and not p.is_dir() and not p.name.startswith("."))
    if not names:
        return "theme changed"
    return visible(f"{names[0]} changed") if len(names) == 1 else f"{len(names)} files changed"


def serve(options: ServeOptions, source_lines: Callable[[str], list[str] | None]) -> int:
    session = Session(options, source_lines=source_lines)
    try:
        url = session.start()
    except PortInUse as exc:
        print(f"site-builder: {exc}", file=sys.stderr)
        print("  hint: stop the other server, or choose a port with --port N", file=sys.stderr)
        session.stop()
        return 1
    except CannotListen as exc:
        print(f"site-builder: {exc}", file=sys.stderr)
        print("  hint: check --host: 127.0.0.1 (this machine) or 0.0.0.0 (every network)",
              file=sys.stderr)
        session.stop()
        return 1
    print(f"serving {options.out_dir} at {url} (Ctrl-C to stop)", file=sys.stderr)
    if options.open_browser:
        webbrowser.open(url)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        session.run_forever()
    except KeyboardInterrupt:
        print("\nstopping", file=sys.stderr)
    finally:
        session.stop()
    session.keep_cache()
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
