"""Issue 17, the commands: serve answers every request path and checks --port before
building (item 13).

Serve tests talk to a live session over real HTTP, some over a raw socket, so that the request
path reaches the server exactly as sent.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from servetools import LiveSite, request

from site_builder.cli import _parser, main

# --- item 13: serve answers every path, checks --port first -------------------------------------


def not_found_page(live: LiveSite) -> bytes:
    return (live.out / "404.html").read_bytes().split(b"</body>")[0]


LONG_PATHS = [
    "/" + "a" * 256,  # one segment over the 255 bytes a file name may have
    "/" + "a" * 256 + "/",
    "/briefs/" + "b" * 300 + "/index.html",
    "/" + "%C3%A9" * 128,  # 128 characters, 256 bytes once decoded
    "/" + "/".join(["a" * 200] * 25),  # short segments, 5,000 bytes in all: over PATH_MAX
]


def test_safety_13_a_path_segment_over_255_bytes_is_not_found(
        live_site: Callable[..., LiveSite], capfd: pytest.CaptureFixture[str]) -> None:
    """The server stat()ed the name, got ENAMETOOLONG, and dropped the connection with a
    traceback; now it is the site's own 404 page."""
    live = live_site()
    page = not_found_page(live)
    wrong = []
    for path in LONG_PATHS:
        for method in ("GET", "HEAD"):
            try:
                reply = live.get(path, method)
            except OSError as exc:  # the connection closed with no reply
                wrong.append(f"{method} {path[:30]}...: {exc!r}")
                continue
            if reply.status != 404 or (method == "GET" and not reply.body.startswith(page)):
                wrong.append(f"{method} {path[:30]}...: {reply.status}")
    assert wrong == []
    assert "Traceback" not in capfd.readouterr().err


def raw_status(port: int, target: bytes) -> int | None:
    """Send `GET <target>` byte for byte; the reply's status, None when none came."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    line = data.split(b"\r\n", 1)[0].split()
    return int(line[1]) if len(line) > 1 else None


ODD_TARGETS = [
    b"/a\x00b", b"/%00", b"/..%00/site.yaml", b"/%zz", b"/%", b"/%e9", b"/\xff\xfe",
    b"/loop", b"/loop/index.html",  # a symlink loop in the output folder
    b"http://[::1/",  # an absolute address with a bracket left open: not a URL at all
    b"/" + b"a/" * 3000,
]


def test_safety_13_odd_request_paths_answer_4xx_without_a_traceback(
        live_site: Callable[..., LiveSite], capfd: pytest.CaptureFixture[str]) -> None:
    live = live_site()
    (live.out / "loop").symlink_to("loop")
    port = live.port
    statuses = {target: raw_status(port, target) for target in ODD_TARGETS}
    assert {t: s for t, s in statuses.items() if s is None or not 400 <= s < 500} == {}
    assert statuses[b"http://[::1/"] == 400
    assert "Traceback" not in capfd.readouterr().err
    assert request(port, "/").status == 200  # and the server is still there


@pytest.mark.parametrize("port", ["70000", "65536", "-1", "eighty"])
def test_safety_13_a_port_out_of_range_is_a_usage_error_before_building(
        example_site: Path, capsys: pytest.CaptureFixture[str], port: str) -> None:
    """`--port 70000` built the site, then crashed in bind() with a traceback."""
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--source", str(example_site), "--port", port])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: site-builder serve ")
    assert err.endswith(f"site-builder serve: error: argument --port: '{port}' is not a port: "
                        "give a number from 1 to 65535 (or 0 for any free port)\n")
    assert not (example_site / "output").exists()
    assert not (example_site / ".cache").exists()


@pytest.mark.parametrize(("given", "port"), [("0", 0), ("1", 1), ("8000", 8000),
                                             ("65535", 65535)])
def test_safety_13_ports_in_range_are_taken(given: str, port: int) -> None:
    assert _parser().parse_args(["serve", "--port", given]).port == port


def test_safety_13_ports_in_use_near_the_top_stop_at_65535(
        example_site: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Every port taken from 65530 on: it tried 65536 next (an OverflowError, a traceback)."""
    import site_builder.serve as serve_module

    tried = []

    def taken(_state: object, _host: str, port: int) -> None:
        tried.append(port)
        raise OSError(errno.EADDRINUSE, "Address already in use")

    monkeypatch.setattr(serve_module, "make_server", taken)
    assert main(["serve", "--source", str(example_site), "--port", "65530"]) == 1
    assert tried == list(range(65530, 65536))
    assert "site-builder: ports 65530 to 65535 on 127.0.0.1 are all in use" in \
        capsys.readouterr().err
