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

EVENTS_PATH = "__live/events"
KEEPALIVE_SECONDS = 15.0
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json",
    ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp", ".ico": "image/x-icon", ".woff2": "font/woff2",
}

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
        path = urlsplit(self.path).path
        base = self.state.base_path
        if path == base + EVENTS_PATH:
            self._events()
            return
        if not path.startswith(base):
            if path in ("/", base.rstrip("/")):
                self._redirect(base)
            else:
                self._not_found(send_body)
            return
        target = resolve(self.state.out_dir, path[len(base):])
        if target is None:
            self._not_found(send_body)
        elif target.is_dir():
            if not path.endswith("/"):
                self._redirect(path + "/")
            else:
                self._file(target / "index.html", send_body)
        else:
            self._file(target, send_body)

    def _file(self, target: Path, send_body: bool, status: HTTPStatus = HTTPStatus.OK) -> None:
        data = self._read(target)
        if data is None:
            if status is HTTPStatus.OK:
                self._not_found(send_body)
            else:
                self._send(status, b"Not found\n", "text/plain; charset=utf-8", send_body)
            return
        kind = CONTENT_TYPES.get(target.suffix.lower(), "application/octet-stream")
        if target.suffix.lower() == ".html":
            data = self._inject(data)
        self._send(status, data, kind, send_body)

    def _read(self, target: Path) -> bytes | None:
        if not self.state.out_dir.is_dir() and self.state.on_missing_output:
            self.state.on_missing_output()
        with self.state.lock:
            try:
                return target.read_bytes() if target.is_file() else None
            except OSError:
                return None

    def _inject(self, page: bytes) -> bytes:
        state = self.state
        extra = RELOAD_SCRIPT % (state.epoch, state.base_path + EVENTS_PATH)
        if state.errors:
            extra = OVERLAY % html.escape(state.errors) + extra
        text = page.decode("utf-8", "replace")
        at = text.rfind("</body>")
        text = text[:at] + extra + text[at:] if at != -1 else text + extra
        return text.encode("utf-8")

    def _not_found(self, send_body: bool) -> None:
        self._file(self.state.out_dir / "404.html", send_body, HTTPStatus.NOT_FOUND)

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

    def _events(self) -> None:
        """Server-Sent Events: the current epoch now, then each new one as it comes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
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
    """The file a URL path names inside `out_dir`, or None when it would lead outside."""
    decoded = unquote(rel)
    if "\0" in decoded or "\\" in decoded or decoded.startswith("/"):
        return None
    parts = [p for p in decoded.split("/") if p]
    if any(p in (".", "..") for p in parts):
        return None
    root = out_dir.resolve()
    target = root.joinpath(*parts).resolve()
    return target if target == root or target.is_relative_to(root) else None
