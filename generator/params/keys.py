"""What the schema allows at a dotted key: for "did you mean" and "allowed" in messages.

Parameter errors and batch ``--name`` patterns both need to walk the
schema by key; this is the one place that does.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .schema import Agreement
from .sources import Key


def field_at(key: Key) -> FieldInfo | None:
    """The schema's field for ``key`` (list positions skipped), if there is one."""
    model: type[BaseModel] | None = Agreement
    info = None
    for part in key:
        if isinstance(part, int):
            continue
        if model is None or part not in model.model_fields:
            return None
        info = model.model_fields[part]
        model = submodel(info.annotation)
    return info


def suggest(key: Key) -> str:
    """A "did you mean" for an unknown key, from the field names valid at that place."""
    parent = field_at(key[:-1]) if key[:-1] else None
    model = submodel(parent.annotation) if parent else Agreement
    if model is None:
        return ""
    allowed = list(model.model_fields)
    close = difflib.get_close_matches(str(key[-1]), allowed, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"{hint}; allowed here: {', '.join(allowed)}"


def submodel(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, directly, as an option or as list items."""
    candidates = [annotation, *getattr(annotation, "__args__", ())]
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None
