"""The whole pipeline, read back by real tools: python-docx, poppler, LibreOffice."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document as open_docx

from generator.model import BLANK

from .conftest import FORM_A, FORM_B, docx_blocks, generate, pdf_body, pdf_pages, squash

CONTRACT = "HX-AS-2026-0158"
HEADER = f"合同编号：{CONTRACT}"
CHAPTERS = [
    "一、协议背景与目的",
    "二、协议内容与要求",
    "三、协议责任与义务",
    "四、违约责任与争议解决",
    "五、协议生效与终止",
    "六、其他",
]
ATTACHMENT = "附件一：售后服务流程图"


def docx_body(path: Path) -> str:
    return squash("".join(docx_blocks(path)))


def test_docx_and_pdf_say_the_same_in_the_same_order(form_a: Path) -> None:
    docx = docx_body(form_a / f"{CONTRACT}.docx")
    pdf = pdf_body(form_a / f"{CONTRACT}.pdf", HEADER)
    # The flowchart is a picture in the DOCX and selectable text in the PDF:
    # compare everything up to and including the attachment's heading.
    cut = squash(ATTACHMENT)
    assert docx.endswith(cut)
    assert pdf[: pdf.index(cut) + len(cut)] == docx


def test_every_chapter_is_present_and_numbered_in_order(form_a: Path) -> None:
    headings = [
        p.text for p in open_docx(str(form_a / f"{CONTRACT}.docx")).paragraphs if p.style.name == "Heading 1"
    ]
    assert headings == CHAPTERS
    pdf = pdf_body(form_a / f"{CONTRACT}.pdf", HEADER)
    positions = [pdf.index(squash(h)) for h in CHAPTERS]
    assert positions == sorted(positions)


def test_clause_and_item_numbers_are_computed(form_a: Path) -> None:
    text = docx_body(form_a / f"{CONTRACT}.docx")
    for number in ("1.1", "1.2", "2.1", "2.5", "3.2", "4.4", "5.2", "6.4"):
        assert f"{number}" in text
    assert "（1）产品的安装、调试及使用指导；" in text
    assert "（8）双方书面确认的与产品相关的其他售后服务事项。" in text


def test_parameter_values_reach_both_outputs(form_a: Path) -> None:
    docx = docx_body(form_a / f"{CONTRACT}.docx")
    pdf = pdf_body(form_a / f"{CONTRACT}.pdf", HEADER)
    for value in (
        "华信智能设备有限公司",
        "杭州明远商贸有限公司",
        "24小时内作出响应",
        "48小时内安排",
        "72小时内完成检测",
        "人民币100.00元（大写：壹佰元整）",
        "人民币10,000.00元（大写：壹万元整）",
        "2026年11月25日",
        "400-820-1234",
        "有效期为12个月",
        "一式两份",
    ):
        assert squash(value) in docx, value
        assert squash(value) in pdf, value


def test_no_template_syntax_or_empty_values_anywhere(form_a: Path) -> None:
    for text in (
        docx_body(form_a / f"{CONTRACT}.docx"),
        pdf_body(form_a / f"{CONTRACT}.pdf", HEADER),
        (form_a / f"{CONTRACT}.html").read_text(),
    ):
        for leftover in ("{{", "}}", "{%", "%}", "None", "undefined", "\ue000"):
            assert leftover not in text, leftover


def test_page_header_and_footer_on_every_page(form_a: Path) -> None:
    pages = pdf_pages(form_a / f"{CONTRACT}.pdf")
    for number, page in enumerate(pages, 1):
        assert CONTRACT in page
        assert f"第 {number} 页 共 {len(pages)} 页" in page
    docx = open_docx(str(form_a / f"{CONTRACT}.docx"))
    section = docx.sections[0]
    assert section.header.paragraphs[0].text == HEADER
    footer_xml = section.footer.paragraphs[0]._p.xml
    assert 'w:instr=" PAGE "' in footer_xml and 'w:instr=" NUMPAGES "' in footer_xml


def test_pdf_embeds_the_intended_cjk_faces(form_a: Path) -> None:
    listing = subprocess.run(
        ["pdffonts", str(form_a / f"{CONTRACT}.pdf")], check=True, capture_output=True, text=True
    ).stdout
    rows = listing.splitlines()[2:]
    names = {re.sub(r"^[A-Z]{6}\+", "", row.split()[0]) for row in rows}
    assert names == {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC-Bold"}, listing
    assert all(row.split()[-5] == "yes" for row in rows), listing  # the "emb" column


def test_docx_sets_east_asian_fonts_in_its_styles(form_a: Path) -> None:
    docx = open_docx(str(form_a / f"{CONTRACT}.docx"))
    east_asian = {
        name: docx.styles[name].element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        for name in ("Normal", "Heading 1", "Title", "Strong Term")
    }
    assert east_asian == {
        "Normal": "Noto Serif CJK SC",
        "Heading 1": "Noto Sans CJK SC",
        "Title": "Noto Sans CJK SC",
        "Strong Term": "Noto Sans CJK SC",
    }


def test_page_one_is_not_blank(form_a: Path, tmp_path: Path) -> None:
    from PIL import Image

    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(form_a / f"{CONTRACT}.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = sum(1 for pixel in image.getdata() if pixel < 128)
    assert dark > 0.01 * image.width * image.height


@pytest.mark.parametrize(
    ("contract", "number", "sets"),
    [
        (FORM_A, CONTRACT, ()),
        (FORM_B, "HX-AS-2026-0159", ()),
        (
            FORM_A,
            CONTRACT,
            (
                "customer.kind=consumer",
                "customer.name=王芳",
                "customer.representative=null",
                "signing.copies=3",
            ),
        ),
    ],
    ids=["form-a", "form-b", "consumer"],
)
def test_libreoffice_prints_the_docx_like_our_pdf(
    tmp_path: Path, libreoffice: Callable[[Path], Path], contract: Path, number: str, sets: tuple[str, ...]
) -> None:
    generate(tmp_path, *sets, contract=contract)
    printed = libreoffice(tmp_path / f"{number}.docx")
    ours = tmp_path / f"{number}.pdf"
    assert len(pdf_pages(printed)) == len(pdf_pages(ours))
    header = f"合同编号：{number}"
    cut = squash(ATTACHMENT)
    theirs = pdf_body(printed, header, header_first=True)
    assert theirs[: theirs.index(cut)] == pdf_body(ours, header)[: theirs.index(cut)]
    fonts = subprocess.run(["pdffonts", str(printed)], check=True, capture_output=True, text=True).stdout
    assert "NotoSerifCJK" in fonts and "NotoSansCJK" in fonts, fonts
    # Line by line, too: Chinese line-breaking settings in the DOCX once moved a fifth of the lines.
    our_lines = [squash(line) for page in pdf_pages(ours) for line in page.splitlines() if line.strip()]
    their_lines = [squash(line) for page in pdf_pages(printed) for line in page.splitlines() if line.strip()]
    assert sum(line in our_lines for line in their_lines) >= 0.9 * len(their_lines)
    # The blanks to sign on stay whole, each as in the PDF: on a line of its own after a long
    # label (a representative's), beside a short one (a consumer's 乙方（签字）).
    blanks = [line for line in their_lines if "_" in line]
    assert blanks == [line for line in our_lines if "_" in line]
    assert all(BLANK in line for line in blanks) and blanks.count(BLANK) >= 1


def test_form_b_differs_from_form_a_only_through_parameters(tmp_path: Path) -> None:
    generate(
        tmp_path,
        "timeliness.response_hours=1",
        "timeliness.onsite_hours=24",
        "timeliness.inspection_hours=48",
        "timeliness.explain_delay=in_advance",
        "process.collect_opinion=true",
    )
    for text in (docx_body(tmp_path / f"{CONTRACT}.docx"), pdf_body(tmp_path / f"{CONTRACT}.pdf", HEADER)):
        assert "1小时内作出响应" in text
        assert "24小时内安排" in text
        assert "48小时内完成检测" in text
        assert "应当在相应时限届满前向乙方说明原因" in text
        assert "并收集乙方对处理结果的意见" in text


def test_form_b_file_uses_arbitration_and_a_hand_filled_blank(tmp_path: Path) -> None:
    generate(tmp_path, contract=FORM_B, formats=("docx",))
    text = docx_body(tmp_path / "HX-AS-2026-0159.docx")
    assert "提交上海国际经济贸易仲裁委员会（上海国际仲裁中心）" in text and "人民法院" not in text
    assert "电子邮箱：________________" in docx_blocks(tmp_path / "HX-AS-2026-0159.docx")


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_hostile_customer_name_stays_literal(tmp_path: Path, fmt: str) -> None:
    name = "O'Neil & <Sons> {{ 7*7 }} *Ltd* 有限公司"
    generate(tmp_path, f"customer.name={json.dumps(name, ensure_ascii=False)}", formats=(fmt,))
    path = tmp_path / f"{CONTRACT}.{fmt}"
    text = docx_body(path) if fmt == "docx" else pdf_body(path, HEADER)
    assert squash(name) in text
    assert "49" not in text.replace("2026", "")
    # Structure unchanged: the same chapters in order, and the name's asterisks are not emphasis.
    positions = [text.index(squash(h)) for h in CHAPTERS]
    assert positions == sorted(positions)
    if fmt == "docx":
        runs = [r for p in open_docx(str(path)).paragraphs for r in p.runs if "*Ltd*" in r.text]
        assert runs and all(not r.style or r.style.name != "Strong Term" for r in runs)


def test_by_hand_leaves_a_blank_even_over_a_lower_layers_value(tmp_path: Path) -> None:
    generate(tmp_path, "customer.by_hand=[phone]", formats=("docx",))
    blocks = docx_blocks(tmp_path / f"{CONTRACT}.docx")
    assert "联系电话：________________" in blocks
    assert not any("0571-8765 4321" in block for block in blocks)
