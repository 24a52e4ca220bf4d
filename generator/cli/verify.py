"""``agreement verify``: check every signature of a contract; exit 0 only if all are good."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.argument("contract", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--trust",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    metavar="CA.pem",
    help="Trust these root certificates instead of the system's (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.pass_context
def verify(ctx: click.Context, contract: Path, trust: tuple[Path, ...], fmt: str) -> None:
    """Check each signature of CONTRACT: signer, time, intact, valid, trusted, and changes after it.

    The exit code is 0 only when every signature's bottom line is good: intact,
    valid, trusted, its time-stamp valid, and nothing changed after it but
    further signatures.

    \b
    Example:
      agreement verify HX-AS-2026-0158.signed.pdf --trust company-ca.pem
      agreement verify HX-AS-2026-0158.signed.pdf --format json
    """
    from ..signing import verify as verifying
    from ..signing.sign import read_input

    roots = verifying.load_trust(trust) if trust else None
    verdicts = verifying.verify_pdf(read_input(contract), roots)
    if fmt == "json":
        click.echo(json.dumps(verifying.as_json(verdicts), ensure_ascii=False, indent=2))
    else:
        click.echo(verifying.as_text(verdicts))
    if not all(verdict.good for verdict in verdicts):
        ctx.exit(1)
