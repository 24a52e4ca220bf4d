"""Options shared by the commands that read parameters."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..errors import short_path

if TYPE_CHECKING:
    from ..writers.editing import Editing

F = TypeVar("F", bound=Callable[..., Any])

_PATH = click.Path(path_type=Path)


def parameter_options(function: F) -> F:
    """``--base``, ``--set``, ``--clauses`` and ``--strict``: how parameters are layered and checked."""
    return layer_options(
        click.option("--strict", is_flag=True, help="Treat consistency warnings as errors.")(function)
    )


def base_option(help: str) -> Callable[[F], F]:
    """``--base FILE``, repeatable: the standard parameter files under every contract."""
    return click.option("--base", "bases", multiple=True, type=_PATH, metavar="FILE", help=help)


clauses_option = click.option(
    "--clauses",
    "clause_dirs",
    multiple=True,
    type=_PATH,
    metavar="DIR",
    help="A clause folder laid out like the built-in one; its files win (repeatable).",
)


def layer_options(function: F) -> F:
    """``--base``, ``--set`` and ``--clauses``: how parameters are layered (``diff`` has no ``--strict``)."""
    for option in reversed(
        (
            base_option("A standard parameter file under the contract's own (repeatable; later wins)."),
            click.option(
                "--set",
                "sets",
                multiple=True,
                metavar="KEY=VALUE",
                help="Override one parameter, e.g. --set timeliness.response_hours=1 (repeatable).",
            ),
            clauses_option,
        )
    ):
        function = option(function)
    return function


#: The language flags and the parameters they set (as the weakest --set: an explicit --set wins).
_LANGUAGE_FLAGS = (
    ("language", "language"),
    ("layout", "bilingual.layout"),
    ("prevailing", "bilingual.prevailing"),
)


def language_options(function: F) -> F:
    """``--language``, ``--layout`` and ``--prevailing``: shorthands for the language parameters."""

    @functools.wraps(function)
    def wrapper(
        *args: Any, language: str | None, layout: str | None, prevailing: str | None, **kwargs: Any
    ) -> Any:
        given = {"language": language, "layout": layout, "prevailing": prevailing}
        chosen = tuple(f"{key}={given[flag]}" for flag, key in _LANGUAGE_FLAGS if given[flag] is not None)
        kwargs["sets"] = (*chosen, *kwargs["sets"])
        return function(*args, **kwargs)

    for option in (
        click.option(
            "--prevailing",
            type=click.Choice(["zh-CN", "en", "equal"]),
            help="Bilingual: the text that prevails, or equal (both authentic). Sets bilingual.prevailing.",
        ),
        click.option(
            "--layout",
            type=click.Choice(["columns", "alternating"]),
            help="Bilingual: columns (Chinese left, English right) or alternating paragraphs. "
            "Sets bilingual.layout.",
        ),
        click.option(
            "--language",
            type=click.Choice(["zh-CN", "en", "zh-CN+en"]),
            help="The contract's language; zh-CN+en is bilingual (中英文对照). Sets language.",
        ),
    ):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


draft_option = click.option(
    "--draft", is_flag=True, help="Mark every page 草稿 / DRAFT and leave the signing date blank."
)


def editing_options(function: F) -> F:
    """``--track-changes``, ``--protect-tracking`` and ``--protect-password-file``: how the DOCX's
    recipient may edit it (see ``editing_of``)."""
    function = click.option(
        "--protect-password-file",
        "protect_password_file",
        type=_PATH,
        metavar="FILE",
        help=f"Protect as --protect-tracking, with the password on the first line of FILE "
        f"(or in ${PROTECT_PASSWORD_VARIABLE}); Word asks for it to lift the protection. "
        "Implies --protect-tracking.",
    )(function)
    function = click.option(
        "--protect-tracking",
        is_flag=True,
        help="Also protect the DOCX so that only tracked changes can be made (no password unless "
        "given; a guard against accidents, not security). Implies --track-changes.",
    )(function)
    return click.option(
        "--track-changes",
        is_flag=True,
        help="Open the DOCX with change tracking on: every edit the recipient makes is recorded.",
    )(function)


#: The protection password when no --protect-password-file is given (never on the command line:
#: shell history and ``ps`` would show it).
PROTECT_PASSWORD_VARIABLE = "AGREEMENT_PROTECT_PASSWORD"


def editing_of(track_changes: bool, protect_tracking: bool, password_file: Path | None) -> Editing:
    """The ``Editing`` the options ask for; the password from the file, else from the environment."""
    from ..errors import UsageError
    from ..writers.editing import Editing

    if password_file is not None:
        where = f"--protect-password-file {short_path(password_file)}"
        password: str | None = _first_line(password_file, where)
    else:
        where = f"${PROTECT_PASSWORD_VARIABLE}"
        password = os.environ.get(PROTECT_PASSWORD_VARIABLE) or None
    try:
        return Editing(track_changes, protect_tracking, password=password)
    except UsageError as error:
        raise UsageError(error.message, where=where) from None


def _first_line(path: Path, where: str) -> str:
    """The first line of a password file, without its line break; a clear error if there is none."""
    from ..errors import UsageError

    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot be read ({error.strerror})", where=where) from None
    try:
        lines = raw.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise UsageError("is not UTF-8 text", where=where) from None
    if not lines or not lines[0]:
        raise UsageError("is empty: its first line must be the password", where=where)
    return lines[0]


def pdf_extra_options(function: F) -> F:
    """``--sign-fields`` and ``--pdf-a``: what the PDF carries besides the contract."""
    function = click.option(
        "--pdf-a",
        "pdf_a",
        is_flag=True,
        help="Write the PDF as PDF/A-3b carrying its parameter file (agreement params reads it back).",
    )(function)
    return click.option(
        "--sign-fields",
        is_flag=True,
        help="Add empty signature fields PartyA (甲方) and PartyB (乙方) over the seal areas of the PDF.",
    )(function)


def output_options(folder_help: str) -> Callable[[F], F]:
    """``-o`` and ``-f``, for the commands that write contracts; ``-f`` defaults to docx and pdf."""

    def formats(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value)) or ("docx", "pdf")

    def decorate(function: F) -> F:
        function = click.option(
            "-f",
            "--format",
            "formats",
            multiple=True,
            type=click.Choice(["docx", "pdf", "html"]),
            callback=formats,
            help="Output format (repeatable). Default: docx and pdf.",
        )(function)
        return click.option(
            "-o",
            "--output",
            "out_dir",
            default="output",
            show_default=True,
            type=click.Path(path_type=Path, file_okay=False),
            help=folder_help,
        )(function)

    return decorate


def print_params(params: Any) -> None:
    """Print the final parameters, each with the layer and place it came from."""
    for key, value, origin in params.listing():
        click.echo(f"{key} = {value!r}    # {origin}")


def warn_if_pdf_is_slow(formats: tuple[str, ...]) -> None:
    """Say so up front when PDFs will take seconds each, and how to fix it."""
    if "pdf" in formats:
        from ..writers.pdf import SLOW_WARNING, subsetter_missing

        if subsetter_missing():
            click.echo(SLOW_WARNING, err=True)
