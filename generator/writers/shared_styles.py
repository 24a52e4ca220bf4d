"""Computed styles shared across the documents a process lays out.

WeasyPrint computes every element's style for every document: in a batch
worker that is ~13 ms of each contract's ~125 ms of PDF work, although the
contracts come from one template and their elements cascade the same
declarations, element for element.  Within one document WeasyPrint already
shares a ``ComputedStyle`` between elements with the same parent style and
the same matched rules (``StyleFor.__init__``); its values are computed
lazily, on first use, from the parent style, the cascaded declarations and a
few settings of the document.

``install`` extends that sharing across documents, in each thread: an
element (or one of its pseudo-elements: WeasyPrint makes six for every
element, ``::marker``, ``::footnote-call`` and the like, ~1,100 a contract)
gets the style made for an earlier document when its parent style is that
earlier (shared) style and its cascaded declarations are equal, name,
value and weight, in the same order, for the same base URL and font
configuration.  Its values are then already computed, in this and every
later document.  A stylesheet's token (a colour left to be parsed) and list
(a ``content``) count as equal only to themselves, so elements share when
their rules come from the same parsed stylesheet, as ``pdf._engine``'s and
WeasyPrint's own are for every contract.

Not shared, so computed afresh as WeasyPrint does: a cascade with a value
that is neither plain data nor a token (a ``var()`` still pending) or that
depends on the page's size (viewport units: each document sets its own),
the styles WeasyPrint rewrites while it lays a document out (``_shareable``),
page styles, and every descendant of an element not shared.  The PDF's
bytes are the same (``tests/test_shared_styles.py`` compares them with
WeasyPrint's own computing); any other WeasyPrint than the one this was
written for keeps its own.
"""

from __future__ import annotations

import inspect
import threading
from functools import cache
from typing import Any

#: The signatures this was written for (WeasyPrint 70).
_SET_COMPUTED = ["self", "element", "parent", "root", "pseudo_type", "base_url", "target_collector"]
_COMPUTED_STYLE = [
    "self",
    "parent_style",
    "cascaded",
    "pseudo_type",
    "root_style",
    "base_url",
    "font_config",
    "initial_page_sizes",
]
#: Beyond this many styles a thread's store starts afresh: a template's elements make a few dozen.
_KEPT = 4096

#: ``__eq__`` of objects equal only to themselves.
_IDENTITY: Any = object.__eq__
#: WeasyPrint writes a note's anchor into its call's style, per document.
_UNSHARED_PSEUDO = frozenset({"note-call"})
#: Marks a list in a key, so that a list and a tuple of the same items stay different.
_LIST = object()


class _Store(threading.local):
    """This thread's shared styles by key, and the ids of the styles it holds (alive, so unique)."""

    def __init__(self) -> None:
        self.styles: dict[tuple[Any, ...], Any] = {}
        self.held: set[int] = set()


_store = _Store()


@cache
def install() -> bool:
    """Make this process's WeasyPrint share computed styles across documents; False if it cannot."""
    from weasyprint.css import ComputedStyle, StyleFor
    from weasyprint.css.units import VIEWPORT_UNITS

    if (
        list(inspect.signature(StyleFor.set_computed_styles).parameters) != _SET_COMPUTED
        or list(inspect.signature(ComputedStyle.__init__).parameters) != _COMPUTED_STYLE
    ):
        return False
    stock = StyleFor.set_computed_styles
    viewport_units = frozenset(VIEWPORT_UNITS)

    def set_computed_styles(
        style_for: Any,
        element: Any,
        parent: Any,
        root: Any = None,
        pseudo_type: str | None = None,
        base_url: str | None = None,
        target_collector: Any = None,
    ) -> None:
        found = _key(style_for, element, parent, pseudo_type, base_url)
        shared = None if found is None else _store.styles.get(found[0])
        if shared is None:
            stock(style_for, element, parent, root, pseudo_type, base_url, target_collector)
            if found is not None and _shareable(found[1], viewport_units):
                _keep(found[0], style_for.get_computed_styles()[element, pseudo_type])
            return
        style_for.get_computed_styles()[element, pseudo_type] = shared
        if target_collector and shared["anchor"]:
            target_collector.collect_anchor(shared["anchor"])

    set_computed_styles.__wrapped__ = stock  # type: ignore[attr-defined]
    StyleFor.set_computed_styles = set_computed_styles
    return True


def _key(
    style_for: Any, element: Any, parent: Any, pseudo_type: str | None, base_url: str | None
) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
    """What a style depends on, as a key, and its cascade; None when it is not to be shared.

    The cascade as it is: equal values are equal data, and a stylesheet's
    token is equal only to itself (the key keeps it alive).  A list (a
    ``content``) counts by identity too: the stylesheet's own list, kept
    alive by the stored style's cascade.  A pseudo-element's parent is its
    element.
    """
    if pseudo_type in _UNSHARED_PSEUDO or not hasattr(element, "tag"):
        return None
    parent_style = None if parent is None else style_for.get_computed_styles()[parent, None]
    if parent_style is not None and id(parent_style) not in _store.held:
        return None
    cascaded = style_for.get_cascaded_styles().get((element, pseudo_type), {})
    declarations = tuple(cascaded.items())
    try:
        hash(declarations)
    except TypeError:
        declarations = tuple(
            (name, ((_LIST, id(value)) if type(value) is list else value, weight))
            for name, (value, weight) in declarations
        )
        try:
            hash(declarations)
        except TypeError:
            return None
    return (id(parent_style), pseudo_type, base_url, style_for.font_config, declarations), cascaded


def _shareable(cascaded: dict[str, Any], viewport_units: frozenset[str]) -> bool:
    """Whether a cascade's style may serve other documents (checked once per key).

    Each value must be plain data or a token, none in viewport units.  Not
    the cascades whose style WeasyPrint changes while it lays a document
    out, by what that document holds: an ``overflow`` (the root's or the
    body's moves to the page, and theirs becomes visible), a note or
    running element (``position``: it writes the document's anchor into
    the style), ``display: none`` (a root without a box makes it rewrite
    every element's display).
    """
    if "overflow" in cascaded or cascaded.get("display", (None,))[0] == ("none",):
        return False
    if not isinstance(cascaded.get("position", ("static",))[0], str):
        return False
    try:
        for value, weight in cascaded.values():
            _frozen(value, viewport_units)
            _frozen(weight, viewport_units)
    except _NotPlain:
        return False
    return True


class _NotPlain(Exception):
    """A cascaded value that is not plain data, or depends on the page's size."""


def _frozen(value: Any, viewport_units: frozenset[str]) -> Any:
    """The value as hashable plain data (``_NotPlain`` for anything else or a length in viewport units)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "serialize") and type(value).__eq__ is _IDENTITY:
        # A token of a stylesheet, parsed when the value is computed: equal only to itself,
        # and kept alive by the key, so an equal key means the same stylesheet's token.
        if any(unit in value.serialize().lower() for unit in viewport_units):
            raise _NotPlain
        return value
    if not isinstance(value, tuple | list):
        raise _NotPlain
    items = tuple(_frozen(item, viewport_units) for item in value)
    if isinstance(value, list):
        return (_LIST, *items)
    unit = getattr(value, "unit", None)
    if isinstance(unit, str) and unit.lower() in viewport_units:
        raise _NotPlain
    return (type(value), *items)


def _keep(key: tuple[Any, ...], style: Any) -> None:
    if len(_store.styles) >= _KEPT:
        _store.styles.clear()
        _store.held.clear()
    _store.styles[key] = style
    _store.held.add(id(style))
