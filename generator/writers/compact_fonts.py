"""Compact embedding of CID-keyed CFF fonts (Noto CJK) in WeasyPrint's PDFs.

WeasyPrint subsets every font *keeping the original glyph ids*, because it
writes those ids into the page content as character codes.  Noto CJK has
65,535 glyphs and puts the Simplified Chinese punctuation near id 63,000,
so each embedded face still carries ~63,000 empty glyph slots: the contract's
two faces took 389 of its 412 KB, and subsetting and compressing those slots
took ~130 of the ~190 ms spent writing each PDF.

A CID-keyed CFF font does not need its ids kept.  A PDF reader selects such
a font's glyphs through the CFF ``charset``, which maps each CID (here the
original glyph id, the code in the page content) to a glyph of the subset
(ISO 32000-2, 9.7.4.2), and HarfBuzz keeps the original CIDs in the charset
when it subsets without retained ids.  The font program is embedded as bare
CFF (``FontFile3`` of subtype ``CIDFontType0C``), not in its OpenType
wrapper: poppler ignores the charset of a wrapped CFF and would draw wrong
glyphs, while bare CFF is the classic form that poppler, PDFium, MuPDF,
pdf.js and Ghostscript all read through the charset (they drew the same
pixels for both embeddings when this was written).

WeasyPrint has no option for this, so ``install`` replaces its subsetting
method for fonts of this kind only, and ``finish`` (WeasyPrint's public
``finisher`` hook) corrects the two dictionary entries that describe the
program.  Every font is verified before and after (CID-keyed, each glyph
used is its own CID, and kept), and any other font goes through
WeasyPrint's own subsetting unchanged, so the worst case is a larger PDF,
never a wrong glyph.
"""

from __future__ import annotations

import inspect
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from . import cff_charset

#: Tables the subsetter need not process: only the CFF table is embedded.
#: The layout tables are the expensive ones to subset.
_DROPPED_TABLES = (
    b"BASE",
    b"DSIG",
    b"EBDT",
    b"EBLC",
    b"EBSC",
    b"GDEF",
    b"GPOS",
    b"GSUB",
    b"JSTF",
    b"LTSH",
    b"PCLT",
    b"SVG ",
    b"VORG",
    b"vhea",
    b"vmtx",
)
_BARE_CFF = "_agreement_bare_cff"


@cache
def install() -> bool:
    """Make this process's WeasyPrint embed CID-keyed CFF fonts compactly; False if it cannot.

    False means WeasyPrint's internals are not those this was written for
    (WeasyPrint 70; ``tests/test_compact_fonts.py`` tells): its own
    subsetting then stays in place.
    """
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import harfbuzz_subset

    font_class = fonts.Font
    subset_signature = inspect.signature(font_class.subset) if hasattr(font_class, "subset") else None
    if (
        not harfbuzz_subset
        or subset_signature is None
        or list(subset_signature.parameters) != ["self", "to_unicode", "hinting"]
        or not isinstance(getattr(font_class, "type", None), property)
    ):
        return False
    stock_subset = font_class.subset
    stock_type = font_class.type

    def subset(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        compact = _compact_cff(font, to_unicode, hinting) if _eligible(font, to_unicode) else None
        if compact is None:
            stock_subset(font, to_unicode, hinting)
        else:
            font.file_content = compact
            setattr(font, _BARE_CFF, True)

    def font_type(font: Any) -> str:
        # A bare CFF program is an "otf" to WeasyPrint's dictionary builder:
        # FontFile3, CIDFontType0.
        return "otf" if getattr(font, _BARE_CFF, False) else str(stock_type.fget(font))

    font_class.subset = subset
    font_class.type = property(font_type)
    _read_faces_lazily(fonts)
    return True


class _Unread:
    """A HarfBuzz face's whole font file, not yet copied out of HarfBuzz."""

    def __init__(self, read: Any, face: Any) -> None:
        self._read, self._face = read, face
        self._data: bytes | None = None
        self._done = False

    def data(self) -> bytes | None:
        if not self._done:
            self._data, self._done = self._read(self._face), True
        return self._data

    def __bool__(self) -> bool:
        return bool(self.data())


def _read_faces_lazily(fonts: Any) -> None:
    """Let WeasyPrint's ``Font`` copy its face's whole file only when something reads it.

    ``Font.__init__`` copies the file into ``file_content`` for every PDF
    (Noto's collections are 20–27 MB: ~5 ms a face), for WeasyPrint's own
    subsetters; a compacted font never reads it.
    """
    stock_data = fonts.get_hb_object_data

    def face_data(hb_object: Any, ot_color: str | None = None, glyph: int | None = None) -> Any:
        if ot_color is None and glyph is None:
            return _Unread(stock_data, hb_object)
        return stock_data(hb_object, ot_color, glyph)

    def read(font: Any) -> Any:
        content = font.__dict__.get("_file_content")
        if isinstance(content, _Unread):
            content = font.__dict__["_file_content"] = content.data()
        return content

    def write(font: Any, content: Any) -> None:
        font.__dict__["_file_content"] = content

    fonts.get_hb_object_data = face_data
    fonts.Font.file_content = property(read, write)


def finish(document: Any, pdf: Any) -> None:
    """Describe each compacted program as bare CFF (WeasyPrint labels it OpenType).

    Also removes ``CIDToGIDMap``, which WeasyPrint writes for every CIDFont
    but which means nothing for a CFF one: the charset maps CIDs to glyphs.
    """
    import pydyf

    bare_cff = set()
    for item in pdf.objects:
        if (
            isinstance(item, pydyf.Stream)
            and item.extra.get("Subtype") == "/OpenType"
            and item.stream
            and bytes(item.stream[0][:4]) != b"OTTO"
        ):
            item.extra["Subtype"] = "/CIDFontType0C"
            bare_cff.add(item.reference)
    if not bare_cff:
        return
    descriptors = {
        item.reference
        for item in pdf.objects
        if isinstance(item, pydyf.Dictionary) and item.get("FontFile3") in bare_cff
    }
    for item in pdf.objects:
        if isinstance(item, pydyf.Dictionary) and item.get("FontDescriptor") in descriptors:
            item.pop("CIDToGIDMap", None)


def _eligible(font: Any, to_unicode: dict[int, str]) -> bool:
    """Whether the font is a static, outline-only CFF font with every glyph found.

    WeasyPrint re-reads variable and colour fonts as OpenType after
    subsetting, and gives glyphs missing from every font made-up ids and a
    CMap of their own: such fonts keep WeasyPrint's own way.
    """
    return (
        bool(to_unicode)
        and "CFF " in font.tables
        and "fvar" not in font.tables
        and not (font.png or font.svg or font.colr or font.missing)
    )


def _compact_cff(font: Any, to_unicode: dict[int, str], hinting: bool) -> bytes | None:
    """The font's bare CFF program, subset to the glyphs used; None where that would be wrong.

    The page content's codes are the glyph ids: each must be its glyph's
    CID in the original font, and be kept in the subset's charset.
    """
    glyphs = sorted(to_unicode)
    runs = _original_runs(font.hb_face)
    if runs is None or not _glyphs_are_their_cids(runs, glyphs):
        return None
    subset = _subset(font.hb_face, glyphs, hinting)
    if subset is None:
        return None
    with _cff_table(subset) as table:
        program = bytes(table)
    kept = cff_charset.cid_runs(program)
    kept_cids = {cid for run in kept or () for cid in range(run.cid, run.cid + run.length)}
    return program if kept and kept_cids >= set(glyphs) else None


def _glyphs_are_their_cids(runs: list[cff_charset.Run], glyphs: list[int]) -> bool:
    """Whether each (sorted) glyph's CID is its glyph id, as in Noto CJK (ROS Adobe-Identity-0)."""
    starts = [run.glyph for run in runs]
    for glyph in glyphs:
        run = runs[bisect_right(starts, glyph) - 1]
        if glyph >= run.glyph + run.length or run.cid != run.glyph:
            return False
    return True


def _subset(face: Any, glyphs: list[int], hinting: bool) -> Any:
    """HarfBuzz's subset of the face to these glyphs, renumbered (CIDs kept); None if it fails."""
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

    subset_input = ffi.gc(
        harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy
    )
    glyph_set = harfbuzz_subset.hb_subset_input_glyph_set(subset_input)
    harfbuzz.hb_set_add_sorted_array(glyph_set, ffi.new("hb_codepoint_t[]", glyphs), len(glyphs))
    tags = sorted(harfbuzz.hb_tag_from_string(tag, -1) for tag in _DROPPED_TABLES)
    drop_set = harfbuzz_subset.hb_subset_input_set(
        subset_input, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG
    )
    harfbuzz.hb_set_add_sorted_array(drop_set, ffi.new("hb_codepoint_t[]", tags), len(tags))
    flags = harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    harfbuzz_subset.hb_subset_input_set_flags(subset_input, flags)
    subset = harfbuzz_subset.hb_subset_or_fail(face, subset_input)
    return None if subset == ffi.NULL else ffi.gc(subset, harfbuzz.hb_face_destroy)


#: The charsets of the original faces' CFF tables, by the table's address and length, each
#: with a reference to the table that keeps it (and so its address) alive: the same few
#: faces serve every PDF of a process, and reading a 65,535-glyph charset takes ~2 ms.
_RUNS: dict[tuple[int, int], tuple[Any, list[cff_charset.Run] | None]] = {}
_RUNS_KEPT = 32


def _original_runs(face: Any) -> list[cff_charset.Run] | None:
    """``cff_charset.cid_runs`` of the face's CFF table, read once per table and process."""
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = harfbuzz.hb_face_reference_table(face, harfbuzz.hb_tag_from_string(b"CFF ", -1))
    length = ffi.new("unsigned int *")
    data = harfbuzz.hb_blob_get_data(blob, length)
    key = (int(ffi.cast("uintptr_t", data)), length[0])
    if key in _RUNS:
        harfbuzz.hb_blob_destroy(blob)
        return _RUNS[key][1]
    with memoryview(ffi.buffer(data, length[0]) if length[0] else b"") as table:
        runs = cff_charset.cid_runs(table)
    if len(_RUNS) < _RUNS_KEPT and length[0]:
        _RUNS[key] = (blob, runs)
    else:
        harfbuzz.hb_blob_destroy(blob)
    return runs


@contextmanager
def _cff_table(face: Any) -> Iterator[memoryview]:
    """A HarfBuzz face's CFF table, read in place (an original font's is ~20 MB)."""
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = harfbuzz.hb_face_reference_table(face, harfbuzz.hb_tag_from_string(b"CFF ", -1))
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        with memoryview(ffi.buffer(data, length[0]) if length[0] else b"") as table:
            yield table
    finally:
        harfbuzz.hb_blob_destroy(blob)
