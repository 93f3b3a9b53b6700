"""Publishing under a base URL: the built site served as GitHub Pages serves it.

The example site (the repository's site.yaml and briefs/) is copied into a temporary
folder, built with a base URL, and served by a tiny standard-library server that
behaves like GitHub Pages: `<prefix><path>` maps to the output folder, a folder's
address serves its index.html (a folder named without its trailing '/' redirects),
and any missing path answers 404.html with status 404. A crawler then follows
every internal href and src from the home page and from a nested missing path's
404 page, the way a browser resolves them, and checks that each reaches a page
(and each #fragment an id of that page). The host files (sitemap.xml, robots.txt,
.nojekyll, CNAME) and `serve --base-url` are checked here too.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import pytest

from site_builder.cli.commands import main
from site_builder.serve.session import ServeOptions, Session
from site_builder.site.hostfiles import OUTPUT_MARK

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "https://example.github.io/briefs-demo/"
PREFIX = "/briefs-demo/"
MISSING = "a/b/c/missing"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SERVABLE = re.compile(r"^[A-Za-z0-9._/-]+$")


# --- the example site and its builds ------------------------------------------------------------


def copy_example(dest: Path, site_yaml: str | None = None) -> Path:
    """The example site (site.yaml and briefs/) copied to `dest`; site.yaml replaced if given."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "briefs", dest / "briefs")
    if site_yaml is None:
        shutil.copy2(ROOT / "site.yaml", dest / "site.yaml")
    else:
        (dest / "site.yaml").write_text(site_yaml, encoding="utf-8")
    return dest


def with_domain(domain: str) -> str:
    return (ROOT / "site.yaml").read_text(encoding="utf-8").rstrip("\n") + f"\ndomain: {domain}\n"


def cli_build(site: Path, out: Path, *extra: str) -> None:
    """`site-builder build --strict`, which must succeed."""
    assert main(["build", "--strict", "--source", str(site), "--output", str(out), *extra]) == 0


def files_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def pretty(rel: str) -> str:
    return rel.removesuffix("index.html")


def pages_of(out: Path) -> set[str]:
    """Every page of the output (an index.html), as a path relative to the output folder."""
    return {rel for rel in files_of(out) if rel.endswith("index.html")}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("example") / "site")


@pytest.fixture(scope="module")
def published(example: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built with the GitHub Pages project address as its base URL."""
    out = tmp_path_factory.mktemp("published") / "out"
    cli_build(example, out, "--base-url", BASE_URL)
    return out


# --- a static host that behaves like GitHub Pages -----------------------------------------------

CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css",
                 ".xml": "application/xml", ".txt": "text/plain"}


class _PagesHandler(BaseHTTPRequestHandler):
    out_dir: Path
    prefix: str

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path + "/" == self.prefix:
            self._redirect(self.prefix)
            return
        if not path.startswith(self.prefix):
            self._send(HTTPStatus.NOT_FOUND, b"not this site\n", "text/plain")
            return
        parts = [p for p in path[len(self.prefix):].split("/") if p]
        if any(p in (".", "..") for p in parts):
            self._missing()
            return
        target = self.out_dir.joinpath(*parts)
        if target.is_dir():
            if not path.endswith("/"):
                self._redirect(path + "/")
                return
            target = target / "index.html"
        if target.is_file():
            self._send(HTTPStatus.OK, target.read_bytes(), _kind(target))
        else:
            self._missing()

    def _missing(self) -> None:
        page = self.out_dir / "404.html"
        self._send(HTTPStatus.NOT_FOUND, page.read_bytes(), _kind(page))

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _kind(path: Path) -> str:
    return CONTENT_TYPES.get(path.suffix, "application/octet-stream")


@contextlib.contextmanager
def pages_host(out_dir: Path, prefix: str) -> Iterator[str]:
    """Serve `out_dir` at `prefix` as GitHub Pages would; yields the origin (http://host:port)."""
    handler = type("Handler", (_PagesHandler,), {"out_dir": out_dir, "prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# --- a crawler that resolves links as a browser does --------------------------------------------


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.canonical: list[str] = []
        self.og_url: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for attr in ("href", "src"):
            if attr in values:
                self.refs.append((tag, attr, values[attr]))
        if tag == "link" and "canonical" in values.get("rel", "").split():
            self.canonical.append(values.get("href", ""))
        if tag == "meta" and values.get("property") == "og:url":
            self.og_url.append(values.get("content", ""))


@dataclass
class Fetched:
    url: str  # after redirects, without fragment
    status: int
    body: bytes
    content_type: str
    parsed: _PageParser | None = None  # for HTML

    @property
    def path(self) -> str:
        return urlsplit(self.url).path


@dataclass
class Crawl:
    pages: dict[str, Fetched] = field(default_factory=dict)  # by URL (no fragment)
    broken: list[str] = field(default_factory=list)
    external: set[str] = field(default_factory=set)

    def local_paths(self, prefix: str) -> set[str]:
        """The output files reached with status 200, relative to the output folder."""
        found = set()
        for page in self.pages.values():
            if page.status == 200:
                rel = page.path[len(prefix):]
                found.add(rel + "index.html" if rel == "" or rel.endswith("/") else rel)
        return found


def fetch(url: str) -> Fetched:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # follows redirects
            return Fetched(response.geturl(), response.status, response.read(),
                           response.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as exc:
        with exc:
            return Fetched(exc.geturl(), exc.code, exc.read(), exc.headers.get("Content-Type", ""))


def crawl(origin: str, starts: dict[str, int], base_url: str, prefix: str) -> Crawl:
    """Fetch each start path (expecting its status) and follow every internal href and src.

    Internal: an address on the local host, or under `base_url` (the published address,
    mapped to the local host, as canonical links are). Every internal link must reach a
    200 response, and its #fragment an id of the page it reaches.
    """
    result = Crawl()
    published = urlsplit(base_url)
    local = urlsplit(origin)

    def internal(url: str) -> str | None:
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) == (published.scheme, published.netloc) \
                and parts.path.startswith(published.path):
            path = prefix + parts.path[len(published.path):]
            return urlunsplit((local.scheme, local.netloc, path, parts.query, parts.fragment))
        if (parts.scheme, parts.netloc) == (local.scheme, local.netloc):
            return url
        return None

    def get(url: str) -> Fetched:
        if url not in result.pages:
            page = fetch(url)
            if page.content_type.startswith("text/html"):
                page.parsed = _PageParser()
                page.parsed.feed(page.body.decode("utf-8"))
                page.parsed.close()
                queue.append(page)
            result.pages[url] = page
            result.pages.setdefault(page.url, page)
        return result.pages[url]

    queue: list[Fetched] = []
    for path, status in starts.items():
        page = get(origin + path)
        if page.status != status:
            result.broken.append(f"start {path}: status {page.status}, expected {status}")
    while queue:
        page = queue.pop(0)
        assert page.parsed is not None
        requested = [u for u, p in result.pages.items() if p is page]
        for tag, attr, value in page.parsed.refs:
            where = f"{page.path}: <{tag} {attr}={value!r}>"
            absolute = urljoin(requested[0], value)
            if urlsplit(absolute).scheme not in ("http", "https"):
                result.broken.append(f"{where} -> not a web address")
                continue
            target = internal(absolute)
            if target is None:
                result.external.add(absolute)
                continue
            address, _, fragment = target.partition("#")
            if address in requested:  # same document: the browser only scrolls
                reached = page
            else:
                reached = get(address)
                if reached.status != 200:
                    result.broken.append(f"{where} -> {reached.path}: status {reached.status}")
                    continue
            if fragment:
                ids = reached.parsed.ids if reached.parsed else set()
                if unquote(fragment) not in ids:
                    result.broken.append(f"{where} -> no id {fragment!r} in {reached.path}")
    return result


# --- the crawl ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def host(published: Path) -> Iterator[str]:
    with pages_host(published, PREFIX) as origin:
        yield origin


def test_the_crawl_from_home_reaches_every_page_with_no_broken_link(published: Path,
                                                                     host: str) -> None:
    result = crawl(host, {PREFIX: 200}, BASE_URL, PREFIX)
    assert result.broken == []
    reached = result.local_paths(PREFIX)
    assert pages_of(published) <= reached
    assert "style.css" in reached
    assert reached <= set(files_of(published))


def test_the_crawl_from_a_nested_missing_path_has_no_broken_link(published: Path,
                                                                  host: str) -> None:
    result = crawl(host, {PREFIX + MISSING: 404}, BASE_URL, PREFIX)
    assert result.broken == []
    missing = result.pages[host + PREFIX + MISSING]
    assert missing.body == (published / "404.html").read_bytes()
    assert pages_of(published) <= result.local_paths(PREFIX)
    # its stylesheet is found from that depth too
    assert host + PREFIX + "style.css" in result.pages


@pytest.mark.parametrize("path", ["missing", "briefs/no-such-brief/", "a/b/c/d/e/f/",
                                  "actors/nobody/index.html", "style.css/x"])
def test_every_missing_path_serves_a_404_page_whose_links_work(published: Path, host: str,
                                                               path: str) -> None:
    result = crawl(host, {PREFIX + path: 404}, BASE_URL, PREFIX)
    assert result.broken == []


def test_the_host_serves_folders_and_redirects_like_github_pages(host: str) -> None:
    """A sanity check of the test's own server, so the crawl means what it says."""
    assert fetch(host + PREFIX).status == 200
    assert fetch(host + PREFIX + "actors").url == host + PREFIX + "actors/"
    assert fetch(host + "/briefs-demo").url == host + PREFIX
    assert fetch(host + PREFIX + "nope").status == 404
    assert fetch(host + "/elsewhere/").status == 404


def test_the_crawl_finds_a_broken_link(tmp_path: Path, published: Path) -> None:
    """The crawler must see a page that is missing, a fragment that is not there, and an
    absolute path outside the base."""
    out = tmp_path / "out"
    shutil.copytree(published, out)
    home = out / "index.html"
    home.write_text(home.read_text(encoding="utf-8").replace(
        "</main>", '<a href="claims/nothing/index.html">x</a><a href="claims/index.html#nope">y'
                   '</a><a href="/style.css">z</a></main>'), encoding="utf-8")
    with pages_host(out, PREFIX) as origin:
        result = crawl(origin, {PREFIX: 200}, BASE_URL, PREFIX)
    # (the home page is reached as briefs-demo/ and as briefs-demo/index.html: twice)
    links = {re.search(r"href=('[^']*')", b).group(1) for b in result.broken}  # type: ignore[union-attr]
    assert links == {"'claims/nothing/index.html'", "'claims/index.html#nope'", "'/style.css'"}
    assert any("claims/nothing/index.html: status 404" in b for b in result.broken)
    assert any("no id 'nope'" in b for b in result.broken)


# --- canonical addresses ------------------------------------------------------------------------


def test_every_page_names_its_canonical_address_under_the_base(published: Path,
                                                                host: str) -> None:
    result = crawl(host, {PREFIX: 200}, BASE_URL, PREFIX)
    seen = 0
    for page in result.pages.values():
        if page.parsed is None or page.status != 200:
            continue
        rel = page.path[len(PREFIX):]
        expected = BASE_URL + pretty(rel)
        assert page.parsed.canonical == [expected], page.path
        # An embed is shown in other sites' frames, never shared as a link: no Open Graph.
        assert page.parsed.og_url == ([] if rel.endswith("/embed/") else [expected]), page.path
        seen += 1
    assert seen >= len(pages_of(published))


def test_the_home_page_canonical_is_the_base_url(published: Path) -> None:
    parser = _PageParser()
    parser.feed((published / "index.html").read_text(encoding="utf-8"))
    assert parser.canonical == [BASE_URL]
    assert parser.og_url == [BASE_URL]


def test_the_404_page_claims_no_canonical_address(published: Path) -> None:
    parser = _PageParser()
    parser.feed((published / "404.html").read_text(encoding="utf-8"))
    assert parser.canonical == []
    assert parser.og_url == []
    # its links are absolute paths under the base, so they work at any depth
    internal = [v for _t, _a, v in parser.refs if not v.startswith("#")]
    assert internal and all(v.startswith(PREFIX) for v in internal), internal


# --- sitemap.xml and robots.txt -----------------------------------------------------------------


def sitemap_locs(out: Path) -> list[str]:
    tree = ET.parse(out / "sitemap.xml")
    assert tree.getroot().tag == f"{SITEMAP_NS}urlset"
    return [(loc.text or "") for loc in tree.getroot().iter(f"{SITEMAP_NS}loc")]


def test_sitemap_lists_every_page_with_absolute_addresses_under_the_base(published: Path,
                                                                         host: str) -> None:
    locs = sitemap_locs(published)
    assert len(locs) == len(set(locs))
    # Embeds are for other sites' frames, not for search engines (they say noindex).
    assert set(locs) == {BASE_URL + pretty(rel) for rel in pages_of(published)
                         if not rel.endswith("/embed/index.html")}
    assert all(loc.startswith(BASE_URL) for loc in locs)
    assert BASE_URL + "404.html" not in locs
    for loc in locs:  # and each one is served
        page = fetch(host + PREFIX + loc[len(BASE_URL):])
        assert page.status == 200, loc
        assert page.content_type.startswith("text/html"), loc


def test_sitemap_gives_briefs_their_date(published: Path) -> None:
    tree = ET.parse(published / "sitemap.xml")
    dated = {u.findtext(f"{SITEMAP_NS}loc"): u.findtext(f"{SITEMAP_NS}lastmod")
             for u in tree.getroot().iter(f"{SITEMAP_NS}url")}
    brief = BASE_URL + "briefs/2024-09-09-iran-missiles-russia/"
    assert dated[brief] == "2024-09-09"


def test_robots_txt_points_to_the_sitemap(published: Path, host: str) -> None:
    lines = (published / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    sitemaps = [line.removeprefix("Sitemap:").strip() for line in lines
                if line.startswith("Sitemap:")]
    assert sitemaps == [BASE_URL + "sitemap.xml"]
    served = fetch(host + PREFIX + "sitemap.xml")
    assert served.status == 200
    assert served.body == (published / "sitemap.xml").read_bytes()
    assert fetch(host + PREFIX + "robots.txt").status == 200


# --- host files and file names ------------------------------------------------------------------


def unservable(out: Path) -> list[str]:
    """Output files GitHub Pages would not serve as they are named."""
    bad = []
    for rel in files_of(out):
        if not SERVABLE.match(rel) or any(part.startswith("_") for part in rel.split("/")):
            bad.append(rel)
    return bad


def test_every_output_file_name_is_one_github_pages_serves(published: Path) -> None:
    assert unservable(published) == []
    assert not any(name.startswith(".") for name in files_of(published) if name != ".nojekyll")


def test_nojekyll_always_and_no_cname_without_a_domain(published: Path) -> None:
    assert (published / ".nojekyll").read_bytes() == OUTPUT_MARK
    assert not (published / "CNAME").exists()


def test_without_a_base_url_nojekyll_but_no_sitemap_and_no_canonical(example: Path,
                                                                      tmp_path: Path) -> None:
    out = tmp_path / "out"
    cli_build(example, out)
    files = files_of(out)
    assert files[".nojekyll"] == OUTPUT_MARK
    assert "CNAME" not in files
    assert "sitemap.xml" not in files
    robots = files["robots.txt"].decode("utf-8")
    assert "User-agent: *" in robots
    assert "Sitemap" not in robots
    assert b'rel="canonical"' not in files["index.html"]
    assert unservable(out) == []


def test_a_custom_domain_writes_cname_and_publishes_at_its_root(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site", with_domain("briefs.example.org"))
    out = tmp_path / "out"
    cli_build(site, out)
    base = "https://briefs.example.org/"
    assert (out / "CNAME").read_bytes() == b"briefs.example.org\n"
    assert (out / ".nojekyll").read_bytes() == OUTPUT_MARK
    assert set(sitemap_locs(out)) == {base + pretty(rel) for rel in pages_of(out)
                                      if not rel.endswith("/embed/index.html")}
    assert f"Sitemap: {base}sitemap.xml" in (out / "robots.txt").read_text(encoding="utf-8")
    assert unservable(out) == []
    with pages_host(out, "/") as origin:
        for start in ({"/": 200}, {"/" + MISSING: 404}):
            result = crawl(origin, start, base, "/")
            assert result.broken == []
            assert pages_of(out) <= result.local_paths("/")


def test_cname_goes_when_the_domain_goes(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site", with_domain("briefs.example.org"))
    out = tmp_path / "out"
    cli_build(site, out)
    assert (out / "CNAME").is_file()
    shutil.copy2(ROOT / "site.yaml", site / "site.yaml")
    cli_build(site, out)
    assert not (out / "CNAME").exists()
    assert (out / ".nojekyll").is_file()


def test_a_domain_with_a_github_base_url_still_writes_cname(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site", with_domain("Briefs.Example.org"))
    out = tmp_path / "out"
    cli_build(site, out, "--base-url", BASE_URL)
    assert (out / "CNAME").read_bytes() == b"briefs.example.org\n"
    assert all(loc.startswith(BASE_URL) for loc in sitemap_locs(out))


# --- serve --base-url ---------------------------------------------------------------------------


def test_serve_with_a_base_url_serves_under_its_path(example: Path, tmp_path: Path) -> None:
    log = io.StringIO()
    session = Session(ServeOptions(example, tmp_path / "out", port=0, base_url=BASE_URL), out=log)
    try:
        url = session.start()
        origin = url.removesuffix(PREFIX)
        assert url.endswith(PREFIX)
        home = fetch(url)
        assert home.status == 200
        assert f'<link rel="canonical" href="{BASE_URL}">'.encode() in home.body
        css = fetch(url + "style.css")
        assert css.status == 200 and css.content_type.startswith("text/css")
        assert fetch(origin + "/").url == url  # the root redirects to the base path
        assert fetch(origin + "/elsewhere/").status == 404
        missing = fetch(url + MISSING)
        assert missing.status == 404
        assert b"Page not found" in missing.body
        for start in ({PREFIX: 200}, {PREFIX + MISSING: 404}):
            result = crawl(origin, start, BASE_URL, PREFIX)
            assert result.broken == []
            assert pages_of(tmp_path / "out") <= result.local_paths(PREFIX)
    finally:
        session.stop()
    assert "build failed" not in log.getvalue()

