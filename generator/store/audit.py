"""The audit log: who did what to which contract, when, with which file: insert-only.

Every action of the store writes its entry in the action's own
transaction, so an action and its entry are recorded together or not at
all.  There is no function here, nor anywhere in the application, that
changes or removes an entry; the database refuses it as well (migration
0002).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from .database import Store
from .models import AuditEntry
from .roles import Account, require_role

CSV_COLUMNS = ("id", "at", "user", "action", "contract", "version", "file_sha256", "detail")


@dataclass(frozen=True)
class Entry:
    """One audit entry as read back (``at`` is UTC)."""

    id: int
    at: dt.datetime
    user: str | None
    action: str
    contract: int | None
    version: int | None
    file_sha256: str | None
    detail: str


def record(
    session: Session,
    store: Store,
    action: str,
    account: Account | None,
    *,
    username: str | None = None,
    contract: int | None = None,
    version: int | None = None,
    file_sha256: str | None = None,
    detail: str = "",
) -> None:
    """Add one entry to the log, inside the caller's transaction."""
    session.add(
        AuditEntry(
            at=store.clock(),
            user_id=account.id if account else None,
            username=account.name if account else username,
            action=action,
            contract_id=contract,
            version=version,
            file_sha256=file_sha256,
            detail=detail,
        )
    )


def entries(
    store: Store, actor: Account, *, contract: int | None = None, since: dt.datetime | None = None
) -> list[Entry]:
    """The log in order (legal and admin only), for one contract or all, from ``since`` on."""
    require_role(actor, ("legal", "admin"), "read the audit log")
    query = select(AuditEntry).order_by(AuditEntry.id)
    if contract is not None:
        query = query.where(AuditEntry.contract_id == contract)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    with store.transaction() as session:
        return [
            Entry(e.id, e.at, e.username, e.action, e.contract_id, e.version, e.file_sha256, e.detail)
            for e in session.scalars(query)
        ]


def export_csv(store: Store, actor: Account, out: TextIO, *, since: dt.datetime | None = None) -> int:
    """Write the log from ``since`` on as CSV (UTF-8, a header row); return how many entries."""
    rows = entries(store, actor, since=since)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in rows:
        writer.writerow(
            (
                e.id,
                e.at.isoformat(timespec="seconds") + "Z",
                e.user or "",
                e.action,
                e.contract or "",
                e.version or "",
                e.file_sha256 or "",
                e.detail,
            )
        )
    return len(rows)
