"""Store fixtures: every store test runs against SQLite and against a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.store.database import Store, open_store

from .helpers import Clock, open_timed, standard
from .postgres import Cluster, PostgresUnavailable, cluster


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """One cluster for the whole session; a fresh database per test."""
    try:
        with cluster() as instance:
            yield instance
    except PostgresUnavailable as error:
        pytest.fail(f"PostgreSQL could not start, so the store cannot be tested against it: {error}")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store's URL, on each database in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'agreement.db'}"
    instance: Cluster = request.getfixturevalue("postgres")
    return instance.new_database()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An open, empty store over the example company standard (with its playbook)."""
    opened = open_store(store_url, bases=standard())
    yield opened
    opened.close()


@pytest.fixture
def timed(store_url: str) -> Iterator[tuple[Store, Clock]]:
    """An open, empty store whose clock the test moves by hand."""
    clock = Clock()
    opened = open_timed(store_url, clock)
    yield opened, clock
    opened.close()
