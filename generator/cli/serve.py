"""``agreement serve``: the web page for sales and the JSON API, on the same pipeline."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import ParameterError
from .options import base_option, clauses_option

#: The company standard used when no --base is given and the command runs from a clone of the project.
DEFAULT_BASE = Path("examples/company-standard.yaml")
TOKEN_VARIABLE = "AGREEMENT_TOKEN"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port.")
@base_option(f"The company standard under every contract (repeatable). Default: {DEFAULT_BASE} if it exists.")
@clauses_option
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes rendering PDF and DOCX. Default: the available cores, at most 4.",
)
@click.option(
    "--queue",
    type=click.IntRange(1, 10_000),
    default=32,
    show_default=True,
    help="Render requests held at once (running and waiting); beyond that, 503 with Retry-After.",
)
@click.option(
    "--token-file",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help=f"A file holding the access token (or set {TOKEN_VARIABLE}); needed to listen beyond 127.0.0.1.",
)
def serve(
    host: str,
    port: int,
    bases: tuple[Path, ...],
    clause_dirs: tuple[Path, ...],
    workers: int | None,
    queue: int,
    token_file: Path | None,
) -> None:
    """Serve the web page (form, live preview, deviation, downloads) and the JSON API.

    Without an access token it listens on 127.0.0.1 only; with one (--token-file
    or AGREEMENT_TOKEN) every request needs it: a login page for browsers,
    `Authorization: Bearer` for the API.

    \b
    Example:
      agreement serve                       # http://127.0.0.1:8000, examples/company-standard.yaml as base
      agreement serve --base standard.yaml --port 8080
      AGREEMENT_TOKEN=… agreement serve --host 0.0.0.0
    """
    from ..web.security import check_exposure

    token = _token(token_file)
    check_exposure(host, token)
    if not bases and DEFAULT_BASE.is_file():
        bases = (DEFAULT_BASE,)

    import uvicorn

    from ..web.app import Settings, create_app, default_workers

    settings = Settings(
        bases=bases, clause_dirs=clause_dirs, workers=workers or default_workers(), queue=queue, token=token
    )
    app = create_app(settings)
    base_note = ", ".join(str(b) for b in bases) or "the template's defaults"
    click.echo(f"agreement: http://{host}:{port}/ (standard: {base_note}; {settings.workers} render workers)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _token(token_file: Path | None) -> str | None:
    """The access token from --token-file, else the environment; an empty one is an error."""
    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ParameterError([f"{token_file}: cannot be read ({error.strerror})"]) from None
        if not token:
            raise ParameterError([f"{token_file}: the token file is empty"])
        return token
    return os.environ.get(TOKEN_VARIABLE, "").strip() or None
