"""Read one parameter file (YAML, JSON or TOML) into plain data plus line numbers.

Line numbers are kept for every key so that a validation error months later
can still say ``client.yaml:14``.  YAML aliases are refused outright: a
parameter file has no use for them, and refusing them is the only way to
stop an alias bomb before it expands.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from ..errors import Location, ParameterError

Key = tuple[str | int, ...]
Tree = dict[str, Any]

MAX_FILE_BYTES = 1 << 20
SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}


class _Refused(Exception):
    """A YAML construct we do not accept, with the line it stands on."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that stops at the first alias instead of expanding it."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _Refused(
                "YAML aliases (*name) are not allowed in parameter files", event.start_mark.line + 1
            )
        return super().compose_node(parent, index)


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
    if not path.exists():
        raise ParameterError([f"{path}: no such file"])
    if path.is_dir():
        raise ParameterError([f"{path}: is a folder, not a parameter file"])
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


def load_file(path: Path) -> tuple[Tree, dict[Key, int]]:
    """Return the file's mapping and the line of each key in it."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ParameterError([f"{path}: unknown file type '{path.suffix}'; use .yaml, .yml, .json or .toml"])
    text = read_text(path)
    if not text.strip():
        raise ParameterError([f"{path}: the file is empty"])
    if kind == "toml":
        tree, lines = _load_toml(text, str(path))
    elif kind == "json":
        tree, lines = _load_json(text, str(path))
    else:
        tree, lines = load_yaml(text, str(path))
    return tree, lines


def load_yaml(text: str, origin: str) -> tuple[Tree, dict[Key, int]]:
    """Parse YAML text whose top level must be a mapping."""
    value, lines = parse_yaml_value(text, origin)
    if not isinstance(value, dict):
        raise ParameterError([f"{origin}:1: the top level must be a mapping of keys to values"])
    return value, lines


def parse_yaml_value(text: str, origin: str) -> tuple[Any, dict[Key, int]]:
    """Parse any YAML value (also used for ``--set`` values and spreadsheet cells)."""
    loader = _NoAliasLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[Key, int] = {}
        return _construct(loader, node, (), lines, origin), lines
    except _Refused as refused:
        raise ParameterError([f"{origin}:{refused.line}: {refused}"]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise ParameterError([f"{origin}{line}: not valid YAML: {error.problem}"]) from None
    except yaml.YAMLError as error:
        raise ParameterError([f"{origin}: not valid YAML: {error}"]) from None
    finally:
        loader.dispose()


def _construct(loader: yaml.SafeLoader, node: yaml.Node, key: Key, lines: dict[Key, int], origin: str) -> Any:
    lines[key] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            name = _scalar(loader, key_node)
            line = key_node.start_mark.line + 1
            if not isinstance(name, str):
                raise _Refused(f"key {name!r} must be text", line)
            if name in mapping:
                raise _Refused(f"key '{name}' appears twice", line)
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


def _load_json(text: str, origin: str) -> tuple[Tree, dict[Key, int]]:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        for k in keys:
            if keys.count(k) > 1:
                raise ParameterError([f"{origin}: key '{k}' appears twice"])
        return dict(pairs)

    try:
        tree = json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as error:
        raise ParameterError([f"{origin}:{error.lineno}: not valid JSON: {error.msg}"]) from None
    except RecursionError:
        raise ParameterError([f"{origin}: nested too deeply"]) from None
    if not isinstance(tree, dict):
        raise ParameterError([f"{origin}:1: the top level must be an object of keys to values"])
    return tree, _scan_lines(text, tree, quote='"')


def _load_toml(text: str, origin: str) -> tuple[Tree, dict[Key, int]]:
    try:
        tree = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = f":{match.group(1)}" if match else ""
        reason = re.sub(r"\s*\(at .*\)$", "", str(error))
        raise ParameterError([f"{origin}{line}: not valid TOML: {reason}"]) from None
    return tree, _scan_lines(text, tree, quote="")


def _scan_lines(text: str, tree: Tree, quote: str) -> dict[Key, int]:
    """Find the line of each key by name, for formats whose parser keeps no positions.

    A key is placed on the first line after its parent's that names it; this
    is exact for the usual one-key-per-line layout, which is all an error
    message needs.
    """
    source = text.splitlines()
    lines: dict[Key, int] = {}

    def walk(node: Any, key: Key, start: int) -> None:
        if not isinstance(node, dict):
            return
        for name, value in node.items():
            pattern = re.compile(rf"(^|[\s{{,.\[]){quote}{re.escape(name)}{quote}\s*[:=\].]")
            for number in range(start, len(source)):
                if pattern.search(source[number]):
                    lines[(*key, name)] = number + 1
                    walk(value, (*key, name), number)
                    break

    walk(tree, (), 0)
    return lines


def location_of(origin: str, lines: dict[Key, int], key: Key) -> Location:
    """The most precise known location of ``key`` (or of its nearest parent)."""
    for length in range(len(key), -1, -1):
        line = lines.get(key[:length])
        if line:
            return Location(origin, line)
    return Location(origin)
