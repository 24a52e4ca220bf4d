"""Turn one table row into a parameter layer that sits between ``--base`` and ``--set``.

Cells are read like ``--set`` values, so ``48`` is a number, ``2026-11-25`` a
date and ``[repair, consultation]`` a list.  Spreadsheet cells are mostly
names and addresses, though, and YAML would quietly change some of those
(``Shop #1`` loses ``#1`` as a comment, ``A: B`` becomes a mapping), so any
text that is not a YAML number, date, boolean, null, quoted string or
``[list]``/``{mapping}`` is taken literally.  A column whose key is text in
the schema (a name, a phone number, a contract number) is always taken as
written: ``4008201234`` and ``0571123`` are phone numbers, not a number and
an octal one.
"""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..errors import Location, ParameterError
from ..params.keys import field_at
from ..params.layers import Layer, assign
from ..params.sources import Key, parse_yaml_value
from .table import Row, Source

_NULLS = {"null", "Null", "NULL", "~"}
_STRUCTURED = ("[", "{", "'", '"')


@dataclass(frozen=True)
class RowLayer(Layer):
    """A row as a layer: each value's location is the row and the column that set it."""

    columns: dict[Key, str] = field(default_factory=dict)

    def location(self, key: Key) -> Location:
        for length in range(len(key), 0, -1):
            column = self.columns.get(key[:length])
            if column:
                return Location(f"{self.origin}, {column}")
        return Location(self.origin)


def row_layer(source: Source, row: Row) -> RowLayer:
    """The row's parameters; empty cells were dropped by the reader, so they keep the base value."""
    origin = source.label(row.number)
    tree: dict[str, Any] = {}
    columns: dict[Key, str] = {}
    for header, raw in row.cells.items():
        where = f"{origin}, {source.column(header)}"
        path = header.split(".")
        if _is_text(header) and isinstance(raw, str | int | float) and not isinstance(raw, bool):
            text = str(raw).strip()
            value: Any = None if text in _NULLS else text
        else:
            value = raw if source.typed else cell_value(raw, where)
        assign(tree, path, value, where)
        columns[tuple(path)] = source.column(header)
    return RowLayer("row", origin, tree, columns=columns)


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
    if value is None and text not in _NULLS:
        return text
    return value


@cache
def _is_text(header: str) -> bool:
    """Whether the schema holds text at ``header`` (a plain string, perhaps optional)."""
    info = field_at(tuple(header.split(".")))
    if info is None:
        return False
    annotation = info.annotation
    options = typing.get_args(annotation) if typing.get_origin(annotation) else (annotation,)
    # ``Line | None`` holds ``Annotated[str, …]``: look through the annotation.
    bare = {typing.get_args(o)[0] if typing.get_origin(o) is typing.Annotated else o for o in options}
    return str in bare and bare <= {str, type(None)}
