"""Helpers for tests of `site-builder serve`: a live session in-process, HTTP, polling, saves.

`LiveSite` runs a `site_builder.serve.session.Session` (initial build, HTTP server on a free port,
watcher, rebuild loop in a thread) on a copy of a site and records every rebuild. Tests talk
to it over real HTTP (`get`, `events`) and wait with `wait_until`, a polling deadline, never
a fixed sleep.

Import from test files as `from servetools import ...` (pytest puts tests/ on sys.path).
The `example_site` and `live_site` fixtures in conftest.py build on these.
"""

from __future__ import annotations

import http.client
import io
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from site_builder.cli.commands import source_reader
from site_builder.serve.session import ServeOptions, Session
from site_builder.serve.watch import Watcher
from site_builder.source.config import pagefind_installed

ROOT = Path(__file__).resolve().parent.parent
SEED_SLUG = "2024-09-09-iran-missiles-russia"
SEED_TITLE = "US warns of 'consequences' if Iran sends missiles to Russia"
DEADLINE = 5.0  # seconds: how long a test waits for something that should take milliseconds

T = TypeVar("T")


def copy_example_site(dest: Path) -> Path:
    """The repository's example site (briefs/ and site.yaml) copied to `dest`; returns `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "briefs", dest / "briefs")
    shutil.copy2(ROOT / "site.yaml", dest / "site.yaml")
    return dest


def searchable_example(folder: Path) -> Path:
    """The example site with search on (its search page, the field in every page's header)
    when Pagefind is installed, as the test extra installs it; the site itself otherwise."""
    if not pagefind_installed():
        return ROOT
    root = copy_example_site(folder / "example")
    with (root / "site.yaml").open("a", encoding="utf-8") as site_yaml:
        site_yaml.write("search: true\n")
    return root


def wait_until(check: Callable[[], T], timeout: float = DEADLINE, what: str = "condition",
               interval: float = 0.02) -> T:
    """Poll `check()` until it returns something truthy (returned); fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def atomic_write(path: Path, text: str) -> None:
    """Save as editors and tools do: write a temporary file beside it, then rename it over."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def replace_in(path: Path, old: str, new: str, count: int = 1) -> str:
    """Rewrite `path` (atomically) with `old` replaced by `new`; returns the old text."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    atomic_write(path, text.replace(old, new, count))
    return text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, by POSIX path relative to `folder`."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def kind(self) -> str:
        return self.headers.get("content-type", "")


def request(port: int, path: str, method: str = "GET", timeout: float = 10.0) -> Reply:
    """One HTTP request with `path` sent exactly as given (no normalisation of `..` or `%`)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        body = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        conn.close()


class EventStream:
    """The live-reload event stream, read as a browser's EventSource would."""

    def __init__(self, port: int, path: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE)
        self.conn.request("GET", path)
        self.response = self.conn.getresponse()

    def next_event(self) -> tuple[str, str]:
        """The next (event name, data), skipping keep-alive comments."""
        name, data = "message", []
        while True:
            line = self.response.fp.readline().decode("utf-8")
            if not line:
                raise EOFError("the event stream ended")
            line = line.rstrip("\r\n")
            if line == "":
                if data:
                    return name, "\n".join(data)
                continue
            if line.startswith(":"):
                continue
            key, _, value = line.partition(":")
            if key == "event":
                name = value.strip()
            elif key == "data":
                data.append(value.strip())

    def close(self) -> None:
        self.conn.close()


OVERLAY_ID = 'id="site-builder-errors"'
LOCATION = re.compile(r"(briefs/[a-z0-9-]+\.yaml):(\d+):(\d+)")


@dataclass
class LiveSite:
    """A running `serve` session on the site at `root`: HTTP, watcher and rebuild loop."""

    root: Path
    session: Session
    log: io.StringIO
    rebuilds: list[str] = field(default_factory=list)  # the reason of each rebuild, in order
    thread: threading.Thread | None = None

    @property
    def out(self) -> Path:
        return self.session.options.out_dir

    @property
    def port(self) -> int:
        assert self.session.server is not None
        return int(self.session.server.server_address[1])

    @property
    def base_path(self) -> str:
        return self.session.state.base_path

    @property
    def epoch(self) -> int:
        return self.session.state.epoch

    def get(self, path: str, method: str = "GET") -> Reply:
        return request(self.port, path, method)

    def page(self, rel: str = "") -> Reply:
        """GET a page by its path relative to the site's base path."""
        return self.get(self.base_path + rel)

    def events(self) -> EventStream:
        return EventStream(self.port, self.base_path + "__live/events")

    def wait_for_rebuilds(self, count: int, timeout: float = DEADLINE) -> list[str]:
        return wait_until(lambda: self.rebuilds[:] if len(self.rebuilds) >= count else None,
                          timeout, f"{count} rebuild(s); so far {self.rebuilds}")

    def wait_for_epoch(self, after: int, timeout: float = DEADLINE) -> int:
        return wait_until(lambda: self.epoch if self.epoch > after else 0, timeout,
                          f"a rebuild to be published after epoch {after}")

    def wait_for_page(self, rel: str, check: Callable[[Reply], Any],
                      timeout: float = DEADLINE, what: str = "") -> Reply:
        def ready() -> Reply | None:
            reply = self.page(rel)
            return reply if check(reply) else None

        return wait_until(ready, timeout, what or f"page /{rel} to change")

    def wait_for_output(self, check: Callable[[], Any], timeout: float = DEADLINE,
                        what: str = "the output folder to change") -> Any:
        """Poll `check()` (which reads the output folder) between rebuilds, never during one,
        until it is truthy and the site has no errors."""
        def ready() -> Any:
            with self.session.state.lock:
                return self.session.state.errors is None and check()

        return wait_until(ready, timeout, what)

    def stop(self) -> None:
        self.session.stop()
        if self.thread is not None:
            self.thread.join(timeout=DEADLINE)
            assert not self.thread.is_alive(), "the rebuild loop did not stop"


def start_live_site(root: Path, theme: Path, *, base_url: str | None = None,
                    out_dir: Path | None = None, port: int = 0) -> LiveSite:
    """Start a Session on `root`, watching `theme` (a quiet folder) instead of the built-in
    theme, so that edits to the repository's templates/ made meanwhile start no rebuild."""
    log = io.StringIO()
    options = ServeOptions(root, out_dir or root / "output", port=port, base_url=base_url)
    session = Session(options, out=log, source_lines=source_reader(root))
    session.watcher = Watcher(root, theme, options.out_dir)
    live = LiveSite(root, session, log)
    real_rebuild = session.rebuild

    def recording_rebuild(reason: str, paths: set[str] | None = None, **options: Any) -> Any:
        outcome = real_rebuild(reason, paths, **options)
        live.rebuilds.append(reason)
        return outcome

    session.rebuild = recording_rebuild  # type: ignore[method-assign]
    session.start()
    live.rebuilds.clear()  # the initial build is not a rebuild
    live.thread = threading.Thread(target=session.run_forever, name="rebuild-loop", daemon=True)
    live.thread.start()
    return live


# --- a second brief, for adding, renaming and deleting -------------------------------------------

NEW_SLUG = "2024-09-10-kremlin-calls-reports-baseless"
NEW_TITLE = "Kremlin calls missile reports baseless"
NEW_ARTICLE = """\
Kremlin spokesman Dmitry Peskov said on Tuesday that reports of Iranian missile deliveries \
were "baseless".

Ukraine said it expected new deliveries of Iranian weapons to Russia within weeks.
"""
NEW_ANNOTATIONS = f"""\
title: {NEW_TITLE}
date: 2024-09-10
source:
  outlet: Agence France-Presse
claims:
  - id: ukraine-expects-more-deliveries
    by: ukraine
    about: [iran, russia]
    text: Ukraine expects new deliveries of Iranian weapons to Russia.
    quote: expected new deliveries of Iranian weapons to Russia
    status: unverified
responses:
  - claim: iran-sent-missiles-to-russia
    by: dmitry-peskov
    stance: denies
    quote: reports of Iranian missile deliveries were "baseless"
"""


def add_brief(root: Path, slug: str = NEW_SLUG, article: str = NEW_ARTICLE,
              annotations: str = NEW_ANNOTATIONS) -> None:
    """Add a brief: the article, then its annotations (each saved atomically)."""
    atomic_write(root / "briefs" / f"{slug}.md", article)
    atomic_write(root / "briefs" / f"{slug}.yaml", annotations)


def rename_brief(root: Path, old: str, new: str) -> None:
    for ext in (".md", ".yaml"):
        os.rename(root / "briefs" / f"{old}{ext}", root / "briefs" / f"{new}{ext}")


def delete_brief(root: Path, slug: str) -> None:
    for ext in (".md", ".yaml"):
        (root / "briefs" / f"{slug}{ext}").unlink()


NEW_ACTOR = """\
  - id: ali-khamenei
    name: Ali Khamenei
    kind: person
    role: Supreme Leader of Iran
    part_of: iran
"""


def add_actor(root: Path, entry: str = NEW_ACTOR) -> None:
    registry = root / "briefs" / "_actors.yaml"
    text = registry.read_text(encoding="utf-8")
    atomic_write(registry, text.rstrip("\n") + "\n" + entry)
