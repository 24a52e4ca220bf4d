"""Render options a user can tick on the page or pass to the API: one entry each.

Each is an option of ``agreement generate`` (``--draft``, ``--sign-fields``,
``--pdf-a``, ``--track-changes``, ``--protect-tracking``).  Adding one is one
more ``RenderOption``: the form shows a checkbox named after it, the API
reads (and documents) a query parameter of the same name, the page's
command line names its CLI option, and ``apply`` says what it changes in the
pipeline's ``Options``, so a web download stays byte-identical to the CLI
with the same option.  Options are not parameters: the downloaded YAML
never carries them.
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
    #: The CLI option that does the same, for the help text and the page's command line.
    cli: str
    apply: Callable[[Options], Options]


RENDER_OPTIONS: tuple[RenderOption, ...] = (
    RenderOption(
        "draft",
        "草稿：每页标注“草稿”，签订日期留空",
        "--draft",
        lambda options: dataclasses.replace(options, draft=True),
    ),
    RenderOption(
        "sign_fields",
        "PDF 签名域：甲方、乙方盖章处各一个空白电子签名域",
        "--sign-fields",
        lambda options: dataclasses.replace(options, sign_fields=True),
    ),
    RenderOption(
        "pdf_a",
        "PDF/A-3b 归档版，内附参数文件",
        "--pdf-a",
        lambda options: dataclasses.replace(options, pdf_a=True),
    ),
    RenderOption(
        "track_changes",
        "DOCX 打开即“修订”模式：对方的每处修改都留痕",
        "--track-changes",
        lambda options: dataclasses.replace(
            options, editing=dataclasses.replace(options.editing, track_changes=True)
        ),
    ),
    RenderOption(
        "protect_tracking",
        "DOCX 限制为只能修订（防误操作，不是加密）",
        "--protect-tracking",
        lambda options: dataclasses.replace(
            options, editing=dataclasses.replace(options.editing, protect_tracking=True)
        ),
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

    @property
    def cli(self) -> tuple[str, ...]:
        """The same choices as options of ``agreement generate``, in the table's order."""
        return tuple(o.cli for o in RENDER_OPTIONS if o.name in self.chosen)

    def apply(self, options: Options) -> Options:
        for option in RENDER_OPTIONS:
            if option.name in self.chosen:
                options = option.apply(options)
        return options
