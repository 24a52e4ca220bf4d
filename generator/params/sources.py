"""Read one parameter file (YAML, JSON or TOML) into plain data plus line numbers.

Line numbers are kept for every key so that a validation error months later
can still say ``client.yaml:14``.  YAML aliases are refused outright: a
parameter file has no use for them, and refusing them is the only way to
stop an alias bomb before it expands.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
import tomllib
from bisect import bisect_left
from pathlib import Path
from typing import Any

import yaml

from ..errors import Location, ParameterError, quote_value, short_path

Key = tuple[str | int, ...]
Tree = dict[str, Any]


def dotted(key: Key) -> str:
    """``("customer", "name")`` → ``customer.name``; list positions count from 1."""
    return ".".join(str(part + 1) if isinstance(part, int) else part for part in key)


MAX_FILE_BYTES = 1 << 20
#: Deepest nesting a parameter file may have (the schema needs four levels):
#: deeper input is refused before any recursive code can overflow on it.
MAX_DEPTH = 16
SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}


class _Refused(Exception):
    """A YAML construct we do not accept, with the line it stands on."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that stops at the first alias, and at too deep nesting, instead of expanding it."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _Refused(
                "YAML aliases (*name) are not allowed in parameter files", event.start_mark.line + 1
            )
        if self.depth >= MAX_DEPTH:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep", event.start_mark.line + 1)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def decode(raw: bytes, origin: str) -> str:
    """Decode UTF-8 (with or without BOM), else GB18030 as Chinese Windows writes it."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            line = raw[: utf8_error.start].count(b"\n") + 1
            raise ParameterError(
                [f"{origin}:{line}: is neither UTF-8 nor GB18030 text; save it as UTF-8"]
            ) from None


def read_text(path: Path) -> str:
    """Read a user file with clear errors for the usual mistakes."""
    _check_is_file(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ParameterError(
                [f"{path}: is {size:,} bytes; a parameter file may be at most {MAX_FILE_BYTES:,}"]
            )
        raw = path.read_bytes()
    except OSError as error:
        raise ParameterError([f"{path}: cannot be read ({error.strerror})"]) from None
    return decode(raw, str(path))


def _check_is_file(path: Path) -> None:
    try:
        exists, folder = path.exists(), path.is_dir()
    except OSError as error:  # a name too long, say
        raise ParameterError([f"{short_path(path)}: cannot be read ({error.strerror})"]) from None
    if not exists:
        raise ParameterError([f"{path}: no such file"])
    if folder:
        raise ParameterError([f"{path}: is a folder, not a parameter file"])


def load_file(path: Path) -> tuple[Tree, dict[Key, int]]:
    """Return the file's mapping and the line of each key in it."""
    _check_is_file(path)
    kind = kind_of(str(path))
    return load_text(read_text(path), str(path), kind)


def kind_of(name: str) -> str:
    """The format a file name's suffix says (``yaml``, ``json`` or ``toml``), or a clear error."""
    kind = SUFFIXES.get(Path(name).suffix.lower())
    if kind is None:
        raise ParameterError(
            [f"{name}: unknown file type {quote_value(Path(name).suffix)}; use .yaml, .yml, .json or .toml"]
        )
    return kind


def load_text(text: str, origin: str, kind: str) -> tuple[Tree, dict[Key, int]]:
    """Parse a parameter file's text (read from disk, uploaded or posted) named ``origin`` in messages."""
    if not text.strip():
        raise ParameterError([f"{origin}: the file is empty"])
    if kind == "toml":
        return _load_toml(text, origin)
    if kind == "json":
        return _load_json(text, origin)
    return load_yaml(text, origin)


def load_yaml(text: str, origin: str) -> tuple[Tree, dict[Key, int]]:
    """Parse YAML text whose top level must be a mapping."""
    value, lines = parse_yaml_value(text, origin)
    if value is None:
        raise ParameterError([f"{origin}: the file is empty (it holds only comments)"])
    if not isinstance(value, dict):
        raise ParameterError([f"{origin}:1: the top level must be a mapping of keys to values"])
    return value, lines


def parse_yaml_value(text: str, origin: str) -> tuple[Any, dict[Key, int]]:
    """Parse any YAML value (also used for ``--set`` values and spreadsheet cells)."""
    loader: _NoAliasLoader | None = None
    try:
        loader = _NoAliasLoader(text)
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[Key, int] = {}
        return _construct(loader, node, (), lines, origin), lines
    except _Refused as refused:
        raise ParameterError([f"{origin}:{refused.line}: {refused}"]) from None
    except yaml.reader.ReaderError as error:
        # PyYAML refuses control characters as the loader is made, before any key is known.
        row = text[: error.position].count("\n") + 1
        raise ParameterError(
            [
                f"{origin}:{row}: contains the control character U+{error.character:04X}, "
                "which a document cannot hold"
            ]
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = _syntax_error_mark(error, text)
        line = f":{mark.line + 1}" if mark else ""
        raise ParameterError([f"{origin}{line}: not valid YAML: {error.problem}"]) from None
    except yaml.YAMLError as error:
        raise ParameterError([f"{origin}: not valid YAML: {error}"]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _syntax_error_mark(error: yaml.MarkedYAMLError, text: str) -> Any:
    """Where to point for a YAML syntax error: where the unclosed thing began, if that is what it is.

    An unclosed ``[`` or quote is only noticed at the end of the text, which
    may be a line past the last one; the context mark says where it opened.
    """
    problem, context = error.problem_mark, error.context_mark
    if problem is None:
        return context
    if context is not None and not text[problem.index :].strip():
        return context
    return problem


def _construct(loader: yaml.SafeLoader, node: yaml.Node, key: Key, lines: dict[Key, int], origin: str) -> Any:
    lines[key] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            name = _scalar(loader, key_node)
            line = key_node.start_mark.line + 1
            if not isinstance(name, str):
                raise _Refused(f"key {quote_value(name)} must be text", line)
            if name in mapping:
                raise _Refused(f"key {quote_value(name)} appears twice", line)
            mapping[name] = _construct(loader, value_node, (*key, name), lines, origin)
            lines[(*key, name)] = line
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(loader, item, (*key, index), lines, origin) for index, item in enumerate(node.value)
        ]
    return _scalar(loader, node)


def _scalar(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise _Refused("a key must be plain text", node.start_mark.line + 1)
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, yaml.constructor.ConstructorError):
        # An impossible date such as 2026-02-30: keep the text, so that the
        # validator reports it against its key with the allowed form.
        return node.value


_TOO_LONG = "a number has thousands of digits"


class _Duplicate(Exception):
    """A JSON object names a key twice; ``start`` is where the object begins, once known."""

    def __init__(self, key: str, start: int = 0) -> None:
        super().__init__(key)
        self.key = key
        self.start = start


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise _Duplicate(key)
        mapping[key] = value
    return mapping


def _load_json(text: str, origin: str) -> tuple[Tree, dict[Key, int]]:
    try:
        tree = json.loads(text, object_pairs_hook=_no_duplicates)
    except _Duplicate as duplicate:
        line = _json_duplicate_line(text, duplicate.key)
        raise ParameterError(
            [f"{origin}{f':{line}' if line else ''}: key {quote_value(duplicate.key)} appears twice"]
        ) from None
    except json.JSONDecodeError as error:
        raise ParameterError([f"{origin}:{error.lineno}: not valid JSON: {error.msg}"]) from None
    except RecursionError:
        raise ParameterError([f"{origin}: nested more than {MAX_DEPTH} levels deep"]) from None
    except ValueError:
        # Python refuses to convert integers of thousands of digits.
        raise ParameterError([f"{origin}: not valid JSON: {_TOO_LONG}"]) from None
    if not isinstance(tree, dict):
        raise ParameterError([f"{origin}:1: the top level must be an object of keys to values"])
    _check_depth(tree, origin)
    return tree, _scan_lines(text, tree, _JSON_KEY)


def _json_duplicate_line(text: str, key: str) -> int | None:
    """The line of a repeated key: parsed again, slowly, to learn where its object starts.

    Only an error takes this path; within the object, the key's second
    spelling is the repeat (a nested object using the same key first would
    mislead it, which costs only the line number's precision).
    """

    def parse_object(s_and_end: tuple[str, int], *args: Any, **kwargs: Any) -> Any:
        try:
            return json.decoder.JSONObject(s_and_end, *args, **kwargs)  # type: ignore[attr-defined]
        except _Duplicate as duplicate:
            if not duplicate.start:
                duplicate.start = s_and_end[1]
            raise

    decoder = json.JSONDecoder(object_pairs_hook=_no_duplicates)
    decoder.parse_object = parse_object  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        decoder.decode(text)
    except _Duplicate as duplicate:
        spellings = re.compile(rf'"{re.escape(json.dumps(key)[1:-1])}"\s*:')
        found = list(spellings.finditer(text, duplicate.start))
        if len(found) > 1:
            return text.count("\n", 0, found[1].start()) + 1
    except (ValueError, RecursionError):
        pass
    return None


def _load_toml(text: str, origin: str) -> tuple[Tree, dict[Key, int]]:
    try:
        tree = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        reason = re.sub(r"\s*\(at .*\)$", "", str(error))
        where = f":{match.group(1)}" if match else ""
        if reason == "Cannot overwrite a value":
            repeated = _toml_repeated_key(text)
            if repeated:
                line, key = repeated
                raise ParameterError([f"{origin}:{line}: key {quote_value(key)} appears twice"]) from None
        raise ParameterError([f"{origin}{where}: not valid TOML: {reason}"]) from None
    except RecursionError:
        raise ParameterError([f"{origin}: nested more than {MAX_DEPTH} levels deep"]) from None
    except ValueError:
        raise ParameterError([f"{origin}: not valid TOML: {_TOO_LONG}"]) from None
    _check_depth(tree, origin)
    return tree, _scan_lines(text, tree, _TOML_KEY)


_TOML_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_TOML_ASSIGNMENT = re.compile(r"^\s*([A-Za-z0-9_.\-\"' ]+?)\s*=")


def _toml_repeated_key(text: str) -> tuple[int, str] | None:
    """The first ``key = …`` line that repeats a key of its table (tomllib does not say where)."""
    table = ""
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        header = _TOML_TABLE.match(line)
        if header:
            table = f"{header.group(1)}."
            continue
        assignment = _TOML_ASSIGNMENT.match(line)
        if assignment:
            key = table + assignment.group(1).replace(" ", "")
            if key in seen:
                return number, key
            seen.add(key)
    return None


def _check_depth(tree: Tree, origin: str) -> None:
    """Refuse nesting deeper than any parameter file needs (checked without recursion)."""
    stack: list[tuple[Any, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParameterError([f"{origin}: nested more than {MAX_DEPTH} levels deep"])
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, depth + 1) for child in children)


#: Where a key is spelt on a line: a quoted JSON name before ``:``, or a TOML
#: name (bare or quoted, maybe dotted) before ``=``, ``.`` or ``]``.
_JSON_KEY = re.compile(r'(?:^|(?<=[\s{,\[]))"((?:[^"\\]|\\.)*)"\s*:')
_TOML_KEY = re.compile(r"""(?:^|(?<=[\s{,.\[]))([A-Za-z0-9_-]+|"[^"]*"|'[^']*')\s*(?=[=\].])""")


def _scan_lines(text: str, tree: Tree, spelling: re.Pattern[str]) -> dict[Key, int]:
    """Find the line of each key by name, for formats whose parser keeps no positions.

    A key is placed on the first line, from its parent's on, that spells it;
    this is exact for the usual one-key-per-line layout, which is all an
    error message needs.  Every line is read once, so a huge file costs no
    more than its size.
    """
    spelt: dict[str, list[int]] = {}
    for number, line in enumerate(text.splitlines()):
        for match in spelling.finditer(line):
            spelt.setdefault(match.group(1).strip("\"'"), []).append(number)
    lines: dict[Key, int] = {}
    pending: list[tuple[Tree, Key, int]] = [(tree, (), 0)]
    while pending:
        node, key, start = pending.pop()
        for name, value in node.items():
            numbers = spelt.get(name, [])
            at = bisect_left(numbers, start)
            if at < len(numbers):
                lines[(*key, name)] = numbers[at] + 1
                if isinstance(value, dict):
                    pending.append((value, (*key, name), numbers[at]))
    return lines


def location_of(origin: str, lines: dict[Key, int], key: Key) -> Location:
    """The most precise known location of ``key`` (or of its nearest parent)."""
    for length in range(len(key), -1, -1):
        line = lines.get(key[:length])
        if line:
            return Location(origin, line)
    return Location(origin)
