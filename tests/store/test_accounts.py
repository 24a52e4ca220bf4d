"""Accounts: roles, argon2id passwords, tokens kept as hashes, the login lock; on both databases."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from generator.store import accounts, audit
from generator.store.database import Store
from generator.store.errors import (
    AccountLocked,
    AuthenticationError,
    InvalidRequest,
    NotFound,
    PermissionDenied,
)
from generator.store.models import ApiToken, User
from generator.store.roles import OPERATOR

from .helpers import PASSWORD, Clock, user


def test_a_password_is_kept_only_as_an_argon2id_hash(store: Store) -> None:
    user(store, "sam", "sales")
    with store.transaction() as session:
        stored = session.scalars(select(User.password_hash)).one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    account, _ = accounts.login(store, "sam", PASSWORD)
    assert (account.name, account.role) == ("sam", "sales")


def test_wrong_passwords_unknown_and_disabled_users_get_one_message(store: Store) -> None:
    user(store, "sam", "sales")
    with pytest.raises(AuthenticationError, match="wrong user name or password"):
        accounts.login(store, "sam", "not the password")
    with pytest.raises(AuthenticationError, match="wrong user name or password"):
        accounts.login(store, "nobody", PASSWORD)
    accounts.disable_user(store, OPERATOR, "sam")
    with pytest.raises(AuthenticationError, match="wrong user name or password"):
        accounts.login(store, "sam", PASSWORD)
    actions = [(e.user, e.action, e.detail) for e in audit.entries(store, OPERATOR) if "login" in e.action]
    assert actions == [
        ("sam", "login_failed", ""),
        ("nobody", "login_failed", ""),
        ("sam", "login_failed", "disabled"),
    ]


def test_a_token_is_shown_once_and_kept_as_its_hash(store: Store) -> None:
    user(store, "lee", "legal")
    token = accounts.issue_token(store, OPERATOR, "lee")
    with store.transaction() as session:
        hashes = list(session.scalars(select(ApiToken.token_hash)))
    assert hashes == [hashlib.sha256(token.encode()).hexdigest()]
    assert accounts.authenticate(store, token).name == "lee"
    with pytest.raises(AuthenticationError):
        accounts.authenticate(store, token + "x")
    accounts.disable_user(store, OPERATOR, "lee")
    with pytest.raises(AuthenticationError):
        accounts.authenticate(store, token)


def test_a_session_token_works_until_logout_or_expiry(timed: tuple[Store, Clock]) -> None:
    store, clock = timed
    user(store, "sam", "sales")
    _, first = accounts.login(store, "sam", PASSWORD)
    assert accounts.authenticate(store, first).name == "sam"
    accounts.logout(store, first)
    with pytest.raises(AuthenticationError):
        accounts.authenticate(store, first)
    _, second = accounts.login(store, "sam", PASSWORD)
    clock.advance(accounts.SESSION_TIME.total_seconds())
    with pytest.raises(AuthenticationError, match="expired"):
        accounts.authenticate(store, second)


def test_ten_failures_within_a_minute_lock_the_account_for_a_minute(timed: tuple[Store, Clock]) -> None:
    store, clock = timed
    user(store, "sam", "sales")
    user(store, "lee", "legal")
    for _ in range(9):
        with pytest.raises(AuthenticationError):
            accounts.login(store, "sam", "guess")
        clock.advance(5)
    accounts.login(store, "sam", PASSWORD)  # nine failures: not locked
    with pytest.raises(AuthenticationError) as tenth:
        accounts.login(store, "sam", "guess")
    assert not isinstance(tenth.value, AccountLocked)
    clock.advance(1)
    with pytest.raises(AccountLocked, match="locked"):
        accounts.login(store, "sam", PASSWORD)  # even the right password
    accounts.login(store, "lee", PASSWORD)  # one account's lock is not another's
    clock.advance(58)
    with pytest.raises(AccountLocked):
        accounts.login(store, "sam", PASSWORD)
    clock.advance(1)
    assert accounts.login(store, "sam", PASSWORD)[0].name == "sam"


def test_failures_spread_over_more_than_a_minute_do_not_lock(timed: tuple[Store, Clock]) -> None:
    store, clock = timed
    user(store, "sam", "sales")
    for _ in range(12):
        with pytest.raises(AuthenticationError) as error:
            accounts.login(store, "sam", "guess")
        assert not isinstance(error.value, AccountLocked)
        clock.advance(7)


def test_only_admin_manages_accounts(store: Store) -> None:
    sam = user(store, "sam", "sales")
    lee = user(store, "lee", "legal")
    admin = user(store, "ada", "admin")
    for actor in (sam, lee):
        with pytest.raises(PermissionDenied, match="only admin"):
            accounts.add_user(store, actor, "eve", "admin", PASSWORD)
        with pytest.raises(PermissionDenied):
            accounts.issue_token(store, actor, actor.name)
    accounts.add_user(store, admin, "eve", "sales", PASSWORD)
    assert [(u.name, u.role) for u in accounts.list_users(store, admin)] == [
        ("ada", "admin"),
        ("eve", "sales"),
        ("lee", "legal"),
        ("sam", "sales"),
    ]


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("sam", "sales", PASSWORD, "user 'sam' already exists"),
        ("bob", "boss", PASSWORD, "role 'boss': must be one of sales, legal, admin"),
        ("bob", "sales", "short", "the password must have 8 to"),
        ("bob smith", "sales", PASSWORD, "user name 'bob smith'"),
    ],
)
def test_bad_account_requests_are_refused_clearly(
    store: Store, name: str, role: str, password: str, message: str
) -> None:
    user(store, "sam", "sales")
    with pytest.raises(InvalidRequest, match=message):
        accounts.add_user(store, OPERATOR, name, role, password)


def test_unknown_users_are_named(store: Store) -> None:
    with pytest.raises(NotFound, match="no user 'ghost'"):
        accounts.disable_user(store, OPERATOR, "ghost")
    with pytest.raises(NotFound, match="no user 'ghost'"):
        accounts.issue_token(store, OPERATOR, "ghost")
    assert not accounts.has_accounts(store)
    user(store, "sam", "sales")
    assert accounts.has_accounts(store)
