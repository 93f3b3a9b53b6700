"""The theme's Python helpers (site_builder/theme/filters.py): the same markup as the macros they
replaced, the same groupings as Jinja's filters, escaping, and errors a theme author can read."""

# ruff: noqa: E501  (the old macros are quoted as they were, one line each)

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pytest

from site_builder.base.diagnostics import Span
from site_builder.site import urls
from site_builder.source.model import BUILTIN_STANCES, Actor, Quote, SiteConfig, Stance, Status
from site_builder.text.readertext import make_markdown
from site_builder.theme import filters as themefuncs
from site_builder.theme.render import make_environment

# The leaf macros of macros.html as they were before they became filters.
OLD_MACROS = """\
{% macro date(value) -%}
<time datetime="{{ value.isoformat() }}">{{ value | long_date }}</time>
{%- endmacro %}
{% macro plural(n, one, many) -%}
{{ n }} {{ one if n == 1 else many }}
{%- endmacro %}
{% macro actor_link(actor) -%}
<a class="actor kind-{{ actor.kind }}" href="{{ url.actor(actor.id) }}">{{ actor.name }}</a>
{%- endmacro %}
{% macro actor_ref(ref) -%}
{{ actor_link(index.actor(ref.id)) }}
{%- endmacro %}
{% macro actors(refs) -%}
{% for ref in refs %}{{ actor_ref(ref) }}{% if not loop.last %}{{ ', ' if loop.revindex > 2 else ' and ' }}{% endif %}{% endfor %}
{%- endmacro %}
{% macro stance_badge(name) -%}
{% set s = stance(name) %}
<span class="stance polarity-{{ {'+': 'for', '0': 'neither', '-': 'against'}[s.polarity] }}" title="{{ s.meaning }} (polarity {{ s.polarity }}{% if s.cameo %}, CAMEO {{ s.cameo }}{% endif %})"><span class="sign" aria-hidden="true">{{ polarity_sign(s.polarity) }}</span> {{ s.name }}</span>
{%- endmacro %}
{% macro status_badge(status) -%}
<span class="status status-{{ status.value }}" title="The editor&rsquo;s verdict on the claim"><span class="sign" aria-hidden="true">{{ {'unverified': '?', 'disputed': '±', 'confirmed': '✓', 'refuted': '✗'}.get(status.value, '•') }}</span> {{ status.value }}</span>
{%- endmacro %}
{% macro quote_text(quote) -%}
{% if quote %}<q>{{ quote.exact }}</q>{% endif %}
{%- endmacro %}
"""

EVIL = "<b>A & \"B\"</b> 'c'"


@dataclass(frozen=True)
class Ref:
    id: str


class Index:
    def __init__(self, actors: list[Actor]) -> None:
        self.by_id = {a.id: a for a in actors}

    def actor(self, actor_id: str) -> Actor:
        return self.by_id[actor_id]


ACTORS = [Actor("a", EVIL, "person", Span("x")), Actor("b", "Bea", "organization", Span("x")),
          Actor("c", "Cy", "state", Span("x")), Actor("d", "Di & Co", "media", Span("x"))]
EVIL_STANCE = Stance("evil", EVIL, "-", EVIL)
CONFIG = SiteConfig(stances=(*BUILTIN_STANCES, EVIL_STANCE))


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> jinja2.Environment:
    env = make_environment(tmp_path_factory.mktemp("site"), make_markdown())
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({"old.html": OLD_MACROS}), env.loader])
    return env


def both(env: jinja2.Environment, old: str, new: str, page: str = "briefs/x/index.html",
         **values: Any) -> tuple[str, str]:
    """`old` rendered with the old macros (as `m`), `new` with the filters, on one page."""
    context = {"url": urls.Linker(page), "index": Index(ACTORS), "stance": CONFIG.stance,
               **values}
    rendered_old = env.from_string('{% import "old.html" as m with context %}' + old)
    return rendered_old.render(context), env.from_string(new).render(context)


@pytest.mark.parametrize(("old", "new"), [
    ("{{ m.date(d) }}", "{{ d | date }}"),
    ("{{ m.plural(n, 'claim', 'claims') }}", "{{ n | plural('claim', 'claims') }}"),
    ("{{ m.actor_link(index.actor('a')) }}", "{{ index.actor('a') | actor_link }}"),
    ("{{ m.actor_ref(refs[0]) }}", "{{ refs[0] | actor_ref }}"),
    ("{{ m.actors(refs) }}", "{{ refs | actors }}"),
    ("{{ m.actors(refs[:1]) }}", "{{ refs[:1] | actors }}"),
    ("{{ m.actors(refs[:2]) }}", "{{ refs[:2] | actors }}"),
    ("{{ m.actors([]) }}", "{{ [] | actors }}"),
    ("{{ m.stance_badge(name) }}", "{{ name | stance_badge }}"),
    ("{{ m.stance_badge(name) }}", "{{ stance(name) | stance_badge }}"),
    ("{{ m.status_badge(status) }}", "{{ status | status_badge }}"),
    ("{{ m.quote_text(quote) }}", "{{ quote | quote_text }}"),
    ("{{ m.quote_text(none) }}", "{{ none | quote_text }}"),
])
@pytest.mark.parametrize("case", range(4))
def test_filters_give_the_markup_of_the_old_macros(env: jinja2.Environment, old: str, new: str,
                                                   case: int) -> None:
    names = [s.name for s in CONFIG.stances]
    values = {"d": dt.date(2024, 9, 9) + dt.timedelta(days=97 * case), "n": [0, 1, 2, 31][case],
              "refs": [Ref(a.id) for a in ACTORS], "name": names[case * 5 % len(names)],
              "status": list(Status)[case], "quote": Quote(EVIL, Span("x"))}
    pages = ["briefs/x/index.html", "index.html", "actors/a/page/2/index.html", "404.html"]
    rendered_old, rendered_new = both(env, old, new, pages[case], **values)
    assert rendered_new == rendered_old


def test_stance_badge_escapes_a_sites_own_stance(env: jinja2.Environment) -> None:
    rendered_old, rendered_new = both(env, "{{ m.stance_badge('evil') }}",
                                      "{{ 'evil' | stance_badge }}")
    assert rendered_new == rendered_old
    assert "<b>" not in rendered_new and "&lt;b&gt;" in rendered_new


def test_404_links_are_absolute(env: jinja2.Environment) -> None:
    context = {"url": urls.RootLinker("404.html", "/repo/"), "index": Index(ACTORS)}
    html = env.from_string("{{ index.actor('b') | actor_link }}").render(context)
    assert 'href="/repo/actors/b/"' in html


def test_actor_links_are_remembered_by_depth_and_actor() -> None:
    links = themefuncs.ActorLinks()
    pages = ["index.html", "briefs/x/index.html", "actors/a/page/2/index.html",
             "briefs/y/index.html", "briefs/x/index.html"]
    for page in pages:
        url = urls.Linker(page)
        for actor in ACTORS:
            assert links.link(url, actor) == themefuncs.link_actor(url, actor)
    renamed = dataclasses.replace(ACTORS[1], name="Bea <new>", kind="person")
    assert links.link(url, renamed) == themefuncs.link_actor(url, renamed)
    assert "Bea &lt;new&gt;" in links.link(url, renamed)
    root = urls.RootLinker("404.html", "/repo/")
    assert links.link(root, ACTORS[1]) == themefuncs.link_actor(root, ACTORS[1])
    assert links.join(url, ACTORS[:3]) == themefuncs.ActorLinks().join(url, ACTORS[:3])
    assert links.join(url, []) == ""


def test_stance_badges_are_remembered_for_the_same_settings() -> None:
    badges = themefuncs.StanceBadges()
    renamed = SiteConfig(stances=(Stance("denies", "says <no>", "-"),))
    for config in (CONFIG, renamed, CONFIG):
        assert badges.of_name(config.stance, "denies") == \
            themefuncs.badge_of_stance(config.stance("denies"))
    assert "says &lt;no&gt;" in badges.of_name(renamed.stance, "denies")
    own = {"denies": EVIL_STANCE}.__getitem__  # any look-up a template gives as `stance`
    assert badges.of_name(own, "denies") == themefuncs.badge_of_stance(EVIL_STANCE)
    with pytest.raises(jinja2.UndefinedError, match="no stance named 'nope'"):
        badges.of_name(CONFIG.stance, "nope")


def test_long_date() -> None:
    assert themefuncs.long_date(dt.date(2024, 9, 9)) == "9 September 2024"
    assert str(themefuncs.date(dt.date(2024, 1, 2))) == \
        '<time datetime="2024-01-02">2 January 2024</time>'


# --- groupings: the same as Jinja's filters ----------------------------------------------------


@dataclass(frozen=True)
class B:
    slug: str


@dataclass(frozen=True)
class R:
    date: dt.date
    claim: Ref


@dataclass(frozen=True)
class Entry:
    date: dt.date
    brief: B
    response: R
    n: int


def entries(seed: int) -> list[Entry]:
    rng = random.Random(seed)
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(5)) for _ in range(40)]
    return [Entry(day, B(rng.choice("pqrs")), R(rng.choice(days), Ref(rng.choice("xyz"))), i)
            for i, day in enumerate(days)]


@pytest.mark.parametrize("seed", range(5))
def test_by_day_and_brief_is_jinjas_groupby_twice(env: jinja2.Environment, seed: int) -> None:
    items = entries(seed)
    for attribute in ("date", "response.date"):
        jinja = env.from_string(
            "{% for day, on_day in items | groupby(a) %}{% for s, es in on_day | groupby('brief.slug') %}"
            "{{ day }} {{ es[0].brief.slug }} {{ es | map(attribute='n') | join(',') }};"
            "{% endfor %}{% endfor %}")
        ours = env.from_string(
            "{% for day, brief, es in items | by_day_and_brief(a) %}"
            "{{ day }} {{ brief.slug }} {{ es | map(attribute='n') | join(',') }};{% endfor %}")
        assert ours.render(items=items, a=attribute) == jinja.render(items=items, a=attribute)


@pytest.mark.parametrize("seed", range(5))
def test_group_by_is_jinjas_groupby(env: jinja2.Environment, seed: int) -> None:
    items = entries(seed)
    template = ("{% for key, es in items | G('response.claim.id') %}"
                "{{ key }}={{ es | map(attribute='n') | join(',') }};{% endfor %}")
    assert env.from_string(template.replace("G", "group_by")).render(items=items) == \
        env.from_string(template.replace("G", "groupby")).render(items=items)


@dataclass(frozen=True)
class Note:
    key: str
    claim: Ref
    response: Any = None


def test_by_claim_groups_a_briefs_notes() -> None:
    notes = [Note("claim-x", Ref("x")), Note("response-1", Ref("y"), "r"),
             Note("response-2", Ref("x"), "r"), Note("claim-z", Ref("z")),
             Note("response-3", Ref("y"), "r"), Note("response-4", Ref("w"), "r")]
    groups = [(cid, item.key if item else None, [a.key for a in answers])
              for cid, item, answers in themefuncs.by_claim(notes)]
    assert groups == [("x", "claim-x", ["response-2"]), ("z", "claim-z", []),
                      ("y", None, ["response-1", "response-3"]), ("w", None, ["response-4"])]


def test_polarity_counts() -> None:
    by_name = {s.name: s for s in BUILTIN_STANCES}
    tally = [(by_name["confirms"], 2), (by_name["questions"], 3), (by_name["denies"], 1),
             (by_name["asserts"], 1)]
    assert themefuncs.polarity_counts(tally) == (7, 3, 3, 1)
    assert themefuncs.polarity_counts([]) == (0, 0, 0, 0)


# --- the context's quicker calls, and errors ----------------------------------------------------


class Helper:
    def plain(self, value: str, suffix: str = "") -> str:
        return value + suffix

    @jinja2.pass_context
    def with_context(self, context: jinja2.runtime.Context, name: str) -> str:
        return str(context[name])

    def stops(self) -> str:
        raise StopIteration


def test_methods_are_called_as_jinja_calls_them(env: jinja2.Environment) -> None:
    template = env.from_string(
        "{{ h.plain('a') }} {{ h.plain('b', suffix='!') }} {{ h.with_context('who') }} "
        "{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}{{ twice('c') }}")
    assert template.render(h=Helper(), who="me") == "a b! me cc"
    with pytest.raises(jinja2.UndefinedError):  # a StopIteration is an undefined value
        env.from_string("{{ h.stops() }}").render(h=Helper())


def test_a_filter_given_the_wrong_value_is_a_template_error(env: jinja2.Environment) -> None:
    context = {"url": urls.Linker("index.html"), "index": Index(ACTORS), "stance": CONFIG.stance}
    for source in ("{{ 'not a date' | date }}", "{{ 'a' | actor_link }}",
                   "{{ 'no-such-stance' | stance_badge }}", "{{ 3 | quote_text }}",
                   "{{ [1] | by_day_and_brief }}"):
        with pytest.raises(jinja2.TemplateError):
            env.from_string(source).render(context)


def test_a_linking_macro_imported_without_context_says_so(env: jinja2.Environment) -> None:
    template = env.from_string('{% import "macros.html" as m %}{{ m.actor_link(a) }}')
    with pytest.raises(jinja2.UndefinedError, match="with context"):
        template.render(a=ACTORS[0], url=urls.Linker("index.html"))


def test_the_theme_macros_still_work_with_context(env: jinja2.Environment) -> None:
    """A site's own copy of a page, written for the old theme, calls the macros."""
    new_style = env.from_string("{{ a | actor_link }} {{ d | date }} {{ 'denies' | stance_badge }}")
    old_style = env.from_string(
        '{% import "macros.html" as m with context %}'
        "{{ m.actor_link(a) }} {{ m.date(d) }} {{ m.stance_badge('denies') }}")
    context = {"url": urls.Linker("index.html"), "index": Index(ACTORS), "stance": CONFIG.stance,
               "a": ACTORS[1], "d": dt.date(2025, 1, 15)}
    assert old_style.render(context) == new_style.render(context)


def test_markdown_is_rendered_once_per_text(tmp_path: Path) -> None:
    calls = []
    md = make_markdown()
    render = md.render
    md.render = lambda text: calls.append(text) or render(text)  # type: ignore[method-assign]
    env = make_environment(tmp_path, md)
    template = env.from_string("{{ t | markdown }}{{ t | markdown }}{{ '' | markdown }}")
    assert template.render(t="*a* <b>") == "<p><em>a</em> &lt;b&gt;</p>\n" * 2
    assert calls == ["*a* <b>"]
