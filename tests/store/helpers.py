"""Small helpers shared by the store tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from generator.params import Layer, file_layer
from generator.store import accounts
from generator.store.database import Store, open_store
from generator.store.roles import OPERATOR, Account

from ..conftest import FORM_A, STANDARD

PASSWORD = "correct horse battery"


def user(store: Store, name: str, role: str) -> Account:
    return accounts.add_user(store, OPERATOR, name, role, PASSWORD)


def form_a(**changes: Any) -> dict[str, Any]:
    """Form A's own parameters (as the web posts them), with ``timeliness``-style groups replaced."""
    params: dict[str, Any] = yaml.safe_load(FORM_A.read_text(encoding="utf-8"))
    params.update(changes)
    return params


#: Form A's limits with a 30-hour response: valid, but outside the playbook (max 24).
SLOW = {"response_hours": 30, "onsite_hours": 48, "inspection_hours": 72, "return_hours": 24}


class Clock:
    """A clock the test moves by hand (the lock lasts a minute; the test does not wait one)."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 25, 9, 0, 0)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def standard() -> tuple[Layer, ...]:
    """The example company standard, with its playbook, as a store's base layers."""
    return (file_layer(STANDARD, "base"),)


def open_timed(url: str, clock: Clock) -> Store:
    """A store over the example standard whose clock the test moves."""
    return open_store(url, bases=standard(), clock=clock)
