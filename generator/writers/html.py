"""The HTML writer: the document model as print-ready HTML (the PDF writer's input).

The template is autoescaped, so every value the model carries is text.  A
standalone file (``-f html``) carries the stylesheet inline and names fonts
by family, so WeasyPrint alone renders it to the same PDF.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from itertools import zip_longest
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from markupsafe import Markup, escape

from ..errors import RenderError
from ..model import (
    BLANK,
    Attachment,
    Chapter,
    Document,
    Field,
    ItemList,
    Notice,
    Paragraph,
    Parallel,
    Parties,
    PartyDetails,
    Signatures,
)
from ..params.languages import by_script
from ..resources import builtin

#: The signature fields, one per party in the order of the signature blocks.
SEAL_FIELDS = ("PartyA", "PartyB")
#: The id (a WeasyPrint anchor) of each field's reserved seal area.
SEAL_ANCHORS = tuple(f"seal-{name}" for name in SEAL_FIELDS)

_KNOWN = (Parties, Paragraph, Chapter, Notice, Signatures, Attachment, ItemList, Parallel)


def _with_kinds(blocks: tuple[Any, ...]) -> list[tuple[str, Any]]:
    """Pair each block with its type name; a node this writer does not know is an error."""
    for block in blocks:
        if not isinstance(block, _KNOWN):
            raise RenderError(f"the HTML writer cannot render a {type(block).__name__}")
    return [(type(block).__name__, block) for block in blocks]


#: What English hyphenation must never split: e-mail addresses, URLs, and runs of capitals
#: (an amount in words, SAY RENMINBI TEN THOUSAND ONLY; a contract number, HX-AS-2026-0158).
_CAPS = r"(?=[A-Z0-9-]*[A-Z]{2})[A-Z0-9][A-Z0-9-]*"
_UNHYPHENATED = re.compile(
    "|".join(
        (
            r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
            r"(?:https?://|www\.)[^\s，。；）)]*[^\s，。；）).,;:]",
            rf"(?<![A-Za-z0-9-]){_CAPS}(?:\s+{_CAPS})*(?![A-Za-z0-9-])",
        )
    )
)


def _unhyphenated(text: str) -> Markup:
    """``text`` escaped, with what hyphenation must not split in ``<span class="nohyph">``."""
    parts, end = [], 0
    for found in _UNHYPHENATED.finditer(text):
        parts += [escape(text[end : found.start()]), Markup('<span class="nohyph">'), escape(found.group())]
        parts.append(Markup("</span>"))
        end = found.end()
    return Markup("").join([*parts, escape(text[end:])])


def _line(text: str, language: str) -> Markup:
    """A label or a value on a line of its own.  In a bilingual contract such a line is joined
    from both languages (「甲方（盖章）/ Party A (Company Chop)」): its English parts are put in
    ``<span lang="en">``, set in the Latin serif as the DOCX sets them, and, being names and
    labels, never hyphenated."""
    if "+" not in language:
        return _unhyphenated(text)
    return Markup("").join(
        Markup('<span lang="en" class="nohyph">{}</span>').format(part)
        if language == "en"
        else _unhyphenated(part)
        for language, part in by_script(text)
    )


def _css_string(text: str) -> str:
    return re.sub(r'["\\\n]', lambda m: "\\" + format(ord(m.group()), "x") + " ", text)


def _rest_rows(parties: tuple[PartyDetails, ...]) -> list[tuple[Field | None, ...]]:
    """The lines under the seal lines, side by side; a block with fewer lines leaves cells empty."""
    if len(parties) > len(SEAL_FIELDS):
        raise RenderError(
            f"the HTML writer has seal areas for {len(SEAL_FIELDS)} parties, not {len(parties)}"
        )
    return list(zip_longest(*(party.fields[1:] for party in parties)))


@cache
def _template() -> Template:
    env = Environment(
        loader=FileSystemLoader(builtin("templates") / "html"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
    )
    env.filters.update(
        with_kinds=_with_kinds,
        css_string=_css_string,
        unhyphenated=_unhyphenated,
        line=_line,
        b64=lambda data: base64.b64encode(data).decode("ascii"),
        zip_rows=lambda columns: list(zip(*columns, strict=True)),
        changed=lambda spans: any(span.change for span in spans),
        rest_rows=_rest_rows,
        kind=lambda node: type(node).__name__,
    )
    return env.get_template("contract.html.j2")


@cache
def stylesheet() -> str:
    """The print stylesheet, read once per process."""
    return (builtin("templates") / "html" / "contract.css").read_text(encoding="utf-8")


def render_html(document: Document, *, standalone: bool = True, marked: frozenset[str] = frozenset()) -> str:
    """The contract as HTML; without ``standalone`` the stylesheet is left for the caller.

    Clauses whose key is in ``marked`` are wrapped in ``<div class="deviates">``
    (the web preview highlights the clauses that differ from the standard).
    """
    return _template().render(
        meta=document.meta,
        blocks=_with_kinds(document.blocks),
        stylesheet=stylesheet() if standalone else "",
        blank=BLANK,
        seal_anchors=SEAL_ANCHORS,
        deviating=marked,
    )
