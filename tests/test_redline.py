"""The redline: the client's contract with every difference from the standard as a tracked change.

The two properties that make a redline trustworthy are tested by applying
its markup as Word does: accepting every change must give the client's
contract paragraph by paragraph, rejecting every change the standard's.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree
from openxml_audit import OpenXmlValidator

from generator.diff import versions
from generator.model import Document
from generator.pipeline import Options, build, contract_layers, prepare, render
from generator.redline import FIGURE_CHANGED, PDF_MARK, redline
from generator.writers.docx import render_docx
from generator.writers.editing import Editing
from generator.writers.html import SEAL_ANCHORS, render_html
from generator.writers.pdf import PdfOptions

from .conftest import EXAMPLES, FORM_A, FORM_B, STANDARD, docx_blocks, pdf_pages, run_cli, squash

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
AUTHOR = "合同生成系统"
DATE = "2026-11-25T00:00:00Z"


def applied(path: Path, *, accept: bool) -> list[str]:
    """The DOCX's paragraphs (body and table cells, in order) with every change accepted or rejected.

    As Word does it: accepting drops deleted text and keeps inserted text;
    a paragraph whose mark is deleted (on accept) or inserted (on reject)
    joins the next paragraph; a table row whose ``w:trPr`` holds a deleted
    (on accept) or inserted (on reject) mark goes, with everything in it.
    """
    dropped = f"{W}del" if accept else f"{W}ins"
    with zipfile.ZipFile(path) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
    texts: list[str] = []
    carried = ""
    for paragraph in body.iter(f"{W}p"):
        row = next(paragraph.iterancestors(f"{W}tr"), None)
        if row is not None and row.find(f"{W}trPr/{dropped}") is not None:
            continue
        text = carried + "".join(
            node.text or ""
            for node in paragraph.iter(f"{W}t", f"{W}delText")
            if not any(a.tag == dropped for a in node.iterancestors())
        )
        if paragraph.find(f"{W}pPr/{W}rPr/{dropped}") is not None:
            carried = text
            continue
        carried = ""
        texts.append(text)
    assert carried == ""
    return texts


def docx_of(document: Document, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.docx"
    path.write_bytes(render_docx(document))
    return path


def both(contract: Path, bases: tuple[Path, ...], *sets: str) -> tuple[Document, Document]:
    """The standard version and the client's contract, as ``agreement diff`` builds them."""
    options = Options()
    client = prepare(contract_layers(contract, bases, sets), options)
    standard = contract_layers(None, bases, ())
    (_, standard_doc), client_doc = versions(standard, client, options, origin="test", in_client_form=True)
    return standard_doc, client_doc


def document(*sets: str) -> Document:
    options = Options()
    return build(prepare(contract_layers(FORM_A, (STANDARD,), sets), options), options)


def revisions(path: Path) -> list[tuple[str, str, str, str]]:
    """Each tracked change: kind, its text, author, date."""
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return [
        (
            change.tag.removeprefix(W),
            "".join(t.text or "" for t in change.iter(f"{W}t", f"{W}delText")),
            change.get(f"{W}author"),
            change.get(f"{W}date"),
        )
        for change in root.iter(f"{W}ins", f"{W}del")
        if change.getparent().tag != f"{W}rPr"
    ]


def strong(path: Path, *, accept: bool | None = None) -> str:
    """The text in bold runs (standard terms, clause leads), with the changes applied as in ``applied``."""
    dropped = {True: f"{W}del", False: f"{W}ins", None: None}[accept]
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return "".join(
        text.text or ""
        for text in root.iter(f"{W}t", f"{W}delText")
        if text.getparent().find(f"{W}rPr/{W}rStyle") is not None
        and not any(a.tag == dropped for a in text.iterancestors())
    )


def signature_rows(path: Path) -> list[tuple[str | None, str, set[str]]]:
    """Each signature table row (the tables after the acknowledgement): its row mark, text, run marks."""
    with zipfile.ZipFile(path) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
    rows = []
    for row in body.iterfind(f"{W}tbl/{W}tr"):
        marks = [m.tag.removeprefix(W) for m in row.iterfind(f"{W}trPr/*") if m.tag in (f"{W}ins", f"{W}del")]
        kind = marks[0] if marks else None
        text = "".join(t.text or "" for t in row.iter(f"{W}t", f"{W}delText"))
        runs = {r.getparent().tag.removeprefix(W) for r in row.iter(f"{W}r")}
        rows.append((kind, text, runs))
    return rows


@pytest.fixture(scope="module")
def form_b_redline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("redline")
    result = run_cli("diff", FORM_A, FORM_B, "--base", STANDARD, "--format", "docx", "-o", out / "b.docx")
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out / 'b.docx'}\n"
    return out / "b.docx"


def test_form_a_to_b_accept_gives_the_client_and_reject_the_standard(
    form_b_redline: Path, tmp_path: Path
) -> None:
    standard, client = both(FORM_B, (STANDARD, FORM_A))
    assert applied(form_b_redline, accept=True) == docx_blocks(docx_of(client, tmp_path, "client"))
    assert applied(form_b_redline, accept=False) == docx_blocks(docx_of(standard, tmp_path, "standard"))


def test_changes_are_as_fine_as_words_and_numbers(form_b_redline: Path) -> None:
    changes = revisions(form_b_redline)
    assert ("del", "24", AUTHOR, DATE) in changes and ("ins", "1", AUTHOR, DATE) in changes
    assert ("del", "72", AUTHOR, DATE) in changes and ("ins", "48", AUTHOR, DATE) in changes
    assert {(author, date) for _, _, author, date in changes} == {(AUTHOR, DATE)}
    # The three time limits, each number alone (24/48/72 → 1/24/48 hours):
    assert [text for _, text, _, _ in changes[:6]] == ["24", "1", "48", "24", "72", "48"]
    with zipfile.ZipFile(form_b_redline) as package:
        root = etree.fromstring(package.read("word/document.xml"))
        comments = etree.fromstring(package.read("word/comments.xml"))
        settings = etree.fromstring(package.read("word/settings.xml"))
    ids = [change.get(f"{W}id") for change in root.iter(f"{W}ins", f"{W}del")]
    assert len(ids) == len(set(ids))
    # The flowchart changed: a Word comment on the picture says so; the body text does not.
    assert [squash("".join(c.itertext())) for c in comments] == [squash(FIGURE_CHANGED["zh-CN"])]
    assert root.find(f".//{W}commentRangeStart/../{W}r/{W}drawing") is not None
    assert settings.find(f"{W}trackRevisions") is not None
    # No clause was added or removed: no paragraph is inserted or deleted whole.
    assert root.find(f".//{W}pPr/{W}rPr/{W}del") is None and root.find(f".//{W}pPr/{W}rPr/{W}ins") is None


def test_redline_is_valid_and_reproducible(form_b_redline: Path, tmp_path: Path) -> None:
    result = OpenXmlValidator(max_errors=0).validate(form_b_redline)
    assert [str(error) for error in result.errors] == []
    again = tmp_path / "again.docx"
    args = ("diff", FORM_A, FORM_B, "--base", STANDARD, "--format", "docx", "-o", again, "--author", "法务部")
    assert run_cli(*args).exit_code == 0
    assert {author for _, _, author, _ in revisions(again)} == {"法务部"}
    assert run_cli(*args).exit_code == 1  # exists: never replaced silently
    first = again.read_bytes()
    assert run_cli(*args, "--force").exit_code == 0
    assert again.read_bytes() == first


def test_consumer_variant_through_the_command_line(tmp_path: Path) -> None:
    sets = (
        "customer.kind=consumer",
        "customer.name=张伟",
        "customer.representative=null",
        "timeliness.response_hours=12",
        "signing.copies=3",
    )
    target = tmp_path / "consumer.docx"
    args = [a for s in sets for a in ("--set", s)]
    result = run_cli("diff", STANDARD, FORM_A, *args, "--format", "docx", "-o", target)
    assert result.exit_code == 0, result.output
    standard, client = both(FORM_A, (STANDARD,), *sets)
    assert applied(target, accept=True) == docx_blocks(docx_of(client, tmp_path, "client"))
    assert applied(target, accept=False) == docx_blocks(docx_of(standard, tmp_path, "standard"))
    assert ("ins", "12", AUTHOR, DATE) in revisions(target)
    assert any(kind == "ins" and text.startswith("三") for kind, text, _, _ in revisions(target))


def test_a_changed_party_detail_is_marked_in_place(tmp_path: Path) -> None:
    target = tmp_path / "party.docx"
    sets = ("--set", "enterprise.phone=010-6000 1234")
    result = run_cli("diff", STANDARD, FORM_A, *sets, "--format", "docx", "-o", target)
    assert result.exit_code == 0, result.output
    standard, client = both(FORM_A, (STANDARD,), "enterprise.phone=010-6000 1234")
    assert applied(target, accept=True) == docx_blocks(docx_of(client, tmp_path, "client"))
    assert applied(target, accept=False) == docx_blocks(docx_of(standard, tmp_path, "standard"))
    changes = [(kind, text) for kind, text, _, _ in revisions(target)]
    assert changes == [("del", "021-5080"), ("ins", "010-6000")]  # the unchanged 1234 stays unmarked
    html = render_html(redline(standard, client))
    assert '<p class="changed">联系电话：<del>021-5080</del><ins>010-6000</ins> 1234</p>' in html


#: Clause numbers and item labels: rejecting keeps the client's numbering (by design).
_NUMBER = re.compile(r"^(\d+\.\d+ |（\d+）)")


def _unnumbered(paragraphs: list[str]) -> list[str]:
    return [_NUMBER.sub("#", text) for text in paragraphs]


@pytest.mark.parametrize("direction", ["clauses-added", "clauses-removed"])
def test_clauses_and_items_added_or_removed(tmp_path: Path, direction: str) -> None:
    business = document()
    consumer = document(
        "customer.kind=consumer",
        "customer.name=张伟",
        "customer.representative=null",
        "scope.services=[onsite_service, consultation, factory_repair]",
    )
    standard, client = (business, consumer) if direction == "clauses-added" else (consumer, business)
    path = tmp_path / "redline.docx"
    path.write_bytes(render_docx(redline(standard, client), Editing(track_changes=True)))
    accepted, rejected = applied(path, accept=True), applied(path, accept=False)
    assert accepted == docx_blocks(docx_of(client, tmp_path, "client"))
    assert _unnumbered(rejected) == _unnumbered(docx_blocks(docx_of(standard, tmp_path, "standard")))
    changes = revisions(path)
    whole = "ins" if direction == "clauses-added" else "del"
    assert any(kind == whole and re.match(r"3\.3\s个人信息保护", text) for kind, text, _, _ in changes)
    # Renumbering is no change: no revision is a bare clause number.
    assert not [text for _, text, _, _ in changes if re.fullmatch(r"\d+(\.\d+)?", text.strip())]
    with zipfile.ZipFile(path) as package:
        marks = etree.fromstring(package.read("word/document.xml")).findall(f".//{W}pPr/{W}rPr/{W}{whole}")
    assert len(marks) >= 3  # the two clauses' paragraphs and the removed or added items
    # Standard terms stay bold as in each version, whichever way the changes go.
    assert strong(path, accept=True) == strong(docx_of(client, tmp_path, "client"))
    assert strong(path, accept=False) == strong(docx_of(standard, tmp_path, "standard"))


@pytest.mark.parametrize("direction", ["to-consumer", "to-business"])
def test_signature_blocks_with_other_lines_are_a_table_replaced_row_by_row(
    tmp_path: Path, direction: str
) -> None:
    business = document()
    consumer = document("customer.kind=consumer", "customer.name=张伟", "customer.representative=null")
    standard, client = (business, consumer) if direction == "to-consumer" else (consumer, business)
    path = tmp_path / "redline.docx"
    path.write_bytes(render_docx(redline(standard, client), Editing(track_changes=True)))
    assert applied(path, accept=True) == docx_blocks(docx_of(client, tmp_path, "client"))
    assert applied(path, accept=False) == docx_blocks(docx_of(standard, tmp_path, "standard"))
    # As Word tracks a replaced table: the standard's rows deleted, then the client's inserted,
    # every run of a row marked as its row, nothing padded, no line compared with another.
    rows = signature_rows(path)
    company, person = "乙方（盖章）：杭州明远", "乙方：张伟"
    seal_lines = (company, person) if direction == "to-consumer" else (person, company)
    assert [kind for kind, _, _ in rows] == ["del"] * 3 + ["ins"] * 3
    assert all(runs == {kind} for kind, _, runs in rows)
    assert seal_lines[0] in rows[0][1] and seal_lines[1] in rows[3][1]
    assert all(text for _, text, _ in rows)
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    row_marks = root.findall(f".//{W}tr/{W}trPr/{W}del") + root.findall(f".//{W}tr/{W}trPr/{W}ins")
    assert {(m.get(f"{W}author"), m.get(f"{W}date")) for m in row_marks} == {(AUTHOR, DATE)}
    ids = [change.get(f"{W}id") for change in root.iter(f"{W}ins", f"{W}del")]
    assert len(ids) == len(set(ids)) and None not in ids
    assert root.find(f".//{W}tr//{W}del//{W}t") is None  # deleted text is delText, as Word's
    result = OpenXmlValidator(max_errors=0).validate(path)
    assert [str(error) for error in result.errors] == []


def test_signature_blocks_with_the_same_lines_are_compared_in_place(tmp_path: Path) -> None:
    standard, client = document(), document("customer.name=北京远景数码科技有限公司")
    path = tmp_path / "redline.docx"
    path.write_bytes(render_docx(redline(standard, client)))
    assert applied(path, accept=True) == docx_blocks(docx_of(client, tmp_path, "client"))
    assert applied(path, accept=False) == docx_blocks(docx_of(standard, tmp_path, "standard"))
    rows = signature_rows(path)
    assert [kind for kind, _, _ in rows] == [None] * 3  # one table, no row replaced
    assert {"ins", "del"} <= rows[0][2]  # the name changed within its seal line
    html = render_html(redline(standard, client), standalone=False)
    assert "signatures-deleted" not in html and "signatures-inserted" not in html


def test_html_redline_strikes_the_replaced_table_and_keeps_seal_ids_unique(tmp_path: Path) -> None:
    business = document()
    consumer = document("customer.kind=consumer", "customer.name=张伟", "customer.representative=null")
    marked = redline(business, consumer)
    html = render_html(marked, standalone=False)
    for anchor in SEAL_ANCHORS:
        assert html.count(f'id="{anchor}"') == 1
    deleted = html[html.index('class="changed signatures-deleted"') : html.index("signatures-inserted")]
    inserted = html[html.index('class="changed signatures-inserted"') :].split("</table>")[0]
    assert "<del>乙方（盖章）：" in deleted and "id=" not in deleted
    assert "<ins>乙方：" in inserted and all(f'id="{anchor}"' in inserted for anchor in SEAL_ANCHORS)
    # Signature fields go over the client's seal areas only.
    assert PdfOptions.of(marked, sign_fields=True, source=None).field_labels == ("甲方", "乙方")
    # Two versions of one contract (the team server's history): the PDF has both tables, in order.
    target = tmp_path / "consumer.pdf"
    roots = prepare(contract_layers(FORM_A, (STANDARD,), ()), Options()).library.roots
    target.write_bytes(render(marked, ("pdf",), roots)["pdf"])
    (page,) = [squash(page) for page in pdf_pages(target) if "签订日期" in page]  # on one page
    assert page.index("乙方（盖章）：杭州明远") < page.index("乙方：张伟") < page.rindex("乙方（签字）：")


def test_pdf_redline_underlines_insertions_and_strikes_deletions(tmp_path: Path) -> None:
    standard, client = both(FORM_B, (STANDARD, FORM_A))
    html = render_html(redline(standard, client))
    assert "<del>24</del><ins>1</ins>小时" in html
    assert html.count('class="changed"') >= 4
    target = tmp_path / "redline.pdf"
    result = run_cli("diff", FORM_A, FORM_B, "--base", STANDARD, "--format", "pdf", "-o", target)
    assert result.exit_code == 0, result.output
    pages = pdf_pages(target)
    text = squash("".join(pages))
    assert "自收到乙方服务请求之时起241小时内作出响应" in text  # both versions, marked
    assert all(squash(PDF_MARK) in squash(page) for page in pages)  # never taken for the contract


def test_libreoffice_prints_the_redline_with_its_changes(
    form_b_redline: Path, libreoffice: Callable[[Path], Path]
) -> None:
    printed = libreoffice(form_b_redline)
    text = squash("".join(pdf_pages(printed)))
    assert "自收到乙方服务请求之时起241小时内作出响应" in text


def test_redline_formats_need_a_file() -> None:
    result = run_cli("diff", STANDARD, FORM_B, "--format", "docx")
    assert result.exit_code == 2
    assert "--format docx writes a file: give it with -o FILE" in result.output


def test_a_report_can_go_to_a_file(tmp_path: Path) -> None:
    printed = run_cli("diff", FORM_A, FORM_B, "--base", STANDARD, "--format", "md")
    target = tmp_path / "review.md"
    written = run_cli("diff", FORM_A, FORM_B, "--base", STANDARD, "--format", "md", "-o", target)
    assert written.exit_code == 0 and written.output == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == printed.output


BILINGUAL = EXAMPLES / "client-bilingual.yaml"
#: An English contract, and the bilingual one in both layouts, over the Chinese-only standard.
FORMS = {
    "en": ("language=en",),
    "columns": ("bilingual.layout=columns",),
    "alternating": ("bilingual.layout=alternating",),
}


def _sets(form: str) -> list[str]:
    return [arg for assignment in FORMS[form] for arg in ("--set", assignment)]


@pytest.mark.parametrize("form", list(FORMS))
def test_english_and_bilingual_redlines_accept_to_the_client_and_reject_to_the_standard(
    tmp_path: Path, form: str
) -> None:
    target = tmp_path / "redline.docx"
    result = run_cli("diff", STANDARD, BILINGUAL, *_sets(form), "--format", "docx", "-o", target)
    assert result.exit_code == 0, result.output
    standard, client = both(BILINGUAL, (STANDARD,), *FORMS[form])
    assert standard.meta.language == client.meta.language == ("en" if form == "en" else "zh-CN+en")
    # The standard's enterprise, whose English only the client gives, in the client's translation.
    party_a = next(line for line in docx_blocks(docx_of(standard, tmp_path, "standard")) if "Party A" in line)
    assert "Huaxin Intelligent Equipment Co., Ltd." in party_a
    assert applied(target, accept=True) == docx_blocks(docx_of(client, tmp_path, "client"))
    assert applied(target, accept=False) == docx_blocks(docx_of(standard, tmp_path, "standard"))
    changes = [(kind, text) for kind, text, _, _ in revisions(target)]
    # Litigation became arbitration: marked in the English text, and in the Chinese beside it.
    assert ("del", "litigation") in changes and ("ins", "arbitration") in changes
    assert (("del", "诉讼") in changes and ("ins", "仲裁") in changes) == (form != "en")
    with zipfile.ZipFile(target) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    if form == "columns":
        # Both columns of a row show its changes, inside the table cells.
        rows = [
            row for row in root.iter(f"{W}tr") if all(cell.find(f".//{W}ins") is not None for cell in row)
        ]
        assert len(rows) >= 3
    # Every changed run keeps its language tag: English runs are English to Word.
    for change in root.iter(f"{W}ins", f"{W}del"):
        for run in change.iterfind(f"{W}r"):
            text = "".join(t.text or "" for t in run.iter(f"{W}t", f"{W}delText"))
            language = run.find(f"{W}rPr/{W}lang")
            assert language is not None, text
            if text.isascii() and any(c.isalpha() for c in text):
                assert language.get(f"{W}val") == "en-US", text
    result = OpenXmlValidator(max_errors=0).validate(target)
    assert [str(error) for error in result.errors] == []


@pytest.mark.parametrize("form", ["columns", "alternating"])
def test_bilingual_clauses_added_are_whole_rows_in_both_languages(tmp_path: Path, form: str) -> None:
    """A consumer's personal-information clause: added whole, in both languages; a table row
    of both columns is tracked as an inserted row, so rejecting removes it."""
    sets = (
        "customer.kind=consumer",
        "customer.name.zh-CN=张伟",
        "customer.name.en=Zhang Wei",
        "customer.representative=null",
        f"bilingual.layout={form}",
    )
    _, client = both(BILINGUAL, (STANDARD,), f"bilingual.layout={form}")
    _, consumer = both(BILINGUAL, (STANDARD,), *sets)
    path = tmp_path / "redline.docx"
    path.write_bytes(render_docx(redline(client, consumer), Editing(track_changes=True)))
    assert applied(path, accept=True) == docx_blocks(docx_of(consumer, tmp_path, "consumer"))
    rejected = _unnumbered(applied(path, accept=False))
    assert rejected == _unnumbered(docx_blocks(docx_of(client, tmp_path, "business")))
    changes = revisions(path)
    assert any(kind == "ins" and "个人信息保护" in text for kind, text, _, _ in changes)
    assert any(kind == "ins" and "Personal Information" in text for kind, text, _, _ in changes)
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    inserted_rows = [
        "".join(mark.getparent().getparent().itertext()) for mark in root.iterfind(f".//{W}tr/{W}trPr/{W}ins")
    ]
    clause_rows = [
        text for text in inserted_rows if "个人信息保护" in text and "Personal Information" in text
    ]
    assert len(clause_rows) == (1 if form == "columns" else 0)
    result = OpenXmlValidator(max_errors=0).validate(path)
    assert [str(error) for error in result.errors] == []


def test_bilingual_pdf_redline_marks_both_columns_and_carries_the_draft_mark(tmp_path: Path) -> None:
    standard, client = both(BILINGUAL, (STANDARD,))
    html = render_html(redline(standard, client), standalone=False)
    cells = re.findall(r'<td lang="(zh-CN|en)">(.*?)</td>', html, re.DOTALL)
    marked = {language for language, cell in cells if "<del>" in cell and "<ins>" in cell}
    assert marked == {"zh-CN", "en"}
    assert "<del>litigation</del><ins>arbitration</ins>" in html
    target = tmp_path / "redline.pdf"
    result = run_cli("diff", STANDARD, BILINGUAL, "--format", "pdf", "-o", target)
    assert result.exit_code == 0, result.output
    pages = pdf_pages(target)
    assert all(squash(PDF_MARK) in squash(page) for page in pages)
    text = squash("".join(pages))
    assert "诉讼仲裁" in text and "litigationarbitration" in text  # both versions, marked


def test_a_standard_text_without_english_is_named_never_printed_as_english(tmp_path: Path) -> None:
    """The client moved the enterprise: its English translates the new address, not the standard's."""
    target = tmp_path / "redline.docx"
    sets = (
        "--set",
        "enterprise.address.zh-CN=北京市海淀区中关村大街 1 号",
        "--set",
        "enterprise.address.en=1 Zhongguancun Street, Haidian District, Beijing",
    )
    for form in FORMS:
        result = run_cli("diff", STANDARD, BILINGUAL, *_sets(form), *sets, "--format", "docx", "-o", target)
        assert result.exit_code == 1, result.output
        assert (
            "enterprise.address" in result.output and "enterprise.address: {zh-CN: …, en: …}" in result.output
        )
        assert f"{STANDARD}:" in result.output and "Traceback" not in result.output
        assert not target.exists()
    # The same standard with its own English: the redline marks the move in both languages.
    base = tmp_path / "standard.yaml"
    chinese = "address: 上海市浦东新区张江路 188 号"
    both_texts = "address: {zh-CN: 上海市浦东新区张江路 188 号, en: '188 Zhangjiang Road, Pudong, Shanghai'}"
    assert chinese in STANDARD.read_text(encoding="utf-8")
    base.write_text(STANDARD.read_text(encoding="utf-8").replace(chinese, both_texts), encoding="utf-8")
    result = run_cli("diff", base, BILINGUAL, *sets, "--format", "docx", "-o", target)
    assert result.exit_code == 0, result.output
    changes = [(kind, text) for kind, text, _, _ in revisions(target)]
    assert any(kind == "del" and "Zhangjiang Road, Pudong" in text for kind, text in changes)
    assert any(kind == "ins" and "Zhongguancun Street" in text for kind, text in changes)
    assert any(kind == "del" and "张江路" in text for kind, text in changes)
