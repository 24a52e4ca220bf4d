"""The redline: the client's contract with every difference from the standard's marked.

Both versions are document models built by the one pipeline, and the model
names everything: chapters by title, clauses by key, attachments by key.  So
the two are aligned by those keys, not by guessing from text; within an
aligned paragraph or list item the words are compared (a number, a Latin
word, each Chinese character and punctuation mark is one word), so
``24小时`` → ``1小时`` marks just ``24`` and ``1``.  The result is again a
``Document``, whose spans carry ``change``: every writer can show it.

Numbers follow the client's version: a clause that only moved because
another was added or removed keeps its client number unmarked, and list
items are labelled as in the client's version.  Accepting every change
gives the client's text exactly; rejecting every change gives the
standard's, numbered as the client's.

A bilingual contract's chapters are rows of both languages (``Parallel``);
each row knows its clause, so the rows are aligned clause by clause as
above, and each row is compared in each language: both columns show the
changes, and accepting or rejecting them gives each language's text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from difflib import SequenceMatcher
from typing import TypeVar

from .errors import RenderError
from .model import (
    BLANK,
    Attachment,
    Block,
    Body,
    Change,
    Chapter,
    Clause,
    Document,
    Field,
    Heading,
    Inline,
    Item,
    ItemList,
    Notice,
    Paragraph,
    Parallel,
    Parties,
    PartyDetails,
    Row,
    Signatures,
    Span,
    plain,
)

#: One word of the comparison: a number (``10,000.00``), a Latin word, or any other single character.
_WORD = re.compile(r"[0-9]+(?:[.,:][0-9]+)*|[A-Za-z]+|\s+|.", re.DOTALL)

#: A common stretch this short between two changes is shown as part of one change, not as a match.
_SHORT = 2

#: Across every page of a redline PDF: paper that must never be taken for the contract to sign.
PDF_MARK = "修订对照 REDLINE"

#: What the comment on a changed attachment says, in the contract's (first) language.
FIGURE_CHANGED = {
    "zh-CN": "此图按本合同的参数绘制，与公司标准版本的图不同。",
    "en": "This figure is drawn from this contract's parameters and differs from the company standard's.",
}

T = TypeVar("T")


def language_refusal(standard: str, client: str) -> str | None:
    """Why no redline compares versions in these languages (``None``: it can).

    ``agreement diff`` writes the standard version in the client's languages,
    so only two stored versions of a contract (the team server's) can differ.
    """
    if client != standard:
        return (
            f"a redline compares two versions in the same languages ({standard} and {client} here); "
            "make both in one language first"
        )
    return None


def redline(standard: Document, client: Document) -> Document:
    """The client's document with the standard's differences marked in its spans.

    Raises ``RenderError`` for a difference the redline cannot show as text
    (a party, a chapter or an attachment added or removed); the text report
    (``agreement diff``) still lists those.  A bilingual contract's chapters
    are rows of both languages: they are aligned by clause, and each row is
    compared in each language (``_parallel``), so both columns show the changes.
    """
    refusal = language_refusal(standard.meta.language, client.meta.language)
    if refusal:
        raise RenderError(refusal)
    end = client.meta.label_end
    blocks: list[Block] = []
    for before, after in _align(standard.blocks, client.blocks, _block_key):
        if isinstance(before, Signatures) and isinstance(after, Signatures):
            blocks += _signatures(before, after, end)
        elif before is not None and after is not None:
            blocks.append(_block(before, after, end, client.meta.language))
        else:
            lone: tuple[Block, Change] = _lone(before, after)
            blocks.append(_whole(*lone, end))
    return replace(client, blocks=tuple(blocks))


def _block_key(block: Block) -> object:
    if isinstance(block, Chapter):
        return ("chapter", block.title)
    if isinstance(block, Attachment):
        return ("attachment", block.key)
    if isinstance(block, Paragraph):
        return ("paragraph", plain(block.lead))
    if isinstance(block, Parallel):
        first = block.rows[0][0] if block.rows else None
        return ("parallel", first.text if isinstance(first, Heading) else "")
    return type(block).__name__


def _block(before: Block, after: Block, end: str, language: str) -> Block:
    """Two versions of a block compared; ``end`` follows a party line's label, ``language`` is the
    document's (the note on a changed figure is written in each of its languages)."""
    if isinstance(before, Chapter) and isinstance(after, Chapter):
        return replace(after, clauses=tuple(_clauses(before.clauses, after.clauses)))
    if isinstance(before, Paragraph) and isinstance(after, Paragraph):
        return _paragraph(before, after)
    if isinstance(before, Notice) and isinstance(after, Notice):
        signer = _signer(before.signer, after.signer, end)
        return Notice(
            compare(before.spans, after.spans), signer, compare(before.translation, after.translation)
        )
    if isinstance(before, Attachment) and isinstance(after, Attachment):
        if before.figure == after.figure:
            return after
        return replace(after, note=" ".join(FIGURE_CHANGED[name] for name in language.split("+")))
    if isinstance(before, Parallel) and isinstance(after, Parallel):
        return _parallel(before, after)
    if isinstance(before, Parties) and isinstance(after, Parties):
        return Parties(_parties(before.parties, after.parties, end))
    raise RenderError(f"the redline cannot compare a {type(before).__name__} with a {type(after).__name__}")


def _parties(
    before: Sequence[PartyDetails], after: Sequence[PartyDetails], end: str
) -> tuple[PartyDetails, ...]:
    """Each party's lines compared by label; a changed line carries its compared text (``revised``)."""
    if [p.role for p in before] != [p.role for p in after]:
        raise RenderError("the redline cannot show parties added or removed")
    merged = []
    for old, new in zip(before, after, strict=True):
        fields = []
        for x, y in _align(old.fields, new.fields, lambda field: field.label):
            if x is not None and y is not None:
                fields.append(y if x == y else replace(y, revised=compare(_line(x, end), _line(y, end))))
            else:
                field, change = _lone(x, y)
                fields.append(replace(field, revised=_marked(_line(field, end), change)))
        merged.append(replace(new, fields=tuple(fields)))
    return tuple(merged)


def _signatures(before: Signatures, after: Signatures, end: str) -> tuple[Block, ...]:
    """Blocks with the same lines compared line by line, else the standard's table replaced by the client's.

    The writers set the blocks side by side, one table row per line, so a
    line added to or removed from a block (a consumer signs without seal or
    representative) cannot be marked in place: as Word tracks a replaced
    table, the standard's rows are deleted and the client's inserted.
    """
    if _lines(before) == _lines(after):
        return (Signatures(_parties(before.parties, after.parties, end)),)
    return _whole(before, "deleted", end), _whole(after, "inserted", end)


def _lines(block: Signatures) -> list[tuple[str, list[str]]]:
    """Each party's role and the labels of its lines: what decides the table's rows."""
    return [(party.role, [field.label for field in party.fields]) for party in block.parties]


def _signer(before: Field | None, after: Field | None, end: str) -> Field | None:
    """The line signed under the acknowledgement (a consumer's), compared like a party's line."""
    if before is None and after is None:
        return None
    if before is not None and after is not None:
        if before == after:
            return after
        return replace(after, revised=compare(_line(before, end), _line(after, end)))
    field, change = _lone(before, after)
    return replace(field, revised=_marked(_line(field, end), change))


def _line(field: Field, end: str) -> Inline:
    """A party's line as a writer prints it (``end``: the language's colon, ``Meta.label_end``)."""
    return (Span(f"{field.label}{end}"), Span(BLANK if field.value is None else field.value))


def _whole(block: Block, change: Change, end: str) -> Block:
    """A block present in one version only, every span (a signature table: every row) of it marked."""
    if isinstance(block, Signatures):
        return replace(block, change=change)
    if isinstance(block, Paragraph):
        return _whole_body(block, change)
    if isinstance(block, Notice):
        signer = block.signer and replace(block.signer, revised=_marked(_line(block.signer, end), change))
        return Notice(_marked(block.spans, change), signer, _marked(block.translation, change))
    # A bilingual contract's chapter is a stretch of rows of both languages.
    name = "chapter" if isinstance(block, Parallel) else type(block).__name__.lower()
    raise RenderError(_CANNOT.format(name=name))


#: What stops a redline that would have to show a whole chapter, party or attachment added or removed.
_CANNOT = (
    "the redline cannot show a whole {name} added or removed; "
    "see the text report (agreement diff without --format docx/pdf)"
)


def _clauses(before: Sequence[Clause], after: Sequence[Clause]) -> list[Clause]:
    merged = []
    for old, new in _align(before, after, lambda clause: clause.key):
        if old is not None and new is not None:
            merged.append(replace(new, body=tuple(_bodies(old, new))))
        else:
            clause, change = _lone(old, new)
            merged.append(replace(clause, body=tuple(_whole_body(body, change) for body in clause.body)))
    return merged


def _bodies(old: Clause, new: Clause) -> list[Body]:
    """The clause's paragraphs and lists compared in order; the lead takes the client's number."""
    bodies: list[Body] = []
    for before, after in _align(old.body, new.body, lambda body: type(body).__name__):
        if before is None or after is None:
            lone: tuple[Body, Change] = _lone(before, after)
            bodies.append(_whole_body(*lone))
        elif isinstance(before, Paragraph) and isinstance(after, Paragraph):
            bodies.append(_renumbered(before, after, old.number, new.number))
        elif isinstance(before, ItemList) and isinstance(after, ItemList):
            bodies.append(ItemList(tuple(_items(before.items, after.items))))
    return bodies


def _renumbered(before: Paragraph, after: Paragraph, old: str, new: str) -> Paragraph:
    """A clause's paragraphs compared, the standard's lead numbered as the client's (``new``)."""
    lead = tuple(Span(s.text.replace(old, new, 1), s.strong) for s in before.lead)
    return _paragraph(Paragraph(before.spans, lead), after)


#: A row of a bilingual stretch, the same in both languages; its clause's key and number.
Pair = tuple[Row, Row]
Owner = tuple[str, str]


def _parallel(before: Parallel, after: Parallel) -> Parallel:
    """A bilingual stretch: rows grouped by clause and aligned as a clause's paragraphs and items
    are (``_clauses``, ``_items``), each aligned row compared in each of its languages."""
    rows: list[Pair] = []
    owners: list[Owner] = []
    for old, new in _align(_groups(before), _groups(after), lambda group: group[0][0]):
        if old is not None and new is not None:
            for x, y in _align(old[1], new[1], _row_key, similar=_similar_rows):
                if x is not None and y is not None:
                    rows.append(
                        (_row(x[0], y[0], old[0][1], new[0][1]), _row(x[1], y[1], old[0][1], new[0][1]))
                    )
                else:
                    pair, change = _lone(x, y)
                    rows.append((_whole_row(pair[0], change), _whole_row(pair[1], change)))
                owners.append(new[0])
        else:
            (owner, pairs), change = _lone(old, new)
            rows += [(_whole_row(pair[0], change), _whole_row(pair[1], change)) for pair in pairs]
            owners += [owner] * len(pairs)
    return replace(after, rows=tuple(rows), clauses=tuple(owners))


def _groups(block: Parallel) -> list[tuple[Owner, list[Pair]]]:
    """The rows of each clause (the heading's, the preamble's) together, in order."""
    groups: list[tuple[Owner, list[Pair]]] = []
    for owner, pair in zip(block.clauses, block.rows, strict=True):
        if groups and groups[-1][0] == owner:
            groups[-1][1].append(pair)
        else:
            groups.append((owner, [pair]))
    return groups


def _row_key(pair: Pair) -> object:
    """Paragraphs align by position, items by their text, as in a one-language clause."""
    first, second = pair
    if isinstance(first, Item) and isinstance(second, Item):
        return ("item", plain(first.spans), plain(second.spans))
    return type(first).__name__


def _similar_rows(old: Pair, new: Pair) -> bool:
    """Items alike in the first language are one item changed (``_similar_items``)."""
    first, second = old[0], new[0]
    return isinstance(first, Item) and isinstance(second, Item) and _similar_items(first, second)


def _row(before: Row, after: Row, old: str, new: str) -> Row:
    """One language's half of an aligned row compared (``old``/``new``: its clause's numbers)."""
    if isinstance(before, Paragraph) and isinstance(after, Paragraph):
        return _renumbered(before, after, old, new)
    if isinstance(before, Item) and isinstance(after, Item):
        return _item(before, after)
    return after  # a chapter's heading: numbered and titled as the client's


def _whole_row(row: Row, change: Change) -> Row:
    if isinstance(row, Paragraph):
        return Paragraph(_marked(row.spans, change), _marked(row.lead, change), row.emphasized)
    if isinstance(row, Item):
        return _labelled(row, change)
    raise RenderError(_CANNOT.format(name="chapter"))


def _whole_body(body: Body, change: Change) -> Body:
    if isinstance(body, Paragraph):
        return Paragraph(_marked(body.spans, change), _marked(body.lead, change), body.emphasized)
    return ItemList(tuple(_labelled(item, change) for item in body.items))


def _paragraph(before: Paragraph, after: Paragraph) -> Paragraph:
    return Paragraph(compare(before.spans, after.spans), compare(before.lead, after.lead), after.emphasized)


def _items(before: Sequence[Item], after: Sequence[Item]) -> list[Item]:
    """Items paired by their text (the client's labels): a changed item is compared word by word."""
    merged = []
    for old, new in _align(before, after, lambda item: plain(item.spans), similar=_similar_items):
        if old is not None and new is not None:
            merged.append(_item(old, new))
        else:
            merged.append(_labelled(*_lone(old, new)))
    return merged


def _item(old: Item, new: Item) -> Item:
    """An item compared word by word, its label (the client's) moved into its spans, as ``_labelled``."""
    return Item("", (Span(new.label), *compare(old.spans, new.spans)), new.emphasized)


def _similar_items(old: Item, new: Item) -> bool:
    return SequenceMatcher(None, plain(old.spans), plain(new.spans), autojunk=False).ratio() >= 0.6


def _labelled(item: Item, change: Change) -> Item:
    """The whole item marked, its label moved into its spans so that the label is marked too."""
    return Item("", _marked((Span(item.label), *item.spans), change), item.emphasized)


def _marked(spans: Inline, change: Change) -> Inline:
    return tuple(Span(span.text, span.strong, change) for span in spans)


def compare(before: Inline, after: Inline) -> Inline:
    """``after`` with what differs from ``before`` marked, word by word (see the module's docstring)."""
    old, new = _words(before), _words(after)
    ops = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    # A match of a word or two between two changes (a 的, a comma) reads better as part of one change.
    joined: list[tuple[str, int, int, int, int]] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(ops):
        inner = 0 < index < len(ops) - 1
        if tag == "equal" and not (inner and i2 - i1 <= _SHORT):
            joined.append(("equal", i1, i2, j1, j2))
        elif joined and joined[-1][0] == "change":
            joined[-1] = ("change", joined[-1][1], i2, joined[-1][3], j2)
        else:
            joined.append(("change", i1, i2, j1, j2))
    spans: list[Span] = []
    for kind, i1, i2, j1, j2 in joined:
        if kind == "equal":
            spans += [Span(text, strong) for text, strong in new[j1:j2]]
        else:
            spans += [Span(text, strong, "deleted") for text, strong in old[i1:i2]]
            spans += [Span(text, strong, "inserted") for text, strong in new[j1:j2]]
    return _joined(spans)


def _words(spans: Inline) -> list[tuple[str, bool]]:
    return [(word, span.strong) for span in spans for word in _WORD.findall(span.text)]


def _joined(spans: list[Span]) -> Inline:
    """Neighbouring spans of the same kind as one span."""
    out: list[Span] = []
    for span in spans:
        if out and (out[-1].strong, out[-1].change) == (span.strong, span.change):
            out[-1] = Span(out[-1].text + span.text, span.strong, span.change)
        else:
            out.append(span)
    return tuple(out)


def _lone(old: T | None, new: T | None) -> tuple[T, Change]:
    """The element of an unmatched pair, and whether the client's version added or removed it."""
    if new is not None:
        return new, "inserted"
    assert old is not None
    return old, "deleted"


def _align(
    before: Sequence[T],
    after: Sequence[T],
    key: Callable[[T], object],
    similar: Callable[[T, T], bool] | None = None,
) -> list[tuple[T | None, T | None]]:
    """Pairs in the client's order: (old, new) matched, (old, None) removed, (None, new) added.

    Elements are matched by ``key``; where a stretch of one version was
    replaced by a stretch of the other, ``similar`` pairs each new element
    with the next old one like it (a changed list item), in order, and what
    it does not pair is removed and added.
    """
    pairs: list[tuple[T | None, T | None]] = []
    matcher = SequenceMatcher(None, [key(x) for x in before], [key(x) for x in after], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += list(zip(before[i1:i2], after[j1:j2], strict=True))
            continue
        old, added = list(before[i1:i2]), []
        for x in after[j1:j2]:
            match = next((k for k, y in enumerate(old) if similar is not None and similar(y, x)), None)
            if match is None:
                added.append(x)
                continue
            # Removed before added, as a reader expects a replaced passage.
            pairs += [(y, None) for y in old[:match]] + [(None, y) for y in added] + [(old[match], x)]
            old, added = old[match + 1 :], []
        pairs += [(y, None) for y in old] + [(None, y) for y in added]
    return pairs
