"""The theme's small repeated fragments, in Python: a date, a link to an actor, a badge.

`install` registers them as Jinja filters (`render.make_environment` calls it). A page shows
dozens of these fragments, and a Jinja macro call costs tens of microseconds where a filter
is one Python call: written as macros they were most of the time spent rendering. Each gives
exactly the markup its macro of the same name in macros.html gave, and those macros are now
one-line wrappers of them. Pages and their structure stay in the templates.

Every value that comes from the site's files is escaped here; results are `Markup`, so
autoescaping leaves them as they are. Fragments that are the same on every page (a date, a
verdict, a stance) are computed once and cached.
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

from .model import Actor, Stance, Status

POLARITY_SIGNS = {"+": "+", "0": "\u25cb", "-": "\u2212"}  # +, white circle, minus sign
POLARITY_WORDS = {"+": "for", "0": "neither", "-": "against"}
STATUS_SIGNS = {"unverified": "?", "disputed": "±", "confirmed": "✓", "refuted": "✗"}
MARKDOWN_CACHE = 50_000  # rendered texts kept per environment (notes, summaries)


@functools.lru_cache(maxsize=4096)
def long_date(value: dt.date) -> str:
    """`2024-09-09` -> `9 September 2024`."""
    return f"{value.day} {value:%B %Y}"


@functools.lru_cache(maxsize=4096)
def date(value: dt.date) -> Markup:
    """A date in words, in a `<time>` element."""
    return Markup(f'<time datetime="{escape(value.isoformat())}">{escape(long_date(value))}'
                  "</time>")


def plural(n: int, one: str, many: str) -> Markup:
    """`1 claim`, `3 claims`."""
    return Markup(f"{escape(n)} {escape(one if n == 1 else many)}")


def link_actor(url: Any, actor: Actor) -> Markup:
    """An actor's name linking to its page, with links made by `url` (the page's helper)."""
    href = escape(url.actor(actor.id))
    return Markup(f'<a class="actor kind-{escape(actor.kind)}" href="{href}">'
                  f"{escape(actor.name)}</a>")


def join_actors(url: Any, actors: Sequence[Actor]) -> Markup:
    """Several actors, linked: `A`, `A and B`, `A, B and C`."""
    links = [link_actor(url, a) for a in actors]
    if len(links) < 2:
        return Markup("".join(links))
    # joined as plain text: `str + Markup` would escape the links already made
    return Markup(f"{', '.join(links[:-1])} and {links[-1]}")


@jinja2.pass_context
def actor_link(context: jinja2.runtime.Context, actor: Actor) -> Markup:
    return link_actor(context["url"], actor)


@jinja2.pass_context
def actor_ref(context: jinja2.runtime.Context, ref: Any) -> Markup:
    """The actor a reference (`claim.by[0]`, `response.by`...) names, linked."""
    return link_actor(context["url"], context["index"].actor(ref.id))


@jinja2.pass_context
def actors(context: jinja2.runtime.Context, refs: Iterable[Any]) -> Markup:
    """The actors references name, linked: `A, B and C`."""
    index = context["index"]
    return join_actors(context["url"], [index.actor(ref.id) for ref in refs])


@jinja2.pass_context
def stance_badge(context: jinja2.runtime.Context, stance: Stance | str) -> Markup:
    """A stance, by name or as the stance itself: its sign (+, ○, −) and its name."""
    return badge_of_stance(context["stance"](stance) if isinstance(stance, str) else stance)


@functools.lru_cache(maxsize=1024)
def badge_of_stance(s: Stance) -> Markup:
    cameo = f", CAMEO {escape(s.cameo)}" if s.cameo else ""
    return Markup(f'<span class="stance polarity-{POLARITY_WORDS[s.polarity]}" '
                  f'title="{escape(s.meaning)} (polarity {escape(s.polarity)}{cameo})">'
                  f'<span class="sign" aria-hidden="true">{escape(POLARITY_SIGNS[s.polarity])}'
                  f"</span> {escape(s.name)}</span>")


@functools.lru_cache(maxsize=64)
def status_badge(status: Status) -> Markup:
    """The editor's verdict on a claim: a sign (?, ±, ✓, ✗) and a word."""
    value = escape(status.value)
    sign = escape(STATUS_SIGNS.get(status.value, "•"))
    return Markup(f'<span class="status status-{value}" title="The editor&rsquo;s verdict on '
                  f'the claim"><span class="sign" aria-hidden="true">{sign}</span> {value}'
                  "</span>")


def quote_text(quote: Any) -> Markup:
    """The quoted words, in `<q>`; nothing without a quote."""
    return Markup(f"<q>{escape(quote.exact)}</q>") if quote else Markup("")


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


def markdown_filter(md: MarkdownIt) -> Callable[[str | None], Markup]:
    """The `markdown` filter: CommonMark rendered by `md`, each text once per environment
    (a response's note shows on its brief's, its claim's and its actor's pages)."""

    @functools.lru_cache(maxsize=MARKDOWN_CACHE)
    def markdown(text: str | None) -> Markup:
        return Markup(md.render(text)) if text else Markup("")

    return markdown


def install(env: jinja2.Environment, md: MarkdownIt) -> None:
    """The helpers as filters of `env`."""
    env.filters.update({
        "markdown": markdown_filter(md),
        "long_date": long_date,
        "date": date,
        "plural": plural,
        "actor_link": actor_link,
        "actor_ref": actor_ref,
        "actors": actors,
        "stance_badge": stance_badge,
        "status_badge": status_badge,
        "quote_text": quote_text,
        "by_day_and_brief": by_day_and_brief,
    })
