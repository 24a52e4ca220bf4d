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
from ..params.languages import (
    LANGUAGE_FREE_CHANNELS,
    LANGUAGES,
    UNLABELLED,
    by_language,
    is_localized,
    languages_of,
)
from ..params.layers import Merged
from ..params.sources import Tree
from .fields import ENGLISH, FIELDS, MAX_CHANNELS, Field

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
            kind = form.one(f"{field.key}.{n}.kind")
            name = f"{field.key}.{n}.value"
            # A number or an address is the same in every language: one value, the main input's.
            value = _typed(form, name, f"{field.key}.value")
            if kind not in LANGUAGE_FREE_CHANNELS:
                value = _with_english(form, name, f"{field.key}.value", value)
            if value is not None:
                rows.append({"kind": kind, "value": value})
        return rows
    if not form.one(field.key).strip():
        value = schema_default(field.key)
    else:
        value = _typed(form, field.key, field.key)
    return _with_english(form, field.key, field.key, value) if field.localized else value


def _typed(form: FormData, name: str, key: str) -> Any:
    """The input ``name``'s text as a value of the parameter ``key`` (blank: no value)."""
    text = form.one(name)
    return typed_value(key, text, f"{FORM_ORIGIN} field {name}") if text.strip() else None


def _with_english(form: FormData, name: str, key: str, chinese: Any) -> Any:
    """A value and its English input as the CLI's ``{zh-CN: …, en: …}`` (a blank one ``None``);
    the value alone when no English input was posted, or none is typed and none was there."""
    english_name = f"{name}.{ENGLISH}"
    if not form.has(english_name):
        return chinese
    english = _typed(form, english_name, key)
    if english is None and chinese is None:
        return None
    return {"zh-CN": chinese, ENGLISH: english}


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
    if isinstance(value, dict) and value and set(value) <= {*LANGUAGES, UNLABELLED}:
        return by_language(value, language).get(language)
    return value


def client_tree(tree: Tree, base: Tree) -> Tree:
    """The part of ``tree`` that differs from ``base`` (a value the base lacks is the schema's default).

    A text given per language counts as changed when the text of some language changed; a
    changed one is written as the CLI's files write it: a plain string when it is the first
    language's alone, else ``{zh-CN: …, en: …}`` (``null`` for a language the base had and
    the form left blank).  A form that posts a text alone compares it with the base's text
    in the form's language, so a kept text keeps the base's mapping.
    """
    result: Tree = {}
    language = form_language({**base, **tree})

    def walk(node: Tree, path: tuple[str, ...]) -> None:
        for name, value in node.items():
            key = (*path, name)
            base_value = _base_value(base, key)
            if isinstance(value, dict) and value and not is_localized(key):
                walk(value, key)
            elif not isinstance(value, (dict, list)):
                if value != in_form_language(base_value, language):
                    _put(result, ".".join(key), value)
            elif _texts(value, key, language) != _texts(base_value, key, language):
                _put(result, ".".join(key), _written(value, key, language, base_value))

    walk(tree, ())
    return result


def _texts(value: Any, key: tuple[str | int, ...], first: str) -> Any:
    """``value`` with every text that may differ by language as language → text (blank ones left out)."""
    if isinstance(value, list):
        return [_texts(item, (*key, index), first) for index, item in enumerate(value)]
    if is_localized(key) and isinstance(value, (str, dict)):
        return {lang: text for lang, text in by_language(value, first).items() if text is not None}
    if isinstance(value, dict):
        return {name: _texts(item, (*key, name), first) for name, item in value.items()}
    return value


def _written(value: Any, key: tuple[str | int, ...], first: str, base: Any = None) -> Any:
    """A changed value as a client file writes it (see ``client_tree``)."""
    if isinstance(value, list):
        return [_written(item, (*key, index), first) for index, item in enumerate(value)]
    if is_localized(key) and isinstance(value, dict):
        had = _texts(base, key, first) if isinstance(base, (str, dict)) else {}
        given = {lang: value.get(lang) for lang in LANGUAGES if value.get(lang) is not None or lang in had}
        if not given:
            return None
        return given[first] if list(given) == [first] else given
    if isinstance(value, dict):
        return {name: _written(item, (*key, name), first) for name, item in value.items()}
    return value


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


def lookup(tree: Tree, dotted: str, language: str | None = None) -> Any:
    """The value at ``dotted`` in a parameter tree as the form shows it, else the schema's
    default (or ``None``).  A text given per language shows in the form's language, or in
    ``language`` when one is asked (a plain text being the first language's)."""
    node: Any = tree
    for name in dotted.split("."):
        if not isinstance(node, dict) or name not in node:
            return None if language else schema_default(dotted)
        node = node[name]
    if language is None:
        return in_form_language(node, form_language(tree))
    return by_language(node, form_language(tree)).get(language) if isinstance(node, (str, dict)) else node


def display(value: Any) -> str:
    """A value as a text input shows it."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def channel_rows(tree: Tree) -> list[dict[str, str]]:
    """The complaint channels as form rows (a value's Chinese and English apart, but a phone
    number's or an e-mail address's one value), with one empty row to add another (up to
    the maximum)."""
    value = lookup(tree, "complaint_channels")
    first = form_language(tree)
    rows = []
    for item in (value if isinstance(value, list) else [])[:MAX_CHANNELS]:
        if not isinstance(item, dict):
            continue
        kind, text = item.get("kind"), item.get("value")
        if kind in LANGUAGE_FREE_CHANNELS or not isinstance(text, (str, dict)):
            rows.append({"kind": display(kind), "value": display(text), "english": ""})
        else:
            texts = by_language(text, first)
            rows.append(
                {
                    "kind": display(kind),
                    "value": display(texts.get("zh-CN")),
                    "english": display(texts.get(ENGLISH)),
                }
            )
    if len(rows) < MAX_CHANNELS:
        rows.append({"kind": "phone", "value": "", "english": ""})
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
            if isinstance(value, dict) and value and not is_localized((*path, name)):
                lines.append(f"{indent}{name}:{comment}")
                emit(value, (*path, name))
            else:
                lines.append(f"{indent}{name}: {_flow(value)}{comment}")

    emit(tree, ())
    return "\n".join(lines) + "\n"


def _flow(value: Any) -> str:
    """One YAML value on one line, quoted wherever YAML would read it differently."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1 << 20, sort_keys=False)
    return text.removesuffix("\n").removesuffix("\n...")
