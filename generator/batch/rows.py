"""Turn one table row into a parameter layer that sits between ``--base`` and ``--set``.

Cells are read as ``params.cells`` reads whatever a person types: like
``--set`` values, except that plain text stays text, and a column whose key
is text in the schema is always taken as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Location
from ..params.cells import NULLS, cell_value, is_text
from ..params.layers import Layer, assign
from ..params.sources import Key
from .table import Row, Source


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
        if is_text(header) and isinstance(raw, str | int | float) and not isinstance(raw, bool):
            text = str(raw).strip()
            value: Any = None if text in NULLS else text
        else:
            value = raw if source.typed else cell_value(raw, where)
        assign(tree, path, value, where)
        columns[tuple(path)] = source.column(header)
    return RowLayer("row", origin, tree, columns=columns)
