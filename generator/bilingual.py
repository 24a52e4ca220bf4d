"""A bilingual contract: the models of two languages, built from the same parameters, paired.

Each language's document is built on its own from its own clause library
(``clauses/zh-CN``, ``clauses/en``), so numbering, conditions and values
are decided once per language exactly as in a one-language contract.  Here
the two are zipped: chapter by chapter, clause by clause, paragraph by
paragraph.  Anything that does not pair up (a clause in one language only, a
different paragraph count, a different number) is an error naming the
clause, never a row left empty.
"""

from __future__ import annotations

from typing import Literal

from .errors import ClauseError
from .model import (
    Attachment,
    Block,
    Body,
    Chapter,
    Document,
    Field,
    Heading,
    Item,
    ItemList,
    Meta,
    Notice,
    Paragraph,
    Parallel,
    Parties,
    PartyDetails,
    Row,
    Signatures,
)

Layout = Literal["columns", "alternating"]
#: Between the two languages' versions of a label or value on one line; after full-width
#: punctuation, which carries its own space, without the first blank: 「甲方（盖章）/ Party A」.
JOIN = " / "
_FULL_WIDTH_END = "）」』】"


def pair_documents(first: Document, second: Document, layout: Layout) -> Document:
    """One document holding ``first`` and ``second`` (the same contract in two languages), paired."""
    languages = (first.meta.language, second.meta.language)
    if len(first.blocks) != len(second.blocks):
        raise ClauseError(
            f"the {languages[0]} and {languages[1]} texts have different parts "
            f"({len(first.blocks)} and {len(second.blocks)}); check the clause libraries"
        )
    blocks: list[Block] = []
    preamble: list[tuple[Row, Row]] = []
    preamble_owner = ("preamble", "")
    for ours, theirs in zip(first.blocks, second.blocks, strict=True):
        if type(ours) is not type(theirs):
            raise ClauseError(
                f"the texts differ in structure: {type(ours).__name__} beside {type(theirs).__name__}"
            )
        if isinstance(ours, Paragraph | ItemList) and isinstance(theirs, Paragraph | ItemList):
            preamble.extend(_rows(ours, theirs, "preamble"))
            continue
        if preamble:
            blocks.append(Parallel(languages, layout, tuple(preamble), (preamble_owner,) * len(preamble)))
            preamble = []
        blocks.append(_pair(ours, theirs, languages, layout))
    return Document(_meta(first.meta, second.meta), tuple(blocks))


def _pair(ours: Block, theirs: Block, languages: tuple[str, str], layout: Layout) -> Block:
    if isinstance(ours, Chapter) and isinstance(theirs, Chapter):
        return _chapter(ours, theirs, languages, layout)
    if isinstance(ours, Parties) and isinstance(theirs, Parties):
        return Parties(tuple(_party(a, b) for a, b in zip(ours.parties, theirs.parties, strict=True)))
    if isinstance(ours, Signatures) and isinstance(theirs, Signatures):
        pairs = zip(ours.parties, theirs.parties, strict=True)
        return Signatures(tuple(_party(a, b) for a, b in pairs), ours.change)
    if isinstance(ours, Notice) and isinstance(theirs, Notice):
        signer = _field(ours.signer, theirs.signer) if ours.signer and theirs.signer else None
        return Notice(ours.spans, signer, theirs.spans)
    if isinstance(ours, Attachment) and isinstance(theirs, Attachment):
        # Both languages' figures are drawn with both languages' labels: one picture.
        return Attachment(ours.key, _join(ours.heading, theirs.heading), ours.figure, ours.note)
    raise ClauseError(f"a bilingual contract cannot pair a {type(ours).__name__}")


def _chapter(ours: Chapter, theirs: Chapter, languages: tuple[str, str], layout: Layout) -> Parallel:
    rows: list[tuple[Row, Row]] = [(Heading(ours.heading), Heading(theirs.heading))]
    owners = [("", "")]
    if [c.key for c in ours.clauses] != [c.key for c in theirs.clauses]:
        raise ClauseError(
            f"chapter {ours.number}: the clauses differ between the languages "
            f"({', '.join(c.key for c in ours.clauses)} / {', '.join(c.key for c in theirs.clauses)})"
        )
    for a, b in zip(ours.clauses, theirs.clauses, strict=True):
        if a.number != b.number:
            raise ClauseError(f"clause '{a.key}': numbered {a.number} and {b.number} in the two languages")
        flat_a, flat_b = _flatten(a.body), _flatten(b.body)
        if len(flat_a) != len(flat_b):
            raise ClauseError(
                f"clause '{a.key}' ({a.number}): {len(flat_a)} paragraphs in {languages[0]}, "
                f"{len(flat_b)} in {languages[1]}; a translation keeps its original's paragraphs and items"
            )
        for row_a, row_b in zip(flat_a, flat_b, strict=True):
            rows.append(_checked(row_a, row_b, a.key))
            owners.append((a.key, a.number))
    return Parallel(languages, layout, tuple(rows), tuple(owners))


def _rows(ours: Body, theirs: Body, where: str) -> list[tuple[Row, Row]]:
    flat_a, flat_b = _flatten((ours,)), _flatten((theirs,))
    if len(flat_a) != len(flat_b):
        raise ClauseError(f"{where}: {len(flat_a)} paragraphs in one language, {len(flat_b)} in the other")
    return [_checked(a, b, where) for a, b in zip(flat_a, flat_b, strict=True)]


def _flatten(body: tuple[Body, ...]) -> list[Row]:
    return [row for block in body for row in (block.items if isinstance(block, ItemList) else (block,))]


def _checked(ours: Row, theirs: Row, key: str) -> tuple[Row, Row]:
    """A pair of rows that say the same: same kind, same item number, same emphasis."""
    same_kind = type(ours) is type(theirs)
    same_label = (
        not isinstance(ours, Item) or not isinstance(theirs, Item) or _number(ours) == _number(theirs)
    )
    same_emphasis = getattr(ours, "emphasized", False) == getattr(theirs, "emphasized", False)
    if not (same_kind and same_label and same_emphasis):
        raise ClauseError(
            f"clause '{key}': a paragraph or item differs in kind, number or emphasis between the languages"
        )
    return ours, theirs


def _number(item: Item) -> str:
    return "".join(ch for ch in item.label if ch.isdigit())


def _party(ours: PartyDetails, theirs: PartyDetails) -> PartyDetails:
    fields = tuple(_field(a, b) for a, b in zip(ours.fields, theirs.fields, strict=True))
    return PartyDetails(_join(ours.role, theirs.role), fields)


def _field(ours: Field, theirs: Field) -> Field:
    value = None if ours.value is None or theirs.value is None else _join(ours.value, theirs.value)
    return Field(_join(ours.label, theirs.label), value)


def _join(ours: str, theirs: str) -> str:
    """One line for both languages; a value the same in both (a phone number) once."""
    if ours == theirs:
        return ours
    return f"{ours}{JOIN.lstrip() if ours.endswith(tuple(_FULL_WIDTH_END)) else JOIN}{theirs}"


def _meta(ours: Meta, theirs: Meta) -> Meta:
    return Meta(
        title=ours.title,
        contract_no=ours.contract_no,
        language=f"{ours.language}+{theirs.language}",
        parties=ours.parties,
        date=ours.date,
        fingerprint=ours.fingerprint,
        header=_join(ours.header, theirs.header),
        # Each language's words around the same page numbers: 第 1 页 共 9 页 / Page 1 of 9.
        footer=(*ours.footer[:-1], ours.footer[-1] + JOIN + theirs.footer[0], *theirs.footer[1:]),
        subject=_join(ours.subject, theirs.subject),
        draft_mark=ours.draft_mark,
        subtitle=theirs.title,
    )
