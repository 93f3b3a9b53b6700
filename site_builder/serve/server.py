"""The preview server: static files from the output folder, plus live reload.

Standard library only. Files are served only from inside the output folder
(no `..`, encoded or not, no absolute paths, no symlink leading out). Every
HTML page gets a small script that listens for Server-Sent Events and reloads
the page after a rebuild; while the site has errors, every page also shows
them in an overlay, over the last good version of the page. Requests wait
while a rebuild changes the output, so a half-built site is never served.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..site.urls import FEED_FILE

EVENTS_PATH = "__live/events"
KEEPALIVE_SECONDS = 15.0
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json",
    ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp", ".ico": "image/x-icon", ".woff2": "font/woff2",
    # The data files: a brief's Web Annotations (JSON-LD's registered media type) and the
    # site's tables.
    ".jsonld": "application/ld+json", ".csv": "text/csv; charset=utf-8",
}
ATOM_TYPE = "application/atom+xml; charset=utf-8"  # a feed's type, as the pages announce it

RELOAD_SCRIPT = """<script>
(function () {
  var epoch = %d;
  var source = new EventSource(%r);
  source.addEventListener("epoch", function (event) {
    if (Number(event.data) !== epoch) { source.close(); location.reload(); }
  });
})();
</script>
"""
OVERLAY = """<div id="site-builder-errors" role="alert" style="position:fixed;inset:auto 0 0 0;\
max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;\
background:#2b0b0e;color:#ffe9e9;font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;\
border-top:4px solid #ff5c5c;box-shadow:0 -4px 24px rgba(0,0,0,.4)">
<p style="margin:0 0 .5rem;font-weight:bold">The site has errors: showing the last good \
version. Fix them and save; this page reloads by itself.</p>
<pre style="margin:0;white-space:pre-wrap">%s</pre>
</div>
"""


@dataclass
class LiveState:
    """What the server shares with the rebuild loop: the epoch, errors and the output lock."""

    out_dir: Path
    base_path: str = "/"
    epoch: int = 0
    errors: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    changed: threading.Condition = field(default_factory=threading.Condition)
    stopping: threading.Event = field(default_factory=threading.Event)
    on_missing_output: Callable[[], None] | None = None

    def publish(self, errors: str | None) -> None:
        """A rebuild finished: tell every open page (errors is None when the site is fine)."""
        with self.changed:
            self.epoch += 1
            self.errors = errors
            self.changed.notify_all()

    def wait_for_change(self, epoch: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.epoch != epoch or self.stopping.is_set(),
                                  timeout=timeout)
            return self.epoch

    def stop(self) -> None:
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()


def make_server(state: LiveState, host: str, port: int) -> ThreadingHTTPServer:
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


class _Handler(BaseHTTPRequestHandler):
    state: LiveState
    server_version = "site-builder"

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal is for diagnostics, not for every request

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def _serve(self, send_body: bool) -> None:
        try:
            parts = urlsplit(self.path)
        except ValueError:  # not an address at all, e.g. `http://[::1` (a bracket left open)
            self._send(HTTPStatus.BAD_REQUEST, b"Bad request\n", "text/plain; charset=utf-8",
                       send_body)
            return
        path, state = parts.path, self.state
        if path == state.base_path + EVENTS_PATH:
            self._events(stream=send_body)
            return
        if not state.out_dir.is_dir() and state.on_missing_output:
            state.on_missing_output()  # deleted by hand: write it again before answering
        with state.lock:  # during a rebuild, wait for it: look up and read the finished site
            reply = self._reply(path)
        if isinstance(reply, str):
            self._redirect(reply + (f"?{parts.query}" if parts.query else ""))
        else:
            self._send(*reply, send_body)

    def _reply(self, path: str) -> str | tuple[HTTPStatus, bytes, str]:
        """Where to redirect, or the status, body and type to send; under the output lock."""
        base = self.state.base_path
        if not path.startswith(base):
            return base if path in ("/", base.rstrip("/")) else self._not_found()
        target = resolve(self.state.out_dir, path[len(base):])
        if target is None:
            return self._not_found()
        if _is_dir(target):
            if not path.endswith("/"):
                return path + "/"
            target = target / "index.html"
        return self._file(target) or self._not_found()

    def _file(self, target: Path) -> tuple[HTTPStatus, bytes, str] | None:
        try:
            data = target.read_bytes() if target.is_file() else None
        except OSError:
            data = None
        if data is None:
            return None
        kind = ATOM_TYPE if target.name == FEED_FILE else \
            CONTENT_TYPES.get(target.suffix.lower(), "application/octet-stream")
        if target.suffix.lower() == ".html":
            data = self._inject(data)
        return HTTPStatus.OK, data, kind

    def _inject(self, page: bytes) -> bytes:
        state = self.state
        extra = RELOAD_SCRIPT % (state.epoch, state.base_path + EVENTS_PATH)
        if state.errors:
            extra = OVERLAY % html.escape(state.errors) + extra
        text = page.decode("utf-8", "replace")
        at = text.rfind("</body>")
        text = text[:at] + extra + text[at:] if at != -1 else text + extra
        return text.encode("utf-8")

    def _not_found(self) -> tuple[HTTPStatus, bytes, str]:
        page = self._file(self.state.out_dir / "404.html")
        if page is None:
            return HTTPStatus.NOT_FOUND, b"Not found\n", "text/plain; charset=utf-8"
        return HTTPStatus.NOT_FOUND, page[1], page[2]

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, data: bytes, kind: str, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def _events(self, stream: bool = True) -> None:
        """Server-Sent Events: the current epoch now, then each new one as it comes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not stream:  # HEAD: the headers only
            return
        state, epoch = self.state, self.state.epoch
        try:
            self._event(epoch)
            while not state.stopping.is_set():
                current = state.wait_for_change(epoch, KEEPALIVE_SECONDS)
                if current != epoch:
                    epoch = current
                    self._event(epoch)
                else:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
        except OSError:
            pass  # the page went away

    def _event(self, epoch: int) -> None:
        self.wfile.write(f"event: epoch\ndata: {epoch}\n\n".encode())
        self.wfile.flush()


def resolve(out_dir: Path, rel: str) -> Path | None:
    """The file a URL path names inside `out_dir`, or None when it would lead outside or
    cannot name a file at all (a name too long for the system, a symlink loop)."""
    decoded = unquote(rel)
    if "\0" in decoded or "\\" in decoded or decoded.startswith("/"):
        return None
    parts = [p for p in decoded.split("/") if p]
    if any(p in (".", "..") for p in parts):
        return None
    try:
        root = out_dir.resolve()
        target = root.joinpath(*parts).resolve()
    except (OSError, RuntimeError):  # RuntimeError: pathlib's word for a symlink loop
        return None
    return target if target == root or target.is_relative_to(root) else None


def _is_dir(target: Path) -> bool:
    """Whether `target` is a folder; False for anything the system cannot look up (a name
    over 255 bytes, a path over the system's limit): those are answered as not found."""
    try:
        return target.is_dir()
    except OSError:
        return False
