"""The strongest PDF/A-3b check we can make without veraPDF, with pikepdf.

It checks what our PDFs could get wrong (the traps of WeasyPrint 70 and of
pyHanko), not the whole of ISO 19005-3: veraPDF is the validator to run
where it is available (``make verapdf``).
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

#: Document information keys and the XMP properties that must agree with them.
_INFO_TO_XMP = {
    "/Title": "dc:title",
    "/Author": "dc:creator",
    "/Subject": "dc:description",
    "/Keywords": "pdf:Keywords",
    "/Creator": "xmp:CreatorTool",
    "/Producer": "pdf:Producer",
}
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
#: Annotation flags PDF/A forbids (Invisible, Hidden, NoView) and the one it requires (Print).
_HIDDEN, _PRINT = 1 | 2 | 32, 4


def pdfa_problems(path: Path) -> list[str]:
    """What makes ``path`` fail PDF/A-3b, as far as these checks see; empty when nothing does."""
    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        if meta.pdfa_status != "3B":
            problems.append(f"XMP pdfaid says {meta.pdfa_status or 'nothing'}, not 3B")
        problems += _output_intent(pdf)
        problems += _info_matches_xmp(pdf, meta)
        problems += _fonts_embedded(pdf)
        problems += _no_javascript(pdf)
        problems += _attachments(pdf)
        problems += _annotations(pdf)
        if pdf.is_encrypted:
            problems.append("encrypted")
    return problems


def _output_intent(pdf: pikepdf.Pdf) -> list[str]:
    for intent in pdf.Root.get("/OutputIntents", []):
        profile = intent.get("/DestOutputProfile")
        if intent.get("/S") == "/GTS_PDFA1" and isinstance(profile, pikepdf.Stream):
            if int(profile.get("/N", 0)) in (1, 3, 4) and profile.read_bytes()[36:40] == b"acsp":
                return []
            return ["the output intent's profile is not an ICC profile"]
    return ["no GTS_PDFA1 output intent with an ICC profile"]


def _info_matches_xmp(pdf: pikepdf.Pdf, meta: pikepdf.models.PdfMetadata) -> list[str]:
    info = pdf.trailer.get("/Info")
    if info is None:
        return []
    problems = []
    for key, value in info.items():
        if key in ("/CreationDate", "/ModDate"):
            problems.append(
                f"Info {key} is set (the XMP carries the dates, and they must agree to the second)"
            )
        elif key not in _INFO_TO_XMP:
            problems.append(f"Info {key} has no XMP counterpart")
        else:
            xmp = meta.get(_INFO_TO_XMP[key])
            xmp_text = ", ".join(xmp) if isinstance(xmp, list) else str(xmp)
            if xmp is None or xmp_text != str(value):
                problems.append(f"Info {key} {str(value)!r} disagrees with XMP {_INFO_TO_XMP[key]} {xmp!r}")
    return problems


def _fonts_embedded(pdf: pikepdf.Pdf) -> list[str]:
    """Every font of every page, form XObject and annotation appearance has its program embedded."""
    problems: list[str] = []
    seen: set[tuple[int, int]] = set()

    def resources(holder: pikepdf.Object) -> None:
        found = holder.get("/Resources")
        if found is None:
            return
        for font in (found.get("/Font") or {}).values():
            font_problem(font)
        for xobject in (found.get("/XObject") or {}).values():
            if xobject.objgen not in seen and xobject.get("/Subtype") == "/Form":
                seen.add(xobject.objgen)
                resources(xobject)

    def font_problem(font: pikepdf.Object) -> None:
        name = str(font.get("/BaseFont", "?"))
        if font.get("/Subtype") == "/Type3":
            return
        descendant = font.DescendantFonts[0] if font.get("/Subtype") == "/Type0" else font
        descriptor = descendant.get("/FontDescriptor")
        if descriptor is None or not any(key in descriptor for key in _FONT_FILES):
            problems.append(f"font {name} is not embedded")

    def appearances(annotation: pikepdf.Object) -> None:
        for state in (annotation.get("/AP") or {}).values():
            streams = [state] if isinstance(state, pikepdf.Stream) else list(state.values())
            for stream in streams:
                if stream.objgen not in seen:
                    seen.add(stream.objgen)
                    resources(stream)

    for page in pdf.pages:
        resources(page.obj)
        for annotation in page.obj.get("/Annots", []):
            appearances(annotation)
    return problems


def _no_javascript(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    names = pdf.Root.get("/Names") or {}
    if "/JavaScript" in names:
        problems.append("the catalog names JavaScript")
    for item in pdf.objects:
        if isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
            if item.get("/S") == "/JavaScript" or "/JS" in item:
                problems.append(f"object {item.objgen} is a JavaScript action")
            if "/AA" in item:
                problems.append(f"object {item.objgen} has additional actions (/AA)")
    return problems


def _attachments(pdf: pikepdf.Pdf) -> list[str]:
    """Each embedded file is an associated file with its keys; ``/AF`` lists each once."""
    problems = []
    associated = list(pdf.Root.get("/AF", []))
    ids = [spec.objgen for spec in associated]
    if len(ids) != len(set(ids)):
        problems.append(f"the catalog's /AF lists a file more than once: {ids}")
    tree = (pdf.Root.get("/Names") or {}).get("/EmbeddedFiles")
    embedded = list(tree.Names[1::2]) if tree is not None else []
    if {spec.objgen for spec in embedded} != set(ids):
        problems.append("the embedded files and the catalog's /AF differ")
    for spec in associated:
        for key in ("/F", "/UF", "/AFRelationship", "/Desc"):
            if key not in spec:
                problems.append(f"attachment {spec.get('/UF')} lacks {key}")
        stream = spec.EF.F
        if "/Subtype" not in stream:
            problems.append(f"attachment {spec.get('/UF')} has no MIME type (/Subtype)")
        if "/ModDate" not in stream.get("/Params", {}):
            problems.append(f"attachment {spec.get('/UF')} has no /ModDate")
    return problems


def _annotations(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    form = pdf.Root.get("/AcroForm")
    if form is not None and bool(form.get("/NeedAppearances", False)):
        problems.append("/NeedAppearances is true")
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            flags = int(annotation.get("/F", 0))
            if not flags & _PRINT or flags & _HIDDEN:
                problems.append(f"annotation {annotation.objgen} does not print, or is hidden (/F {flags})")
            if annotation.get("/Subtype") not in ("/Link", "/Popup") and "/N" not in (
                annotation.get("/AP") or {}
            ):
                problems.append(f"annotation {annotation.objgen} has no normal appearance")
    return problems
