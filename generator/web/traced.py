"""Which form fields a problem concerns, so that it shows beside each of them.

A value's problem concerns its own key.  A consistency rule names one key,
but a rule that compares two values (the response limit against the on-site
limit) concerns both: the keys a rule reads while it finds the contract in
breach are found by running it on a reader that records them (lists, which
a rule reads only to see whether it applies, are left out).  So a new
rule in ``checks`` shows at the right fields without a word here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from ..checks import RULES
from ..params.schema import Agreement
from .contract import Problem


class _Reader:
    """Wraps a model; every value read through it is recorded by its dotted key."""

    def __init__(self, model: BaseModel, path: str, read: list[str]) -> None:
        self._model, self._path, self._read = model, path, read

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._model, name)
        key = f"{self._path}.{name}" if self._path else name
        if isinstance(value, BaseModel):
            return _Reader(value, key, self._read)
        # A list is read for the rule's condition ("when on-site service is in
        # scope"), not as one of the values the rule weighs against each other.
        if not isinstance(value, list):
            self._read.append(key)
        return value


def concerned_keys(problem: Problem, agreement: Agreement | None, fields: Sequence[str]) -> list[str]:
    """The fields ``problem`` shows at: its key's field first, then any other its rule read."""
    keys = [problem.key]
    rule = next((r for r in RULES if r.code == problem.code), None)
    if rule is not None and agreement is not None:
        read: list[str] = []
        try:
            rule.violated(_Reader(agreement, "", read))  # type: ignore[arg-type]
        except (AttributeError, TypeError):  # a rule that needs the model itself: its own key only
            read = []
        keys += read
    found: list[str] = []
    for key in keys:
        field = _field_of(key, fields)
        if field and field not in found:
            found.append(field)
    return found


def _field_of(key: str, fields: Sequence[str]) -> str | None:
    """The field holding ``key``: itself, the nearest enclosing one (a list's), or a group's first."""
    parts = key.split(".")
    for length in range(len(parts), 0, -1):
        candidate = ".".join(parts[:length])
        if candidate in fields:
            return candidate
    # A group of keys (a missing ``customer``): its first field.
    return next((field for field in fields if key and field.startswith(f"{key}.")), None)
