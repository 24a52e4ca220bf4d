"""``agreement serve``: the web page for sales and the JSON API, on the same pipeline."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import ParameterError
from .options import base_option, clauses_option
from .store import store_options

if TYPE_CHECKING:
    from ..store.database import Store

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
    help=f"A file holding the access token (or set {TOKEN_VARIABLE}); needed to listen beyond 127.0.0.1 "
    "when the store has no accounts.",
)
@store_options
def serve(
    host: str,
    port: int,
    bases: tuple[Path, ...],
    clause_dirs: tuple[Path, ...],
    workers: int | None,
    queue: int,
    token_file: Path | None,
    data: Path | None,
    db: str | None,
) -> None:
    """Serve the web page (form, live preview, deviation, downloads) and the JSON API.

    Without an access token it listens on 127.0.0.1 only; with one (--token-file
    or AGREEMENT_TOKEN) every request needs it: a login page for browsers,
    `Authorization: Bearer` for the API.

    With a store (--data DIR, --db URL or AGREEMENT_DB; or an existing
    agreement-data/ folder) it is the team server: contracts are saved,
    versioned and approved.  Once the store has accounts (agreement users
    add), every request needs a login or an API token, and it may listen
    beyond 127.0.0.1; until then it is the single-user page.

    \b
    Example:
      agreement serve                       # http://127.0.0.1:8000, examples/company-standard.yaml as base
      agreement serve --base standard.yaml --port 8080
      AGREEMENT_TOKEN=… agreement serve --host 0.0.0.0
      agreement serve --data agreement-data --host 0.0.0.0   # the team server, once it has accounts
    """
    from ..web.security import check_exposure

    token = _token(token_file)
    if not bases and DEFAULT_BASE.is_file():
        bases = (DEFAULT_BASE,)
    store = _store(data, db, bases, clause_dirs)
    try:
        has_accounts = store is not None and _has_accounts(store)
        if not has_accounts:
            check_exposure(host, token)

        import uvicorn

        from ..web.app import Settings, create_app, default_workers

        settings = Settings(
            bases=bases,
            clause_dirs=clause_dirs,
            workers=workers or default_workers(),
            queue=queue,
            token=token,
            any_host=has_accounts,
        )
        if store is None:
            app = create_app(settings)
            mode = ""
        else:
            from ..store.database import shown
            from ..web.team import create_team_app

            app = create_team_app(settings, store)
            mode = f"; team server on {shown(store.url)}, " + (
                "logins required" if has_accounts else "no accounts yet: open on this machine only"
            )
        base_note = ", ".join(str(b) for b in bases) or "the template's defaults"
        workers_note = f"{settings.workers} render workers"
        click.echo(f"agreement: http://{host}:{port}/ (standard: {base_note}; {workers_note}{mode})")
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        if store is not None:
            store.close()


def _store(
    data: Path | None, db: str | None, bases: tuple[Path, ...], clause_dirs: tuple[Path, ...]
) -> Store | None:
    """The team server's store, when one is named (or ``agreement-data/`` exists); else ``None``."""
    from ..store.database import DEFAULT_DATA, ENV

    if data is None and db is None and not os.environ.get(ENV) and not DEFAULT_DATA.is_dir():
        return None
    from ..params import file_layer
    from ..store.database import database_url, open_store

    layers = tuple(file_layer(path, "base") for path in bases)
    return open_store(database_url(data, db), bases=layers, clause_dirs=clause_dirs)


def _has_accounts(store: Store) -> bool:
    from ..store.accounts import has_accounts

    return has_accounts(store)


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
