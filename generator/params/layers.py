"""Stack parameter layers and remember which layer gave each value.

The layers, weakest first: the template's defaults, ``--base`` files (the
company standard, a region), the contract's own file (or a batch row), and
``--set`` overrides.  Mappings merge key by key; a list or a scalar in a
later layer replaces the earlier one whole, and ``null`` clears a value.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import Location, ParameterError, UsageError, quote_value
from .languages import UNLABELLED, is_localized
from .sources import Key, Tree, location_of, parse_yaml_value

_DOTTED_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$")


@dataclass(frozen=True)
class Layer:
    """One source of parameters: ``kind`` is the layer's role, ``origin`` names it for users."""

    kind: str
    origin: str
    tree: Tree
    lines: dict[Key, int] = field(default_factory=dict)

    def location(self, key: Key) -> Location:
        return location_of(self.origin, self.lines, key)


@dataclass(frozen=True)
class Origin:
    """Which layer set a value, and where."""

    kind: str
    where: Location


@dataclass(frozen=True)
class Merged:
    """The stacked parameters and the origin of every leaf."""

    tree: Tree
    origins: dict[Key, Origin]

    def origin_of(self, key: Key) -> Origin | None:
        """The origin of ``key``, else of a value inside it, else of its nearest ancestor.

        A group of keys has no origin of its own: when a layer turned a value
        into a group (``--set customer.name.x=1``) the group's keys say who,
        and a missing key (an arbitration commission) is placed with the
        group's most recently set key (``disputes.method: arbitration``).
        """
        for length in range(len(key), 0, -1):
            prefix = key[:length]
            found = self.origins.get(prefix)
            if found:
                return found
            # Origins are recorded layer by layer: the last one inside is the strongest.
            inside = next((o for k, o in reversed(self.origins.items()) if k[:length] == prefix), None)
            if inside:
                return inside
        return None


def merge(layers: list[Layer]) -> Merged:
    """Overlay ``layers`` in order (later wins) and record each leaf's origin."""
    tree: Tree = {}
    origins: dict[Key, Origin] = {}

    def overlay(target: dict[str, Any], source: dict[str, Any], key: Key, layer: Layer) -> None:
        for name, value in source.items():
            path = (*key, name)
            if isinstance(value, dict) and isinstance(target.get(name), str) and is_localized(path):
                # customer.name.en over a plain customer.name: the plain text stays the first language's.
                target[name] = {UNLABELLED: target[name]}
                origins[(*path, UNLABELLED)] = origins.pop(path)
            if isinstance(value, dict) and isinstance(target.get(name), dict):
                overlay(target[name], value, path, layer)
                continue
            origins.pop(path, None)
            if isinstance(target.get(name), dict):
                # A group being replaced by a value leaves its keys' origins behind.
                for stale in [k for k in origins if k[: len(path)] == path]:
                    del origins[stale]
            target[name] = copy.deepcopy(value)
            _record(origins, value, path, layer)

    for layer in layers:
        overlay(tree, layer.tree, (), layer)
    return Merged(tree, origins)


def _record(origins: dict[Key, Origin], value: Any, path: Key, layer: Layer) -> None:
    if isinstance(value, dict) and value:
        for name, inner in value.items():
            _record(origins, inner, (*path, name), layer)
    else:
        origins[path] = Origin(layer.kind, layer.location(path))


def set_layers(assignments: list[str] | tuple[str, ...]) -> list[Layer]:
    """Turn ``--set dotted.key=value`` strings into the strongest layers, one each.

    Values are parsed as YAML, so ``48`` is a number, ``2026-11-25`` a date
    and ``[repair, consultation]`` a list, exactly as in a parameter file.
    """
    layers = []
    for assignment in assignments:
        key, sep, raw = assignment.partition("=")
        key = key.strip()
        if not sep or not _DOTTED_KEY.match(key):
            raise UsageError(
                f"--set {quote_value(assignment)}: expected dotted.key=value, "
                "e.g. timeliness.response_hours=1"
            )
        origin = f"--set {key}"
        value, _ = parse_yaml_value(raw, origin)
        tree: Tree = {}
        assign(tree, key.split("."), value, origin)
        layers.append(Layer("set", origin, tree))
    return layers


def assign(tree: Tree, path: list[str], value: Any, origin: str) -> None:
    """Put ``value`` at ``path`` inside ``tree``, creating mappings on the way."""
    node = tree
    for depth, name in enumerate(path[:-1], 1):
        child = node.setdefault(name, {})
        if isinstance(child, str) and is_localized(tuple(path[:depth])):
            # customer.name, then customer.name.en (two batch columns): the plain text is the first language's
            child = node[name] = {UNLABELLED: child}
        if not isinstance(child, dict):
            raise ParameterError([f"{origin}: '{name}' is not a group of keys"])
        node = child
    node[path[-1]] = value
