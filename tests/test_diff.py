"""The deviation report: form A against form B of the domain description, and the standard against each."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import FORM_A, FORM_B, STANDARD, run_cli

#: Form A → form B, as the domain description's table and wording options set them.
FORM_B_CHANGES = [
    ("timeliness.response_hours", 24, 1),
    ("timeliness.onsite_hours", 48, 24),
    ("timeliness.inspection_hours", 72, 48),
    ("timeliness.explain_delay", "promptly", "in_advance"),
    ("process.collect_opinion", False, True),
    ("disputes.method", "litigation", "arbitration"),
    ("disputes.arbitration_commission", None, "shiac"),
]
FORM_B_CLAUSES = [
    ("2.3", "服务时限", "changed"),
    ("2.5", "不能按时完成的处理", "changed"),
    ("2.6", "服务流程", "changed"),
    ("4.4", "争议解决", "changed"),
    ("6.3", "通知与送达", "changed"),
    ("", "附件一：售后服务流程图", "changed"),
]
#: Form B's 1-hour response limit runs round the clock: rule W106 warns.
FORM_B_FINDINGS = [("W106", "warning"), ("P003", "warning")]


def diff_json(*args: str | Path) -> dict[str, Any]:
    result = run_cli("diff", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def changes(data: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    return [(p["key"], p["standard"], p["client"]) for p in data["parameters"]]


def clauses(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(c["number"], c["title"], c["change"]) for c in data["clauses"]]


def test_form_a_against_form_b_lists_the_terms_that_differ() -> None:
    data = diff_json(FORM_A, FORM_B, "--base", STANDARD)
    # The contract number and the customer are the client's own, never a deviation.
    assert changes(data) == FORM_B_CHANGES
    assert clauses(data) == FORM_B_CLAUSES
    # Form B: a 1-hour limit round the clock (W106) and arbitration, outside the playbook (P003).
    assert [(f["code"], f["severity"]) for f in data["findings"]] == FORM_B_FINDINGS
    assert (data["standard"], data["client"]) == (str(FORM_A), str(FORM_B))


def test_standard_against_form_b_gives_the_same_report() -> None:
    data = diff_json(STANDARD, FORM_B)
    assert changes(data) == FORM_B_CHANGES
    assert clauses(data) == FORM_B_CLAUSES


def test_text_report_shows_values_and_clause_numbers() -> None:
    result = run_cli("diff", FORM_A, FORM_B, "--base", STANDARD)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "  timeliness.response_hours: 24 → 1" in lines
    assert "  disputes.arbitration_commission: — → shiac" in lines
    assert "  2.3 服务时限 (改变 changed)" in lines
    assert "  附件一：售后服务流程图 (改变 changed)" in lines
    assert "新增警告 Consistency warnings the client adds (2):" in lines
    assert any(line.startswith("  warning P003 disputes.method:") for line in lines)


def test_markdown_report_is_a_table_per_section() -> None:
    result = run_cli("diff", FORM_A, FORM_B, "--base", STANDARD, "--format", "md")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "| `timeliness.onsite_hours` | 48 | 24 |" in lines
    assert "| 4.4 争议解决 | 改变 changed |" in lines
    assert lines.count("| --- | --- | --- |") == 1
    assert lines.count("| --- | --- | --- | --- |") == 1
    assert any(line.startswith("| W106 | warning |") for line in lines)
    assert any(line.startswith("| P003 | warning | `disputes.method` |") for line in lines)


def test_no_deviation_is_a_report_too() -> None:
    result = run_cli("diff", STANDARD, FORM_A)
    assert result.exit_code == 0
    assert result.stdout.count("  none") == 3


def test_set_changes_the_client_only_and_warnings_it_adds_are_listed() -> None:
    data = diff_json(
        STANDARD,
        FORM_A,
        "--set",
        "timeliness.response_hours=80",
        "--set",
        "timeliness.onsite_hours=96",
        "--set",
        "timeliness.inspection_hours=96",
        "--set",
        "liabilities.penalty_cap=null",
    )
    assert changes(data) == [
        ("timeliness.response_hours", 24, 80),
        ("timeliness.onsite_hours", 48, 96),
        ("timeliness.inspection_hours", 72, 96),
        ("liabilities.penalty_cap", "10000.00", None),
    ]
    assert clauses(data) == [
        ("2.3", "服务时限", "changed"),
        ("4.2", "延误违约金", "changed"),
        ("", "附件一：售后服务流程图", "changed"),
    ]
    assert [(f["code"], f["key"]) for f in data["findings"]] == [
        ("W101", "timeliness.response_hours"),
        ("W103", "liabilities.penalty_cap"),
        # The playbook's: response 80 > 24, on-site 96 > 72, and no cap where one is required.
        ("P002", "timeliness.response_hours"),
        ("P002", "timeliness.onsite_hours"),
        ("P004", "liabilities.penalty_cap"),
    ]
    assert {f["severity"] for f in data["findings"]} == {"warning"}


def test_an_added_clause_is_reported_and_renumbering_alone_is_not(tmp_path: Path) -> None:
    """A user clause that applies only to fast responses: form B gains it, its neighbours only move.

    It goes after clause 2.5, so that no clause another refers to by number
    (2.4, the clock) moves: a moved cross-reference would change the text.
    """
    folder = tmp_path / "clauses" / "zh-CN" / "content"
    folder.mkdir(parents=True)
    (folder / "hotline.md").write_text(
        "---\nid: hotline\nsection: content\ntitle: 紧急热线\nafter: delay\n"
        "when: timeliness.response_hours <= 4\n---\n甲方为乙方开通二十四小时紧急服务热线。\n",
        encoding="utf-8",
    )
    user = ("--clauses", tmp_path / "clauses")
    added = clauses(diff_json(FORM_A, FORM_B, "--base", STANDARD, *user))
    assert added == [
        ("2.3", "服务时限", "changed"),
        ("2.5", "不能按时完成的处理", "changed"),
        ("2.6", "紧急热线", "added"),
        ("2.7", "服务流程", "changed"),
        ("4.4", "争议解决", "changed"),
        ("6.3", "通知与送达", "changed"),
        ("", "附件一：售后服务流程图", "changed"),
    ]
    # Form A layered over form B keeps form B's terms unless told otherwise.
    slower = ("--set", "timeliness.response_hours=24")
    removed = clauses(diff_json(FORM_B, FORM_A, "--base", STANDARD, *user, *slower))
    assert removed == [
        ("2.3", "服务时限", "changed"),
        ("", "附件一：售后服务流程图", "changed"),
        ("2.6", "紧急热线", "removed"),
    ]


def test_a_client_that_contradicts_itself_stops_the_report() -> None:
    result = run_cli("diff", STANDARD, FORM_A, "--set", "term.months=0")
    assert result.exit_code == 1
    assert "error C004 term.months" in result.output and "偏离报告" not in result.output


@pytest.mark.parametrize("missing", ["standard", "client"])
def test_a_missing_file_is_a_clean_error(tmp_path: Path, missing: str) -> None:
    absent = tmp_path / "absent.yaml"
    args = (absent, FORM_A) if missing == "standard" else (STANDARD, absent)
    result = run_cli("diff", *args)
    assert result.exit_code != 0
    assert result.output.startswith("Error: ") and str(absent) in result.output


def test_validate_against_prints_the_report_after_validation() -> None:
    result = run_cli("validate", FORM_B, "--base", STANDARD, "--against", STANDARD)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("ok: ") < out.index("偏离报告 Deviation report")
    assert "  timeliness.onsite_hours: 48 → 24" in out and "  4.4 争议解决 (改变 changed)" in out
