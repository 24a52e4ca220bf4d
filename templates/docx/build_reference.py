"""Build ``reference.docx``, the Word file that holds every style of the DOCX output.

The styles live in a Word file, not in the writer, so that the writer only
names them and Word users see them as styles.  This script writes that file
part by part, so that it holds only what the contract uses and nothing of
another program's template: the styles the writer names (with Word's
defaults and comment styles), A4 page settings, Word 2013+ layout
(``compatibilityMode`` 15), Chinese as the East Asian language, a theme
and a font table whose faces are the Chinese ones the contract is set in,
and our own ``app.xml``.  No thumbnail, no numbering (numbers are text), no
customXml, no ``stylesWithEffects``.  A style is changed here (a test
checks that the shipped file is exactly what this script writes, so a file
re-saved by Word, with Word's leftovers, cannot slip in); then run:

    .venv/bin/python templates/docx/build_reference.py

The font table's panose, charset and Unicode/code-page signatures are read
from the installed Noto CJK fonts (``fonts-noto-cjk``), so Word and WPS
without those fonts can pick the closest Chinese face they have.
"""

from __future__ import annotations

import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTCollection

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"

#: Every zip entry carries this time, so the file's bytes depend only on this script.
STAMP = (2026, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Face:
    """A face the contract names, with what Word needs to substitute it: ECMA-376 §17.8.3."""

    name: str
    #: The face every Chinese Windows has, tried by name when ``name`` is missing.
    windows: str
    #: Word's generic family: roman (serif) or swiss (sans serif).
    family: str


FACES = (Face(SERIF, "宋体,SimSun", "roman"), Face(SANS, "黑体,SimHei", "swiss"))


def _font_entry(face: Face) -> str:
    """The font table entry of ``face``, its panose and signatures read from the installed font."""
    path = subprocess.run(
        ["fc-match", "-f", "%{file}", face.name], check=True, capture_output=True, text=True
    ).stdout
    with TTCollection(path, lazy=True) as collection:
        font = next(f for f in collection.fonts if f["name"].getDebugName(1) == face.name)
        os2 = font["OS/2"]
        panose = os2.panose
    digits = (
        panose.bFamilyType,
        panose.bSerifStyle,
        panose.bWeight,
        panose.bProportion,
        panose.bContrast,
        panose.bStrokeVariation,
        panose.bArmStyle,
        panose.bLetterForm,
        panose.bMidline,
        panose.bXHeight,
    )
    usb = [os2.ulUnicodeRange1, os2.ulUnicodeRange2, os2.ulUnicodeRange3, os2.ulUnicodeRange4]
    csb = [os2.ulCodePageRange1, os2.ulCodePageRange2]
    signature = " ".join(
        [
            *(f'w:usb{i}="{v:08X}"' for i, v in enumerate(usb)),
            *(f'w:csb{i}="{v:08X}"' for i, v in enumerate(csb)),
        ]
    )
    return (
        f'<w:font w:name="{face.name}"><w:altName w:val="{face.windows}"/>'
        f'<w:panose1 w:val="{"".join(f"{d:02X}" for d in digits)}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{face.family}"/><w:pitch w:val="variable"/><w:sig {signature}/></w:font>'
    )


def _fonts(face: str) -> str:
    return f'<w:rFonts w:ascii="{face}" w:eastAsia="{face}" w:hAnsi="{face}" w:cs="{face}"/>'


def _paragraph_format(
    line: int | None,
    before: int = 0,
    after: int = 0,
    indent: int = 0,
    jc: str = "both",
    keep_next: bool = False,
) -> str:
    """A style's ``w:pPr`` in schema order; sizes in twips, ``line`` None for single spacing."""
    spacing = (
        f'w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="exact"'
        if line is not None
        else f'w:before="{before}" w:after="{after}" w:line="240" w:lineRule="auto"'
    )
    return (
        f"<w:pPr>{'<w:keepNext/>' if keep_next else ''}<w:widowControl/>"
        f'<w:spacing {spacing}/><w:ind w:firstLine="{indent}"/><w:jc w:val="{jc}"/></w:pPr>'
    )


def _run_format(face: str | None, half_points: int | None, bold: bool = False) -> str:
    if face is None and half_points is None and not bold:
        return ""
    size = f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>' if half_points else ""
    return f"<w:rPr>{_fonts(face) if face else ''}{'<w:b/><w:bCs/>' if bold else ''}{size}</w:rPr>"


#: Word's own styles (``w:customStyle`` marks the others).
BUILT_IN = {"Normal", "Title", "Heading1", "Header", "Footer", "CommentText", "CommentReference"}


def _style(
    kind: str, style_id: str, name: str, based_on: str | None, ppr: str = "", rpr: str = "", extra: str = ""
) -> str:
    custom = ' w:customStyle="1"' if style_id not in BUILT_IN else ""
    base = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (
        f'<w:style w:type="{kind}"{custom} w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f"{base}{extra}<w:qFormat/>{ppr}{rpr}</w:style>"
    )


def styles() -> str:
    """The contract's styles; sizes as in the PDF's print CSS (twips, half-points)."""
    body = [
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        f"{_paragraph_format(440, indent=480)}{_run_format(SERIF, 24)}</w:style>",
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>",
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr>'
        '<w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>",
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        _style(
            "paragraph",
            "Title",
            "Title",
            "Normal",
            _paragraph_format(680, after=120, jc="center"),
            _run_format(SANS, 44, bold=True),
            '<w:next w:val="Normal"/>',
        ),
        _style(
            "paragraph",
            "Heading1",
            "heading 1",
            "Normal",
            "<w:pPr><w:keepNext/><w:keepLines/><w:widowControl/>"
            '<w:spacing w:before="160" w:after="40" w:line="520" w:lineRule="exact"/><w:ind w:firstLine="0"/>'
            '<w:jc w:val="left"/><w:outlineLvl w:val="0"/></w:pPr>',
            _run_format(SANS, 28, bold=True),
            '<w:next w:val="Normal"/>',
        ),
        _style(
            "paragraph", "ContractNo", "Contract No", "Normal", _paragraph_format(440, after=240, jc="right")
        ),
        _style("paragraph", "Party", "Party", "Normal", _paragraph_format(440, jc="left")),
        # Labels and blanks to fill in by hand, kept whole: under Chinese line-breaking rules
        # LibreOffice splits a blank's underscores across two lines (measured), the PDF never.
        _style(
            "paragraph",
            "Signature",
            "Signature",
            "Normal",
            _paragraph_format(440, before=360, jc="left"),
            '<w:rPr><w:lang w:eastAsia="en-US"/></w:rPr>',
        ),
        _style(
            "paragraph",
            "SignatureTop",
            "Signature Top",
            "Signature",
            _paragraph_format(440, before=840, jc="left"),
        ),
        _style(
            "paragraph",
            "AttachmentHeading",
            "Attachment Heading",
            "Heading1",
            _paragraph_format(520, after=240, jc="center"),
        ),
        # A picture needs a line as tall as itself: an exact line height would clip it.
        _style("paragraph", "Figure", "Figure", "Normal", _paragraph_format(None, jc="center")),
        # The acknowledgement stays on the page of the signatures it introduces.
        _style(
            "paragraph",
            "Notice",
            "Notice",
            "Normal",
            _paragraph_format(440, before=200, indent=480, keep_next=True),
            _run_format(SANS, 24, bold=True),
        ),
        _style("character", "StrongTerm", "Strong Term", None, rpr=_run_format(SANS, 24, bold=True)),
        _style(
            "paragraph",
            "Header",
            "header",
            "Normal",
            _paragraph_format(280, jc="right"),
            _run_format(SERIF, 18),
        ),
        _style(
            "paragraph",
            "Footer",
            "footer",
            "Normal",
            _paragraph_format(280, jc="center"),
            _run_format(SERIF, 18),
        ),
        # A redline's comments (on a changed flowchart).
        _style(
            "paragraph",
            "CommentText",
            "annotation text",
            "Normal",
            _paragraph_format(None, jc="left"),
            _run_format(None, 20),
        ),
        _style("character", "CommentReference", "annotation reference", None, rpr=_run_format(None, 16)),
    ]
    defaults = (
        f"<w:docDefaults><w:rPrDefault><w:rPr>{_fonts(SERIF)}"
        '<w:sz w:val="24"/><w:szCs w:val="24"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        # Word's default, said aloud: LibreOffice, without it, squeezes a Chinese line's closing
        # punctuation onto the line and breaks a fifth of the lines unlike the PDF (measured).
        "<w:pPrDefault><w:pPr><w:overflowPunct/></w:pPr></w:pPrDefault></w:docDefaults>"
    )
    return f'{HEAD}<w:styles xmlns:w="{W}">{defaults}{"".join(body)}</w:styles>'


def settings() -> str:
    """Word 2013+ layout; punctuation not compressed, as the PDF does not compress it."""
    compat = "".join(
        f'<w:compatSetting w:name="{name}" w:uri="http://schemas.microsoft.com/office/word" w:val="{value}"/>'
        for name, value in (
            ("compatibilityMode", 15),
            ("overrideTableStyleFontSizeAndJustification", 1),
            ("enableOpenTypeFeatures", 1),
            ("doNotFlipMirrorIndents", 1),
            ("differentiateMultirowTableHeaders", 1),
        )
    )
    return (
        f'{HEAD}<w:settings xmlns:w="{W}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        f"<w:compat><w:useFELayout/>{compat}</w:compat>"
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
        '<w:clrSchemeMapping w:bg1="light1" w:t1="dark1" w:bg2="light2" w:t2="dark2" w:accent1="accent1"'
        ' w:accent2="accent2" w:accent3="accent3" w:accent4="accent4" w:accent5="accent5" w:accent6="accent6"'
        ' w:hyperlink="hyperlink" w:followedHyperlink="followedHyperlink"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
    )


def font_table() -> str:
    return f'{HEAD}<w:fonts xmlns:w="{W}">{"".join(_font_entry(face) for face in FACES)}</w:fonts>'


def theme() -> str:
    """A plain theme: black on white, the contract's two faces for Latin and East Asian text."""
    colours = "".join(
        f'<a:{name}><a:srgbClr val="{value}"/></a:{name}>'
        for name, value in (
            ("dk1", "000000"),
            ("lt1", "FFFFFF"),
            ("dk2", "1F2937"),
            ("lt2", "F3F4F6"),
            ("accent1", "1F4E79"),
            ("accent2", "C00000"),
            ("accent3", "548235"),
            ("accent4", "7F6000"),
            ("accent5", "2E75B6"),
            ("accent6", "7030A0"),
            ("hlink", "0563C1"),
            ("folHlink", "954F72"),
        )
    )

    def face(kind: str, typeface: str) -> str:
        return (
            f'<a:{kind}><a:latin typeface="{typeface}"/><a:ea typeface="{typeface}"/><a:cs typeface=""/>'
            f'<a:font script="Hans" typeface="{typeface}"/></a:{kind}>'
        )

    fill = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="9525">{fill}</a:ln>'
    return (
        f'{HEAD}<a:theme xmlns:a="{A}" name="agreement"><a:themeElements>'
        f'<a:clrScheme name="agreement">{colours}</a:clrScheme>'
        f'<a:fontScheme name="agreement">{face("majorFont", SANS)}{face("minorFont", SERIF)}</a:fontScheme>'
        f'<a:fmtScheme name="agreement"><a:fillStyleLst>{fill * 3}</a:fillStyleLst>'
        f"<a:lnStyleLst>{line * 3}</a:lnStyleLst>"
        f"<a:effectStyleLst>{'<a:effectStyle><a:effectLst/></a:effectStyle>' * 3}</a:effectStyleLst>"
        f"<a:bgFillStyleLst>{fill * 3}</a:bgFillStyleLst></a:fmtScheme>"
        "</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    )


def _story(tag: str, style: str) -> str:
    """An empty header or footer: the writer fills in its one paragraph."""
    return f'{HEAD}<w:{tag} xmlns:w="{W}"><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr></w:p></w:{tag}>'


def document() -> str:
    """An empty body with the page: A4, margins 25 mm × 28 mm, header and footer 12 mm from the edge."""
    return (
        f'{HEAD}<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body><w:sectPr>'
        '<w:headerReference w:type="default" r:id="rId5"/><w:footerReference w:type="default" r:id="rId6"/>'
        '<w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1417" w:right="1587" w:bottom="1417" w:left="1587" w:header="680" w:footer="680"'
        ' w:gutter="0"/><w:cols w:space="425"/><w:docGrid w:linePitch="312"/></w:sectPr></w:body>'
        "</w:document>"
    )


def _relationships(*targets: tuple[str, str]) -> str:
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{OFFICE_REL}/{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(targets, 1)
    )
    return f'{HEAD}<Relationships xmlns="{REL}">{rels}</Relationships>'


def app() -> str:
    """Extended properties without statistics: nothing counts pages or words here, so say nothing."""
    return (
        f'{HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>agreement</Application><DocSecurity>0</DocSecurity></Properties>"
    )


def core() -> str:
    return (
        f'{HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title/><cp:lastModifiedBy>agreement'
        "</cp:lastModifiedBy><cp:revision>1</cp:revision></cp:coreProperties>"
    )


def content_types() -> str:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    overrides = "".join(
        f'<Override PartName="{name}" ContentType="{kind}"/>'
        for name, kind in (
            ("/word/document.xml", f"{main}.document.main+xml"),
            ("/word/styles.xml", f"{main}.styles+xml"),
            ("/word/settings.xml", f"{main}.settings+xml"),
            ("/word/fontTable.xml", f"{main}.fontTable+xml"),
            ("/word/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml"),
            ("/word/header1.xml", f"{main}.header+xml"),
            ("/word/footer1.xml", f"{main}.footer+xml"),
            ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
        )
    )
    return (
        f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    )


def parts() -> list[tuple[str, str]]:
    package_rels = (
        f'{HEAD}<Relationships xmlns="{REL}">'
        f'<Relationship Id="rId1" Type="{OFFICE_REL}/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
        'core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{OFFICE_REL}/extended-properties" Target="docProps/app.xml"/>'
        "</Relationships>"
    )
    return [
        ("[Content_Types].xml", content_types()),
        ("_rels/.rels", package_rels),
        ("docProps/core.xml", core()),
        ("docProps/app.xml", app()),
        ("word/document.xml", document()),
        (
            "word/_rels/document.xml.rels",
            _relationships(
                ("styles", "styles.xml"),
                ("settings", "settings.xml"),
                ("fontTable", "fontTable.xml"),
                ("theme", "theme/theme1.xml"),
                ("header", "header1.xml"),
                ("footer", "footer1.xml"),
            ),
        ),
        ("word/styles.xml", styles()),
        ("word/settings.xml", settings()),
        ("word/fontTable.xml", font_table()),
        ("word/theme/theme1.xml", theme()),
        ("word/header1.xml", _story("hdr", "Header")),
        ("word/footer1.xml", _story("ftr", "Footer")),
    ]


def main() -> None:
    with zipfile.ZipFile(Path(__file__).with_name("reference.docx"), "w") as target:
        for name, text in parts():
            entry = zipfile.ZipInfo(name, date_time=STAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, text.encode())


if __name__ == "__main__":
    main()
