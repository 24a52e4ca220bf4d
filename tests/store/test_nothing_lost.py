"""Nothing lost: concurrent saves of one contract, and a process killed in the middle of a save."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import func, select

from generator.store import audit, contracts
from generator.store.database import Store
from generator.store.errors import ConflictError
from generator.store.models import Contract, Version
from generator.store.roles import OPERATOR, Account

from ..conftest import ROOT, STANDARD
from .helpers import form_a, user

EDITORS = 6


def months(round_number: int, editor: int) -> int:
    """A term no other editor in any round saves: every save is a real change."""
    return 6 + round_number * EDITORS + editor


def race(store: Store, actor: Account, contract_id: int, base: int) -> list[contracts.Saved | ConflictError]:
    """``EDITORS`` threads save different edits of version ``base`` at the same moment."""
    start = threading.Barrier(EDITORS)
    outcomes: list[contracts.Saved | ConflictError] = []

    def edit(index: int) -> None:
        params = form_a(term={"months": months(base, index)})
        start.wait()
        try:
            outcomes.append(contracts.update_contract(store, actor, contract_id, base, params))
        except ConflictError as conflict:
            outcomes.append(conflict)

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_concurrent_saves_of_one_version_exactly_one_wins(store: Store) -> None:
    lee = user(store, "lee", "legal")
    saved = contracts.save_contract(store, lee, form_a())
    for round_number in range(1, 4):
        outcomes = race(store, lee, saved.id, round_number)
        winners = [o for o in outcomes if isinstance(o, contracts.Saved)]
        losers = [o for o in outcomes if isinstance(o, ConflictError)]
        assert len(winners) == 1 and len(losers) == EDITORS - 1, outcomes
        assert winners[0].version == round_number + 1
        assert {loser.latest for loser in losers} == {round_number + 1}
        latest = contracts.get_contract(store, lee, saved.id)
        # The winner's parameters are the latest version's: no save was half applied.
        assert latest.number == round_number + 1
        assert latest.params["term"] in [{"months": months(round_number, i)} for i in range(EDITORS)]
        assert latest.params == contracts.get_contract(store, lee, saved.id, winners[0].version).params
    assert [v.number for v in contracts.history(store, lee, saved.id)] == [1, 2, 3, 4]
    saves = [e for e in audit.entries(store, OPERATOR, contract=saved.id) if e.action == "saved"]
    assert [e.version for e in saves] == [1, 2, 3, 4]


#: A save that stops, flushed but not committed, until it is killed.
HANGING_SAVE = """
import sys, time
from pathlib import Path
from sqlalchemy import event
from sqlalchemy.orm import Session
from generator.params import file_layer
from generator.store import contracts
from generator.store.database import open_store
from generator.store.roles import Account
import json

url, standard, user_id, params = sys.argv[1:]
store = open_store(url, bases=(file_layer(Path(standard), "base"),))

@event.listens_for(Session, "after_flush")
def hang(session, context):
    print("flushed", flush=True)
    time.sleep(60)

contracts.save_contract(store, Account(int(user_id), "sam", "sales"), json.loads(params))
"""


def test_a_process_killed_mid_save_leaves_the_store_consistent(store: Store, store_url: str) -> None:
    sam = user(store, "sam", "sales")
    kept = contracts.save_contract(store, sam, form_a())
    params = json.dumps(form_a(contract_no="HX-AS-2026-0999"), default=str)
    with subprocess.Popen(
        [sys.executable, "-c", HANGING_SAVE, store_url, str(STANDARD), str(sam.id), params],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as child:
        try:
            assert child.stdout is not None and child.stderr is not None
            line = child.stdout.readline()
            assert line == b"flushed\n", child.stderr.read()
        finally:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    # The killed save is not there at all; everything before it is, and the store works on.
    assert [c.id for c in contracts.search(store, sam)] == [kept.id]
    with store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Version)) == 1
        for contract in session.scalars(select(Contract)):
            numbers = session.scalars(select(Version.number).where(Version.contract_id == contract.id))
            assert list(numbers) == list(range(1, contract.latest_version + 1))
    assert [e.action for e in audit.entries(store, OPERATOR) if e.action == "saved"] == ["saved"]
    again = contracts.save_contract(store, sam, form_a(contract_no="HX-AS-2026-0999"))
    assert again.version == 1
    if store.is_sqlite:
        with store.transaction() as session:
            assert session.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_the_data_folder_holds_only_the_database(store: Store, store_url: str) -> None:
    if store.is_sqlite:
        folder = Path(store_url.removeprefix("sqlite:///")).parent
        assert {p.name for p in folder.iterdir()} <= {"agreement.db", "agreement.db-wal", "agreement.db-shm"}
