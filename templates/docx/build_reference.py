"""Rebuild ``reference.docx``, the Word file that holds every style of the DOCX output.

The styles live in a Word file, not in the writer, so that legal staff can
restyle the contract in Word (open reference.docx, change a style, save).
This script is how the file was first made; run it again only to reset it:

    python templates/docx/build_reference.py
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"


def _font(style: BaseStyle, face: str, size: float, bold: bool = False) -> None:
    font = style.font  # type: ignore[attr-defined]
    font.name = face
    font.size = Pt(size)
    font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), face)


def _spacing(
    style: BaseStyle, line: float, indent: bool, align: int, before: float = 0, after: float = 0
) -> None:
    fmt = style.paragraph_format  # type: ignore[attr-defined]
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.first_line_indent = Pt(24) if indent else Pt(0)
    fmt.alignment = align
    fmt.widow_control = True


def main() -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(28)
    section.header_distance = section.footer_distance = Mm(12)
    styles = doc.styles
    justify, center, right, left = (
        WD_ALIGN_PARAGRAPH.JUSTIFY,
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.RIGHT,
        WD_ALIGN_PARAGRAPH.LEFT,
    )

    normal = styles["Normal"]
    _font(normal, SERIF, 12)
    _spacing(normal, 22, True, justify)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), SERIF)

    title = styles["Title"]
    _font(title, SANS, 22, bold=True)
    _spacing(title, 34, False, center, after=6)
    title.font.color.rgb = RGBColor(0, 0, 0)
    title.element.pPr.remove_all("w:pBdr")

    heading = styles["Heading 1"]
    _font(heading, SANS, 14, bold=True)
    heading.font.color.rgb = RGBColor(0, 0, 0)
    _spacing(heading, 26, False, left, before=8, after=2)
    heading.paragraph_format.keep_with_next = True

    for name, base, line, indent, align, before, after in (
        ("Contract No", "Normal", 22, False, right, 0, 12),
        ("Party", "Normal", 22, False, left, 0, 0),
        ("Signature", "Normal", 22, False, left, 18, 0),
        ("Signature Top", "Signature", 22, False, left, 42, 0),
        ("Attachment Heading", "Heading 1", 26, False, center, 0, 12),
        ("Figure", "Normal", 22, False, center, 0, 0),
    ):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        _spacing(style, line, indent, align, before, after)

    # A picture needs a line as tall as itself: an exact line height would clip it.
    styles["Figure"].paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    notice = styles.add_style("Notice", WD_STYLE_TYPE.PARAGRAPH)
    notice.base_style = normal
    _font(notice, SANS, 12, bold=True)
    _spacing(notice, 22, True, justify, before=10)
    # The acknowledgement stays on the page of the signatures it introduces.
    notice.paragraph_format.keep_with_next = True

    strong = styles.add_style("Strong Term", WD_STYLE_TYPE.CHARACTER)
    _font(strong, SANS, 12, bold=True)

    for name in ("Header", "Footer"):
        style = styles[name]
        _font(style, SERIF, 9)
        _spacing(style, 14, False, right if name == "Header" else center)

    for paragraph in list(doc.paragraphs):
        paragraph._element.getparent().remove(paragraph._element)
    doc.save(Path(__file__).with_name("reference.docx"))


if __name__ == "__main__":
    main()
