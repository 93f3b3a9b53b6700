"""A brief's claims and responses as W3C Web Annotations, for annotation tools.

`annotations_document` makes one JSON-LD document per brief: an `AnnotationCollection`
with its only `AnnotationPage` embedded (the model's shape for a set small enough for one
page), one `Annotation` per claim and per response, in the order of the page's labels (C1,
C2..., then R1, R2...). The page and each annotation have their own `@context`, so that a
tool can take one out and use it as it is (an annotation server wants it so).

Each annotation targets the brief's page: its quote by a `TextQuoteSelector` (the words,
and up to 32 code points before and after) and, as an alternative, by the element holding
the article (`#article`) refined by a `TextPositionSelector` in the article's reader text.
A claim or response without a quote targets the whole page.

Addresses are absolute under `base_url`; without one they are relative references, which
JSON-LD resolves against the document's own address wherever the site is served (or
opened from disk). Nothing depends on when the site is built: `created` is the brief's date.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any

from ..site import urls
from ..site.views import Annotated, BriefView
from ..source.model import SiteConfig
from ..text.selectors import QuoteSelector

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ARTICLE_ELEMENT = "#article"  # the element of brief.html holding the article
Json = dict[str, Any]


class Addresses:
    """Addresses as the annotations of one brief name them: absolute under the site's
    `base_url`, else relative to the annotation document itself."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.base_url: str | None = context["site"].base_url
        self.url: urls.Linker = context["url"]
        here: str = context["page_path"]
        self.own = self.base_url + here if self.base_url else posixpath.basename(here)

    def page(self, path: str) -> str:
        """The address of the site's file at `path` (a page: its folder's address)."""
        return self.base_url + urls.pretty(path) if self.base_url else self.url.to(path)

    def item(self, fragment: str) -> str:
        """The address of a part of the document itself: `annotations.jsonld#claim-x`."""
        return f"{self.own}#{fragment}"


def annotations_document(context: Mapping[str, Any]) -> Json:
    """The Web Annotation collection of the brief of `context["view"]`."""
    view: BriefView = context["view"]
    config: SiteConfig = context["site"]
    at = Addresses(context)
    selectors = {s.key: s for s in view.article.selectors}
    items = [_annotation(item, view, config, at, selectors.get(item.key))
             for item in view.annotations]
    document: Json = {"@context": CONTEXT, "id": at.own, "type": "AnnotationCollection",
                      "label": f"Claims and responses: {view.brief.title}", "total": len(items)}
    if items:  # the model: a collection with no annotation has no pages
        page = at.item("page-1")
        document["first"] = {"@context": CONTEXT, "id": page, "type": "AnnotationPage",
                             "startIndex": 0, "items": items}
        document["last"] = page
    return document


def _annotation(item: Annotated, view: BriefView, config: SiteConfig, at: Addresses,
                selector: QuoteSelector | None) -> Json:
    brief = view.brief
    page = at.page(urls.brief(brief.slug))
    claim_page = {"type": "SpecificResource", "purpose": "linking",
                  "source": at.page(urls.claim(item.claim.id))}
    if item.response is None:
        motivation = "describing"
        body = [_text("describing", item.claim.text, config.language),
                {"type": "TextualBody", "purpose": "assessing", "value": str(item.claim.status)},
                *(_actor(ref.id, at) for ref in item.claim.by), claim_page]
    else:
        response = item.response
        motivation = "tagging"
        body = [{"type": "TextualBody", "purpose": "tagging", "value": response.stance},
                _actor(response.by.id, at), claim_page]
        if response.note:
            body.append(_text("commenting", response.note, config.language, "text/markdown"))
    return {"@context": CONTEXT, "id": at.item(item.key), "type": "Annotation",
            "motivation": motivation,
            "created": f"{brief.date.isoformat()}T00:00:00Z", "body": body,
            "target": page if selector is None else _target(page, selector)}


def _text(purpose: str, value: str, language: str, media_type: str = "text/plain") -> Json:
    return {"type": "TextualBody", "purpose": purpose, "value": value, "format": media_type,
            "language": language}


def _actor(actor_id: str, at: Addresses) -> Json:
    """Who says the quoted words (or makes the claim): the actor's page."""
    return {"type": "SpecificResource", "purpose": "identifying",
            "source": at.page(urls.actor(actor_id))}


def _target(page: str, selector: QuoteSelector) -> Json:
    quote: Json = {"type": "TextQuoteSelector", "exact": selector.exact}
    if selector.prefix:
        quote["prefix"] = selector.prefix
    if selector.suffix:
        quote["suffix"] = selector.suffix
    position = {"type": "TextPositionSelector", "start": selector.start, "end": selector.end}
    return {"source": page, "selector": [
        quote, {"type": "CssSelector", "value": ARTICLE_ELEMENT, "refinedBy": position}]}
