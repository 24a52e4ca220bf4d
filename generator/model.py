"""The document model: the one thing every writer reads.

Numbering (一、 / 1.1 / (1)), labels and cross-references are computed once
when the model is built and stored here as plain text, so the DOCX, HTML and
PDF writers cannot disagree about them.  A writer that meets a node it does
not know raises instead of dropping it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol

#: In a redline, text of the client's version only, or of the standard's only.
Change = Literal["inserted", "deleted"]


@dataclass(frozen=True)
class Span:
    """A run of text; ``strong`` marks emphasis (bold terms, run-in headings).

    ``change`` is set only in a redline (``generator.redline``): every writer
    shows inserted and deleted text as such.
    """

    text: str
    strong: bool = False
    change: Change | None = None


Inline = tuple[Span, ...]

#: What a writer prints where a value is to be filled in by hand.
BLANK = "_" * 16


def plain(spans: Inline) -> str:
    """The text of ``spans`` without formatting."""
    return "".join(span.text for span in spans)


@dataclass(frozen=True)
class Paragraph:
    """Body text; ``lead`` is the run-in clause number and title set before it.

    ``emphasized`` marks a standard term (格式条款) that exempts or limits the
    drafting party's liability, weighs on the customer or settles jurisdiction:
    every writer sets the whole paragraph in bold.
    """

    spans: Inline
    lead: Inline = ()
    emphasized: bool = False


@dataclass(frozen=True)
class Item:
    """A numbered item; ``emphasized`` as for ``Paragraph``."""

    label: str
    spans: Inline
    emphasized: bool = False


@dataclass(frozen=True)
class ItemList:
    """Numbered items (1)(2)(3) inside a clause."""

    items: tuple[Item, ...]


Body = Paragraph | ItemList


@dataclass(frozen=True)
class Clause:
    """A numbered clause; its first paragraph carries the number and title as a lead."""

    key: str
    number: str
    title: str
    body: tuple[Body, ...]

    @property
    def emphasized(self) -> bool:
        """Whether any paragraph or item of the clause is an emphasised standard term."""
        return any(
            block.emphasized if isinstance(block, Paragraph) else any(i.emphasized for i in block.items)
            for block in self.body
        )


@dataclass(frozen=True)
class Chapter:
    number: str
    title: str
    heading: str
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class Field:
    """One labelled line of a party's details; ``value`` None leaves a blank to fill by hand."""

    label: str
    value: str | None
    #: In a redline, the whole line as compared text (label, value, marks); writers print it instead.
    revised: Inline | None = None


@dataclass(frozen=True)
class PartyDetails:
    role: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Parties:
    """The two parties' details at the top of the contract."""

    parties: tuple[PartyDetails, ...]


@dataclass(frozen=True)
class Notice:
    """The customer's acknowledgement of the emphasised terms, set above the signatures.

    ``signer`` is a line the customer signs directly under it (a consumer
    always does: the enterprise must be able to prove the notice was given).
    """

    spans: Inline
    signer: Field | None = None
    #: In a bilingual contract, the same statement in the second language, set after the first.
    translation: Inline = ()


@dataclass(frozen=True)
class Signatures:
    """Signature and seal blocks, kept together on one page by every writer.

    ``change`` is set only in a redline whose two versions' blocks have
    different lines (a company's and a consumer's): the standard's whole
    table is shown deleted and the client's inserted, as Word tracks a
    replaced table, row by row.
    """

    parties: tuple[PartyDetails, ...]
    change: Change | None = None


class Raster(Protocol):
    """A picture's raster form, drawn only when wanted: slow to draw, and only the DOCX needs it."""

    def start(self) -> None:
        """Begin drawing in the background (say, while the PDF is being made)."""

    def __call__(self) -> bytes:
        """The PNG's bytes, drawn now or waited for."""


@dataclass(frozen=True)
class Figure:
    """A picture given in both forms a writer may need: vector for HTML/PDF, raster for DOCX.

    ``png`` draws the raster, or waits for the drawing ``raster.start()`` began.
    """

    svg: bytes
    raster: Raster = field(compare=False, repr=False)
    description: str
    width_mm: float
    height_mm: float

    @property
    def png(self) -> bytes:
        return self.raster()


@dataclass(frozen=True)
class Attachment:
    """An attachment on a page of its own, after the signatures."""

    key: str
    heading: str
    figure: Figure
    #: A reviewer's note on the attachment (a redline's, when the figure changed).
    note: str | None = None


@dataclass(frozen=True)
class Heading:
    """A chapter heading as a row of a parallel text."""

    text: str


#: One row of a parallel text: a heading, a paragraph (with its run-in lead) or a numbered item.
Row = Heading | Paragraph | Item


@dataclass(frozen=True)
class Parallel:
    """A stretch of a bilingual contract (the preamble, a chapter), paired row by row.

    ``rows[i]`` holds the same heading, paragraph or item in ``languages[0]``
    and ``languages[1]``, with the same number.  ``columns`` sets each row's
    halves side by side (one table row each, so a long clause splits across
    pages with its rows aligned); ``alternating`` sets the first language's
    row, then the second's.
    """

    languages: tuple[str, str]
    layout: Literal["columns", "alternating"]
    rows: tuple[tuple[Row, Row], ...]
    #: The key and number of the clause each row belongs to (``("", "")`` for a chapter's heading,
    #: ``("preamble", "")`` for the preamble): a redline aligns two versions' rows by them.
    clauses: tuple[tuple[str, str], ...] = ()


Block = Parties | Paragraph | ItemList | Chapter | Notice | Signatures | Attachment | Parallel


@dataclass(frozen=True)
class Meta:
    title: str
    contract_no: str
    language: str
    parties: tuple[str, ...]
    #: Fixes every timestamp inside the files (properties, zip entries).
    date: date
    fingerprint: str
    header: str
    #: The footer's texts around its page numbers, which alternate: the page's, then the
    #: count of pages (``("第 ", " 页 共 ", " 页")``; a bilingual footer has each twice).
    footer: tuple[str, ...]
    subject: str
    draft_mark: str | None = None
    #: A bilingual contract's title in its second language, set under ``title``.
    subtitle: str | None = None

    @property
    def first_language(self) -> str:
        """The document's language, or a bilingual one's first (``zh-CN`` of ``zh-CN+en``)."""
        return self.language.split("+")[0]

    @property
    def label_end(self) -> str:
        """What follows a field's label: Chinese text's full-width colon, or an English ": "."""
        return ": " if self.first_language == "en" else "："


@dataclass(frozen=True)
class Document:
    meta: Meta
    blocks: tuple[Block, ...]

    def chapters(self) -> tuple[Chapter, ...]:
        return tuple(block for block in self.blocks if isinstance(block, Chapter))
