"""``agreement diff``: where a client's contract departs from the company standard."""

from __future__ import annotations

from pathlib import Path

import click

from .options import layer_options

#: Formats that are a redline file rather than a report on standard output.
REDLINES = ("docx", "pdf")


@click.command()
@click.argument("standard", type=click.Path(path_type=Path))
@click.argument("client", type=click.Path(path_type=Path))
@layer_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "md", *REDLINES]),
    default="text",
    show_default=True,
    help="text for a terminal, json for a script, md for a ticket or an e-mail; "
    "docx or pdf for a redline of the client's contract (needs -o).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Write the report or redline to FILE (standard output for a report without -o).",
)
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option(
    "--author",
    default="合同生成系统",
    show_default=True,
    help="The name on the redline's tracked changes and comments.",
)
def diff(
    standard: Path,
    client: Path,
    bases: tuple[Path, ...],
    sets: tuple[str, ...],
    clause_dirs: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    force: bool,
    author: str,
) -> None:
    """Report how CLIENT departs from STANDARD: parameters, clauses, consistency warnings.

    CLIENT is layered over STANDARD, as by `generate CLIENT --base STANDARD`
    (--base files go under both, --set applies to CLIENT). The standard version
    takes from CLIENT only the contract number, the customer and the signing
    date. Exits 0 whenever the report was made, whatever it found.

    With --format docx or pdf, writes the client's contract as a redline:
    every difference from the standard version as a tracked insertion or
    deletion (DOCX: accept or reject each in Word), or underlined and struck
    through with a change bar (PDF). The redline's standard version is
    written in CLIENT's languages and layout; a text the standard gives
    without English takes CLIENT's English where CLIENT's Chinese of it is
    the standard's.

    \b
    Example:
      agreement diff examples/company-standard.yaml examples/client-form-b.yaml
      agreement diff examples/company-standard.yaml client.yaml --format md > review.md
      agreement diff examples/company-standard.yaml client.yaml --format docx -o redline.docx
    """
    from ..diff import deviation, redline_file
    from ..diff_format import RENDERERS
    from ..output import check_writable, write_together
    from ..pipeline import Options, contract_layers, prepare

    if fmt in REDLINES and output is None:
        raise click.UsageError(f"--format {fmt} writes a file: give it with -o FILE")
    if output is not None:
        check_writable([output], force=force)
    options = Options(clause_dirs=clause_dirs)
    prepared = prepare(contract_layers(client, (*bases, standard), sets), options)
    layers = contract_layers(None, (*bases, standard), ())
    if fmt in REDLINES:
        data = redline_file(layers, prepared, options, fmt, author=author, origin=str(client))
    else:
        report = deviation(layers, prepared, options, labels=(str(standard), str(client)))
        text = RENDERERS[fmt](report)
        if output is None:
            click.echo(text, nl=False)
            return
        data = text.encode()
    assert output is not None
    write_together({output: data})
    click.echo(f"wrote {output}")
