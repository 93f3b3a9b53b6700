"""The theme's small repeated fragments, in Python: a date, a link to an actor, a badge.

`install` registers them as Jinja filters (`render.make_environment` calls it). A page shows
dozens of these fragments, and a Jinja macro call costs tens of microseconds where a filter
is one Python call: written as macros they were most of the time spent rendering. Each gives
exactly the markup its macro of the same name in macros.html gave, and those macros are now
one-line wrappers of them. Pages and their structure stay in the templates.

Every value that comes from the site's files is escaped here; results are `Markup`, so
autoescaping leaves them as they are. Fragments that are the same on every page (a date, a
verdict, a stance) are computed once and cached; an actor's link, once for each depth of
page in the site (`ActorLinks`, one per environment).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from ..site import urls
from ..source.model import Actor, Claim, SiteConfig, Stance, Status, Verdict
from . import charts, codegen
from .jsonld import json_ld

POLARITY_SIGNS = {"+": "+", "0": "\u25cb", "-": "\u2212"}  # +, white circle, minus sign
POLARITY_WORDS = {"+": "for", "0": "neither", "-": "against"}
STATUS_SIGNS = {"unverified": "?", "disputed": "±", "confirmed": "✓", "refuted": "✗"}
MARKDOWN_CACHE = 50_000  # rendered texts kept per environment (notes, summaries)
LINKS_KEPT = 100_000  # actor links kept per environment (an actor's, at one depth)


@functools.lru_cache(maxsize=16384)
def long_date(value: dt.date) -> str:
    """`2024-09-09` -> `9 September 2024`."""
    return f"{value.day} {value:%B %Y}"


@functools.lru_cache(maxsize=16384)
def date(value: dt.date) -> Markup:
    """A date in words, in a `<time>` element."""
    return Markup(f'<time datetime="{escape(value.isoformat())}">{escape(long_date(value))}'
                  "</time>")


@functools.lru_cache(maxsize=4096)
def plural(n: int, one: str, many: str) -> Markup:
    """`1 claim`, `3 claims`."""
    return Markup(f"{escape(n)} {escape(one if n == 1 else many)}")


def link_actor(url: Any, actor: Actor) -> Markup:
    """An actor's name linking to its page, with links made by `url` (the page's helper)."""
    start, end = _link_parts(actor.kind, actor.name)
    return Markup(f"{start}{escape(url.actor(actor.id))}{end}")


@functools.lru_cache(maxsize=4096)
def _link_parts(kind: str, name: str) -> tuple[str, str]:
    """An actor link's markup before and after its address: the same on every page."""
    return f'<a class="actor kind-{escape(kind)}" href="', f'">{escape(name)}</a>'


class ActorLinks:
    """`link_actor`, remembering the links it made for one environment: an actor's link is
    the same on every page as deep in the site, in the same style of links (a relative link
    depends on nothing else), and the pages of a site show each actor's link thousands of
    times."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, bool, str, str, str], Markup] = {}

    def link(self, url: Any, actor: Actor) -> Markup:
        """`link_actor(url, actor)`."""
        if type(url) is not urls.Linker:  # the 404 page's, or a test's own helper
            return link_actor(url, actor)
        key = (url.up, url.files, actor.id, actor.kind, actor.name)
        found = self._made.get(key)
        if found is None:
            if len(self._made) >= LINKS_KEPT:
                self._made.clear()
            found = self._made[key] = link_actor(url, actor)
        return found

    def join(self, url: Any, actors: Sequence[Actor]) -> Markup:
        """Several actors, linked: `A`, `A and B`, `A, B and C`."""
        if len(actors) == 1:
            return self.link(url, actors[0])
        links = [self.link(url, a) for a in actors]
        if not links:
            return Markup("")
        # joined as plain text: `str + Markup` would escape the links already made
        return Markup(f"{', '.join(links[:-1])} and {links[-1]}")


def _page(context: jinja2.runtime.Context, name: str) -> Any:
    """A variable every page receives (`url`, `index`, `stance`), for the filters that link."""
    try:
        return context[name]
    except KeyError:
        raise jinja2.UndefinedError(
            f"'{name}' is undefined here: this filter needs the page's '{name}' (in a macro, "
            "import its file 'with context')") from None


def linking_filters(links: ActorLinks) -> dict[str, Callable[..., Markup]]:
    """The filters that link actors (`actor_link`, `actor_ref`, `actors`), with `links`."""

    @jinja2.pass_context
    def actor_link(context: jinja2.runtime.Context, actor: Actor) -> Markup:
        """An actor, linked."""
        return links.link(_page(context, "url"), actor)

    @jinja2.pass_context
    def actor_ref(context: jinja2.runtime.Context, ref: Any) -> Markup:
        """The actor a reference (`claim.by[0]`, `response.by`...) names, linked."""
        return links.link(_page(context, "url"), _page(context, "index").actor(ref.id))

    @jinja2.pass_context
    def actors(context: jinja2.runtime.Context, refs: Iterable[Any]) -> Markup:
        """The actors references name, linked: `A, B and C`."""
        actor = _page(context, "index").actor
        return links.join(_page(context, "url"), [actor(ref.id) for ref in refs])

    return {"actor_link": actor_link, "actor_ref": actor_ref, "actors": actors}


class StanceBadges:
    """`stance_badge` given a stance's name, remembering each name's badge for one
    environment: a page's `stance` looks the name up among all the site's stances, and every
    page of a build looks them up in the same settings."""

    def __init__(self) -> None:
        self._made: dict[str, tuple[SiteConfig, Markup]] = {}

    def of_name(self, look_up: Callable[[str], Stance], name: str) -> Markup:
        """The badge of the stance `look_up(name)` gives (the page's `stance`)."""
        if getattr(look_up, "__func__", None) is not SiteConfig.stance:  # a look-up of its own
            return badge_of_stance(_stance_named(look_up, name))
        settings = look_up.__self__  # type: ignore[attr-defined]
        found = self._made.get(name)
        if found is None or found[0] is not settings:  # settings frozen: the same answers
            found = self._made[name] = (settings, badge_of_stance(_stance_named(look_up, name)))
        return found[1]


def _stance_named(look_up: Callable[[str], Stance], name: str) -> Stance:
    try:
        return look_up(name)
    except StopIteration:  # SiteConfig.stance: no stance of that name
        raise jinja2.UndefinedError(f"there is no stance named '{name}'") from None


def stance_filter(badges: StanceBadges) -> Callable[..., Markup]:
    """The `stance_badge` filter, with `badges`."""

    @jinja2.pass_context
    def stance_badge(context: jinja2.runtime.Context, stance: Stance | str) -> Markup:
        """A stance, by name or as the stance itself: its sign (+, ○, −) and its name."""
        if isinstance(stance, str):
            return badges.of_name(_page(context, "stance"), stance)
        return badge_of_stance(stance)

    return stance_badge


@functools.lru_cache(maxsize=1024)
def badge_of_stance(s: Stance) -> Markup:
    cameo = f", CAMEO {escape(s.cameo)}" if s.cameo else ""
    return Markup(f'<span class="stance polarity-{POLARITY_WORDS[s.polarity]}" '
                  f'title="{escape(s.meaning)} (polarity {escape(s.polarity)}{cameo})">'
                  f'<span class="sign" aria-hidden="true">{escape(POLARITY_SIGNS[s.polarity])}'
                  f"</span> {escape(s.name)}</span>")


def status_badge(verdict: Status | Claim | Verdict) -> Markup:
    """The editor's verdict on a claim: a sign (?, ±, ✓, ✗) and a word; given the claim, and
    when its status has a history, since when (`refuted since 19 March 2025`)."""
    if isinstance(verdict, Claim):
        return _status_badge(verdict.status, verdict.since)
    if isinstance(verdict, Verdict):
        return _status_badge(verdict.status, None)
    return _status_badge(verdict, None)


@functools.lru_cache(maxsize=4096)
def _status_badge(status: Status, since: dt.date | None) -> Markup:
    value = escape(status.value)
    sign = escape(STATUS_SIGNS.get(status.value, "•"))
    when = f' <span class="since">since {date(since)}</span>' if since else ""
    return Markup(f'<span class="status status-{value}" title="The editor&rsquo;s verdict on '
                  f'the claim"><span class="sign" aria-hidden="true">{sign}</span> {value}'
                  f"{when}</span>")


def permalink(entry_id: str) -> Markup:
    """A timeline entry's link to itself: an icon, named for screen readers."""
    return Markup(f' <a class="permalink" href="#{escape(entry_id)}" '
                  'aria-label="Link to this entry" title="Link to this entry"></a>')


def quote_text(quote: Any) -> Markup:
    """The quoted words, in `<q>`; nothing without a quote."""
    return Markup(f"<q>{codegen.escape_output(quote.exact)}</q>") if quote else Markup("")


def group_by(items: Iterable[Any], attribute: str) -> list[tuple[Any, list]]:
    """Jinja's `groupby` for records: the items sorted by `attribute` (a dotted path of
    attributes), then grouped, as (value, items) pairs. Jinja's own first tries each part of
    the path as a key, which costs an exception per item and part."""
    key = operator.attrgetter(attribute)
    return [(value, list(group)) for value, group in itertools.groupby(sorted(items, key=key), key)]


def by_day_and_brief(items: Iterable[Any], date: str = "date") -> list[tuple[Any, Any, list]]:
    """Timeline entries grouped as the pages show them: by day (the attribute `date`, a dotted
    path), then by brief within a day (in slug order), as (day, brief, entries) triples. The
    same as `groupby(date)` then `groupby('brief.slug')`, in one pass."""
    day_of = operator.attrgetter(date)
    groups = []
    for day, on_day in itertools.groupby(sorted(items, key=day_of), day_of):
        for _, entries in itertools.groupby(sorted(on_day, key=_slug_of), _slug_of):
            found = list(entries)
            groups.append((day, found[0].brief, found))
    return groups


def _slug_of(entry: Any) -> str:
    return entry.brief.slug


def by_claim(annotations: Iterable[Any]) -> list[tuple[str, Any, list]]:
    """A brief's annotations as its notes show them, as (claim id, the claim's annotation,
    the annotations of the responses to it) triples: first each claim the brief makes, in
    order, then each claim made elsewhere that the brief answers, the claim's annotation
    then being None."""
    claims = [a for a in annotations if not a.response]
    answers: dict[str, list] = {}
    for a in annotations:
        if a.response:
            answers.setdefault(a.claim.id, []).append(a)
    here = {a.claim.id for a in claims}
    groups = [(a.claim.id, a, answers.get(a.claim.id, [])) for a in claims]
    groups += [(claim_id, None, found) for claim_id, found in answers.items()
               if claim_id not in here]
    return groups


def polarity_counts(tally: Iterable[tuple[Stance, int]]) -> tuple[int, int, int, int]:
    """How many responses in all, for, neither and against, from (stance, count) pairs."""
    counts = {"+": 0, "0": 0, "-": 0}
    for stance, n in tally:
        counts[stance.polarity if stance.polarity in counts else "0"] += n
    return sum(counts.values()), counts["+"], counts["0"], counts["-"]


@jinja2.pass_context
def response_chart(context: jinja2.runtime.Context, thread: Any) -> charts.ResponseChart | None:
    """The geometry of a claim's chart of responses over time (`charts.html` draws it), or
    nothing when the claim has no response."""
    answers = charts.thread_answers(thread, _page(context, "index"))
    return charts.response_chart(thread.claim.date, answers)


def activity_chart(view: Any) -> charts.ActivityChart | None:
    """The geometry of an actor's chart of its timeline entries by month, or nothing."""
    return charts.activity_chart(event.date for event in view.timeline)


def markdown_filter(md: MarkdownIt) -> Callable[[str | None], Markup]:
    """The `markdown` filter: CommonMark rendered by `md`, each text once per environment
    (a response's note shows on its brief's, its claim's and its actor's pages)."""

    @functools.lru_cache(maxsize=MARKDOWN_CACHE)
    def markdown(text: str | None) -> Markup:
        return Markup(md.render(text)) if text else Markup("")

    return markdown


def reported(func: Callable[..., Any]) -> Callable[..., Any]:
    """`func` as a filter: given a value it cannot use (a reference where an actor is due,
    a name where a date is), it fails with a template error, which the build reports at the
    template's file and line, as it would for a macro, instead of stopping with a traceback."""

    @functools.wraps(func)
    def filter_(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (AttributeError, LookupError, TypeError, ValueError) as exc:
            raise jinja2.TemplateRuntimeError(
                f"filter '{func.__name__}' cannot use this value: {exc}") from None

    return filter_


def install(env: jinja2.Environment, md: MarkdownIt) -> None:
    """The helpers as filters of `env`, and the quicker templates (`codegen`)."""
    codegen.install(env)
    helpers: dict[str, Callable[..., Any]] = {
        "markdown": markdown_filter(md),
        "long_date": long_date,
        "date": date,
        "plural": plural,
        **linking_filters(ActorLinks()),
        "stance_badge": stance_filter(StanceBadges()),
        "status_badge": status_badge,
        "quote_text": quote_text,
        "permalink": permalink,
        "group_by": group_by,
        "by_day_and_brief": by_day_and_brief,
        "by_claim": by_claim,
        "polarity_counts": polarity_counts,
        "response_chart": response_chart,
        "activity_chart": activity_chart,
        "json_ld": json_ld,
    }
    env.filters.update((name, reported(func)) for name, func in helpers.items())
