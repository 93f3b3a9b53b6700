"""How the theme's templates run: Jinja's own machinery, made quicker, writing the same bytes.

A build renders tens of thousands of pages, each writing a few hundred values and pieces of
text through Jinja. Four parts of Jinja cost more than the work they do; `install` replaces
them on an environment, for the built-in theme and a site's own templates alike:

- `ThemeContext` calls a template's `url.brief(...)` and macros straight away;
- `ThemeTemplate` writes each `{{ value }}` with `escape_output`, which gives the escaped text
  without making it `Markup` again;
- `ThemeCodeGenerator` compiles each run of text and values into one string, where Jinja
  yields each piece on its own, through every template of the page's chain;
- and reads each `value.name` with Python's own `getattr`, where Jinja calls a function of
  its environment for every one (a page reads a few hundred).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, MutableMapping
from types import CodeType, MethodType
from typing import Any

import jinja2
import markupsafe
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.runtime import Macro
from markupsafe import Markup, escape


def _escape_by_markup(text: str) -> str:
    return str(escape(text))


# MarkupSafe's escaping of a plain string, giving a plain string; for a MarkupSafe without
# it, the same text by way of Markup.
escape_text: Callable[[str], str] = getattr(markupsafe, "_escape_inner", _escape_by_markup)


class ThemeContext(jinja2.runtime.Context):
    """Jinja's context, calling plain methods straight away.

    Each `url.brief(...)` of a template goes through `Context.call`, which looks for
    `pass_context` and its kin on the method twice, each look-up failing with an exception,
    before it calls it: that costs more than making the link, and a timeline page makes
    hundreds. A bound method whose function has no such mark is called directly here, as
    Jinja would call it, and so is a macro; anything else goes through Jinja's own `call`.
    """

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if (type(__obj) is MethodType and _unmarked(__obj.__func__)) or type(__obj) is Macro:
            kwargs.pop("_block_vars", None)  # Jinja's own bookkeeping, as its `call` does
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined("value was undefined because a callable"
                                                    " raised a StopIteration exception")
        return super().call(__obj, *args, **kwargs)


@functools.lru_cache(maxsize=1024)
def _unmarked(func: Callable[..., Any]) -> bool:
    """Whether Jinja would call `func` as it is (no `pass_context`, `pass_environment`...)."""
    return not hasattr(func, "jinja_pass_arg")


def escape_output(value: Any) -> str:
    """What autoescaping writes for `{{ value }}`: `escape(value)`, without making the text
    `Markup` again, which costs several times more than escaping it. What a template writes
    is only joined into the page (Jinja makes `Markup` of what a macro or a `{% set %}` block
    wrote), so plain text is enough."""
    kind = type(value)
    if kind is str:
        return escape_text(value)
    if kind is Markup:
        return value
    return escape(value)


class ThemeTemplate(jinja2.Template):
    """A template whose `{{ value }}` is written by `escape_output`, and whose globals are
    one plain dictionary.

    Jinja's compiled templates call the name `escape` for each value they write, and for
    nothing else; each template's own module gets `escape_output` under that name.

    Jinja keeps a template's globals as a `ChainMap` of its own and the environment's, and
    copies them into every page's context: a few microseconds a page, for a view of the
    environment's globals kept up to date, which Jinja documents as safe to change only
    before any template is loaded (as `render.make_environment` does)."""

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: CodeType,
                  globals: MutableMapping[str, Any],
                  uptodate: Callable[[], bool] | None = None) -> jinja2.Template:
        template = super().from_code(environment, code, dict(globals), uptodate)
        template.root_render_func.__globals__["escape"] = escape_output
        return template


Part = str | nodes.Expr  # text known when compiling, or a value to work out when rendering


class ThemeCodeGenerator(CodeGenerator):
    """Jinja's code generator, writing each run of text and values as one string.

    Jinja compiles `<a href="{{ link }}">{{ name }}</a>` into five outputs, each yielded
    through every template of the page's chain (a page's block, then `base.html`); here it
    is one, `'<a href="%s">%s</a>' % (escape(link), escape(name))`: the same text, a
    tenth quicker to render. Each value keeps its own line in the compiled code, so an error
    still names the template's line."""

    def visit_Output(self, node: nodes.Output, frame: Frame) -> None:
        if frame.require_output_check:  # outside the blocks of a template that extends
            if self.has_known_extends:
                return
            self.writeline("if parent_template is None:")
            self.indent()
        self._write_parts(self._output_parts(node, frame), frame)
        if frame.require_output_check:
            self.outdent()

    def _output_parts(self, node: nodes.Output, frame: Frame) -> list[Part]:
        """The output's text and values, each run of text known at compile time joined, as
        Jinja's own `visit_Output` works them out."""
        finalize = self._make_finalize()
        parts: list[Part] = []
        for child in node.nodes:
            try:
                if not (finalize.const or isinstance(child, nodes.TemplateData)):
                    raise nodes.Impossible()
                const = self._output_child_to_const(child, frame, finalize)
            except (nodes.Impossible, Exception):  # worked out when rendering, as Jinja does
                parts.append(child)
                continue
            if parts and isinstance(parts[-1], str):
                parts[-1] += const
            else:
                parts.append(const)
        return parts

    def _write_parts(self, parts: list[Part], frame: Frame) -> None:
        """`yield` (or, into a buffer, `append`) the parts as one string."""
        values = [p for p in parts if not isinstance(p, str)]
        start = "yield " if frame.buffer is None else f"{frame.buffer}.append("
        end = "" if frame.buffer is None else ")"
        if not values:
            self.writeline(f"{start}{''.join(parts)!r}{end}")  # type: ignore[arg-type]
            return
        if len(parts) == 1:
            self.writeline(start, values[0])
            self._write_value(values[0], frame)
            self.write(end)
            return
        pattern = "".join(p.replace("%", "%%") if isinstance(p, str) else "%s" for p in parts)
        self.writeline(f"{start}{pattern!r} % (")
        self.indent()
        for value in values:
            self.newline(value)  # the value's template line, for errors
            self._write_value(value, frame)
            self.write(",")
        self.outdent()
        self.writeline(f"){end}")

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        """`value.name` as Python's `getattr(value, 'name', missing)`, and only when that finds
        nothing through the environment's `getattr` (an item of that name, or undefined), as
        Jinja would: a frozen record's field then costs no call of a Python function."""
        if self.environment.is_async or not _plain_getattr(self.environment):
            super().visit_Getattr(node, frame)
            return
        value, found = self.temporary_identifier(), self.temporary_identifier()
        self.write(f"({found} if ({found} := getattr(({value} := ")
        self.visit(node.node, frame)
        self.write(f"), {node.attr!r}, missing)) is not missing "
                   f"else environment.getattr({value}, {node.attr!r}))")

    def _write_value(self, value: nodes.Expr, frame: Frame) -> None:
        finalize = self._make_finalize()
        self._output_child_pre(value, frame, finalize)
        self.visit(value, frame)
        self._output_child_post(value, frame, finalize)


# Jinja's own steps of writing an output that `ThemeCodeGenerator` reuses: not public API, so
# with a Jinja that lacks one of them, templates are compiled by Jinja's own generator.
_GENERATOR_STEPS = ("_make_finalize", "_output_child_to_const", "_output_child_pre",
                    "_output_child_post", "visit_Output")


def _plain_getattr(env: jinja2.Environment) -> bool:
    """Whether `env` reads attributes as Jinja's own environment does (a sandbox does not)."""
    return type(env).getattr is jinja2.Environment.getattr


def install(env: jinja2.Environment) -> None:
    """The quicker context, templates and compiled code, on `env`."""
    env.context_class = ThemeContext
    env.template_class = ThemeTemplate
    if all(hasattr(CodeGenerator, step) for step in _GENERATOR_STEPS):
        env.code_generator_class = ThemeCodeGenerator
