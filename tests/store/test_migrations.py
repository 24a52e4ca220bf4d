"""The migrations: shipped in the package, run on open, and the same schema as the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from generator.store.database import Store, history, open_store
from generator.store.errors import StoreError
from generator.store.models import Base


def test_the_history_is_one_file_per_change() -> None:
    assert [revision for revision, _ in history()] == ["0001", "0002"]


def test_the_migrated_schema_is_the_models(store: Store) -> None:
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    # Indexes and constraints the migrations add beyond the models are fine; tables and columns must match.
    assert [
        d for d in differences if d[0] in ("add_table", "remove_table", "add_column", "remove_column")
    ] == []


def test_opening_again_migrates_nothing_and_keeps_the_data(store: Store, store_url: str) -> None:
    from .helpers import user

    user(store, "sam", "sales")
    again = open_store(store_url)
    try:
        with again.transaction() as session:
            assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
            assert session.execute(text("SELECT name FROM users")).scalars().all() == ["sam"]
    finally:
        again.close()


def test_a_store_from_a_newer_version_is_refused_clearly(store: Store, store_url: str) -> None:
    with store.transaction() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    with pytest.raises(StoreError, match="made by another version of agreement"):
        open_store(store_url)
