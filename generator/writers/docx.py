"""The DOCX writer: the document model in Word, for negotiation.

Every style comes from ``templates/docx/reference.docx``; this module only
picks style names.  Numbers are written as text (never Word list
numbering), page numbers as real PAGE/NUMPAGES fields, and every timestamp
(core properties, zip entries) comes from the model, so the same contract
gives the same bytes.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from datetime import datetime, time
from functools import cache
from itertools import zip_longest
from typing import Any
from xml.sax.saxutils import escape

from docx import Document as open_docx
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.opc.packuri import PACKAGE_URI
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run

from ..errors import RenderError
from ..model import (
    BLANK,
    Attachment,
    Block,
    Body,
    Change,
    Chapter,
    Document,
    Field,
    Figure,
    Heading,
    Inline,
    Item,
    ItemList,
    Meta,
    Notice,
    Paragraph,
    Parallel,
    Parties,
    Signatures,
    Span,
)
from ..params.languages import by_script
from ..resources import builtin
from . import revisions
from .editing import UNTRACKED, Editing
from .ooxml import place
from .protection import protection_attributes

#: Zip entries already compressed: deflating them again costs time and saves nothing.
_STORED = (".png", ".jpeg", ".jpg")
#: The characters python-docx writes as elements of a run (``<w:tab/>``, ``<w:br/>``).
_BREAKS = re.compile(r"[\t\r\n]")


@cache
def _reference() -> bytes:
    return (builtin("templates") / "docx" / "reference.docx").read_bytes()


@cache
def _style_ids() -> dict[str, str]:
    """Style name → style id in the reference document, looked up once per process.

    python-docx resolves a style name by scanning every style of the file
    (hundreds: Word keeps its latent styles there) on each use, which made
    this lookup half the cost of a DOCX.
    """
    word = open_docx(io.BytesIO(_reference()))
    return {style.name: style.style_id for style in word.styles}


def _style_id(name: str) -> str:
    try:
        return _style_ids()[name]
    except KeyError:
        raise RenderError(f"templates/docx/reference.docx has no style named '{name}'") from None


def _add(container: Any, style: str | None = None, text: str = "") -> WordParagraph:
    """A new paragraph at the end of ``container`` (document or cell) in ``style``."""
    paragraph: WordParagraph = container.add_paragraph()
    if text:
        _run(paragraph, text)
    if style is not None:
        paragraph._p.style = _style_id(style)
    return paragraph


def _run(paragraph: WordParagraph, text: str) -> Run:
    """``paragraph.add_run(text)``, the same XML, without python-docx's appender when it is not needed.

    python-docx appends a run's text character by character (a third of the
    time of a DOCX), so that a tab or a line break becomes an element of its own.
    """
    if not text or _BREAKS.search(text):
        return paragraph.add_run(text)
    r = paragraph._p.add_r()
    r.add_t(text)
    return Run(r, paragraph)


def render_docx(document: Document, editing: Editing = UNTRACKED) -> bytes:
    """The contract as DOCX bytes, opening with change tracking on if ``editing`` says so."""
    word = open_docx(io.BytesIO(_reference()))
    _editing(word, editing, document.meta.fingerprint)
    _furniture(word, document.meta)
    _add(word, "Title", document.meta.title)
    _add(word, "Contract No", document.meta.header)
    if document.meta.subtitle:
        _languages(_add(word, "Title", document.meta.subtitle), "en")
    for block in document.blocks:
        _block(word, block, editing, document.meta)
    if "en" in document.meta.language.split("+"):
        _font_table_entry(word)
    if document.meta.language == "en":
        for paragraph in _all_paragraphs(word):
            _languages(paragraph, "en")
    elif "+" in document.meta.language:
        section = word.sections[0]
        for paragraph in [*_all_paragraphs(word), *section.header.paragraphs, *section.footer.paragraphs]:
            _languages_by_script(paragraph)
    revisions.stamp(word.element.body, editing.author, document.meta.date)
    _properties(word, document.meta)
    return _save(word, document.meta)


def _block(word: WordDocument, block: Block, editing: Editing, meta: Meta) -> None:
    """Add ``block``; ``editing`` and the document's date sign a reviewer's note (a redline's comment)."""
    if isinstance(block, Parties):
        for party in block.parties:
            for field in party.fields:
                _field(_add(word, "Party"), field, meta.label_end)
            word.paragraphs[-1].paragraph_format.space_after = Mm(2)
    elif isinstance(block, Paragraph):
        _paragraph(word, block)
    elif isinstance(block, Chapter):
        _add(word, "Heading 1", block.heading)
        for clause in block.clauses:
            for body in clause.body:
                _body(word, body)
    elif isinstance(block, Parallel):
        _parallel(word, block)
    elif isinstance(block, Notice):
        _spans(_add(word, "Notice"), block.spans)
        if block.translation:
            _languages(_spans(_add(word, "Notice"), block.translation), "en")
        if block.signer is not None:
            signer = _add(word, "Signature Top")
            signer.paragraph_format.keep_with_next = True
            _field(signer, block.signer, meta.label_end)
    elif isinstance(block, Signatures):
        _signatures(word, block, meta.label_end)
    elif isinstance(block, Attachment):
        heading = _add(word, "Attachment Heading", block.heading)
        heading.paragraph_format.page_break_before = True
        picture = _picture(_add(word, "Figure"), block.figure)
        if block.note is not None:
            comment = word.add_comment(picture, text=block.note, author=editing.author, initials="")
            comment._comment_elm.date = datetime.combine(meta.date, time())
    else:
        raise RenderError(f"the DOCX writer cannot render a {type(block).__name__}")


#: The extension of a picture's ``a:blip`` that holds an SVG beside the raster (Office 2016+).
_SVG_BLIP = (
    '<a:extLst {a}><a:ext uri="{{96DAC541-7B7A-43D3-8B79-37D633B846F1}}">'
    '<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main"'
    ' {r} r:embed="{rid}"/>'
    "</a:ext></a:extLst>"
)


def _body(word: WordDocument, body: Body) -> None:
    if isinstance(body, Paragraph):
        _paragraph(word, body)
    elif isinstance(body, ItemList):
        for item in body.items:
            paragraph = _add(word)
            _spans(paragraph, (Span(item.label), *item.spans), item.emphasized)
    else:
        raise RenderError(f"the DOCX writer cannot render a {type(body).__name__}")


def _paragraph(word: WordDocument, block: Paragraph) -> None:
    paragraph = _add(word)
    _spans(paragraph, block.lead)
    _spans(paragraph, block.spans, block.emphasized)
    if not block.spans:
        # A clause number and title alone must not end a page apart from its items.
        paragraph.paragraph_format.keep_with_next = True


def _spans(paragraph: WordParagraph, spans: Inline, emphasized: bool = False) -> WordParagraph:
    """The runs of ``spans``; an ``emphasized`` paragraph (a standard term) is bold throughout.

    An empty span (a redline's item keeps its label in its spans) gets no
    run: an unmarked empty run would keep a wholly inserted or deleted
    paragraph from having its mark tracked too.
    """
    for span in spans:
        if not span.text:
            continue
        run = _run(paragraph, span.text)
        if span.strong or emphasized:
            run._r.style = _style_id("Strong Term")
        revisions.mark(run, span.change)
    return paragraph


#: The Latin face of English runs (LibreOffice prints it in its metric twin, Liberation Serif).
LATIN_SERIF = "Times New Roman"
#: Space under each paragraph of a bilingual text (the PDF's cell padding).
ROW_SPACING_PT = 4
#: The East Asian face every run names explicitly, so Word never guesses one for a Chinese character.
EAST_ASIAN = "Noto Serif CJK SC"
#: The face of a standard term (the Strong Term style, 黑体 bold, as in the PDF): a Chinese run of
#: that style must name it, since a run's own fonts override its style's.
EAST_ASIAN_STRONG = "Noto Sans CJK SC"


def _parallel(word: WordDocument, block: Parallel) -> None:
    """A bilingual chapter: one two-column table (a row per paragraph), or the rows in turn."""
    if block.layout == "alternating":
        for pair in block.rows:
            first, second = (_row(word, cell) for cell in pair)
            _languages(first, block.languages[0])
            _languages(second, block.languages[1])
            # A paragraph stays on the page of its translation, as in the PDF.
            first.paragraph_format.keep_with_next = True
        return
    table = word.add_table(rows=len(block.rows), cols=2)
    place(
        table._tbl.tblPr,
        parse_xml(
            f'<w:tblCellMar {nsdecls("w")}><w:left w:w="0" w:type="dxa"/>'
            '<w:right w:w="170" w:type="dxa"/></w:tblCellMar>'
        ),
    )
    for row, pair in zip(table.rows, block.rows, strict=True):
        # A redline's row added or removed whole is tracked as Word tracks a row (accepting or
        # rejecting it removes the row, not just its text).
        changes = {_whole_change(content) for content in pair}
        revisions.mark_row(row._tr, changes.pop() if len(changes) == 1 else None)
        for cell, content, language in zip(row.cells, pair, block.languages, strict=True):
            cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
            _languages(_row(cell, content), language)
    # An empty paragraph between tables: two tables in a row would merge into one in Word.
    _add(word).paragraph_format.space_after = Mm(0)


def _whole_change(content: Heading | Paragraph | Item) -> Change | None:
    """The redline's mark of a row's half when every span of it has that one mark, else None."""
    if isinstance(content, Heading):
        return None
    spans = (*content.lead, *content.spans) if isinstance(content, Paragraph) else content.spans
    changes = {span.change for span in spans if span.text}
    return changes.pop() if len(changes) == 1 else None


def _row(container: Any, content: Heading | Paragraph | Item) -> WordParagraph:
    """One half of a bilingual row: a chapter heading, a paragraph, or a numbered item."""
    if isinstance(content, Heading):
        heading = _add(container, "Heading 1", content.text)
        heading.paragraph_format.keep_with_next = True
        return heading
    paragraph = _add(container)
    paragraph.paragraph_format.space_after = Pt(ROW_SPACING_PT)
    if isinstance(content, Paragraph):
        # A clause number and title alone stay with what follows them.
        paragraph.paragraph_format.keep_with_next = not content.spans or None
        _spans(paragraph, content.lead)
        return _spans(paragraph, content.spans, content.emphasized)
    return _spans(paragraph, (Span(content.label), *content.spans), content.emphasized)


def _languages(paragraph: WordParagraph, language: str) -> None:
    """Tag every run of ``paragraph`` with its language and name its fonts.

    English runs: ``w:lang w:val="en-US"`` and a Latin serif (no ``w:hint``,
    which would make Word set Latin text in the East Asian face); Chinese
    runs: ``w:eastAsia="zh-CN"``.  Both name the East Asian face explicitly.
    """
    for run in _runs(paragraph):
        _tag(run, language)


def _runs(paragraph: WordParagraph) -> list[Any]:
    """The paragraph's runs (``w:r``), a redline's inserted and deleted ones too (python-docx's
    ``runs`` leaves out those inside ``w:ins`` and ``w:del``)."""
    return list(paragraph._p.xpath("./w:r | ./w:ins/w:r | ./w:del/w:r"))


def _tag(run: Any, language: str) -> None:
    """Tag one run (``w:r``) with its language and name its fonts (see ``_languages``)."""
    english = language == "en"
    properties = run.get_or_add_rPr()
    strong = properties.rStyle is not None and properties.rStyle.val == _style_id("Strong Term")
    east_asian = EAST_ASIAN_STRONG if strong else EAST_ASIAN
    latin = LATIN_SERIF if english else east_asian
    place(
        properties,
        parse_xml(
            f'<w:rFonts {nsdecls("w")} w:ascii="{latin}" w:hAnsi="{latin}" '
            f'w:eastAsia="{east_asian}" w:cs="{latin}"/>'
        ),
    )
    tag = 'w:val="en-US" w:eastAsia="zh-CN"' if english else 'w:val="zh-CN" w:eastAsia="zh-CN"'
    place(properties, parse_xml(f"<w:lang {nsdecls('w')} {tag}/>"))


def _languages_by_script(paragraph: WordParagraph) -> None:
    """A bilingual contract's lines of both languages (「甲方（盖章）/ Party A (Company Chop)」,
    the parties, the header): each run not tagged yet is cut where its script changes, and
    each part tagged as Chinese or English (``_tag``), so no English run is Chinese to Word."""
    for r in _runs(paragraph):
        texts = r.findall(qn("w:t")) + r.findall(qn("w:delText"))
        if r.find(f"{qn('w:rPr')}/{qn('w:lang')}") is not None or len(texts) != 1:
            continue
        tag = texts[0].tag
        parts = by_script(texts[0].text or "")
        for language, part in parts[:-1]:
            piece = copy.deepcopy(r)
            for child in list(piece):
                if child.tag != qn("w:rPr"):
                    piece.remove(child)
            piece.append(_text(part, tag))
            r.addprevious(piece)
            _tag(piece, language)
        language, part = parts[-1]
        r.replace(texts[0], _text(part, tag))
        _tag(r, language)


def _text(text: str, tag: str) -> Any:
    """A ``w:t`` (or a deleted run's ``w:delText``, by its ``tag``) holding ``text``, its spaces kept."""
    element = parse_xml(f'<w:t {nsdecls("w")} xml:space="preserve">{escape(text)}</w:t>')
    element.tag = tag
    return element


#: The font table's entry for the Latin serif, as Word writes it: its PANOSE number, character
#: set, family and Unicode ranges let Word (and LibreOffice, whose replacement table maps it
#: to the metric-compatible Liberation Serif) find the same or the closest face.
_LATIN_SERIF_ENTRY = (
    f'<w:font w:name="{LATIN_SERIF}"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>'
    '<w:family w:val="roman"/><w:pitch w:val="variable"/><w:sig w:usb0="E0002EFF" w:usb1="C000785B" '
    'w:usb2="00000009" w:usb3="00000000" w:csb0="000001FF" w:csb1="00000000"/></w:font>'
)


def _font_table_entry(word: WordDocument) -> None:
    """Name the English runs' Latin serif in the font table, beside the CJK faces."""
    part = next(p for p in word.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    blob = part.blob.decode("utf-8")
    if f'w:name="{LATIN_SERIF}"' not in blob:
        part._blob = blob.replace("</w:fonts>", f"{_LATIN_SERIF_ENTRY}</w:fonts>", 1).encode("utf-8")


def _all_paragraphs(word: WordDocument) -> list[WordParagraph]:
    """Every paragraph of the body, including those inside tables."""
    found = list(word.paragraphs)
    for table in word.tables:
        for row in table.rows:
            for cell in row.cells:
                found.extend(cell.paragraphs)
    return found


def _picture(paragraph: WordParagraph, figure: Figure) -> Run:
    """The figure as a picture run at the end of ``paragraph``, at the figure's size.

    The picture is the figure's SVG, which Word 2016+ draws (vector, as in
    the PDF), with its PNG as the fallback that older Word and LibreOffice
    7.4 show (python-docx embeds no SVG by itself).
    """
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.part import Part

    run = paragraph.add_run()
    inline = run.add_picture(io.BytesIO(figure.png), width=Mm(figure.width_mm), height=Mm(figure.height_mm))
    part = paragraph.part
    svg = Part(part.package.next_partname("/word/media/image%d.svg"), "image/svg+xml", figure.svg)
    rid = part.relate_to(svg, RELATIONSHIP_TYPE.IMAGE)
    blip = inline._inline.graphic.graphicData.pic.blipFill.blip
    blip.append(parse_xml(_SVG_BLIP.format(a=nsdecls("a"), r=nsdecls("r"), rid=rid)))
    return run


def _field(paragraph: WordParagraph, field: Field, end: str) -> None:
    """A party's line: label, ``end`` (the language's colon), value (a blank for a value to fill in)."""
    if field.revised is not None:
        _spans(paragraph, field.revised)
        return
    _run(paragraph, f"{field.label}{end}")
    _run(paragraph, BLANK if field.value is None else field.value)


def _seal_line(paragraph: WordParagraph, field: Field, end: str) -> None:
    """A seal line as in the PDF: the label, then the party's name on a line of its own.

    Side by side, label and name share a half page, and a 12-character name
    already leaves its last character alone on the next line.  In a
    redline, a changed seal line is printed as compared text.
    """
    if field.revised is not None:
        _field(paragraph, field, end)
        return
    _run(paragraph, f"{field.label}{end}").add_break()
    _run(paragraph, BLANK if field.value is None else field.value)


#: The gap between the two signature blocks (6 mm, the PDF's cell padding) in twips.
SIGNATURE_GAP_TWIPS = 340


def _signatures(word: WordDocument, block: Signatures, end: str) -> None:
    """Both parties' blocks side by side, one table row per line so the lines align.

    A block with fewer lines leaves its cells empty.  A block a redline
    replaced whole (``block.change``) has every row and run marked, as Word
    tracks a deleted or inserted table.
    """
    rows = list(zip_longest(*(party.fields for party in block.parties)))
    table = word.add_table(rows=len(rows), cols=len(block.parties))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # Each block starts at its half of the page and keeps 6 mm from the other, as in the PDF
    # (``.signatures td``): a long line of the left block never runs into the right one.
    place(
        table._tbl.tblPr,
        parse_xml(
            f'<w:tblCellMar {nsdecls("w")}><w:left w:w="0" w:type="dxa"/>'
            f'<w:right w:w="{SIGNATURE_GAP_TWIPS}" w:type="dxa"/></w:tblCellMar>'
        ),
    )
    for number, (row, fields) in enumerate(zip(table.rows, rows, strict=True)):
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
        revisions.mark_row(row._tr, block.change)
        for cell, field in zip(row.cells, fields, strict=True):
            cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
            paragraph = _add(cell, "Signature Top" if number == 0 else "Signature")
            if field is not None:
                (_seal_line if number == 0 else _field)(paragraph, field, end)
            for run in paragraph.runs:
                revisions.mark(run, block.change)
            # Every row but the last keeps with the next: the blocks stay on one page.  (A redline's
            # two tables may part: with the acknowledgement above, both do not fit on one page.)
            paragraph.paragraph_format.keep_with_next = number < len(rows) - 1
            if number == 0:  # room for the seal under the seal line, as in the PDF
                paragraph.paragraph_format.space_after = Mm(46)


def _editing(word: WordDocument, editing: Editing, fingerprint: str) -> None:
    """Tracked changes on, and protection that allows nothing else, in the document settings.

    A password's salt comes from the contract's ``fingerprint``, so the bytes stay reproducible.
    """
    settings = word.settings.element
    if editing.tracked:
        place(settings, parse_xml(f"<w:trackRevisions {nsdecls('w')}/>"))
    if editing.protected:
        attributes = {"edit": "trackedChanges", "enforcement": "1"}
        if editing.password is not None:
            attributes |= protection_attributes(editing.password, fingerprint)
        written = " ".join(f'w:{name}="{value}"' for name, value in attributes.items())
        place(settings, parse_xml(f"<w:documentProtection {nsdecls('w')} {written}/>"))


def _furniture(word: WordDocument, meta: Meta) -> None:
    """Header with the contract number (and a draft's watermark); footer 第 X 页 共 Y 页 with live fields."""
    section = word.sections[0]
    header = section.header.paragraphs[0]
    header.text = meta.header
    if meta.draft_mark:
        header.add_run(f"　{meta.draft_mark}")
        header._p.append(parse_xml(_WATERMARK.format(text=escape(meta.draft_mark, {'"': "&quot;"}))))
    footer = section.footer.paragraphs[0]
    for index, text in enumerate(meta.footer):
        if index:
            footer._p.append(_field_xml("NUMPAGES" if index % 2 == 0 else "PAGE"))
        footer.add_run(text)


#: Word's own kind of watermark: a WordArt text path (VML shape type 136) anchored in the
#: header, so it is on every page, centred on the page's margins, turned 45°, behind the
#: text and as light as the PDF's mark (the same red at 18 % opacity). LibreOffice and
#: Word both draw it; the ``PowerPlusWaterMarkObject`` id is how Word recognises one.
_WATERMARK = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:w10="urn:schemas-microsoft-com:office:word"><w:rPr><w:noProof/></w:rPr><w:pict>'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"'
    ' path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    '<v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>'
    '<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
    '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>'
    '<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>'
    '<v:f eqn="sum @6 0 @5"/></v:formulas><v:path textpathok="t" o:connecttype="custom"'
    ' o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/>'
    '</v:handles><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136"'
    ' style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:80pt;rotation:315;'
    "z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
    'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f"'
    ' fillcolor="#C80000" stroked="f"><v:fill opacity="0.18"/>'
    '<v:textpath style="font-family:&quot;Noto Sans CJK SC&quot;;font-size:1pt" string="{text}"/>'
    '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
)


def _field_xml(instruction: str) -> object:
    return parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" {instruction} "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    )


def _properties(word: WordDocument, meta: Meta) -> None:
    stamp = datetime.combine(meta.date, time())
    props = word.core_properties
    props.title = meta.title
    props.subject = meta.subject
    props.author = "；".join(meta.parties)
    props.keywords = f"{meta.contract_no}; {meta.fingerprint}"
    props.identifier = meta.contract_no
    props.comments = f"parameters sha256 {meta.fingerprint}"
    props.language = meta.language
    props.category = "contract"
    props.last_modified_by = "agreement"
    props.revision = 1
    props.created = props.modified = props.last_printed = stamp


def _save(word: WordDocument, meta: Meta) -> bytes:
    """The package as zip bytes, written once, with entry times from the model.

    ``Document.save`` stamps every entry with the current time, and
    rewriting its zip afterwards cost a second compression of every part;
    this writes the same parts in the same order (python-docx's
    ``PackageWriter``) with fixed times.  Pictures are stored, not deflated:
    they are compressed already.
    """
    stamp = (max(meta.date.year, 1980), meta.date.month, meta.date.day, 0, 0, 0)
    package = word.part.package
    parts = list(package.iter_parts())
    content_types = _ContentTypesItem.from_parts(parts)  # type: ignore[no-untyped-call]
    entries = [("[Content_Types].xml", content_types.blob)]
    entries.append((PACKAGE_URI.rels_uri.membername, package.rels.xml))
    for part in parts:
        entries.append((part.partname.membername, part.blob))
        if len(part.rels):
            entries.append((part.partname.rels_uri.membername, part.rels.xml))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_STORED if name.endswith(_STORED) else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, data)
    return out.getvalue()
