"""The quicker Jinja machinery of site_builder/theme/codegen.py: every template writes exactly what
plain Jinja writes, and a mistake is still reported at its template line."""

from __future__ import annotations

import jinja2
import pytest
from markupsafe import Markup, escape

from site_builder.theme import codegen as themecode

EVIL = "<b>A & \"B\"</b> 'c' 100%"


class Html:
    """A value with its own markup, as Jinja lets any object have."""

    def __html__(self) -> str:
        return "<i>own</i>"


TEMPLATES = {
    "base.html": "<title>{% block title %}T{% endblock %}</title>\n"
                 "{% set page_title %}{{ self.title() }} &amp; {{ s }}{% endset %}"
                 "<h1>{{ page_title }}</h1>{% block main %}{% endblock %}|{{ s }}|",
    "macros.html": "{% macro pair(a, b='%s') %}<{{ a }}|{{ b }}>{% endmacro %}"
                   "{% macro wrap() %}[{{ caller() }}]{% endmacro %}",
    "page.html": "{% extends 'base.html' %}{% import 'macros.html' as m %}"
                 "{% set outside = s ~ '!' %}"
                 "{% block title %}{{ s }} 100%{% endblock %}"
                 "{% block main %}{{ super() }}"
                 "{% for x in items %}<li class=\"%d {{ loop.index }}\">{{ x }}%%{{ s }}</li>"
                 "{% else %}none{% endfor %}"
                 "{{ m.pair(s) }}{{ m.pair(n, safe) }}"
                 "{% call m.wrap() %}{{ s }}%s{{ n }}{% endcall %}"
                 "{% filter upper %}{{ s }} and {{ safe }}{% endfilter %}"
                 "{% autoescape false %}{{ s }}{% endautoescape %}{{ s ~ safe }}"
                 "{{ html }}{{ none }}{{ 1.5 }}{{ 'const' }}{{ '<&>' }}{{ outside }}"
                 "{% endblock %}",
}


def environments() -> tuple[jinja2.Environment, jinja2.Environment]:
    """Plain Jinja, and the same with the theme's machinery."""
    loader = jinja2.DictLoader(TEMPLATES)
    plain = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
    theme = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
    themecode.install(theme)
    return plain, theme


@pytest.mark.parametrize("items", [[], ["x", EVIL, Markup("<em>ok</em>"), 3]])
def test_templates_write_what_plain_jinja_writes(items: list) -> None:
    values = {"s": EVIL, "safe": Markup("<br>"), "n": 7, "html": Html(), "items": items}
    plain, theme = environments()
    expected = plain.get_template("page.html").render(values)
    assert theme.get_template("page.html").render(values) == expected
    assert "".join(theme.get_template("page.html").generate(values)) == expected


@pytest.mark.parametrize("value", ["", "plain", EVIL, Markup("<b>&amp;</b>"), 3, None,
                                   Html(), ["<a>"]])
def test_escape_output_is_escape(value: object) -> None:
    assert themecode.escape_output(value) == str(escape(value))
    assert themecode.escape_text(EVIL) == str(escape(EVIL))


def test_a_mistake_names_its_line() -> None:
    source = "line 1 {{ a }}\n{{ b }} line 2 {{ c.missing }} {{ d }}\n{{ e }}"
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    themecode.install(env)
    template = env.from_string(source)
    with pytest.raises(jinja2.UndefinedError) as caught:
        template.render(a=1, b=2, c=object(), d=4, e=5)
    lines = [entry.lineno for entry in caught.traceback if entry.frame.code.path == "<template>"]
    assert lines[-1] + 1 == 2  # pytest counts from 0


def test_undefined_values_are_still_errors() -> None:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    themecode.install(env)
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("a {{ nothing }} b").render()


def test_a_jinja_without_the_steps_it_reuses_compiles_as_usual(monkeypatch) -> None:
    monkeypatch.delattr(jinja2.compiler.CodeGenerator, "_output_child_to_const")
    plain, theme = environments()
    assert theme.code_generator_class is jinja2.compiler.CodeGenerator
    values = {"s": EVIL, "safe": Markup("<br>"), "n": 7, "html": Html(), "items": ["x"]}
    assert theme.get_template("page.html").render(values) == \
        plain.get_template("page.html").render(values)


class Record:
    """An object with attributes, one of them computed, and nothing else."""

    def __init__(self, x: object, inner: object = None) -> None:
        self.x, self.inner = x, inner

    @property
    def shout(self) -> str:
        return f"{self.x}!"


class Lookup:
    """An object answering any attribute through `__getattr__`, and items too."""

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return f"attr-{name}"

    def __getitem__(self, name: str) -> str:
        return f"item-{name}"


def test_attributes_and_items_read_as_plain_jinja_reads_them() -> None:
    source = ("{{ r.x }}|{{ r.inner.x }}|{{ r.shout }}|{{ d.key }}|{{ d.items is defined }}|"
              "{{ l.name }}|{{ l._hidden }}|{{ r.nothing is defined }}|{{ d.gone is defined }}|"
              "{% for k in d.keys() %}{{ k }}{% endfor %}|{% set t = r.inner %}{{ t.x }}")
    values = {"r": Record(EVIL, Record(2)), "d": {"key": EVIL}, "l": Lookup()}
    plain, theme = environments()
    assert theme.from_string(source).render(values) == plain.from_string(source).render(values)
    for name in ("r.nothing", "d.gone", "r.inner.nothing", "l._x.y"):
        for env in (plain, theme):
            with pytest.raises(jinja2.UndefinedError):
                env.from_string("{{ " + name + " }}").render(values)


def test_a_field_is_read_without_calling_the_environment(monkeypatch) -> None:
    calls = []
    _, theme = environments()
    read = theme.getattr
    monkeypatch.setattr(theme, "getattr", lambda obj, name: calls.append(name) or read(obj, name))
    template = theme.from_string("{{ r.x }} {{ r.inner.x }} {{ d.key }}")
    assert template.render(r=Record(1, Record(2)), d={"key": 3}) == "1 2 3"
    assert calls == ["key"]  # a dictionary's item, found by the environment
