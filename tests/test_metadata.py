"""What a document says about itself: DOCX core properties, PDF metadata and the PDF outline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx import Document as open_docx
from pypdf import PdfReader

from generator.pipeline import Options, contract_layers, prepare
from generator.textfmt import chinese_numeral

from .conftest import FORM_A, STANDARD, pdf_pages, squash

CONTRACT = "HX-AS-2026-0158"
TITLE = "售后处理时效协议书"
PARTIES = ("华信智能设备有限公司", "杭州明远商贸有限公司")


@pytest.fixture(scope="module")
def fingerprint() -> str:
    """The hash of form A's final parameters, as the library computes it."""
    return prepare(contract_layers(FORM_A, (STANDARD,), ()), Options()).params.fingerprint


def test_fingerprint_is_a_sha256_that_follows_the_parameters(fingerprint: str) -> None:
    changed = prepare(contract_layers(FORM_A, (STANDARD,), ("term.months=24",)), Options())
    assert len(fingerprint) == 64 and int(fingerprint, 16) >= 0
    assert changed.params.fingerprint != fingerprint


def test_docx_core_properties(form_a: Path, fingerprint: str) -> None:
    props = open_docx(str(form_a / f"{CONTRACT}.docx")).core_properties
    assert props.title == TITLE
    assert all(party in props.author for party in PARTIES)
    assert all(party in props.subject for party in PARTIES)
    assert props.identifier == CONTRACT and CONTRACT in props.keywords
    assert props.language == "zh-CN"
    assert fingerprint in props.keywords and fingerprint in props.comments
    assert (props.created.date().isoformat(), props.modified.date().isoformat()) == ("2026-11-25",) * 2


def test_pdf_metadata(form_a: Path, fingerprint: str) -> None:
    reader = PdfReader(form_a / f"{CONTRACT}.pdf")
    info = reader.metadata
    assert info is not None
    assert info.title == TITLE
    assert info.author is not None and all(party in info.author for party in PARTIES)
    assert info.subject is not None and all(party in info.subject for party in PARTIES)
    keywords = str(info["/Keywords"])
    assert CONTRACT in keywords and fingerprint in keywords
    assert info["/CreationDate"].startswith("D:20261125") and info["/ModDate"].startswith("D:20261125")
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


def _outline(reader: PdfReader, items: list[Any]) -> list[tuple[str, int]]:
    flat: list[tuple[str, int]] = []
    for item in items:
        if isinstance(item, list):
            flat.extend(_outline(reader, item))
        else:
            page = reader.get_destination_page_number(item)
            assert page is not None
            flat.append((item.title, page))
    return flat


def test_pdf_outline_has_the_chapters_and_the_attachment_on_their_pages(form_a: Path) -> None:
    path = form_a / f"{CONTRACT}.pdf"
    reader = PdfReader(path)
    outline = _outline(reader, reader.outline)
    titles = [title for title, _ in outline]
    assert titles[0] == TITLE
    chapters = titles[1:-1]
    assert [t.split("、")[0] for t in chapters] == [chinese_numeral(n) for n in range(1, len(chapters) + 1)]
    assert len(chapters) >= 6 and "四、违约责任与争议解决" in chapters
    assert titles[-1] == "附件一：售后服务流程图"
    pages = pdf_pages(path)
    for title, page in outline:
        assert squash(title) in squash(pages[page]), f"{title} is not on page {page + 1}"
    # The attachment is on a page of its own, the last.
    assert outline[-1][1] == len(pages) - 1
