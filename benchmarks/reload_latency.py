#!/usr/bin/env python3
"""Save-to-reload time of `site-builder serve`: from a YAML save to the reload signal.

Starts `site-builder serve` on a copy of a site, listens to its live-reload
events like a browser does, then (several times) rewrites one brief's YAML
atomically (write a temporary file, rename it over the brief) and measures
the time until the server announces the new version. Prints each figure and
the median, in milliseconds.

    python benchmarks/reload_latency.py [--source DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=REPO,
                        help="site to copy (default: the example site)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(args.source / "briefs", site / "briefs")
        for extra in ("site.yaml", "templates"):
            src = args.source / extra
            if src.is_file():
                shutil.copy(src, site / extra)
        figures = measure(site, args.port, args.runs)
    print("save-to-reload (ms):", " ".join(f"{f:.0f}" for f in figures))
    print(f"median {statistics.median(figures):.0f} ms, min {min(figures):.0f} ms, "
          f"max {max(figures):.0f} ms over {len(figures)} saves")
    return 0


def measure(site: Path, port: int, runs: int) -> list[float]:
    return measure_serve(site, port, runs)[1]


def measure_serve(site: Path, port: int, runs: int, output: Path | None = None
                  ) -> tuple[float, list[float]]:
    """Seconds from starting `serve` until it serves and its live-reload events answer (with
    `output`, the folder a build with the cache wrote: serve starts from that cache), and
    each save's milliseconds to the reload signal."""
    brief = sorted(p for p in (site / "briefs").glob("*.yaml") if not p.name.startswith("_"))[-1]
    original = brief.read_text(encoding="utf-8")
    command = [sys.executable, "-m", "site_builder", "serve", "--source", str(site),
               "--port", str(port), *(("--output", str(output)) if output else ())]
    started = time.perf_counter()
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    messages = server.stderr
    assert messages is not None
    try:
        line = messages.readline()
        while "serving" not in line:
            if not line:
                raise SystemExit("serve did not start")
            line = messages.readline()
        port = int(line.split("http://")[1].split("/")[0].split(":")[1])
        drain = threading.Thread(target=messages.read, daemon=True)
        drain.start()  # the server's messages must go somewhere, or it blocks writing them
        events = open_events(port)
        epoch = next_epoch(events)
        start = time.perf_counter() - started
        figures = []
        for run in range(runs):
            time.sleep(0.3)  # let the watcher settle, as between two real saves
            edited = original.replace("title:", f"title: Run {run} -", 1)
            text = edited if run % 2 == 0 else original
            started = time.perf_counter()
            atomic_write(brief, text)
            new_epoch = next_epoch(events)
            figures.append((time.perf_counter() - started) * 1000)
            assert new_epoch != epoch
            epoch = new_epoch
        return start, figures
    finally:
        server.terminate()
        server.wait(timeout=STOP_WAIT)
        if brief.read_text(encoding="utf-8") != original:
            atomic_write(brief, original)


STOP_WAIT = 900  # seconds: serve saves the build cache as it stops, long on a large site


def open_events(port: int) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/__live/events")
    return connection.getresponse()


def next_epoch(events: http.client.HTTPResponse) -> int:
    while True:
        line = events.fp.readline().decode()
        if line.startswith("data:"):
            return int(line.split(":", 1)[1])
        if not line:
            raise SystemExit("event stream closed")


def atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


if __name__ == "__main__":
    raise SystemExit(main())
