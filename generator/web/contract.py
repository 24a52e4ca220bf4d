"""One contract through the library's pipeline, for a page or an API call: nothing of its own.

``Site`` holds what the server read at start-up (its ``--base`` layers and
clause folders); ``evaluate`` stacks one more layer on them (a posted form,
an uploaded file, a JSON body) and runs the same steps as ``agreement
validate``, ``generate`` and ``diff``: the same errors, codes and words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..checks import Finding
from ..clauses.library import load_library
from ..diff import Report, deviation
from ..errors import AgreementError, ParameterError
from ..params import Layer, file_layer
from ..params.languages import languages_of
from ..params.layers import Merged, merge
from ..params.sources import Tree, load_text
from ..pipeline import (
    Options,
    Prepared,
    blocking,
    build,
    check_text,
    defaults_layer,
    examine,
    finding_message,
    template_of,
)
from ..playbook import Playbook, split_playbook
from .form import client_tree
from .options import RenderChoices

#: On screen, the page as a sheet, and the clauses that differ from the standard highlighted.
PREVIEW_STYLE = (
    "<style>html{background:#e9ebef}body{background:#fff;max-width:210mm;margin:12px auto;"
    "padding:18mm 16mm;box-shadow:0 1px 4px rgba(0,0,0,.2)}"
    ".deviates{background:#fff4c2;box-shadow:-6px 0 0 #f0b400}"
    "@media (max-width:600px){body{margin:0;padding:6mm 4mm}}</style>"
)
#: The deviation report's names for the two versions.
LABELS = ("公司标准 standard", "本合同 this contract")


@dataclass(frozen=True)
class Problem:
    """One error or warning as the API and the page show it; ``message`` is the CLI's line."""

    key: str
    code: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"key": self.key, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class Site:
    """What the server read once at start-up: the base layers and the clause folders."""

    bases: tuple[Layer, ...]
    base_names: tuple[str, ...]
    clause_dirs: tuple[Path, ...]
    #: The company standard's playbook: the form marks each value inside or outside it as one types.
    playbook: Playbook = field(default_factory=Playbook)

    @classmethod
    def load(cls, bases: tuple[Path, ...], clause_dirs: tuple[Path, ...]) -> Site:
        """Read the ``--base`` files and the clause folders (their errors stop the server, as the CLI)."""
        layers = tuple(file_layer(path, "base") for path in bases)
        site = cls(layers, tuple(p.name for p in bases), clause_dirs, split_playbook(list(layers))[0])
        for language in languages_of(site.base_tree().get("language", "zh-CN")):
            load_library(template_of(list(site.bases)), language, clause_dirs)
        return site

    def options(self, choices: RenderChoices) -> Options:
        return choices.apply(Options(clause_dirs=self.clause_dirs))

    def base_tree(self) -> Tree:
        """The standard: the template's defaults under the base files, unvalidated."""
        return merge([defaults_layer(template_of(list(self.bases))), *self.bases]).tree

    def layers(self, layer: Layer) -> list[Layer]:
        return [*self.bases, layer]


@dataclass
class Evaluation:
    """What the pipeline made of the server's bases plus one layer."""

    layer: Layer
    merged: Merged | None = None
    prepared: Prepared | None = None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.prepared is not None and not self.errors


def refused(site: Site, origin: str, error: AgreementError) -> Evaluation:
    """The standard's values, with the error that stopped a file or the form from being read."""
    layer = Layer("contract", origin, {})
    layers = site.layers(layer)
    merged = merge([defaults_layer(template_of(layers)), *layers])
    return Evaluation(layer, merged=merged, errors=problems_of(error))


def posted_layer(text: str, origin: str, kind: str) -> Layer:
    """An uploaded file or a JSON body as a layer, read exactly as the CLI reads a file."""
    tree, lines = load_text(text, origin, kind)
    return Layer("contract", origin, tree, lines)


def form_layer(site: Site, tree: Tree, origin: str) -> Layer:
    """The form's values as a layer holding only what differs from the standard."""
    return Layer("contract", origin, client_tree(tree, site.base_tree()))


def evaluate(site: Site, layer: Layer, options: Options) -> Evaluation:
    """Validate and check; every problem is recorded, none raised."""
    result = Evaluation(layer)
    layers = site.layers(layer)
    try:
        result.merged = merge([defaults_layer(template_of(layers)), *layers])
        prepared = examine(layers, options)
    except AgreementError as error:
        result.errors = problems_of(error)
        return result
    result.prepared = prepared
    stopping = blocking(prepared, options)
    for finding in prepared.findings:
        problem = _finding_problem(prepared, finding)
        (result.errors if finding in stopping else result.warnings).append(problem)
    if not result.errors:
        try:
            check_text(prepared)  # as `agreement validate` does: a broken (user) clause is an error
        except AgreementError as error:
            result.errors = problems_of(error)
    return result


def _finding_problem(prepared: Prepared, finding: Finding) -> Problem:
    return Problem(finding.rule.key, finding.rule.code, finding_message(prepared, finding))


def problems_of(error: AgreementError) -> list[Problem]:
    """An error of the library as problems: one per problem of a ``ParameterError``."""
    if isinstance(error, ParameterError):
        keys = error.keys
        return [
            Problem(
                keys[i].key if i < len(keys) else "", keys[i].code if i < len(keys) else "parameters", text
            )
            for i, text in enumerate(error.problems)
        ]
    code = type(error).__name__.removesuffix("Error").lower()
    return [Problem("", code, str(error))]


@dataclass(frozen=True)
class Preview:
    """The contract as the preview shows it, and its deviation from the standard."""

    html: str
    report: Report | None
    #: Why there is no report (the standard version itself does not validate).
    report_error: str | None


def preview(site: Site, evaluation: Evaluation, options: Options) -> Preview:
    """Build the model once: the HTML writer's page with the deviating clauses marked, and the report."""
    from ..writers.html import render_html

    prepared = evaluation.prepared
    assert prepared is not None, "preview of an invalid contract"
    document = build(prepared, options)
    report: Report | None = None
    report_error = None
    try:
        report = deviation(list(site.bases), prepared, options, labels=LABELS, client_doc=document)
    except AgreementError as error:
        report_error = str(error)
    marked = frozenset(c.key for c in report.clauses) if report else frozenset()
    html = render_html(document, marked=marked).replace("</head>", f"{PREVIEW_STYLE}</head>", 1)
    return Preview(html, report, report_error)
