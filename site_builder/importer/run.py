"""`site-builder import FILE`: a raw article becomes a draft brief in the site.

The stages: read the file (text, Markdown or a saved web page; `importfiles`),
clean it (`cleaning`; an article with no text left is refused), find its
quotations and their speakers (`quotes`), resolve the speakers to actors of the
site (`speakers`), draft the Markdown and YAML (`drafting`, `yamltext`), write
both, all or nothing (`importfiles`), and check the new brief with the checker
every other command uses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence, Set
from dataclasses import dataclass, replace
from pathlib import Path

from ..base import sitefiles
from ..base.diagnostics import Diagnostic, Diagnostics
from ..source.controls import drop_controls
from ..source.load import BRIEFS_DIR, load_site
from ..source.model import Actor, Site
from ..source.validate import validate_site
from ..source.yamlsrc import ID_PATTERN, slugify
from ..text.articles import check_site_at
from .attribution import Speaker
from .cleaning import CleanArticle, clean, plain_markdown
from .drafting import Article, Entry, article_markdown, claim_id, entries, reader_blocks
from .htmltext import Block, Page, read_page
from .importfiles import ImportRefused, check_targets, read_article, write_all
from .quotes import find_quotations
from .speakers import Casting, Known, cast
from .yamltext import Header, brief_yaml

SLUG_WORDS = 5
_SMALL = "a an the of if to in on for and or as at by with from is are was be its it this that"
SMALL_WORDS = frozenset(_SMALL.split())
ONE_SENTENCE = re.compile(r"\w[.!?][\"”’')]*$")  # a line that ends as a sentence does


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
    entries: tuple[Entry, ...] = ()  # every quotation drafted, with its speaker or candidates


def import_article(path: Path, root: Path, slug: str | None = None, force: bool = False,
                   today: dt.date | None = None, reserved: Set[str] = frozenset()) -> Imported:
    """Import the article at `path` into the site at `root`; raises `ImportRefused`.

    `reserved` are slugs written earlier in the same run: never replaced, even with force.
    """
    if not (root / BRIEFS_DIR).is_dir():
        raise ImportRefused(f"no '{BRIEFS_DIR}/' folder in {root}: run the command in a "
                            "site's folder, or give it with --source DIR")
    text = drop_controls(read_article(path))  # invisible, and refused by YAML
    if not text.strip():
        raise ImportRefused("no article text found: the file is empty; nothing written "
                            "(save the article's text in it, then import it again)")
    site = _load(root)
    page = read_page(text, path.name)
    article = with_text(page, clean(page, [n for a in site.actors if a.kind == "media"
                                           for n in (a.name, *a.aliases)]))
    date = article.date or today or dt.date.today()
    slug = slug or default_slug(article, date, path)
    if slug in reserved:
        raise ImportRefused(f"another file of this run was imported as '{slug}'; nothing "
                            "written (import this one on its own, with --slug)")
    check_targets(root, BRIEFS_DIR, (f"{slug}.md", f"{slug}.yaml"), force)
    md_rel, yaml_rel = f"{BRIEFS_DIR}/{slug}.md", f"{BRIEFS_DIR}/{slug}.yaml"
    found = analyse(page, article, [a for a in site.actors if a.declared_in != slug], md_rel)
    drafted = found.entries
    placed = [e for e in drafted if e.actor and e.anchoring]
    taken = {c for c, claim in site.claim_by_id.items() if claim.brief != slug}
    claim = claim_id(placed[0].quotation.exact, taken, f"{slug}-claim") if placed else None
    header = Header(article.headline, date, article.date is not None, article.outlet,
                    article.author, path.name)
    yaml_text = brief_yaml(header, drafted, found.casting, claim)
    files = ((f"{slug}.md", found.markdown.text), (f"{slug}.yaml", yaml_text))
    _refuse_unreadable(files)
    try:
        write_all(root / BRIEFS_DIR, files)
    except OSError as exc:
        raise ImportRefused(f"cannot write {md_rel} and {yaml_rel}: {exc.strerror or exc}; "
                            "nothing written") from None
    return Imported(slug, md_rel, yaml_rel, article, len(drafted), len(placed),
                    len({e.actor for e in placed}), tuple(a.id for a in found.casting.new),
                    _check(root, slug), drafted)


def _refuse_unreadable(files: Sequence[tuple[str, str]]) -> None:
    """Never write a brief that the builder would refuse to read for its size."""
    for name, text in files:
        size = len(text.encode("utf-8"))
        if size > sitefiles.MAX_BYTES:
            raise ImportRefused(
                f"the draft's {BRIEFS_DIR}/{name} would be {size:,} bytes, over the limit of "
                f"{sitefiles.MAX_BYTES:,} bytes that site-builder reads from a source file; "
                "nothing written (import only the article's own text)")


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
    casting = cast([q.speaker for q in quotations if q.speaker is not None and q.sure], actors)
    markdown = article_markdown(article.blocks, page.markdown)
    known = Known(actors)

    def candidate(who: Speaker) -> str:
        return casting.actor_of(who) or known.match(who) or who.name or who.phrase

    return Analysis(markdown, casting, tuple(entries(quotations, casting, markdown, paragraphs,
                                                     md_path, candidate)))


def with_text(page: Page, article: CleanArticle) -> CleanArticle:
    """The cleaned article, when it has a paragraph of text; raises `ImportRefused` if not.

    An article of one sentence was read as its headline: it is kept as the text too.
    """
    if any(block.kind == "p" for block in article.blocks):
        return article
    if not page.blocks:
        raise ImportRefused("no article text found: the page has no paragraphs outside its "
                            "navigation, scripts and page furniture; nothing written (save "
                            "the page with its article, or paste the article's text into a "
                            ".txt file and import that)")
    headline = article.headline or ""
    lines = [b.text for b in page.blocks
             if (plain_markdown(b.text) if page.markdown else b.text) == headline]
    if not lines or not ONE_SENTENCE.search(headline):
        raise ImportRefused("no article text found: its lines are only headings, a byline, "
                            "a date or page furniture; nothing written (add the article's "
                            "text, then import it again)")
    dropped = list(article.dropped)  # the sentence is no longer a line dropped
    if headline in dropped:
        dropped.remove(headline)
    return replace(article, blocks=(*article.blocks, Block("p", lines[0])),
                   dropped=tuple(dropped))


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
    check_site_at(root, diags)  # what `site-builder check` does: no HTML
    mine = (f"{BRIEFS_DIR}/{slug}.md", f"{BRIEFS_DIR}/{slug}.yaml")
    return tuple(d for d in diags.sorted() if d.span.path in mine)
