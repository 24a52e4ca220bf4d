"""Turn one table row into a parameter layer that sits between ``--base`` and ``--set``.

Cells are read like ``--set`` values, so ``48`` is a number, ``2026-11-25`` a
date and ``[repair, consultation]`` a list.  Spreadsheet cells are mostly
names and addresses, though, and YAML would quietly change some of those
(``Shop #1`` loses ``#1`` as a comment, ``A: B`` becomes a mapping), so any
text that is not a YAML number, date, boolean, null, quoted string or
``[list]``/``{mapping}`` is taken literally.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..errors import Location, ParameterError
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
        value = raw if source.typed else cell_value(raw, where)
        path = header.split(".")
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
