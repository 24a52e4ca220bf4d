"""The DOCX package as Word and WPS on Chinese Windows meet it, read part by part.

Every DOCX the product makes must pass ``openxml-audit`` (a validator
modelled on Microsoft's Open XML SDK) with zero findings, carry only the
parts a contract needs, say Chinese as its East Asian language, and give
Word a font-table entry for every face it names, so that a Word without
the Noto fonts can substitute a Chinese face.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openxml_audit import OpenXmlValidator

from .conftest import FORM_A, FORM_B, ROOT, STANDARD, run_cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"

#: Every kind of DOCX the product makes: both forms, the draft and each clause variant.
VARIANTS: dict[str, tuple[Path, tuple[str, ...]]] = {
    "form-a": (FORM_A, ()),
    "form-b": (FORM_B, ()),
    "draft": (FORM_A, ("--draft",)),
    "consumer": (ROOT / "examples" / "client-consumer.yaml", ("--set", "signing.copies=3")),
    "working-clock-uncapped": (
        FORM_A,
        ("--set", "timeliness.clock=working", "--set", "liabilities.penalty_cap=null"),
    ),
    "two-services": (FORM_B, ("--set", "scope.services=[onsite_service, consultation]")),
    "english": (ROOT / "examples" / "client-bilingual.yaml", ("--language", "en")),
    "bilingual-columns": (ROOT / "examples" / "client-bilingual.yaml", ()),
    "bilingual-alternating": (ROOT / "examples" / "client-bilingual.yaml", ("--layout", "alternating")),
}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each variant generated once as DOCX through the CLI; name → file."""
    files = {}
    for name, (contract, extra) in VARIANTS.items():
        out = tmp_path_factory.mktemp(name)
        result = run_cli(
            "generate",
            contract,
            "--base",
            ROOT / "examples/company-standard.yaml",
            "-o",
            out,
            "-f",
            "docx",
            *extra,
        )
        assert result.exit_code == 0, result.output
        (files[name],) = out.glob("*.docx")
    redline = tmp_path_factory.mktemp("redline") / "redline.docx"
    result = run_cli("diff", FORM_A, FORM_B, "--base", STANDARD, "--format", "docx", "-o", redline)
    assert result.exit_code == 0, result.output
    files["redline"] = redline
    return files


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


#: Every DOCX the product makes: the contracts and the redline (``agreement diff --format docx``).
MADE = [*VARIANTS, "redline"]


@pytest.mark.parametrize("variant", MADE)
def test_openxml_audit_finds_nothing(made: dict[str, Path], variant: str) -> None:
    result = OpenXmlValidator(max_errors=0).validate(made[variant])
    assert [str(error) for error in result.errors] == []
    assert result.is_valid


@pytest.mark.parametrize("variant", MADE)
def test_small_and_only_the_parts_a_contract_needs(made: dict[str, Path], variant: str) -> None:
    path = made[variant]
    assert path.stat().st_size < 150_000
    names = set(zipfile.ZipFile(path).namelist())
    assert names == {
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/core.xml",
        "docProps/app.xml",
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
        "word/settings.xml",
        "word/fontTable.xml",
        "word/theme/theme1.xml",
        "word/header1.xml",
        "word/footer1.xml",
        "word/media/image1.png",
        "word/media/image1.svg",  # the flowchart as vector; the PNG is its fallback
        *(["word/comments.xml"] if variant == "redline" else []),
    }


def test_app_properties_name_us_and_claim_no_statistics(made: dict[str, Path]) -> None:
    app = part(made["form-a"], "docProps/app.xml")
    assert [(child.tag.rsplit("}", 1)[-1], child.text) for child in app] == [
        ("Application", "agreement"),
        ("DocSecurity", "0"),
    ]


def test_word_2013_layout_and_chinese_language(made: dict[str, Path]) -> None:
    settings = part(made["form-a"], "word/settings.xml")
    modes = {s.get(f"{W}name"): s.get(f"{W}val") for s in settings.iter(f"{W}compatSetting")}
    assert modes["compatibilityMode"] == "15"
    assert settings.find(f"{W}themeFontLang").get(f"{W}eastAsia") == "zh-CN"
    lang = part(made["form-a"], "word/styles.xml").find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert (lang.get(f"{W}val"), lang.get(f"{W}eastAsia")) == ("en-US", "zh-CN")


def test_theme_sets_chinese_east_asian_faces(made: dict[str, Path]) -> None:
    theme = part(made["form-a"], "word/theme/theme1.xml")
    east_asian = [ea.get("typeface") for ea in theme.iter(f"{A}ea")]
    assert east_asian == ["Noto Sans CJK SC", "Noto Serif CJK SC"]
    assert [f.get("typeface") for f in theme.iter(f"{A}font") if f.get("script") == "Hans"] == east_asian


def _faces_named(path: Path) -> set[str]:
    """Every face the package names: run fonts, the theme, the watermark's VML text."""
    faces: set[str] = set()
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if not name.endswith(".xml") or name == "word/fontTable.xml":
                continue
            root = etree.fromstring(package.read(name))
            for fonts in root.iter(f"{W}rFonts"):
                faces.update(v for k, v in fonts.attrib.items() if not k.endswith("Theme"))
            faces.update(f.get("typeface") for f in root.iter(f"{A}latin", f"{A}ea", f"{A}font"))
            faces.update(re.findall(r'font-family:"([^"]+)"', package.read(name).decode()))
    faces.discard("")
    return faces


@pytest.mark.parametrize("variant", ["form-a", "draft"])
def test_font_table_lets_word_substitute_every_face(made: dict[str, Path], variant: str) -> None:
    table = {
        font.get(f"{W}name"): font for font in part(made[variant], "word/fontTable.xml").iter(f"{W}font")
    }
    named = _faces_named(made[variant])
    assert named == {"Noto Serif CJK SC", "Noto Sans CJK SC"}
    assert set(table) == named
    for face, entry in table.items():
        assert entry.find(f"{W}charset").get(f"{W}val") == "86", face  # GB2312
        assert entry.find(f"{W}family").get(f"{W}val") in {"roman", "swiss"}, face
        assert re.fullmatch(r"02[0-9A-F]{18}", entry.find(f"{W}panose1").get(f"{W}val")), face
        signature = entry.find(f"{W}sig")
        assert int(signature.get(f"{W}csb0"), 16) & 1 << 18, face  # code page 936, simplified Chinese
    assert table["Noto Serif CJK SC"].find(f"{W}altName").get(f"{W}val").startswith("宋体")
    assert table["Noto Sans CJK SC"].find(f"{W}altName").get(f"{W}val").startswith("黑体")


def test_styles_are_only_those_the_contract_uses(made: dict[str, Path]) -> None:
    styles = part(made["form-a"], "word/styles.xml")
    defined = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    used: set[str] = set()
    for path in made.values():
        with zipfile.ZipFile(path) as package:
            for name in package.namelist():
                if not name.startswith("word/") or not name.endswith(".xml"):
                    continue
                root = etree.fromstring(package.read(name))
                used.update(e.get(f"{W}val") for e in root.iter(f"{W}pStyle", f"{W}rStyle"))
    bases = {
        s.find(f"{W}basedOn").get(f"{W}val") for s in defined.values() if s.find(f"{W}basedOn") is not None
    }
    defaults = {sid for sid, s in defined.items() if s.get(f"{W}default") == "1"}
    assert set(defined) == used | bases | defaults
    assert used <= set(defined)


def test_reference_docx_is_what_its_build_script_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "templates" / "docx"))
    import build_reference

    try:
        expected = dict(build_reference.parts())
    finally:
        sys.modules.pop("build_reference", None)
    with zipfile.ZipFile(ROOT / "templates" / "docx" / "reference.docx") as reference:
        assert {name: reference.read(name).decode() for name in reference.namelist()} == expected


def test_place_puts_a_child_where_the_schema_wants_it_and_replaces_a_namesake() -> None:
    from docx.oxml import parse_xml

    from generator.writers.ooxml import place

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    tblpr = parse_xml(f'<w:tblPr {ns}><w:tblW w:w="0"/><w:tblLook w:val="1"/></w:tblPr>')
    place(tblpr, parse_xml(f'<w:tblCellMar {ns}><w:left w:w="1"/></w:tblCellMar>'))
    place(tblpr, parse_xml(f'<w:tblCellMar {ns}><w:left w:w="0"/></w:tblCellMar>'))
    place(tblpr, parse_xml(f'<w:tblStyle {ns} w:val="x"/>'))
    assert [child.tag.rsplit("}", 1)[-1] for child in tblpr] == ["tblStyle", "tblW", "tblCellMar", "tblLook"]
    assert tblpr[2][0].get(f"{W}w") == "0"


@pytest.mark.parametrize("text", ["甲方：", " 前后有空格 ", "一\t二", "一\n二\r三"])
def test_a_run_is_written_as_python_docx_writes_it(text: str) -> None:
    """The writer's own run (without python-docx's character-by-character appender) is the same XML."""
    from docx import Document as new_document

    from generator.writers.docx import _run

    paragraph = new_document().add_paragraph()
    ours, theirs = _run(paragraph, text), paragraph.add_run(text)
    assert ours._r.xml == theirs._r.xml and ours.text == text.replace("\r", "\n")
