"""``agreement generate``: one contract per parameter file, as DOCX, PDF and/or HTML."""

from __future__ import annotations

from pathlib import Path

import click

from .options import (
    draft_option,
    editing_of,
    editing_options,
    language_options,
    output_options,
    parameter_options,
    pdf_extra_options,
    print_params,
    warn_if_pdf_is_slow,
)


@click.command()
@click.argument("params", nargs=-1, required=True, type=click.Path(path_type=Path))
@parameter_options
@output_options("Folder for the contracts.")
@click.option("--force", is_flag=True, help="Replace contracts that already exist.")
@draft_option
@language_options
@editing_options
@pdf_extra_options
@click.option("--show-params", is_flag=True, help="Print the final parameters and where each came from.")
def generate(
    params: tuple[Path, ...],
    bases: tuple[Path, ...],
    sets: tuple[str, ...],
    clause_dirs: tuple[Path, ...],
    strict: bool,
    out_dir: Path,
    formats: tuple[str, ...],
    force: bool,
    draft: bool,
    track_changes: bool,
    protect_tracking: bool,
    protect_password_file: Path | None,
    sign_fields: bool,
    pdf_a: bool,
    show_params: bool,
) -> None:
    """Generate a contract from each PARAMS file (file names from the contract number).

    \b
    Example:
      agreement generate examples/client-form-a.yaml \\
          --base examples/company-standard.yaml -o output
      agreement generate client.yaml --set timeliness.response_hours=1 -f pdf
    """
    from ..writers.pdf_process import PdfProcess

    # First of all: WeasyPrint loads in its own process while this one works.
    pdf_process = PdfProcess.start() if "pdf" in formats else None
    try:
        from ..pipeline import Options, contract_layers
        from ..pipeline import generate as generate_one

        if pdf_process is None:
            warn_if_pdf_is_slow(formats)
        options = Options(
            clause_dirs=clause_dirs,
            draft=draft,
            strict=strict,
            editing=editing_of(track_changes, protect_tracking, protect_password_file),
            sign_fields=sign_fields,
            pdf_a=pdf_a,
        )
        for path in params:
            written, prepared = generate_one(
                contract_layers(path, bases, sets),
                out_dir,
                formats,
                options,
                force=force,
                pdf_process=pdf_process,
            )
            for finding in prepared.findings:
                click.echo(f"{path}: {finding}", err=True)
            if show_params:
                print_params(prepared.params)
            for target in written:
                click.echo(f"wrote {target}")
    finally:
        if pdf_process is not None:
            pdf_process.close()
