"""Who is acting, and what each role may do: every permission check of the store starts here.

Sales own the contracts they create; legal see every contract and decide
approvals; admin manage the accounts (and read the audit log, with legal).
The command line, run by whoever holds the database, acts as ``OPERATOR``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import PermissionDenied

Role = str  # one of models.ROLES


@dataclass(frozen=True)
class Account:
    """The acting user as the front doors see it (no password hash, no tokens)."""

    id: int | None
    name: str
    role: Role


#: The command line: whoever can reach the database may manage its accounts.
OPERATOR = Account(None, "(command line)", "admin")


def require_role(actor: Account, roles: tuple[Role, ...], action: str) -> None:
    """Refuse ``action`` unless ``actor`` has one of ``roles``."""
    if actor.role not in roles:
        raise PermissionDenied(f"{actor.name} ({actor.role}) may not {action}; only {' or '.join(roles)} may")
