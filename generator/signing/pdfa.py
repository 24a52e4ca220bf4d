"""PDF/A-3b: WeasyPrint's ``pdf/a-3b`` variant, the parameter file attached, three repairs.

The parameter file is an associated file of the document (``/AF``,
``/AFRelationship /Source``), the way Factur-X carries its XML, with the
contract's own date as its dates so that the PDF stays byte-reproducible.
Then, in WeasyPrint's ``finisher`` hook:

- WeasyPrint 70 lists each attachment twice in the catalog's ``/AF``
  (WeasyPrint #2917): the duplicate goes.
- WeasyPrint types a ``.yaml`` file ``application/octet-stream``: it is
  ``application/yaml`` (RFC 9512).
- The document information dictionary is emptied: the XMP packet carries
  the metadata, and an ``/Info`` that disagrees with it (as pyHanko's
  ``/Producer`` would after signing) breaks PDF/A.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from .embedded import DESCRIPTION, MEDIA_TYPE, NAME

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
    """After WeasyPrint's PDF/A step: ``/AF`` without duplicates, the file typed, ``/Info`` empty."""
    import pydyf

    associated = pdf.catalog.get("AF")
    if associated is not None:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(associated))
    for item in pdf.objects:
        if isinstance(item, pydyf.Stream) and item.extra.get("Type") == "/EmbeddedFile":
            item.extra["Subtype"] = "/" + MEDIA_TYPE.replace("/", "#2f")
    pdf.info.clear()
