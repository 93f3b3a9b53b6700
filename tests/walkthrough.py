"""The new editor's walkthrough of issue 22: a site as `init` makes it, a second brief added
the next day, and the mistakes an editor makes writing it.

`walkthrough_site(mistake)` is the site's files with one mistake made (or none: `None`);
each mistake is a function of the second brief's annotations, article and the registry.
Used by tests/test_editor_messages.py, and by hand to see the messages before and after a
change:

    python tests/walkthrough.py [MISTAKE...]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCAFFOLD = ROOT / "site_builder" / "publish" / "scaffold"
FIRST = "briefs/2025-01-15-port-expansion"
SECOND = "briefs/2025-01-16-union-answers"

REGISTRY_ADDED = """\
  - id: ines-duarte
    name: Ines Duarte
    kind: person
    role: Harbour Authority director
    part_of: harbour-authority
"""

ARTICLE = """\
The Dockworkers Union on Thursday rejected the Harbour Authority's promise that the new
container terminal would not cost a single job.

"Nobody has shown us a plan that keeps every job, and until we see one, in writing, with the
names of the quays and the number of workers on each shift, we will not sign anything," union
secretary Tomas Okafor said.

The authority's director, Ines Duarte, said the plan would be published in March.
"""

ANNOTATIONS = """\
title: Union rejects the port's promise on jobs
date: 2025-01-16
source:
  outlet: Example Wire
  author: Jane Doe

responses:
  - claim: terminal-keeps-all-jobs
    by: tomas-okafor
    stance: disputes
    quote: Nobody has shown us a plan that keeps every job
    note: The union wants the plan in writing.
"""

LONG_QUOTE = ("Nobody has shown us a plan that keeps every job, and until we see one, in "
              "writing, with the names of the quays")

Files = dict[str, str]
Mistake = Callable[[Files], None]


def _in_second(old: str, new: str) -> Mistake:
    def make(files: Files) -> None:
        text = files[f"{SECOND}.yaml"]
        assert old in text, old
        files[f"{SECOND}.yaml"] = text.replace(old, new, 1)
    return make


# The five mistakes of the walkthrough.
MISTAKES: dict[str, Mistake] = {
    # 3 spaces instead of 4 before `stance:`
    "indentation": _in_second("    stance: disputes", "   stance: disputes"),
    # a stance by its meaning, not its name
    "stance-rejects": _in_second("stance: disputes", "stance: rejects"),
    # a misquote whose difference lies past 80 characters
    "long-misquote": _in_second("quote: Nobody has shown us a plan that keeps every job\n",
                                f"quote: {LONG_QUOTE.replace('quays', 'docks')}\n"),
    # a date as a reader writes it
    "date-words": _in_second("date: 2025-01-16", "date: January 16, 2025"),
    # `source:`'s fields not indented under it
    "source-fields": _in_second("  outlet: Example Wire\n  author: Jane Doe",
                                "outlet: Example Wire\nauthor: Jane Doe"),
}


# Five more of the same kinds.
MORE_MISTAKES: dict[str, Mistake] = {
    # 5 spaces instead of 4 before `stance:`
    "over-indented": _in_second("    stance: disputes", "     stance: disputes"),
    # agreement, in the editor's word
    "stance-agrees": _in_second("stance: disputes", "stance: agrees"),
    # a word added: the closest passage must still end where the quote does
    "misquote-extra-word": _in_second("shown us a plan", "shown us a written plan"),
    # a date that reads two ways
    "date-ambiguous": _in_second("    note:", "    date: 02/03/2025\n    note:"),
    # a field named by its meaning, not its name
    "field-speaker": _in_second("    by: tomas-okafor", "    speaker: tomas-okafor"),
}
MISTAKES.update(MORE_MISTAKES)


def walkthrough_site(mistake: str | None = None) -> Files:
    """The site's files: `init`'s site, its claim answered in a second brief; with `mistake`."""
    files = {rel: (SCAFFOLD / rel).read_text(encoding="utf-8")
             for rel in ("site.yaml", "briefs/_actors.yaml", f"{FIRST}.md", f"{FIRST}.yaml")}
    first = files[f"{FIRST}.yaml"]
    files[f"{FIRST}.yaml"] = first[:first.index("responses:")].rstrip("\n") + "\n"
    files["briefs/_actors.yaml"] += REGISTRY_ADDED
    files[f"{SECOND}.md"] = ARTICLE
    files[f"{SECOND}.yaml"] = ANNOTATIONS
    if mistake is not None:
        MISTAKES[mistake](files)
    return files


def write_site(folder: Path, files: Files) -> Path:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def main(names: list[str]) -> None:
    """Each mistake's site checked by `python -m site_builder check`, its output printed."""
    for name in names or [None, *MISTAKES]:
        with tempfile.TemporaryDirectory() as tmp:
            site = write_site(Path(tmp), walkthrough_site(name))
            done = subprocess.run([sys.executable, "-m", "site_builder", "check"], cwd=site,
                                  capture_output=True, text=True)
            print(f"=== {name or 'no mistake'} (exit {done.returncode})")
            print(done.stdout + done.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
