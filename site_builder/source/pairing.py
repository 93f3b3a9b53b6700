"""Which files of briefs/ make briefs: an article `<slug>.md` and its annotations
`<slug>.yaml`, paired by name, and what is wrong with the others (a `.yml` file, a half pair,
a name that makes no valid slug).

A pairing follows from a listing of the folder. After a few files came or went (a watcher
says which), `repaired` pairs again only the slugs of those files: a slug's pairing and its
problem follow from its own files alone.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Sequence

from ..base.diagnostics import Diagnostic, Diagnostics, Span
from .yamlsrc import ID_HINT, ID_PATTERN, slugify

BRIEFS_DIR = "briefs"
Pairing = tuple[tuple[str, ...], list[str], tuple[Diagnostic, ...]]  # names, slugs, problems


def pair_names(names: tuple[str, ...], diags: Diagnostics) -> list[str]:
    """The slugs with both files among `names`; problems with the others go to `diags`."""
    articles: dict[str, str] = {}  # slug -> file name
    annotations: dict[str, str] = {}
    for name in names:
        if name.startswith((".", "_")) or editor_leftover(name):
            continue
        stem, suffix = os.path.splitext(name)
        if suffix == ".md":
            articles[stem] = name
        elif suffix == ".yaml":
            annotations[stem] = name
        elif suffix == ".yml":
            diags.error(Span(f"{BRIEFS_DIR}/{name}"), f"'{name}' has the extension .yml",
                        f"rename it to '{stem}.yaml'")
    slugs = []
    for slug in sorted(articles.keys() | annotations.keys()):
        if not _valid_slug(slug, articles.get(slug) or annotations[slug], diags):
            continue
        if slug not in annotations:
            diags.error(Span(f"{BRIEFS_DIR}/{slug}.md"), f"the article '{slug}.md' has no "
                        f"annotations: '{BRIEFS_DIR}/{slug}.yaml' is missing",
                        "create it beside the article (at least title, date and source)")
        elif slug not in articles:
            diags.error(Span(f"{BRIEFS_DIR}/{slug}.yaml"), f"the annotations '{slug}.yaml' have "
                        f"no article: '{BRIEFS_DIR}/{slug}.md' is missing",
                        "put the article beside them, with the same name ending in .md")
        else:
            slugs.append(slug)
    return slugs


def repaired(pairing: Pairing, added: set[str], gone: set[str]) -> Pairing:
    """`pair_names` of the last listing's names with `added` and without `gone`, from its
    result for the last listing (`pairing`): only the slugs whose files came or went are
    paired again. A slug's pairing and its problem (at most one, at one of its files) follow
    from its own files alone; the problems come in `pair_names`'s order: the `.yml` files
    by name, then the others by slug."""
    listed, slugs, problems = pairing
    names = list(listed)
    for name in gone:
        del names[bisect.bisect_left(names, name)]
    for name in added:
        bisect.insort(names, name)
    stems = {os.path.splitext(name)[0] for name in added | gone}
    files = {f"{stem}{suffix}" for stem in stems for suffix in (".md", ".yaml", ".yml")}
    local = Diagnostics()
    paired = pair_names(tuple(sorted(n for n in files if in_sorted(names, n))), local)
    spans = {f"{BRIEFS_DIR}/{name}" for name in files}
    found = [d for d in problems if d.span.path not in spans] + local.items
    found.sort(key=_pairing_order)
    kept = [slug for slug in slugs if slug not in stems]
    for slug in paired:
        bisect.insort(kept, slug)
    return tuple(names), kept, tuple(found)


def in_sorted(items: Sequence[str], item: str) -> bool:
    """Whether `item` is in `items`, sorted."""
    at = bisect.bisect_left(items, item)
    return at < len(items) and items[at] == item


def _pairing_order(problem: Diagnostic) -> tuple[bool, str]:
    """Where `pair_names` puts a problem: the `.yml` files first, by name; then by slug."""
    name = problem.span.path.removeprefix(f"{BRIEFS_DIR}/")
    return (not name.endswith(".yml"), name if name.endswith(".yml") else
            os.path.splitext(name)[0])


def not_read(name: str) -> bool:
    """Hidden files and editors' leftovers: no build reads them."""
    return name.startswith(".") or editor_leftover(name)


def editor_leftover(name: str) -> bool:
    """Swap, backup and probe files that editors leave beside the ones they save."""
    return name.endswith(("~", ".swp", ".swo", ".swx", ".tmp", ".bak")) or name == "4913" \
        or name.startswith("#")


def _valid_slug(slug: str, name: str, diags: Diagnostics) -> bool:
    """Whether `slug`, from the file called `name`, is valid."""
    if ID_PATTERN.match(slug):
        return True
    suggestion = slugify(slug)
    suffix = os.path.splitext(name)[1]
    hint = f"rename it to '{suggestion}{suffix}'; {ID_HINT}" if suggestion else ID_HINT
    diags.error(Span(f"{BRIEFS_DIR}/{name}"), f"'{name}' does not make a valid brief slug", hint)
    return False
