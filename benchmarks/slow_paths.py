#!/usr/bin/env python3
"""The slow paths of issue 17 (items 10 and 11), timed through the real command line.

    python benchmarks/slow_paths.py [--timeout 300] [--only hint-3000,hint-1mb,import-2mb,...]

Generates its inputs itself (a seeded generator: the same text every run) in a temporary
site and times, each once, `python -m site_builder`:

- hint-3000-misquote: `check` of a brief whose 150-word quote is misquoted (every tenth word
  changed) against a 3,000-word article: the "closest passage" hint is searched;
- hint-3000-nowhere: the same with 150 words of the article's vocabulary found nowhere in it
  (no passage is close: the search cannot stop early);
- hint-1mb-misquote, hint-1mb-nowhere: the same against a 1 MB article;
- import-2mb, import-20mb: `import` of a raw wire article of that size (paragraphs of
  reported speech, about half of them quoting a named speaker), then `check` of the site
  holding the draft it wrote.

Each figure is the elapsed time and the processor time of the command. A command that
runs longer than --timeout is stopped and reported "not done in N s".
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words("Peter Maria Tomas Nasser Dmitry Vedant Anna Jonas Leila Omar Sofia Hugo "
               "Irene Karim Yuki Elena Pavel Grace Samuel Amina Lucas Ines Marta Felix")
LAST = _words("Stano Lindqvist Okafor Kanani Peskov Patel Novak Weber Haddad Rahman Costa "
              "Moreau Fischer Tanaka Petrova Sokolov Mensah Adeyemi Silva Duarte Keller Varga "
              "Horvat Berg Quist Lorenz Brandt Ivanova Nakamura Oduya")
ROLES = ("spokesman", "spokeswoman", "foreign minister", "defence minister", "union secretary",
         "port director", "senior analyst", "deputy mayor", "trade commissioner", "ambassador")
PLACES = ("EU", "Kremlin", "Harbour Authority", "State Department", "Finance Ministry",
          "Dockworkers Union", "City Council", "Central Bank")
WORDS = _words("""
the plan would be a serious step and we have made our position clear to every partner in the
region we will not accept any deal that leaves workers without the protection they were
promised our members are ready to talk but nobody has shown us figures that add up this is
about trust and about the future of the harbour we are looking at all options including new
measures against those responsible the ministry has received the report and is studying it
carefully there is no evidence so far that the terminal will open on time yet the authority
insists it will we expect a decision before the end of the month and we will respond swiftly
in coordination with our allies the talks were difficult but constructive and both sides agreed
to meet again next week prices have risen sharply since the spring and families are feeling it
the government must act now rather than wait for another winter of shortages we are developing
our cooperation in all possible areas including the most sensitive ones it is not every time
that this kind of information is true and we urge everyone to wait for the facts
""")
VERBS = ("said", "told reporters", "said in a statement", "added", "told journalists")
NARRATIVE = ("The {org} said on {day} that {clause}.",
             "Officials in the capital said {clause}, according to a statement.",
             "The report, seen by several outlets, said {clause}.",
             "{day} was the third day of talks, and {clause}.")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def words(rng: random.Random, low: int, high: int) -> str:
    start = rng.randrange(len(WORDS))
    count = rng.randint(low, high)
    picked = [WORDS[(start + i) % len(WORDS)] if rng.random() < 0.6 else rng.choice(WORDS)
              for i in range(count)]
    return " ".join(picked)


def person(rng: random.Random) -> tuple[str, str]:
    """A speaker named in full, and the surname later paragraphs use."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return f"{rng.choice(PLACES)} {rng.choice(ROLES)} {first} {last}", last


def paragraph(rng: random.Random, speaker: list[str]) -> str:
    """One paragraph of wire copy: narrative, or a quotation with its attribution."""
    kind = rng.random()
    if kind < 0.45:
        sentence = rng.choice(NARRATIVE).format(org=rng.choice(PLACES), day=rng.choice(DAYS),
                                                clause=words(rng, 10, 25))
        return sentence + " " + rng.choice(NARRATIVE).format(
            org=rng.choice(PLACES), day=rng.choice(DAYS), clause=words(rng, 8, 20))
    quote = words(rng, 10, 30)
    quote = quote[0].upper() + quote[1:]
    if kind < 0.7:
        full, speaker[0] = person(rng)
        return f"\u201c{quote},\u201d {full} {rng.choice(VERBS)}."
    if kind < 0.85:
        return f"{speaker[0]} {rng.choice(VERBS)}: \u201c{quote}.\u201d"
    return f"\u201c{quote}.\u201d"  # continues the speaker of the paragraph before


def article(size: int, seed: int) -> list[str]:
    """Paragraphs of about `size` characters in all."""
    rng = random.Random(seed)
    speaker = [person(rng)[1]]
    out, total = [], 0
    while total < size:
        out.append(paragraph(rng, speaker))
        total += len(out[-1]) + 2
    return out


def new_site(root: Path) -> Path:
    (root / "briefs").mkdir(parents=True)
    (root / "site.yaml").write_text("title: Slow paths\nlanguage: en\n", encoding="utf-8")
    (root / "briefs" / "_actors.yaml").write_text(
        "actors:\n  - id: eu\n    name: European Union\n    kind: organization\n"
        "    aliases: [EU]\n", encoding="utf-8")
    return root


def misquote_site(root: Path, size: int, misquote: bool) -> Path:
    """A site with one brief quoting 150 words: those of a long paragraph with every tenth
    one wrong (`misquote`), or words the article does not have."""
    rng = random.Random(17)
    paragraphs = article(size, seed=size)
    long = [words(rng, 150, 150) for _ in range(3)]
    for text in long:
        paragraphs.insert(rng.randrange(len(paragraphs)), text[0].upper() + text[1:] + ".")
    quoted = long[1].split() if misquote else words(rng, 150, 150).split()
    wrong = [("whatever" if i % 10 == 5 and misquote else w) for i, w in enumerate(quoted)]
    quote = wrong[0][0].upper() + " ".join(wrong)[1:]
    new_site(root)
    (root / "briefs" / "x.md").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    (root / "briefs" / "x.yaml").write_text(
        "title: A long article\ndate: 2024-09-09\nsource: {outlet: Example Wire}\nclaims:\n"
        "  - id: long\n    by: eu\n    text: A claim.\n"
        f"    quote: \"{quote}\"\n    status: unverified\n", encoding="utf-8")
    return root


def raw_article(path: Path, size: int) -> Path:
    head = ["Port plan faces new doubts as talks drag on", "Example Wire", "Sep 9, 2024"]
    path.write_text("\n\n".join(head + article(size, seed=size)) + "\n", encoding="utf-8")
    return path


def run(args: list[str], cwd: Path, timeout: float) -> tuple[str, str]:
    """How long the command took, and its last output line.

    Elapsed seconds, then the processor seconds it used (user and system): on a busy
    machine the second is the steadier figure. A command still running after `timeout`
    seconds is stopped.
    """
    env = dict(os.environ, PYTHONPATH=str(REPO))
    start, cpu = time.perf_counter(), _children_cpu()
    try:
        done = subprocess.run([sys.executable, "-m", "site_builder", *args], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"not done in {timeout:.0f} s (cpu {_children_cpu() - cpu:.1f} s)", ""
    seconds = time.perf_counter() - start
    lines = (done.stdout + done.stderr).strip().splitlines()
    return f"{seconds:.2f} s (cpu {_children_cpu() - cpu:.2f} s)", lines[-1] if lines else ""


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def hint_case(size: int, misquote: bool) -> Callable[[Path, float], list[tuple[str, str]]]:
    def measure(work: Path, timeout: float) -> list[tuple[str, str]]:
        site = misquote_site(work / "site", size, misquote)
        words_in = len((site / "briefs" / "x.md").read_text(encoding="utf-8").split())
        figure, last = run(["check"], site, timeout)
        kind = "misquoted (1 word in 10)" if misquote else "found nowhere"
        return [(f"check, 150-word quote {kind}, {words_in:,} words "
                 f"({(site / 'briefs' / 'x.md').stat().st_size / 1e6:.2f} MB)",
                 f"{figure}  [{last}]")]
    return measure


def import_case(size: int) -> Callable[[Path, float], list[tuple[str, str]]]:
    def measure(work: Path, timeout: float) -> list[tuple[str, str]]:
        site = new_site(work / "site")
        raw = raw_article(work / "raw.txt", size)
        mb = raw.stat().st_size / 1e6
        figure, last = run(["import", str(raw), "--slug", "big"], site, timeout)
        out = [(f"import, {mb:.1f} MB raw article", f"{figure}  [{last}]")]
        if (site / "briefs" / "big.yaml").exists():
            figure, last = run(["check"], site, timeout)
            out.append((f"check of its draft, {mb:.1f} MB", f"{figure}  [{last}]"))
        return out
    return measure


CASES = {
    "hint-3000-misquote": hint_case(18_000, misquote=True),  # about 3,000 words
    "hint-3000-nowhere": hint_case(18_000, misquote=False),
    "hint-1mb-misquote": hint_case(1_000_000, misquote=True),
    "hint-1mb-nowhere": hint_case(1_000_000, misquote=False),
    "import-2mb": import_case(2_000_000),
    "import-20mb": import_case(20_000_000),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per command")
    parser.add_argument("--only", default=",".join(CASES), help="comma-separated cases")
    args = parser.parse_args()
    for name in args.only.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            for what, figure in CASES[name](Path(tmp), args.timeout):
                print(f"{name:19} {what:70} {figure}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
