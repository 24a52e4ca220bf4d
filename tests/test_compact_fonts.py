"""CJK fonts embedded compactly: bare CFF of the glyphs used.

That they draw what WeasyPrint's own embedding draws, pixel for pixel, is
``test_cli.test_standalone_html_renders_alone_to_the_same_pdf``.
"""

from __future__ import annotations

import io
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import newTable
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from generator.writers import compact_fonts

from .conftest import fonttools_cids, name_keyed_font, page_pixels, pdf_pages, save_font

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


def test_cjk_faces_are_bare_cff_of_the_glyphs_used(form_a: Path) -> None:
    fonts = _embedded_cid_fonts(form_a / f"{CONTRACT}.pdf")
    assert len(fonts) == 2
    for font in fonts:
        assert font["file"]["/Subtype"] == "/CIDFontType0C"
        assert all("/CIDToGIDMap" not in cid_font for cid_font in font["fonts"])
        charset = fonttools_cids(font["file"].get_data())
        # Every code the pages use reaches its own glyph; beside them, only the
        # few alternates HarfBuzz's layout closure adds, not ~63,000 empty slots.
        assert set(charset) >= font["cids"] | {0}, font["fonts"][0]["/BaseFont"]
        assert len(charset) < 1.1 * len(font["cids"])


def test_other_fonts_keep_weasyprints_own_embedding(tmp_path: Path) -> None:
    """A name-keyed CFF font has no charset of CIDs to select glyphs by: it must keep its glyph ids."""
    font = tmp_path / "name-keyed.otf"
    name_keyed_font(font)
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


def test_a_font_file_is_copied_out_of_harfbuzz_only_for_weasyprints_own_embedding(
    form_a: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CJK faces (20–27 MB each) are never copied; a name-keyed font, embedded by WeasyPrint, is."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import weasyprint
    assert compact_fonts.install()
    copied: list[int] = []
    stock_data = compact_fonts._Unread.data

    def counted(unread: Any) -> bytes | None:
        data = stock_data(unread)
        copied.append(len(data or b""))
        return data

    monkeypatch.setattr(compact_fonts._Unread, "data", counted)
    cjk = tmp_path / "cjk.pdf"
    weasyprint.HTML(filename=form_a / f"{CONTRACT}.html").write_pdf(cjk, finisher=compact_fonts.finish)
    assert copied == [] and len(_embedded_cid_fonts(cjk)) == 2

    font = tmp_path / "name-keyed.otf"
    name_keyed_font(font)
    html = (
        f"<style>@font-face {{ font-family: NameKeyed; src: url({font.as_uri()}) }}"
        " p { font-family: NameKeyed }</style><p>AB</p>"
    )
    latin = tmp_path / "latin.pdf"
    weasyprint.HTML(string=html).write_pdf(latin, finisher=compact_fonts.finish)
    assert copied and all(copied)  # read when WeasyPrint subsets it
    assert "AB" in pdf_pages(latin)[0]


def test_each_original_charset_is_read_once_per_process(
    form_a: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A face's 65,535-glyph charset is read for its first PDF; later PDFs read only their subsets'.

    Later PDFs of the same font configuration, as in a batch worker: the same faces.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    assert compact_fonts.install()
    html = weasyprint.HTML(filename=form_a / f"{CONTRACT}.html")
    fonts = FontConfiguration()
    first = html.write_pdf(font_config=fonts, finisher=compact_fonts.finish)
    read: list[int] = []
    stock_runs = compact_fonts.cff_charset.cid_runs

    def counted(program: Any) -> Any:
        runs = stock_runs(program)
        read.append(runs[-1].glyph + runs[-1].length if runs else 0)
        return runs

    monkeypatch.setattr(compact_fonts.cff_charset, "cid_runs", counted)
    assert html.write_pdf(font_config=fonts, finisher=compact_fonts.finish) == first
    assert len(read) == 2 and max(read) < 2000  # the two subsets, a few hundred glyphs each


def _cid_font_with_swapped_cids(program: bytes, path: Path) -> None:
    """An OpenType font around a CID-keyed CFF program where glyph 20 is CID 21 and glyph 21 CID 20.

    ``program`` is one of our own subsets (real Noto outlines); every other
    glyph is its own CID, and A and B show glyphs 20 and 21.
    """
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(program), None)
    cids = list(range(len(cff.topDictIndex[0].charset)))
    cids[20], cids[21] = 21, 20
    order = [".notdef", *(f"cid{cid:05d}" for cid in cids[1:])]
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({ord("A"): order[20], ord("B"): order[21]})
    builder.setupCFF(
        "Swapped-Regular", {}, {name: T2CharStringPen(1000, None).getCharString() for name in order}, {}
    )
    table = newTable("CFF ")
    table.decompile(program, builder.font)
    top = table.cff.topDictIndex[0]
    top.charset = order
    top.CharStrings.charStrings = {name: index for index, name in enumerate(order)}
    builder.font["CFF "] = table
    save_font(builder, "Swapped", path)


def test_a_cid_font_whose_glyph_ids_are_not_its_cids_is_left_to_weasyprint(
    form_a: Path, tmp_path: Path
) -> None:
    """Compacted, its page codes (glyph ids 20 and 21) would select CIDs 20 and 21: swapped glyphs."""
    (program, *_) = [font["file"].get_data() for font in _embedded_cid_fonts(form_a / f"{CONTRACT}.pdf")]
    font = tmp_path / "swapped.otf"
    _cid_font_with_swapped_cids(program, font)
    html = tmp_path / "ab.html"
    html.write_text(
        f"<style>@font-face {{ font-family: Swapped; src: url({font.as_uri()}) }}"
        " p { font: 40pt Swapped }</style><p>ABBA</p>",
        encoding="utf-8",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import weasyprint
    assert compact_fonts.install()
    ours, stock = tmp_path / "ours.pdf", tmp_path / "stock.pdf"
    weasyprint.HTML(filename=html).write_pdf(ours, finisher=compact_fonts.finish)
    subprocess.run(
        [sys.executable, "-m", "weasyprint", str(html), str(stock)], check=True, capture_output=True
    )
    (embedded,) = _embedded_cid_fonts(ours)
    assert embedded["file"]["/Subtype"] == "/OpenType"
    assert page_pixels(ours, tmp_path) == page_pixels(stock, tmp_path)
