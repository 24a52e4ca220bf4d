"""``agreement validate``: check parameter files without generating anything."""

from __future__ import annotations

from pathlib import Path

import click

from .options import language_options, parameter_options, print_params


@click.command()
@click.argument("params", nargs=-1, required=True, type=click.Path(path_type=Path))
@parameter_options
@language_options
@click.option("--show-params", is_flag=True, help="Print the final parameters and where each came from.")
@click.option(
    "--against",
    type=click.Path(path_type=Path),
    metavar="STANDARD",
    help="After validating, print how each contract departs from STANDARD (as `agreement diff`).",
)
def validate(
    params: tuple[Path, ...],
    bases: tuple[Path, ...],
    sets: tuple[str, ...],
    clause_dirs: tuple[Path, ...],
    strict: bool,
    show_params: bool,
    against: Path | None,
) -> None:
    """Validate each PARAMS file (one contract each) and run the consistency rules.

    \b
    Example:
      agreement validate client.yaml --base examples/company-standard.yaml
      agreement validate client.yaml --base examples/company-standard.yaml \\
          --against examples/company-standard.yaml
    """
    from ..pipeline import Options, check_text, contract_layers, prepare

    options = Options(clause_dirs=clause_dirs, strict=strict)
    for path in params:
        prepared = prepare(contract_layers(path, bases, sets), options)
        check_text(prepared)
        for finding in prepared.findings:
            click.echo(f"{path}: {finding}", err=True)
        if show_params:
            print_params(prepared.params)
        click.echo(f"ok: {path} ({prepared.params.agreement.contract_no})")
        if against is not None:
            from ..diff import deviation
            from ..diff_format import as_text

            standard = contract_layers(None, (*bases, against), ())
            click.echo(as_text(deviation(standard, prepared, options, labels=(str(against), str(path)))))
