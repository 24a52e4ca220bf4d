"""Read the batch table: an Excel sheet, a CSV file, or a YAML/JSON list of objects.

Every row keeps the number the user sees in the spreadsheet (the header is
row 1), because that number is what an error message must point to.  Blank
rows are skipped but still counted, as Excel counts them.  The whole table is
checked before any contract is made: a header that is not a parameter key or
a value under no header means the columns are shifted, and producing
hundreds of contracts from shifted columns is worse than producing none.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ParameterError, UsageError
from ..params.layers import _DOTTED_KEY
from ..params.sources import decode, parse_yaml_value

#: A column with this header is ignored, so that ``failures.csv`` (the failed
#: rows plus their error) can be fixed and fed back as it is.
ERROR_COLUMN = "error"


@dataclass(frozen=True)
class Source:
    """The table's name and columns: all a row needs to say where it came from."""

    name: str
    #: "row" for spreadsheets, "item" for YAML/JSON lists.
    unit: str
    #: Header → column letter as Excel shows it ("" for YAML/JSON).
    letters: dict[str, str]
    #: YAML/JSON values are already typed; spreadsheet text is parsed per cell.
    typed: bool

    def label(self, number: int) -> str:
        return f"{self.name} {self.unit} {number}"

    def column(self, header: str) -> str:
        letter = self.letters.get(header)
        return f"column {letter} ({header})" if letter else f"key {header}"


@dataclass(frozen=True)
class Row:
    """One contract's row: its number as the user sees it, and its non-empty cells by header."""

    number: int
    cells: dict[str, Any]


@dataclass(frozen=True)
class Table:
    source: Source
    headers: tuple[str, ...]
    rows: list[Row]


def read_table(path: Path, *, sheet: str | None = None, encoding: str | None = None) -> Table:
    """Read and check ``path``; raise a ``ParameterError`` listing every table-level problem."""
    if not path.is_file():
        raise ParameterError([f"{path}: no such file" if not path.exists() else f"{path}: is not a file"])
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _grid(path, _xlsx_rows(path, sheet))
    if suffix == ".csv":
        return _grid(path, _csv_rows(path, encoding))
    if suffix in (".yaml", ".yml", ".json"):
        return _objects(path, suffix)
    hint = "; save it as .xlsx" if suffix in (".xls", ".ods", ".numbers") else ""
    raise ParameterError([f"{path}: unknown table type '{suffix}'; use .xlsx, .csv, .yaml or .json{hint}"])


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ParameterError([f"{path}: cannot be read ({error.strerror})"]) from None


def _csv_rows(path: Path, encoding: str | None) -> list[list[Any]]:
    raw = _read_bytes(path)
    if encoding is None:
        text = decode(raw, str(path))
    else:
        try:
            text = raw.decode(encoding)
        except LookupError:
            raise UsageError(f"--encoding {encoding!r}: unknown encoding; e.g. utf-8, gb18030") from None
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise ParameterError([f"{path}:{line}: is not {encoding} text"]) from None
        text = text.removeprefix("\ufeff")
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ParameterError([f"{path}: not a valid CSV file ({error})"]) from None


def _xlsx_rows(path: Path, sheet: str | None) -> list[list[Any]]:
    import openpyxl  # type: ignore[import-untyped]
    from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it ignores (data validation, styles).
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                if sheet is not None and sheet not in book.sheetnames:
                    raise ParameterError(
                        [f"{path}: no sheet named '{sheet}'; sheets: {', '.join(book.sheetnames)}"]
                    )
                worksheet = book[sheet] if sheet is not None else book.worksheets[0]
                return [list(values) for values in worksheet.iter_rows(values_only=True)]
            finally:
                book.close()
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ParameterError([f"{path}: is not a readable Excel workbook (.xlsx)"]) from None


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def letter_of(index: int) -> str:
    """Excel's column letter for a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _grid(path: Path, grid: list[list[Any]]) -> Table:
    """A spreadsheet's rows: row 1 holds the keys, each later non-blank row one contract."""
    if not grid or all(_empty(v) for v in grid[0]):
        raise ParameterError([f"{path}: row 1 must hold the column headers (parameter keys)"])
    header_cells = [str(v).strip() if not _empty(v) else "" for v in grid[0]]
    problems = _check_headers(path, header_cells)
    columns = [(i, h) for i, h in enumerate(header_cells) if h and h != ERROR_COLUMN]
    rows = []
    for number, values in enumerate(grid[1:], start=2):
        if all(_empty(v) for v in values):
            continue
        stray = next((i for i, v in enumerate(values) if not (_empty(v) or _header(header_cells, i))), None)
        if stray is not None:
            problems.append(f"{path} row {number}, column {letter_of(stray)}: a value under no header")
        cells = {h: _strip(values[i]) for i, h in columns if i < len(values) and not _empty(values[i])}
        rows.append(Row(number, cells))
    if problems:
        raise ParameterError(problems[:20])
    if not rows:
        raise ParameterError([f"{path}: has headers but no rows"])
    source = Source(str(path), "row", {h: letter_of(i) for i, h in columns}, typed=False)
    return Table(source, tuple(h for _, h in columns), rows)


def _header(headers: Sequence[str], index: int) -> str:
    return headers[index] if index < len(headers) else ""


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _check_headers(path: Path, headers: list[str]) -> list[str]:
    problems = []
    seen: dict[str, str] = {}
    for index, header in enumerate(headers):
        letter = letter_of(index)
        if not header:
            continue
        if header != ERROR_COLUMN and not _DOTTED_KEY.match(header):
            problems.append(
                f"{path} row 1, column {letter}: header '{header}' is not a parameter key; "
                "headers are dotted keys as in --set, e.g. customer.name"
            )
        elif header in seen:
            problems.append(f"{path} row 1: columns {seen[header]} and {letter} are both '{header}'")
        seen.setdefault(header, letter)
    return problems


def _objects(path: Path, suffix: str) -> Table:
    """A YAML or JSON list of objects, each a partial parameter tree like a contract file."""
    text = decode(_read_bytes(path), str(path))
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ParameterError([f"{path}:{error.lineno}: not valid JSON: {error.msg}"]) from None
    else:
        data, _ = parse_yaml_value(text, str(path))
    if not isinstance(data, list):
        raise ParameterError([f"{path}: must be a list of objects, one per contract"])
    problems = [
        f"{path} item {n}: must be an object of parameter keys, not {type(item).__name__}"
        for n, item in enumerate(data, start=1)
        if not isinstance(item, dict)
    ]
    headers = _union(item for item in data if isinstance(item, dict))
    problems += [f"{path}: key '{h}' is not a parameter key" for h in headers if not _DOTTED_KEY.match(h)]
    if problems:
        raise ParameterError(problems[:20])
    if not data:
        raise ParameterError([f"{path}: the list is empty"])
    rows = [
        Row(n, {k: v for k, v in item.items() if k != ERROR_COLUMN}) for n, item in enumerate(data, start=1)
    ]
    keys = tuple(h for h in headers if h != ERROR_COLUMN)
    return Table(Source(str(path), "item", {}, typed=True), keys, rows)


def _union(items: Iterable[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(str(key) for item in items for key in item))
