"""Structured data: what a page is about, as schema.org JSON-LD for search engines and
fact-check aggregators.

Each builder gives the data of one page as plain dictionaries and lists, keys in a fixed
order (so two builds write the same bytes); the theme writes it into the page's `<script
type="application/ld+json">` (its `json_ld` filter escapes it there). A brief's page is a
`NewsArticle`, an actor's page the actor (`Person`, `Organization`...), a claim's page a
`ClaimReview` when the site gives a verdict and names its publisher, else the `Claim`; the
home page is the `WebSite`. Addresses are absolute, so they are given only when the site's
base URL is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from ..source.model import Actor, Publisher, SiteConfig, Status
from . import urls
from .views import ActorView, BriefView, SiteIndex, Thread

CONTEXT = "https://schema.org"
Data = dict[str, Any]

# The nearest schema.org type of each kind of actor. A state acts and speaks through its
# government (a Country is a place), an outlet is a news organization.
TYPES = {"person": "Person", "organization": "Organization", "state": "GovernmentOrganization",
         "media": "NewsMediaOrganization", "other": "Thing"}
# How an actor of each kind belongs to its `part_of`; a Thing has no such property.
BELONGS = {"person": "memberOf", "organization": "parentOrganization", "state": "memberOf",
           "media": "parentOrganization"}
VERDICTS = {Status.DISPUTED: "Disputed", Status.CONFIRMED: "Confirmed",
            Status.REFUTED: "Refuted"}


@dataclass(frozen=True, slots=True)
class Addresses:
    """The absolute address of a page or of a file of the built site, from the base URL;
    None when the base URL is not known."""

    base_url: str | None

    def page(self, path: str) -> str | None:
        """`actors/iran/index.html` -> `<base_url>actors/iran/`."""
        return self.base_url + urls.pretty(path) if self.base_url else None

    def file(self, value: str | None) -> str | None:
        """An image of site.yaml: an absolute address as it is, a path of the built site under
        the base URL."""
        if value is None or value.startswith(("http://", "https://")):
            return value
        return self.base_url + quote(value, safe="/") if self.base_url else None


def _with_url(data: Data, url: str | None) -> Data:
    if url is not None:
        data["url"] = url
    return data


def actor_node(actor: Actor, where: Addresses) -> Data:
    """An actor as others refer to it: its type, name and page."""
    return _with_url({"@type": TYPES.get(actor.kind, "Thing"), "name": actor.name},
                     where.page(urls.actor(actor.id)))


def organization(publisher: Publisher, where: Addresses) -> Data:
    """The site's publisher (site.yaml's `publisher`); its address is the site's when
    site.yaml gives none."""
    data = _with_url({"@type": "Organization", "name": publisher.name},
                     publisher.url or where.page(urls.home()))
    logo = where.file(publisher.logo)
    if logo is not None:
        data["logo"] = logo
    return data


def website(config: SiteConfig, where: Addresses) -> Data:
    """The home page: the site itself."""
    data = _with_url({"@context": CONTEXT, "@type": "WebSite", "name": config.title},
                     where.page(urls.home()))
    if config.description:
        data["description"] = config.description
    data["inLanguage"] = config.language
    if config.publisher is not None:
        data["publisher"] = organization(config.publisher, where)
    return data


def news_article(view: BriefView, where: Addresses) -> Data:
    """A brief's page: the article as its outlet published it, and the actors it involves.
    Its description, language and tags are left to the page's `<meta>` tags and `lang`,
    which say the same (a brief's page stays light)."""
    brief, source = view.brief, view.brief.source
    data = _with_url({"@context": CONTEXT, "@type": "NewsArticle", "headline": brief.title,
                      "datePublished": brief.date.isoformat()},
                     where.page(urls.brief(brief.slug)))
    if source.author:
        data["author"] = {"@type": "Person", "name": source.author}
    data["publisher"] = {"@type": "NewsMediaOrganization", "name": source.outlet}
    if source.url:
        data["isBasedOn"] = source.url
    if view.actors:
        data["mentions"] = [actor_node(actor, where) for actor in view.actors]
    return data


def actor_data(view: ActorView, where: Addresses, description: str | None) -> Data:
    """An actor's page: who or what it is, its other names, what it belongs to."""
    actor = view.actor
    data = {"@context": CONTEXT, **actor_node(actor, where)}
    if actor.aliases:
        data["alternateName"] = list(actor.aliases)
    if description:
        data["description"] = description
    if actor.role and actor.kind == "person":
        data["jobTitle"] = actor.role
    belongs = BELONGS.get(actor.kind)
    if view.chain and belongs:
        data[belongs] = actor_node(view.chain[0], where)
    return data


def claim_data(thread: Thread, index: SiteIndex, where: Addresses) -> Data:
    """A claim's page: the site's review of the claim when it gives a verdict and names its
    publisher (a ClaimReview says who reviewed it); else the claim itself."""
    claim, publisher = thread.claim, index.site.config.publisher
    url = where.page(urls.claim(claim.id))
    authors = [actor_node(index.actor(ref.id), where) for ref in claim.by]
    first = _with_url({"@type": "CreativeWork", "headline": thread.brief.title,
                       "datePublished": thread.brief.date.isoformat()},
                      where.page(urls.brief(thread.brief.slug)))
    made = {"author": authors[0] if len(authors) == 1 else authors,
            "datePublished": claim.date.isoformat(), "firstAppearance": first}
    verdict = VERDICTS.get(claim.status)
    if verdict is None or publisher is None:
        data = _with_url({"@context": CONTEXT, "@type": "Claim"}, url)
        return {**data, "text": claim.text, **made}
    data = _with_url({"@context": CONTEXT, "@type": "ClaimReview"}, url)
    data["claimReviewed"] = claim.text
    data["author"] = organization(publisher, where)
    data["reviewRating"] = {"@type": "Rating", "alternateName": verdict}
    if claim.verdicts:  # the current verdict: when it was given, and why
        data["datePublished"] = claim.verdicts[-1].date.isoformat()
        data["reviewBody"] = claim.verdicts[-1].reason
    data["itemReviewed"] = {"@type": "Claim", **made}
    return data
