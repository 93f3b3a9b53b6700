"""`site-builder serve` over HTTP: files, types, 404, redirects, HEAD, the path guard,
live reload (script, events, overlay), base-url serving, requests during a rebuild,
a port in use and Ctrl-C.

Each test runs a real Session in-process (`live_site` fixture, see servetools.py) on a copy
of the example site, except the Ctrl-C and port tests, which run `python -m site_builder`.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
from servetools import (
    DEADLINE,
    LOCATION,
    OVERLAY_ID,
    SEED_SLUG,
    SEED_TITLE,
    EventStream,
    Reply,
    atomic_write,
    free_port,
    replace_in,
    request,
    tree,
    wait_until,
)

from site_builder.cli.commands import main as cli_main

BRIEF_PAGE = f"briefs/{SEED_SLUG}/"
SECRET = "TOP-SECRET-do-not-serve"
LIVE_MARKERS = ("__live/events", "EventSource", OVERLAY_ID)


def served_html(reply: Reply) -> str:
    assert reply.status == 200, reply
    assert reply.kind == "text/html; charset=utf-8"
    return reply.text


# --- files, types, 404, redirects, HEAD --------------------------------------------------------


def test_pages_and_assets_are_served_with_their_types(live_site):
    live = live_site()
    home = live.get("/")
    assert home.status == 200
    assert home.kind == "text/html; charset=utf-8"
    assert home.body.startswith((live.out / "index.html").read_bytes().split(b"</body>")[0])
    assert home.headers["cache-control"] == "no-store"
    assert home.headers["x-content-type-options"] == "nosniff"
    assert int(home.headers["content-length"]) == len(home.body)

    assert SEED_TITLE in served_html(live.get("/" + BRIEF_PAGE)).replace("&#39;", "'")
    assert live.get(f"/{BRIEF_PAGE}index.html").status == 200

    css = live.get("/style.css")
    assert css.status == 200
    assert css.kind == "text/css; charset=utf-8"
    assert css.body == (live.out / "style.css").read_bytes()  # no script in anything but HTML

    feed = live.get("/feed.xml")  # a feed, with the type its pages' <link>s announce
    assert (feed.status, feed.kind) == (200, "application/atom+xml; charset=utf-8")
    assert feed.body == (live.out / "feed.xml").read_bytes()
    tag_feed = live.get("/tags/iran/feed.xml")
    assert (tag_feed.status, tag_feed.kind) == (200, "application/atom+xml; charset=utf-8")


OTHER_TYPES = {
    "data.json": "application/json",
    "sitemap.xml": "application/xml",  # XML, but no feed
    "picture.SVG": "image/svg+xml",
    "notes.txt": "text/plain; charset=utf-8",
    "font.woff2": "font/woff2",
    "notes.jsonld": "application/ld+json",
    "table.csv": "text/csv; charset=utf-8",
    "blob.xyz": "application/octet-stream",
    "no-extension": "application/octet-stream",
}


def test_content_types_of_other_files(live_site):
    live = live_site()
    body = b"<html><body>not a page</body></html>"
    for name in OTHER_TYPES:
        (live.out / name).write_bytes(body)
    found = {name: (reply.status, reply.kind, reply.body == body)
             for name in OTHER_TYPES for reply in [live.get("/" + name)]}
    # only .html gets the script
    assert found == {name: (200, kind, True) for name, kind in OTHER_TYPES.items()}


def test_the_data_files_are_served_as_json_ld_csv_and_json(live_site):
    """A brief's annotations as JSON-LD (what annotation tools ask for), the site's tables
    as CSV and JSON, each as it was written."""
    live = live_site()
    served = {path: live.get("/" + path) for path in (
        f"{BRIEF_PAGE}annotations.jsonld", "data/responses.csv", "data/claims.json")}
    assert {path: (reply.status, reply.kind) for path, reply in served.items()} == {
        f"{BRIEF_PAGE}annotations.jsonld": (200, "application/ld+json"),
        "data/responses.csv": (200, "text/csv; charset=utf-8"),
        "data/claims.json": (200, "application/json")}
    assert all(reply.body == (live.out / path).read_bytes() for path, reply in served.items())


@pytest.mark.parametrize("path", ["/no-such-page/", "/briefs/no-such-brief/", "/nope.css",
                                  "/briefs/index.htm"])
def test_not_found_is_the_sites_own_404_page(live_site, path):
    live = live_site()
    reply = live.get(path)
    assert reply.status == 404
    assert reply.kind == "text/html; charset=utf-8"
    own = (live.out / "404.html").read_bytes()
    assert reply.body.startswith(own.split(b"</body>")[0])
    assert b"__live/events" in reply.body  # the 404 page reloads too


def test_not_found_without_a_404_page_is_plain_text(live_site):
    live = live_site()
    (live.out / "404.html").unlink()
    reply = live.get("/nothing-here/")
    assert (reply.status, reply.kind, reply.body) == (404, "text/plain; charset=utf-8",
                                                      b"Not found\n")


def test_every_link_of_a_page_is_served(live_site):
    """Pages link to folders (`../../actors/iran/`): the server answers each with the folder's
    index.html, as GitHub Pages does."""
    live = live_site()
    page = served_html(live.get("/" + BRIEF_PAGE))
    hrefs = {h for h in re.findall(r'href="([^"#]+)[^"]*"', page) if "://" not in h}
    assert "../../actors/iran/" in hrefs and "../../" in hrefs
    for href in sorted(hrefs):
        path = urljoin("/" + BRIEF_PAGE, href)
        reply = live.get(path)
        assert reply.status == 200, (href, path)


@pytest.mark.parametrize(("path", "location"), [
    ("/briefs", "/briefs/"),
    (f"/briefs/{SEED_SLUG}", f"/{BRIEF_PAGE}"),
    ("/actors/iran", "/actors/iran/"),
    ("/claims/iran-sent-missiles-to-russia", "/claims/iran-sent-missiles-to-russia/"),
])
def test_folder_without_trailing_slash_redirects(live_site, path, location):
    live = live_site()
    reply = live.get(path)
    assert reply.status == 301
    assert reply.headers["location"] == location
    assert reply.body == b""
    assert live.get(location).status == 200


@pytest.mark.parametrize("path", ["/", "/" + BRIEF_PAGE, "/style.css", "/no-such-page/"])
def test_head_gives_the_headers_of_get_without_a_body(live_site, path):
    live = live_site()
    got = live.get(path)
    head = live.get(path, method="HEAD")
    assert head.status == got.status
    assert head.kind == got.kind
    assert head.headers["content-length"] == str(len(got.body))
    assert head.body == b""


def test_head_of_a_folder_without_slash_redirects(live_site):
    reply = live_site().get("/briefs", method="HEAD")
    assert (reply.status, reply.headers["location"]) == (301, "/briefs/")


def test_a_redirect_keeps_the_query(live_site):
    reply = live_site().get("/briefs?page=2")
    assert (reply.status, reply.headers["location"]) == (301, "/briefs/?page=2")


def test_head_of_the_event_stream_answers_with_headers_only(live_site):
    reply = live_site().get("/__live/events", method="HEAD")
    assert (reply.status, reply.kind, reply.body) == (200, "text/event-stream", b"")


# --- the path guard ----------------------------------------------------------------------------


@pytest.fixture
def secrets(example_site: Path, tmp_path: Path) -> Path:
    """A secret file outside the output folder, and the same secret in the site's own files."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    with (example_site / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"# {SECRET}\n")
    return secret


TRAVERSALS = [
    "/../site.yaml",
    "/../../secret.txt",
    "/briefs/../../site.yaml",
    "/./../site.yaml",
    "/%2e%2e/site.yaml",
    "/%2E%2E/site.yaml",
    "/.%2e/site.yaml",
    "/%2e%2e%2fsite.yaml",
    "/..%2fsite.yaml",
    "/..%2F..%2Fsecret.txt",
    "/briefs/..%2f..%2fsite.yaml",
    "/%252e%252e/site.yaml",  # double-encoded: a literal '%2e%2e' folder, which does not exist
    "/%252e%252e%252fsite.yaml",
    "/..%252fsite.yaml",
    "/..\\site.yaml",
    "/%5c..%5csite.yaml",
    "/..%5csite.yaml",
    "/..%5c..%5csecret.txt",
    "/%2f{secret}",
    "/%2F{secret}",
    "//{secret}",
    "///{secret}",
    "/{secret}",
    "/..%00/site.yaml",
    "/%00",
    "/index.html%00.css",
]


def test_nothing_outside_the_output_folder_is_served(live_site, secrets):
    live = live_site()
    wrong = []
    for template in TRAVERSALS:
        path = template.format(secret=str(secrets).lstrip("/"))
        for method in ("GET", "HEAD"):
            reply = live.get(path, method)
            if reply.status not in (301, 404) or SECRET.encode() in reply.body:
                wrong.append(f"{method} {path}: {reply.status}")
            if reply.status == 301:  # only ever to a folder inside the site, on this server
                location = reply.headers["location"]
                if not location.startswith("/") or location.startswith("//") \
                        or SECRET.encode() in live.get(location).body:
                    wrong.append(f"{method} {path}: redirected to {location}")
    assert wrong == []


def test_symlinks_inside_output_leading_outside_are_not_followed(live_site, secrets):
    live = live_site()
    (live.out / "leak.txt").symlink_to(secrets)
    (live.out / "leakdir").symlink_to(secrets.parent, target_is_directory=True)
    (live.out / "site-root").symlink_to(live.root, target_is_directory=True)
    for path in ("/leak.txt", "/leakdir/secret.txt", "/leakdir/", "/leakdir",
                 "/site-root/site.yaml", "/site-root/briefs/_actors.yaml"):
        reply = live.get(path)
        assert reply.status == 404, path
        assert SECRET.encode() not in reply.body
    # a link that stays inside the output folder is fine, however it gets there
    (live.out / "home.html").symlink_to(live.out / "index.html")
    assert live.get("/home.html").status == 200
    assert live.get("/site-root/output/style.css").status == 200


def test_encoded_names_inside_the_output_folder_are_served(live_site):
    live = live_site()
    assert live.get("/%62riefs/").status == 200  # %62 is 'b'
    assert live.get(f"/%62riefs/{SEED_SLUG}/index%2ehtml").status == 200
    (live.out / "with space.txt").write_text("spaced", encoding="utf-8")
    assert live.get("/with%20space.txt").body == b"spaced"


# --- live reload: the script, the events ------------------------------------------------------


def test_reload_script_is_in_served_pages_but_not_in_built_files(live_site, example_site,
                                                                 tmp_path, capsys):
    live = live_site()
    for rel in ("", BRIEF_PAGE, "actors/iran/", "claims/"):
        html = served_html(live.page(rel))
        assert "new EventSource('/__live/events')" in html
        assert html.count("__live/events") == 1
        assert html.index("EventSource") < html.rindex("</body>")
        assert OVERLAY_ID not in html
    # what serve writes to disk is the plain site
    for rel, data in tree(live.out).items():
        assert not any(m.encode() in data for m in LIVE_MARKERS), rel
    # and so is what `site-builder build` writes
    built = tmp_path / "built"
    assert cli_main(["build", "--source", str(example_site), "--output", str(built)]) == 0
    capsys.readouterr()
    files = tree(built)
    assert files and {rel for rel in files if rel.endswith(".html")}
    for rel, data in files.items():
        assert not any(m.encode() in data for m in LIVE_MARKERS), rel
    assert files == tree(live.out)


def test_event_stream_announces_each_rebuild(live_site, example_site):
    live = live_site()
    stream = live.events()
    try:
        assert stream.response.status == 200
        assert stream.response.getheader("Content-Type") == "text/event-stream"
        assert stream.next_event() == ("epoch", str(live.epoch))
        served = served_html(live.page())
        assert f"var epoch = {live.epoch};" in served
        before = live.epoch
        replace_in(example_site / "briefs" / f"{SEED_SLUG}.yaml", "title: US warns",
                   "title: Washington warns")
        assert stream.next_event() == ("epoch", str(before + 1))
        assert f"var epoch = {before + 1};" in served_html(live.page())
        assert "Washington warns" in served_html(live.page(BRIEF_PAGE))
    finally:
        stream.close()


# --- a failed rebuild: the last good site, with the errors over it -----------------------------


def test_failed_rebuild_keeps_last_good_pages_and_shows_the_overlay(live_site, example_site):
    live = live_site()
    yaml_path = example_site / "briefs" / f"{SEED_SLUG}.yaml"
    good = tree(live.out)
    lines = yaml_path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.strip() == "stance: denies")
    col = lines[line - 1].index("denies") + 1
    before = live.epoch

    replace_in(yaml_path, "stance: denies", "stance: deniez")
    live.wait_for_epoch(before)
    where = f"briefs/{SEED_SLUG}.yaml:{line}:{col}"
    for rel in ("", BRIEF_PAGE, "actors/nasser-kanani/", "claims/", "no-such-page/"):
        reply = live.page(rel)
        assert reply.status == (404 if rel == "no-such-page/" else 200)
        html = reply.text
        assert OVERLAY_ID in html, rel
        overlay = html[html.index(OVERLAY_ID):]
        assert f"{where}: error: &#x27;deniez&#x27; is not a valid &#x27;stance&#x27;" in overlay
        assert "did you mean &#x27;denies&#x27; (says the claim is false)?" in overlay
    assert tree(live.out) == good  # nothing written over the last good site
    assert live.get("/style.css").body == good["style.css"]
    assert f"{where}: error:" in live.log.getvalue()
    assert "build failed, still serving the last good site" in live.log.getvalue()

    broken_epoch = live.epoch
    replace_in(yaml_path, "stance: deniez", "stance: disputes")
    live.wait_for_epoch(broken_epoch)
    for rel in ("", BRIEF_PAGE, "no-such-page/"):
        assert OVERLAY_ID not in live.page(rel).text, rel
    page = (live.out / BRIEF_PAGE / "index.html").read_text(encoding="utf-8")
    assert page != good[f"{BRIEF_PAGE}index.html"].decode("utf-8")
    assert "disputes" in page


def test_fixing_back_to_the_last_good_state_clears_the_overlay(live_site, example_site):
    """The fixed site equals the last good one, so nothing is written: still announced."""
    live = live_site()
    yaml_path = example_site / "briefs" / f"{SEED_SLUG}.yaml"
    good = tree(live.out)
    before = live.epoch
    original = replace_in(yaml_path, "title: US", "title: 'US")  # an unclosed quote
    live.wait_for_epoch(before)
    match = LOCATION.search(live.page().text)
    assert match is not None and match.group(1) == f"briefs/{SEED_SLUG}.yaml"
    assert match.group(2) == "2"  # the quote opened on the title's line, under the schema's
    assert OVERLAY_ID in live.page(BRIEF_PAGE).text
    epoch = live.epoch
    atomic_write(yaml_path, original)
    live.wait_for_epoch(epoch)
    assert OVERLAY_ID not in live.page().text
    assert OVERLAY_ID not in live.page(BRIEF_PAGE).text
    assert tree(live.out) == good


def test_overlay_escapes_what_it_shows(live_site, example_site):
    live = live_site()
    before = live.epoch
    replace_in(example_site / "briefs" / f"{SEED_SLUG}.yaml", "stance: denies",
               "stance: <script>alert(1)</script>")
    live.wait_for_epoch(before)
    html = live.page().text
    overlay = html[html.index(OVERLAY_ID):]
    assert "<script>alert(1)</script>" not in overlay
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in overlay


# --- requests and rebuilds ---------------------------------------------------------------------


def test_a_request_during_a_rebuild_waits_for_it(live_site, example_site):
    """A request for a page that the running rebuild creates gets that page, not a 404."""
    live = live_site()
    briefs = example_site / "briefs"
    before = live.epoch
    (briefs / "late-news.md").write_text(  # alone, an error: the annotations are missing
        (briefs / f"{SEED_SLUG}.md").read_text(encoding="utf-8"), encoding="utf-8")
    live.wait_for_epoch(before)
    started, release = threading.Event(), threading.Event()
    real_build = live.session.builder.build

    def slow_build(diags, paths=None, save_cache=True):
        started.set()
        assert release.wait(DEADLINE * 2)
        return real_build(diags, paths, save_cache)

    live.session.builder.build = slow_build  # type: ignore[method-assign]
    atomic_write(briefs / "late-news.yaml",
                 "title: Late news\ndate: 2024-09-10\nsource:\n  outlet: Agence France-Presse\n")
    assert started.wait(DEADLINE), "no rebuild started"
    replies: dict[str, Reply] = {}
    clients = [threading.Thread(target=lambda p=p: replies.update({p: live.get(p)}))
               for p in ("/briefs/late-news/", "/briefs/late-news", "/", "/briefs/")]
    for client in clients:
        client.start()
    time.sleep(0.2)  # give the requests time to arrive; they must not be answered yet
    assert replies == {}
    release.set()
    for client in clients:
        client.join(DEADLINE)
    assert replies["/briefs/late-news/"].status == 200
    assert "Late news" in replies["/briefs/late-news/"].text
    assert replies["/briefs/late-news"].status == 301
    assert "Late news" in replies["/"].text
    assert "Late news" in replies["/briefs/"].text


def test_a_request_waits_while_the_output_lock_is_held(live_site):
    live = live_site()
    reply: list[Reply] = []
    with live.session.state.lock:
        client = threading.Thread(target=lambda: reply.append(live.get("/")))
        client.start()
        client.join(0.2)
        assert client.is_alive() and reply == []
    client.join(DEADLINE)
    assert reply and reply[0].status == 200


@pytest.mark.parametrize("path", ["/", "/" + BRIEF_PAGE, "/style.css", "/briefs"])
def test_output_folder_deleted_by_hand_is_rebuilt_by_the_next_request(live_site, path):
    live = live_site()
    before = tree(live.out)
    expected = live.get(path)
    shutil.rmtree(live.out)
    reply = live.get(path)
    assert reply.status == expected.status
    # the same page (its reload script has the new epoch: open pages reload)
    assert reply.body.split(b"<script>")[0] == expected.body.split(b"<script>")[0]
    assert tree(live.out) == before
    assert OVERLAY_ID not in reply.text


# --- base-url: the site under a sub-path -------------------------------------------------------


@pytest.mark.parametrize("base_url", ["https://x.github.io/demo/", "https://x.github.io/demo"])
def test_base_url_serves_the_site_under_its_path(live_site, base_url):
    live = live_site(base_url=base_url)
    assert live.base_path == "/demo/"
    for path in ("/", "/demo"):
        reply = live.get(path)
        assert (reply.status, reply.headers["location"]) == (301, "/demo/"), path
    home = served_html(live.get("/demo/"))
    assert "new EventSource('/demo/__live/events')" in home
    assert SEED_TITLE in served_html(live.get("/demo/" + BRIEF_PAGE)).replace("&#39;", "'")
    assert live.get("/demo/style.css").kind == "text/css; charset=utf-8"
    redirect = live.get("/demo/briefs")
    assert (redirect.status, redirect.headers["location"]) == (301, "/demo/briefs/")
    for outside in ("/briefs/", "/" + BRIEF_PAGE, "/style.css", "/demox/", "/demo/../site.yaml"):
        reply = live.get(outside)
        assert reply.status == 404, outside
        assert reply.kind == "text/html; charset=utf-8"
    stream = live.events()
    try:
        assert stream.next_event() == ("epoch", str(live.epoch))
    finally:
        stream.close()


def test_port_in_use_in_process_moves_to_the_next_one(live_site):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        taken = blocker.getsockname()[1]
        live = live_site(port=taken)
        assert live.port != taken
        assert (f"port {taken} is in use; serving on port {live.port} instead"
                in live.log.getvalue())
        assert live.get("/").status == 200


# --- the command: port in use, Ctrl-C ----------------------------------------------------------


class ServeProcess:
    """`python -m site_builder serve` in a subprocess, its stderr read line by line."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "site_builder", "serve", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for_line(self, fragment: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line with {fragment!r} in {self.stderr}") from None
            if line is None:
                raise AssertionError(f"serve exited ({self.process.poll()}): {self.stderr}")
            self.stderr.append(line)
            if fragment in line:
                return line

    def rest_of_stderr(self, timeout: float = DEADLINE) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            self.stderr.append(line)
        return "".join(self.stderr)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=DEADLINE)


def test_ctrl_c_stops_cleanly(example_site):
    port = free_port()
    serve = ServeProcess("--source", str(example_site), "--port", str(port))
    try:
        line = serve.wait_for_line("serving")
        assert f"http://127.0.0.1:{port}/" in line and "Ctrl-C" in line
        assert request(port, "/").status == 200
        stream = EventStream(port, "/__live/events")  # an open reload stream must not block
        assert stream.next_event()[0] == "epoch"
        started = time.monotonic()
        serve.process.send_signal(signal.SIGINT)
        code = serve.process.wait(timeout=DEADLINE)
        assert code == 0, serve.rest_of_stderr()
        assert time.monotonic() - started < DEADLINE
        stream.close()
        err = serve.rest_of_stderr()
        assert "Traceback" not in err, err
        assert "stopping" in err
        assert "build cache saved for the next build" in err  # the next build starts from it
        assert (example_site / ".cache" / "site-builder" / "store.sqlite").is_file()
        with socket.socket() as probe:  # the port is free again
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(("127.0.0.1", port))
    finally:
        serve.kill()


def test_port_in_use_serves_on_the_next_port_and_says_so(example_site):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        taken = blocker.getsockname()[1]
        serve = ServeProcess("--source", str(example_site), "--port", str(taken))
        try:
            moved = serve.wait_for_line("is in use")
            used = int(moved.rsplit("port", 1)[1].split()[0])
            assert moved.strip() == f"port {taken} is in use; serving on port {used} instead"
            assert used > taken
            line = serve.wait_for_line("serving")
            assert f"http://127.0.0.1:{used}/" in line
            assert request(used, "/").status == 200
            serve.process.send_signal(signal.SIGINT)
            assert serve.process.wait(timeout=DEADLINE) == 0
            assert "Traceback" not in serve.rest_of_stderr()
        finally:
            serve.kill()


def _two_consecutive_ports() -> tuple[int, list[socket.socket]]:
    """Two consecutive ports, each held by a listening socket (close them after)."""
    for _ in range(50):
        first = socket.socket()
        first.bind(("127.0.0.1", 0))
        port = first.getsockname()[1]
        second = socket.socket()
        try:
            second.bind(("127.0.0.1", port + 1))
        except OSError:
            first.close()
            second.close()
            continue
        first.listen()
        second.listen()
        return port, [first, second]
    raise AssertionError("found no two consecutive free ports")


def test_every_port_in_use_is_a_plain_error(example_site, monkeypatch, capsys):
    import site_builder.serve.session as serve_module

    monkeypatch.setattr(serve_module, "PORT_TRIES", 2)
    first, blockers = _two_consecutive_ports()
    try:
        code = cli_main(["serve", "--source", str(example_site), "--port", str(first)])
    finally:
        for sock in blockers:
            sock.close()
    err = capsys.readouterr().err
    assert code == 1
    assert f"site-builder: ports {first} to {first + 1} on 127.0.0.1 are all in use" in err
    assert "hint: stop the other server, or choose a port with --port N" in err
    assert "Traceback" not in err


def test_serve_port_flag_is_used_exactly_when_free(example_site):
    port = free_port()
    serve = ServeProcess("--source", str(example_site), "--port", str(port))
    try:
        line = serve.wait_for_line("serving")
        assert f"http://127.0.0.1:{port}/" in line
        assert not any("is in use" in text for text in serve.stderr)
        assert wait_until(lambda: request(port, "/").status == 200)
    finally:
        serve.process.send_signal(signal.SIGINT)
        serve.process.wait(timeout=DEADLINE)
        serve.kill()
