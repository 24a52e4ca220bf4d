"""One contract, start to finish: layers → parameters → checks → model → files.

Everything the CLI's ``generate`` does and everything a batch worker does
per row goes through ``prepare`` and ``render`` here, so there is one code
path to test and to measure.  Costly set-up (clause templates, fonts,
stylesheet, flowcharts) is cached per process by the modules that own it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .checks import Finding, check
from .clauses.library import Library, load_library, load_manifest
from .errors import ConsistencyError
from .model import Attachment, Document, Figure
from .output import check_writable, safe_stem, write_together
from .params import Agreement, Layer, Parameters, file_layer, resolve, set_layers
from .playbook import split_playbook
from .writers.editing import UNTRACKED, Editing

if TYPE_CHECKING:
    from .build import FigureMaker
    from .writers.pdf import PdfOptions
    from .writers.pdf_process import PdfProcess

FORMATS = ("docx", "pdf", "html")


@dataclass(frozen=True)
class Options:
    """How to generate, independent of any one contract."""

    clause_dirs: tuple[Path, ...] = ()
    draft: bool = False
    strict: bool = False
    #: How the DOCX lets its recipient edit (tracked changes, protection).
    editing: Editing = UNTRACKED
    #: Empty signature fields (PartyA, PartyB) over the seal areas of the PDF.
    sign_fields: bool = False
    #: The PDF as PDF/A-3b, carrying its parameter file.
    pdf_a: bool = False

    def render_label(self, fingerprint: str) -> str:
        """The options that change a file's bytes beyond the parameters, for a batch manifest:
        the DOCX's editing (``Editing.label``) and the PDF's extras; "" for none."""
        tags = (self.editing.label(fingerprint), "sign-fields" * self.sign_fields, "pdf-a" * self.pdf_a)
        return ";".join(tag for tag in tags if tag)


@dataclass
class Timings:
    """Seconds spent per stage, summed over contracts (read by the benchmark).

    Stages nest: "clauses" and "flowchart" are part of "model".
    """

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


@dataclass(frozen=True)
class Prepared:
    """A contract whose parameters are valid and consistent, ready to render."""

    params: Parameters
    #: The clause library of the contract's first language.
    library: Library
    findings: tuple[Finding, ...]
    #: Every language's library, first language first (a bilingual contract has two).
    libraries: tuple[Library, ...] = ()

    @property
    def labels(self) -> list[tuple[str, dict[str, Any]]]:
        """(language, locale) of every language of the contract: what the flowchart is labelled in."""
        return [(library.language, library.locale) for library in self.libraries or (self.library,)]


def contract_layers(contract: Path | None, bases: tuple[Path, ...], sets: tuple[str, ...]) -> list[Layer]:
    """The user's layers for one contract, weakest first (template defaults come later)."""
    layers = [file_layer(base, "base") for base in bases]
    if contract is not None:
        layers.append(file_layer(contract, "contract"))
    return [*layers, *set_layers(sets)]


@cache
def defaults_layer(template: str) -> Layer:
    """The template's defaults, the weakest layer of every contract (read once per process)."""
    return file_layer(load_manifest(template).defaults, "defaults")


def template_of(layers: list[Layer]) -> str:
    """The template the strongest layer that names one names (the default: after-sales)."""
    return next(
        (str(layer.tree["template"]) for layer in reversed(layers) if "template" in layer.tree),
        "after-sales",
    )


def examine(layers: list[Layer], options: Options, timings: Timings | None = None) -> Prepared:
    """Validate one contract's parameters and run the consistency rules; raise only on invalid values.

    The findings, errors among them, are returned for a caller that shows
    them all (the web page); ``prepare`` is what refuses to go on.
    """
    timings = timings or Timings()
    with timings.stage("parameters"):
        template = template_of(layers)
        playbook, layers = split_playbook([defaults_layer(template), *layers])
        params = resolve(layers)
        libraries = tuple(load_library(template, lang, options.clause_dirs) for lang in params.languages)
        if params.languages != ("zh-CN",):
            # A translation out of step with its original is never used (no mixture of versions).
            from .clauses.parity import check_languages

            check_languages(template, params.languages, options.clause_dirs)
        findings = (*check(params.agreement), *playbook.check(params.agreement))
    return Prepared(params, libraries[0], findings, libraries)


def finding_message(prepared: Prepared, finding: Finding) -> str:
    """A finding as every front door words it: where the key's value was set, then the rule."""
    origin = prepared.params.merged.origin_of(tuple(finding.rule.key.split(".")))
    return f"{origin.where if origin else 'parameters'}: {finding}"


def blocking(prepared: Prepared, options: Options) -> list[Finding]:
    """The findings that stop generation: errors, and with ``strict`` warnings too."""
    return [f for f in prepared.findings if f.rule.severity == "error" or options.strict]


def prepare(layers: list[Layer], options: Options, timings: Timings | None = None) -> Prepared:
    """Validate and check one contract's parameters; raise if it must not be generated."""
    prepared = examine(layers, options, timings)
    stopping = blocking(prepared, options)
    if stopping:
        raise ConsistencyError("\n".join(finding_message(prepared, f) for f in stopping))
    return prepared


def build(prepared: Prepared, options: Options, timings: Timings | None = None) -> Document:
    """The document model of a prepared contract (imported here: ``validate`` needs no Jinja)."""
    timings = timings or Timings()
    with timings.stage("model"):
        documents = [
            _in_language(prepared, library, options, timings)
            for library in prepared.libraries or (prepared.library,)
        ]
        if len(documents) == 1:
            return documents[0]
        from .bilingual import pair_documents

        return pair_documents(documents[0], documents[1], prepared.params.agreement.bilingual.layout)


def build_language(prepared: Prepared, options: Options, language: str) -> Document:
    """The model of a bilingual contract in one of its languages alone (the deviation report
    compares its clauses with a one-language standard's)."""
    library = next(library for library in prepared.libraries if library.language == language)
    return _in_language(prepared, library, options, Timings())


def _in_language(prepared: Prepared, library: Library, options: Options, timings: Timings) -> Document:
    from .build import build_document

    return build_document(
        prepared.params.in_language(library.language),
        library,
        _timed_figure(timings),
        draft=options.draft,
        stage=timings.stage,
        labels=prepared.labels,
    )


def check_text(prepared: Prepared) -> None:
    """Render every clause that applies, so a broken (user) clause fails as it would in generate."""
    from .build import render_text

    for library in prepared.libraries or (prepared.library,):
        render_text(prepared.params.in_language(library.language), library)


def _timed_figure(timings: Timings) -> FigureMaker:
    from .appendix.flowchart import build_figure

    def figure(agreement: Agreement, labels: Sequence[tuple[str, dict[str, Any]]]) -> Figure:
        with timings.stage("flowchart"):
            return build_figure(agreement, labels)

    return figure


def pdf_options(prepared: Prepared, document: Document, options: Options) -> PdfOptions:
    """The PDF writer's options for a contract: signature fields, PDF/A with its parameter file."""
    from .signing.embedded import parameter_file
    from .writers.pdf import PdfOptions

    source = parameter_file(prepared.params) if options.pdf_a else None
    return PdfOptions.of(document, sign_fields=options.sign_fields, source=source)


def render(
    document: Document,
    formats: tuple[str, ...],
    roots: tuple[Path, ...],
    timings: Timings | None = None,
    pdf_process: PdfProcess | None = None,
    editing: Editing = UNTRACKED,
    pdf_options: PdfOptions | None = None,
) -> dict[str, bytes]:
    """The contract's bytes in each requested format (writers are imported on first use).

    With ``pdf_process`` the PDF is laid out and written there, while this
    process makes the other formats.  ``editing`` is the DOCX's (the web
    app passes it as the CLI does); ``pdf_options`` (``pdf_options()``)
    adds signature fields or makes a PDF/A; a plain PDF without.
    """
    timings = timings or Timings()
    outputs: dict[str, bytes] = {}
    pending: Callable[[], bytes] | None = None
    if "docx" in formats:
        for block in document.blocks:
            if isinstance(block, Attachment):
                block.figure.raster.start()
    # The PDF first: meanwhile the figures' PNGs, which only the DOCX needs, are drawn.
    for fmt in sorted(formats, key=lambda fmt: fmt != "pdf"):
        if fmt == "docx":
            from .writers.docx import render_docx

            with timings.stage("docx"):
                outputs[fmt] = render_docx(document, editing)
        elif fmt == "html":
            from .writers.html import render_html

            with timings.stage("html"):
                outputs[fmt] = render_html(document).encode()
        elif fmt == "pdf":
            from .writers import pdf
            from .writers.html import render_html

            extras = pdf_options or pdf.PLAIN
            with timings.stage("html"):
                html = render_html(document, standalone=False)
            if pdf_process is not None:
                pending = pdf_process.submit(html, roots, pdf.identifier(document), extras)
                continue
            with timings.stage("pdf layout"):
                laid_out = pdf.layout(html, roots)
            with timings.stage("pdf write"):
                outputs[fmt] = pdf.write(laid_out, document, extras)
    if pending is not None:
        with timings.stage("pdf (other process)"):
            outputs["pdf"] = pending()
    return outputs


def generate(
    layers: list[Layer],
    out_dir: Path,
    formats: tuple[str, ...],
    options: Options,
    *,
    force: bool = False,
    stem: str | None = None,
    timings: Timings | None = None,
    pdf_process: PdfProcess | None = None,
) -> tuple[list[Path], Prepared]:
    """Generate one contract into ``out_dir``; nothing is written unless all of it renders."""
    prepared = prepare(layers, options, timings)
    name = stem or safe_stem(prepared.params.agreement.contract_no)
    targets = [out_dir / f"{name}.{fmt}" for fmt in formats]
    check_writable(targets, force=force)
    document = build(prepared, options, timings)
    outputs = render(
        document,
        formats,
        prepared.library.roots,
        timings,
        pdf_process,
        editing=options.editing,
        pdf_options=pdf_options(prepared, document, options),
    )
    write_together({target: outputs[fmt] for target, fmt in zip(targets, formats, strict=True)})
    return targets, prepared
