"""Reading one YAML file into records: the actor registry, or one brief's annotations.

Each function looks at a single file and checks its shape: required fields,
types, ids, dates, allowed values. What needs the whole site (does this actor
exist? is this claim id used twice?) is `validate.py`'s job.
"""

from __future__ import annotations

import datetime as dt

import yaml

from ..base.diagnostics import Diagnostics, Span
from .controls import check_article, check_yaml
from .load import BriefSource, TextFile
from .model import (
    ACTOR_KINDS,
    KIND_MEANINGS,
    STATUS_MEANINGS,
    Actor,
    Brief,
    Claim,
    Quote,
    Response,
    SiteConfig,
    Source,
    Status,
)
from .verdicts import current_status, read_verdicts
from .yamlsrc import Fields, parse_yaml

ACTOR_FIELDS = ("id", "name", "kind", "aliases", "role", "part_of", "description")
BRIEF_FIELDS = ("title", "date", "source", "summary", "tags", "actors", "claims", "responses")
SOURCE_FIELDS = ("outlet", "url", "author")
CLAIM_FIELDS = ("id", "by", "about", "text", "quote", "status", "date", "verdicts")
RESPONSE_FIELDS = ("claim", "by", "stance", "quote", "date", "note")
QUOTE_FIELDS = ("exact", "prefix", "suffix")
UNKNOWN_DATE = dt.date(1970, 1, 1)  # stands in for a missing or wrong date (an error is reported)
QUOTE_HINT = "give the exact words of the article, or a mapping with exact/prefix/suffix"


def read_registry(source: TextFile | None, diags: Diagnostics) -> tuple[Actor, ...]:
    """The actors of briefs/_actors.yaml (none when the file does not exist). When it cannot
    be read (not YAML, not a mapping), it is noted in `diags.unread`."""
    if source is None:
        return ()
    before = len(diags)
    root = parse_yaml(source.text, source.path, diags, empty_ok=True)
    fields = None
    if root is not None:
        check_yaml(root, source.text, source.path, diags)
        fields = Fields.of(root, source.path, diags, "the actor registry", ("actors",))
    if fields is None:
        if len(diags) > before:  # not an empty file: one that cannot be read
            diags.unread[source.path] = (source.text,)
        return ()
    return read_actors(fields, None)


def read_actors(fields: Fields, brief: str | None) -> tuple[Actor, ...]:
    actors = []
    for node in fields.sequence("actors", "actor"):
        item = Fields.of(node, fields.path, fields.diags, "an actor", ACTOR_FIELDS)
        if item is not None and (actor := _actor(item, brief)) is not None:
            actors.append(actor)
    return tuple(actors)


def _actor(fields: Fields, brief: str | None) -> Actor | None:
    """The actor, even when a field is wrong (the error is reported; nothing is published),
    so that its id is still known and no "unknown actor" error follows from one typo."""
    ident = fields.ident("id", required=True)
    name = fields.text("name", required=True, hint="name: the name readers know, e.g. Peter Stano")
    kind = fields.choice("kind", ACTOR_KINDS, required=True, meanings=KIND_MEANINGS)
    if ident is None:
        return None
    aliases = fields.texts("aliases")
    return Actor(
        id=ident.id, name=name or ident.id, kind=kind or "other", span=fields.span(),
        aliases=aliases, role=fields.text("role"),
        part_of=fields.ident("part_of"), description=fields.text("description"),
        declared_in=brief, name_spans=(fields.span("name"), *_alias_spans(fields)),
    )


def _alias_spans(fields: Fields) -> list[Span]:
    """Where each alias is written: the items `Fields.texts` keeps, in the same order."""
    node = fields.values.get("aliases")
    if node is None:
        return []
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    return [fields.at(item) for item in items
            if isinstance(item, yaml.ScalarNode) and str(item.value).strip()]


def read_brief(source: BriefSource, config: SiteConfig, diags: Diagnostics) -> Brief | None:
    """One brief's annotations, or None when they are not a mapping at all.

    A brief with a wrong or missing field is still returned, with a stand-in
    for that field: its error is reported (so nothing is published), and its
    claims, responses and actors are still checked against the rest of the site.
    """
    path = source.annotations.path
    if not source.article.text.strip():
        diags.error(Span(source.article.path), "the article is empty",
                    "paste the article's text into the .md file")
    check_article(source.article.text, source.article.path, diags)
    root = parse_yaml(source.annotations.text, path, diags)
    check_yaml(root, source.annotations.text, path, diags)
    fields = Fields.of(root, path, diags, "a brief", BRIEF_FIELDS) if root else None
    if fields is None:
        diags.unread[path] = (source.annotations.text, source.article.text)
        return None
    title = fields.text("title", required=True)
    date = fields.date("date", required=True)
    outlet = _source(fields)
    slug = source.slug
    date = date or UNKNOWN_DATE
    claims = tuple(_claims(fields, slug, date))
    responses, answered = _responses(fields, slug, date, config)
    return Brief(
        slug=slug, title=title or slug, date=date, source=outlet or Source(""),
        article=source.article.text, md_path=source.article.path, yaml_path=path,
        span=fields.span(), summary=fields.text("summary"), tags=fields.texts("tags"),
        claims=claims, responses=tuple(responses), actors=read_actors(fields, slug),
        answered=tuple(answered),
    )


def _source(fields: Fields) -> Source | None:
    hint = "source:\n  outlet: Agence France-Presse"
    if not fields.has("source"):
        if not any(meant.startswith("source.") for meant in fields.meant.values()):
            fields.diags.error(fields.span("source"),
                               "a brief is missing the required field 'source'", hint)
        return None
    source = fields.mapping("source", "'source'", SOURCE_FIELDS)
    if source is None:
        return None
    outlet = source.text("outlet", required=True, hint=hint)
    url = source.text("url")
    if url is not None and not url.startswith(("http://", "https://")):
        fields.diags.error(source.span("url"), f"'{url}' is not a web address",
                           "write it in full, starting with https://")
        url = None
    return Source(outlet, url, source.text("author")) if outlet else None


def _claims(fields: Fields, slug: str, default_date: dt.date) -> list[Claim]:
    claims = []
    for node in fields.sequence("claims", "claim"):
        item = Fields.of(node, fields.path, fields.diags, "a claim", CLAIM_FIELDS)
        if item is None:
            continue
        ident = item.ident("id", required=True)
        by = item.idents("by", required=True, hint="by: the id of the actor making the claim")
        text = item.text("text", required=True, hint="text: the claim, in the editor's words")
        status = item.choice("status", [s.value for s in Status],
                             required=not item.has("verdicts"), meanings=STATUS_MEANINGS)
        quote = _quote(item)
        date = item.date("date") or default_date
        verdicts = read_verdicts(item, date)
        if ident:  # kept with stand-ins when a field is wrong: its id is known to responses
            claims.append(Claim(ident.id, slug, by, text or ident.id,
                                current_status(item, status, verdicts), date, item.span(),
                                item.idents("about"), quote, verdicts))
    return claims


def _responses(fields: Fields, slug: str, default_date: dt.date,
               config: SiteConfig) -> tuple[list[Response], list[str]]:
    """The responses, and the claims answered by those left out for a mistake (so that no
    claim is then said to have no response)."""
    responses, answered = [], []
    stances = [s.name for s in config.stances]
    meanings = {s.name: s.meaning for s in config.stances}
    for number, node in enumerate(fields.sequence("responses", "response"), start=1):
        item = Fields.of(node, fields.path, fields.diags, "a response", RESPONSE_FIELDS)
        if item is None:
            continue
        claim = item.ident("claim", required=True, hint="claim: the id of the claim answered")
        by = item.ident("by", required=True, hint="by: the id of the responding actor")
        stance = item.choice("stance", stances, required=True, meanings=meanings)
        quote = _quote(item)
        date = item.date("date") or default_date
        if claim and by:  # kept with a stand-in stance when it is wrong, to check the rest
            responses.append(Response(f"response-{number}", slug, claim, by,
                                      stance or "asserts", date, item.span(), quote,
                                      item.text("note")))
        elif claim:
            answered.append(claim.id)
    return responses, answered


def _quote(item: Fields) -> Quote | None:
    node = item.values.get("quote")
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode):
        exact = item.text("quote")
        return Quote(exact, item.span("quote")) if exact else None
    selector = Fields.of(node, item.path, item.diags, "'quote'", QUOTE_FIELDS)
    if selector is None:
        return None
    exact = selector.text("exact", required=True, hint=QUOTE_HINT)
    if exact is None:
        return None
    return Quote(exact, selector.span("exact"), selector.text("prefix"), selector.text("suffix"))

