"""The commands that work on the team server's store: ``users``, ``audit``, ``backup``, ``restore``.

Each takes ``--data DIR`` (a SQLite store, default ``agreement-data/``) or
``--db URL`` (PostgreSQL), or reads ``AGREEMENT_DB``.  They act as the
operator: whoever can reach the database manages its accounts.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from ..store.database import Store
    from ..store.roles import Account

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
ROLES = ("sales", "legal", "admin")


def store_options(function: F) -> F:
    """``--data DIR`` and ``--db URL``: which store."""
    function = click.option(
        "--db",
        metavar="URL",
        help="A database URL, e.g. postgresql://USER:PASSWORD@HOST/NAME (default: $AGREEMENT_DB).",
    )(function)
    return click.option(
        "--data",
        type=click.Path(path_type=Path, file_okay=False),
        metavar="DIR",
        help="Folder of the SQLite store (default: agreement-data/).",
    )(function)


def store_url(data: Path | None, db: str | None) -> str:
    from ..store.database import database_url

    return database_url(data, db)


def as_operator(data: Path | None, db: str | None, action: Callable[[Store, Account], T]) -> T:
    """Open the store, run ``action`` as the operator (the command line), close the store."""
    from ..store.database import open_store
    from ..store.roles import OPERATOR

    store = open_store(store_url(data, db))
    try:
        return action(store, OPERATOR)
    finally:
        store.close()


@click.group()
def users() -> None:
    """Manage the team server's accounts (roles: sales, legal, admin).

    \b
    Example:
      agreement users add alice --role legal
      echo "$PASSWORD" | agreement users add bob --role sales --password-stdin
      agreement users token bob
    """


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the user may do.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@store_options
def add_user(name: str, role: str, password_stdin: bool, data: Path | None, db: str | None) -> None:
    """Add the user NAME; the password is asked for (twice) unless --password-stdin."""
    from ..store import accounts

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    as_operator(data, db, lambda store, operator: accounts.add_user(store, operator, name, role, password))
    click.echo(f"added {name} ({role})")


@users.command("list")
@store_options
def list_users(data: Path | None, db: str | None) -> None:
    """List the users, their roles and whether they are disabled."""
    from ..store import accounts

    for row in as_operator(data, db, accounts.list_users):
        state = "disabled" if row.disabled else "active"
        click.echo(f"{row.name}\t{row.role}\t{state}\t{row.created_at:%Y-%m-%d %H:%M} UTC")


@users.command("disable")
@click.argument("name")
@store_options
def disable_user(name: str, data: Path | None, db: str | None) -> None:
    """Disable NAME: no more logins; its tokens and sessions stop working."""
    from ..store import accounts

    as_operator(data, db, lambda store, operator: accounts.disable_user(store, operator, name))
    click.echo(f"disabled {name}")


@users.command("token")
@click.argument("name")
@store_options
def token(name: str, data: Path | None, db: str | None) -> None:
    """Print a new API token for NAME (only its hash is stored: keep it now)."""
    from ..store import accounts

    click.echo(as_operator(data, db, lambda store, operator: accounts.issue_token(store, operator, name)))


@click.group()
def audit() -> None:
    """Read the audit log (append-only: nothing here changes it).

    \b
    Example:
      agreement audit export --since 2026-11-01 -o audit.csv
    """


@audit.command("export")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Entries from this day on (UTC); default: all.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the CSV here instead of to stdout (never over an existing file).",
)
@store_options
def export(since: Any, output: Path | None, data: Path | None, db: str | None) -> None:
    """Write the audit log as CSV: id, at, user, action, contract, version, file_sha256, detail.

    \b
    Example:
      agreement audit export --since 2026-11-01 -o audit.csv
    """
    import io

    from ..output import check_writable, write_atomic
    from ..store import audit as audit_log

    if output is not None:
        check_writable([output], force=False)
    text = io.StringIO()
    count = as_operator(
        data, db, lambda store, operator: audit_log.export_csv(store, operator, text, since=since)
    )
    if output is None:
        click.echo(text.getvalue(), nl=False)
    else:
        write_atomic(output, text.getvalue().encode())
        click.echo(f"wrote {count} entries to {output}", err=True)


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@store_options
def backup(file: Path, force: bool, data: Path | None, db: str | None) -> None:
    """Copy the SQLite store to FILE, consistently, while the server may be running.

    \b
    Example:
      agreement backup backups/agreement-2026-11-25.db --data agreement-data
    """
    from ..store.backup import backup as copy

    copy(store_url(data, db), file, force=force)
    click.echo(f"backed up to {file}")


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a store that holds users or contracts.")
@store_options
def restore(file: Path, force: bool, data: Path | None, db: str | None) -> None:
    """Replace the SQLite store by the backup FILE (checked first; migrated if older).

    \b
    Example:
      agreement restore backups/agreement-2026-11-25.db --data agreement-data --force
    """
    from ..store.backup import restore as put_back

    put_back(store_url(data, db), file, force=force)
    click.echo(f"restored from {file}")
