"""The deviation report: where a client's contract departs from the company standard.

A reviewing lawyer approves what sales changed, so the report answers three
questions: which parameters differ (standard value → client value), which
clauses read differently because of them, and which consistency warnings the
client's version adds.  Clauses are compared as built, through the one
pipeline, so the report cannot disagree with the documents.

The two versions compared are complete contracts.  The client's is what
``generate`` would produce.  The standard version is the standard's file
(over the template defaults and any ``--base`` files) with the client's
*own* values, the ones no standard can state: the contract number, the
customer and the signing date.  So the report lists terms, never the
customer's address.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from .checks import Finding
from .errors import ParameterError, Problem
from .model import Attachment, Chapter, Clause, Document, ItemList, plain
from .params import Layer
from .params.languages import borrowed_texts
from .params.layers import Merged, merge
from .params.sources import Key
from .params.sources import dotted as dotted_key
from .pipeline import Options, Prepared, build, build_language, prepare

#: Keys that belong to one contract, never to a standard: the standard version takes them from the client.
OWN_KEYS = ("contract_no", "customer", "signing.date")
#: The contract's form, not its terms: a redline's standard version is written in the client's.
FORM_KEYS = ("language", "bilingual.layout")

Change = Literal["changed", "added", "removed"]


@dataclass(frozen=True)
class ParameterChange:
    """One parameter that differs; values as in a parameter file (``None`` when not set)."""

    key: str
    standard: Any
    client: Any


@dataclass(frozen=True)
class ClauseChange:
    """A clause or attachment whose text differs; ``number`` is empty for an attachment."""

    key: str
    number: str
    title: str
    change: Change


@dataclass(frozen=True)
class Report:
    standard: str
    client: str
    parameters: tuple[ParameterChange, ...]
    clauses: tuple[ClauseChange, ...]
    #: Consistency findings of the client's version that the standard version does not have.
    findings: tuple[Finding, ...]


def standard_layers(
    standard: list[Layer], client: Prepared, origin: str, *, in_client_form: bool = False
) -> list[Layer]:
    """The standard's layers, completed with the client's own values (``OWN_KEYS``).

    A cleared layer comes first so that the client's customer replaces the
    standard's (if it names one) whole instead of merging into it.  With
    ``in_client_form`` (a redline, which shows the client's contract) the
    version is also written in the client's languages and layout
    (``FORM_KEYS``), its texts in every language: the standard's, or the
    client's translation of the same text (``borrowed_texts``); a text with
    neither is a ``ParameterError`` naming its key.
    """
    cleared: dict[str, Any] = {}
    own: dict[str, Any] = {}
    for dotted in OWN_KEYS + FORM_KEYS * in_client_form:
        path = dotted.split(".")
        found, value = _lookup(client.params.merged, path)
        if found:
            _put(cleared, path, None)
            _put(own, path, copy.deepcopy(value))
    layers = [*standard, Layer("contract", origin, cleared), Layer("contract", origin, own)]
    if not in_client_form:
        return layers
    ours = merge(standard)
    skipped = tuple(tuple(key.split(".")) for key in OWN_KEYS)
    texts, missing = borrowed_texts(ours.tree, client.params.merged.tree, skipped)
    if missing:
        raise ParameterError(
            [f"{_where(ours, key)}: {dotted_key(key)}: {message}" for key, message in missing],
            keys=[Problem(dotted_key(key), "language") for key, _ in missing],
        )
    return [*layers, Layer("contract", origin, texts)]


def redline_refusal(standard: list[Layer], client: Prepared) -> str | None:
    """Why no redline of ``client`` can be made (a standard text without the client's
    language, see ``standard_layers``), or ``None``; cheap: nothing is built."""
    try:
        standard_layers(standard, client, "client", in_client_form=True)
    except ParameterError as error:
        return str(error)
    return None


def _where(merged: Merged, key: Key) -> str:
    """Where the standard set ``key``, for an error about its redline version."""
    origin = merged.origin_of(key)
    return f"redline's standard version ({origin.where if origin else 'standard'})"


def _lookup(merged: Merged, path: list[str]) -> tuple[bool, Any]:
    node: Any = merged.tree
    for name in path:
        if not isinstance(node, dict) or name not in node:
            return False, None
        node = node[name]
    return True, node


def _put(tree: dict[str, Any], path: list[str], value: Any) -> None:
    for name in path[:-1]:
        tree = tree.setdefault(name, {})
    tree[path[-1]] = value


def deviation(
    standard: list[Layer],
    client: Prepared,
    options: Options,
    *,
    labels: tuple[str, str],
    client_doc: Document | None = None,
) -> Report:
    """Prepare and build the standard version of ``client`` and compare the two.

    The standard version's warnings never stop the comparison (the client's
    that it lacks are what the report shows); an error in it does, as it
    would stop ``generate``.  A caller that has built ``client`` already
    (the web page, for its preview) passes it as ``client_doc``.
    """
    (standard_prepared, standard_doc), client_doc = versions(
        standard, client, options, origin=labels[1], client_doc=client_doc
    )
    language = standard_doc.meta.language
    if "+" in client_doc.meta.language and language in client_doc.meta.language.split("+"):
        # A bilingual contract's clauses are rows of both languages: its text in the
        # standard's language is what differs from the standard's (or does not).
        client_doc = build_language(client, Options(clause_dirs=options.clause_dirs), language)
    return compare(standard_prepared, standard_doc, client, client_doc, labels=labels)


def versions(
    standard: list[Layer],
    client: Prepared,
    options: Options,
    *,
    origin: str,
    client_doc: Document | None = None,
    in_client_form: bool = False,
) -> tuple[tuple[Prepared, Document], Document]:
    """The standard version of ``client`` prepared and built, and the client's contract built
    (unless the caller built it already and passes it as ``client_doc``).

    The deviation report compares the two; the redline (``generator.redline``) marks one
    against the other, and wants the standard version ``in_client_form`` (``standard_layers``).
    """
    lenient = Options(clause_dirs=options.clause_dirs)
    layers = standard_layers(standard, client, origin, in_client_form=in_client_form)
    standard_prepared = prepare(layers, lenient)
    return (standard_prepared, build(standard_prepared, lenient)), client_doc or build(client, lenient)


def compare(
    standard: Prepared,
    standard_doc: Document,
    client: Prepared,
    client_doc: Document,
    *,
    labels: tuple[str, str],
) -> Report:
    """The report for two prepared and built contracts (no files read, nothing written)."""
    before = leaves(standard.params.agreement.model_dump(mode="json"))
    after = leaves(client.params.agreement.model_dump(mode="json"))
    parameters = tuple(
        ParameterChange(key, before.get(key), after.get(key))
        for key in [*after, *(key for key in before if key not in after)]
        if before.get(key) != after.get(key)
    )
    # By code and key: a playbook code (P002, say) stands for one limit on many keys.
    known = {(finding.rule.code, finding.rule.key) for finding in standard.findings}
    return Report(
        standard=labels[0],
        client=labels[1],
        parameters=parameters,
        clauses=_clause_changes(standard_doc, client_doc),
        findings=tuple(f for f in client.findings if (f.rule.code, f.rule.key) not in known),
    )


def leaves(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings flattened to dotted keys; lists stay whole, as a file would give them."""
    flat: dict[str, Any] = {}
    for name, value in tree.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(leaves(value, f"{key}."))
        else:
            flat[key] = value
    return flat


def _clause_changes(standard: Document, client: Document) -> tuple[ClauseChange, ...]:
    """Clauses and attachments whose text differs, in the client's order; removed ones last."""
    before, after = _texts(standard), _texts(client)
    changes = []
    for key, (number, title, text) in after.items():
        if key not in before:
            changes.append(ClauseChange(key, number, title, "added"))
        elif before[key][2] != text:
            changes.append(ClauseChange(key, number, title, "changed"))
    for key, (number, title, _) in before.items():
        if key not in after:
            changes.append(ClauseChange(key, number, title, "removed"))
    return tuple(changes)


def _texts(document: Document) -> dict[str, tuple[str, str, Any]]:
    """Each clause and attachment by key: number, title, and what a reader sees of it.

    The lead (number and title) is left out of the text, so a clause that
    only moved because another was added does not count as changed.
    """
    texts: dict[str, tuple[str, str, Any]] = {}
    for block in document.blocks:
        if isinstance(block, Chapter):
            for clause in block.clauses:
                texts[clause.key] = (clause.number, clause.title, _clause_text(clause))
        elif isinstance(block, Attachment):
            texts[block.key] = ("", block.heading, (block.figure.description, block.figure.svg))
    return texts


def _clause_text(clause: Clause) -> str:
    lines: list[str] = []
    for body in clause.body:
        if isinstance(body, ItemList):
            lines.extend(item.label + plain(item.spans) for item in body.items)
        else:
            lines.append(plain(body.spans))
    return "\n".join(lines)


def redline_file(
    standard: list[Layer], client: Prepared, options: Options, fmt: str, *, author: str, origin: str
) -> bytes:
    """The redline of ``client`` against its standard version, as ``fmt`` (docx or pdf) bytes.

    What ``agreement diff --format docx|pdf`` writes; the web app and the
    team server call this (or ``redline`` and ``render`` on any two
    built versions) to serve the same bytes.  The DOCX opens with change
    tracking on, so the reviewer's own edits are tracked too.
    """
    (_, standard_doc), client_doc = versions(standard, client, options, origin=origin, in_client_form=True)
    return redline_between(standard_doc, client_doc, client.library.roots, fmt, author=author)


def redline_between(
    before: Document, after: Document, roots: tuple[Path, ...], fmt: str, *, author: str
) -> bytes:
    """``after`` marked against ``before`` (two built versions of a contract) as ``fmt`` bytes.

    ``roots`` are ``after``'s clause library roots (its flowchart and
    pictures).  The team server calls this for any two stored versions.
    """
    from .pipeline import render
    from .redline import PDF_MARK, redline
    from .writers.editing import Editing

    marked = redline(before, after)
    if fmt == "pdf":
        # A printed redline must not pass for the contract; the DOCX may become it, by accepting.
        marked = replace(marked, meta=replace(marked.meta, draft_mark=PDF_MARK))
    editing = Editing(track_changes=True, author=author)
    return render(marked, (fmt,), roots, editing=editing)[fmt]
