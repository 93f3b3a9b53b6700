#!/usr/bin/env python3
"""How well `site-builder import` drafts the articles of tests/fixtures/import_set/.

    python benchmarks/import_quality.py [--set DIR] [--verbose] [--reader trafilatura]

Each raw article (NAME.txt or NAME.html) has a NAME.expected.yaml beside it: its title,
outlet and date, the actors a site would already have (`registry`, optional), every
quotation with the name of its speaker (`by: null` for a speaker the article does not
name), and the lines of page chrome that must not reach the draft (`chrome`).

Each article is imported into a site of its own, holding its registry. The figures:
- precision of the pairs written as `by:` (a written pair is right when the expected
  pairs have that quotation with that speaker; a quotation of `by: null` written with
  any speaker is wrong), and their recall over the expected pairs with a speaker;
- recall of the pairs offered: the right speaker written, or listed among the
  candidates of a quotation left to the editor;
- headlines, outlets and dates right; chrome lines found in a draft's article; the
  errors and warnings `check` reports on the drafts.
Then every article is imported into one site holding all the registries, which must
pass `site-builder check --strict`.

`--reader trafilatura` reads the saved pages (.html) with trafilatura (`pip install
trafilatura`) instead of the import's own reader, to compare the two: its text, one
block per line, its title as the headline and its site name, author and date as the
page's details; the cleaning and everything after are the same.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from site_builder.base.diagnostics import Diagnostics  # noqa: E402
from site_builder.cli.commands import main as cli  # noqa: E402
from site_builder.importer import run as importer_run  # noqa: E402
from site_builder.importer.htmltext import (  # noqa: E402
    Block,
    Page,
    PageMeta,
    looks_like_html,
    read_page,
)
from site_builder.importer.run import Imported, import_article  # noqa: E402
from site_builder.text.articles import check_site_at  # noqa: E402
from site_builder.text.readertext import normalise  # noqa: E402

DEFAULT_SET = REPO / "tests" / "fixtures" / "import_set"
TODAY = dt.date(2000, 1, 1)  # a date no article has: a date not found shows
ESCAPE = re.compile(r"\\(.)")

Pair = tuple[str, str | None]


@dataclass
class Result:
    """What one article's draft got right and wrong."""

    name: str
    expected: list[Pair]
    written: list[Pair]
    offered: list[tuple[str, tuple[str, ...]]]  # (quote, candidates) left to the editor
    wrong_fields: list[str] = field(default_factory=list)
    chrome: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def right_written(self) -> list[Pair]:
        return [p for p in self.written if p[1] is not None and p in self.expected]

    def right_offered(self) -> list[Pair]:
        named = [p for p in self.expected if p[1] is not None]
        written = set(self.right_written())
        return [p for p in named if p in written
                or any(q == p[0] and p[1] in c for q, c in self.offered)]


def articles(folder: Path) -> list[tuple[Path, dict]]:
    out = []
    for expected in sorted(folder.glob("*.expected.yaml")):
        stem = expected.name.removesuffix(".expected.yaml")
        [source] = [p for p in folder.glob(f"{stem}.*") if p.suffix in (".txt", ".html", ".md")]
        out.append((source, yaml.safe_load(expected.read_text(encoding="utf-8"))))
    return out


def make_site(root: Path, registry: Iterable[dict]) -> None:
    (root / "briefs").mkdir(parents=True)
    actors = list(registry)
    if actors:
        text = yaml.safe_dump({"actors": actors}, allow_unicode=True, sort_keys=False)
        (root / "briefs" / "_actors.yaml").write_text(text, encoding="utf-8")


def measure(source: Path, expected: dict, root: Path) -> Result:
    make_site(root, expected.get("registry") or [])
    imported = import_article(source, root, today=TODAY)
    notes = yaml.safe_load((root / imported.yaml_path).read_text(encoding="utf-8"))
    names = {a["id"]: a["name"] for a in
             [*(expected.get("registry") or []), *(notes.get("actors") or [])]}
    result = Result(source.name, [(normalise(p["quote"]), p["by"]) for p in expected["pairs"]],
                    written_pairs(notes, names), offered_pairs(imported, names))
    for key, found in (("title", notes.get("title")), ("outlet", notes["source"]["outlet"]),
                       ("date", notes.get("date"))):
        if found != expected[key]:
            result.wrong_fields.append(f"{key}: {found!r}, expected {expected[key]!r}")
    paragraphs = article_lines((root / imported.md_path).read_text(encoding="utf-8"))
    result.chrome = [line for line in expected.get("chrome") or []
                     if " ".join(line.split()) in paragraphs]
    diags = Diagnostics()
    check_site_at(root, diags)
    result.problems = [str(d) for d in diags.sorted()]
    return result


def written_pairs(notes: dict, names: dict[str, str]) -> list[Pair]:
    out = []
    for entry in [*(notes.get("claims") or []), *(notes.get("responses") or [])]:
        quote = entry["quote"] if isinstance(entry["quote"], str) else entry["quote"]["exact"]
        out.append((normalise(quote), names.get(entry["by"], entry["by"])))
    return out


def offered_pairs(imported: Imported, names: dict[str, str]) -> list[tuple[str, tuple[str, ...]]]:
    """The quotations left to the editor, each with its candidate speakers' names."""
    return [(normalise(e.quotation.exact), tuple(names.get(c, c) for c in e.candidates))
            for e in imported.entries if e.candidates]


def article_lines(markdown: str) -> set[str]:
    """Each paragraph of a draft's article as plain text (escapes and `## ` removed)."""
    out = set()
    for block in markdown.split("\n\n"):
        text = ESCAPE.sub(r"\1", block.strip().removeprefix("## "))
        out.add(" ".join(text.split()))
    return out


def combined_check(sets: list[tuple[Path, dict]], root: Path) -> int:
    """Every article imported into one site; `check --strict`'s exit code."""
    registry = {a["id"]: a for _, e in sets for a in e.get("registry") or []}
    make_site(root, registry.values())
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        if cli(["import", *(str(s) for s, _ in sets), "--source", str(root)]) != 0:
            return 1
        return cli(["check", "--strict", "--source", str(root)])


def figures(results: list[Result]) -> dict[str, float | int]:
    """The set's figures: precision and recall of the pairs, fields right, chrome kept."""
    written = sum(len(r.written) for r in results)
    right = sum(len(r.right_written()) for r in results)
    named = sum(sum(1 for p in r.expected if p[1] is not None) for r in results)
    offered = sum(len(r.right_offered()) for r in results)
    out: dict[str, float | int] = {
        "written": written, "right": right, "named": named, "offered": offered,
        "precision": right / written if written else 1.0, "recall": right / named,
        "offered_recall": offered / named, "articles": len(results),
        "chrome": sum(len(r.chrome) for r in results),
        "problems": sum(len(r.problems) for r in results)}
    for label in ("title", "outlet", "date"):
        out[label] = sum(1 for r in results
                         if not any(w.startswith(label + ":") for w in r.wrong_fields))
    return out


def report(results: list[Result], verbose: bool) -> None:
    print(f"{'article':32} pairs written right offered  fields chrome check")
    for r in results:
        print(f"{r.name:32} {len(r.expected):5} {len(r.written):7} {len(r.right_written()):5} "
              f"{len(r.right_offered()):7}  {3 - len(r.wrong_fields):4}/3 {len(r.chrome):6} "
              f"{len(r.problems):5}")
        if verbose:
            details(r)
    f = figures(results)
    print(f"\nprecision of written pairs: {f['precision']:.3f} ({f['right']}/{f['written']})")
    print(f"recall of written pairs:    {f['recall']:.3f} ({f['right']}/{f['named']})")
    print(f"recall of offered pairs:    {f['offered_recall']:.3f} ({f['offered']}/{f['named']})")
    for label in ("title", "outlet", "date"):
        print(f"{label + 's right:':28}{f[label]}/{f['articles']}")
    print(f"{'chrome lines in drafts:':28}{f['chrome']}")
    print(f"{'check problems on drafts:':28}{f['problems']}")


def details(r: Result) -> None:
    for line in r.wrong_fields + [f"chrome kept: {c}" for c in r.chrome] + r.problems:
        print("    " + line)
    for pair in r.written:
        if pair not in r.right_written():
            print(f"    wrong: {pair[0][:60]!r} -> {pair[1]}")
    for pair in r.expected:
        if pair[1] is not None and pair not in r.right_written():
            print(f"    missed: {pair[0][:60]!r} ({pair[1]}); offered: "
                  f"{[c for q, c in r.offered if q == pair[0]]}")


def trafilatura_page(text: str, filename: str = "") -> Page:
    """A saved page read by trafilatura, as the import's reader would give it."""
    import trafilatura  # only for this comparison: not a dependency of site-builder

    if not looks_like_html(text, filename):
        return read_page(text, filename)
    found = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                        include_tables=False)
    if found is None:
        return Page(())
    lines = [line.strip() for line in (found.text or "").split("\n") if line.strip()]
    blocks = ([Block("h1", found.title)] if found.title else []) + [Block("p", line)
                                                                     for line in lines]
    return Page(tuple(blocks), PageMeta(found.title, found.sitename, found.author, found.date))


def run(folder: Path, verbose: bool, reader: str = "ours") -> int:
    if reader == "trafilatura":
        importer_run.read_page = trafilatura_page  # type: ignore[assignment]
    sets = articles(folder)
    with tempfile.TemporaryDirectory() as tmp:
        results = [measure(source, expected, Path(tmp) / source.stem)
                   for source, expected in sets]
        report(results, verbose)
        code = combined_check(sets, Path(tmp) / "all")
    print(f"{'one site, check --strict:':28}{'passes' if code == 0 else 'fails'} "
          f"({len(sets)} articles)")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--reader", choices=("ours", "trafilatura"), default="ours",
                        help="what reads the saved pages (.html)")
    args = parser.parse_args()
    sys.exit(run(args.set, args.verbose, args.reader))
