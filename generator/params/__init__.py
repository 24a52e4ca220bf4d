"""Parameters: read the layers, stack them, validate them into an ``Agreement``."""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import ParameterError, quote_value
from .layers import Layer, Merged, dotted, merge, set_layers
from .schema import Agreement
from .sources import Key, load_file

__all__ = ["Agreement", "Layer", "Parameters", "file_layer", "resolve", "set_layers"]


@dataclass(frozen=True)
class Parameters:
    """A validated agreement together with where each of its values came from."""

    agreement: Agreement
    merged: Merged

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the final parameters: equal fingerprints, equal contracts."""
        canonical = json.dumps(self.agreement.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()

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
    try:
        agreement = Agreement.model_validate(merged.tree)
    except ValidationError as error:
        problems = [_explain(merged, layers, item) for item in error.errors()]
        raise ParameterError(problems) from None
    return Parameters(agreement, merged)


def _get(tree: Any, key: Key) -> Any:
    for part in key:
        tree = tree[part]
    return tree


def _explain(merged: Merged, layers: list[Layer], item: Any) -> str:
    """One line per problem: where, which key, what was given, what is allowed."""
    key: Key = tuple(item["loc"])
    origin = merged.origin_of(key)
    where = origin.where if origin else _strongest_file(layers)
    message = str(item["msg"]).removeprefix("Value error, ")
    kind = item["type"]
    name = dotted(key) or "(top level)"
    if kind == "extra_forbidden":
        return f"{where}: unknown key '{name}'{_suggest(key)}"
    if kind == "missing":
        return f"{_home_of(layers, key)}: '{name}' is required but missing"
    given = "" if isinstance(item["input"], dict) else f"; got {quote_value(item['input'])}"
    return f"{where}: {name}: {message}{given}"


def _home_of(layers: list[Layer], key: Key) -> str:
    """Where a missing key belongs: its group in the strongest layer that has one, else the contract file."""
    parent = key[:-1]
    for layer in reversed(layers):
        if parent and parent in layer.lines:
            return str(layer.location(parent))
    return _strongest_file(layers)


def _strongest_file(layers: list[Layer]) -> str:
    files = [layer.origin for layer in layers if layer.kind in ("contract", "row", "base")]
    return files[-1] if files else layers[-1].origin if layers else "parameters"


def _suggest(key: Key) -> str:
    """A "did you mean" for an unknown key, from the field names valid at that place."""
    model: type[BaseModel] | None = Agreement
    for part in key[:-1]:
        if model is None or isinstance(part, int):
            continue
        model = _submodel(model, part)
    if model is None:
        return ""
    allowed = list(model.model_fields)
    close = difflib.get_close_matches(str(key[-1]), allowed, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"{hint}; allowed here: {', '.join(allowed)}"


def _submodel(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    annotation = model.model_fields[name].annotation if name in model.model_fields else None
    candidates = [annotation, *getattr(annotation, "__args__", ())]
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None
