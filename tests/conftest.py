"""Shared fixtures: real contracts generated once per session, read back by real tools."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from docx import Document as open_docx
from fontTools.cffLib import CFFFontSet
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen

from generator.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
STANDARD = EXAMPLES / "company-standard.yaml"
FORM_A = EXAMPLES / "client-form-a.yaml"
FORM_B = EXAMPLES / "client-form-b.yaml"


def run_cli(*args: str | Path) -> Result:
    """Run the CLI in-process, as a user would from a shell."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def generate(
    out: Path, *sets: str, contract: Path = FORM_A, formats: tuple[str, ...] = ("docx", "pdf")
) -> None:
    """``agreement generate CONTRACT --base STANDARD -o OUT -f … --set …``, which must succeed."""
    options = [a for f in formats for a in ("-f", f)] + [a for s in sets for a in ("--set", s)]
    result = run_cli("generate", contract, "--base", STANDARD, "-o", out, *options)
    assert result.exit_code == 0, result.output


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, as poppler extracts it in content order."""
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def page_pixels(path: Path, tmp_path: Path) -> list[bytes]:
    """Each page as poppler draws it (60 dpi, grey): equal bytes, equal pictures."""
    prefix = tmp_path / f"{path.stem}-pixels"
    subprocess.run(["pdftoppm", "-r", "60", "-gray", str(path), str(prefix)], check=True)
    return [page.read_bytes() for page in sorted(tmp_path.glob(f"{prefix.name}-*.pgm"))]


def fonttools_cids(program: bytes) -> list[int]:
    """The CID of each glyph of a CID-keyed CFF program, as fontTools reads its charset."""
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(program), None)
    top = cff.topDictIndex[0]
    assert hasattr(top, "ROS"), "not a CID-keyed program"
    return [0 if name == ".notdef" else int(name.removeprefix("cid")) for name in top.charset]


def docx_blocks(path: Path) -> list[str]:
    """Body paragraphs and table cell paragraphs of a DOCX, in document order."""
    document = open_docx(str(path))
    texts = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            texts.append("".join(t.text or "" for t in element.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for cell in element.iter():
                if cell.tag.endswith("}tc"):
                    for p in cell.iter():
                        if p.tag.endswith("}p"):
                            texts.append("".join(t.text or "" for t in p.iter() if t.tag.endswith("}t")))
    return texts


def squash(text: str) -> str:
    """Text without any whitespace: line breaks and justification differ between writers."""
    return re.sub(r"\s+", "", text)


def pdf_body(path: Path, header: str, *, header_first: bool = False) -> str:
    """The PDF's text without the page furniture (header, footer), whitespace removed.

    WeasyPrint draws the page's margin boxes after its content, LibreOffice
    before (``header_first``); page 1 holds the contract number twice.
    """
    pages = []
    for page in pdf_pages(path):
        text = squash(page)
        text = (
            text.replace(squash(header), "", 1) if header_first else "".join(text.rsplit(squash(header), 1))
        )
        pages.append(re.sub(r"第\d+页共\d+页", "", text))
    return "".join(pages)


def name_keyed_font(path: Path) -> None:
    """A two-letter OpenType font whose CFF is name-keyed, as Latin OTF fonts are."""
    order = [".notdef", "A", "B"]

    def box() -> Any:
        pen = T2CharStringPen(600, None)
        pen.moveTo((50, 0))
        pen.lineTo((550, 0))
        pen.lineTo((550, 700))
        pen.lineTo((50, 700))
        pen.closePath()
        return pen.getCharString()

    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({ord("A"): "A", ord("B"): "B"})
    builder.setupCFF("NameKeyed-Regular", {"FullName": "Name Keyed"}, {name: box() for name in order}, {})
    save_font(builder, "Name Keyed", path)


def save_font(builder: FontBuilder, family: str, path: Path) -> None:
    """The tables every test font needs besides its outlines and cmap (1000-unit advances), saved."""
    builder.setupHorizontalMetrics({name: (1000, 0) for name in builder.font.getGlyphOrder()})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.save(str(path))


@pytest.fixture(scope="session")
def form_a(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Form A generated as DOCX, PDF and HTML; returns the folder."""
    out = tmp_path_factory.mktemp("form_a")
    result = run_cli(
        "generate", FORM_A, "--base", STANDARD, "-o", out, "-f", "docx", "-f", "pdf", "-f", "html"
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def libreoffice() -> Callable[[Path], Path]:
    """Print a DOCX to PDF with LibreOffice, the real client standing in for Word."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is part of the test set-up (make test installs it)"

    def convert(docx: Path) -> Path:
        out = docx.parent / "libreoffice"
        env = {**os.environ, "HOME": str(docx.parent)}
        subprocess.run(
            [soffice, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(out), str(docx)],
            check=True,
            capture_output=True,
            env=env,
            timeout=240,
        )
        return out / f"{docx.stem}.pdf"

    return convert
