"""Every variant a lawyer reads, generated for real and read back: legally sound in each.

The table is business/consumer × litigation/arbitration × calendar/working
clock × the four liability forms (hourly penalty with a cap, hourly penalty
alone, actual loss up to a cap, actual loss).  Each contract is made once,
as DOCX and PDF, by one ``agreement batch`` run in two worker processes, and
read back by pypdf (the font of every text run) and python-docx (every run's
effective weight).  The one combination the law forbids (a consumer's actual
loss under a cap) must be refused instead.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docx import Document as open_docx
from docx.table import Table
from pypdf import PdfReader

from generator.model import Document, ItemList, Notice, Paragraph, plain
from generator.params.commissions import builtin_commissions
from generator.pipeline import Options, build, contract_layers, prepare

from .conftest import STANDARD, run_cli

KINDS = {
    "business": {
        "customer.kind": "business",
        "customer.name": "杭州明远商贸有限公司",
        "customer.address": "浙江省杭州市西湖区文三路 90 号",
        "customer.representative": "王芳",
        "customer.phone": "0571-8765 4321",
    },
    "consumer": {
        "customer.kind": "consumer",
        "customer.name": "张伟",
        "customer.address": "上海市徐汇区漕溪北路 18 号 3 室",
        "customer.phone": "138 0000 0000",
    },
}
METHODS = {
    "litigation": {"disputes.method": "litigation", "disputes.court": "customer_domicile"},
    "arbitration": {"disputes.method": "arbitration", "disputes.arbitration_commission": "shiac"},
}
CLOCKS = {
    "calendar": {"timeliness.clock": "calendar"},
    "working": {"timeliness.clock": "working", "timeliness.working_hours": "09:00-18:00"},
}
LIABILITIES = {
    "penalty-cap": {"liabilities.penalty_per_hour": 100, "liabilities.penalty_cap": 10000},
    "penalty-only": {"liabilities.penalty_per_hour": 100, "liabilities.penalty_cap": None},
    "loss-cap": {"liabilities.penalty_per_hour": None, "liabilities.penalty_cap": 10000},
    "loss-only": {"liabilities.penalty_per_hour": None, "liabilities.penalty_cap": None},
}


@dataclass(frozen=True)
class Variant:
    kind: str
    method: str
    clock: str
    liability: str

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.method}-{self.clock}-{self.liability}"

    @property
    def values(self) -> dict[str, Any]:
        return {
            "contract_no": f"V-{self.name}",
            **KINDS[self.kind],
            **METHODS[self.method],
            **CLOCKS[self.clock],
            **LIABILITIES[self.liability],
        }

    @property
    def refused(self) -> bool:
        """A cap on a consumer's actual loss is void (消费者权益保护法 第26条): rule C007."""
        return self.kind == "consumer" and self.liability == "loss-cap"


ALL = [Variant(*combo) for combo in itertools.product(KINDS, METHODS, CLOCKS, LIABILITIES)]
MADE = [v for v in ALL if not v.refused]


def sets_of(variant: Variant) -> tuple[str, ...]:
    return tuple(f"{key}={json.dumps(value, ensure_ascii=False)}" for key, value in variant.values.items())


@dataclass(frozen=True)
class Read:
    """What one variant's files say: the model's marked terms, and each file's text with its weight."""

    model: Document
    pdf: list[tuple[str, bool]]
    docx: list[tuple[str, bool]]


@pytest.fixture(scope="module")
def contracts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Read]:
    """Every allowed variant as DOCX and PDF, made by one batch run, read back once."""
    folder = tmp_path_factory.mktemp("variants")
    table = folder / "variants.json"
    table.write_text(json.dumps([v.values for v in MADE], ensure_ascii=False), encoding="utf-8")
    out = folder / "out"
    formats = ("-f", "docx", "-f", "pdf")
    result = run_cli("batch", table, "--base", STANDARD, "-o", out, *formats, "-j", "2", "-q")
    assert result.exit_code == 0, result.output
    read = {}
    for variant in MADE:
        options = Options()
        model = build(prepare(contract_layers(None, (STANDARD,), sets_of(variant)), options), options)
        stem = out / f"V-{variant.name}"
        pdf, docx = pdf_runs(stem.with_suffix(".pdf")), docx_runs(stem.with_suffix(".docx"))
        read[variant.name] = Read(model, pdf, docx)
    return read


def pdf_runs(path: Path) -> list[tuple[str, bool]]:
    """Each text run of the PDF with whether its font is the bold face, page furniture left out."""
    runs: list[tuple[str, bool]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if not text.strip() or re.fullmatch(r"\s*(合同编号：\S+|第 \d+ 页 共 \d+ 页)\s*", text):
            return
        name = str(font.get("/BaseFont", "")) if font else ""
        runs.append((text, "Bold" in name))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return runs


def docx_runs(path: Path) -> list[tuple[str, bool]]:
    """Each run of the DOCX (body, then table cells, in order) with its own weight, else its style's."""
    paragraphs = []
    for block in open_docx(str(path)).iter_inner_content():
        if isinstance(block, Table):
            paragraphs.extend(p for row in block.rows for cell in row.cells for p in cell.paragraphs)
        else:
            paragraphs.append(block)
    runs = []
    for paragraph in paragraphs:
        for run in paragraph.runs:
            bold = run.bold if run.bold is not None else bool(run.style is not None and run.style.font.bold)
            runs.append((run.text, bold))
    return runs


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def text_of(runs: list[tuple[str, bool]]) -> str:
    return squash("".join(text for text, _ in runs))


def all_bold(runs: list[tuple[str, bool]], wanted: str) -> bool:
    """Whether ``wanted`` occurs in ``runs`` with every one of its characters in bold."""
    chars = [(char, bold) for text, bold in runs for char in squash(text)]
    flat = "".join(char for char, _ in chars)
    target = squash(wanted)
    start = flat.find(target)
    while start >= 0:
        if all(bold for _, bold in chars[start : start + len(target)]):
            return True
        start = flat.find(target, start + 1)
    return False


def marked_terms(model: Document) -> list[str]:
    """The text of every paragraph and item the model marks as a standard term."""
    terms = []
    for chapter in model.chapters():
        for clause in chapter.clauses:
            for block in clause.body:
                if isinstance(block, Paragraph) and block.emphasized:
                    terms.append(plain(block.spans))
                elif isinstance(block, ItemList):
                    terms.extend(item.label + plain(item.spans) for item in block.items if item.emphasized)
    return terms


def dispute_clause(text: str) -> str:
    start = text.index("争议解决。")
    return text[start : text.index("五、", start)]


@pytest.mark.parametrize("variant", MADE, ids=lambda v: v.name)
def test_every_standard_term_is_bold_in_both_files(contracts: dict[str, Read], variant: Variant) -> None:
    read = contracts[variant.name]
    terms = marked_terms(read.model)
    # The dispute clause is a standard term in every variant (民诉法解释 第31条).
    assert any("争议" in term for term in terms)
    for term in terms:
        assert all_bold(read.pdf, term), f"PDF: not bold: {term}"
        assert all_bold(read.docx, term), f"DOCX: not bold: {term}"


@pytest.mark.parametrize("variant", MADE, ids=lambda v: v.name)
def test_the_acknowledgement_is_there_and_bold(contracts: dict[str, Read], variant: Variant) -> None:
    read = contracts[variant.name]
    notice = next(block for block in read.model.blocks if isinstance(block, Notice))
    for runs in (read.pdf, read.docx):
        assert all_bold(runs, plain(notice.spans))
        body = text_of(runs)
        # Directly above the signatures; a consumer signs right under it.
        after = body[body.index(squash(plain(notice.spans))) + len(squash(plain(notice.spans))) :]
        first = "乙方（签字）：" if variant.kind == "consumer" else "甲方（盖章）："
        assert after.startswith(first)


@pytest.mark.parametrize("variant", MADE, ids=lambda v: v.name)
def test_a_natural_person_has_no_seal_and_no_representative(
    contracts: dict[str, Read], variant: Variant
) -> None:
    read = contracts[variant.name]
    for runs in (read.pdf, read.docx):
        body = text_of(runs)
        assert "签字或者盖章之日起生效" in body and "以后一方签字或者盖章之日为生效之日" in body
        if variant.kind == "consumer":
            assert "乙方（盖章）" not in body and "乙方（签字）" in body
            assert body.count("法定代表人或授权代表") == 2  # 甲方's party details and signature line
            assert "身份证件号码：" in body
        else:
            assert "乙方（盖章）" in body and "身份证件号码" not in body


@pytest.mark.parametrize("variant", MADE, ids=lambda v: v.name)
def test_the_dispute_clause_names_exactly_one_forum(contracts: dict[str, Read], variant: Variant) -> None:
    read = contracts[variant.name]
    for runs in (read.pdf, read.docx):
        clause = dispute_clause(text_of(runs))
        named = [c.zh for c in builtin_commissions().values() if squash(c.zh) in clause]
        if variant.method == "litigation":
            assert clause.count("人民法院") == 1 and "乙方住所地有管辖权的人民法院" in clause
            assert "仲裁" not in clause and named == []
        else:
            assert named == ["上海国际经济贸易仲裁委员会（上海国际仲裁中心）"] and clause.count("提交") == 1
            assert "均应当提交" in clause and "法院" not in clause and "诉讼" not in clause


@pytest.mark.parametrize("variant", MADE, ids=lambda v: v.name)
def test_no_zero_amount_anywhere(contracts: dict[str, Read], variant: Variant) -> None:
    read = contracts[variant.name]
    for runs in (read.pdf, read.docx):
        body = text_of(runs)
        assert not re.search(r"(?<![\d,])0\.00元|零元整", body)
        hourly = variant.liability.startswith("penalty")
        assert ("每延误一小时" in body) == hourly
        if hourly:
            unit = "工作小时" if variant.clock == "working" else "自然小时"
            assert f"约定的{unit}计算" in body


@pytest.mark.parametrize("variant", [v for v in ALL if v.refused], ids=lambda v: v.name)
def test_a_cap_on_a_consumers_actual_loss_is_refused(variant: Variant, tmp_path: Path) -> None:
    sets = [part for value in sets_of(variant) for part in ("--set", value)]
    # The standard is a base (its playbook may be nowhere else); the variant is all in the --set values.
    contract = tmp_path / "contract.json"
    contract.write_text("{}", encoding="utf-8")
    result = run_cli("validate", contract, "--base", STANDARD, *sets)
    assert result.exit_code == 1
    assert "error C007 liabilities.penalty_cap" in result.output
    assert "消费者权益保护法第二十六条" in result.output
