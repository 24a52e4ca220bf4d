"""``agreement diff``: where a client's contract departs from the company standard."""

from __future__ import annotations

from pathlib import Path

import click

from .options import layer_options


@click.command()
@click.argument("standard", type=click.Path(path_type=Path))
@click.argument("client", type=click.Path(path_type=Path))
@layer_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "md"]),
    default="text",
    show_default=True,
    help="text for a terminal, json for a script, md for a ticket or an e-mail.",
)
def diff(
    standard: Path,
    client: Path,
    bases: tuple[Path, ...],
    sets: tuple[str, ...],
    clause_dirs: tuple[Path, ...],
    fmt: str,
) -> None:
    """Report how CLIENT departs from STANDARD: parameters, clauses, consistency warnings.

    CLIENT is layered over STANDARD, as by `generate CLIENT --base STANDARD`
    (--base files go under both, --set applies to CLIENT). The standard version
    takes from CLIENT only the contract number, the customer and the signing
    date. Exits 0 whenever the report was made, whatever it found.

    \b
    Example:
      agreement diff examples/company-standard.yaml examples/client-form-b.yaml
      agreement diff examples/company-standard.yaml client.yaml --format md > review.md
    """
    from ..diff import deviation
    from ..diff_format import RENDERERS
    from ..pipeline import Options, contract_layers, prepare

    options = Options(clause_dirs=clause_dirs)
    prepared = prepare(contract_layers(client, (*bases, standard), sets), options)
    report = deviation(
        contract_layers(None, (*bases, standard), ()), prepared, options, labels=(str(standard), str(client))
    )
    click.echo(RENDERERS[fmt](report), nl=False)
