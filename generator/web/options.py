"""Render options a user can tick on the page or pass to the API: one entry each.

Today there is ``draft`` (as ``agreement generate --draft``).  Adding one
(signature fields, PDF/A, track changes) is one more ``RenderOption``: the
form shows a checkbox named after it, the API reads a query parameter of
the same name, and ``apply`` says what it changes in the pipeline's
``Options``, so a web download stays byte-identical to the CLI with the
same option.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..pipeline import Options


@dataclass(frozen=True)
class RenderOption:
    name: str
    label: str
    #: The CLI option that does the same, for the help text and the README.
    cli: str
    apply: Callable[[Options], Options]


RENDER_OPTIONS: tuple[RenderOption, ...] = (
    RenderOption(
        "draft",
        "草稿：每页标注“草稿”，签订日期留空",
        "--draft",
        lambda options: dataclasses.replace(options, draft=True),
    ),
)

_TRUE = ("1", "true", "on", "yes")


@dataclass(frozen=True)
class RenderChoices:
    """The options ticked for one request."""

    chosen: frozenset[str] = frozenset()

    @classmethod
    def read(cls, values: Mapping[str, str]) -> RenderChoices:
        """From form fields or query parameters named after the options (``draft=on``, ``draft=true``)."""
        return cls(
            frozenset(o.name for o in RENDER_OPTIONS if values.get(o.name, "").strip().lower() in _TRUE)
        )

    def apply(self, options: Options) -> Options:
        for option in RENDER_OPTIONS:
            if option.name in self.chosen:
                options = option.apply(options)
        return options
