"""``agreement sign``: sign one signature field of a contract (PAdES B-B, or B-T with a time-stamp)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

_FILE = click.Path(path_type=Path, dir_okay=False)


@click.command()
@click.argument("contract", type=_FILE)
@click.option(
    "--field", required=True, metavar="NAME", help="The signature field: PartyA (甲方) or PartyB (乙方)."
)
@click.option(
    "--p12", type=_FILE, metavar="FILE", help="The signer's key and certificate as PKCS#12 (.p12/.pfx)."
)
@click.option(
    "--key", type=_FILE, metavar="KEY.pem", help="The signer's private key (PEM or DER), with --cert."
)
@click.option("--cert", type=_FILE, metavar="CERT.pem", help="The signer's certificate, with --key.")
@click.option(
    "--chain", type=_FILE, multiple=True, metavar="CA.pem", help="Issuer certificates to embed (repeatable)."
)
@click.option(
    "--password-file",
    type=_FILE,
    metavar="FILE",
    help="Read the key's password from FILE (first line). Default: ask, if the key has one.",
)
@click.option(
    "--timestamp-url", metavar="URL", help="An RFC 3161 time-stamping service: PAdES B-T instead of B-B."
)
@click.option(
    "--seal-image", type=_FILE, metavar="PNG", help="Show this seal image instead of the signer's name."
)
@click.option(
    "-o", "--output", "output", type=_FILE, help="The signed file. Default: <name>.signed.pdf beside it."
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists (never the input).")
def sign(
    contract: Path,
    field: str,
    p12: Path | None,
    key: Path | None,
    cert: Path | None,
    chain: tuple[Path, ...],
    password_file: Path | None,
    timestamp_url: str | None,
    seal_image: Path | None,
    output: Path | None,
    force: bool,
) -> None:
    """Sign the signature field --field of CONTRACT (made with --sign-fields) into a new file.

    The signature is PAdES baseline B-B, or B-T with --timestamp-url; the
    field shows a stamp with the signer's name and the time, in the
    contract's own CJK font, or --seal-image. Signing the second field keeps
    the first signature valid.

    \b
    Example:
      agreement sign HX-AS-2026-0158.pdf --field PartyA --p12 huaxin.p12
      agreement sign HX-AS-2026-0158.signed.pdf --field PartyB --key b.key --cert b.pem \\
          --timestamp-url http://timestamp.example.com -o HX-AS-2026-0158.final.pdf
    """
    from datetime import UTC, datetime

    from ..errors import UsageError
    from ..output import check_writable, write_atomic
    from ..signing import sign as signing

    if (p12 is None) == (key is None):
        raise UsageError("give the signer's key either as --p12 FILE or as --key KEY.pem --cert CERT.pem")
    if key is not None and cert is None:
        raise UsageError("--key needs --cert, the signer's certificate")
    target = output or contract.with_name(f"{contract.stem}.signed.pdf")
    if target.resolve() == contract.resolve():
        raise UsageError(f"{target}: is the contract itself; the signed file must be a new file (-o)")
    check_writable([target], force=force)
    data = signing.read_input(contract)
    seal = signing.read_seal_image(seal_image) if seal_image is not None else None

    def load(password: bytes | None) -> Any:
        if p12 is not None:
            return signing.load_p12(p12, password)
        assert key is not None and cert is not None
        return signing.load_pem(key, cert, chain, password)

    signer = _with_password(load, password_file)
    timestamper = signing.http_timestamper(timestamp_url) if timestamp_url else None
    stamp = signing.Stamp(signing.signer_name(signer), datetime.now(UTC).astimezone(), seal)
    write_atomic(target, signing.sign_pdf(data, field, signer, stamp, timestamper=timestamper))
    click.echo(f"signed {field} as {stamp.signer or '(no name)'}: wrote {target}")


def _with_password(load: Callable[[bytes | None], Any], password_file: Path | None) -> Any:
    """The signer, loaded with the password from the file, or with none and then one asked for."""
    from ..signing.sign import SigningError, read_password

    if password_file is not None:
        return load(read_password(password_file))
    try:
        return load(None)
    except SigningError:
        if not sys.stdin.isatty():
            raise
    return load(click.prompt("Password", hide_input=True, err=True).encode())
