"""The validated site: frozen records that cross the stages of a build.

Every record an editor wrote keeps the `Span` it came from, so any later stage
(anchoring, rendering) can still point at the right `file:line:col`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from ..base.diagnostics import Span
from .yamlsrc import Ref

ACTOR_KINDS = ("person", "organization", "state", "media", "other")
KIND_MEANINGS = {"person": "one person", "organization": "a body, company, party or union",
                 "state": "a country or its government", "media": "an outlet or news agency",
                 "other": "anything else"}


class Status(StrEnum):
    UNVERIFIED = "unverified"
    DISPUTED = "disputed"
    CONFIRMED = "confirmed"
    REFUTED = "refuted"


STATUS_MEANINGS = {"unverified": "not yet established either way",
                   "disputed": "contested by credible parties",
                   "confirmed": "established as true", "refuted": "established as false"}


@dataclass(frozen=True, slots=True)
class Stance:
    name: str
    meaning: str
    polarity: str  # "+", "0" or "-"
    cameo: str | None = None
    reverses: bool = False  # takes back the actor's own earlier stance (see `withdrawn`)

    @property
    def polarity_word(self) -> str:
        return {"+": "for", "0": "neither", "-": "against"}[self.polarity]


BUILTIN_STANCES: tuple[Stance, ...] = (
    Stance("asserts", "makes or repeats the claim", "+", "010"),
    Stance("confirms", "says the claim is true", "+", "019"),
    Stance("supports", "backs the claim or its claimant", "+", "051"),
    Stance("acknowledges", "accepts a fact asserted against itself", "+", "015"),
    Stance("qualifies", "agrees in part, adds caveats", "0"),
    Stance("questions", "doubts it, or calls for verification", "0", "09x"),
    Stance("no-comment", "declines to respond", "0", "011"),
    Stance("declines-to-deny", "is asked and does not deny", "0"),
    Stance("warns", "warns of harm or escalation if it is true", "0", "012"),
    Stance("threatens", "promises action against someone if it is true", "0", "13x"),
    Stance("disputes", "contests facts or figures, short of denial", "-", "111"),
    Stance("denies", "says the claim is false", "-", "016"),
    Stance("condemns", "denounces the claim or its claimant", "-", "111"),
    Stance("accuses", "answers by blaming another actor", "-", "112"),
    Stance("retracts", "withdraws its own earlier claim, or its support for the claim", "-",
           "080", reverses=True),
    Stance("apologizes", "apologizes for what the claim says it did, accepting it", "+", "055"),
    Stance("promises-to-investigate", "says it will look into the claim", "0", "090"),
)


@dataclass(frozen=True, slots=True)
class Publisher:
    """Who publishes the site and gives its claims' verdicts (site.yaml's `publisher`)."""

    name: str
    url: str | None = None  # an absolute web address; the site's base URL when not given
    logo: str | None = None  # a path of the built site, or an absolute web address


LINK_STYLES = ("folders", "files")  # links to `actors/iran/`, or to `actors/iran/index.html`


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str = "Briefs"
    description: str | None = None
    language: str = "en"
    base_url: str | None = None
    domain: str | None = None  # a custom domain for GitHub Pages: written to CNAME
    stances: tuple[Stance, ...] = BUILTIN_STANCES
    image: str | None = None  # for link previews: a path of the built site, or an address
    publisher: Publisher | None = None
    links: str = "folders"  # one of LINK_STYLES
    search: bool = False  # `search: true`, with Pagefind installed: a search page and index

    @property
    def file_links(self) -> bool:
        """Whether links name each page's `index.html` (for browsing the output from disk)."""
        return self.links == "files"

    def stance(self, name: str) -> Stance:
        return next(s for s in self.stances if s.name == name)


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    kind: str
    span: Span
    aliases: tuple[str, ...] = ()
    role: str | None = None
    part_of: Ref | None = None
    description: str | None = None
    declared_in: str | None = None  # the brief slug for inline actors, None for the registry
    name_spans: tuple[Span, ...] = ()  # where the name and each alias are written, in order

    @property
    def names(self) -> tuple[str, ...]:
        """The name, then the aliases: what an article may call the actor."""
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Quote:
    """A W3C-style TextQuoteSelector: the exact words, optionally with context."""

    exact: str
    span: Span
    prefix: str | None = None
    suffix: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a verdict rests on: a brief of the site (`brief`, its slug) or a web address."""

    span: Span
    brief: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """One change of a claim's status: to what, when, why, on what evidence."""

    status: Status
    date: dt.date
    reason: str
    span: Span
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    brief: str
    by: tuple[Ref, ...]
    text: str
    status: Status
    date: dt.date
    span: Span
    about: tuple[Ref, ...] = ()
    quote: Quote | None = None
    verdicts: tuple[Verdict, ...] = ()  # the changes of its status, oldest first

    @property
    def since(self) -> dt.date | None:
        """The date of the latest change of its status; None without a history."""
        return self.verdicts[-1].date if self.verdicts else None


@dataclass(frozen=True, slots=True)
class Response:
    """A response to a claim; `key` is unique within its brief (`response-3`)."""

    key: str
    brief: str
    claim: Ref
    by: Ref
    stance: str
    date: dt.date
    span: Span
    quote: Quote | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    outlet: str
    url: str | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Brief:
    slug: str
    title: str
    date: dt.date
    source: Source
    article: str  # the Markdown text of <slug>.md
    md_path: str
    yaml_path: str
    span: Span
    summary: str | None = None
    tags: tuple[str, ...] = ()
    claims: tuple[Claim, ...] = ()
    responses: tuple[Response, ...] = ()
    actors: tuple[Actor, ...] = ()
    answered: tuple[str, ...] = ()  # claims answered by responses left out for a mistake


@dataclass(frozen=True, slots=True)
class Site:
    config: SiteConfig
    actors: tuple[Actor, ...]
    briefs: tuple[Brief, ...]
    actor_by_id: dict[str, Actor] = field(default_factory=dict, compare=False)
    claim_by_id: dict[str, Claim] = field(default_factory=dict, compare=False)
