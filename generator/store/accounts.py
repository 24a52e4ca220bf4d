"""Accounts: users and roles, passwords (argon2id), API and session tokens, and the login lock.

A password is kept only as an argon2id hash, a token only as its SHA-256
(tokens are long random strings, so a fast hash is enough).  Ten failed
logins for one account within a minute lock it for a minute; the failures
are counted from the audit log, where each one is recorded anyway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import audit
from .database import Store
from .errors import AccountLocked, AuthenticationError, InvalidRequest, NotFound
from .models import ROLES, ApiToken, AuditEntry, User
from .roles import Account, require_role

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_PASSWORD = 8
MAX_PASSWORD = 1024
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_FAILURES = 10
FAILURE_WINDOW = dt.timedelta(minutes=1)
LOCK_TIME = dt.timedelta(minutes=1)
SESSION_TIME = dt.timedelta(hours=12)
TOKEN_PREFIX = "agr_"
BAD_LOGIN = "wrong user name or password"


@dataclass(frozen=True)
class UserInfo:
    """A row of ``agreement users list``."""

    name: str
    role: str
    disabled: bool
    created_at: dt.datetime


@cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id, RFC 9106's low-memory profile


@cache
def _decoy_hash() -> str:
    """A hash to verify against when the user does not exist, so both cases take as long."""
    return _hasher().hash(secrets.token_hex(16))


def _verify(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _account(user: User) -> Account:
    return Account(user.id, user.name, user.role)


def add_user(store: Store, actor: Account, name: str, role: str, password: str) -> Account:
    """Create an account (admin only); ``InvalidRequest`` for a taken name, a bad role or password."""
    require_role(actor, ("admin",), "add users")
    if not NAME.match(name):
        raise InvalidRequest(
            f"user name {name!r}: use 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    if role not in ROLES:
        raise InvalidRequest(f"role {role!r}: must be one of {', '.join(ROLES)}")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidRequest(f"the password must have {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    password_hash = _hasher().hash(password)
    try:
        with store.transaction() as session:
            user = User(
                name=name, role=role, password_hash=password_hash, disabled=False, created_at=store.clock()
            )
            session.add(user)
            session.flush()
            audit.record(session, store, "user_added", actor, detail=f"{name} ({role})")
            return _account(user)
    except IntegrityError:
        raise InvalidRequest(f"user {name!r} already exists") from None


def list_users(store: Store, actor: Account) -> list[UserInfo]:
    require_role(actor, ("admin",), "list users")
    with store.transaction() as session:
        return [
            UserInfo(u.name, u.role, u.disabled, u.created_at)
            for u in session.scalars(select(User).order_by(User.name))
        ]


def _user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound(f"no user {name!r}")
    return user


def disable_user(store: Store, actor: Account, name: str) -> None:
    """Disable an account: no more logins, its tokens and sessions stop working."""
    require_role(actor, ("admin",), "disable users")
    with store.transaction() as session:
        user = _user(session, name)
        user.disabled = True
        audit.record(session, store, "user_disabled", actor, detail=name)


def issue_token(store: Store, actor: Account, name: str) -> str:
    """A new API token for ``name`` (admin only), shown once: only its hash is kept."""
    require_role(actor, ("admin",), "issue API tokens")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store.transaction() as session:
        user = _user(session, name)
        if user.disabled:
            raise InvalidRequest(f"user {name!r} is disabled")
        session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token), created_at=store.clock()))
        audit.record(session, store, "token_issued", actor, detail=name)
    return token


def has_accounts(store: Store) -> bool:
    """Whether any account exists: without one, ``serve`` stays the single-user page."""
    with store.transaction() as session:
        return bool(session.scalar(select(func.count()).select_from(User)))


def login(store: Store, name: str, password: str) -> tuple[Account, str]:
    """Check a password; return the account and a new session token, or raise.

    Raises ``AccountLocked`` while the account is locked and
    ``AuthenticationError`` otherwise (one message for every reason).
    Every attempt is in the audit log.
    """
    with store.transaction() as session:
        user = session.scalar(select(User).where(User.name == name))
        now = store.clock()
        if user is not None and user.locked_until is not None and now < user.locked_until:
            audit.record(session, store, "login_locked", _account(user))
            until = user.locked_until
        else:
            until = None
        password_hash = user.password_hash if user else _decoy_hash()
    if until is not None:
        raise AccountLocked(
            f"account {name!r} is locked after {MAX_FAILURES} failed logins until {until:%H:%M:%S} UTC"
        )
    good = _verify(password_hash, password) and user is not None and not user.disabled
    with store.transaction() as session:
        now = store.clock()
        if not good:
            detail = "disabled" if user is not None and user.disabled else ""
            audit.record(
                session, store, "login_failed", _account(user) if user else None, username=name, detail=detail
            )
            if user is not None and _failures(session, user.id, now) >= MAX_FAILURES:
                session.get_one(User, user.id).locked_until = now + LOCK_TIME
        else:
            assert user is not None
            token = TOKEN_PREFIX + secrets.token_urlsafe(32)
            session.add(
                ApiToken(
                    user_id=user.id,
                    token_hash=_token_hash(token),
                    created_at=now,
                    expires_at=now + SESSION_TIME,
                )
            )
            audit.record(session, store, "login", _account(user))
            return _account(user), token
    raise AuthenticationError(BAD_LOGIN)


def _failures(session: Session, user_id: int, now: dt.datetime) -> int:
    query = select(func.count()).where(
        AuditEntry.user_id == user_id,
        AuditEntry.action == "login_failed",
        AuditEntry.at > now - FAILURE_WINDOW,
    )
    return int(session.scalar(query) or 0)


def authenticate(store: Store, token: str) -> Account:
    """The account of an API or session token; ``AuthenticationError`` if unknown, expired or disabled."""
    with store.transaction() as session:
        row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
        user = session.get(User, row.user_id) if row else None
        if row is None or user is None or user.disabled:
            raise AuthenticationError("unknown or revoked token")
        if row.expires_at is not None and store.clock() >= row.expires_at:
            raise AuthenticationError("the session has expired; log in again")
        return _account(user)


def logout(store: Store, token: str) -> None:
    """End a session: its token stops working (API tokens are ended by disabling the user)."""
    with store.transaction() as session:
        row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
        user = session.get(User, row.user_id) if row is not None and row.expires_at is not None else None
        if row is not None and user is not None:
            session.delete(row)
            audit.record(session, store, "logout", _account(user))
