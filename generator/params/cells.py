"""Values typed by a person as text (a spreadsheet cell, a web form field), read like ``--set`` values.

Text is read as YAML, so ``48`` is a number, ``2026-11-25`` a date and
``[repair, consultation]`` a list.  People mostly type names and addresses,
though, and YAML would quietly change some of those (``Shop #1`` loses
``#1`` as a comment, ``A: B`` becomes a mapping), so any text that is not a
YAML number, date, boolean, null, quoted string or ``[list]``/``{mapping}``
is taken literally.  A key that is text in the schema (a name, a phone
number, a contract number) is always taken as written: ``4008201234`` and
``0571123`` are phone numbers, not a number and an octal one.
"""

from __future__ import annotations

import datetime as dt
import typing
from functools import cache
from typing import Any

from ..errors import ParameterError
from .keys import field_at
from .sources import parse_yaml_value

NULLS = {"null", "Null", "NULL", "~"}
_STRUCTURED = ("[", "{", "'", '"')


def typed_value(key: str, text: str, where: str) -> Any:
    """What a person meant by typing ``text`` for the dotted ``key``."""
    if is_text(key):
        stripped = text.strip()
        return None if stripped in NULLS else stripped
    return cell_value(text, where)


def cell_value(raw: Any, where: str) -> Any:
    """A spreadsheet cell as a parameter value (Excel numbers and dates are already typed)."""
    if isinstance(raw, dt.datetime):
        return raw.date() if raw.time() == dt.time() else raw
    if not isinstance(raw, str):
        return raw
    text = raw.strip()
    meant_as_yaml = text.startswith(_STRUCTURED)
    try:
        value, _ = parse_yaml_value(text, where)
    except ParameterError:
        if meant_as_yaml:
            raise
        return text
    if isinstance(value, str | list | dict) and not meant_as_yaml:
        return text
    if value is None and text not in NULLS:
        return text
    return value


@cache
def is_text(header: str) -> bool:
    """Whether the schema holds text at ``header`` (a plain string, perhaps optional)."""
    info = field_at(tuple(header.split(".")))
    if info is None:
        return False
    annotation = info.annotation
    options = typing.get_args(annotation) if typing.get_origin(annotation) else (annotation,)
    # ``Line | None`` holds ``Annotated[str, …]``: look through the annotation.
    bare = {typing.get_args(o)[0] if typing.get_origin(o) is typing.Annotated else o for o in options}
    return str in bare and bare <= {str, type(None)}
