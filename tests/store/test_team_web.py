"""The team server's web front door (FastAPI's TestClient) over a real store: SQLite and PostgreSQL.

Logins and lockout, the switch from the single-user page to accounts,
saving and editing with conflicts, legal's approval (and a sales token's
403), final files byte-identical to ``agreement generate``, the audit log,
and the pages: escaped, behind CSRF, the store's permissions only.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy
import yaml
from fastapi.testclient import TestClient
from lxml import etree

from generator.store import accounts
from generator.store.database import Store, open_store
from generator.store.roles import OPERATOR
from generator.web.app import Settings
from generator.web.security import CSRF_COOKIE, SESSION_COOKIE
from generator.web.team import create_team_app

from ..conftest import EXAMPLES, STANDARD, run_cli
from ..test_web_api import page_form
from .helpers import PASSWORD, SLOW, standard, user
from .helpers import form_a as form_a_params
from .postgres import Cluster

BILINGUAL = EXAMPLES / "client-bilingual.yaml"
SETTINGS = Settings(bases=(STANDARD,), workers=1, warm=False, loopback_names=("testserver",))


@pytest.fixture
def team(store_url: str) -> Iterator[tuple[TestClient, Store]]:
    """The team server's app on an empty store, and the store (to add users as the command line does)."""
    store = open_store(store_url, bases=standard())
    try:
        with TestClient(create_team_app(SETTINGS, store)) as client:
            yield client, store
    finally:
        store.close()


def form_a(**changes: object) -> dict[str, object]:
    """Form A's parameters as a JSON body (its dates as YYYY-MM-DD)."""
    body: dict[str, object] = json.loads(json.dumps(form_a_params(**changes), default=str))
    return body


def log_in(client: TestClient, name: str, password: str = PASSWORD) -> None:
    response = client.post("/api/login", json={"username": name, "password": password})
    assert response.status_code == 200, response.text


def people(store: Store) -> None:
    user(store, "sam", "sales")
    user(store, "lena", "legal")


def csrf(client: TestClient) -> str:
    client.get("/login")
    return str(client.cookies[CSRF_COOKIE])


def generated(tmp_path: Path, params: dict[str, object], fmt: str) -> bytes:
    """What ``agreement generate`` makes of a stored version's parameters over the standard."""
    source = tmp_path / "stored.json"
    source.write_text(json.dumps(params, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "cli"
    result = run_cli("generate", source, "--base", STANDARD, "-o", out, "-f", fmt)
    assert result.exit_code == 0, result.output
    (made,) = out.glob(f"*.{fmt}")
    return made.read_bytes()


def test_without_accounts_it_is_the_single_user_page(team: tuple[TestClient, Store]) -> None:
    client, _ = team
    assert client.get("/").status_code == 200  # no login
    refused = client.get("/api/contracts")
    assert refused.status_code == 403
    assert "agreement users add" in refused.json()["detail"]
    assert client.get("/login").text.count('name="token"') == 1  # the access token's login, as before


def test_with_accounts_every_request_needs_a_login(team: tuple[TestClient, Store]) -> None:
    client, store = team
    people(store)
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/"
    assert client.get("/api/contracts/1").status_code == 401
    login_page = client.get("/login")
    assert 'name="username"' in login_page.text and 'name="password"' in login_page.text

    wrong = client.post("/api/login", json={"username": "sam", "password": "not it at all"})
    assert wrong.status_code == 401 and wrong.json()["detail"] == accounts.BAD_LOGIN
    right = client.post("/api/login", json={"username": "sam", "password": PASSWORD})
    assert right.json() == {"user": "sam", "role": "sales"}
    cookie = right.headers["set-cookie"]
    assert f"{SESSION_COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Secure" not in cookie  # plain HTTP here; Secure behind HTTPS:
    over_https = TestClient(client.app, base_url="https://testserver")
    secured = over_https.post("/api/login", json={"username": "sam", "password": PASSWORD})
    assert "Secure" in secured.headers["set-cookie"]
    assert client.get("/").status_code == 200
    assert "data-save" in client.get("/").text  # the form saves contracts now

    assert client.post("/api/logout").status_code == 204
    assert client.get("/api/contracts").status_code == 401  # the session ended on the server


def test_the_page_login_and_a_lockout_said_clearly(team: tuple[TestClient, Store]) -> None:
    client, store = team
    people(store)
    token = csrf(client)
    for _ in range(accounts.MAX_FAILURES):
        failed = client.post(
            "/login", data={"username": "sam", "password": "wrong one!", "csrf_token": token}
        )
        assert failed.status_code == 401 and accounts.BAD_LOGIN in failed.text
    locked = client.post("/login", data={"username": "sam", "password": PASSWORD, "csrf_token": token})
    assert locked.status_code == 429
    assert "locked after 10 failed logins until" in locked.text
    api = client.post("/api/login", json={"username": "sam", "password": PASSWORD})
    assert api.status_code == 429 and "locked" in api.json()["detail"]
    # Another account is not locked.
    other = client.post(
        "/login", data={"username": "lena", "password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    assert other.status_code == 303
    assert "HttpOnly" in other.headers["set-cookie"]


def test_save_edit_and_a_stale_edit_gets_409(team: tuple[TestClient, Store]) -> None:
    client, store = team
    people(store)
    log_in(client, "sam")
    saved = client.post("/api/contracts", json=form_a())
    assert saved.status_code == 201
    body = saved.json()
    assert (body["version"], body["status"], body["findings"]) == (1, "approved", [])
    contract = body["id"]

    edited = client.put(f"/api/contracts/{contract}", json={"version": 1, "params": form_a(timeliness=SLOW)})
    assert edited.status_code == 200 and edited.json()["status"] == "pending"
    latest = client.get(f"/api/contracts/{contract}").json()
    assert latest["version"] == 2 and latest["status"] == "pending" and not latest["final"]
    assert [f.split()[1] for f in latest["findings"]] == ["P002"]  # the response limit, beyond the playbook

    stale = client.put(f"/api/contracts/{contract}", json={"version": 1, "params": form_a(contract_no="X-1")})
    assert stale.status_code == 409
    conflict = stale.json()
    assert conflict["latest"] == 2 and "nothing was saved" in conflict["detail"]
    changed = {c["key"]: c for c in conflict["changes"]}
    assert changed["timeliness.response_hours"]["latest"] == 30
    assert client.get(f"/api/contracts/{contract}").json()["version"] == 2  # nothing overwritten

    bad = client.post("/api/contracts", json=form_a(timeliness={"response_hours": "soon"}))
    assert bad.status_code == 422 and bad.json()["errors"][0]["key"] == "timeliness.response_hours"


def test_only_legal_approves_and_the_final_file_is_the_clis(
    team: tuple[TestClient, Store], tmp_path: Path
) -> None:
    client, store = team
    people(store)
    sales_token = accounts.issue_token(store, OPERATOR, "sam")
    as_sales = {"Authorization": f"Bearer {sales_token}"}
    contract = client.post("/api/contracts", json=form_a(timeliness=SLOW), headers=as_sales).json()["id"]

    draft = client.get(f"/api/contracts/{contract}/pdf", headers=as_sales)
    assert draft.status_code == 200 and draft.headers["x-agreement-final"] == "false"
    assert "-draft.pdf" in draft.headers["content-disposition"]

    refused = client.post(f"/api/contracts/{contract}/approve", json={"comment": "ok"}, headers=as_sales)
    assert refused.status_code == 403 and "only legal" in refused.json()["detail"]
    assert client.get(f"/api/audit?contract={contract}", headers=as_sales).status_code == 403

    log_in(client, "lena")
    assert client.post(f"/api/contracts/{contract}/approve", json={"comment": " "}).status_code == 422
    approved = client.post(
        f"/api/contracts/{contract}/approve", json={"comment": "30 h agreed with the client"}
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"

    first = client.get(f"/api/contracts/{contract}/pdf", headers=as_sales)
    again = client.get(f"/api/contracts/{contract}/pdf", headers=as_sales)
    assert first.headers["x-agreement-final"] == "true"
    params = client.get(f"/api/contracts/{contract}").json()["params"]
    assert first.content == again.content == generated(tmp_path, params, "pdf")
    assert first.content != draft.content
    yaml_file = client.get(f"/api/contracts/{contract}/yaml", headers=as_sales)
    assert yaml_file.status_code == 200 and "response_hours: 30" in yaml_file.text

    log = client.get(f"/api/audit?contract={contract}").json()
    actions = [(e["user"], e["action"], e["detail"]) for e in log]
    assert actions == [
        ("sam", "saved", "pending"),
        ("sam", "download", "pdf draft"),
        ("lena", "approved", "30 h agreed with the client"),
        ("sam", "download", "pdf final"),
        ("sam", "download", "pdf final"),
        ("sam", "download", "yaml final"),
    ]
    assert log[3]["file_sha256"] == log[4]["file_sha256"] == first.headers["x-agreement-sha256"]


def test_pages_list_show_compare_and_decide(team: tuple[TestClient, Store]) -> None:
    client, store = team
    people(store)
    hostile = "<script>alert(1)</script>商贸"
    log_in(client, "sam")
    customer = {**form_a_params()["customer"], "name": hostile}
    contract = client.post("/api/contracts", json=form_a(customer=customer)).json()["id"]
    client.put(
        f"/api/contracts/{contract}",
        json={"version": 1, "params": form_a(customer=customer, timeliness=SLOW)},
    )
    listed = client.get("/contracts", params={"customer": "商贸", "status": "pending"})
    assert f'data-contract="{contract}"' in listed.text
    assert "<script>alert" not in listed.text and "&lt;script&gt;alert(1)&lt;/script&gt;商贸" in listed.text
    assert f'data-contract="{contract}"' not in client.get("/contracts", params={"status": "rejected"}).text
    page = client.get(f"/contracts/{contract}", params={"old": 1, "new": 2})
    assert re.search(r"timeliness.response_hours: \d+ → 30", page.text) and "data-decide" not in page.text
    redline = client.get(f"/contracts/{contract}/redline/docx", params={"old": 1, "new": 2})
    assert redline.status_code == 200 and redline.content.startswith(b"PK")
    # The redline left the store: the audit log says who took it, of which versions, and its hash.
    log_in(client, "lena")
    last = client.get("/api/audit", params={"contract": contract}).json()[-1]
    assert (last["user"], last["action"], last["version"], last["detail"]) == (
        "sam",
        "redline",
        2,
        "docx v1 → v2",
    )
    assert last["file_sha256"] == hashlib.sha256(redline.content).hexdigest()
    log_in(client, "sam")

    token = csrf(client)
    # A sales user's decision is refused by the store, CSRF token or not.
    assert (
        client.post(f"/contracts/{contract}/approve", data={"comment": "x", "csrf_token": token}).status_code
        == 403
    )

    log_in(client, "lena")
    assert (
        client.post(f"/contracts/{contract}/approve", data={"comment": "fine"}).status_code == 403
    )  # no CSRF
    decided = client.post(
        f"/contracts/{contract}/approve",
        data={"comment": "fine", "csrf_token": token, "version": "2"},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    assert 'data-status="approved"' in client.get(f"/contracts/{contract}").text
    audit_page = client.get("/audit", params={"contract": contract}).text
    assert re.findall(r'data-action="(\w+)"', audit_page) == [
        "saved",
        "approved",
        "saved",
        "redline",
        "approved",
    ]


def test_serve_beyond_the_loopback_needs_accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without accounts the team server is the single-user page: it stays on this machine."""
    monkeypatch.delenv("AGREEMENT_TOKEN", raising=False)
    result = run_cli("serve", "--host", "0.0.0.0", "--data", tmp_path / "data")
    assert result.exit_code == 2
    assert "refusing to listen beyond this machine without an access token" in result.output


def test_the_form_saves_and_a_stale_form_gets_the_conflict_page(team: tuple[TestClient, Store]) -> None:
    client, store = team
    people(store)
    log_in(client, "sam")
    token = csrf(client)
    limits = {"liabilities.penalty_per_hour": "100", "liabilities.penalty_cap": "10000"}  # the playbook's
    form = {**page_form(**limits), "csrf_token": token}
    saved = client.post("/contracts/save", data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/contracts/1"
    assert 'data-status="approved"' in client.get("/contracts/1").text
    edit_page = client.get("/contracts/1/edit").text
    assert 'name="version" value="1"' in edit_page and 'value="HX-WEB-0002"' in edit_page
    assert 'data-playbook="inside"' in edit_page

    slower = {**form, "contract_id": "1", "version": "1", "timeliness.response_hours": "30"}
    assert client.post("/contracts/save", data=slower, follow_redirects=False).status_code == 303
    stale = client.post("/contracts/save", data={**slower, "customer.name": "另一家公司"})
    assert stale.status_code == 409 and 'data-refusal="409"' in stale.text
    assert "timeliness.response_hours" in stale.text  # what the other save changed
    assert client.get("/api/contracts/1").json()["version"] == 2

    preview = client.post("/preview", data={**slower, "csrf_token": token}).text
    assert re.search(r'id="playbook-timeliness-response_hours" data-playbook="outside"', preview)


def test_the_api_page_lists_the_team_endpoints(team: tuple[TestClient, Store]) -> None:
    client, _ = team
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/login", "/api/contracts", "/api/contracts/{contract_id}", "/api/audit"):
        assert path in paths
    assert {"approve", "reject"} <= {p.rsplit("/", 1)[1] for p in paths if p.startswith("/api/contracts/")}


def test_a_login_check_waiting_for_the_database_leaves_the_server_answering(postgres: Cluster) -> None:
    """Checking a session token is a database query: it waits in a worker thread, not on the event loop.

    The token table is locked by another connection, so an API call's login
    check waits; meanwhile ``/healthz`` still answers.  Were the check made
    on the event loop, the whole server would wait with it.
    """
    url = postgres.new_database()
    store = open_store(url, bases=standard())
    lock = sqlalchemy.create_engine(postgres.superuser_url(url))
    try:
        with TestClient(create_team_app(SETTINGS, store)) as client:
            people(store)
            log_in(client, "sam")
            answered: list[tuple[str, int]] = []
            waiting = threading.Thread(
                target=lambda: answered.append(("api", client.get("/api/contracts").status_code))
            )
            health = threading.Thread(
                target=lambda: answered.append(("health", client.get("/healthz").status_code))
            )
            with lock.begin() as holder:
                holder.execute(sqlalchemy.text("LOCK TABLE api_tokens IN ACCESS EXCLUSIVE MODE"))
                waiting.start()
                _wait_for_a_blocked_query(lock)
                health.start()
                health.join(timeout=20)
            # The lock is gone: both answer now, whatever happened; the order tells.
            for thread in (health, waiting):
                thread.join(timeout=60)
            assert answered == [("health", 200), ("api", 200)]
    finally:
        lock.dispose()
        store.close()


def _wait_for_a_blocked_query(engine: sqlalchemy.Engine) -> None:
    """Until a session of the server waits for the lock (at most 30 s)."""
    query = sqlalchemy.text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
    for _ in range(300):
        with engine.connect() as connection:
            if connection.scalar(query):
                return
        time.sleep(0.1)
    raise AssertionError("the API call's login check never reached the database")


def test_a_bilingual_contract_s_versions_compared_in_both_columns(team: tuple[TestClient, Store]) -> None:
    """The version redline of a bilingual contract marks both columns; versions in other
    languages are refused with the reason, as a page, not an error of the server."""
    client, store = team
    people(store)
    log_in(client, "sam")
    bilingual = json.loads(json.dumps(yaml.safe_load(BILINGUAL.read_text(encoding="utf-8")), default=str))
    contract = client.post("/api/contracts", json=bilingual).json()["id"]
    second = {**bilingual, "timeliness": SLOW}
    assert client.put(f"/api/contracts/{contract}", json={"version": 1, "params": second}).status_code == 200
    redline = client.get(f"/contracts/{contract}/redline/docx", params={"old": 1, "new": 2})
    assert redline.status_code == 200, redline.text
    with zipfile.ZipFile(io.BytesIO(redline.content)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    marked = [
        ["".join(t.text or "" for t in cell.iter(f"{w}delText")) for cell in row.iterfind(f"{w}tc")]
        for row in root.iter(f"{w}tr")
        if all(cell.find(f".//{w}ins") is not None for cell in row.iterfind(f"{w}tc"))
    ]
    assert ["24", "24"] in marked  # the response limit, 24 → 30 hours, in the Chinese and the English
    chinese = {**second, "language": "zh-CN"}
    assert client.put(f"/api/contracts/{contract}", json={"version": 2, "params": chinese}).status_code == 200
    refused = client.get(f"/contracts/{contract}/redline/pdf", params={"old": 2, "new": 3})
    assert refused.status_code == 422
    assert "a redline compares two versions in the same languages (zh-CN+en and zh-CN here)" in refused.text


def test_a_protection_password_is_only_in_the_downloaded_copy(team: tuple[TestClient, Store]) -> None:
    """The form's password protects the copy the form downloads, never what the store keeps: a saved
    contract is its parameters, its final files are rendered without render options."""
    from ..test_web_api import PASSWORD, assert_words_hash_of

    client, store = team
    people(store)
    log_in(client, "sam")
    limits = {"liabilities.penalty_per_hour": "100", "liabilities.penalty_cap": "10000"}
    options = {"track_changes": "on", "protect_tracking": "on", "protect_password": PASSWORD}
    form = {**page_form(**limits), **options, "csrf_token": csrf(client)}
    assert client.post("/contracts/save", data=form, follow_redirects=False).status_code == 303
    copy = client.post("/download/docx", data=form)
    assert copy.status_code == 200
    assert_words_hash_of(copy.content, PASSWORD)

    stored = client.get("/api/contracts/1")
    assert stored.json()["final"] is True and PASSWORD not in stored.text
    final = client.get("/api/contracts/1/docx").content
    settings_xml = zipfile.ZipFile(io.BytesIO(final)).read("word/settings.xml").decode()
    assert "documentProtection" not in settings_xml and "trackRevisions" not in settings_xml
    for page in ("/contracts/1", "/contracts/1/edit"):
        shown = client.get(page)
        assert shown.status_code == 200 and PASSWORD not in shown.text, page
