"""The small Markdown dialect of clause snippets.

Clauses need paragraphs, lists of items and bold terms, nothing else:
headings and numbers come from the manifest, so a snippet cannot break the
contract's structure.  Raw HTML has no meaning here; it stays text.

A paragraph or list item that starts with ``> `` is a standard term (格式条款)
that must be brought to the customer's attention: it is emphasised as a
whole, and the acknowledgement above the signatures refers to it
(民法典 第496条第二款).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Inline, Span
from .render import PLACEHOLDER

_ITEM = re.compile(r"^\s*[-*]\s+")
_STANDARD_TERM = re.compile(r"^>\s+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class ParsedParagraph:
    spans: Inline
    #: Marked ``> ``: a standard term, emphasised as a whole.
    emphasized: bool = False


@dataclass(frozen=True)
class ParsedList:
    items: tuple[ParsedParagraph, ...]


Parsed = ParsedParagraph | ParsedList


def parse(markdown: str, values: list[str]) -> list[Parsed]:
    """Split rendered snippet text into paragraphs and lists, then restore the values."""
    blocks: list[Parsed] = []
    for chunk in re.split(r"\n\s*\n", markdown.strip()):
        lines = [line for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if _ITEM.match(lines[0]):
            items: list[list[str]] = []
            for line in lines:
                if _ITEM.match(line):
                    items.append([_ITEM.sub("", line)])
                else:
                    items[-1].append(line)
            blocks.append(ParsedList(tuple(_paragraph(_join(item), values) for item in items)))
        else:
            blocks.append(_paragraph(_join(lines), values))
    return blocks


def _paragraph(text: str, values: list[str]) -> ParsedParagraph:
    marked = _STANDARD_TERM.match(text)
    if marked:
        return ParsedParagraph(_inline(text[marked.end() :], values), emphasized=True)
    return ParsedParagraph(_inline(text, values))


def _join(lines: list[str]) -> str:
    """Join wrapped lines: Chinese needs no space at a line break, Latin words do."""
    text = lines[0].strip()
    for line in lines[1:]:
        line = line.strip()
        spaced = _ASCII_WORD.match(text[-1:]) and _ASCII_WORD.match(line[:1])
        text += (" " if spaced else "") + line
    return text


def _inline(text: str, values: list[str]) -> Inline:
    """``**bold**`` toggles emphasis; ``\\*`` is a literal asterisk; placeholders become values."""
    spans: list[Span] = []
    strong = False
    for index, piece in enumerate(re.split(r"(?<!\\)\*\*", text)):
        if index:
            strong = not strong
        piece = piece.replace("\\*", "*")
        piece = PLACEHOLDER.sub(lambda m: values[int(m.group(1))], piece)
        if piece:
            spans.append(Span(piece, strong))
    return _merge(spans)


def _merge(spans: list[Span]) -> Inline:
    merged: list[Span] = []
    for span in spans:
        if merged and merged[-1].strong == span.strong:
            merged[-1] = Span(merged[-1].text + span.text, span.strong)
        else:
            merged.append(span)
    return tuple(merged)
