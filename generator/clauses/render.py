"""Render clause snippets in Jinja's sandbox, keeping parameter values out of the markup.

Every ``{{ … }}`` result is swapped for a private-use placeholder before the
snippet's Markdown is parsed, and put back as literal text afterwards.  So a
customer called ``*Ltd*`` or ``- 1`` stays exactly that: a value is data and
can never become emphasis, a list item or template code.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, pass_context
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import textfmt
from ..errors import ClauseError
from .library import ClauseFile, Library

PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_values: ContextVar[list[str]] = ContextVar("clause_values")


def _finalize(value: Any) -> str:
    if value is None:
        raise TemplateError("prints an empty value (None); test it with {% if … %} first")
    values = _values.get()
    values.append(str(value))
    return f"\ue000{len(values) - 1}\ue001"


#: The longest text or list a snippet may build by arithmetic, and the largest power.
MAX_BUILT = 100_000
MAX_EXPONENT = 64
_WIDTH = re.compile(r"%[-+ #0]*(\d+)")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, also refusing arithmetic that would exhaust memory.

    The sandbox keeps snippets away from Python internals but not from
    ``{{ 'a' * 10**9 }}``; a clause never needs values that large.
    """

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"a power above {MAX_EXPONENT} is not allowed in a clause")
        if operator == "*" and any(
            isinstance(sequence, (str, list, tuple))
            and isinstance(count, int)
            and len(sequence) * count > MAX_BUILT
            for sequence, count in ((left, right), (right, left))
        ):
            raise SecurityError(f"text or lists longer than {MAX_BUILT:,} are not allowed")
        if (
            operator == "%"
            and isinstance(left, str)
            and any(int(width) > MAX_BUILT for width in _WIDTH.findall(left))
        ):
            raise SecurityError(f"a field wider than {MAX_BUILT:,} is not allowed")
        return super().call_binop(context, operator, left, right)


@cache
def environment(language: str = "zh-CN") -> BoundedSandbox:
    """The sandboxed environment of ``language`` in this process (compiling is the costly part).

    Every language has the same filters, each writing as that language does
    (``money``: 人民币…元（大写：…） or RMB … (SAY RENMINBI … ONLY)).
    """
    formats = textfmt.FORMATS.get(language)
    if formats is None:
        raise ClauseError(f"no number and date formats for language '{language}'")

    @pass_context
    def hours(context: Context, count: int) -> str:
        return formats.duration(count, context["timeliness"]["clock"])

    env = BoundedSandbox(
        undefined=StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        hours=hours,
        money=formats.money,
        cn_date=formats.date,
        cn_count=formats.count,
        cn_numeral=formats.numeral,
        time_span=formats.time_span,
    )
    return env


def compiled(library: Library, clause: ClauseFile) -> Template:
    """The clause's template, compiled once per process and library."""
    template = library.compiled.get(clause.relpath)
    if template is None:
        # Pad with newlines so Jinja's line numbers are the file's line numbers.
        source = "\n" * (clause.body_line - 1) + clause.body
        try:
            template = environment(library.language).from_string(source)
        except TemplateError as error:
            line = getattr(error, "lineno", None)
            raise ClauseError(f"{clause.path}:{line}: {error.message}") from None
        library.compiled[clause.relpath] = template
    return template


def condition(library: Library, clause: ClauseFile) -> Callable[..., Any]:
    """The clause's ``when:`` expression, compiled once."""
    key = f"{clause.relpath}#when"
    expression = library.compiled.get(key)
    if expression is None:
        try:
            # undefined_to_none=False: an undefined or unsafe name fails instead of reading as false.
            expression = environment(library.language).compile_expression(
                clause.when or "true", undefined_to_none=False
            )
        except TemplateError as error:
            raise ClauseError(f"{clause.path}: the 'when' expression is invalid: {error}") from None
        library.compiled[key] = expression
    return expression


def applies(library: Library, clause: ClauseFile, context: dict[str, Any]) -> bool:
    """Whether ``clause`` applies to this contract's parameters."""
    try:
        return bool(condition(library, clause)(**context))
    except TemplateError as error:
        raise ClauseError(f"{clause.path}: 'when: {clause.when}' fails: {error}") from None


def render(library: Library, clause: ClauseFile, context: dict[str, Any]) -> tuple[str, list[str]]:
    """Render ``clause``; returns the Markdown with placeholders and the values they stand for."""
    template = compiled(library, clause)
    values: list[str] = []
    token = _values.set(values)
    try:
        return template.render(context), values
    except TemplateError as error:
        raise ClauseError(f"{clause.path}:{_template_line(error)}: {error}") from None
    finally:
        _values.reset(token)


def _template_line(error: Exception) -> int | str:
    """The template line a runtime error happened on, from Jinja's rewritten traceback."""
    line: int | str = "?"
    trace = error.__traceback__ or sys.exc_info()[2]
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return line
