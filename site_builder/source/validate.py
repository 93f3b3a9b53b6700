"""Checks that need the whole site: ids unique everywhere, references that resolve.

`validate_site` reads every file (via `config` and `annotations`), then checks
what crosses files: duplicate actor and claim ids, unknown actors and claims,
`part_of` loops; and warns about claims no one answers. The warning about actors
no brief mentions waits for the articles' stage, which finds the actors each
article names (`warn_unmentioned`). Those two warnings are `pending`: they say how
the news stands, and `--strict` lets them pass. So does the one warning, `optional`,
that claims with a verdict get no ClaimReview while site.yaml names no publisher.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath as Path
from typing import Any, TypeVar

from ..base.diagnostics import Diagnostic, Diagnostics, Span, did_you_mean
from .annotations import UNKNOWN_DATE, read_brief, read_registry
from .config import read_config
from .load import SITE_CONFIG, SiteSources
from .model import Actor, Brief, Claim, Site, SiteConfig, Status
from .names import findable, name_owners
from .yamlsrc import Ref

R = TypeVar("R", Actor, Claim)


def validate_site(sources: SiteSources, diags: Diagnostics) -> Site:
    config = read_config(sources.config, diags, sources.root)
    registry = read_registry(sources.registry, diags)
    briefs = [b for s in sources.briefs if (b := read_brief(s, config, diags)) is not None]
    return check_site(config, registry, briefs, diags)


def check_site(config: SiteConfig, registry: Iterable[Actor], briefs: list[Brief],
               diags: Diagnostics) -> Site:
    """The site checked across files (the articles are not read: see `warn_unmentioned`)."""
    briefs = sorted(briefs, key=lambda b: (b.date, b.slug))
    actors = _unique_actors([*registry, *(a for b in briefs for a in b.actors)], diags)
    _warn_shared_names(actors, diags)
    claims = _unique_claims((c for b in briefs for c in b.claims), diags)
    _check_refs(actors, claims, briefs, diags)
    _check_part_of(actors, diags)
    _check_evidence(briefs, diags)
    _warn_unanswered(claims, briefs, diags)
    _warn_no_publisher(config, claims, diags)
    return Site(config, tuple(actors.values()), tuple(briefs), actors, claims)


def cross_file_facts(brief: Brief) -> tuple[Any, ...]:
    """All that the checks across files read from one brief, positions included: while these
    are the same for every brief, so are the checks' findings."""
    return (brief.slug, brief.date, brief.actors,
            tuple((c.id, c.span, c.date, c.by, c.about, c.status, c.verdicts)
                  for c in brief.claims),
            tuple((r.span, r.by, r.claim, r.date) for r in brief.responses), brief.answered)


@dataclass(frozen=True, slots=True)
class CrossChecks:
    """The last checks across files: what they read from each brief, and what they found."""

    basis: tuple[Any, ...]  # the settings and the registry they ran with
    briefs: dict[str, Brief]
    facts: dict[str, tuple[Any, ...]]
    site: Site
    uninvolved: tuple[Actor, ...]  # for `warn_unmentioned`, once the articles are processed
    diags: tuple[Diagnostic, ...]

    def with_briefs(self, changed: list[Brief], facts: dict[str, tuple[Any, ...]]) -> CrossChecks:
        """The same findings, for briefs changed in nothing the checks read."""
        if not changed:
            return self
        by_slug = {b.slug: b for b in changed}
        site = self.site
        claims = dict(site.claim_by_id)
        for brief in changed:
            claims.update((c.id, c) for c in brief.claims if claims[c.id].brief == brief.slug)
        site = Site(site.config, site.actors, tuple(by_slug.get(b.slug, b) for b in site.briefs),
                    site.actor_by_id, claims)
        return dataclasses.replace(self, briefs={**self.briefs, **by_slug},
                                   facts={**self.facts, **facts}, site=site)


def _unique_actors(actors: list[Actor], diags: Diagnostics) -> dict[str, Actor]:
    return _unique(actors, diags, "the actor id '{}' is declared twice (first at {})",
                   "give each actor one declaration and one id")


Named = tuple[Actor, int]  # an actor and one of its names: 0 for the name, 1... for its aliases


def _warn_shared_names(actors: dict[str, Actor], diags: Diagnostics) -> None:
    """A warning at each name or alias that an actor declared before already has: an
    article's mention of it links to one of them only."""
    owners = name_owners(actors.values())
    first: dict[str, Named] = {}
    for actor in actors.values():
        for i, name in enumerate(actor.names):
            if not findable(name):
                continue
            earlier = first.setdefault(name, (actor, i))
            if earlier[0] is not actor and name not in actor.names[:i]:
                later = (actor, i)
                diags.warning(_name_span(actor, i),
                              f"{_shared(name, earlier, later)}: mentions of it in articles "
                              f"are linked to '{owners[name]}' only", _shared_hint(earlier, later))


def _name_span(actor: Actor, i: int) -> Span:
    return actor.name_spans[i] if i < len(actor.name_spans) else actor.span


def _shared(name: str, earlier: Named, later: Named) -> str:
    """`'X' is the name of both 'a' (line 5) and 'b' (line 9)`, or of one and an alias of the
    other."""
    roles = [("the name" if i == 0 else "an alias") for _, i in (earlier, later)]
    first_at, here = _name_span(*earlier), _name_span(*later)
    where = f"line {first_at.line}" if first_at.path == here.path else str(first_at)
    a, b = f"'{earlier[0].id}' ({where})", f"'{later[0].id}' (line {here.line})"
    if roles[0] == roles[1]:
        return f"'{name}' is {roles[0]} of both {a} and {b}"
    return f"'{name}' is {roles[0]} of {a} and {roles[1]} of {b}"


def _shared_hint(earlier: Named, later: Named) -> str:
    aliased = [actor.id for actor, i in (earlier, later) if i > 0]
    if not aliased:
        return ("if they are one actor, keep one of the two declarations; if not, give each "
                "a name of its own")
    if len(aliased) == 2:
        return "remove the alias from one of them, or change it to a name only one is known by"
    return (f"remove the alias from '{aliased[0]}', or change it to a name only "
            f"'{aliased[0]}' is known by")


def _unique_claims(claims: Iterable[Claim], diags: Diagnostics) -> dict[str, Claim]:
    return _unique(claims, diags, "the claim id '{}' is used twice (first at {})",
                   "claim ids are unique across the whole site")


def _unique(records: Iterable[R], diags: Diagnostics, message: str, hint: str) -> dict[str, R]:
    """Records by id; an error at each later record that reuses an id."""
    by_id: dict[str, R] = {}
    for record in records:
        first = by_id.setdefault(record.id, record)
        if first is not record:
            diags.error(record.span, message.format(record.id, first.span), hint)
    return by_id


def _check_ref(ref: Ref, known: Mapping[str, object], what: str, diags: Diagnostics) -> None:
    if ref.id not in known:
        hint = did_you_mean(ref.id, known) or f"declare it, or use one of the known {what} ids"
        diags.error(ref.span, f"unknown {what} '{ref.id}'", hint, depends=(ref.id,))


def _check_refs(actors: dict[str, Actor], claims: dict[str, Claim], briefs: list[Brief],
                diags: Diagnostics) -> None:
    for actor in actors.values():
        if actor.part_of is not None:
            _check_ref(actor.part_of, actors, "actor", diags)
    for brief in briefs:
        for claim in brief.claims:
            for ref in (*claim.by, *claim.about):
                if ref.id not in actors:
                    _check_ref(ref, actors, "actor", diags)
        for response in brief.responses:
            if response.by.id not in actors:
                _check_ref(response.by, actors, "actor", diags)
            answered = claims.get(response.claim.id)
            if answered is None:
                _check_ref(response.claim, claims, "claim", diags)
            elif response.date < answered.date and UNKNOWN_DATE not in (response.date,
                                                                         answered.date):
                diags.warning(response.span, f"this response ({response.date}) is dated before "
                              f"the claim it answers ({answered.date})",
                              "check the 'date' of the response or of the claim")


def _check_evidence(briefs: list[Brief], diags: Diagnostics) -> None:
    """An error at each verdict's evidence that names a brief the site does not have (none
    for a brief whose annotations could not be read: their error says why)."""
    slugs = {brief.slug for brief in briefs}
    slugs.update(Path(path).stem for path in diags.unread)
    for brief in briefs:
        for claim in brief.claims:
            for verdict in claim.verdicts:
                for evidence in verdict.evidence:
                    if evidence.brief is not None and evidence.brief not in slugs:
                        hint = did_you_mean(evidence.brief, slugs) or (
                            "give the name of a brief of this site (its file name without "
                            ".md), or a web address starting with https://")
                        diags.error(evidence.span, f"unknown brief '{evidence.brief}' in the "
                                    "evidence of a verdict", hint, depends=(evidence.brief,))


def _check_part_of(actors: dict[str, Actor], diags: Diagnostics) -> None:
    for actor in actors.values():
        seen = [actor.id]
        current = actor
        while current.part_of is not None and current.part_of.id in actors:
            parent = current.part_of.id
            if parent in seen:
                if parent == actor.id:
                    chain = " -> ".join([*seen, parent])
                    diags.error(actor.part_of.span if actor.part_of else actor.span,
                                f"'part_of' makes a loop: {chain}",
                                "an actor cannot be part of itself; remove one 'part_of'")
                break
            seen.append(parent)
            current = actors[parent]


def _warn_unanswered(claims: dict[str, Claim], briefs: list[Brief],
                     diags: Diagnostics) -> None:
    answered = {response.claim.id for brief in briefs for response in brief.responses}
    answered.update(claim for brief in briefs for claim in brief.answered)
    for claim in claims.values():
        if claim.id not in answered:
            diags.warning(claim.span, f"the claim '{claim.id}' has no response in any brief",
                          f"record who answered it: a response with 'claim: {claim.id}'",
                          pending=True,  # news: the answer may not have come yet
                          depends=(claim.id,))


NO_PUBLISHER_HINT = ("add a publisher: block to site.yaml: the name and url of the "
                     "organization that gives the verdicts")


def _warn_no_publisher(config: SiteConfig, claims: dict[str, Claim], diags: Diagnostics) -> None:
    """One warning, at site.yaml, when claims have a verdict and no one is named to give it:
    a ClaimReview says who reviewed the claim, so without a publisher their pages carry none.
    Not a mistake (`optional`): the site is complete without it."""
    if config.publisher is not None:
        return
    judged = sum(1 for claim in claims.values() if claim.status is not Status.UNVERIFIED)
    if judged == 1:
        message = ("1 claim has a verdict, but its page carries no ClaimReview: site.yaml "
                   "names no publisher to give it")
    elif judged:
        message = (f"{judged} claims have a verdict, but their pages carry no ClaimReview: "
                   "site.yaml names no publisher to give them")
    else:
        return
    diags.warning(Span(SITE_CONFIG), message, NO_PUBLISHER_HINT, optional=True)


def uninvolved(site: Site) -> tuple[Actor, ...]:
    """The actors that no claim or response involves, nor one of their members (`part_of`):
    those `warn_unmentioned` looks for in the articles."""
    used = {ref.id for brief in site.briefs for claim in brief.claims
            for ref in (*claim.by, *claim.about)}
    used.update(response.by.id for brief in site.briefs for response in brief.responses)
    _add_parents(used, site.actor_by_id)
    return tuple(a for a in site.actor_by_id.values() if a.id not in used)


def warn_unmentioned(actors: Sequence[Actor], named: Iterable[Collection[str]],
                     diags: Diagnostics) -> None:
    """A warning at each of the `uninvolved` `actors` that no article names. `named`: the ids
    of the actors each article names, as the articles' stage finds them in the text a reader
    sees (`mentions.named_in`): the same that the actors' pages list as mentioned."""
    mentioned = set().union(*named) if actors else set()
    for actor in actors:
        if actor.id not in mentioned:
            diags.warning(actor.span, f"no brief mentions the actor '{actor.id}'",
                          "use it in a claim or response, name it in an article, or remove it",
                          pending=True,  # news: the brief that names it may come later
                          depends=(actor.id, *actor.names))


def _add_parents(used: set[str], actors: Mapping[str, Actor]) -> None:
    stack = list(used)
    while stack:
        actor = actors.get(stack.pop())
        if actor and actor.part_of and actor.part_of.id not in used:
            used.add(actor.part_of.id)
            stack.append(actor.part_of.id)
