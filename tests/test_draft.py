"""Draft mode: a diagonal 草稿 / DRAFT mark on every page of both formats, and no signing date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document as open_docx

from generator.model import BLANK

from .conftest import FORM_A, STANDARD, docx_blocks, pdf_pages, run_cli, squash

CONTRACT = "HX-AS-2026-0158"
MARK = "草稿 DRAFT"
SIGNED = "签订日期：2026年11月25日"
UNSIGNED = f"签订日期：{BLANK}"


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Form A generated with --draft as DOCX and PDF; returns the folder."""
    out = tmp_path_factory.mktemp("draft")
    result = run_cli("generate", FORM_A, "--base", STANDARD, "--draft", "-o", out, "-f", "docx", "-f", "pdf")
    assert result.exit_code == 0, result.output
    return out


def test_every_pdf_page_carries_the_mark_once(draft: Path) -> None:
    pages = pdf_pages(draft / f"{CONTRACT}.pdf")
    assert len(pages) >= 4
    assert [squash(page).count(squash(MARK)) for page in pages] == [1] * len(pages)


def test_a_final_pdf_has_no_mark(form_a: Path) -> None:
    pages = pdf_pages(form_a / f"{CONTRACT}.pdf")
    assert not any("DRAFT" in page or "草稿" in page for page in pages)


def test_draft_leaves_the_signing_date_blank_in_both_formats(draft: Path, form_a: Path) -> None:
    for folder, present, absent in ((draft, UNSIGNED, SIGNED), (form_a, SIGNED, UNSIGNED)):
        pdf = squash("".join(pdf_pages(folder / f"{CONTRACT}.pdf")))
        docx = docx_blocks(folder / f"{CONTRACT}.docx")
        assert pdf.count(squash(present)) == 2 and squash(absent) not in pdf
        assert docx.count(present) == 2 and absent not in docx
    # Nowhere else does the draft give the date away in the text.
    assert "2026年11月25日" not in "".join(pdf_pages(draft / f"{CONTRACT}.pdf"))


def _header_xml(path: Path) -> str:
    """The XML of the header part the document's only section shows on every page."""
    word = open_docx(str(path))
    (section,) = word.sections
    assert not section.different_first_page_header_footer
    assert word.settings.odd_and_even_pages_header_footer is False
    return section.header.part.blob.decode("utf-8")


def test_docx_header_holds_a_diagonal_watermark_and_the_contract_number(draft: Path) -> None:
    xml = _header_xml(draft / f"{CONTRACT}.docx")
    shape = re.search(r"<v:shape [^>]*PowerPlusWaterMarkObject[^>]*>(.*?)</v:shape>", xml, re.S)
    assert shape, "no watermark shape in the header"
    assert f'string="{MARK}"' in shape.group(1)
    style = shape.group(0)
    assert "rotation:315" in style and "z-index:-" in style  # diagonal, behind the text
    assert 'opacity="0.18"' in shape.group(1)  # light
    header = open_docx(str(draft / f"{CONTRACT}.docx")).sections[0].header
    assert header.paragraphs[0].text.startswith(f"合同编号：{CONTRACT}")


def test_a_final_docx_has_no_watermark(form_a: Path) -> None:
    xml = _header_xml(form_a / f"{CONTRACT}.docx")
    assert "PowerPlusWaterMarkObject" not in xml and "DRAFT" not in xml
