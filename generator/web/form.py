"""Between the form and the parameters: posted fields → a layer, a merged tree → field values.

The posted form holds every field's full value.  The layer made from it
keeps only what differs from the base (the template's defaults under the
server's ``--base`` files), so it is the client file a user would write by
hand, and the YAML download is exactly that layer.  Typed text is read as
``params.cells`` reads a spreadsheet cell: ``48`` is a number, a phone
number stays text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import yaml
from pydantic_core import PydanticUndefined

from ..params.cells import typed_value
from ..params.keys import field_at
from ..params.languages import LANGUAGES, languages_of
from ..params.layers import Merged
from ..params.sources import Tree
from .fields import FIELDS, MAX_CHANNELS, Field

#: Where a value typed into the form is said to come from, in messages.
FORM_ORIGIN = "form"


class FormData:
    """The posted form: each name's values (checkboxes post a name once per ticked box)."""

    def __init__(self, items: Sequence[tuple[str, str]]) -> None:
        self._values: dict[str, list[str]] = {}
        for name, value in items:
            self._values.setdefault(name, []).append(value)

    def one(self, name: str) -> str:
        values = self._values.get(name)
        return values[-1] if values else ""

    def all(self, name: str) -> list[str]:
        return list(self._values.get(name, []))

    def has(self, name: str) -> bool:
        return name in self._values


def form_tree(form: FormData) -> Tree:
    """Every field's value as a parameter tree (a blank field is ``None``: no value)."""
    tree: Tree = {}
    for field in FIELDS:
        _put(tree, field.key, _field_value(form, field))
    return tree


def _field_value(form: FormData, field: Field) -> Any:
    if field.kind == "checkbox":
        return form.has(field.key)
    if field.kind == "checkboxes":
        return form.all(field.key)
    if field.kind == "channels":
        rows = []
        for n in range(1, MAX_CHANNELS + 1):
            text = form.one(f"{field.key}.{n}.value")
            if text.strip():
                where = f"{FORM_ORIGIN} field {field.key}.{n}.value"
                value = typed_value(f"{field.key}.value", text, where)
                rows.append({"kind": form.one(f"{field.key}.{n}.kind"), "value": value})
        return rows
    text = form.one(field.key)
    if not text.strip():
        return schema_default(field.key)
    return typed_value(field.key, text, f"{FORM_ORIGIN} field {field.key}")


def schema_default(dotted: str) -> Any:
    """What a blank field means: the schema's default where it has one (a blank term.cure_days
    is 15 days, not "no value"), else no value."""
    info = field_at(tuple(dotted.split(".")))
    default = info.get_default(call_default_factory=True) if info else None
    return None if default is PydanticUndefined else default


def form_language(tree: Tree) -> str:
    """The language the form's one-line texts are in: the contract's first."""
    return languages_of(tree.get("language", "zh-CN"))[0]


def in_form_language(value: Any, language: str) -> Any:
    """A text given per language (``{zh-CN: …, en: …}``, as the template's title is) as the form
    shows it: the text of the form's language; any other value as it is."""
    if isinstance(value, dict) and value and set(value) <= set(LANGUAGES):
        return value.get(language)
    return value


def client_tree(tree: Tree, base: Tree) -> Tree:
    """The part of ``tree`` that differs from ``base`` (a value the base lacks is the schema's default).

    A text the base gives per language is unchanged when the form kept its text in the form's
    language, so the client file (and the final parameters) keep the base's mapping.
    """
    result: Tree = {}
    language = form_language({**base, **tree})

    def walk(node: Tree, path: tuple[str, ...]) -> None:
        for name, value in node.items():
            key = (*path, name)
            if isinstance(value, dict) and value:
                walk(value, key)
            elif value != in_form_language(_base_value(base, key), language):
                _put(result, ".".join(key), value)

    walk(tree, ())
    return result


def _base_value(base: Tree, key: tuple[str, ...]) -> Any:
    node: Any = base
    for name in key:
        if not isinstance(node, dict) or name not in node:
            return schema_default(".".join(key))
        node = node[name]
    return node


def _put(tree: Tree, dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for name in parents:
        tree = tree.setdefault(name, {})
    tree[last] = value


def lookup(tree: Tree, dotted: str) -> Any:
    """The value at ``dotted`` in a parameter tree as the form shows it, else the schema's
    default (or ``None``)."""
    node: Any = tree
    for name in dotted.split("."):
        if not isinstance(node, dict) or name not in node:
            return schema_default(dotted)
        node = node[name]
    return in_form_language(node, form_language(tree))


def display(value: Any) -> str:
    """A value as a text input shows it."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def channel_rows(value: Any) -> list[dict[str, str]]:
    """The complaint channels as form rows, with one empty row to add another (up to the maximum)."""
    rows = [
        {"kind": display(item.get("kind")), "value": display(item.get("value"))}
        for item in (value if isinstance(value, list) else [])
        if isinstance(item, dict)
    ][:MAX_CHANNELS]
    if len(rows) < MAX_CHANNELS:
        rows.append({"kind": "phone", "value": ""})
    return rows


def sources(merged: Merged) -> dict[str, str]:
    """For each field, whether its value is the standard's or this contract's own."""
    result = {}
    for field in FIELDS:
        path = tuple(field.key.split("."))
        own = any(
            key[: len(path)] == path and origin.kind not in ("defaults", "base")
            for key, origin in merged.origins.items()
        )
        result[field.key] = "contract" if own else "standard"
    return result


_LABELS = {field.key: field.label for field in FIELDS}


def client_yaml(tree: Tree, bases: Sequence[str]) -> str:
    """``tree`` as a client file in the README's format, each key's line naming its field."""
    over = " ".join(f"--base {name}" for name in bases)
    lines = [
        "# 客户参数文件：只写与公司标准不同之处 / a client file: only what differs from the standard",
        f"# agreement generate THIS-FILE.yaml {over}".rstrip(),
    ]

    def emit(node: Mapping[str, Any], path: tuple[str, ...]) -> None:
        indent = "  " * len(path)
        for name, value in node.items():
            key = ".".join((*path, name))
            label = _LABELS.get(key)
            comment = f"  # {label}" if label else ""
            if isinstance(value, dict) and value:
                lines.append(f"{indent}{name}:{comment}")
                emit(value, (*path, name))
            else:
                lines.append(f"{indent}{name}: {_flow(value)}{comment}")

    emit(tree, ())
    return "\n".join(lines) + "\n"


def _flow(value: Any) -> str:
    """One YAML value on one line, quoted wherever YAML would read it differently."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1 << 20)
    return text.removesuffix("\n").removesuffix("\n...")
