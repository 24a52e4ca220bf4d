"""A throwaway PostgreSQL cluster for the tests: Debian's binaries, a temp folder, loopback only.

``initdb`` refuses to run as root (and CI runs as root), so as root the
cluster belongs to a dedicated system user, made with ``useradd`` if it
is missing.  The server listens on 127.0.0.1 on a free port, its Unix
socket stays in the temp folder, and TCP logins need a password.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True)
OS_USER = "agreement-pg"
SUPERUSER = "postgres"
APP_ROLE = "agreement_app"


class PostgresUnavailable(Exception):
    """Why the cluster could not start: the tests fail with this, they are never skipped."""


@dataclass
class Cluster:
    port: int
    socket_dir: Path
    app_password: str
    _databases: int = 0

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        """A superuser connection over the Unix socket (peer-free: trust, local only)."""
        return psycopg.connect(
            host=str(self.socket_dir), port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        )

    def new_database(self) -> str:
        """A fresh, empty database owned by the application's role; its URL (TCP, with password)."""
        self._databases += 1
        name = f"test_{os.getpid()}_{self._databases}"
        with self.admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}" OWNER {APP_ROLE}')  # type: ignore[arg-type]
        return f"postgresql://{APP_ROLE}:{self.app_password}@127.0.0.1:{self.port}/{name}"

    def superuser_url(self, url: str) -> str:
        name = url.rsplit("/", 1)[1]
        return f"postgresql+psycopg://{SUPERUSER}@/{name}?host={self.socket_dir}&port={self.port}"


def _run(command: list[str], user: str | None) -> None:
    result = subprocess.run(command, user=user, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PostgresUnavailable(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")


def _os_user() -> str | None:
    """The unprivileged owner of the cluster (None: we are not root, so we are that user)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(OS_USER)
    except KeyError:
        _run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OS_USER], None)
    return OS_USER


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def cluster() -> Iterator[Cluster]:
    """Start a cluster for the session; stop it and remove every file afterwards."""
    if not BIN_DIRS:
        raise PostgresUnavailable(
            "no PostgreSQL under /usr/lib/postgresql: install Debian's postgresql (make test)"
        )
    bin_dir = BIN_DIRS[0]
    user = _os_user()
    root = Path(tempfile.mkdtemp(prefix="agreement-pg-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    app_password = secrets.token_hex(12)
    if user is not None:
        entry = pwd.getpwnam(user)
        for path in (root, sockets):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    port = _free_port()
    started = False
    try:
        _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
            user,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sockets} "
            "-c fsync=off -c max_connections=200"
        )
        _run(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"],
            user,
        )
        started = True
        instance = Cluster(port, sockets, app_password)
        with instance.admin() as connection:
            connection.execute(
                f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "  # type: ignore[arg-type]
                f"PASSWORD '{app_password}'"
            )
        yield instance
    except (OSError, psycopg.Error) as error:
        log = root / "log"
        raise PostgresUnavailable(f"{error}\n{log.read_text() if log.exists() else ''}") from error
    finally:
        if started:
            subprocess.run(
                [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                user=user,
                capture_output=True,
                check=False,
            )
        shutil.rmtree(root, ignore_errors=True)
