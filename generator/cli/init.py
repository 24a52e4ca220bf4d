"""``agreement init``: a commented starter parameter file."""

from __future__ import annotations

from pathlib import Path

import click

from ..output import check_writable, write_atomic
from ..resources import builtin


@click.command()
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write here instead of standard output."
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def init(output: Path | None, force: bool) -> None:
    """Write a starter parameter file with every key explained (Chinese and English).

    \b
    Example:
      agreement init -o client.yaml
    """
    text = (builtin("templates") / "after-sales" / "starter.yaml").read_text(encoding="utf-8")
    if output is None:
        click.echo(text, nl=False)
        return
    check_writable([output], force=force)
    write_atomic(output, text.encode())
    click.echo(f"wrote {output}", err=True)
