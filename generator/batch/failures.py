"""``failures.csv``: the failed rows as they were, plus why, ready to fix and run again.

The cells are written back as the user typed them (Excel numbers and dates
as text), so fixing the file and passing it to ``agreement batch`` again
works: the reader ignores the ``error`` column.  It is UTF-8 with a BOM,
which Excel on Chinese Windows opens without garbling.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from ..output import write_atomic
from .shard import Shard
from .table import ERROR_COLUMN, Row


def failures_path(out_dir: Path, shard: Shard | None) -> Path:
    return out_dir / (f"failures.{shard.suffix}.csv" if shard else "failures.csv")


def write_failures(path: Path, headers: tuple[str, ...], failed: list[tuple[Row, str]]) -> None:
    """Write the failed rows in table order, or remove a stale file when none failed."""
    if not failed:
        path.unlink(missing_ok=True)
        return
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([*headers, ERROR_COLUMN])
    for row, error in sorted(failed, key=lambda item: item[0].number):
        writer.writerow([*(_text(row.cells.get(h)) for h in headers), error])
    write_atomic(path, buffer.getvalue().encode("utf-8-sig"))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)
