"""File names for a batch: ``--name`` patterns over parameter keys, made safe and unique.

A pattern such as ``{customer.name}-{contract_no}`` is checked against the
schema before any row is read, so a typo fails once instead of once per
row.  Names are compared case-insensitively (as Windows and macOS do), and
two rows that would share a name are both refused: silently keeping one of
them would lose a contract.
"""

from __future__ import annotations

import re
import typing
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ..errors import ParameterError, UsageError
from ..output import safe_stem
from ..params import Agreement
from ..params.keys import field_at, submodel, suggest

DEFAULT_PATTERN = "{contract_no}"
_FIELD = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class NamePattern:
    text: str


def parse_pattern(text: str) -> NamePattern:
    """Check that ``text`` names at least one key and only scalar keys the schema has."""
    keys = _FIELD.findall(text)
    if "{" in _FIELD.sub("", text) or "}" in _FIELD.sub("", text):
        raise UsageError(f"--name {text!r}: unbalanced braces; write keys as {{customer.name}}")
    if not keys:
        raise UsageError(
            f"--name {text!r}: names no parameter key, so every contract would get the same name; "
            f"e.g. --name '{DEFAULT_PATTERN}'"
        )
    for key in keys:
        _check_key(text, key.strip())
    return NamePattern(text)


def _check_key(pattern: str, key: str) -> None:
    parts = tuple(key.split("."))
    info = field_at(parts)
    if info is None:
        raise UsageError(f"--name {pattern!r}: unknown key '{key}'{suggest(parts)}")
    for length in range(1, len(parts)):
        outer = field_at(parts[:length])
        if outer is not None and typing.get_origin(outer.annotation) is list:
            raise UsageError(f"--name {pattern!r}: '{key}' goes through the list '{parts[length - 1]}'")
    if submodel(info.annotation) is not None:
        raise UsageError(f"--name {pattern!r}: '{key}' is a group of keys; name one of its values")


def name_of(pattern: NamePattern, agreement: Agreement) -> str:
    """The contract's file name stem (without extension)."""
    values = agreement.model_dump(mode="json")

    def value_of(match: re.Match[str]) -> str:
        key = match.group(1).strip()
        value: Any = values
        for part in key.split("."):
            value = value[part]
        if value is None or value == []:
            raise ParameterError([f"--name {pattern.text!r}: this contract has no value for '{key}'"])
        return "-".join(map(str, value)) if isinstance(value, list) else str(value)

    return safe_stem(_FIELD.sub(value_of, pattern.text))


def clashes(names: dict[int, str]) -> dict[int, list[int]]:
    """For each row whose name another row also gets: the other rows (names by row number)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for number, name in names.items():
        groups[name.casefold()].append(number)
    return {
        number: [other for other in group if other != number]
        for group in groups.values()
        if len(group) > 1
        for number in group
    }
