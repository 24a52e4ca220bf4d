"""The DOCX writer: the document model in Word, for negotiation.

Every style comes from ``templates/docx/reference.docx``; this module only
picks style names.  Numbers are written as text (never Word list
numbering), page numbers as real PAGE/NUMPAGES fields, and every timestamp
(core properties, zip entries) comes from the model, so the same contract
gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, time
from functools import cache

from docx import Document as open_docx
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm
from docx.text.paragraph import Paragraph as WordParagraph

from ..errors import RenderError
from ..model import (
    BLANK,
    Attachment,
    Block,
    Body,
    Chapter,
    Document,
    Field,
    Inline,
    ItemList,
    Meta,
    Notice,
    Paragraph,
    Parties,
    Signatures,
)
from ..resources import builtin


@cache
def _reference() -> bytes:
    return (builtin("templates") / "docx" / "reference.docx").read_bytes()


def render_docx(document: Document) -> bytes:
    """The contract as DOCX bytes."""
    word = open_docx(io.BytesIO(_reference()))
    _furniture(word, document.meta)
    word.add_paragraph(document.meta.title, style="Title")
    word.add_paragraph(document.meta.header, style="Contract No")
    for block in document.blocks:
        _block(word, block)
    _properties(word, document.meta)
    out = io.BytesIO()
    word.save(out)
    return _pin_zip_times(out.getvalue(), document.meta)


def _block(word: WordDocument, block: Block) -> None:
    if isinstance(block, Parties):
        for party in block.parties:
            for field in party.fields:
                _field(word.add_paragraph(style="Party"), field)
            word.paragraphs[-1].paragraph_format.space_after = Mm(2)
    elif isinstance(block, Paragraph):
        _paragraph(word, block)
    elif isinstance(block, Chapter):
        word.add_paragraph(block.heading, style="Heading 1")
        for clause in block.clauses:
            for body in clause.body:
                _body(word, body)
    elif isinstance(block, Notice):
        _spans(word.add_paragraph(style="Notice"), block.spans)
    elif isinstance(block, Signatures):
        _signatures(word, block)
    elif isinstance(block, Attachment):
        heading = word.add_paragraph(block.heading, style="Attachment Heading")
        heading.paragraph_format.page_break_before = True
        picture = word.add_paragraph(style="Figure")
        picture.add_run().add_picture(
            io.BytesIO(block.figure.png), width=Mm(block.figure.width_mm), height=Mm(block.figure.height_mm)
        )
    else:
        raise RenderError(f"the DOCX writer cannot render a {type(block).__name__}")


def _body(word: WordDocument, body: Body) -> None:
    if isinstance(body, Paragraph):
        _paragraph(word, body)
    elif isinstance(body, ItemList):
        for item in body.items:
            paragraph = word.add_paragraph(item.label)
            _spans(paragraph, item.spans)
    else:
        raise RenderError(f"the DOCX writer cannot render a {type(body).__name__}")


def _paragraph(word: WordDocument, block: Paragraph) -> None:
    paragraph = word.add_paragraph()
    _spans(paragraph, block.lead)
    _spans(paragraph, block.spans)


def _spans(paragraph: WordParagraph, spans: Inline) -> None:
    for span in spans:
        paragraph.add_run(span.text, style="Strong Term" if span.strong else None)


def _field(paragraph: WordParagraph, field: Field) -> None:
    paragraph.add_run(f"{field.label}：")
    paragraph.add_run(BLANK if field.value is None else field.value)


def _signatures(word: WordDocument, block: Signatures) -> None:
    table = word.add_table(rows=1, cols=len(block.parties))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    row = table.rows[0]
    # One row that may not break across pages keeps both blocks together.
    row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
    for cell, party in zip(row.cells, block.parties, strict=True):
        cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
        for field in party.fields:
            _field(cell.add_paragraph(style="Signature"), field)


def _furniture(word: WordDocument, meta: Meta) -> None:
    """Header with the contract number; footer 第 X 页 共 Y 页 with live fields."""
    section = word.sections[0]
    header = section.header.paragraphs[0]
    header.style = word.styles["Header"]
    header.text = meta.header
    if meta.draft_mark:
        header.add_run(f"　{meta.draft_mark}")
    footer = section.footer.paragraphs[0]
    footer.style = word.styles["Footer"]
    before, between, after = meta.footer
    footer.add_run(before)
    footer._p.append(_field_xml("PAGE"))
    footer.add_run(between)
    footer._p.append(_field_xml("NUMPAGES"))
    footer.add_run(after)


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


def _pin_zip_times(data: bytes, meta: Meta) -> bytes:
    """Rewrite the zip with fixed entry times: python-docx stamps the current time."""
    stamp = (max(meta.date.year, 1980), meta.date.month, meta.date.day, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
