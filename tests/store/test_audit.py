"""The audit log is append-only in the database itself, and exports as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from generator.store import audit, contracts
from generator.store.database import Store
from generator.store.errors import StoreError
from generator.store.roles import OPERATOR

from .helpers import Clock, form_a, user
from .postgres import Cluster


def test_the_application_s_own_connection_cannot_change_or_remove_an_entry(store: Store) -> None:
    contracts.save_contract(store, user(store, "sam", "sales"), form_a())
    before = audit.entries(store, OPERATOR)
    refusal = "append-only" if store.is_sqlite else "permission denied for table audit_log"
    for statement in ("UPDATE audit_log SET detail = 'nothing happened'", "DELETE FROM audit_log"):
        # SQLite's trigger aborts as a constraint (IntegrityError); PostgreSQL's refusal is a StoreError.
        with pytest.raises((StoreError, DBAPIError), match=refusal), store.transaction() as session:
            session.execute(text(statement))
    assert audit.entries(store, OPERATOR) == before


def test_postgresql_refuses_even_a_superuser_through_the_trigger(postgres: Cluster) -> None:
    from generator.store.database import open_store

    url = postgres.new_database()
    store = open_store(url)
    try:
        user(store, "sam", "sales")
    finally:
        store.close()
    superuser = create_engine(postgres.superuser_url(url))
    try:
        for statement in ("UPDATE audit_log SET detail = ''", "DELETE FROM audit_log", "TRUNCATE audit_log"):
            with pytest.raises(DBAPIError, match="append-only"), superuser.begin() as connection:
                connection.execute(text(statement))
        with superuser.connect() as connection:
            privileges = connection.execute(
                text(
                    "SELECT privilege_type FROM information_schema.role_table_grants "
                    "WHERE table_name = 'audit_log' AND grantee = 'agreement_app' ORDER BY 1"
                )
            ).scalars()
            assert list(privileges) == ["INSERT", "REFERENCES", "SELECT", "TRIGGER"]
    finally:
        superuser.dispose()


def test_the_export_is_csv_from_a_date_on(timed: tuple[Store, Clock]) -> None:
    store, clock = timed
    sam = user(store, "sam", "sales")
    clock.advance(86400)
    saved = contracts.save_contract(store, sam, form_a())
    out = io.StringIO()
    count = audit.export_csv(store, OPERATOR, out, since=dt.datetime(2026, 11, 26))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == len(rows) == 2
    assert rows[0] == {
        "id": "2",
        "at": "2026-11-26T09:00:00Z",
        "user": "sam",
        "action": "saved",
        "contract": str(saved.id),
        "version": "1",
        "file_sha256": "",
        "detail": "approved",
    }
    with pytest.raises(Exception, match="only legal or admin"):
        audit.export_csv(store, sam, io.StringIO())
