"""The command line as a user meets it: help, init, generate, validate, clauses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli.main import COMMANDS

from .conftest import FORM_A, ROOT, STANDARD, page_pixels, pdf_pages, run_cli


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and f"agreement {command}" in result.output


def test_init_writes_a_starter_that_validates_and_generates(tmp_path: Path) -> None:
    starter = tmp_path / "client.yaml"
    assert run_cli("init", "-o", starter).exit_code == 0
    text = starter.read_text(encoding="utf-8")
    for key in (
        "contract_no",
        "enterprise:",
        "customer:",
        "scope:",
        "response_hours",
        "clock",
        "complaint_channels",
        "months",
        "penalty_per_hour",
        "penalty_cap",
        "method",
        "court",
        "copies",
        "date",
        "place",
    ):
        assert key in text
    assert "# 合同编号" in text and "contract number" in text  # Chinese and English comments
    result = run_cli("generate", starter, "-o", tmp_path / "out", "-f", "docx")
    assert result.exit_code == 0, result.output
    assert run_cli("init", "-o", starter).exit_code == 1  # no silent overwrite


def test_init_prints_to_standard_output() -> None:
    result = run_cli("init")
    assert result.exit_code == 0 and result.output.startswith("# 售后处理时效协议书")


def test_existing_contract_is_not_overwritten_without_force(tmp_path: Path) -> None:
    args = ("generate", FORM_A, "--base", STANDARD, "-o", tmp_path, "-f", "docx")
    assert run_cli(*args).exit_code == 0
    target = tmp_path / "HX-AS-2026-0158.docx"
    target.write_bytes(b"signed copy")
    result = run_cli(*args)
    assert result.exit_code == 1 and "--force" in result.output
    assert target.read_bytes() == b"signed copy"
    assert run_cli(*args, "--force").exit_code == 0
    assert target.read_bytes() != b"signed copy"


def test_standalone_html_renders_alone_to_the_same_pdf(form_a: Path, tmp_path: Path) -> None:
    """WeasyPrint alone, on the HTML file, draws the same pixels as ``agreement`` on every page."""
    html = form_a / "HX-AS-2026-0158.html"
    assert 'font-family: "Noto Serif CJK SC"' in html.read_text(encoding="utf-8"), "stylesheet escaped"
    alone = tmp_path / "alone.pdf"
    subprocess.run(
        [sys.executable, "-m", "weasyprint", str(html), str(alone)], check=True, capture_output=True
    )
    ours = form_a / "HX-AS-2026-0158.pdf"
    pages = page_pixels(ours, tmp_path)
    assert len(pages) == len(pdf_pages(ours))
    assert page_pixels(alone, tmp_path) == pages


def test_validate_reports_ok_and_warnings() -> None:
    result = run_cli(
        "validate",
        FORM_A,
        "--base",
        STANDARD,
        "--set",
        "timeliness.response_hours=80",
        "--set",
        "timeliness.onsite_hours=96",
        "--set",
        "timeliness.inspection_hours=96",
    )
    assert result.exit_code == 0
    assert "ok: " in result.output and "W101" in result.output


def test_clauses_lists_sections_variants_conditions_and_parameters() -> None:
    result = run_cli("clauses")
    assert result.exit_code == 0
    assert "liability/disputes.arbitration.md" in result.output
    assert 'when: disputes.method == "arbitration"' in result.output
    assert "uses: commission.name, disputes.method" in result.output
    assert "uses: liabilities.penalty_cap, liabilities.penalty_per_hour" in result.output


def test_module_entry_point_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert "generate" in result.stdout
