"""Tracked changes in WordprocessingML: a redline's insertions and deletions as Word's own.

Runs are wrapped in ``w:ins`` / ``w:del`` as they are written (deleted text
in ``w:delText``); a table row replaced whole also carries the mark in its
``w:trPr``, as Word tracks rows.  One pass at the end marks the paragraph
marks of paragraphs that are wholly inserted or deleted (so accepting or
rejecting removes the paragraph, not just its text) and numbers the
revisions in document order, with the author and a date from the model, so
the bytes stay reproducible.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..model import Change
from .ooxml import place

_TAGS: dict[Change, str] = {"inserted": "w:ins", "deleted": "w:del"}
#: The same elements as lxml names them, back to the prefixed name.
_WRAPPERS = {qn(tag): tag for tag in _TAGS.values()}


def mark(run: Any, change: Change | None) -> None:
    """Wrap the run's ``w:r`` in the revision element of ``change`` (nothing for ``None``)."""
    if change is None:
        return
    r = run._r
    wrapper = OxmlElement(_TAGS[change])
    r.addprevious(wrapper)
    wrapper.append(r)
    if change == "deleted":
        for text in r.findall(qn("w:t")):
            text.tag = qn("w:delText")


def mark_row(row: Any, change: Change | None) -> None:
    """Mark a table row (``w:tr``) as inserted or deleted whole, as Word tracks a row (nothing for ``None``).

    Accepting a deleted row's change, or rejecting an inserted row's,
    removes the row.  The caller marks the row's runs too (``mark``), as
    Word does: its text is as deleted or inserted as the row.
    """
    if change is None:
        return
    properties = row.get_or_add_trPr()
    if len(properties) == 0:
        # The schema wants a row property before the mark: this one says what Word does anyway.
        splittable = OxmlElement("w:cantSplit")
        splittable.set(qn("w:val"), "off")
        place(properties, splittable)
    place(properties, OxmlElement(_TAGS[change]))


def stamp(body: Any, author: str, day: date) -> None:
    """Mark wholly changed paragraphs' marks; give every revision an id, the author and the date."""
    for paragraph in body.iter(qn("w:p")):
        kinds = {run.getparent().tag for run in paragraph.iter(qn("w:r"))}
        if len(kinds) == 1 and (tag := kinds.pop()) in _WRAPPERS:
            properties = place(paragraph.get_or_add_pPr(), OxmlElement("w:rPr"))
            properties.append(OxmlElement(_WRAPPERS[tag]))
    when = f"{day.isoformat()}T00:00:00Z"
    for number, revision in enumerate(body.iter(qn("w:ins"), qn("w:del")), 1):
        revision.set(qn("w:id"), str(number))
        revision.set(qn("w:author"), author)
        revision.set(qn("w:date"), when)
