"""Signature fields, PAdES signatures and their verification, with a PKI made in the set-up.

Every signature here is made by ``agreement sign`` and judged by pyHanko's
validation (``agreement verify``): the tests assert the bottom line, so an
edit after signing that leaves the signed bytes intact still fails.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf
import pytest
from click.testing import Result
from PIL import Image

from generator.pipeline import Options, build, contract_layers, prepare
from generator.signing.verify import load_trust, verify_pdf

from .conftest import FORM_A, ROOT, STANDARD, pdf_pages, run_cli
from .pdfa_check import pdfa_problems
from .pki import Pki, make_pki, timestamp_server

#: A name that wraps in its 71 mm column: 21 characters at 12 pt, 16 to a line.
LONG_NAME = "苏州工业园区瑞丰精密机械制造股份有限公司"
MM = 72 / 25.4


def generate_pdf(out: Path, *options: str, contract: Path = FORM_A) -> Result:
    """``agreement generate CONTRACT --base STANDARD -o OUT -f pdf OPTIONS…``."""
    return run_cli("generate", contract, "--base", STANDARD, "-o", out, "-f", "pdf", *options)


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def tsa_url(pki: Pki) -> Iterator[str]:
    with timestamp_server(pki) as url:
        yield url


@pytest.fixture(scope="session")
def contract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Form A with signature fields, as PDF/A-3b."""
    out = tmp_path_factory.mktemp("contract")
    result = generate_pdf(out, "--sign-fields", "--pdf-a")
    assert result.exit_code == 0, result.output
    return out / "HX-AS-2026-0158.pdf"


@pytest.fixture(scope="session")
def signed_a(contract: Path, pki: Pki) -> Path:
    """甲方 signed, PAdES B-B, from a PKCS#12 file (default output name)."""
    result = run_cli(
        "sign", contract, "--field", "PartyA", "--p12", pki.party_a.p12, "--password-file", pki.password_file
    )
    assert result.exit_code == 0, result.output
    return contract.with_name("HX-AS-2026-0158.signed.pdf")


@pytest.fixture(scope="session")
def signed_ab(signed_a: Path, pki: Pki, tsa_url: str) -> Path:
    """Then 乙方, PAdES B-T (time-stamped by the test TSA over HTTP), from a PEM key and certificate."""
    target = signed_a.with_name("HX-AS-2026-0158.final.pdf")
    result = run_cli(
        "sign", signed_a, "--field", "PartyB", "--key", pki.party_b.key, "--cert", pki.party_b.cert,
        "--chain", pki.ca, "--timestamp-url", tsa_url, "-o", target,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return target


def field_rects(path: Path) -> dict[str, tuple[int, list[float]]]:
    """Each signature field's page index and /Rect, read back with pikepdf."""
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        return {
            str(field.T): (pages[field.P.objgen], [float(v) for v in field.Rect])
            for field in pdf.Root.AcroForm.Fields
        }


# -- the layout: seal areas, fields at the anchors -------------------------------------------


def layout_anchors(*sets: str) -> tuple[dict[str, tuple[int, list[float]]], list[str]]:
    """The seal areas' boxes as WeasyPrint lays them out (PDF points), and the seal-line labels."""
    from generator.writers import pdf
    from generator.writers.html import render_html

    prepared = prepare(contract_layers(FORM_A, (STANDARD,), sets), Options())
    document = build(prepared, Options())
    rendered = pdf.layout(render_html(document, standalone=False), prepared.library.roots)
    boxes = {}
    for index, page in enumerate(rendered.pages):
        height = page.height * 0.75
        for anchor, (x1, y1, x2, y2) in page.anchors.items():
            if anchor.startswith("seal-"):
                boxes[anchor.removeprefix("seal-")] = (
                    index,
                    [x1 * 0.75, height - y2 * 0.75, x2 * 0.75, height - y1 * 0.75],
                )
    signatures = next(block for block in document.blocks if type(block).__name__ == "Signatures")
    return boxes, [party.fields[0].label for party in signatures.parties]  # type: ignore[attr-defined]


#: Contracts whose signature blocks land in different places.
LAYOUTS = [
    (),
    (f"customer.name={LONG_NAME}", "scope.services=[onsite_service]"),
    ("enterprise.address=" + "长" * 190, "liabilities.penalty_per_hour=null", "liabilities.penalty_cap=null"),
]


@pytest.mark.parametrize("sets", LAYOUTS, ids=["form-a", "long-name-few-services", "long-address-no-notice"])
def test_signature_fields_cover_the_seal_areas_wherever_the_text_puts_them(
    tmp_path: Path, sets: tuple[str, ...]
) -> None:
    result = generate_pdf(tmp_path, "--sign-fields", *(a for s in sets for a in ("--set", s)))
    assert result.exit_code == 0, result.output
    fields = field_rects(tmp_path / "HX-AS-2026-0158.pdf")
    anchors, _ = layout_anchors(*sets)
    assert set(fields) == {"PartyA", "PartyB"}
    for name, (page, rect) in fields.items():
        anchor_page, box = anchors[name]
        assert page == anchor_page
        assert all(abs(a - b) <= 0.5 for a, b in zip(rect, box, strict=True)), (name, rect, box)
        # The reserved area is a 42 mm square, inside the text block: the margins stay free.
        assert abs(rect[2] - rect[0] - 42 * MM) <= 0.5 and abs(rect[3] - rect[1] - 42 * MM) <= 0.5
        assert rect[0] >= 28 * MM - 0.5 and rect[2] <= (210 - 28) * MM + 0.5
    with pikepdf.open(tmp_path / "HX-AS-2026-0158.pdf") as pdf:
        labels = {str(f.T): str(f.TU) for f in pdf.Root.AcroForm.Fields}
    assert labels == {"PartyA": "甲方", "PartyB": "乙方"}


def test_the_seal_areas_move_with_the_text_above_them() -> None:
    """The layouts above differ, so the fields' agreement with them is no coincidence."""
    positions = {str(layout_anchors(*sets)[0]["PartyA"]) for sets in LAYOUTS}
    assert len(positions) == len(LAYOUTS)


def test_each_seal_label_is_in_the_text_layer_exactly_once(contract: Path) -> None:
    _, labels = layout_anchors()
    text = "".join(pdf_pages(contract))
    for label in labels:
        assert text.count(label) == 1, label


def test_a_bilingual_contract_keeps_the_signing_layout(tmp_path: Path) -> None:
    """One bilingual block per party: its seal line first, one seal area each, each label once."""
    bilingual = FORM_A.parent / "client-bilingual.yaml"
    result = generate_pdf(tmp_path, "--sign-fields", contract=bilingual)
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "HX-AS-2026-0188.pdf"
    fields = field_rects(pdf)
    assert set(fields) == {"PartyA", "PartyB"}
    prepared = prepare(contract_layers(bilingual, (STANDARD,), ()), Options())
    document = build(prepared, Options())
    signatures = next(block for block in document.blocks if type(block).__name__ == "Signatures")
    labels = [party.fields[0].label for party in signatures.parties]  # type: ignore[attr-defined]
    assert labels == ["甲方（盖章）/ Party A (Company Chop)", "乙方（盖章）/ Party B (Company Chop)"]
    text = re.sub(r"\s+", "", "".join(pdf_pages(pdf)))
    for label in labels:
        assert text.count(re.sub(r"\s+", "", label)) == 1, label
    with pikepdf.open(pdf) as opened:
        names = {str(f.T): str(f.TU) for f in opened.Root.AcroForm.Fields}
    assert names == {"PartyA": "甲方 / Party A", "PartyB": "乙方 / Party B"}


@pytest.mark.parametrize(
    "name", [LONG_NAME, LONG_NAME[3:], "苏州瑞丰精密机械设备制造有限公司", "苏州瑞丰精密机械有限公司"]
)
def test_a_party_name_never_leaves_a_lone_character_on_a_line(tmp_path: Path, name: str) -> None:
    result = generate_pdf(tmp_path, "--set", f"customer.name={name}")
    assert result.exit_code == 0, result.output
    path = tmp_path / "HX-AS-2026-0158.pdf"
    page = next(i for i, text in enumerate(pdf_pages(path), 1) if "乙方（盖章）" in text)
    # The right-hand column (乙方) of the signature page alone, line by line.
    right = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-x", "298", "-y", "0", "-W", "300", "-H", "842",
         "-raw", "-enc", "UTF-8", str(path), "-"],
        check=True, capture_output=True, text=True,
    ).stdout.splitlines()  # fmt: skip
    start = next(i for i, line in enumerate(right) if line.startswith("乙方（盖章）"))
    lines, joined = [], ""
    for line in right[start + 1 :]:
        if joined == name:
            break
        lines.append(line.strip())
        joined += line.strip()
    assert joined == name
    assert all(len(line) >= 2 for line in lines), lines


def test_the_layout_holds_whatever_labels_and_lines_a_block_has(tmp_path: Path) -> None:
    """A natural person's block (「乙方（签字）」, no representative's line) beside a company's."""
    from dataclasses import replace

    from generator.model import Field, PartyDetails, Signatures
    from generator.pipeline import pdf_options, render

    prepared = prepare(contract_layers(FORM_A, (STANDARD,), ()), Options(sign_fields=True))
    document = build(prepared, Options())
    index, block = next((i, b) for i, b in enumerate(document.blocks) if isinstance(b, Signatures))
    person = PartyDetails("乙方", (Field("乙方（签字）", "张三"), Field("签订日期", None)))
    blocks = list(document.blocks)
    blocks[index] = Signatures((block.parties[0], person))
    document = replace(document, blocks=tuple(blocks))
    options = pdf_options(prepared, document, Options(sign_fields=True))
    path = tmp_path / "person.pdf"
    path.write_bytes(render(document, ("pdf",), prepared.library.roots, pdf_options=options)["pdf"])
    text = "".join(pdf_pages(path))
    assert text.count("乙方（签字）") == 1 and text.count(block.parties[0].fields[0].label) == 1
    rects = field_rects(path)
    assert set(rects) == {"PartyA", "PartyB"}
    # Both seal areas on one line: the shorter block leaves its cells empty, it does not shift.
    assert rects["PartyA"][1][1] == rects["PartyB"][1][1]


def test_the_docx_puts_the_name_on_a_line_of_its_own(
    tmp_path: Path, libreoffice: Callable[[Path], Path]
) -> None:
    """Printed by LibreOffice (for Word), a 12-character name no longer ends 「…有限公／司」."""
    name = "苏州瑞丰精密机械有限公司"
    result = run_cli(
        "generate", FORM_A, "--base", STANDARD, "-o", tmp_path, "-f", "docx", "--set", f"customer.name={name}"
    )
    assert result.exit_code == 0, result.output
    printed = libreoffice(tmp_path / "HX-AS-2026-0158.docx")
    lines = [line.strip() for page in pdf_pages(printed) for line in page.splitlines()]
    seal_line = next(i for i, line in enumerate(lines) if "乙方（盖章）" in line)
    assert lines[seal_line + 1].endswith(name), lines[seal_line : seal_line + 3]
    assert "司" not in lines


def test_the_docx_reserves_the_same_room_under_the_seal_line(tmp_path: Path) -> None:
    from docx import Document as open_docx
    from docx.shared import Mm

    result = run_cli("generate", FORM_A, "--base", STANDARD, "-o", tmp_path, "-f", "docx")
    assert result.exit_code == 0, result.output
    table = open_docx(str(tmp_path / "HX-AS-2026-0158.docx")).tables[-1]
    for cell in table.rows[0].cells:
        assert cell.paragraphs[0].text.startswith(("甲方（", "乙方（"))
        assert cell.paragraphs[0].paragraph_format.space_after >= Mm(42)


# -- signing and verifying -------------------------------------------------------------------


def test_two_signatures_b_b_then_b_t_and_the_first_stays_good(signed_ab: Path, pki: Pki) -> None:
    verdicts = {v.field: v for v in verify_pdf(signed_ab.read_bytes(), load_trust((pki.ca,)))}
    first, second = verdicts["PartyA"], verdicts["PartyB"]
    assert first.good and second.good
    assert (first.signer, second.signer) == (pki.party_a.name, pki.party_b.name)
    assert first.timestamp is None and second.timestamp is not None
    assert first.changes_after == "form filling" and first.changes_allowed
    with pikepdf.open(signed_ab) as pdf:
        sub_filters = {str(f.V.SubFilter) for f in pdf.Root.AcroForm.Fields}
    assert sub_filters == {"/ETSI.CAdES.detached"}  # PAdES, not plain PKCS#7


def test_verify_reports_the_bottom_line_and_its_exit_code(signed_ab: Path, pki: Pki) -> None:
    good = run_cli("verify", signed_ab, "--trust", pki.ca)
    assert good.exit_code == 0, good.output
    assert "all 2 signatures are good" in good.output
    assert "PartyA (甲方): signed by 华信智能设备有限公司" in good.output
    as_json = run_cli("verify", signed_ab, "--trust", pki.ca, "--format", "json")
    report = json.loads(as_json.output)
    assert as_json.exit_code == 0 and report["good"] is True
    assert [s["field"] for s in report["signatures"]] == ["PartyA", "PartyB"]
    strangers = run_cli("verify", signed_ab, "--trust", pki.stranger_ca)
    assert strangers.exit_code == 1
    assert "trusted: NO" in strangers.output and "2 of 2 signatures NOT good" in strangers.output
    assert "Traceback" not in strangers.output


def test_an_unauthorised_page_edit_after_signing_fails_verify(
    signed_ab: Path, pki: Pki, tmp_path: Path
) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed_ab.read_bytes()))
    scribble = writer.add_object(generic.StreamObject(stream_data=b"q 1 0 0 RG 4 w 90 700 m 500 700 l S Q"))
    writer.add_stream_to_page(0, scribble)
    edited = tmp_path / "edited.pdf"
    with edited.open("wb") as handle:
        writer.write(handle)
    verdicts = verify_pdf(edited.read_bytes(), load_trust((pki.ca,)))
    # The signed bytes are untouched, so each signature is intact and valid: only the
    # modification analysis catches the edit, and the bottom line must say so.
    assert all(v.intact and v.valid and v.trusted for v in verdicts)
    assert not any(v.good for v in verdicts)
    assert all(not v.changes_allowed for v in verdicts)
    result = run_cli("verify", edited, "--trust", pki.ca)
    assert result.exit_code == 1
    assert "the document was changed after signing" in result.output


def test_a_flipped_byte_fails_verify(signed_ab: Path, pki: Pki, tmp_path: Path) -> None:
    data = bytearray(signed_ab.read_bytes())
    # A byte of stream data in the middle of the first revision, which both signatures cover.
    start = data.index(b"stream\n", data.index(b"%%EOF") // 2) + len(b"stream\n")
    at = start + 20
    assert at < data.index(b"endstream", start)
    data[at] ^= 0x01
    flipped = tmp_path / "flipped.pdf"
    flipped.write_bytes(bytes(data))
    result = run_cli("verify", flipped, "--trust", pki.ca, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["good"] is False
    assert not any(s["intact"] for s in report["signatures"])


def test_verify_of_an_unsigned_contract_says_so(contract: Path) -> None:
    result = run_cli("verify", contract)
    assert result.exit_code == 1 and "the PDF has no signatures" in result.output


def test_a_seal_image_that_is_not_a_png_is_refused(contract: Path, pki: Pki, tmp_path: Path) -> None:
    broken = tmp_path / "seal.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    key = ("--p12", pki.party_a.p12, "--password-file", pki.password_file)
    result = run_cli(
        "sign", contract, "--field", "PartyA", *key, "--seal-image", broken, "-o", tmp_path / "o.pdf"
    )
    assert result.exit_code == 1 and "not a PNG image" in result.output
    assert not (tmp_path / "o.pdf").exists()


def test_a_seal_image_is_the_stamp(contract: Path, pki: Pki, tmp_path: Path) -> None:
    seal = tmp_path / "seal.png"
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    for x in range(400):
        for y in (x, 399 - x):
            image.putpixel((x, y), (200, 16, 46, 255))
    image.save(seal)
    target = tmp_path / "sealed.pdf"
    result = run_cli(
        "sign", contract, "--field", "PartyA", "--p12", pki.party_a.p12, "--password-file", pki.password_file,
        "--seal-image", seal, "-o", target,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert all(v.good for v in verify_pdf(target.read_bytes(), load_trust((pki.ca,))))
    with pikepdf.open(target) as pdf:
        field = next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == "PartyA")
        images = _images(field.AP.N)
        assert images and any("/SMask" in image for image in images)  # the seal keeps its transparency
    assert pdfa_problems(target) == []


def _images(xobject: pikepdf.Object) -> list[pikepdf.Object]:
    found = []
    for child in (xobject.get("/Resources") or {}).get("/XObject", {}).values():
        if child.get("/Subtype") == "/Image":
            found.append(child)
        else:
            found.extend(_images(child))
    return found


# -- PDF/A and the parameter file ------------------------------------------------------------


def test_the_contract_is_pdfa_before_and_after_both_signatures(
    contract: Path, signed_a: Path, signed_ab: Path
) -> None:
    for path in (contract, signed_a, signed_ab):
        assert pdfa_problems(path) == [], path.name
    # The CJK faces are still embedded compactly, as bare CFF (compact_fonts).
    with pikepdf.open(contract) as pdf:
        programs = {
            str(o.get("/Subtype"))
            for o in pdf.objects
            if isinstance(o, pikepdf.Stream) and "/Length1" not in o
        }
        assert "/CIDFontType0C" in programs


def test_the_stamps_are_drawn_in_an_embedded_cjk_font(signed_ab: Path) -> None:
    with pikepdf.open(signed_ab) as pdf:
        for field in pdf.Root.AcroForm.Fields:
            fonts = _fonts(field.AP.N)
            assert fonts, str(field.T)
            assert all("Noto" in str(font.BaseFont) for font in fonts)
            assert not any("Courier" in str(font.BaseFont) for font in fonts)


def _fonts(xobject: pikepdf.Object) -> list[pikepdf.Object]:
    resources = xobject.get("/Resources") or {}
    found = list((resources.get("/Font") or {}).values())
    for child in (resources.get("/XObject") or {}).values():
        if child.get("/Subtype") == "/Form":
            found.extend(_fonts(child))
    return found


def test_params_gives_back_a_file_that_makes_the_same_bytes(
    contract: Path, signed_ab: Path, tmp_path: Path
) -> None:
    result = run_cli("params", signed_ab)
    assert result.exit_code == 0, result.output
    assert "contract_no: HX-AS-2026-0158" in result.output
    again = tmp_path / "again.yaml"
    again.write_text(result.output, encoding="utf-8")
    made = generate_pdf(tmp_path, "--sign-fields", "--pdf-a", contract=again)
    assert made.exit_code == 0, made.output
    assert (tmp_path / "HX-AS-2026-0158.pdf").read_bytes() == contract.read_bytes()


def test_params_of_a_plain_pdf_says_what_is_missing(tmp_path: Path) -> None:
    assert generate_pdf(tmp_path).exit_code == 0
    plain = run_cli("params", tmp_path / "HX-AS-2026-0158.pdf")
    assert plain.exit_code == 1
    assert "carries no parameter file" in plain.output and "--pdf-a" in plain.output


def test_pdfa_output_is_reproducible(contract: Path, tmp_path: Path) -> None:
    result = generate_pdf(tmp_path, "--sign-fields", "--pdf-a")
    assert result.exit_code == 0
    assert (tmp_path / "HX-AS-2026-0158.pdf").read_bytes() == contract.read_bytes()


def test_batch_makes_every_row_with_fields_and_pdfa(tmp_path: Path) -> None:
    table = tmp_path / "rows.yaml"
    table.write_text(
        "- {contract_no: B-1, customer.name: 甲客户有限公司}\n"
        "- {contract_no: B-2, customer.name: 乙客户有限公司}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    bases = ("--base", STANDARD, "--base", FORM_A)
    result = run_cli("batch", table, *bases, "-o", out, "-f", "pdf", "-j", "1", "-q")
    assert result.exit_code == 0, result.output
    plain = (out / "B-1.pdf").read_bytes()
    extras = ("--sign-fields", "--pdf-a")
    result = run_cli("batch", table, *bases, "-o", out, "-f", "pdf", "-j", "1", "-q", *extras)
    assert result.exit_code == 0, result.output
    # A re-run with the options makes the contracts again rather than keeping the plain ones.
    assert (out / "B-1.pdf").read_bytes() != plain
    for name in ("B-1", "B-2"):
        assert set(field_rects(out / f"{name}.pdf")) == {"PartyA", "PartyB"}
        assert pdfa_problems(out / f"{name}.pdf") == []
        params = run_cli("params", out / f"{name}.pdf")
        assert f"contract_no: {name}" in params.output


# -- errors ----------------------------------------------------------------------------------


def test_signing_something_not_ours_is_refused(pki: Pki, tmp_path: Path) -> None:
    other = tmp_path / "other.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.docinfo["/Creator"] = "Word"
        pdf.save(other)
    result = run_cli(
        "sign", other, "--field", "PartyA", "--p12", pki.party_a.p12, "--password-file", pki.password_file
    )
    assert result.exit_code == 1
    assert "not a contract made by agreement" in result.output
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\nnothing here")
    result = run_cli(
        "sign", garbage, "--field", "PartyA", "--p12", pki.party_a.p12, "--password-file", pki.password_file
    )
    assert result.exit_code == 1 and "not a PDF this program can read" in result.output
    assert not (tmp_path / "other.signed.pdf").exists() and not (tmp_path / "garbage.signed.pdf").exists()


def test_a_missing_or_signed_field_is_refused(
    contract: Path, signed_a: Path, pki: Pki, tmp_path: Path
) -> None:
    def sign(source: Path, field: str) -> str:
        result = run_cli(
            "sign", source, "--field", field, "--p12", pki.party_a.p12, "--password-file", pki.password_file,
            "-o", tmp_path / "out.pdf",
        )  # fmt: skip
        assert result.exit_code != 0
        return result.output

    assert "no empty signature field PartyC; its empty fields: PartyA, PartyB" in sign(contract, "PartyC")
    assert "the field PartyA is signed already" in sign(signed_a, "PartyA")
    plain = tmp_path / "plain"
    assert generate_pdf(plain).exit_code == 0
    assert "generate the contract with --sign-fields" in sign(plain / "HX-AS-2026-0158.pdf", "PartyA")
    assert not (tmp_path / "out.pdf").exists()


def test_a_wrong_password_is_refused(contract: Path, pki: Pki, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not it\n")
    target = tmp_path / "out.pdf"
    result = run_cli(
        "sign",
        contract,
        "--field",
        "PartyA",
        "--p12",
        pki.party_a.p12,
        "--password-file",
        wrong,
        "-o",
        target,
    )
    assert result.exit_code == 1
    assert "wrong password" in result.output and "Traceback" not in result.output
    assert not target.exists()


def test_the_output_never_replaces_the_input(contract: Path, pki: Pki, tmp_path: Path) -> None:
    copy = tmp_path / "c.pdf"
    copy.write_bytes(contract.read_bytes())
    key = ("--p12", pki.party_a.p12, "--password-file", pki.password_file)
    result = run_cli("sign", copy, "--field", "PartyA", *key, "-o", copy, "--force")
    assert result.exit_code == 2 and "must be a new file" in result.output
    assert copy.read_bytes() == contract.read_bytes()
    (tmp_path / "c.signed.pdf").write_bytes(b"mine")
    result = run_cli("sign", copy, "--field", "PartyA", *key)
    assert result.exit_code == 1 and "already exists" in result.output
    assert (tmp_path / "c.signed.pdf").read_bytes() == b"mine"


def test_help_never_imports_pyhanko_or_weasyprint() -> None:
    """``agreement --help`` (and each command's) stays fast: the heavy libraries load only to do the work."""
    program = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from generator.cli.main import COMMANDS, cli\n"
        "for args in ([], *([name] for name in COMMANDS)):\n"
        "    assert CliRunner().invoke(cli, [*args, '--help']).exit_code == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pyhanko', 'weasyprint', 'pikepdf'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"
