"""Consistency rules: each one passes on a sound contract and fires on a broken one, through the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.checks import RULES

from .conftest import FORM_A, ROOT, STANDARD, run_cli

#: A natural person as the customer: no company-like name, no representative.
CONSUMER = ("customer.kind=consumer", "customer.name=王芳", "customer.representative=null")

#: code → (--set values that keep the rule quiet, --set values that break it).
#: Both sides start from form A over the company standard, which breaks no rule;
#: the passing side sits on the boundary wherever the rule has one.
CASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "C001": (("timeliness.response_hours=48",), ("timeliness.response_hours=49",)),
    "C002": (("timeliness.inspection_hours=24",), ("timeliness.inspection_hours=23",)),
    "C003": (("liabilities.penalty_cap=100",), ("liabilities.penalty_cap=99.99",)),
    "C004": (("term.months=1",), ("term.months=0",)),
    "C005": (
        ("disputes.method=arbitration", "disputes.arbitration_commission=上海国际仲裁中心"),
        ("disputes.method=arbitration",),
    ),
    "C006": (("disputes.method=litigation",), ("disputes.court=null",)),
    "W101": (
        ("timeliness.response_hours=72", "timeliness.onsite_hours=96", "timeliness.inspection_hours=96"),
        ("timeliness.response_hours=73", "timeliness.onsite_hours=96", "timeliness.inspection_hours=96"),
    ),
    "W102": (
        ("timeliness.clock=working", "timeliness.working_hours=09:00-18:00"),
        ("timeliness.clock=working",),
    ),
    "W103": (("liabilities.penalty_cap=10000",), ("liabilities.penalty_cap=null",)),
    "W104": (("liabilities.penalty_cap=50000",), ("liabilities.penalty_cap=50000.01",)),
    "C007": (CONSUMER, (*CONSUMER, "liabilities.penalty_per_hour=null")),
    "C008": (("disputes.court=signing_place",), ("disputes.court=signing_place", "signing.place=null")),
    "W105": (
        ("liabilities.cap_ceiling=20000", "liabilities.penalty_cap=20000"),
        ("liabilities.cap_ceiling=20000", "liabilities.penalty_cap=20000.01"),
    ),
    "W106": (
        ("timeliness.response_hours=2", "timeliness.clock=working", "timeliness.working_hours=09:00-18:00"),
        ("timeliness.response_hours=1",),
    ),
    "W107": (CONSUMER, (*CONSUMER, "disputes.method=arbitration", "disputes.arbitration_commission=shiac")),
}

SEVERITY = {rule.code: rule.severity for rule in RULES}


def validate(*args: str) -> tuple[int, str]:
    sets = [part for value in args for part in ("--set", value)]
    result = run_cli("validate", FORM_A, "--base", STANDARD, *sets)
    return result.exit_code, result.output


def test_every_rule_has_a_case_and_a_unique_code() -> None:
    assert sorted(CASES) == sorted(SEVERITY)
    assert len(SEVERITY) == len(RULES)


def test_the_lawyers_table_in_the_readme_says_what_each_rule_says() -> None:
    """The reviewing lawyer reads the rules in the README: code, severity, key and Chinese text as printed."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in RULES:
        row = re.search(rf"^\| {rule.code} \| (\w+) \| `([^`]+)` \| ([^|]+) \|", readme, re.MULTILINE)
        assert row is not None, rule.code
        assert (row[1], row[2], row[3].strip()) == (rule.severity, rule.key, rule.zh), rule.code


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_stays_quiet_on_a_sound_contract(code: str) -> None:
    exit_code, output = validate(*CASES[code][0])
    assert exit_code == 0, output
    assert code not in output
    assert "ok: " in output


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires_with_its_code_and_both_languages(code: str) -> None:
    exit_code, output = validate(*CASES[code][1])
    rule = next(rule for rule in RULES if rule.code == code)
    line = next(line for line in output.splitlines() if f" {code} " in line)
    assert rule.key in line and rule.en in line and rule.zh in line
    if rule.severity == "error":
        # Errors stop the contract, naming where the offending value came from.
        assert exit_code == 1
        assert line.startswith("Error: ") and "ok: " not in output
    else:
        assert exit_code == 0, output
        assert line.startswith(f"{FORM_A}: warning {code}")


@pytest.mark.parametrize("code", [code for code in sorted(CASES) if SEVERITY[code] == "warning"])
def test_strict_turns_a_warning_into_an_error(code: str) -> None:
    sets = [part for value in CASES[code][1] for part in ("--set", value)]
    result = run_cli("validate", FORM_A, "--base", STANDARD, "--strict", *sets)
    assert result.exit_code == 1
    assert f"warning {code}" in result.output and "ok: " not in result.output


def test_error_names_the_file_and_line_of_the_value(tmp_path: Path) -> None:
    client = tmp_path / "client.yaml"
    client.write_text(FORM_A.read_text(encoding="utf-8") + "term:\n  months: 0\n", encoding="utf-8")
    line = len(client.read_text(encoding="utf-8").splitlines())
    result = run_cli("validate", client, "--base", STANDARD)
    assert result.exit_code == 1
    assert f"Error: {client}:{line}: error C004 term.months" in result.output


@pytest.mark.parametrize(
    ("day", "problem"),
    [
        ("2026-02-28", None),
        ("2028-02-29", None),
        ("2026-02-29", "day value is outside expected range"),
        ("2026-04-31", "day value is outside expected range"),
        ("2026-13-01", "month value is outside expected range"),
    ],
)
def test_signing_date_must_exist_in_the_calendar(day: str, problem: str | None) -> None:
    """An impossible date is a parameter error (exit 1) caught by the schema, before the rules run."""
    exit_code, output = validate(f"signing.date={day}")
    if problem is None:
        assert exit_code == 0, output
    else:
        assert exit_code == 1
        assert "--set signing.date: signing.date: Input should be a valid date" in output
        assert problem in output and f"got '{day}'" in output
