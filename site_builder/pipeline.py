"""The checking half of the pipeline: load, validate, anchor quotes.

`check_site_at` is what `site-builder check` runs and what `build` starts with.
Each brief's article is parsed once; its tokens, reader text and anchors are
kept together so the renderer marks quotes without parsing again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .anchor import Anchor, anchor_brief
from .diagnostics import Diagnostics
from .load import load_site
from .model import Brief, Site
from .readertext import ReaderText, make_markdown, project
from .validate import validate_site


@dataclass(frozen=True, slots=True)
class Article:
    """A brief's article parsed once: Markdown tokens, reader text, anchored quotes."""

    tokens: tuple[Token, ...]
    reader: ReaderText
    anchors: tuple[Anchor, ...]


@dataclass(frozen=True, slots=True)
class CheckedSite:
    root: Path
    site: Site
    articles: Mapping[str, Article]


def check_site_at(root: Path, diags: Diagnostics, md: MarkdownIt | None = None) -> CheckedSite:
    md = md or make_markdown()
    site = validate_site(load_site(root, diags), diags)
    articles = {brief.slug: parse_article(brief, md, diags) for brief in site.briefs}
    return CheckedSite(root, site, articles)


def parse_article(brief: Brief, md: MarkdownIt, diags: Diagnostics) -> Article:
    tokens = md.parse(brief.article)
    reader = project(tokens)
    anchors = anchor_brief(brief, reader, brief.article.splitlines(), diags)
    return Article(tuple(tokens), reader, anchors)
