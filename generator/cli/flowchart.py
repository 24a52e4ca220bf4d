"""``agreement flowchart``: the attachment's service flowchart alone, as SVG or PNG."""

from __future__ import annotations

from pathlib import Path

import click

from .options import parameter_options


@click.command()
@click.argument("params", nargs=-1, required=True, type=click.Path(path_type=Path))
@parameter_options
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The chart file: .svg (vector) or .png (300 dpi).",
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def flowchart(
    params: tuple[Path, ...],
    bases: tuple[Path, ...],
    sets: tuple[str, ...],
    clause_dirs: tuple[Path, ...],
    strict: bool,
    output: Path,
    force: bool,
) -> None:
    """Draw the service flowchart of one contract (PARAMS files stack, later wins).

    \b
    Example:
      agreement flowchart examples/client-form-a.yaml \\
          --base examples/company-standard.yaml -o chart.svg
    """
    from ..appendix.flowchart import build_figure
    from ..output import check_writable, write_atomic
    from ..params import file_layer
    from ..pipeline import Options, contract_layers, prepare

    kind = output.suffix.lower().lstrip(".")
    if kind not in ("svg", "png"):
        raise click.BadParameter(f"'{output}' must end in .svg or .png", param_hint="-o/--output")
    check_writable([output], force=force)
    layers = [*contract_layers(None, bases, ()), *(file_layer(p, "contract") for p in params)]
    layers += contract_layers(None, (), sets)
    prepared = prepare(layers, Options(clause_dirs=clause_dirs, strict=strict))
    figure = build_figure(prepared.params.agreement, prepared.labels)
    write_atomic(output, figure.svg if kind == "svg" else figure.png)
    click.echo(f"wrote {output}")
