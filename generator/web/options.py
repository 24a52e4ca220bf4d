"""Render options a user can tick on the page or pass to the API: one entry each.

Each is an option of ``agreement generate`` (``--draft``, ``--sign-fields``,
``--pdf-a``, ``--track-changes``, ``--protect-tracking``).  Adding one is one
more ``RenderOption``: the form shows a checkbox named after it, the API
reads (and documents) a query parameter of the same name, the page's
command line names its CLI option, and ``apply`` says what it changes in the
pipeline's ``Options``, so a web download stays byte-identical to the CLI
with the same option.  Options are not parameters: the downloaded YAML
never carries them.

The protection password (``--protect-password-file``) is no checkbox: the
form's password input ``protect_password`` or the API's header
``X-Agreement-Protect-Password`` (never a query parameter: URLs get logged).
It is checked by the library's ``check_password``, as the CLI's, kept out of
every ``repr``, and never shown back: the page's command line names a
placeholder file instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..errors import UsageError
from ..pipeline import Options
from ..writers.protection import check_password


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

#: The form's password input, and the key its problem is shown under (``data-error-for``).
PASSWORD_FIELD = "protect_password"
#: The API's header for the password.
PASSWORD_HEADER = "X-Agreement-Protect-Password"
#: What the page's command line shows for the password: a file the user writes it in.
PASSWORD_FILE_PLACEHOLDER = "PASSWORD_FILE"


@dataclass(frozen=True)
class RenderChoices:
    """The options ticked for one request, and the protection password if one was given.

    A password that ``check_password`` refuses is not kept: ``password_error`` holds the
    CLI's message for it (which never quotes the password), and no file is made.
    """

    chosen: frozenset[str] = frozenset()
    password: str | None = field(default=None, repr=False)
    password_error: str | None = None

    @classmethod
    def read(cls, values: Mapping[str, str], password: str | None = None) -> RenderChoices:
        """From form fields or query parameters named after the options (``draft=on``, ``draft=true``);
        ``password`` as given (``None``: none given; an empty one is refused, as the CLI's)."""
        chosen = frozenset(o.name for o in RENDER_OPTIONS if values.get(o.name, "").strip().lower() in _TRUE)
        if password is None:
            return cls(chosen)
        try:
            return cls(chosen, check_password(password))
        except UsageError as error:
            return cls(chosen, password_error=error.message)

    @property
    def cli(self) -> tuple[str, ...]:
        """The same choices as options of ``agreement generate``, in the table's order; a password
        as ``--protect-password-file`` with a placeholder (the password itself is never shown)."""
        flags = tuple(o.cli for o in RENDER_OPTIONS if o.name in self.chosen)
        if self.password is not None:
            flags += ("--protect-password-file", PASSWORD_FILE_PLACEHOLDER)
        return flags

    def apply(self, options: Options) -> Options:
        for option in RENDER_OPTIONS:
            if option.name in self.chosen:
                options = option.apply(options)
        if self.password is not None:
            options = dataclasses.replace(
                options, editing=dataclasses.replace(options.editing, password=self.password)
            )
        return options
