"""PDF/A-3b: WeasyPrint's ``pdf/a-3b`` variant, the parameter file attached, three repairs.

The parameter file is an associated file of the document (``/AF``,
``/AFRelationship /Source``), the way Factur-X carries its XML, with the
contract's own date as its dates so that the PDF stays byte-reproducible.
Then, in WeasyPrint's ``finisher`` hook:

- WeasyPrint 70 lists each attachment twice in the catalog's ``/AF``
  (WeasyPrint #2917): the duplicate goes.
- The document information dictionary is emptied: the XMP packet carries
  the metadata, and an ``/Info`` that disagrees with it (as pyHanko's
  ``/Producer`` would after signing) breaks PDF/A.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from .embedded import DESCRIPTION, NAME

VARIANT = "pdf/a-3b"


def attachment(source: str, day: date) -> Any:
    """The parameter file as WeasyPrint's attachment, dated ``day`` (never the clock)."""
    import weasyprint

    when = datetime.combine(day, time(), UTC)
    return weasyprint.Attachment(
        string=source,
        name=NAME,
        description=DESCRIPTION,
        created=when,
        modified=when,
        relationship="Source",
    )


def repair(pdf: Any) -> None:
    """Remove ``/AF``'s duplicates and empty ``/Info`` (run after WeasyPrint's PDF/A step)."""
    import pydyf

    associated = pdf.catalog.get("AF")
    if associated is not None:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(associated))
    pdf.info.clear()
