"""Each PDF object serialised (and its stream compressed) once per write, not twice.

A contract's PDF carries a fixed file identifier (``pdf.identifier``), so
that equal contracts are equal bytes.  Given one, pydyf 0.13's ``PDF.write``
hashes every object's serialised data for the identifier's second half,
*after* writing them: it serialises every object twice, and so deflates
every stream twice at zlib's level 9 (fonts, pages, the flowchart: ~2 MB
of raw data per contract, ~10 ms).  WeasyPrint alone, which writes no
identifier, pays this once.

``writing(pdf)`` makes the objects the PDF holds when its trailer is
written (the finisher's moment) remember their data for the rest of that
write, in this thread only.  Nothing changes them in between, so the bytes
are the same; ``tests/test_pdf_objects.py`` compares them with pydyf's own.
Any other pydyf than the one this was written for keeps its own behaviour.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

#: The pydyf releases whose ``PDF.write`` reads objects' ``data`` only to write and hash them.
_KNOWN_PYDYF = ("0.13.",)


class _Memo(threading.local):
    """The objects of the PDF this thread is writing (by id) and their data, once read."""

    ids: frozenset[int] = frozenset()
    data: dict[int, bytes] | None = None


_memo = _Memo()


@cache
def install() -> bool:
    """Let ``Stream.data`` and ``Dictionary.data`` answer from the memo while one is active.

    False (and pydyf unchanged) for a pydyf this was not written for.
    """
    import pydyf

    if not str(getattr(pydyf, "__version__", "")).startswith(_KNOWN_PYDYF):
        return False
    for kind in (pydyf.Stream, pydyf.Dictionary):
        stock = kind.__dict__.get("data")
        if not isinstance(stock, property) or stock.fget is None:
            return False
    for kind in (pydyf.Stream, pydyf.Dictionary):
        kind.data = property(_remembered(kind.__dict__["data"].fget))
    return True


def _remembered(stock: Any) -> Any:
    def data(item: Any) -> Any:
        remembered = _memo.data
        if remembered is None or id(item) not in _memo.ids:
            return stock(item)
        key = id(item)
        if key not in remembered:
            remembered[key] = stock(item)
        return remembered[key]

    return data


def remember(pdf: Any) -> None:
    """From now until ``writing`` ends, the data of the objects ``pdf`` holds is read once.

    Called by the finisher, the last moment before pydyf writes: the objects
    are complete.  The PDF keeps them alive, so their ids stay theirs.
    """
    if _memo.data is not None:
        _memo.ids = frozenset(id(item) for item in pdf.objects)


@contextmanager
def writing() -> Iterator[None]:
    """The span of one ``write_pdf`` in this thread, during which ``remember`` applies."""
    if not install():
        yield
        return
    _memo.ids, _memo.data = frozenset(), {}
    try:
        yield
    finally:
        _memo.ids, _memo.data = frozenset(), None
