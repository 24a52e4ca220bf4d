"""Opening the store: which database, its migrations, and one transaction per action.

SQLite (a file under ``--data DIR``) needs nothing installed; PostgreSQL
(``--db postgresql://…``) serves several instances at once.  Opening a
store brings its schema up to date with the migrations shipped in this
package, under a lock, so two instances started together do not race.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import UsageError
from ..params import Layer
from .errors import StoreError

if TYPE_CHECKING:
    from ..pipeline import Options

ENV = "AGREEMENT_DB"
DEFAULT_DATA = Path("agreement-data")
SQLITE_FILE = "agreement.db"
#: How long a save waits for another one holding the SQLite write lock.
SQLITE_BUSY_SECONDS = 30
#: pg_advisory_lock key for migrations: one instance upgrades, the others wait.
MIGRATION_LOCK = 0x61677265


def utcnow() -> dt.datetime:
    """Naive UTC, as every time in the store is kept."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def database_url(data: Path | None = None, db: str | None = None) -> str:
    """The database to use: ``--db``, else ``$AGREEMENT_DB``, else a SQLite file under ``--data``."""
    if data is not None and db is not None:
        raise UsageError("give --data DIR or --db URL, not both")
    chosen = db or (os.environ.get(ENV) if data is None else None)
    if chosen:
        return chosen
    folder = data or DEFAULT_DATA
    return f"sqlite:///{folder / SQLITE_FILE}"


def shown(url: str | URL) -> str:
    """A database URL for a message: never its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a database URL)"


def _engine_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UsageError(
            f"not a database URL: {url!r}; use postgresql://USER:PASSWORD@HOST/NAME or sqlite:///FILE"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise UsageError("a SQLite store needs a file: sqlite:///FILE or --data DIR")
        return parsed.set(drivername="sqlite+pysqlite")
    raise UsageError(f"unsupported database {backend!r} in {shown(parsed)}; use postgresql:// or sqlite:///")


def _sqlite_setup(engine: Engine) -> None:
    """Foreign keys on, WAL, and BEGIN IMMEDIATE: a write waits for the lock instead of failing.

    pysqlite's own transaction handling starts transactions lazily and
    cannot upgrade a reader to a writer under contention; we issue BEGIN
    ourselves (SQLAlchemy's documented recipe).
    """

    @event.listens_for(engine, "connect")
    def connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass
class Store:
    """An open store: the engine, and the company standard every contract is layered over."""

    engine: Engine
    url: str
    #: The company standard (and any other ``--base`` files), weakest first: its playbook decides approval.
    bases: tuple[Layer, ...] = ()
    clock: Callable[[], dt.datetime] = utcnow
    #: ``--clauses`` folders: contracts are validated and made with them, as by ``generate``.
    clause_dirs: tuple[Path, ...] = ()
    _sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One action, all or nothing: committed when the block ends, rolled back if it raises."""
        try:
            with self._sessions.begin() as session:
                yield session
        except IntegrityError:
            raise  # a constraint the caller relies on (a taken name, a version saved twice)
        except DBAPIError as error:
            raise StoreError(f"the database {shown(self.url)} refused: {_reason(error)}") from None

    def options(self, *, draft: bool = False) -> Options:
        """The pipeline's options for this store's contracts (never strict: warnings make ``pending``)."""
        from ..pipeline import Options

        return Options(clause_dirs=self.clause_dirs, draft=draft)

    def close(self) -> None:
        self.engine.dispose()


def open_store(
    url: str,
    *,
    bases: tuple[Layer, ...] = (),
    clause_dirs: tuple[Path, ...] = (),
    clock: Callable[[], dt.datetime] = utcnow,
    pool_size: int = 10,
) -> Store:
    """Connect, bring the schema up to date, and return the store (``StoreError`` if unreachable)."""
    engine_url = _engine_url(url)
    if engine_url.get_backend_name() == "sqlite":
        assert engine_url.database is not None
        folder = Path(engine_url.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"{folder}: cannot make the data folder ({error.strerror})") from None
        engine = create_engine(engine_url, connect_args={"timeout": SQLITE_BUSY_SECONDS})
        _sqlite_setup(engine)
    else:
        engine = create_engine(
            engine_url, pool_size=pool_size, max_overflow=pool_size, connect_args={"connect_timeout": 10}
        )
    store = Store(engine, url, bases, clock, clause_dirs)
    try:
        migrate(engine)
    except DBAPIError as error:
        engine.dispose()
        raise StoreError(f"cannot open the database {shown(url)}: {_reason(error)}") from None
    except BaseException:
        engine.dispose()
        raise
    return store


def _reason(error: DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0] if error.orig else str(error)


def migrate(engine: Engine) -> None:
    """Run every migration the database has not had yet (``upgrade head``), under a lock."""
    from alembic import command
    from alembic.config import Config
    from alembic.util.exc import CommandError

    config = Config()
    config.set_main_option("script_location", "generator.store:migrations")
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Held to the end of this transaction: instances starting together migrate one by one.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, "head")
        except CommandError as error:
            raise StoreError(
                f"the database {shown(engine.url)} was made by another version of agreement ({error})"
            ) from None


def history() -> list[tuple[str, str]]:
    """The migrations, oldest first, as (revision, first line of its description)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", "generator.store:migrations")
    scripts = ScriptDirectory.from_config(config)
    return [(s.revision, (s.doc or "").splitlines()[0]) for s in reversed(list(scripts.walk_revisions()))]
