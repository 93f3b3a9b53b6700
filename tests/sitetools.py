"""Helpers for tests of the built site: fixture sites, builds, parsed HTML, link checks.

HTML is parsed with the standard library's `html.parser` into a small tree
(`Element`); the parser is strict about nesting, so a page whose end tags do
not match its start tags (a `<mark>` closed inside an `<a>` it opened outside
of, say) lists the mismatch in `Element.errors` of the document.

Import from test files as `from sitetools import ...` (pytest puts tests/ on
sys.path, as for tools.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import posixpath
import subprocess
import sys
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml
from markdown_it import MarkdownIt

from site_builder.base.diagnostics import Diagnostics
from site_builder.build.output import Staging, WriteReport
from site_builder.build.run import build_site
from site_builder.site import urls
from site_builder.source.load import load_site
from site_builder.source.validate import uninvolved, validate_site, warn_unmentioned
from site_builder.text.articles import CheckedSite, process_article
from site_builder.text.mentions import NameMatcher
from site_builder.text.readertext import make_markdown, normalise

ROOT = Path(__file__).resolve().parent.parent
SEED_SLUG = "2024-09-09-iran-missiles-russia"
CORPUS = ROOT / "benchmarks" / "corpus.py"  # the generator of large sites

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})


def checked_site(root: Path, diags: Diagnostics, md: MarkdownIt | None = None) -> CheckedSite:
    """The site at `root` loaded, validated and each article processed, in this process:
    what a build does before it indexes, for tests of the stages after it."""
    md = md or make_markdown()
    site = validate_site(load_site(root, diags), diags)
    matcher = NameMatcher(site.actors)
    articles = {b.slug: process_article(b, md, matcher, urls.Linker(urls.brief(b.slug)).actor,
                                        diags)
                for b in site.briefs}
    warn_unmentioned(uninvolved(site), (a.named for a in articles.values()), diags)
    return CheckedSite(root, site, articles)


def commit_output(pages: dict[str, bytes], out_dir: Path) -> WriteReport:
    """Make `out_dir` hold exactly `pages` (what a full build does); what changed."""
    staging = Staging.start(out_dir)
    try:
        changed = {rel for rel, data in pages.items() if staging.put(rel, data)}
    except BaseException:
        staging.abort()
        raise
    return staging.finish(changed, pages.keys() - changed)


# --- parsed HTML --------------------------------------------------------------------------------


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str | None]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)
    line: int = 0
    errors: list[str] = field(default_factory=list)  # nesting mistakes (the document only)

    def __repr__(self) -> str:
        shown = " ".join(f'{k}="{v}"' for k, v in self.attrs.items())
        return f"<{self.tag}{' ' if shown else ''}{shown}> (line {self.line})"

    def get(self, name: str, default: str | None = None) -> str | None:
        value = self.attrs.get(name, default)
        return default if value is None else value

    def classes(self) -> list[str]:
        return (self.get("class") or "").split()

    def iter(self) -> Iterator[Element]:
        """Every element below this one, in document order."""
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, class_: str | None = None,
                 **attrs: str) -> list[Element]:
        """Descendants by tag, class and exact attribute values (`data_annotation=` for -)."""
        wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
        return [e for e in self.iter()
                if (tag is None or e.tag == tag)
                and (class_ is None or class_ in e.classes())
                and all(e.get(k) == v for k, v in wanted.items())]

    def find(self, tag: str | None = None, class_: str | None = None,
             **attrs: str) -> Element | None:
        found = self.find_all(tag, class_, **attrs)
        return found[0] if found else None

    def by_id(self, ident: str) -> Element | None:
        return next((e for e in self.iter() if e.get("id") == ident), None)

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), self.stack[-1], line=self.getpos()[0])
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), self.stack[-1], line=self.getpos()[0])
        self.stack[-1].children.append(element)

    def handle_endtag(self, tag: str) -> None:
        line = self.getpos()[0]
        if tag in VOID:
            self.root.errors.append(f"line {line}: end tag </{tag}> of a void element")
            return
        open_tags = [e.tag for e in self.stack[1:]]
        if open_tags and open_tags[-1] == tag:
            self.stack.pop()
            return
        top = open_tags[-1] if open_tags else "nothing"
        self.root.errors.append(f"line {line}: </{tag}> while <{top}> is open")
        if tag in open_tags:  # recover as a browser would: close up to the matching element
            while self.stack[-1].tag != tag:
                self.stack.pop()
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def close(self) -> None:
        super().close()
        for element in self.stack[1:]:
            if element.tag not in ("html", "body", "head"):
                self.root.errors.append(f"line {element.line}: <{element.tag}> never closed")


def parse_html(text: str | bytes) -> Element:
    """The document's tree; `.errors` lists nesting mistakes (empty for a well-formed page)."""
    builder = _TreeBuilder()
    builder.feed(text.decode("utf-8") if isinstance(text, bytes) else text)
    builder.close()
    return builder.root


def read_page(out: Path, rel: str) -> Element:
    return parse_html((out / rel).read_bytes())


def rendered_files(out: Path) -> list[str]:
    """Every file under `out` that a build renders: the pages (`.html`), the Atom feeds
    (`feed.xml`), each brief's annotations, each timeline's data and the data files (not the
    theme's assets, nor the files for hosts), by POSIX path relative to `out`."""
    return sorted(rel for rel in (p.relative_to(out).as_posix() for p in out.rglob("*")
                                  if p.is_file())
                  if rel.endswith((".html", ".jsonld")) or rel.startswith("data/")
                  or rel.rpartition("/")[2] in (urls.FEED_FILE, urls.TIMELINE_FILE))


def html_pages(out: Path) -> dict[str, Element]:
    """Every .html file under `out`, parsed, by POSIX path relative to `out`."""
    return {p.relative_to(out).as_posix(): parse_html(p.read_bytes())
            for p in sorted(out.rglob("*.html"))}


# --- marks ------------------------------------------------------------------------------------


def marks_of(doc: Element, key: str) -> list[Element]:
    """The <mark>s carrying annotation `key` (data-annotation is a space-separated list)."""
    return [m for m in doc.find_all("mark") if key in (m.get("data-annotation") or "").split()]


def marked_text(doc: Element, key: str) -> str:
    """The concatenated text of the marks of `key`, normalised as quotes are."""
    return normalise("".join(m.text for m in marks_of(doc, key)))


def article(doc: Element) -> Element:
    found = doc.find("div", class_="article")
    assert found is not None, "no <div class=article> in the brief page"
    return found


# --- links ------------------------------------------------------------------------------------


def ids_of(doc: Element) -> list[str]:
    return [e.get("id") or "" for e in doc.iter() if e.get("id") is not None]


def duplicate_ids(doc: Element) -> list[str]:
    seen: set[str] = set()
    return [i for i in ids_of(doc) if i in seen or seen.add(i)]  # type: ignore[func-returns-value]


@dataclass(frozen=True)
class Link:
    page: str  # the page it is on, relative to the output folder
    attr: str  # 'href' or 'src'
    value: str
    target: str | None  # the file it reaches, relative to the output folder (None: outside)
    fragment: str


def links(out: Path, pages: Mapping[str, Element] | None = None,
          base_path: str | None = "/") -> list[Link]:
    """Every internal href/src of every page, resolved to a file of the output folder.

    Relative links resolve against the page's folder. A link starting with '/' resolves
    under `base_path`, the path the site is served at; with `base_path=None` it reaches
    nowhere (target None). A link to a folder (ending in '/') means its index.html, as a web
    server answers it. Links with a scheme are left out.
    """
    pages = html_pages(out) if pages is None else pages
    found = []
    for rel, doc in pages.items():
        for element in doc.iter():
            for attr in ("href", "src"):
                value = element.get(attr)
                if value is None:
                    continue
                parts = urlsplit(value)
                if parts.scheme or parts.netloc:
                    continue
                found.append(Link(rel, attr, value, _resolve(rel, unquote(parts.path), base_path),
                                  unquote(parts.fragment)))
    return found


def _resolve(page: str, path: str, base_path: str | None) -> str | None:
    if not path:
        return page
    if path.startswith("/"):
        if base_path is None or not path.startswith(base_path):
            return None
        path = path[len(base_path):]
        if path == "" or path.endswith("/"):
            path += "index.html"
        target = posixpath.normpath(path)
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if path.endswith("/") or path == ".":
            target = "index.html" if target == "." else f"{target}/index.html"
    return None if target.startswith("../") or target == ".." else target


def broken_links(out: Path, pages: Mapping[str, Element] | None = None,
                 base_path: str | None = "/",
                 absolute_ok: Collection[str] = ("404.html",)) -> list[str]:
    """Every internal link that does not reach a file, or whose #fragment is not an id there,
    and every link starting with '/' on a page other than those of `absolute_ok` (pages are
    linked relatively, so the site works under any sub-path and straight from disk).

    A test asserts `broken_links(out) == []`; each problem reads `page: href -> why`.
    """
    pages = html_pages(out) if pages is None else pages
    ids = {rel: set(ids_of(doc)) for rel, doc in pages.items()}
    problems = []
    for link in links(out, pages, base_path):
        where = f"{link.page}: {link.attr}={link.value!r}"
        if link.value.startswith("/") and link.page not in absolute_ok:
            problems.append(f"{where} -> absolute, not relative")
        elif link.target is None:
            problems.append(f"{where} -> outside the site")
        elif not (out / link.target).is_file():
            problems.append(f"{where} -> no file {link.target}")
        elif link.fragment and link.fragment not in ids.get(link.target, set()):
            problems.append(f"{where} -> no id '{link.fragment}' in {link.target}")
    return problems


def unsafe_markup(pages: Mapping[str, Element]) -> list[str]:
    """Script elements, on* attributes and script: addresses, in every page. A page's one
    JSON-LD block is data, not a script: it must hold JSON and no '<' at all."""
    problems = []
    for rel, doc in pages.items():
        data_blocks = 0
        for element in doc.iter():
            if element.tag == "script" and element.get("type") == "application/ld+json":
                data_blocks += 1
                problems += [f"{rel}: {p}" for p in _data_block_problems(element, data_blocks)]
            elif element.tag in ("script", "iframe", "object", "embed"):
                problems.append(f"{rel}: <{element.tag}> element at line {element.line}")
            for name, value in element.attrs.items():
                if name.startswith("on"):
                    problems.append(f"{rel}: attribute {name} on {element!r}")
                if name in ("href", "src", "action", "formaction") and value is not None:
                    scheme = "".join(ch for ch in value if ch > " ").lower()
                    if scheme.startswith(("javascript:", "vbscript:", "data:")):
                        problems.append(f"{rel}: {name}={value!r} on {element!r}")
    return problems


def _data_block_problems(element: Element, count: int) -> list[str]:
    text = element.text
    problems = [f"a second JSON-LD block at line {element.line}"] if count > 1 else []
    if [c for c in element.children if isinstance(c, Element)] or "<" in text:
        problems.append(f"markup inside the JSON-LD block at line {element.line}")
    try:
        json.loads(text)
    except ValueError as exc:
        problems.append(f"the JSON-LD block at line {element.line} is not JSON: {exc}")
    return problems


def json_ld(doc: Element) -> list[Any]:
    """The data of every JSON-LD block of a page, parsed."""
    return [json.loads(e.text) for e in doc.find_all("script", type="application/ld+json")]


# --- fixture sites ----------------------------------------------------------------------------


def dump(data: Any) -> str:
    """YAML for a brief, registry or site.yaml (dates as YYYY-MM-DD, Unicode as is)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def actor(ident: str, name: str, kind: str = "state", **fields: Any) -> dict[str, Any]:
    return {"id": ident, "name": name, "kind": kind, **fields}


def brief(title: str, date: str | dt.date, outlet: str = "Agence France-Presse",
          **fields: Any) -> dict[str, Any]:
    return {"title": title, "date": str(date), "source": {"outlet": outlet}, **fields}


def claim(ident: str, by: str | list[str], text: str, quote: Any = None,
          status: str = "unverified", **fields: Any) -> dict[str, Any]:
    out = {"id": ident, "by": by, "text": text, "status": status, **fields}
    if quote is not None:
        out["quote"] = quote
    return out


def response(claim_id: str, by: str, stance: str, quote: Any = None,
             **fields: Any) -> dict[str, Any]:
    out = {"claim": claim_id, "by": by, "stance": stance, **fields}
    if quote is not None:
        out["quote"] = quote
    return out


def write_site(root: Path, briefs: Mapping[str, tuple[str, Mapping[str, Any]]],
               actors: list[Mapping[str, Any]] | None = None,
               site: Mapping[str, Any] | None = None,
               files: Mapping[str, str] | None = None) -> Path:
    """Write a site under `root`: {slug: (article Markdown, brief fields)}, the registry,
    site.yaml and any other files; return `root`."""
    (root / "briefs").mkdir(parents=True, exist_ok=True)
    if actors is not None:
        (root / "briefs" / "_actors.yaml").write_text(dump({"actors": actors}), encoding="utf-8")
    if site is not None:
        (root / "site.yaml").write_text(dump(dict(site)), encoding="utf-8")
    for slug, (text, fields) in briefs.items():
        (root / "briefs" / f"{slug}.md").write_text(text, encoding="utf-8")
        (root / "briefs" / f"{slug}.yaml").write_text(dump(dict(fields)), encoding="utf-8")
    for rel, text in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def generate_corpus(out: Path, briefs: int, actors: int, *more: str) -> Path:
    """The benchmark corpus of the repository's benchmarks/corpus.py, written into `out` by
    its command line (`more`: further options); return its site in our format."""
    command = [sys.executable, str(CORPUS), str(out), "--briefs", str(briefs),
               "--actors", str(actors), *more]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return out / "ours"


@dataclass
class Built:
    out: Path
    diags: Diagnostics
    outcome: Any  # what build_site returned: `.report` is None when nothing was written

    @property
    def errors(self) -> list[str]:
        return [str(d) for d in self.diags.errors]

    def page(self, rel: str) -> Element:
        return read_page(self.out, rel)

    def pages(self) -> dict[str, Element]:
        return html_pages(self.out)


def build(root: Path, out: Path | None = None, base_url: str | None = None,
          ok: bool = True, cache: bool = True) -> Built:
    """Build the site at `root` into `out` (default root/output); with `ok`, assert no error.

    Builds of the repository's own example site pass `cache=False`: they must neither write
    the repository's .cache/ nor reuse results cached by another version of the code.
    """
    out = root / "output" if out is None else out
    diags = Diagnostics()
    outcome = build_site(root, out, diags, base_url, use_cache=cache)
    built = Built(out, diags, outcome)
    if ok:
        assert built.errors == [], "\n".join(built.errors)
        assert outcome.report is not None
    return built


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder`: its bytes and modification time (ns)."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), os.stat(p).st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def output_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}

