"""The store's errors: members of the one error family, each mapping to one HTTP status.

The CLI prints them like any other ``AgreementError``; the web layer maps
``http_status`` to its response, so the two front doors cannot disagree on
what a refusal means.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import AgreementError


class StoreError(AgreementError):
    """The database cannot be opened, or refuses an action for a reason of its own."""

    http_status = 500


class NotFound(StoreError):
    """No such user, contract or version."""

    http_status = 404


class PermissionDenied(StoreError):
    """The user's role (or ownership) does not allow the action."""

    http_status = 403


class AuthenticationError(StoreError):
    """Wrong name or password, a disabled account, or an unknown token (never says which)."""

    http_status = 401


class AccountLocked(AuthenticationError):
    """Too many failed logins within a minute: the account waits until ``until`` (UTC)."""

    http_status = 429


class InvalidRequest(StoreError):
    """A well-formed request the store cannot carry out (an existing user, a weak password …)."""

    http_status = 422


@dataclass(frozen=True)
class Change:
    """One parameter the other save changed: its value in the version both started from, and now.

    ``yours`` is the value in the save that was refused, so a form can show all three.
    """

    key: str
    base: Any
    latest: Any
    yours: Any


class ConflictError(StoreError):
    """A save based on a version that is no longer the latest: nothing was saved.

    ``changes`` says what the other save changed, so the user can redo theirs.
    """

    http_status = 409

    def __init__(self, message: str, *, latest: int, changes: tuple[Change, ...]) -> None:
        self.latest = latest
        self.changes = changes
        super().__init__(message)
