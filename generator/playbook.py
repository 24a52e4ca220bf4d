"""The playbook: what sales may agree without asking legal, as ranges per parameter.

Legal writes it once, in the company standard (a ``--base`` file)::

    playbook:
      timeliness.response_hours: {min: 1, max: 24}
      liabilities.penalty_cap: {max: 20000, required: true}
      disputes.method: {choices: [litigation]}

Each entry becomes consistency rules like those of ``checks``, with codes
P001…P004, always warnings: a value outside the playbook is a valid contract
that needs legal's approval, not a broken one (``--strict`` makes them
errors).  Only a base layer (or the template's defaults) may hold a
playbook: a client file or a batch row that could widen its own limits would
make the approval pointless.  The web form asks ``Playbook.classify`` about
each field as the user types.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, partial
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import TypeAdapter, ValidationError

from .checks import Finding, Rule
from .errors import ParameterError, quote_value
from .params import Agreement, Layer
from .params.keys import field_at, submodel, suggest
from .params.sources import Key, parse_yaml_value

SECTION = "playbook"
#: Layers that may set the playbook: legal's files, never a contract's own.
TRUSTED_KINDS = ("defaults", "base")
BOUND_KEYS = ("min", "max", "choices", "required")

Status = Literal["inside", "outside", "invalid"]


@dataclass(frozen=True)
class Bound:
    """Legal's range for one parameter; values already of the parameter's own type."""

    key: str
    min: Any = None
    max: Any = None
    choices: tuple[Any, ...] | None = None
    required: bool = False
    #: ``True`` when the parameter is a list: each item must be among ``choices``.
    is_list: bool = False

    def allowed(self) -> str:
        """What the range allows, in words, for messages and the form's hints."""
        parts = []
        if self.min is not None and self.max is not None:
            parts.append(f"{_show(self.min)}–{_show(self.max)}")
        elif self.min is not None:
            parts.append(f"≥ {_show(self.min)}")
        elif self.max is not None:
            parts.append(f"≤ {_show(self.max)}")
        if self.choices is not None:
            parts.append(("each of " if self.is_list else "one of ") + ", ".join(map(_show, self.choices)))
        if self.required:
            parts.append("required")
        return "; ".join(parts) or "anything"

    def breaks(self, value: Any) -> tuple[str, ...]:
        """The codes of the limits ``value`` (of the parameter's own type, or None) is outside of."""
        if value is None:
            return ("P004",) if self.required else ()
        codes = []
        if self.min is not None and value < self.min:
            codes.append("P001")
        if self.max is not None and value > self.max:
            codes.append("P002")
        items = value if self.is_list else [value]
        if self.choices is not None and any(item not in self.choices for item in items):
            codes.append("P003")
        return tuple(codes)

    def rules(self) -> tuple[Rule, ...]:
        """The consistency rules this range stands for, one per limit it sets."""
        low, high = _show(self.min), _show(self.max)
        shown = ", ".join(map(_show, self.choices or ()))
        texts = {
            "P001": (
                f"低于法务批准范围的下限 {low}，须经法务审批",
                f"below the playbook's minimum of {low}; needs legal's approval",
            ),
            "P002": (
                f"高于法务批准范围的上限 {high}，须经法务审批",
                f"above the playbook's maximum of {high}; needs legal's approval",
            ),
            "P003": (
                f"不在法务批准的选项（{shown}）之内，须经法务审批",
                f"not among the playbook's choices ({shown}); needs legal's approval",
            ),
            "P004": (
                "法务要求约定此项，但未约定，须经法务审批",
                "not set, but the playbook requires it; needs legal's approval",
            ),
        }
        limits = {
            "P001": self.min is not None,
            "P002": self.max is not None,
            "P003": self.choices is not None,
            "P004": self.required,
        }
        return tuple(
            Rule(code, "warning", self.key, zh, en, partial(self._violated, code))
            for code, (zh, en) in texts.items()
            if limits[code]
        )

    def _violated(self, code: str, agreement: Agreement) -> bool:
        node: Any = agreement
        for part in self.key.split("."):
            node = getattr(node, part)
        return code in self.breaks(node)


@dataclass(frozen=True)
class Verdict:
    """What the form shows beside one field: inside / outside the playbook, or not a valid value."""

    key: str
    status: Status
    allowed: str
    #: Why it is outside or invalid; empty when inside.
    message: str = ""


@dataclass(frozen=True)
class Playbook:
    """Every range legal has set, by dotted key (later base files replace earlier entries)."""

    bounds: dict[str, Bound] = dataclasses.field(default_factory=dict)

    def rules(self) -> tuple[Rule, ...]:
        return tuple(rule for bound in self.bounds.values() for rule in bound.rules())

    def check(self, agreement: Agreement) -> list[Finding]:
        """Every value of ``agreement`` outside the playbook, by code."""
        return [Finding(rule) for rule in self.rules() if rule.violated(agreement)]

    def classify(self, key: str, raw: Any) -> Verdict | None:
        """The verdict for one field as typed (``None`` if the playbook does not cover ``key``).

        ``raw`` is what the form holds: text from an input (``"24"``), a
        number, a list, or ``None`` for an empty field.
        """
        bound = self.bounds.get(key)
        if bound is None:
            return None
        try:
            value = _typed(key, raw)
        except ValidationError as error:
            return Verdict(key, "invalid", bound.allowed(), _first(error))
        if bound.breaks(value):
            return Verdict(
                key, "outside", bound.allowed(), f"outside the playbook: allowed {bound.allowed()}"
            )
        return Verdict(key, "inside", bound.allowed())

    def classify_all(self, tree: dict[str, Any]) -> list[Verdict]:
        """A verdict for every key the playbook covers, read from a nested parameter mapping."""
        verdicts = []
        for key in self.bounds:
            node: Any = tree
            for part in key.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            verdict = self.classify(key, node)
            assert verdict is not None
            verdicts.append(verdict)
        return verdicts


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value).lower() if isinstance(value, bool) else str(value)


@cache
def _adapter(key: str) -> TypeAdapter[Any]:
    """Validates a value as the schema's field at ``key`` would (bounds and all)."""
    info = field_at(tuple(key.split(".")))
    assert info is not None and info.annotation is not None
    annotation: Any = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
    return TypeAdapter(annotation)


def _typed(key: str, raw: Any) -> Any:
    """A form's value as the parameter's type: as given, else read as a parameter file would ("24" → 24)."""
    if raw is None or raw == "":
        return None
    try:
        return _adapter(key).validate_python(raw)
    except ValidationError:
        if not isinstance(raw, str):
            raise
    try:
        value, _ = parse_yaml_value(raw, key)
    except ParameterError:
        value = raw
    return _adapter(key).validate_python(value)


def split_playbook(layers: list[Layer]) -> tuple[Playbook, list[Layer]]:
    """Take the ``playbook`` section out of ``layers``: the validated playbook, and the layers without it.

    Raises ``ParameterError`` (file:line, key, what is allowed) for every
    malformed entry, and for a playbook in a layer that may not set one.
    """
    bounds: dict[str, Bound] = {}
    problems: list[str] = []
    rest = []
    for layer in layers:
        section = layer.tree.get(SECTION)
        if SECTION not in layer.tree:
            rest.append(layer)
            continue
        where = layer.location((SECTION,))
        if layer.kind not in TRUSTED_KINDS:
            problems.append(
                f"{where}: a playbook belongs in the company standard (--base), "
                "not in a contract's own parameters"
            )
        elif not isinstance(section, dict):
            problems.append(f"{where}: playbook: must be a group of keys, such as timeliness.response_hours")
        else:
            for key, entry in section.items():
                bound = _bound(layer, key, entry, problems)
                if bound is not None:
                    bounds[key] = bound
        tree = {name: value for name, value in layer.tree.items() if name != SECTION}
        rest.append(dataclasses.replace(layer, tree=tree))
    if problems:
        raise ParameterError(problems)
    return Playbook(bounds), rest


def _bound(layer: Layer, key: str, entry: Any, problems: list[str]) -> Bound | None:
    """One validated entry, or ``None`` with its problems appended."""
    path: Key = (SECTION, key)
    where = layer.location(path)
    name = f"{SECTION}.{key}"
    schema_key = tuple(key.split("."))
    info = field_at(schema_key)
    if info is None:
        problems.append(f"{where}: {name}: unknown parameter {quote_value(key)}{suggest(schema_key)}")
        return None
    model = submodel(info.annotation)
    if model is not None:
        problems.append(
            f"{where}: {name}: is a group of keys; a range applies to one of them: "
            + ", ".join(f"{key}.{field}" for field in model.model_fields)
        )
        return None
    if not isinstance(entry, dict):
        problems.append(f"{where}: {name}: must be a group of keys; its keys: {', '.join(BOUND_KEYS)}")
        return None
    found = len(problems)
    for extra in (k for k in entry if k not in BOUND_KEYS):
        close = difflib.get_close_matches(str(extra), BOUND_KEYS, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        problems.append(
            f"{layer.location((*path, extra))}: unknown key {quote_value(f'{name}.{extra}')}{hint}; "
            f"allowed here: {', '.join(BOUND_KEYS)}"
        )
    is_list = get_origin(info.annotation) is list
    typed: dict[str, Any] = {}
    for limit in ("min", "max"):
        if entry.get(limit) is None:
            continue
        value = entry[limit]
        at = layer.location((*path, limit))
        if not _numeric(info.annotation):
            problems.append(f"{at}: {name}.{limit}: {key} is not a number, so it has no {limit}; use choices")
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            problems.append(f"{at}: {name}.{limit}: must be a number; got {quote_value(value)}")
            continue
        try:
            number = _adapter(key).validate_python(value)
        except ValidationError as error:
            problems.append(f"{at}: {name}.{limit}: {_first(error)}; got {quote_value(value)}")
            continue
        typed[limit] = number
    if "min" in typed and "max" in typed and typed["min"] > typed["max"]:
        problems.append(f"{layer.location((*path, 'max'))}: {name}: max is below min")
    choices = entry.get("choices")
    if choices is not None:
        if not isinstance(choices, list) or not choices:
            problems.append(f"{layer.location((*path, 'choices'))}: {name}.choices: must be a non-empty list")
        else:
            typed["choices"] = tuple(
                _choice(layer, path, name, key, index, choice, is_list, problems)
                for index, choice in enumerate(choices)
            )
    required = entry.get("required", False)
    if not isinstance(required, bool):
        problems.append(f"{layer.location((*path, 'required'))}: {name}.required: must be true or false")
    if len(problems) > found:
        return None
    return Bound(key, required=bool(required), is_list=is_list, **typed)


def _choice(
    layer: Layer, path: Key, name: str, key: str, index: int, choice: Any, is_list: bool, problems: list[str]
) -> Any:
    try:
        value = _adapter(key).validate_python([choice] if is_list else choice)
    except ValidationError as error:
        problems.append(
            f"{layer.location((*path, 'choices', index))}: {name}.choices: "
            f"{quote_value(choice)} is not a value of {key}: {_first(error)}"
        )
        return None
    return value[0] if is_list else value


def _numeric(annotation: Any) -> bool:
    """Whether a field holds a number (an amount, hours, months), perhaps optional or annotated."""
    if annotation in (int, Decimal):
        return True
    return any(_numeric(arg) for arg in get_args(annotation) if arg is not type(None))


def _first(error: ValidationError) -> str:
    return str(error.errors()[0]["msg"]).removeprefix("Value error, ")
