"""The playbook: legal's ranges in the company standard, checked by validate, generate and the web form."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ParameterError
from generator.params import file_layer
from generator.pipeline import Options, contract_layers, prepare
from generator.playbook import Playbook, split_playbook

from .conftest import FORM_A, FORM_B, STANDARD, run_cli


def standard_playbook() -> Playbook:
    playbook, _ = split_playbook([file_layer(STANDARD, "base")])
    return playbook


def codes(contract: Path, *sets: str) -> list[tuple[str, str]]:
    prepared = prepare(contract_layers(contract, (STANDARD,), sets), Options())
    return [(f.rule.code, f.rule.key) for f in prepared.findings]


def test_the_example_standard_has_a_playbook_form_a_keeps_to() -> None:
    assert len(standard_playbook().bounds) >= 5
    assert codes(FORM_A) == []


def test_each_kind_of_limit_is_reported_with_its_code() -> None:
    found = codes(
        FORM_A,
        "timeliness.response_hours=30",  # max 24
        "term.months=3",  # min 6
        "customer.kind=consumer",  # choices [business]
        "customer.name=王芳",
        "customer.representative=null",
        "liabilities.penalty_cap=null",  # required
    )
    assert found == [
        # The consistency rules' own first: W103, an hourly penalty without a cap.
        ("W103", "liabilities.penalty_cap"),
        ("P002", "timeliness.response_hours"),
        ("P004", "liabilities.penalty_cap"),
        ("P001", "term.months"),
        ("P003", "customer.kind"),
    ]


def test_validate_warns_and_strict_makes_it_an_error_at_the_value_s_line() -> None:
    warned = run_cli("validate", FORM_B, "--base", STANDARD)
    assert warned.exit_code == 0
    assert "warning P003 disputes.method: not among the playbook's choices (litigation)" in warned.stderr
    strict = run_cli("validate", FORM_B, "--base", STANDARD, "--strict")
    assert strict.exit_code == 1
    line = next(n for n, text in enumerate(FORM_B.read_text().splitlines(), 1) if "method:" in text)
    assert f"{FORM_B}:{line}: warning P003 disputes.method" in strict.stderr


def test_generate_reports_playbook_warnings_and_strict_refuses(tmp_path: Path) -> None:
    result = run_cli("generate", FORM_B, "--base", STANDARD, "-o", tmp_path, "-f", "html")
    assert result.exit_code == 0 and "P003 disputes.method" in result.stderr
    refused = run_cli("generate", FORM_B, "--base", STANDARD, "-o", tmp_path / "s", "-f", "html", "--strict")
    assert refused.exit_code == 1 and "P003" in refused.stderr
    assert not (tmp_path / "s").exists()


def bad_standard(tmp_path: Path, playbook: str) -> str:
    """``validate`` of form A over a standard whose playbook is ``playbook``: its error output."""
    standard = tmp_path / "standard.yaml"
    standard.write_text(STANDARD.read_text().split("playbook:")[0] + "playbook:\n" + playbook)
    result = run_cli("validate", FORM_A, "--base", standard)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    return result.stderr


@pytest.mark.parametrize(
    ("playbook", "expected"),
    [
        (
            "  timeliness.respons_hours: {max: 24}\n",
            "unknown parameter 'timeliness.respons_hours'; did you mean 'response_hours'?",
        ),
        ("  timeliness.response_hours: {maximum: 24}\n", "did you mean 'max'?; allowed here: min, max"),
        ("  customer.name: {max: 3}\n", "customer.name is not a number, so it has no max; use choices"),
        ("  disputes.method: {choices: [litigaton]}\n", "'litigaton' is not a value of disputes.method"),
        ("  timeliness.response_hours: {min: 30, max: 24}\n", "max is below min"),
        ("  timeliness.response_hours: {max: 5000}\n", "less than or equal to 720"),
        ("  timeliness: {max: 24}\n", "is a group of keys; a range applies to one of them"),
        ("  timeliness.response_hours: 24\n", "must be a group of keys; its keys: min, max"),
    ],
)
def test_a_malformed_playbook_is_named_at_its_line(tmp_path: Path, playbook: str, expected: str) -> None:
    stderr = bad_standard(tmp_path, playbook)
    line = (tmp_path / "standard.yaml").read_text().splitlines().index(playbook.rstrip("\n")) + 1
    assert f"standard.yaml:{line}: " in stderr and "playbook." in stderr
    assert expected in stderr


def test_a_contract_cannot_bring_its_own_playbook(tmp_path: Path) -> None:
    contract = tmp_path / "client.yaml"
    contract.write_text(FORM_A.read_text() + "playbook:\n  timeliness.response_hours: {max: 700}\n")
    result = run_cli("validate", contract, "--base", STANDARD)
    assert result.exit_code == 1
    assert "a playbook belongs in the company standard (--base)" in result.stderr
    with pytest.raises(ParameterError, match="belongs in the company standard"):
        prepare(contract_layers(None, (STANDARD,), ("playbook.term.months={max: 120}",)), Options())


def test_the_form_classifies_each_field_as_typed() -> None:
    playbook = standard_playbook()
    verdict = playbook.classify("timeliness.response_hours", "24")
    assert verdict is not None and (verdict.status, verdict.allowed) == ("inside", "1–24")
    outside = playbook.classify("timeliness.response_hours", "25")
    assert outside is not None and outside.status == "outside" and "1–24" in outside.message
    invalid = playbook.classify("timeliness.response_hours", "abc")
    assert invalid is not None and invalid.status == "invalid"
    cap = playbook.classify("liabilities.penalty_cap", "20000.00")
    assert cap is not None and cap.status == "inside"
    assert [
        v.status
        for v in [
            playbook.classify("liabilities.penalty_cap", ""),
            playbook.classify("customer.kind", "consumer"),
        ]
        if v
    ] == ["outside", "outside"]
    assert playbook.classify("customer.name", "x") is None  # not covered: no colour
    verdicts = {v.key: v.status for v in playbook.classify_all({"timeliness": {"response_hours": 48}})}
    assert verdicts["timeliness.response_hours"] == "outside"
    assert verdicts["term.months"] == "inside"  # not in the form yet: nothing to object to


def test_a_list_parameter_keeps_to_its_choices(tmp_path: Path) -> None:
    standard = tmp_path / "standard.yaml"
    standard.write_text(
        STANDARD.read_text() + "  scope.services: {choices: [installation, onsite_service, "
        "factory_repair, consultation]}\n"
    )
    playbook, _ = split_playbook([file_layer(standard, "base")])
    inside = playbook.classify("scope.services", ["installation", "consultation"])
    outside = playbook.classify("scope.services", ["installation", "maintenance"])
    assert inside is not None and inside.status == "inside"
    assert outside is not None and outside.status == "outside"
