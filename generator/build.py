"""Build the document model of one contract from validated parameters and the clause library.

This is where numbering happens: clauses are chosen first, then numbered,
then rendered, so that a snippet can refer to another clause's number or an
attachment's label and every writer prints the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any

from .clauses.library import ClauseFile, Library
from .clauses.markdown import ParsedList, ParsedParagraph, parse
from .clauses.render import applies, render
from .errors import ClauseError
from .model import (
    Attachment,
    Block,
    Body,
    Chapter,
    Clause,
    Document,
    Field,
    Figure,
    Inline,
    Item,
    ItemList,
    Meta,
    Notice,
    Paragraph,
    Parties,
    PartyDetails,
    Signatures,
    Span,
)
from .params import Parameters
from .params.schema import Agreement, Customer, Party
from .textfmt import FORMATS

#: Timestamps inside the files when the contract has no signing date: fixed,
#: never the clock, so that the same inputs give the same bytes.
UNDATED = date(2026, 1, 1)

#: Draws the flowchart of an agreement, labelled in each (language, locale) given.
FigureMaker = Callable[[Agreement, Sequence[tuple[str, dict[str, Any]]]], Figure]
#: Wraps a named part of the work, e.g. ``Timings.stage`` of the pipeline.
Stage = Callable[[str], AbstractContextManager[object]]


def _unmeasured(name: str) -> AbstractContextManager[object]:
    return nullcontext()


def context_of(agreement: Agreement, library: Library) -> dict[str, Any]:
    """The variables a snippet sees: the parameters, plus ``t``, the language's labels, and
    ``commission``, the chosen arbitration commission's official name in the library's language
    (``name``; also ``zh`` and ``en``) or None."""
    chosen = agreement.disputes.commission
    commission = (
        {"name": chosen.name_in(library.language), "zh": chosen.zh, "en": chosen.en} if chosen else None
    )
    return {**agreement.model_dump(), "t": library.locale, "commission": commission}


def select(library: Library, context: dict[str, Any]) -> list[tuple[str, list[ClauseFile]]]:
    """The clauses that apply, per section, in manifest order (one variant each)."""
    chosen = []
    for section in library.manifest.sections:
        clauses = []
        for key in section.clauses:
            matching = [c for c in library.variants[key] if applies(library, c, context)]
            if len(matching) > 1:
                names = ", ".join(str(c.path) for c in matching)
                raise ClauseError(f"clause '{key}': more than one variant applies ({names})")
            clauses.extend(matching)
        if clauses:
            chosen.append((section.title, clauses))
    return chosen


@dataclass(frozen=True)
class Text:
    """The contract's clauses, rendered and numbered: everything a snippet decides."""

    preamble: tuple[Body, ...]
    chapters: tuple[Chapter, ...]
    #: Attachment key → its label (附件一), as the clauses refer to it.
    attachments: dict[str, str]

    @property
    def emphasized(self) -> bool:
        """Whether any clause holds an emphasised standard term."""
        return any(c.emphasized for chapter in self.chapters for c in chapter.clauses)


def render_text(params: Parameters, library: Library, stage: Stage = _unmeasured) -> Text:
    """Choose, number and render the clauses (``validate`` stops here: no figures, no writers).

    ``stage("clauses")`` wraps the work, so that a caller (the benchmark,
    through the pipeline's timings) can measure it.
    """
    locale = library.locale
    numeral = FORMATS[library.language].numeral
    context = context_of(params.agreement, library)
    with stage("clauses"):
        chosen = select(library, context)
        numbers = {
            clause.key: f"{c}.{n}"
            for c, (_, clauses) in enumerate(chosen, 1)
            for n, clause in enumerate(clauses, 1)
        }
        attachments = {
            key: locale["attachment_label"].format(number=numeral(n))
            for n, (key, _) in enumerate(library.manifest.attachments, 1)
        }
        context["clause_no"] = lambda key: numbers[key]
        context["attachment"] = lambda key: attachments[key]
        preamble: list[Body] = []
        if library.manifest.preamble:
            for clause in library.variants[library.manifest.preamble]:
                preamble.extend(_body(library, clause, context, locale))
        chapters = []
        for number, (title, clauses) in enumerate(chosen, 1):
            built = tuple(_clause(library, c, numbers[c.key], context, locale) for c in clauses)
            heading = locale["chapter_heading"].format(number=numeral(number), title=title)
            chapters.append(Chapter(numeral(number), title, heading, built))
    return Text(tuple(preamble), tuple(chapters), attachments)


def build_document(
    params: Parameters,
    library: Library,
    figure: FigureMaker,
    *,
    draft: bool = False,
    stage: Stage = _unmeasured,
    labels: Sequence[tuple[str, dict[str, Any]]] = (),
) -> Document:
    """The whole contract as a ``Document``: parties, chapters, signatures, attachments.

    ``labels``: the (language, locale) pairs the flowchart is labelled in; by default the library's.
    """
    agreement = params.agreement
    locale = library.locale
    text = render_text(params, library, stage)
    blocks: list[Block] = [_parties(agreement, locale), *text.preamble, *text.chapters]
    consumer = agreement.customer.kind == "consumer"
    if text.emphasized or consumer:
        # A consumer signs the acknowledgement itself: the burden of proving
        # the notice lies with the enterprise (合同编通则解释 第10条).
        signer = Field(locale["signature"]["person"].format(role=locale["roles"]["customer"]), None)
        blocks.append(Notice((Span(locale["acknowledgement"], strong=True),), signer if consumer else None))
    signing_date = None if draft else agreement.signing.date
    when = FORMATS[library.language].date(signing_date) if signing_date else None
    blocks.append(_signatures(agreement, locale, when))
    for key, title in library.manifest.attachments:
        heading = locale["attachment_heading"].format(label=text.attachments[key], title=title)
        blocks.append(Attachment(key, heading, figure(agreement, labels or [(library.language, locale)])))
    return Document(_meta(params, library, draft), tuple(blocks))


def _clause(
    library: Library, clause: ClauseFile, number: str, context: dict[str, Any], locale: dict[str, Any]
) -> Clause:
    body = _body(library, clause, context, locale)
    if clause.emphasized:
        body = [_emphasize(block) for block in body]
    lead = (Span(locale["clause_lead"].format(number=number, title=clause.title), strong=True),)
    if body and isinstance(body[0], Paragraph):
        body[0] = Paragraph(body[0].spans, lead, body[0].emphasized)
    else:
        body.insert(0, Paragraph((), lead))
    return Clause(clause.key, number, clause.title, tuple(body))


def _body(
    library: Library, clause: ClauseFile, context: dict[str, Any], locale: dict[str, Any]
) -> list[Body]:
    text, values = render(library, clause, context)
    body: list[Body] = []
    for block in parse(text, values):
        if isinstance(block, ParsedList):
            items = _punctuate(block.items, locale)
            body.append(
                ItemList(
                    tuple(
                        Item(locale["item_label"].format(n=n), spans, item.emphasized)
                        for n, (spans, item) in enumerate(zip(items, block.items, strict=True), 1)
                    )
                )
            )
        else:
            body.append(Paragraph(block.spans, emphasized=block.emphasized))
    return body


def _punctuate(items: tuple[ParsedParagraph, ...], locale: dict[str, Any]) -> list[Inline]:
    """Items of a list end in ；, the last in 。, whichever items a condition left out."""
    marks = locale["item_ends"]
    result = []
    for index, item in enumerate(items):
        spans = item.spans
        last = spans[-1] if spans else None
        if last and last.text[-1:] in marks.values():
            end = marks["last"] if index == len(items) - 1 else marks["other"]
            spans = (*spans[:-1], Span(last.text[:-1] + end, last.strong))
        result.append(spans)
    return result


def _emphasize(block: Body) -> Body:
    """A clause whose front matter says ``emphasized: true``: every paragraph and item is a standard term."""
    if isinstance(block, ItemList):
        return ItemList(tuple(Item(i.label, i.spans, True) for i in block.items))
    return Paragraph(block.spans, block.lead, True)


def _party_fields(party: Party, labels: dict[str, str]) -> tuple[Field, ...]:
    fields = []
    if isinstance(party, Customer) and party.kind == "consumer":
        # A natural person: identified by an ID document, no representative; a blank when not given.
        fields.append(Field(labels["id_number"], party.id_number))
    for name in ("address", "representative", "phone", "email"):
        if name in party.by_hand:
            fields.append(Field(labels[name], None))
        elif getattr(party, name) is not None:
            fields.append(Field(labels[name], getattr(party, name)))
    return tuple(fields)


def _parties(agreement: Agreement, locale: dict[str, Any]) -> Parties:
    roles = locale["roles"]
    labels = locale["party_fields"]
    return Parties(
        tuple(
            PartyDetails(roles[key], (Field(roles[key], party.name), *_party_fields(party, labels)))
            for key, party in (("enterprise", agreement.enterprise), ("customer", agreement.customer))
        )
    )


def _signatures(agreement: Agreement, locale: dict[str, Any], when: str | None) -> Signatures:
    """The signature blocks; ``when`` is the signing date as the language writes it, None for a blank."""
    labels = locale["signature"]

    def block(role: str, party: Party) -> PartyDetails:
        if isinstance(party, Customer) and party.kind == "consumer":
            # A natural person signs; there is no seal and no representative.
            name, sign = Field(role, party.name), Field(labels["person"].format(role=role), None)
        else:
            name, sign = Field(labels["seal"].format(role=role), party.name), Field(labels["signature"], None)
        return PartyDetails(role, (name, sign, Field(labels["date"], when)))

    return Signatures(
        (
            block(locale["roles"]["enterprise"], agreement.enterprise),
            block(locale["roles"]["customer"], agreement.customer),
        )
    )


def _meta(params: Parameters, library: Library, draft: bool) -> Meta:
    agreement = params.agreement
    locale = library.locale
    before, rest = locale["footer"].split("{page}")
    between, after = rest.split("{pages}")
    return Meta(
        title=agreement.title,
        contract_no=agreement.contract_no,
        language=library.language,
        parties=(agreement.enterprise.name, agreement.customer.name),
        date=agreement.signing.date or UNDATED,
        fingerprint=params.fingerprint,
        header=locale["header"].format(contract_no=agreement.contract_no),
        footer=(before, between, after),
        subject=locale["subject"].format(
            enterprise=agreement.enterprise.name, customer=agreement.customer.name
        ),
        draft_mark=locale["draft_mark"] if draft else None,
    )
