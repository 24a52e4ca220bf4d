"""The web page in a real browser (Debian's Chromium through Playwright), against ``agreement serve``.

The server is the real command, started on a free loopback port.  The tests
type into the form as a sales person would, wait for the preview, trigger
each kind of error, download each file and read it back, and compare the
downloads byte for byte with ``agreement generate`` on the downloaded YAML.
Screenshots (desktop and a 390-pixel phone) are saved, into
``$WEB_SCREENSHOTS`` when set, for a person to look at.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

import httpx
import pikepdf
import pytest
from docx import Document as open_docx
from playwright.sync_api import Browser, Page, expect, sync_playwright

from .conftest import FORM_B, ROOT, STANDARD, pdf_pages, run_cli

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: The preview must follow the form within 1 s of the last keystroke; on a
#: shared, slow test machine the wait allows more, the benchmark measures.
WAIT_MS = 15_000
expect.set_options(timeout=WAIT_MS)

#: The API's body for a valid contract.
CLIENT = {
    "contract_no": "HX-WEB-0158",
    "customer": {"name": "甲", "address": "乙", "representative": "丙", "phone": "1"},
}
VALID = {
    "contract_no": "HX-WEB-0158",
    "customer.name": "杭州明远商贸有限公司",
    "customer.address": "浙江省杭州市西湖区文三路 90 号",
    "customer.representative": "王芳",
    "customer.phone": "0571-8765 4321",
    "signing.date": "2026-11-25",
}


def _benchmark_module() -> ModuleType:
    """``benchmarks/web_load.py``, whose ``serving`` starts the server as the benchmark does."""
    spec = importlib.util.spec_from_file_location("web_load", ROOT / "benchmarks" / "web_load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


AGREEMENT = str(Path(sys.executable).with_name("agreement"))


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """``agreement serve --base examples/company-standard.yaml`` on a free port of the loopback."""
    with _benchmark_module().serving(AGREEMENT, 1) as url:
        yield url


def test_a_full_render_queue_answers_503_at_once() -> None:
    """One worker, a queue of one: of eight PDFs asked at once, the extra ones get 503 + Retry-After."""
    with _benchmark_module().serving(AGREEMENT, 1, "--queue", "1") as url:
        body = {**CLIENT, "contract_no": "HX-WEB-QUEUE"}
        with ThreadPoolExecutor(8) as pool:
            answers = list(
                pool.map(lambda _: httpx.post(f"{url}/api/render/pdf", json=body, timeout=120), range(8))
            )
        statuses = sorted(answer.status_code for answer in answers)
        assert set(statuses) == {200, 503}, statuses
        busy = next(answer for answer in answers if answer.status_code == 503)
        assert busy.headers["retry-after"] == "2"
        assert all(a.content.startswith(b"%PDF") for a in answers if a.status_code == 200)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.goto(server)
    yield opened
    context.close()
    assert not dialogs, f"a script ran: {dialogs}"


def fill(page: Page, values: dict[str, str]) -> None:
    """Type into text fields, choose in selects (the court and the commission are choices)."""
    for key, value in values.items():
        field = page.locator(f'[name="{key}"]')
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def settled(page: Page) -> None:
    """Wait until the form's last change has been answered (its 300 ms delay, then no request running)."""
    page.wait_for_timeout(500)
    page.wait_for_function("!document.querySelector('#contract-form.htmx-request')")


def shot(page: Page, tmp_path: Path, name: str, at: str = ".bar") -> Path:
    """What the screen shows with ``at`` scrolled into view (a full-page picture misplaces sticky parts)."""
    settled(page)
    path = tmp_path / f"{name}.png"
    page.locator(at).first.scroll_into_view_if_needed()
    page.screenshot(path=str(path))
    assert path.read_bytes().startswith(b"\x89PNG")
    folder = os.environ.get("WEB_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / path.name)
    return path


def preview_text(page: Page) -> str:
    return page.frame_locator("#preview").locator("body").inner_text()


def download(page: Page, fmt: str, folder: Path) -> Path:
    settled(page)
    with page.expect_download() as started:
        page.click(f'[data-download="{fmt}"]')
    target = folder / started.value.suggested_filename
    started.value.save_as(target)
    return target


def assert_generate_makes_the_same(files: dict[str, Path], tmp_path: Path) -> None:
    """The downloaded PDF and DOCX are the bytes of ``agreement generate`` on the downloaded YAML."""
    out = tmp_path / "cli"
    result = run_cli("generate", files["yaml"], "--base", STANDARD, "-o", out)
    assert result.exit_code == 0, result.output
    for fmt in ("pdf", "docx"):
        assert files[fmt].read_bytes() == (out / files[fmt].name).read_bytes(), fmt


def test_type_see_the_preview_download_what_the_cli_makes(page: Page, tmp_path: Path) -> None:
    fill(page, VALID)
    fill(page, {"timeliness.response_hours": "2", "timeliness.onsite_hours": "24"})
    preview = page.frame_locator("#preview")
    expect(preview.locator("body")).to_contain_text("杭州明远商贸有限公司", timeout=WAIT_MS)
    expect(preview.locator("body")).to_contain_text("2小时", timeout=WAIT_MS)
    # The deviation panel: each changed term, standard → this contract; the changed clauses highlighted.
    row = page.locator('#deviation tr[data-key="timeliness.response_hours"]')
    expect(row).to_contain_text("24")
    expect(row).to_contain_text("2")
    assert page.locator("#deviation li[data-clause]").count() >= 1
    assert preview.locator(".deviates").count() >= 1
    expect(page.locator("#source-timeliness-response_hours")).to_contain_text("本合同")
    expect(page.locator("#source-timeliness-return_hours")).to_contain_text("标准")
    shot(page, tmp_path, "desktop")

    files = {fmt: download(page, fmt, tmp_path) for fmt in ("yaml", "pdf", "docx")}
    assert files["pdf"].name == "HX-WEB-0158.pdf"
    client_yaml = files["yaml"].read_text(encoding="utf-8")
    assert "response_hours: 2  # 响应时限（小时）" in client_yaml
    assert "enterprise:" not in client_yaml, "only what differs from the standard"
    text = "".join(pdf_pages(files["pdf"]))
    assert "杭州明远商贸有限公司" in text and "2小时" in text
    paragraphs = "".join(p.text for p in open_docx(str(files["docx"])).paragraphs)
    assert "杭州明远商贸有限公司" in paragraphs

    assert_generate_makes_the_same(files, tmp_path)


def test_the_page_fits_a_phone(browser: Browser, server: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(server)
    fill(phone, VALID)
    expect(phone.frame_locator("#preview").locator("body")).to_contain_text(
        "杭州明远商贸有限公司", timeout=WAIT_MS
    )
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    shot(phone, tmp_path, "phone")
    shot(phone, tmp_path, "phone-deviation", at="#deviation")
    shot(phone, tmp_path, "phone-preview", at="#preview")
    context.close()


#: Each error: what is typed, where the message must show, its code and words.
ERRORS = [
    ({"timeliness.response_hours": "0"}, ["timeliness.response_hours"], "greater_than_equal"),
    ({"timeliness.response_hours": "abc"}, ["timeliness.response_hours"], "int_type"),
    (
        {"timeliness.response_hours": "100", "timeliness.inspection_hours": "120"},
        ["timeliness.response_hours", "timeliness.onsite_hours"],
        "C001",
    ),
    (
        {"liabilities.penalty_per_hour": "100", "liabilities.penalty_cap": "50"},
        ["liabilities.penalty_cap", "liabilities.penalty_per_hour"],
        "C003",
    ),
    ({"term.months": "0"}, ["term.months"], "C004"),
    ({"disputes.court": ""}, ["disputes.court"], "C006"),
    ({"signing.date": "2026-02-30"}, ["signing.date"], "date_from_datetime_parsing"),
    ({"liabilities.penalty_cap": "100.005"}, ["liabilities.penalty_cap"], "value_error"),
    ({"customer.name": ""}, ["customer.name"], "missing"),
]


@pytest.mark.parametrize(("typed", "fields", "code"), ERRORS, ids=[e[2] for e in ERRORS])
def test_each_error_shows_at_its_fields_as_the_cli_says_it(
    page: Page, tmp_path: Path, typed: dict[str, str], fields: list[str], code: str
) -> None:
    fill(page, VALID)
    expect(page.locator('[data-download="pdf"]')).to_have_count(1, timeout=WAIT_MS)
    fill(page, typed)
    for key in fields:
        message = page.locator(f'[data-error-for="{key}"] p.error[data-code="{code}"]')
        expect(message).to_have_count(1, timeout=WAIT_MS)
    expect(page.locator("[data-download]")).to_have_count(0)
    shown = page.locator(f'[data-error-for="{fields[0]}"] p.error[data-code="{code}"]').inner_text()
    assert shown.startswith("form: "), shown
    # The same input on the command line: the same words after the place.
    assert shown.removeprefix("form: ") in cli_messages(tmp_path, {**VALID, **typed})


def cli_messages(tmp_path: Path, typed: dict[str, str]) -> list[str]:
    """What ``agreement validate`` says about the same values given as ``--set``, without the places.

    A blank field clears the standard's value (``null``); where the standard
    has none (the customer's details) it is simply not given.
    """
    contract = tmp_path / "c.yaml"
    contract.write_text("contract_no: X\n", encoding="utf-8")
    sets = []
    for key, value in typed.items():
        if value or not key.startswith("customer."):
            sets += ["--set", f"{key}={value or 'null'}"]
    cli = run_cli("validate", contract, "--base", STANDARD, *sets)
    assert cli.exit_code == 1, cli.output
    return [re.sub(r"^(Error: )?[^:]+(:\d+)?: ", "", line) for line in cli.output.splitlines()]


def test_a_warning_shows_but_does_not_stop_the_download(page: Page) -> None:
    fill(page, VALID)
    fill(page, {"liabilities.penalty_cap": ""})
    warning = page.locator('[data-error-for="liabilities.penalty_cap"] p.warning[data-code="W103"]')
    expect(warning).to_have_count(1, timeout=WAIT_MS)
    expect(page.locator("#downloads [data-download]")).to_have_count(3)
    expect(page.locator("#deviation [data-download]")).to_have_count(2)


def test_hostile_values_appear_as_text(page: Page, tmp_path: Path) -> None:
    hostile = {
        "customer.name": '<img src=x onerror="window.pwned=1;alert(1)">',
        "customer.address": "{{ 7*7 }} <script>alert(2)</script>",
        "signing.place": "**bold** </iframe><b>x</b>",
    }
    fill(page, {**VALID, **hostile})
    body = page.frame_locator("#preview").locator("body")
    for value in hostile.values():
        expect(body).to_contain_text(value, timeout=WAIT_MS)
    frame = page.frame_locator("#preview")
    assert frame.locator('img[src="x"], script, b').count() == 0
    assert page.evaluate("window.pwned") is None
    shot(page, tmp_path, "hostile")


def test_open_a_client_file(page: Page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page.set_input_files("#open-file", str(FORM_B))
    page.click("[data-open]")
    expect(page.locator('[name="customer.name"]')).to_have_value("苏州瑞丰精密机械有限公司")
    expect(page.locator('[name="timeliness.response_hours"]')).to_have_value("1")
    expect(page.locator('[name="disputes.method"]')).to_have_value("arbitration")
    expect(page.frame_locator("#preview").locator("body")).to_contain_text("上海国际仲裁中心")
    expect(page.locator('#deviation tr[data-key="disputes.method"]')).to_have_count(1)
    # Opened as it is, form B downloads as the CLI makes it from form B.
    out = tmp_path / "cli"
    assert run_cli("generate", FORM_B, "--base", STANDARD, "-o", out, "-f", "pdf").exit_code == 0
    assert download(page, "pdf", tmp_path).read_bytes() == (out / "HX-AS-2026-0159.pdf").read_bytes()

    # A file with a syntax error: the CLI's message, word for word, with its line.
    monkeypatch.chdir(tmp_path)
    Path("broken.yaml").write_text("customer:\n  name: [unclosed\n", encoding="utf-8")
    cli = run_cli("validate", "broken.yaml", "--base", STANDARD).output.strip().removeprefix("Error: ")
    page.set_input_files("#open-file", "broken.yaml")
    page.click("[data-open]")
    expect(page.locator("#general p.error")).to_have_text(cli)
    assert cli.startswith("broken.yaml:2: ")


def test_with_a_token_the_browser_logs_in_first(browser: Browser, tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("correct horse battery staple\n", encoding="utf-8")
    with _benchmark_module().serving(AGREEMENT, 1, "--token-file", str(token_file)) as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        assert page.url == f"{url}/login?next=/"
        page.fill("#token", "wrong")
        page.click("button[type=submit]")
        expect(page.locator('[data-error-for="token"]')).to_have_text("令牌不对 wrong token")
        page.fill("#token", "correct horse battery staple")
        page.click("button[type=submit]")
        expect(page.locator('[name="contract_no"]')).to_have_count(1)
        session = next(c for c in context.cookies() if c["name"] == "agreement_session")
        assert session["httpOnly"] and session["sameSite"] == "Strict"
        fill(page, VALID)
        expect(page.frame_locator("#preview").locator("body")).to_contain_text(
            VALID["customer.name"], timeout=WAIT_MS
        )
        context.close()
        assert httpx.post(f"{url}/api/validate", json=CLIENT).status_code == 401


def test_tick_the_options_download_the_redlines(page: Page, tmp_path: Path) -> None:
    """Signature fields, PDF/A, tracked and protected DOCX ticked on the page; the redlines from the
    deviation panel: each file is the CLI's, byte for byte, from the downloaded YAML."""
    fill(page, VALID)
    fill(page, {"timeliness.response_hours": "2", "timeliness.onsite_hours": "24"})
    for name in ("sign_fields", "pdf_a", "track_changes", "protect_tracking"):
        page.check(f'.render-options [name="{name}"]')
    flags = ["--sign-fields", "--pdf-a", "--track-changes", "--protect-tracking"]
    command = page.locator('[data-cli="downloads"] pre')
    expect(command).to_have_text(
        f"agreement generate HX-WEB-0158.yaml --base company-standard.yaml {' '.join(flags)}"
    )
    page.click('[data-cli="downloads"] summary')
    redline_buttons = page.locator('#deviation [data-download^="redline."]')
    expect(redline_buttons).to_have_count(2)
    shot(page, tmp_path, "options-desktop")
    page.click('[data-cli="deviation"] summary')
    shot(page, tmp_path, "redline-desktop", at="#deviation .redlines")

    files = {
        fmt: download(page, fmt, tmp_path) for fmt in ("yaml", "pdf", "docx", "redline.docx", "redline.pdf")
    }
    assert files["redline.pdf"].name == "HX-WEB-0158.redline.pdf"
    client_yaml = files["yaml"].read_text(encoding="utf-8")
    assert not re.search(r"sign_fields|pdf_a|track|protect", client_yaml), "options are not parameters"
    out = tmp_path / "cli"
    assert run_cli("generate", files["yaml"], "--base", STANDARD, "-o", out, *flags).exit_code == 0
    for fmt in ("pdf", "docx"):
        assert files[fmt].read_bytes() == (out / f"HX-WEB-0158.{fmt}").read_bytes(), fmt
    for kind in ("docx", "pdf"):
        redline = out / f"redline.{kind}"
        assert run_cli("diff", STANDARD, files["yaml"], "--format", kind, "-o", redline).exit_code == 0
        assert files[f"redline.{kind}"].read_bytes() == redline.read_bytes(), kind

    # Read back: the fields and the PDF/A XMP, tracking and protection, the redline's changes.
    with pikepdf.open(files["pdf"]) as pdf:
        assert {str(f.T) for f in pdf.Root.AcroForm.Fields if f.FT == "/Sig"} == {"PartyA", "PartyB"}
        assert pdf.open_metadata().pdfa_status == "3B"
    settings_xml = zipfile.ZipFile(files["docx"]).read("word/settings.xml").decode()
    assert "<w:trackRevisions" in settings_xml and 'w:edit="trackedChanges"' in settings_xml
    body = zipfile.ZipFile(files["redline.docx"]).read("word/document.xml").decode()
    assert "<w:ins " in body and "<w:del " in body
    redline_text = "".join(pdf_pages(files["redline.pdf"]))
    assert "2小时" in redline_text and "24小时" in redline_text, "the PDF shows what was and what is"

    # An error: no download at all, the redline buttons included.
    fill(page, {"timeliness.response_hours": "0"})
    expect(page.locator("[data-download]")).to_have_count(0)
    expect(page.locator("[data-cli]")).to_have_count(0)


def test_type_a_protection_password_download_the_clis_docx(page: Page, tmp_path: Path) -> None:
    """The password typed beside 只能修订: the DOCX is `generate --protect-password-file`'s, Word's hash
    of it in settings.xml; the page shows a placeholder file, never the password; a bad one is the
    CLI's message at the field and blocks the downloads."""
    from .test_web_api import PASSWORD, assert_words_hash_of, cli_protected

    fill(page, VALID)
    for name in ("track_changes", "protect_tracking"):
        page.check(f'.render-options [name="{name}"]')
    password = page.locator('.render-options input[name="protect_password"]')
    expect(password).to_have_attribute("type", "password")
    expect(password).to_have_attribute("autocomplete", "new-password")
    password.fill(PASSWORD)
    command = page.locator('[data-cli="downloads"] pre')
    expect(command).to_have_text(
        "agreement generate HX-WEB-0158.yaml --base company-standard.yaml --track-changes "
        "--protect-tracking --protect-password-file PASSWORD_FILE"
    )
    page.click('[data-cli="downloads"] summary')
    shot(page, tmp_path, "password-desktop", at=".render-options")
    files = {fmt: download(page, fmt, tmp_path) for fmt in ("yaml", "docx")}
    assert PASSWORD not in files["yaml"].read_text(encoding="utf-8")
    docx = files["docx"].read_bytes()
    assert docx == cli_protected(tmp_path, files["yaml"], PASSWORD, "HX-WEB-0158")
    assert_words_hash_of(docx, PASSWORD)
    assert PASSWORD not in page.content(), "only the input holds it, in the browser"
    assert password.get_attribute("value") is None, "never sent back as a value attribute"

    password.fill("sixteen chars!!!")
    problem = page.locator('[data-error-for="protect_password"] .error')
    expect(problem).to_have_text(
        "the protection password has 16 characters; Word uses at most 15, so give at most 15"
    )
    expect(page.locator("#downloads [data-download]")).to_have_count(0)
    shot(page, tmp_path, "password-error", at=".render-options")


def test_the_options_and_redlines_fit_a_phone(browser: Browser, server: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(server)
    fill(phone, {**VALID, "timeliness.response_hours": "2"})
    phone.check('.render-options [name="sign_fields"]')
    expect(phone.locator('#deviation [data-download="redline.pdf"]')).to_have_count(1)
    phone.click('[data-cli="downloads"] summary')
    phone.click('[data-cli="deviation"] summary')
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    shot(phone, tmp_path, "options-phone", at=".render-options")
    shot(phone, tmp_path, "redline-phone", at="#deviation .redlines")
    context.close()


#: The English of every text the standard and VALID give in Chinese (the third channel is online).
ENGLISH = {
    "enterprise.name.en": "Huaxin Intelligent Equipment Co., Ltd.",
    "enterprise.address.en": "188 Zhangjiang Road, Pudong New Area, Shanghai",
    "enterprise.representative.en": "Li Ming",
    "customer.address.en": "90 Wensan Road, Xihu District, Hangzhou, Zhejiang Province",
    "customer.representative.en": "Wang Fang",
    "signing.place.en": "Pudong New Area, Shanghai",
    "complaint_channels.3.value.en": "online customer service on the official website",
}


def test_a_bilingual_contract_from_the_form(page: Page, tmp_path: Path) -> None:
    """中英文对照: each text's English input appears beside its Chinese one; a missing English name
    is the CLI's error at its field; the preview shows both languages; the downloads are the bytes
    of `agreement generate` on the downloaded YAML."""
    fill(page, VALID)
    english_name = page.locator('[name="customer.name.en"]')
    expect(english_name).to_be_hidden()
    expect(page.locator('[name="bilingual.layout"]')).to_be_hidden()
    page.locator("details.group").nth(2).locator("summary").click()  # the enterprise, folded away
    fill(page, {"language": "zh-CN+en"})
    expect(english_name).to_be_visible()
    expect(page.locator('[name="bilingual.prevailing"]')).to_be_visible()
    expect(page.locator('[name="complaint_channels.1.value.en"]')).to_be_hidden()  # a phone number
    fill(page, ENGLISH)

    message = page.locator('[data-error-for="customer.name"] p.error[data-code="language"]')
    expect(message).to_have_count(1)
    expect(page.locator("[data-download]")).to_have_count(0)
    shown = message.inner_text()
    assert shown == "form: customer.name: has no English text; give customer.name.en"
    assert shown.removeprefix("form: ") in cli_messages(tmp_path, {**VALID, "language": "zh-CN+en"})
    shot(page, tmp_path, "bilingual-error", at='[name="customer.name.en"]')

    fill(page, {"customer.name.en": "Hangzhou Mingyuan Trading Co., Ltd.", "bilingual.prevailing": "equal"})
    preview = page.frame_locator("#preview").locator("body")
    expect(preview).to_contain_text("Hangzhou Mingyuan Trading Co., Ltd.")
    expect(preview).to_contain_text("杭州明远商贸有限公司")
    expect(preview).to_contain_text("Party A")
    expect(page.locator("#deviation [data-redline-refused]")).to_have_count(0)
    expect(page.locator('#deviation [data-download="redline.docx"]')).to_have_count(1)
    shot(page, tmp_path, "bilingual-desktop", at='[name="customer.name.en"]')

    files = {fmt: download(page, fmt, tmp_path) for fmt in ("yaml", "pdf", "docx")}
    client_yaml = files["yaml"].read_text(encoding="utf-8")
    assert "language: zh-CN+en" in client_yaml and "prevailing: equal" in client_yaml
    assert "name: {zh-CN: 杭州明远商贸有限公司, en: 'Hangzhou Mingyuan Trading Co., Ltd.'}" in client_yaml
    text = "".join(pdf_pages(files["pdf"]))
    assert "Hangzhou Mingyuan" in text and "杭州明远商贸有限公司" in text
    assert_generate_makes_the_same(files, tmp_path)


def test_the_bilingual_form_fits_a_phone(browser: Browser, server: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(server)
    fill(phone, {**VALID, "language": "zh-CN+en", "customer.name.en": "Hangzhou Mingyuan Trading Co., Ltd."})
    expect(phone.locator('[name="customer.address.en"]')).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    shot(phone, tmp_path, "bilingual-phone", at='[name="customer.name.en"]')
    shot(phone, tmp_path, "bilingual-phone-channels", at='[name="complaint_channels.3.value.en"]')
    context.close()
