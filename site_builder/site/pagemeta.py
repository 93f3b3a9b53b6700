"""What each page says about itself in its `<head>`: a description, Open Graph's type,
date, tags, image and locale, and its structured data (`structured`).

A brief's page is described by its summary (or its article's first paragraph), an actor's by
its description (or its role), a claim's by its text; the lists and the home page by the
site's description. The theme's `meta.html` writes them as `<meta>` tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt

from ..source.model import Actor
from ..text.readertext import make_markdown
from ..text.summaries import cut, one_line, plain_text
from . import structured
from .views import ActorView, BriefView, SiteIndex, Thread

# A language tag with a region (`pt-BR`), which Open Graph writes as a locale (`pt_BR`).
REGIONAL = re.compile(r"^([A-Za-z]{2,3})-([A-Za-z]{2})$")


@dataclass(frozen=True, slots=True)
class PageMeta:
    """A page's description of itself; what a page does not have is None or empty."""

    description: str | None  # plain text, at most 200 characters
    type: str = "website"  # og:type: 'article' for a brief, else 'website'
    published: str | None = None  # article:published_time, an ISO 8601 date
    tags: tuple[str, ...] = ()  # article:tag, one each
    image: str | None = None  # og:image, an absolute address
    locale: str | None = None  # og:locale, such as `pt_BR`
    structured: dict[str, Any] | None = None  # the page's JSON-LD


def og_locale(language: str) -> str | None:
    """`pt-BR` -> `pt_BR`; None for a tag without a region (`en`), which Open Graph's locales
    cannot write."""
    match = REGIONAL.match(language)
    return f"{match.group(1).lower()}_{match.group(2).upper()}" if match else None


class Describer:
    """The `PageMeta` of each kind of page of an indexed site."""

    def __init__(self, index: SiteIndex) -> None:
        self.index = index
        self.config = config = index.site.config
        self.where = structured.Addresses(config.base_url)
        self.image = self.where.file(config.image)
        self.locale = og_locale(config.language)
        self._md: MarkdownIt | None = None
        self._actors: dict[str, str | None] = {}

    def page(self, description: str | None = None, data: dict[str, Any] | None = None,
             **article: Any) -> PageMeta:
        """A page's meta: the site's description when the page has none of its own."""
        return PageMeta(description or self.config.description, image=self.image,
                        locale=self.locale, structured=data, **article)

    def home(self) -> PageMeta:
        return self.page(data=structured.website(self.config, self.where))

    def brief(self, view: BriefView) -> PageMeta:
        brief, description = view.brief, view.article.description or None
        return self.page(description,
                         structured.news_article(view, self.where),
                         type="article", published=brief.date.isoformat(), tags=brief.tags)

    def actor(self, view: ActorView) -> PageMeta:
        description = self.actor_description(view.actor)
        return self.page(description, structured.actor_data(view, self.where, description))

    def claim(self, thread: Thread) -> PageMeta:
        return self.page(cut(one_line(thread.claim.text)),
                         structured.claim_data(thread, self.index, self.where))

    def actor_description(self, actor: Actor) -> str | None:
        """The actor's description in plain text, else its role; None without either."""
        if actor.id not in self._actors:
            if actor.description:
                self._md = self._md or make_markdown()
                text: str | None = cut(plain_text(self._md, actor.description))
            else:
                text = cut(one_line(actor.role)) if actor.role else None
            self._actors[actor.id] = text or None
        return self._actors[actor.id]
