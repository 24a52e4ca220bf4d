"""Empty signature fields over the reserved seal areas, placed from the layout.

The HTML writer gives each party's seal area an id (``writers.html.SEAL_ANCHORS``);
after WeasyPrint has laid the contract out, each page's ``anchors`` hold the
box of every id on it, in CSS pixels from the page's top left.  Each field's
``/Rect`` is that box in PDF points (×0.75, y flipped against the page's
height), so the field covers the seal area wherever the text above it has
pushed it.  The fields are written by WeasyPrint's ``finisher`` hook into the
same single revision as the rest of the PDF (no incremental update), so
the file stays byte-reproducible.
"""

from __future__ import annotations

from typing import Any

from ..errors import RenderError
from ..writers.html import SEAL_ANCHORS, SEAL_FIELDS

#: PDF points per CSS pixel (72 / 96).
POINTS_PER_PX = 0.75
#: Annotation flag "Print": a widget must print (and PDF/A requires it).
PRINT = 4


def seal_boxes(document: Any) -> dict[str, tuple[int, tuple[float, float, float, float]]]:
    """Each field's page index and rectangle (PDF points, bottom-left origin) from the layout."""
    boxes = {}
    for name, anchor in zip(SEAL_FIELDS, SEAL_ANCHORS, strict=True):
        for index, page in enumerate(document.pages):
            if anchor in page.anchors:
                x1, y1, x2, y2 = page.anchors[anchor]
                height = page.height * POINTS_PER_PX
                boxes[name] = (
                    index,
                    (
                        x1 * POINTS_PER_PX,
                        height - y2 * POINTS_PER_PX,
                        x2 * POINTS_PER_PX,
                        height - y1 * POINTS_PER_PX,
                    ),
                )
                break
    return boxes


def add_signature_fields(document: Any, pdf: Any, labels: tuple[str, ...]) -> None:
    """Add one empty ``/Sig`` field per seal area; ``labels`` are their readable names (甲方, 乙方).

    Each field is merged with its widget, prints (``/F 4``) and has an empty
    normal appearance, as PDF/A wants of every annotation.
    """
    import pydyf

    boxes = seal_boxes(document)
    if len(labels) > len(SEAL_FIELDS):
        raise RenderError(f"a contract can have {len(SEAL_FIELDS)} signature fields, not {len(labels)}")
    acroform = pdf.catalog.get("AcroForm")
    if acroform is None:
        acroform = pdf.catalog["AcroForm"] = pydyf.Dictionary({"Fields": pydyf.Array()})
    references = pdf.page_references
    for name, label in zip(SEAL_FIELDS, labels, strict=False):
        if name not in boxes:
            raise RenderError(f"the layout has no seal area for the signature field {name} ({label})")
        index, rect = boxes[name]
        width, height = rect[2] - rect[0], rect[3] - rect[1]
        appearance = pydyf.Stream(
            [], {"Type": "/XObject", "Subtype": "/Form", "BBox": pydyf.Array([0, 0, width, height])}
        )
        pdf.add_object(appearance)
        page_reference = references[index].decode()
        widget = pydyf.Dictionary(
            {
                "Type": "/Annot",
                "Subtype": "/Widget",
                "FT": "/Sig",
                "T": pydyf.String(name),
                "TU": pydyf.String(label),
                "F": PRINT,
                "Rect": pydyf.Array([round(value, 3) for value in rect]),
                "P": page_reference,
                "AP": pydyf.Dictionary({"N": appearance.reference}),
            }
        )
        pdf.add_object(widget)
        page = pdf.objects[int(page_reference.split()[0])]
        if "Annots" not in page:
            page["Annots"] = pydyf.Array()
        page["Annots"].append(widget.reference)
        acroform["Fields"].append(widget.reference)
