"""Contracts, versions, approvals, search, history and downloads, on both databases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.errors import ConsistencyError, ParameterError
from generator.store import audit, contracts, files
from generator.store.database import Store
from generator.store.errors import ConflictError, InvalidRequest, NotFound, PermissionDenied
from generator.store.roles import OPERATOR

from ..conftest import FORM_A, STANDARD, run_cli
from .helpers import SLOW, form_a, user


def test_a_contract_inside_the_playbook_is_approved_at_once(store: Store) -> None:
    sam = user(store, "sam", "sales")
    saved = contracts.save_contract(store, sam, form_a())
    assert (saved.version, saved.status, saved.findings) == (1, "approved", ())
    info = contracts.get_contract(store, sam, saved.id)
    assert info.final and info.created_by == "sam"
    assert [(d.user, d.decision) for d in info.decisions] == [(None, "approved")]
    assert len(info.fingerprint) == 64


def test_outside_the_playbook_waits_for_legal(store: Store) -> None:
    sam, lee = user(store, "sam", "sales"), user(store, "lee", "legal")
    saved = contracts.save_contract(store, sam, form_a(timeliness=SLOW))
    assert saved.status == "pending"
    assert [f.split()[1] for f in saved.findings] == ["P002"]
    with pytest.raises(PermissionDenied, match="only legal"):
        contracts.decide(store, sam, saved.id, "approved", "I approve myself")
    with pytest.raises(InvalidRequest, match="comment"):
        contracts.decide(store, lee, saved.id, "approved", "  ")
    decided = contracts.decide(store, lee, saved.id, "approved", "30 h agreed for this client")
    assert decided.status == "approved" and decided.final
    assert [(d.user, d.comment) for d in decided.decisions] == [("lee", "30 h agreed for this client")]


def test_editing_an_approved_contract_makes_a_version_and_resets_approval(store: Store) -> None:
    sam, lee = user(store, "sam", "sales"), user(store, "lee", "legal")
    saved = contracts.save_contract(store, sam, form_a(timeliness=SLOW))
    contracts.decide(store, lee, saved.id, "approved", "fine")
    edited = contracts.update_contract(
        store, sam, saved.id, 1, form_a(timeliness={**SLOW, "response_hours": 36})
    )
    assert (edited.version, edited.status) == (2, "pending")
    assert [v.status for v in contracts.history(store, sam, saved.id)] == ["approved", "pending"]
    # The same parameters again: nothing new to approve, no new version.
    again = contracts.update_contract(
        store, sam, saved.id, 2, form_a(timeliness={**SLOW, "response_hours": 36})
    )
    assert again.version == 2
    contracts.decide(store, lee, saved.id, "rejected", "36 h is too slow")
    assert contracts.get_contract(store, sam, saved.id).status == "rejected"
    back = contracts.update_contract(store, sam, saved.id, 2, form_a())
    assert (back.version, back.status) == (3, "approved")


def test_a_save_from_an_old_version_is_a_conflict_saying_what_changed(store: Store) -> None:
    sam, lee = user(store, "sam", "sales"), user(store, "lee", "legal")
    saved = contracts.save_contract(store, sam, form_a())
    contracts.update_contract(store, lee, saved.id, 1, form_a(term={"months": 24}))
    with pytest.raises(ConflictError) as conflict:
        contracts.update_contract(store, sam, saved.id, 1, form_a(term={"months": 6}))
    assert conflict.value.http_status == 409 and conflict.value.latest == 2
    assert [(c.key, c.base, c.latest, c.yours) for c in conflict.value.changes] == [
        ("term.months", None, 24, 6)
    ]
    assert [v.params.get("term") for v in contracts.history(store, sam, saved.id)] == [None, {"months": 24}]
    with pytest.raises(NotFound, match="no version 7"):
        contracts.update_contract(store, sam, saved.id, 7, form_a())


def test_bad_parameters_are_not_stored(store: Store) -> None:
    sam = user(store, "sam", "sales")
    with pytest.raises(ParameterError, match=r"timeliness\.response_hours"):
        contracts.save_contract(store, sam, form_a(timeliness={**SLOW, "response_hours": "fast"}))
    with pytest.raises(ConsistencyError, match="C001"):
        contracts.save_contract(store, sam, form_a(timeliness={**SLOW, "response_hours": 60}))
    with pytest.raises(ParameterError, match="playbook belongs in the company standard"):
        contracts.save_contract(store, sam, form_a(playbook={"term.months": {"max": 120}}))
    with pytest.raises(InvalidRequest, match="object of keys"):
        contracts.save_contract(store, sam, ["not", "a", "mapping"])
    assert contracts.search(store, sam) == []


def test_sales_see_their_own_legal_see_all_admin_none(store: Store) -> None:
    sam, sue, lee = user(store, "sam", "sales"), user(store, "sue", "sales"), user(store, "lee", "legal")
    ada = user(store, "ada", "admin")
    mine = contracts.save_contract(store, sam, form_a())
    theirs = contracts.save_contract(store, sue, form_a(contract_no="HX-AS-2026-0200"))
    assert [c.id for c in contracts.search(store, sam)] == [mine.id]
    assert {c.id for c in contracts.search(store, lee)} == {mine.id, theirs.id}
    for action in (
        lambda: contracts.get_contract(store, sam, theirs.id),
        lambda: contracts.update_contract(store, sam, theirs.id, 1, form_a()),
        lambda: contracts.history(store, sam, theirs.id),
        lambda: files.download(store, sam, theirs.id, "html"),
        lambda: contracts.search(store, ada),
        lambda: contracts.get_contract(store, ada, mine.id),
        lambda: contracts.save_contract(store, ada, form_a()),
        lambda: audit.entries(store, sam),
    ):
        with pytest.raises(PermissionDenied):
            action()
    with pytest.raises(NotFound):
        contracts.get_contract(store, lee, 9999)


def test_search_by_customer_number_status_and_day(store: Store) -> None:
    lee = user(store, "lee", "legal")
    a = contracts.save_contract(store, lee, form_a())
    b = contracts.save_contract(
        store,
        lee,
        form_a(
            contract_no="HX-AS-2026-0300",
            customer={**form_a()["customer"], "name": "宁波百分百_贸易有限公司"},
            timeliness=SLOW,
        ),
    )
    assert [c.id for c in contracts.search(store, lee, customer="明远")] == [a.id]
    assert [c.id for c in contracts.search(store, lee, customer="百分百_")] == [b.id]
    assert [c.id for c in contracts.search(store, lee, customer="%")] == []  # a wildcard is a character
    assert [c.id for c in contracts.search(store, lee, contract_no="as-2026-03")] == [b.id]
    assert [c.id for c in contracts.search(store, lee, status="pending")] == [b.id]
    today = store.clock().date()
    assert len(contracts.search(store, lee, since=today, until=today)) == 2
    assert contracts.search(store, lee, until=today - dt.timedelta(days=1)) == []
    with pytest.raises(InvalidRequest, match="status 'done'"):
        contracts.search(store, lee, status="done")


def test_two_versions_compare_as_agreement_diff_reports(store: Store) -> None:
    sam = user(store, "sam", "sales")
    saved = contracts.save_contract(store, sam, form_a())
    contracts.update_contract(store, sam, saved.id, 1, form_a(timeliness=SLOW))
    report = contracts.compare(store, sam, saved.id, 1, 2)
    assert [(p.key, p.standard, p.client) for p in report.parameters] == [
        ("timeliness.response_hours", 24, 30)
    ]
    assert [c.number for c in report.clauses] == ["2.3", ""]
    assert [(f.rule.code, f.rule.key) for f in report.findings] == [("P002", "timeliness.response_hours")]


def test_final_files_are_byte_identical_to_generate_and_kept(store: Store, tmp_path: Path) -> None:
    sam, lee = user(store, "sam", "sales"), user(store, "lee", "legal")
    saved = contracts.save_contract(store, sam, form_a(timeliness=SLOW))
    draft = files.download(store, sam, saved.id, "docx")
    assert not draft.final and draft.filename == "HX-AS-2026-0158-v1-draft.docx"
    slow = [f"--set=timeliness.response_hours={SLOW['response_hours']}"]
    assert (
        run_cli(
            "generate", FORM_A, "--base", STANDARD, "-o", tmp_path / "d", "-f", "docx", "--draft", *slow
        ).exit_code
        == 0
    )
    assert draft.data == (tmp_path / "d" / "HX-AS-2026-0158.docx").read_bytes()

    contracts.decide(store, lee, saved.id, "approved", "agreed")
    final = files.download(store, sam, saved.id, "docx")
    assert final.final and final.filename == "HX-AS-2026-0158-v1.docx"
    assert (
        run_cli("generate", FORM_A, "--base", STANDARD, "-o", tmp_path / "f", "-f", "docx", *slow).exit_code
        == 0
    )
    assert final.data == (tmp_path / "f" / "HX-AS-2026-0158.docx").read_bytes() != draft.data

    # Later downloads give the kept bytes, whatever the renderer would make now.
    def changed_templates(layers: object, fmt: str, options: object) -> bytes:
        return b"not the same contract"

    again = files.download(store, lee, saved.id, "docx", render=changed_templates)
    assert (again.data, again.sha256) == (final.data, final.sha256)
    downloads = [
        (e.user, e.version, e.file_sha256, e.detail)
        for e in audit.entries(store, lee, contract=saved.id)
        if e.action == "download"
    ]
    assert downloads == [
        ("sam", 1, draft.sha256, "docx draft"),
        ("sam", 1, final.sha256, "docx final"),
        ("lee", 1, final.sha256, "docx final"),
    ]


def test_the_audit_log_tells_the_story_in_order(store: Store) -> None:
    sam, lee = user(store, "sam", "sales"), user(store, "lee", "legal")
    saved = contracts.save_contract(store, sam, form_a())
    contracts.update_contract(store, sam, saved.id, 1, form_a(timeliness=SLOW))
    contracts.decide(store, lee, saved.id, "approved", "ok")
    story = [
        (e.user, e.action, e.version, e.detail) for e in audit.entries(store, OPERATOR, contract=saved.id)
    ]
    assert story == [
        ("sam", "saved", 1, "approved"),
        ("(playbook)", "approved", 1, contracts.AUTOMATIC),
        ("sam", "saved", 2, "pending"),
        ("lee", "approved", 2, "ok"),
    ]


def test_the_form_reads_the_store_s_playbook(store: Store) -> None:
    playbook = contracts.playbook(store)
    verdict = playbook.classify("timeliness.response_hours", "30")
    assert verdict is not None and (verdict.status, verdict.allowed) == ("outside", "1–24")


def test_a_store_with_clause_folders_makes_its_contracts_with_them(store_url: str, tmp_path: Path) -> None:
    from generator.store.database import open_store

    from .helpers import standard

    folder = tmp_path / "clauses" / "zh-CN" / "content"
    folder.mkdir(parents=True)
    (folder / "hotline.md").write_text(
        "---\nid: hotline\nsection: content\ntitle: 紧急热线\nafter: timeliness\n"
        "when: timeliness.response_hours <= 4\n---\n甲方为乙方开通二十四小时紧急服务热线。\n",
        encoding="utf-8",
    )
    store = open_store(store_url, bases=standard(), clause_dirs=(tmp_path / "clauses",))
    try:
        sam = user(store, "sam", "sales")
        fast = {"response_hours": 2, "onsite_hours": 24, "inspection_hours": 48, "return_hours": 24}
        saved = contracts.save_contract(store, sam, form_a(timeliness=fast))
        assert "紧急服务热线" in files.download(store, sam, saved.id, "html").data.decode()
        contracts.update_contract(store, sam, saved.id, 1, form_a())
        report = contracts.compare(store, sam, saved.id, 1, 2)
        assert ("紧急热线", "removed") in [(c.title, c.change) for c in report.clauses]
    finally:
        store.close()
