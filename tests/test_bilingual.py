"""English and bilingual (中英文对照) contracts: one clause library in two languages, kept in step.

The check that the languages are in step is tested against real clause
folders (a user's, laid out like the built-in one), the pairing against the
built-in library with several parameter sets, and the output by reading the
real PDF (poppler, pypdf) and DOCX (its XML) back.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from generator.build import build_document
from generator.clauses.library import load_library
from generator.clauses.parity import SOURCE, check_languages, problems, source_sha
from generator.errors import ClauseError
from generator.model import Figure, Heading, Item, ItemList, Paragraph, Parallel, plain
from generator.pipeline import Options, build, contract_layers, prepare
from generator.textfmt import english_words, rmb_english

from .conftest import EXAMPLES, FORM_A, FORM_B, ROOT, STANDARD, pdf_pages, run_cli, squash

BILINGUAL = EXAMPLES / "client-bilingual.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Parameter sets that choose different clause variants (consumer, arbitration, working clock …).
VARIANTS = {
    "bilingual": (BILINGUAL, ()),
    "litigation-working-clock": (
        BILINGUAL,
        ("disputes.method=litigation", "disputes.court=signing_place", "timeliness.clock=working"),
    ),
    "uncapped-electronic": (
        BILINGUAL,
        ("liabilities.penalty_cap=null", "signing.electronic=true", "bilingual.prevailing=equal"),
    ),
    "consumer": (
        BILINGUAL,
        (
            "customer.kind=consumer",
            "customer.name={zh-CN: 王小明, en: Wang Xiaoming}",
            "customer.representative=null",
            "liabilities.penalty_cap=null",
            "bilingual.prevailing=en",
        ),
    ),
}


def prepared_of(contract: Path, *sets: str, clause_dirs: tuple[Path, ...] = ()):  # type: ignore[no-untyped-def]
    return prepare(contract_layers(contract, (STANDARD,), sets), Options(clause_dirs=clause_dirs))


# -- the clause library in step ----------------------------------------------------------------


def test_the_built_in_languages_are_in_step() -> None:
    check_languages("after-sales", ("zh-CN", "en"))
    result = run_cli("clauses", "--check")
    assert result.exit_code == 0, result.output
    assert "clauses in step: en, zh-CN" in result.output


def test_a_missing_english_clause_is_named() -> None:
    source = load_library("after-sales", SOURCE)
    english = load_library("after-sales", "en")
    without = {key: v for key, v in english.variants.items() if key != "force-majeure"}
    found = problems(source, dataclasses.replace(english, variants=without))
    original = ROOT / "clauses/zh-CN/liability/force-majeure.md"
    assert found == [f"clauses/en/liability/force-majeure.md: missing; translate {original}"]


def user_clause(folder: Path, language: str, relpath: str, body: str, *, sha_of: str | None = None) -> None:
    """Copy a built-in clause into a user folder, with another body (and, for a translation, a source_sha)."""
    original = (ROOT / "clauses" / language / relpath).read_text(encoding="utf-8")
    front = original[: original.find("\n---\n", 4)]
    if sha_of is not None:
        front = re.sub(r"source_sha: \w+", f"source_sha: {sha_of}", front)
    target = folder / language / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    for each in ("zh-CN", "en"):  # a user folder has a folder for each language it is used in
        (folder / each).mkdir(exist_ok=True)
    target.write_text(f"{front}\n---\n{body}", encoding="utf-8")


def test_a_new_chinese_clause_without_its_translation_fails_the_check_and_the_contract(
    tmp_path: Path,
) -> None:
    mine = tmp_path / "mine"
    clause = mine / "zh-CN" / "misc" / "waiver.md"
    clause.parent.mkdir(parents=True)
    clause.write_text(
        "---\nid: waiver\nsection: misc\ntitle: 弃权\n---\n一方未行使权利的，不视为放弃该权利。\n"
    )
    (mine / "en").mkdir()
    result = run_cli("clauses", "--check", "--clauses", mine)
    assert result.exit_code != 0
    assert "clauses/en/misc/waiver.md: missing; translate" in result.output
    # A Chinese contract may use it; an English or bilingual one is never made from a mixture.
    assert run_cli("validate", FORM_A, "--base", STANDARD, "--clauses", mine).exit_code == 0
    result = run_cli("validate", BILINGUAL, "--base", STANDARD, "--clauses", mine)
    assert result.exit_code != 0
    assert "misc/waiver.md: missing" in result.output


def edited_translation(folder: Path, relpath: str, old: str, new: str) -> None:
    """A user's English clause: the built-in one with ``old`` replaced, still translating the same Chinese."""
    chinese, english = (
        (ROOT / "clauses" / lang / relpath).read_text(encoding="utf-8") for lang in ("zh-CN", "en")
    )
    body = english.split("\n---\n", 1)[1]
    assert old in body
    user_clause(
        folder, "en", relpath, body.replace(old, new), sha_of=source_sha(chinese.split("\n---\n", 1)[1])
    )


def test_a_placeholder_in_one_language_only_is_named(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    edited_translation(mine, "term/effect.md", "{{ term.months }} months", "twelve months")
    with pytest.raises(ClauseError) as caught:
        check_languages("after-sales", ("zh-CN", "en"), (mine,))
    message = str(caught.value)
    assert "clauses/en/term/effect.md: placeholders, conditions or filters differ" in message
    assert "only in zh-CN: print Getattr(node=Name(name='term'" in message


def test_a_different_condition_or_emphasis_is_named(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    edited_translation(mine, "misc/notices.md", "- > if a document", "- if a document")
    with pytest.raises(
        ClauseError, match=r"clauses/en/misc/notices.md: 1 emphasis markers \(>\), but 2 in zh-CN"
    ):
        check_languages("after-sales", ("zh-CN", "en"), (mine,))
    other = tmp_path / "other"
    edited_translation(
        other, "misc/notices.md", 'disputes.method == "arbitration"', 'disputes.method != "litigation"'
    )
    with pytest.raises(
        ClauseError, match=r"clauses/en/misc/notices.md: placeholders, conditions or filters differ"
    ):
        check_languages("after-sales", ("zh-CN", "en"), (other,))


def test_a_chinese_body_edited_after_its_translation_is_named(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    user_clause(mine, "zh-CN", "misc/open-matters.md", "本协议未尽事宜，由双方另行协商并签订补充协议。\n")
    with pytest.raises(ClauseError) as caught:
        check_languages("after-sales", ("zh-CN", "en"), (mine,))
    assert "clauses/en/misc/open-matters.md: the zh-CN text changed since it was translated" in str(
        caught.value
    )
    result = run_cli("generate", BILINGUAL, "--base", STANDARD, "--clauses", mine, "-o", tmp_path / "out")
    assert result.exit_code != 0 and "open-matters.md" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_missing_locale_key_is_named(tmp_path: Path) -> None:
    source = load_library("after-sales", SOURCE)
    english = load_library("after-sales", "en")
    locale = {key: value for key, value in english.locale.items() if key != "acknowledgement"}
    found = problems(source, dataclasses.replace(english, locale=locale))
    assert found == [
        "clauses/en/locale.yaml: 'acknowledgement' is missing; every key of the built-in locale is needed"
    ]


# -- the pairing: numbers, paragraphs --------------------------------------------------------


def no_figure(agreement: object, labels: object) -> Figure:
    """The model without drawing the flowchart: these tests read the text only."""
    return Figure(b"", lambda: b"", "", 1.0, 1.0)  # type: ignore[arg-type]


@pytest.mark.parametrize("variant", VARIANTS)
def test_both_languages_have_the_same_clauses_numbers_and_paragraphs(variant: str) -> None:
    contract, sets = VARIANTS[variant]
    prepared = prepared_of(contract, *sets)
    documents = [
        build_document(prepared.params.in_language(lib.language), lib, no_figure)
        for lib in prepared.libraries
    ]
    chinese, english = (d.chapters() for d in documents)
    assert [len(c.clauses) for c in chinese] == [len(c.clauses) for c in english]
    for ours, theirs in zip(chinese, english, strict=True):
        for a, b in zip(ours.clauses, theirs.clauses, strict=True):
            assert (a.key, a.number) == (b.key, b.number)
            count = [sum(len(x.items) if isinstance(x, ItemList) else 1 for x in c.body) for c in (a, b)]
            assert count[0] == count[1], a.key


@pytest.mark.parametrize("variant", VARIANTS)
def test_numbering_is_identical_in_both_columns(variant: str) -> None:
    contract, sets = VARIANTS[variant]
    document = build(prepared_of(contract, *sets), Options())
    parallels = [b for b in document.blocks if isinstance(b, Parallel)]
    assert len(parallels) == 7  # the preamble and six chapters
    chapters = 0
    for block in parallels:
        for left, right in block.rows:
            assert type(left) is type(right)
            if isinstance(left, Heading) and isinstance(right, Heading):
                chapters += 1
                chinese_numeral, number = left.text.split("、")[0], right.text.split(".")[0]
                assert "一二三四五六七八九十".index(chinese_numeral) + 1 == int(number) == chapters
            elif isinstance(left, Item) and isinstance(right, Item):
                number = re.sub(r"\D", "", left.label)
                assert (left.label, right.label) == (f"（{number}）", f"({number})\u2002")
            elif isinstance(left, Paragraph) and isinstance(right, Paragraph):
                assert plain(left.lead).split("\u2002")[0] == plain(right.lead).split("\u2002")[0]
                assert left.emphasized == right.emphasized
    assert chapters == 6


def test_the_language_clause_follows_prevailing_and_is_only_in_bilingual_output() -> None:
    def clause(*sets: str) -> list[str]:
        document = build(prepared_of(BILINGUAL, *sets), Options())
        texts = []
        for block in document.blocks:
            if isinstance(block, Parallel):
                texts += [plain(r.spans) for row in block.rows for r in row if isinstance(r, Paragraph)]
        return [t for t in texts if "英文" in t or "English" in t]

    zh_prevails = clause()
    assert zh_prevails == [
        "本协议以中文和英文两种文字书写。两种文本不一致的，以中文文本为准。",
        "This Agreement is written in Chinese and English. In case of any discrepancy "
        "between the two versions, the Chinese version shall prevail.",
    ]
    en_prevails = clause("bilingual.prevailing=en")
    assert "以英文文本为准" in en_prevails[0] and "the English version shall prevail" in en_prevails[1]
    equal = clause("bilingual.prevailing=equal")
    assert "同等法律效力" in equal[0] and "equally authentic" in equal[1]
    assert not any("prevail" in text or "为准" in text for text in equal)
    for language in ("zh-CN", "en"):
        document = build(prepared_of(BILINGUAL, f"language={language}"), Options())
        assert not any(c.key == "language" for chapter in document.chapters() for c in chapter.clauses)


# -- values per language ------------------------------------------------------------------


def test_values_per_language_and_through_set() -> None:
    prepared = prepared_of(BILINGUAL, "customer.representative.en=Ms Wang Fang")
    english = prepared.params.in_language("en").agreement
    assert prepared.params.agreement.customer.name == "杭州明远商贸有限公司"
    assert english.customer.name == "Hangzhou Mingyuan Trading Co., Ltd."
    assert english.customer.representative == "Ms Wang Fang"
    # The standard's plain Chinese name stays the Chinese one under the contract's English.
    assert english.enterprise.name == "Huaxin Intelligent Equipment Co., Ltd."
    assert prepared.params.agreement.enterprise.name == "华信智能设备有限公司"
    # Phone numbers and e-mail addresses are the same in every language.
    assert english.customer.phone == prepared.params.agreement.customer.phone
    assert english.complaint_channels[0].value == "400-820-1234"


def test_a_missing_english_value_is_an_error_naming_the_key() -> None:
    result = run_cli("validate", FORM_B, "--base", STANDARD, "--language", "zh-CN+en")
    assert result.exit_code != 0
    assert "client-form-b.yaml:5: customer.name: has no English text; give customer.name.en" in result.output
    result = run_cli("validate", FORM_B, "--base", STANDARD, "--language", "en")
    assert (
        "customer.name: the English text '苏州瑞丰精密机械有限公司' holds Chinese characters" in result.output
    )


def test_english_amounts_and_dates() -> None:
    assert (
        rmb_english(__import__("decimal").Decimal("10000"))
        == "RMB 10,000.00 (SAY RENMINBI TEN THOUSAND ONLY)"
    )
    assert english_words(1_234_005) == "ONE MILLION TWO HUNDRED AND THIRTY-FOUR THOUSAND AND FIVE"
    document = build(prepared_of(BILINGUAL, "language=en"), Options())
    texts = " ".join(
        plain(item.spans) if isinstance(item, Item) else plain(getattr(item, "spans", ()))
        for chapter in document.chapters()
        for clause in chapter.clauses
        for block in clause.body
        for item in (block.items if isinstance(block, ItemList) else (block,))
    )
    assert "RMB 100.00 (SAY RENMINBI ONE HUNDRED ONLY)" in texts
    assert "penalty" not in texts.lower()
    assert "Shanghai International Economic and Trade Arbitration Commission" in texts
    assert re.search(r"[\u4e00-\u9fff（）。，；：]", texts) is None


def column_text(pdf: Path, x: int, width: int) -> str:
    """The text of one column of every page (poppler, cropped at ``x`` points, without the header
    and footer lines), joined: a sentence that runs over a page break reads through."""
    reader = PdfReader(pdf)
    texts = []
    for page in range(1, len(reader.pages) + 1):
        text = subprocess.run(
            [
                "pdftotext",
                "-raw",
                "-f",
                str(page),
                "-l",
                str(page),
                "-x",
                str(x),
                "-y",
                "40",
                "-W",
                str(width),
                "-H",
                "760",
                "-enc",
                "UTF-8",
                str(pdf),
                "-",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        texts.append(unhyphenated(text))
    return "".join(texts)


def unhyphenated(text: str) -> str:
    """The text without whitespace and without the hyphens (U+2010) that English hyphenation adds."""
    return squash(text).replace("\u2010", "")


# -- the files ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    files = {}
    for name, extra in {
        "columns": (),
        "alternating": ("--layout", "alternating"),
        "english": ("--language", "en"),
    }.items():
        out = tmp_path_factory.mktemp(name)
        result = run_cli(
            "generate", BILINGUAL, "--base", STANDARD, "-o", out, "-f", "pdf", "-f", "docx", *extra
        )
        assert result.exit_code == 0, result.output
        files[name] = out / "HX-AS-2026-0188.pdf"
    return files


@pytest.mark.parametrize("layout", ["columns", "alternating"])
def test_the_pdf_holds_both_texts_with_their_numbers(made: dict[str, Path], layout: str) -> None:
    text = unhyphenated("".join(pdf_pages(made[layout])))
    for expected in (
        "四、违约责任与争议解决",
        "4.LiabilityforBreachandDisputeResolution",
        "4.2延误违约金",
        "4.2LiquidatedDamagesforDelay",
        "人民币10,000.00元（大写：壹万元整）",
        "RMB10,000.00(SAYRENMINBITENTHOUSANDONLY)",
        "25November2026",
        "2026年11月25日",
    ):
        assert expected in text, expected


def test_the_english_apostrophe_comes_from_the_latin_font(made: dict[str, Path]) -> None:
    for name in ("columns", "english"):
        fonts: set[str] = set()

        def visit(
            text: str, _cm: object, _tm: object, font: object, _size: object, fonts: set[str] = fonts
        ) -> None:
            if "’" in text and isinstance(font, dict):
                fonts.add(str(font["/BaseFont"]))

        for page in PdfReader(made[name]).pages:
            page.extract_text(visitor_text=visit)
        assert fonts and all("Liberation-Serif" in f for f in fonts), fonts


def test_the_docx_tags_each_run_with_its_language(made: dict[str, Path]) -> None:
    docx = made["columns"].with_suffix(".docx")
    with zipfile.ZipFile(docx) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    tables = [t for t in body.iter(f"{W}tbl") if len(t.findall(f"{W}tr/{W}tc")) >= 2]
    assert len(tables) >= 7
    english_runs = chinese_runs = strong_chinese = 0
    for table in tables[:-1]:  # the last is the signature table
        for row in table.findall(f"{W}tr"):
            for column, cell in enumerate(row.findall(f"{W}tc")):
                for run in cell.iter(f"{W}r"):
                    lang = run.find(f"{W}rPr/{W}lang")
                    fonts = run.find(f"{W}rPr/{W}rFonts")
                    text = "".join(t.text or "" for t in run.iter(f"{W}t"))
                    style = run.find(f"{W}rPr/{W}rStyle")
                    strong = style is not None and style.get(f"{W}val") == "StrongTerm"
                    # A standard term is in 黑体 bold in both languages' Chinese, as the PDF sets it:
                    # the run's own fonts must not undo its style's face.
                    face = "Noto Sans CJK SC" if strong else "Noto Serif CJK SC"
                    assert fonts is not None and fonts.get(f"{W}eastAsia") == face, text
                    assert fonts.get(f"{W}hint") is None
                    if column == 1:
                        english_runs += 1
                        assert lang.get(f"{W}val") == "en-US", text
                        assert fonts.get(f"{W}ascii") == "Times New Roman"
                        assert re.search(r"[\u4e00-\u9fff]", text) is None, text
                    else:
                        chinese_runs += 1
                        strong_chinese += strong
                        assert lang.get(f"{W}eastAsia") == "zh-CN", text
                        assert fonts.get(f"{W}ascii") == face, text
    assert english_runs > 100 and chinese_runs > 100 and strong_chinese > 5


def test_a_line_of_both_languages_is_cut_into_runs_of_one_language(made: dict[str, Path]) -> None:
    """「甲方（盖章）/ Party A (Company Chop)」, the parties, the header and footer: no run mixes
    Chinese and Latin letters; English runs are en-US in the Latin serif, never hinted East Asian."""
    with zipfile.ZipFile(made["columns"].with_suffix(".docx")) as package:
        parts = {
            name: etree.fromstring(package.read(name)) for name in package.namelist() if name.endswith(".xml")
        }
    # The lines joined from both languages: the parties, the signature blocks, header and footer.
    joined = [
        p
        for p in parts["word/document.xml"].iter(f"{W}p")
        if p.find(f"{W}pPr/{W}pStyle") is not None
        and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") in ("Party", "SignatureTop", "Signature")
    ]
    joined += [*parts["word/header1.xml"].iter(f"{W}p"), *parts["word/footer1.xml"].iter(f"{W}p")]
    runs = [r for p in joined for r in p.iter(f"{W}r")]
    assert len(joined) >= 14
    seen = set()
    for run in runs:
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        chinese, latin = re.search(r"[\u4e00-\u9fff（）：]", text), re.search(r"[A-Za-z]", text)
        assert not (chinese and latin), text
        fonts, lang = run.find(f"{W}rPr/{W}rFonts"), run.find(f"{W}rPr/{W}lang")
        if lang is None:  # a page number inside its field, or an empty run
            assert not text or text.isdigit(), text
            continue
        assert fonts is not None and fonts.get(f"{W}hint") is None, text
        if latin:
            assert lang.get(f"{W}val") == "en-US" and fonts.get(f"{W}ascii") == "Times New Roman", text
        else:
            assert lang.get(f"{W}eastAsia") == "zh-CN", text
        seen.add(text.strip())
    assert {"甲方（盖章）/", "Party A (Company Chop)", "Page"} <= seen
    names = [f.get(f"{W}name") for f in parts["word/fontTable.xml"].iter(f"{W}font")]
    assert "Times New Roman" in names
    footer = etree.tostring(parts["word/footer1.xml"]).decode()
    assert footer.count('w:instr=" PAGE "') == 2 and footer.count('w:instr=" NUMPAGES "') == 2


@pytest.mark.parametrize(
    ("name", "footer"),
    [
        ("columns", "第{n}页共{m}页/Page{n}of{m}"),
        ("alternating", "第{n}页共{m}页/Page{n}of{m}"),
        ("english", "Page{n}of{m}"),
    ],
)
def test_each_page_says_its_number_in_the_contract_s_languages(
    made: dict[str, Path], name: str, footer: str
) -> None:
    pages = pdf_pages(made[name])
    for number, page in enumerate(pages, 1):
        line = footer.format(n=number, m=len(pages))
        assert line in squash(page), (number, page[-200:])
        assert squash(page).count("页") == line.count("页")


def test_capitals_and_addresses_never_hyphenate_but_english_prose_does(made: dict[str, Path]) -> None:
    """RENMINBI, THOUSAND, a contract number, an e-mail address: never cut with a hyphen (U+2010)
    at a line's end, as they were ("REN‐MINBI"); ordinary English words still are."""
    for name in ("columns", "alternating", "english"):
        text = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", str(made[name]), "-"], capture_output=True, text=True
        ).stdout
        assert re.search(r"[A-Z]{2}\u2010\n", text) is None, name
        assert re.search(r"@[\w.-]*\u2010\n", text) is None, name
        assert re.search(r"[a-z]\u2010\n[a-z]", text), f"{name}: English prose is hyphenated"
        assert "SAY RENMINBI TEN THOUSAND ONLY" in re.sub(r"\s+", " ", text), name


@pytest.mark.parametrize("layout", ["columns", "alternating", "english"])
def test_the_pdf_and_libreoffices_print_of_the_docx_have_the_same_page_count(
    made: dict[str, Path], layout: str, tmp_path: Path
) -> None:
    pdf = made[layout]
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(pdf.with_suffix(".docx")),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert len(PdfReader(tmp_path / pdf.name).pages) == len(PdfReader(pdf).pages)


def test_a_clause_longer_than_a_page_splits_and_loses_no_text(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    zh = "".join(f"第{n}句：甲方应当按照本协议约定的服务时限处理乙方的请求。" for n in range(1, 90))
    en = " ".join(
        f"Sentence {n}: Party A shall handle Party B’s requests within the agreed time limits."
        for n in range(1, 90)
    )
    for language, title, body in (("zh-CN", "长条款", zh), ("en", "Long Clause", en)):
        sha = f"source_sha: {source_sha(zh + chr(10))}\n" if language == "en" else ""
        clause = mine / language / "misc" / "long.md"
        clause.parent.mkdir(parents=True)
        clause.write_text(
            f"---\nid: long\nsection: misc\ntitle: {title}\n{sha}---\n{body}\n", encoding="utf-8"
        )
    result = run_cli(
        "generate", BILINGUAL, "--base", STANDARD, "--clauses", mine, "-o", tmp_path, "-f", "pdf"
    )
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "HX-AS-2026-0188.pdf"
    pages = [unhyphenated(p) for p in pdf_pages(pdf)]
    chinese, english = column_text(pdf, 0, 298), column_text(pdf, 298, 297)
    for n in range(1, 90):
        assert squash(f"第{n}句：甲方应当按照本协议约定的服务时限处理乙方的请求。") in chinese, n
        assert (
            squash(f"Sentence {n}: Party A shall handle Party B’s requests within the agreed") in english
        ), n
    first = next(i for i, p in enumerate(pages) if "第1句" in p)
    last = next(i for i, p in enumerate(pages) if "第89句" in p)
    assert last > first  # the clause runs over a page break


def test_a_batch_column_gives_a_values_english(tmp_path: Path) -> None:
    table = tmp_path / "rows.csv"
    table.write_text(
        "contract_no,customer.name,customer.name.en\n"
        'HX-B-1,杭州明远商贸有限公司,"Hangzhou Mingyuan Trading Co., Ltd."\n'
        "HX-B-2,宁波远航贸易有限公司,\n",
        encoding="utf-8",
    )
    result = run_cli(
        "batch", table, "--base", STANDARD, "--base", BILINGUAL, "-o", tmp_path / "out", "-f", "html", "-q"
    )
    made = (tmp_path / "out" / "HX-B-1.html").read_text(encoding="utf-8")
    # The text (each English part of a line of both languages is in a span of its own).
    assert "杭州明远商贸有限公司 / Hangzhou Mingyuan Trading Co., Ltd." in re.sub(r"<[^>]+>", "", made)
    # Row 2 gives a new Chinese name but no English: the bilingual base's English name is the old customer's.
    failures = (tmp_path / "out" / "failures.csv").read_text(encoding="utf-8")
    assert result.exit_code == 1 and "HX-B-2" not in made
    assert "customer.name" in failures


def test_the_deviation_report_compares_a_bilingual_contract_s_chinese_with_the_standard() -> None:
    """Not every clause "removed" (the bilingual rows are no clauses of the standard's): the
    language, the clauses its terms change, and the language clause only bilingual output has."""
    result = run_cli("diff", STANDARD, BILINGUAL)
    assert result.exit_code == 0, result.output
    assert "language: zh-CN → zh-CN+en" in result.output
    assert "removed" not in result.output
    changes = re.findall(r"^  (\S+) .*\((?:\S+) (changed|added)\)$", result.output, re.MULTILINE)
    assert ("4.4", "changed") in changes  # arbitration instead of the court
    assert ("6.2", "added") in changes  # the language clause
    assert ("1.1", "changed") not in changes
