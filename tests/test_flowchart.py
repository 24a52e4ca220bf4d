"""The attachment's flowchart: built from this contract's terms, the same in both outputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from docx import Document as open_docx

from .conftest import FORM_A, STANDARD, generate, pdf_pages, run_cli, squash

CONTRACT = "HX-AS-2026-0158"
ALL_BUT_ONSITE = (
    "[installation, remote_support, factory_repair, replacement, consultation, maintenance, other]"
)


def chart(tmp_path: Path, *sets: str, suffix: str = "svg") -> str:
    target = tmp_path / f"chart.{suffix}"
    args = [a for s in sets for a in ("--set", s)]
    result = run_cli("flowchart", FORM_A, "--base", STANDARD, "-o", target, *args)
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8") if suffix == "svg" else ""


def attachment_page(folder: Path) -> str:
    return squash(pdf_pages(folder / f"{CONTRACT}.pdf")[-1])


def test_changed_onsite_limit_reaches_the_svg_and_the_pdf_attachment(tmp_path: Path) -> None:
    assert "≤ 48小时" in chart(tmp_path)
    faster = chart(tmp_path / "faster", "timeliness.onsite_hours=24")
    assert "≤ 48小时" not in faster and faster.count("≤ 24小时") == 3  # response, on-site, return

    generate(tmp_path / "pdf", "timeliness.onsite_hours=24", formats=("pdf",))
    page = attachment_page(tmp_path / "pdf")
    assert page.startswith("附件一：售后服务流程图")
    assert "上门服务≤24小时" in page and "48小时" not in page


def test_working_hours_clock_is_shown_on_the_steps(tmp_path: Path) -> None:
    svg = chart(tmp_path, "timeliness.clock=working", "timeliness.working_hours=09:00-18:00")
    assert "≤ 24个工作小时" in svg


def test_service_out_of_scope_has_no_node_and_no_limit(tmp_path: Path) -> None:
    svg = chart(tmp_path, f"scope.services={ALL_BUT_ONSITE}")
    assert "上门服务" not in svg and "48小时" not in svg
    assert "返厂检测并提供维修方案" in svg


def test_complaint_node_names_this_contracts_channels(tmp_path: Path) -> None:
    svg = chart(tmp_path, "complaint_channels=[{kind: wechat, value: 华信服务}]")
    assert "微信公众号" in svg and "服务电话" not in svg


def test_docx_holds_exactly_one_image_on_the_attachment_page(form_a: Path) -> None:
    document = open_docx(str(form_a / f"{CONTRACT}.docx"))
    assert len(document.inline_shapes) == 1
    paragraphs = document.paragraphs
    heading = next(i for i, p in enumerate(paragraphs) if p.style.name == "Attachment Heading")
    assert paragraphs[heading].paragraph_format.page_break_before
    assert paragraphs[heading].text == "附件一：售后服务流程图"
    picture = paragraphs[heading + 1]
    assert picture._p.xpath(".//pic:pic")
    assert all(not p._p.xpath(".//pic:pic") for p in paragraphs[: heading + 1])


def test_pdf_chart_labels_are_real_text_and_the_process_clause_refers_to_it(form_a: Path) -> None:
    page = attachment_page(form_a)
    for label in ("服务请求", "响应并确认问题≤24小时", "返厂检测并提供维修方案≤72小时", "反馈处理结果"):
        assert label in page
    body = squash("".join(pdf_pages(form_a / f"{CONTRACT}.pdf")[:-1]))
    assert "流程图见附件一" in body


def test_png_is_print_resolution(tmp_path: Path) -> None:
    from PIL import Image

    chart(tmp_path, suffix="png")
    with Image.open(tmp_path / "chart.png") as image:
        assert image.format == "PNG" and image.width > 1200


def test_wrong_suffix_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("flowchart", FORM_A, "--base", STANDARD, "-o", tmp_path / "chart.pdf")
    assert result.exit_code == 2 and ".svg or .png" in result.output
    assert not list(tmp_path.iterdir())


def test_missing_graphviz_names_the_package_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.appendix import flowchart

    flowchart._draw.cache_clear()
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    result = run_cli(
        "generate", FORM_A, "--base", STANDARD, "-o", tmp_path / "out", "--set", "timeliness.onsite_hours=47"
    )
    assert result.exit_code == 1
    assert "apt-get install graphviz" in result.output
    assert not (tmp_path / "out").exists() or not os.listdir(tmp_path / "out")
