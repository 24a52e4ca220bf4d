"""``agreement backup`` / ``restore`` for the SQLite store, with SQLite's online backup API.

The backup API copies a consistent snapshot while the server keeps
working (WAL included), page by page under SQLite's own locks.  A backup
is written to a temporary file and renamed, so a half-written backup never
carries the final name; a restore checks the file is a sound store first.
PostgreSQL has its own tools (pg_dump / pg_restore).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import make_url

from ..errors import OutputError
from .database import history, open_store
from .errors import StoreError


def sqlite_file(url: str) -> Path:
    """The file of a SQLite store's URL; ``StoreError`` for any other database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        raise StoreError(
            "backup and restore work on the SQLite store; for PostgreSQL use pg_dump and pg_restore"
        )
    return Path(parsed.database)


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    if not path.is_file():
        raise StoreError(f"{path}: no such store file")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise StoreError(f"{path}: cannot be opened ({error})") from None
    try:
        yield connection
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path}: not a sound agreement store ({error})") from None
    finally:
        connection.close()


def backup(url: str, target: Path, *, force: bool = False) -> None:
    """Copy the store at ``url`` to ``target`` while it may be in use."""
    source = sqlite_file(url)
    if target.exists() and not force:
        raise OutputError(f"{target}: already exists; use --force to replace it")
    folder = target.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"{target}: cannot be written ({error.strerror})") from None
    os.close(handle)
    try:
        with _read_only(source) as connection:
            copy = sqlite3.connect(temporary)
            try:
                connection.backup(copy)
            finally:
                copy.close()
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


def restore(url: str, source: Path, *, force: bool = False) -> None:
    """Replace the store at ``url`` by the backup ``source`` (checked first), then migrate it."""
    target = sqlite_file(url)
    known = {revision for revision, _ in history()}
    with _read_only(source) as backup_file:
        if backup_file.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            raise StoreError(f"{source}: the file is damaged (integrity check failed)")
        try:
            revision = backup_file.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            revision = None
        if revision is None or revision[0] not in known:
            raise StoreError(f"{source}: not a backup of an agreement store this version can read")
        if target.exists() and not force:
            with _read_only(target) as current:
                users = current.execute("SELECT count(*) FROM users").fetchone()[0]
                contracts = current.execute("SELECT count(*) FROM contracts").fetchone()[0]
            if users or contracts:
                raise OutputError(
                    f"{target}: the store holds {users} users and {contracts} contracts; "
                    "back it up first, then restore with --force to replace it"
                )
        target.parent.mkdir(parents=True, exist_ok=True)
        live = sqlite3.connect(target)
        try:
            backup_file.backup(live)
        finally:
            live.close()
    open_store(url).close()  # bring an older backup's schema up to date
