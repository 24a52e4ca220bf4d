"""The team server in a real browser: sales saves, the playbook decides, legal approves, the log says so.

``agreement serve --data DIR --host 0.0.0.0`` is started for real, with a
sales and a legal account made by ``agreement users add``; two browser
contexts are the two people.  Screenshots of each step are saved (into
``$WEB_SCREENSHOTS`` when set) for a person to look at.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import pdf_pages, squash
from .store.test_team_web import generated
from .test_web_browser import AGREEMENT, VALID, _benchmark_module, browser, download, fill, settled, shot

__all__ = ["browser"]  # the Chromium fixture, shared with the single-user page's tests

PASSWORD = "correct horse battery"
DRAFT_MARK = "草稿"


@pytest.fixture(scope="module")
def team_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A team server with accounts (so it may listen beyond the loopback), on a fresh SQLite store."""
    data = tmp_path_factory.mktemp("team") / "data"
    for name, role in (("sam", "sales"), ("lena", "legal")):
        subprocess.run(
            [AGREEMENT, "users", "add", name, "--role", role, "--password-stdin", "--data", str(data)],
            input=PASSWORD + "\n",
            text=True,
            check=True,
            capture_output=True,
        )
    with _benchmark_module().serving(AGREEMENT, 1, "--data", str(data), "--host", "0.0.0.0") as url:
        yield url


def logged_in(browser: Browser, url: str, name: str) -> Page:
    """A browser of its own for ``name``, logged in through the login page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.goto(url)
    expect(page).to_have_url(re.compile(r"/login\?next=/$"))
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".bar .who")).to_contain_text(name)
    page.wait_for_load_state("load")  # htmx (a deferred script) listens before anything is typed
    return page


def is_draft(pdf: Path) -> bool:
    return DRAFT_MARK in squash("".join(pdf_pages(pdf)))


def test_sales_saves_legal_approves_the_log_says_so(
    browser: Browser, team_server: str, tmp_path: Path
) -> None:
    sales = logged_in(browser, team_server, "sam")
    fill(sales, VALID)
    expect(sales.locator("#downloads .ready")).to_be_visible()  # the preview has followed the form
    settled(sales)
    response = sales.locator("#playbook-timeliness-response_hours")
    expect(response).to_have_attribute("data-playbook", "inside")
    shot(sales, tmp_path, "team-1-form-inside", at="#f-timeliness-response_hours")
    sales.click("[data-save]")

    expect(sales.locator("#status")).to_have_attribute("data-status", "approved")
    contract_url = sales.url
    assert not is_draft(download(sales, "pdf", tmp_path / "v1"))

    sales.click("text=编辑 Edit")
    sales.wait_for_url(re.compile(r"/edit$"), wait_until="load")  # htmx listens before we type
    sales.fill('[name="timeliness.response_hours"]', "30")
    expect(response).to_have_attribute("data-playbook", "outside")
    expect(response).to_contain_text("allowed 1–24")
    shot(sales, tmp_path, "team-2-form-outside", at="#f-timeliness-response_hours")
    sales.click("[data-save]")
    expect(sales.locator("#status")).to_have_attribute("data-status", "pending")
    expect(sales.locator("#findings")).to_contain_text("P002")
    assert sales.locator("[data-decide]").count() == 0  # sales cannot approve
    assert is_draft(download(sales, "pdf", tmp_path / "v2-draft"))
    shot(sales, tmp_path, "team-3-pending", at="#findings")

    legal = logged_in(browser, team_server, "lena")
    legal.goto(contract_url)
    legal.fill("#comment", "30 小时响应已与客户确认 agreed with the client")
    legal.click('[data-decide="approve"]')
    expect(legal.locator("#status")).to_have_attribute("data-status", "approved")
    shot(legal, tmp_path, "team-4-approved")

    sales.reload()
    expect(sales.locator("#status")).to_have_attribute("data-status", "approved")
    final = download(sales, "pdf", tmp_path / "v2-final")
    assert not is_draft(final)
    stored = sales.request.get(f"{team_server}/api/contracts/{contract_url.rsplit('/', 1)[1]}").json()
    assert final.read_bytes() == generated(tmp_path, stored["params"], "pdf")

    legal.goto(contract_url)
    legal.click("text=比较 Compare")
    expect(legal.locator("#report")).to_contain_text("timeliness.response_hours: 24 → 30")
    with legal.expect_download() as started:
        legal.click('[data-redline="docx"]')
    assert started.value.suggested_filename == f"contract-{stored['id']}-v1-v2-redline.docx"
    shot(legal, tmp_path, "team-5-compare", at="#report")

    legal.goto(f"{team_server}/audit?contract={stored['id']}")
    rows = legal.locator("table.audit tbody tr")
    actions = [
        (row.get_attribute("data-action"), row.locator("td").nth(2).inner_text()) for row in rows.all()
    ]
    assert actions == [
        ("saved", "sam"),
        ("approved", "(playbook)"),
        ("download", "sam"),
        ("saved", "sam"),
        ("download", "sam"),
        ("approved", "lena"),
        ("download", "sam"),
        ("redline", "lena"),
    ]
    shot(legal, tmp_path, "team-6-audit")
    for page in (sales, legal):
        page.context.close()
