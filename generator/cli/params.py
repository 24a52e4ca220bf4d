"""``agreement params``: print the parameter file a PDF/A contract carries."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("contract", type=click.Path(path_type=Path, dir_okay=False))
def params(contract: Path) -> None:
    """Print the parameter file embedded in CONTRACT (made with --pdf-a), as YAML.

    Generating it again over the same --base files gives the same PDF bytes.

    \b
    Example:
      agreement params HX-AS-2026-0158.pdf > HX-AS-2026-0158.yaml
      agreement generate HX-AS-2026-0158.yaml --base examples/company-standard.yaml --pdf-a
    """
    from ..signing.extract import parameter_file
    from ..signing.sign import read_input

    click.echo(parameter_file(read_input(contract)), nl=False)
