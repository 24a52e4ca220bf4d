"""CJK fonts embedded compactly: bare CFF of the glyphs used.

That they draw what WeasyPrint's own embedding draws, pixel for pixel, is
``test_cli.test_standalone_html_renders_alone_to_the_same_pdf``.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

from fontTools.cffLib import CFFFontSet
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from generator.writers import compact_fonts

from .conftest import pdf_pages

CONTRACT = "HX-AS-2026-0158"
CID_FONTS = ("/CIDFontType0", "/CIDFontType2")


def _embedded_cid_fonts(pdf: Path) -> list[dict[str, Any]]:
    """Each font program of the PDF: its stream, its CIDFont dictionaries, and the CIDs they show.

    One program can serve several CIDFonts (one face at several sizes).
    """
    reader = PdfReader(pdf)
    found: dict[int, dict[str, Any]] = {}
    for number in range(1, reader.trailer["/Size"]):
        cid_font = reader.get_object(number)
        if not (isinstance(cid_font, DictionaryObject) and cid_font.get("/Subtype") in CID_FONTS):
            continue
        program = cid_font["/FontDescriptor"].get_object().raw_get("/FontFile3")
        entry = found.setdefault(program.idnum, {"file": program.get_object(), "fonts": [], "cids": set()})
        entry["fonts"].append(cid_font)
        widths = cid_font["/W"]
        for first, run in zip(widths[::2], widths[1::2], strict=True):
            entry["cids"].update(range(first, first + len(run)))
    return list(found.values())


def _charset_cids(program: bytes) -> list[int]:
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(program), None)
    top = cff.topDictIndex[0]
    assert hasattr(top, "ROS"), "the program must stay CID-keyed"
    return [0 if name == ".notdef" else int(name.removeprefix("cid")) for name in top.charset]


def test_cjk_faces_are_bare_cff_of_the_glyphs_used(form_a: Path) -> None:
    fonts = _embedded_cid_fonts(form_a / f"{CONTRACT}.pdf")
    assert len(fonts) == 2
    for font in fonts:
        assert font["file"]["/Subtype"] == "/CIDFontType0C"
        assert all("/CIDToGIDMap" not in cid_font for cid_font in font["fonts"])
        charset = _charset_cids(font["file"].get_data())
        # Every code the pages use reaches its own glyph; beside them, only the
        # few alternates HarfBuzz's layout closure adds, not ~63,000 empty slots.
        assert set(charset) >= font["cids"] | {0}, font["fonts"][0]["/BaseFont"]
        assert len(charset) < 1.1 * len(font["cids"])


def _cff_font_without_cids(path: Path) -> None:
    """A two-letter OpenType font whose CFF is name-keyed, as Latin OTF fonts are."""
    order = [".notdef", "A", "B"]

    def box() -> Any:
        pen = T2CharStringPen(600, None)
        pen.moveTo((50, 0))
        pen.lineTo((550, 0))
        pen.lineTo((550, 700))
        pen.lineTo((50, 700))
        pen.closePath()
        return pen.getCharString()

    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({ord("A"): "A", ord("B"): "B"})
    builder.setupCFF("NameKeyed-Regular", {"FullName": "Name Keyed"}, {name: box() for name in order}, {})
    builder.setupHorizontalMetrics({name: (600, 50) for name in order})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Name Keyed", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.save(str(path))


def test_other_fonts_keep_weasyprints_own_embedding(tmp_path: Path) -> None:
    """A name-keyed CFF font has no charset of CIDs to select glyphs by: it must keep its glyph ids."""
    font = tmp_path / "name-keyed.otf"
    _cff_font_without_cids(font)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import weasyprint
    assert compact_fonts.install()
    html = (
        f"<style>@font-face {{ font-family: NameKeyed; src: url({font.as_uri()}) }}"
        " body { font-family: NameKeyed }</style><p>ABBA</p>"
    )
    pdf = tmp_path / "latin.pdf"
    weasyprint.HTML(string=html).write_pdf(pdf, finisher=compact_fonts.finish)
    (embedded,) = _embedded_cid_fonts(pdf)
    assert embedded["file"]["/Subtype"] == "/OpenType"
    assert "ABBA" in pdf_pages(pdf)[0]


def test_a_program_is_compact_only_if_its_charset_reaches_every_glyph_used(tmp_path: Path) -> None:
    font = tmp_path / "name-keyed.otf"
    _cff_font_without_cids(font)
    from fontTools.ttLib import TTFont

    name_keyed = TTFont(str(font)).reader["CFF "]
    assert not compact_fonts._charset_keeps_cids(name_keyed, [1, 2])
    assert not compact_fonts._charset_keeps_cids(b"not a font", [1])
