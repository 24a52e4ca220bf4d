"""Parameter layers: defaults ← --base files ← the contract's file ← --set, with provenance."""

from __future__ import annotations

from pathlib import Path

from generator.params import set_layers
from generator.pipeline import Options, contract_layers, prepare

from .conftest import FORM_A, STANDARD, run_cli


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_later_layers_win_key_by_key() -> None:
    layers = contract_layers(FORM_A, (STANDARD,), ("timeliness.response_hours=1",))
    agreement = prepare(layers, Options()).params.agreement
    assert agreement.timeliness.response_hours == 1  # --set
    assert agreement.timeliness.onsite_hours == 48  # template default
    assert agreement.enterprise.name == "华信智能设备有限公司"  # --base
    assert agreement.customer.name == "杭州明远商贸有限公司"  # contract file


def test_two_bases_stack_in_order(tmp_path: Path) -> None:
    region = write(tmp_path / "region.yaml", "disputes:\n  court: customer_domicile\n")
    agreement = prepare(contract_layers(FORM_A, (STANDARD, region), ()), Options()).params.agreement
    assert agreement.disputes.court == "customer_domicile"
    assert agreement.disputes.method == "litigation"


def test_null_clears_a_value_from_a_lower_layer() -> None:
    layers = contract_layers(FORM_A, (STANDARD,), ("liabilities.penalty_cap=null",))
    assert prepare(layers, Options()).params.agreement.liabilities.penalty_cap is None


def test_every_value_knows_its_layer_and_line() -> None:
    params = prepare(contract_layers(FORM_A, (STANDARD,), ("term.months=24",)), Options()).params
    origins = {key: origin for key, _, origin in params.listing()}
    assert origins["customer.name"] == f"contract: {FORM_A}:4"
    assert origins["enterprise.name"] == f"base: {STANDARD}:4"
    assert origins["term.months"] == "set: --set term.months"
    assert origins["timeliness.onsite_hours"].startswith("defaults: ")


def test_show_params_prints_value_and_origin() -> None:
    result = run_cli("validate", FORM_A, "--base", STANDARD, "--show-params")
    assert result.exit_code == 0, result.output
    assert f"customer.name = '杭州明远商贸有限公司'    # contract: {FORM_A}:4" in result.output


def test_json_and_toml_files_are_equivalent_to_yaml(tmp_path: Path) -> None:
    json_file = write(
        tmp_path / "c.json",
        '{"contract_no": "J-1", "customer": {"name": "甲", "address": "a",'
        ' "representative": "r", "phone": "1"}}',
    )
    toml_file = write(
        tmp_path / "c.toml",
        'contract_no = "J-1"\n[customer]\nname = "甲"\naddress = "a"\nrepresentative = "r"\nphone = "1"\n',
    )
    results = [prepare(contract_layers(f, (STANDARD,), ()), Options()).params for f in (json_file, toml_file)]
    assert results[0].fingerprint == results[1].fingerprint


def test_error_names_file_line_key_value_and_what_is_allowed(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", "contract_no: X-1\ntimeliness:\n  onsite_hours: 4800\n")
    result = run_cli("validate", bad, "--base", STANDARD)
    assert result.exit_code == 1
    assert f"{bad}:3: timeliness.onsite_hours: Input should be less than or equal to 720; got '4800'" in (
        result.output
    )


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", "contract_no: X-1\ntimeliness:\n  respons_hours: 2\n")
    result = run_cli("validate", bad, "--base", STANDARD)
    assert result.exit_code == 1
    assert f"{bad}:3: unknown key 'timeliness.respons_hours'; did you mean 'response_hours'?" in result.output


def test_missing_party_name_points_at_the_contract_file(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", "contract_no: X-1\ncustomer:\n  address: a\n")
    result = run_cli("validate", bad, "--base", STANDARD)
    assert result.exit_code == 1
    assert f"{bad}:2: 'customer.name' is required but missing" in result.output


def test_set_values_are_yaml_scalars_and_lists() -> None:
    layers = set_layers(["scope.services=[repair]", "signing.date=2026-12-01", "term.months=6"])
    merged = {k: v for layer in layers for k, v in layer.tree.items()}
    assert merged["scope"] == {"services": ["repair"]}
    assert str(merged["signing"]["date"]) == "2026-12-01"
    assert merged["term"] == {"months": 6}
