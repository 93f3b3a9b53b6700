"""The checking half of the pipeline: load, validate, then each article's own stage.

`process_article` is all the work one brief needs that does not depend on
other briefs: parse the Markdown once, project the reader text, anchor the
quotes, find the actors it names, and render the article's HTML with quotes
marked and first mentions linked. Its result is small (no token tree is kept),
pure, and the same whichever process computes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..base.diagnostics import Diagnostics, lines_of
from ..source.load import load_site
from ..source.model import Brief, Site
from ..source.schema import write_schemas
from ..source.validate import uninvolved, validate_site, warn_unmentioned
from .anchor import Anchor, anchor_brief, claim_key
from .marks import decorate
from .mentions import Mention, NameMatcher, named_in
from .readertext import make_markdown, project
from .selectors import QuoteSelector, select_quotes
from .summaries import describe


@dataclass(frozen=True, slots=True)
class Article:
    """What one brief's article becomes: its HTML, anchored quotes and named actors."""

    html: str
    anchors: tuple[Anchor, ...]
    mentions: tuple[Mention, ...]  # the first linkable mention of each actor
    named: frozenset[str]  # every actor named anywhere in the article
    selectors: tuple[QuoteSelector, ...] = ()  # each anchored quote in the text a reader sees
    description: str = ""  # the page's, in plain text: the summary or the first paragraph


@dataclass(frozen=True, slots=True)
class CheckedSite:
    root: Path
    site: Site
    articles: Mapping[str, Article]


def check_site_at(root: Path, diags: Diagnostics, md: MarkdownIt | None = None) -> Site:
    """The site at `root` checked, its quotes anchored: what `check` does, without the HTML;
    and its schemas for editors (`.schema/`) brought up to date."""
    md = md or make_markdown()
    site = validate_site(load_site(root, diags), diags)
    # The articles are searched for names only when an actor's warning depends on it.
    unused = uninvolved(site)
    matcher = NameMatcher(site.actors) if unused else None
    named = [check_article(b, md, matcher, diags) for b in site.briefs]
    warn_unmentioned(unused, named, diags)
    diags.hold_back()
    write_schemas(root, site)
    return site


def check_article(brief: Brief, md: MarkdownIt, matcher: NameMatcher | None,
                  diags: Diagnostics) -> frozenset[str]:
    """What `check` does with an article: anchor its quotes; the actors it names (none looked
    for without a `matcher`)."""
    reader = project(md.parse(brief.article))
    anchor_brief(brief, reader, lines_of(brief.article), diags)
    return named_in(reader, matcher).actors if matcher is not None else frozenset()


def labels(brief: Brief) -> dict[str, str]:
    """The short label of each annotation of a brief: C1, C2... for claims, R1... for responses."""
    found = {claim_key(c.id): f"C{i}" for i, c in enumerate(brief.claims, start=1)}
    found.update((r.key, f"R{i}") for i, r in enumerate(brief.responses, start=1))
    return found


def process_article(brief: Brief, md: MarkdownIt, matcher: NameMatcher,
                    link_actor: Callable[[str], str], diags: Diagnostics) -> Article:
    """The article's HTML, its anchored quotes and the actors it names; `link_actor` gives
    the address of an actor's page as seen from the brief's page."""
    tokens = md.parse(brief.article)
    reader = project(tokens)
    anchors = anchor_brief(brief, reader, lines_of(brief.article), diags)
    named = named_in(reader, matcher)
    description = describe(md, brief.summary, tokens, reader)
    marked = decorate(tokens, reader, anchors, named.firsts, link_actor, labels(brief))
    html = md.renderer.render(_below_title(marked), md.options, {})
    return Article(html, anchors, named.firsts, named.actors,
                   selectors=select_quotes(reader, anchors), description=description)


def _below_title(tokens: list[Token]) -> list[Token]:
    """The article's headings moved so its top level is <h2>: the page's <h1> is the title."""
    headings = [t for t in tokens if t.type in ("heading_open", "heading_close")]
    if headings:
        shift = 2 - min(int(t.tag[1]) for t in headings)
        for token in headings:
            token.tag = f"h{min(max(int(token.tag[1]) + shift, 2), 6)}"
    return tokens
