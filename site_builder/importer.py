"""`site-builder import FILE`: a raw article becomes a draft brief in the site.

The stages: read the file (text, Markdown or a saved web page), clean it
(`cleaning`), find its quotations and their speakers (`quotes`), resolve the
speakers to actors of the site (`speakers`), draft the Markdown and YAML
(`drafting`, `yamltext`), write both, and check the new brief with the
checker every other command uses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence, Set
from dataclasses import dataclass
from pathlib import Path

from .cleaning import CleanArticle, clean
from .diagnostics import Diagnostic, Diagnostics
from .drafting import Article, Entry, article_markdown, claim_id, entries, reader_blocks
from .htmltext import Page, looks_like_html, read_page
from .load import BRIEFS_DIR, load_site
from .model import Actor, Site
from .pipeline import check_site_at
from .quotes import find_quotations
from .speakers import Casting, cast
from .validate import validate_site
from .yamlsrc import ID_PATTERN, slugify
from .yamltext import Header, brief_yaml

SLUG_WORDS = 5
_SMALL = "a an the of if to in on for and or as at by with from is are was be its it this that"
SMALL_WORDS = frozenset(_SMALL.split())


class ImportRefused(Exception):
    """The article cannot be imported: nothing was written."""


@dataclass(frozen=True, slots=True)
class Imported:
    """What one import wrote, for the report."""

    slug: str
    md_path: str  # site-relative
    yaml_path: str
    article: CleanArticle
    quotations: int
    drafted: int
    speakers: int
    new_actors: tuple[str, ...]
    problems: tuple[Diagnostic, ...]  # the check's diagnostics on the new brief


def import_article(path: Path, root: Path, slug: str | None = None, force: bool = False,
                   today: dt.date | None = None, reserved: Set[str] = frozenset()) -> Imported:
    """Import the article at `path` into the site at `root`; raises `ImportRefused`.

    `reserved` are slugs written earlier in the same run: never replaced, even with force.
    """
    if not (root / BRIEFS_DIR).is_dir():
        raise ImportRefused(f"no '{BRIEFS_DIR}/' folder in {root}: run the command in a "
                            "site's folder, or give it with --source DIR")
    text = read_article(path)
    site = _load(root)
    page = read_page(text, path.name)
    article = clean(page, [n for a in site.actors if a.kind == "media"
                           for n in (a.name, *a.aliases)])
    date = article.date or today or dt.date.today()
    slug = slug or default_slug(article, date, path)
    md_rel, yaml_rel = f"{BRIEFS_DIR}/{slug}.md", f"{BRIEFS_DIR}/{slug}.yaml"
    if slug in reserved:
        raise ImportRefused(f"another file of this run was imported as '{slug}'; nothing "
                            "written (import this one on its own, with --slug)")
    existing = [rel for rel in (md_rel, yaml_rel) if (root / rel).exists()]
    if existing and not force:
        raise ImportRefused(f"{' and '.join(existing)} already exist{'s' * (len(existing) == 1)}"
                            "; nothing written (add --force to replace, or choose another "
                            "name with --slug)")
    found = analyse(page, article, [a for a in site.actors if a.declared_in != slug], md_rel)
    drafted = found.entries
    placed = [e for e in drafted if e.actor and e.anchoring]
    taken = {c for c, claim in site.claim_by_id.items() if claim.brief != slug}
    claim = claim_id(placed[0].quotation.exact, taken, f"{slug}-claim") if placed else None
    header = Header(article.headline, date, article.date is not None, article.outlet,
                    article.author, path.name)
    yaml_text = brief_yaml(header, drafted, found.casting, claim)
    (root / md_rel).write_text(found.markdown.text, encoding="utf-8")
    (root / yaml_rel).write_text(yaml_text, encoding="utf-8")
    return Imported(slug, md_rel, yaml_rel, article, len(drafted), len(placed),
                    len({e.actor for e in placed}), tuple(a.id for a in found.casting.new),
                    _check(root, slug))


@dataclass(frozen=True, slots=True)
class Analysis:
    """An article's quotations, their actors and how they anchor in its Markdown."""

    markdown: Article
    casting: Casting
    entries: tuple[Entry, ...]

    def pairs(self) -> list[tuple[str, str | None]]:
        """(quotation, speaker's name or None) for every quotation found."""
        out = []
        for entry in self.entries:
            who = entry.quotation.speaker
            name = self.casting.names.get(entry.actor or "") or (who.name if who else None)
            out.append((entry.quotation.exact, name))
        return out


def analyse(page: Page, article: CleanArticle, actors: Sequence[Actor],
            md_path: str = "briefs/draft.md") -> Analysis:
    """Quotations of a cleaned article, resolved against `actors`, placed in its Markdown."""
    paragraphs = reader_blocks(article.blocks, page.markdown)
    quotations = find_quotations(paragraphs)
    casting = cast([q.speaker for q in quotations if q.speaker is not None], actors)
    markdown = article_markdown(article.blocks, page.markdown)
    return Analysis(markdown, casting,
                    tuple(entries(quotations, casting, markdown, paragraphs, md_path)))


def read_article(path: Path) -> str:
    """The file's text: UTF-8, or the charset a web page declares."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRefused(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        pass
    charset = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", data[:4096], re.IGNORECASE)
    if charset and looks_like_html(data[:200].decode("ascii", "replace"), path.name):
        try:
            return data.decode(charset.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    raise ImportRefused(f"{path} is not UTF-8 text; save it with the UTF-8 encoding")


def default_slug(article: CleanArticle, date: dt.date, path: Path) -> str:
    """`<date>-<a few words of the headline>`, e.g. 2024-09-09-us-warns-consequences-iran."""
    words = slugify(article.headline or path.stem).split("-")
    kept = [w for w in words if w not in SMALL_WORDS][:SLUG_WORDS] or words[:SLUG_WORDS]
    return "-".join([date.isoformat(), *[w for w in kept if w]])


def valid_slug(slug: str) -> bool:
    return bool(ID_PATTERN.match(slug))


def _load(root: Path) -> Site:
    """The site as it is; its own problems are `check`'s business, not the import's."""
    return validate_site(load_site(root, Diagnostics()), Diagnostics())


def _check(root: Path, slug: str) -> tuple[Diagnostic, ...]:
    diags = Diagnostics()
    check_site_at(root, diags, render=False)  # what `site-builder check` does: no HTML
    mine = (f"{BRIEFS_DIR}/{slug}.md", f"{BRIEFS_DIR}/{slug}.yaml")
    return tuple(d for d in diags.sorted() if d.span.path in mine)
