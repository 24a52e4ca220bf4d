"""Parameters: read the layers, stack them, validate them into an ``Agreement``."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import MAX_PROBLEMS, ParameterError, Problem, quote_value
from .keys import field_at, submodel, suggest
from .languages import Texts, in_language, languages_of, split_texts
from .layers import Layer, Merged, merge, set_layers
from .schema import DATE_ALLOWED, Agreement
from .sources import Key, dotted, load_file

__all__ = ["Agreement", "Layer", "Parameters", "file_layer", "resolve", "set_layers"]


@dataclass(frozen=True)
class Parameters:
    """A validated agreement together with where each of its values came from."""

    agreement: Agreement
    merged: Merged
    #: Every language's text of the values given per language (the agreement holds the first's).
    texts: Texts = field(default_factory=dict)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the contract is written in, first language first."""
        return languages_of(self.agreement.language)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the final parameters: equal fingerprints, equal contracts."""
        data = self.agreement.model_dump(mode="json")
        others = {
            dotted(key): {lang: by[lang] for lang in self.languages[1:]} for key, by in self.texts.items()
        }
        if any(others.values()):
            data["texts"] = others
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def in_language(self, language: str) -> Parameters:
        """The same parameters with every value given per language in ``language``."""
        if language == self.languages[0]:
            return self
        tree = in_language(self.agreement.model_dump(), self.texts, language)
        return Parameters(Agreement.model_validate(tree), self.merged, self.texts)

    def listing(self) -> list[tuple[str, Any, str]]:
        """Every leaf value as (dotted key, value, "layer: where") for ``--show-params``."""
        rows = []
        for key, origin in sorted(self.merged.origins.items(), key=lambda item: dotted(item[0])):
            rows.append((dotted(key), _get(self.merged.tree, key), f"{origin.kind}: {origin.where}"))
        return rows


def file_layer(path: Path, kind: str) -> Layer:
    """Read one parameter file as a layer of the given ``kind`` (base, contract, …)."""
    tree, lines = load_file(path)
    return Layer(kind, str(path), tree, lines)


def resolve(layers: list[Layer]) -> Parameters:
    """Stack ``layers`` (weakest first) and validate the result."""
    merged = merge(layers)
    tree, texts, wrong = split_texts(merged.tree)
    if wrong:
        listed = wrong[:MAX_PROBLEMS]
        problems = [f"{_where(merged, layers, key)}: {dotted(key)}: {message}" for key, message in listed]
        keys = [Problem(dotted(key), "language") for key, _ in listed]
        raise ParameterError(problems, more=len(wrong) - len(listed), keys=keys)
    try:
        agreement = Agreement.model_validate(tree)
    except ValidationError as error:
        # Explaining costs a "did you mean" search each: explain only what is shown.
        items = error.errors()
        shown = items[:MAX_PROBLEMS]
        problems = [_explain(merged, layers, item) for item in shown]
        keys = [Problem(dotted(tuple(item["loc"])), str(item["type"])) for item in shown]
        raise ParameterError(problems, more=len(items) - len(problems), keys=keys) from None
    return Parameters(agreement, merged, texts)


def _get(tree: Any, key: Key) -> Any:
    for part in key:
        tree = tree[part]
    return tree


#: What a key allows, for the errors whose pydantic wording does not say it
#: all (``{ge}``/``{le}`` are the field's bounds).
_ALLOWED = {
    "int_type": "whole numbers from {ge} to {le}",
    "int_parsing": "whole numbers from {ge} to {le}",
    "int_from_float": "whole numbers from {ge} to {le}",
    "greater_than_equal": "whole numbers from {ge} to {le}",
    "less_than_equal": "whole numbers from {ge} to {le}",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": 'text (put a number such as a phone number in quotes: "4008201234")',
    "list_type": "a list, such as [a, b]",
    "date_type": DATE_ALLOWED,
    "date_parsing": DATE_ALLOWED,
    "date_from_datetime_parsing": DATE_ALLOWED,
    "date_from_datetime_inexact": DATE_ALLOWED,
}
#: Pydantic's errors for a value where a group of keys belongs.
_GROUP_ERRORS = ("model_type", "model_attributes_type", "dict_type")


def _explain(merged: Merged, layers: list[Layer], item: Any) -> str:
    """One line per problem: where, which key, what was given, what is allowed."""
    key: Key = tuple(item["loc"])
    kind = item["type"]
    name = dotted(key) or "(top level)"
    if kind == "missing":
        # A missing key is best reported against the file that should have
        # held it, at the line of its group if that file has one.
        return f"{_missing_where(layers, key)}: '{name}' is required but missing"
    where = _where(merged, layers, key)
    if kind == "extra_forbidden":
        return f"{where}: unknown key {quote_value(name)}{suggest(key)}"
    message = str(item["msg"]).removeprefix("Value error, ")
    if kind in _GROUP_ERRORS:
        message = "must be a group of keys"
    given = item["input"]
    got = "a group of keys" if isinstance(given, dict) else quote_value(given)
    return f"{where}: {name}: {message}; got {got}{_allowed(key, kind)}"


def _allowed(key: Key, kind: str) -> str:
    """``; allowed: …`` for the errors whose message does not say what is allowed."""
    info = field_at(key)
    bounds = {
        bound: getattr(meta, bound)
        for meta in (info.metadata if info else ())
        for bound in ("ge", "le")
        if hasattr(meta, bound)
    }
    model = submodel(info.annotation) if info else None
    if kind in _GROUP_ERRORS and model:
        return f"; its keys: {', '.join(model.model_fields)}"
    if kind in _ALLOWED and ("{" not in _ALLOWED[kind] or len(bounds) == 2):
        return f"; allowed: {_ALLOWED[kind].format(**bounds)}"
    return ""


def _where(merged: Merged, layers: list[Layer], key: Key) -> str:
    """Where the value of ``key`` was written: its own line in the layer that set it."""
    origin = merged.origin_of(key)
    if origin is None:
        return _strongest_file(layers)
    for layer in layers:
        if layer.origin == origin.where.source and key in layer.lines:
            return str(layer.location(key))
    return str(origin.where)


def _missing_where(layers: list[Layer], key: Key) -> str:
    for layer in reversed(layers):
        if layer.kind in ("contract", "row", "base") and any(k == key[: len(k)] for k in layer.lines if k):
            return str(layer.location(key))
    return _strongest_file(layers)


def _strongest_file(layers: list[Layer]) -> str:
    files = [layer.origin for layer in layers if layer.kind in ("contract", "row", "base")]
    return files[-1] if files else layers[-1].origin if layers else "parameters"
