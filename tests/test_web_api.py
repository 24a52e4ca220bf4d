"""The web app in-process (FastAPI's TestClient): the JSON API, the page's posts, and the guard.

Every answer is compared with what the CLI says or makes for the same input:
the same messages and codes, the same bytes.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from generator.web.api import EXAMPLE
from generator.web.app import Settings, create_app
from generator.web.security import CSRF_COOKIE, SESSION_COOKIE

from .conftest import STANDARD, run_cli

#: The API's documented example: it must work as documented.
CLIENT = EXAMPLE
NAME = EXAMPLE["contract_no"]
TEST_HOSTS = ("testserver", "127.0.0.1", "localhost")


def settings(**changes: object) -> Settings:
    values: dict[str, object] = {
        "bases": (STANDARD,),
        "workers": 1,
        "warm": False,
        "loopback_names": TEST_HOSTS,
    }
    values.update(changes)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(settings())) as test_client:
        yield test_client


def with_changes(**groups: dict[str, object]) -> dict[str, object]:
    tree = json.loads(json.dumps(CLIENT))
    for group, values in groups.items():
        tree.setdefault(group, {}).update(values)
    return tree


def cli_message(tmp_path: Path, tree: dict[str, object], name: str = "c.json") -> str:
    """What ``agreement validate`` says about ``tree`` written as a file, without ``Error: ``."""
    path = tmp_path / name
    path.write_text(json.dumps(tree, ensure_ascii=False, indent=2), encoding="utf-8")
    result = run_cli("validate", path, "--base", STANDARD)
    assert result.exit_code == 1, result.output
    return result.output.strip().removeprefix("Error: ")


def without_place(message: str) -> str:
    """A message without its leading ``file:line: `` (the API's input is no file)."""
    return re.sub(r"^[^:]+(:\d+)?: ", "", message)


def test_healthz_and_security_headers(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok"
    csp = response.headers["content-security-policy"]
    script = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script and "unsafe-eval" not in script
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    page = client.get("/")
    assert page.headers["content-security-policy"] == csp
    assert re.findall(r"<script\b[^>]*>", page.text) == [
        '<script src="/static/htmx.min.js" defer>',
        '<script src="/static/app.js" defer>',
    ], "no inline script"


def test_validate_a_valid_contract(client: TestClient) -> None:
    response = client.post("/api/validate", json=CLIENT)
    assert response.status_code == 200, response.text
    assert response.json() == {"errors": [], "warnings": []}


def test_a_warning_does_not_stop_it(client: TestClient) -> None:
    tree = with_changes(timeliness={"response_hours": 96, "onsite_hours": 120, "inspection_hours": 120})
    response = client.post("/api/validate", json=tree)
    assert response.status_code == 200
    warnings = response.json()["warnings"]
    # W101 (a rule), and the playbook's P002 for each limit above what legal approved.
    assert [(w["key"], w["code"]) for w in warnings] == [
        ("timeliness.response_hours", "W101"),
        ("timeliness.response_hours", "P002"),
        ("timeliness.onsite_hours", "P002"),
        ("timeliness.inspection_hours", "P002"),
    ]
    assert "the response limit is over 72 hours" in warnings[0]["message"]


def test_a_bad_value_is_the_clis_message(client: TestClient, tmp_path: Path) -> None:
    tree = with_changes(timeliness={"response_hours": 0})
    response = client.post("/api/validate", json=tree)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["key"] == "timeliness.response_hours"
    assert error["code"] == "greater_than_equal"
    assert error["message"].startswith("request:")
    assert without_place(error["message"]) == without_place(cli_message(tmp_path, tree))


def test_a_consistency_rule_is_the_clis_message(client: TestClient, tmp_path: Path) -> None:
    tree = with_changes(timeliness={"response_hours": 100, "onsite_hours": 48, "inspection_hours": 120})
    response = client.post("/api/validate", json=tree)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["key"], e["code"]) for e in errors] == [("timeliness.response_hours", "C001")]
    assert without_place(errors[0]["message"]) == without_place(cli_message(tmp_path, tree))


def test_a_missing_value_and_an_unknown_key(client: TestClient) -> None:
    tree = json.loads(json.dumps(CLIENT))
    del tree["contract_no"]
    tree["timeliness"]["respons_hours"] = 3
    response = client.post("/api/validate", json=tree)
    assert response.status_code == 422
    codes = {(e["key"], e["code"]) for e in response.json()["errors"]}
    assert codes == {("contract_no", "missing"), ("timeliness.respons_hours", "extra_forbidden")}
    assert any("did you mean 'response_hours'" in e["message"] for e in response.json()["errors"])


def test_a_render_with_an_error_is_422_with_the_same_body(client: TestClient) -> None:
    tree = with_changes(timeliness={"response_hours": 0})
    validated = client.post("/api/validate", json=tree)
    for fmt in ("pdf", "docx", "html", "yaml"):
        rendered = client.post(f"/api/render/{fmt}", json=tree)
        assert rendered.status_code == 422
        assert rendered.json() == validated.json()


def test_malformed_json_and_wrong_content_type(client: TestClient) -> None:
    broken = client.post(
        "/api/validate", content=b'{\n  "contract_no": "A",\n  "contract_no": "B"\n}', headers=JSON
    )
    assert broken.status_code == 422
    assert broken.json()["errors"][0]["message"] == "request:3: key 'contract_no' appears twice"
    form = client.post("/api/validate", data={"contract_no": "A"})
    assert form.status_code == 415


JSON = {"content-type": "application/json"}


def test_bodies_over_one_mebibyte_are_refused(client: TestClient) -> None:
    huge = json.dumps({"title": "x" * (1 << 20)}).encode()
    assert client.post("/api/validate", content=huge, headers=JSON).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"title": "'
        for _ in range(17):
            yield b"x" * 65536
        yield b'"}'

    assert client.post("/api/validate", content=chunks(), headers=JSON).status_code == 413


def test_web_files_are_the_clis_bytes(client: TestClient, tmp_path: Path) -> None:
    """PDF, DOCX and HTML from the API equal `agreement generate` on the API's own YAML file."""
    yaml_file = client.post("/api/render/yaml", json=CLIENT)
    assert yaml_file.status_code == 200
    assert f'filename="{NAME}.yaml"' in yaml_file.headers["content-disposition"]
    text = yaml_file.text
    assert "enterprise" not in text, "the YAML holds only what differs from the base"
    assert "response_hours: 2  # 响应时限（小时）" in text
    client_file = tmp_path / "client.yaml"
    client_file.write_text(text, encoding="utf-8")
    out = tmp_path / "cli"
    result = run_cli(
        "generate", client_file, "--base", STANDARD, "-o", out, "-f", "pdf", "-f", "docx", "-f", "html"
    )
    assert result.exit_code == 0, result.output
    for fmt in ("pdf", "docx", "html"):
        response = client.post(f"/api/render/{fmt}", json=CLIENT)
        assert response.status_code == 200, response.text
        assert response.content == (out / f"{NAME}.{fmt}").read_bytes(), fmt
    draft = client.post("/api/render/pdf?draft=true", json=CLIENT)
    result = run_cli(
        "generate", client_file, "--base", STANDARD, "-o", tmp_path / "draft", "-f", "pdf", "--draft"
    )
    assert result.exit_code == 0, result.output
    assert draft.content == (tmp_path / "draft" / f"{NAME}.pdf").read_bytes()


def csrf(client: TestClient) -> str:
    client.get("/")
    token = client.cookies.get(CSRF_COOKIE)
    assert token
    return token


def test_page_posts_need_the_csrf_token(client: TestClient) -> None:
    form = {"contract_no": "HX-1", "customer.name": "甲"}
    assert client.post("/preview", data=form).status_code == 403
    assert client.post("/preview", data={**form, "csrf_token": "forged"}).status_code == 403
    assert client.post("/download/yaml", data=form).status_code == 403
    ok = client.post("/preview", data={**form, "csrf_token": csrf(client)})
    assert ok.status_code == 200
    assert 'data-error-for="customer.address"' in ok.text


def test_hostile_values_are_escaped_in_the_preview(client: TestClient) -> None:
    hostile = "<img src=x onerror=alert(1)>{{ 7*7 }}"
    form = page_form(**{"customer.name": hostile})
    response = client.post("/preview", data={**form, "csrf_token": csrf(client)})
    assert response.status_code == 200
    assert "<img src=x" not in response.text
    # Escaped twice: once by the contract's writer, once into the iframe's srcdoc attribute.
    assert "&amp;lt;img src=x onerror=alert(1)&amp;gt;{{ 7*7 }}" in response.text


def page_form(**changes: str) -> dict[str, str | list[str]]:
    """A whole form as the page posts it (every field; a blank one clears the standard's value)."""
    form: dict[str, str | list[str]] = {
        "contract_no": "HX-WEB-0002",
        "title": "售后处理时效协议书",
        "enterprise.name": "华信智能设备有限公司",
        "enterprise.address": "上海市浦东新区张江路 188 号",
        "enterprise.representative": "李明",
        "enterprise.phone": "021-5080 1234",
        "timeliness.working_days": "mon-fri",
        "timeliness.explain_delay": "promptly",
        "signing.copies": "2",
        "customer.name": "杭州明远商贸有限公司",
        "customer.address": "杭州",
        "customer.representative": "王芳",
        "customer.phone": "0571123",
        "customer.kind": "business",
        "timeliness.response_hours": "24",
        "timeliness.onsite_hours": "48",
        "timeliness.inspection_hours": "72",
        "timeliness.return_hours": "24",
        "timeliness.clock": "calendar",
        "term.months": "12",
        "disputes.method": "litigation",
        "disputes.court": "甲方住所地有管辖权的人民法院",
        "complaint_channels.1.kind": "phone",
        "complaint_channels.1.value": "400-820-1234",
        "scope.services": ["installation", "onsite_service", "factory_repair"],
    }
    form.update(changes)
    return form


def test_an_uploaded_file_names_only_its_own_name(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A syntax error in an opened file reads as the CLI's, word for word; no path of the request is used."""
    text = "customer:\n  name: [unclosed\n"
    monkeypatch.chdir(tmp_path)
    Path("c.yaml").write_text(text, encoding="utf-8")
    cli = run_cli("validate", "c.yaml", "--base", STANDARD).output.strip().removeprefix("Error: ")
    assert cli.startswith("c.yaml:2: not valid YAML")
    files = {"file": ("../../etc/c.yaml", text.encode(), "application/yaml")}
    response = client.post("/open", data={"csrf_token": csrf(client)}, files=files)
    assert response.status_code == 200
    assert f">{escape(cli)}</p>" in response.text
    assert "etc/" not in response.text


def test_only_loopback_host_names_without_a_token(client: TestClient) -> None:
    response = client.get("/healthz", headers={"host": "attacker.example"})
    assert response.status_code == 400


def test_the_api_page_documents_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/validate", "/api/render/{fmt}"} <= set(spec["paths"])
    page = client.get("/api")
    assert "POST /api/render/{fmt}" in page.text and "cdn" not in page.text.lower()


def test_with_a_token_every_request_needs_it() -> None:
    token = "s3cret-token"
    with TestClient(create_app(settings(token=token)), base_url="http://agreement.example") as client:
        first = client.get("/", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/login?next=/"
        assert client.post("/api/validate", json=CLIENT).status_code == 401
        assert client.get("/api", follow_redirects=False).status_code == 303
        # A load balancer's health check needs no token, and learns nothing else.
        health = client.get("/healthz", follow_redirects=False)
        assert (health.status_code, health.text) == (200, "ok")
        bearer = {"authorization": f"Bearer {token}"}
        assert client.post("/api/validate", json=CLIENT, headers=bearer).status_code == 200
        login_page = client.get("/login")
        assert login_page.status_code == 200
        form_token = client.cookies.get(CSRF_COOKIE)
        wrong = client.post("/login", data={"token": "guess", "csrf_token": form_token, "next": "/"})
        assert wrong.status_code == 401
        no_csrf = client.post("/login", data={"token": token, "next": "/"}, follow_redirects=False)
        assert no_csrf.status_code == 403
        right = client.post(
            "/login",
            data={"token": token, "csrf_token": form_token, "next": "//evil.example"},
            follow_redirects=False,
        )
        assert right.status_code == 303 and right.headers["location"] == "/"
        cookie = right.headers["set-cookie"]
        assert f"{SESSION_COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert client.get("/").status_code == 200


def test_serve_refuses_other_addresses_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AGREEMENT_TOKEN", raising=False)
    result = run_cli("serve", "--host", "0.0.0.0")
    assert result.exit_code == 2
    assert "refusing to listen beyond this machine without an access token" in result.output


def test_a_rule_shows_at_both_values_it_weighs(client: TestClient) -> None:
    form = page_form(**{"timeliness.response_hours": "100", "timeliness.inspection_hours": "120"})
    response = client.post("/preview", data={**form, "csrf_token": csrf(client)})
    for key, shown in (
        ("timeliness.response_hours", True),
        ("timeliness.onsite_hours", True),
        ("scope.services", False),
        ("timeliness.inspection_hours", False),
    ):
        part = response.text.split(f'data-error-for="{key}"')[1].split("</div>")[0]
        assert ('data-code="C001"' in part) == shown, key


def test_clause_folders_stay_sandboxed(tmp_path: Path) -> None:
    """``--clauses`` on the web: a snippet reaching out of the sandbox is the CLI's error, at validation."""
    mine = tmp_path / "mine" / "zh-CN" / "misc"
    mine.mkdir(parents=True)
    evil = mine / "evil.md"
    evil.write_text(
        "---\nid: evil\nsection: misc\ntitle: 条款\n---\n{{ ''.__class__.__mro__ }}\n", encoding="utf-8"
    )
    with TestClient(create_app(settings(clause_dirs=(tmp_path / "mine",)))) as client:
        response = client.post("/api/validate", json=CLIENT)
        assert response.status_code == 422
        (error,) = response.json()["errors"]
        assert error["code"] == "clause"
        assert error["message"].startswith(f"{evil}:6: access to attribute '__class__'")


def test_serve_stops_at_a_bad_base_or_clause_folder(tmp_path: Path) -> None:
    """Checked before listening: the CLI's error and exit code 1, no server."""
    agreement = str(Path(sys.executable).with_name("agreement"))
    for option, value, message in (
        ("--base", tmp_path / "missing.yaml", "missing.yaml: no such file"),
        ("--clauses", tmp_path, "has no 'zh-CN' folder"),
    ):
        result = subprocess.run(
            [agreement, "serve", "--port", "0", option, str(value)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 1
        assert message in result.stderr and "Traceback" not in result.stderr


def file_checks_of(pdf: Path | None = None, docx: Path | None = None, redline: Path | None = None) -> None:
    """What the options and the redline put in a file, read back: signature fields and PDF/A in a
    PDF, tracking and protection in a DOCX, insertions and deletions in a redline DOCX."""
    import zipfile

    import pikepdf

    from .pdfa_check import pdfa_problems

    if pdf is not None:
        with pikepdf.open(pdf) as document:
            fields = {str(f.T) for f in document.Root.AcroForm.Fields if f.FT == "/Sig"}
            assert fields == {"PartyA", "PartyB"}
        assert pdfa_problems(pdf) == []
    if docx is not None:
        settings_xml = zipfile.ZipFile(docx).read("word/settings.xml").decode()
        assert "<w:trackRevisions" in settings_xml
        assert 'w:edit="trackedChanges"' in settings_xml
    if redline is not None:
        body = zipfile.ZipFile(redline).read("word/document.xml").decode()
        assert "<w:ins " in body and "<w:del " in body


def client_file(client: TestClient, tmp_path: Path, body: Mapping[str, object]) -> Path:
    """The API's YAML for ``body``, written where the CLI can read it."""
    answer = client.post("/api/render/yaml", json=body)
    assert answer.status_code == 200, answer.text
    path = tmp_path / f"{body['contract_no']}.yaml"
    path.write_bytes(answer.content)
    return path


def test_render_options_are_the_clis_options(client: TestClient, tmp_path: Path) -> None:
    """Signature fields and PDF/A, tracked and protected DOCX: the bytes of `generate` with the same options;
    the YAML is the same with or without them (options are not parameters)."""
    path = client_file(client, tmp_path, CLIENT)
    options = "sign_fields=true&pdf_a=true&track_changes=true&protect_tracking=true"
    assert client.post(f"/api/render/yaml?{options}", json=CLIENT).content == path.read_bytes()
    out = tmp_path / "cli"
    flags = ("--sign-fields", "--pdf-a", "--track-changes", "--protect-tracking")
    result = run_cli("generate", path, "--base", STANDARD, "-o", out, *flags)
    assert result.exit_code == 0, result.output
    for fmt in ("pdf", "docx"):
        response = client.post(f"/api/render/{fmt}?{options}", json=CLIENT)
        assert response.status_code == 200, response.text
        (out / f"web.{fmt}").write_bytes(response.content)
        assert response.content == (out / f"{NAME}.{fmt}").read_bytes(), fmt
    file_checks_of(pdf=out / "web.pdf", docx=out / "web.docx")
    plain = client.post("/api/render/pdf", json=CLIENT).content
    assert plain != (out / "web.pdf").read_bytes(), "the options change the file"


def test_redlines_are_the_clis_diff(client: TestClient, tmp_path: Path) -> None:
    """`/api/render/redline.docx|pdf`: the bytes of `agreement diff STANDARD CLIENT --format docx|pdf`."""
    path = client_file(client, tmp_path, CLIENT)
    for fmt in ("docx", "pdf"):
        out = tmp_path / f"cli.redline.{fmt}"
        result = run_cli("diff", STANDARD, path, "--format", fmt, "-o", out)
        assert result.exit_code == 0, result.output
        response = client.post(f"/api/render/redline.{fmt}", json=CLIENT)
        assert response.status_code == 200, response.text
        assert f'filename="{NAME}.redline.{fmt}"' in response.headers["content-disposition"]
        assert response.content == out.read_bytes(), fmt
    file_checks_of(redline=tmp_path / "cli.redline.docx")
    invalid = with_changes(timeliness={"response_hours": 0})
    assert client.post("/api/render/redline.pdf", json=invalid).status_code == 422


def test_the_options_are_documented(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/render/{fmt}"]["post"]
    documented = {p["name"]: p for p in operation["parameters"]}
    for name, cli in (("draft", "--draft"), ("sign_fields", "--sign-fields"), ("pdf_a", "--pdf-a")):
        assert cli in documented[name]["description"]
    assert {"track_changes", "protect_tracking"} <= set(documented)
    password = documented["X-Agreement-Protect-Password"]
    assert password["in"] == "header" and "--protect-password-file" in password["description"]
    assert {"redline.docx", "redline.pdf"} <= set(documented["fmt"]["schema"]["enum"])
    page = client.get("/api").text
    assert "<code>protect_tracking</code> (query)" in page and "redline.pdf" in page


def test_the_page_offers_the_options_and_the_redlines(client: TestClient, tmp_path: Path) -> None:
    """Ticked options show in the equivalent command line; the deviation panel's redline is the CLI's;
    with an error there is neither a button nor a file."""
    token = csrf(client)
    form = {**page_form(), "csrf_token": token, "sign_fields": "on", "track_changes": "on"}
    parts = client.post("/preview", data=form).text
    command = "agreement generate HX-WEB-0002.yaml --base company-standard.yaml --sign-fields --track-changes"
    assert command in parts
    assert (
        "agreement diff company-standard.yaml HX-WEB-0002.yaml --format pdf -o HX-WEB-0002.redline.pdf"
        in parts
    )
    for fmt in ("redline.docx", "redline.pdf"):
        assert f'form="contract-form" formaction="/download/{fmt}"' in parts
    yaml_file = client.post("/download/yaml", data=form)
    path = tmp_path / "HX-WEB-0002.yaml"
    path.write_bytes(yaml_file.content)
    out = tmp_path / "redline.pdf"
    assert run_cli("diff", STANDARD, path, "--format", "pdf", "-o", out).exit_code == 0
    assert client.post("/download/redline.pdf", data=form).content == out.read_bytes()

    broken = {**form, "timeliness.response_hours": "0"}
    parts = client.post("/preview", data=broken).text
    assert "data-download" not in parts and "agreement diff" not in parts
    refused = client.post("/download/redline.docx", data=broken)
    assert refused.status_code == 422


#: The English the page's bilingual form needs over the standard (whose texts are Chinese).
ENGLISH = {
    "language": "zh-CN+en",
    "bilingual.layout": "alternating",
    "bilingual.prevailing": "equal",
    "enterprise.name.en": "Huaxin Intelligent Equipment Co., Ltd.",
    "enterprise.address.en": "188 Zhangjiang Road, Pudong New Area, Shanghai",
    "enterprise.representative.en": "Li Ming",
    "customer.name.en": "Hangzhou Mingyuan Trading Co., Ltd.",
    "customer.address.en": "Hangzhou",
    "customer.representative.en": "Wang Fang",
    "title.en": "After-Sales Service Timeliness Agreement",
    "signing.place": "上海市浦东新区",
    "signing.place.en": "Pudong New Area, Shanghai",
    "complaint_channels.2.kind": "online",
    "complaint_channels.2.value": "官方网站在线客服",
    "complaint_channels.2.value.en": "online customer service on the official website",
}


def test_no_redline_where_the_standard_s_text_has_no_english(client: TestClient) -> None:
    """The enterprise moved: the form's English translates the new address, not the standard's,
    so the panel names the key instead of offering a redline with Chinese in its English."""
    moved = {
        "enterprise.address": "北京市海淀区中关村大街 1 号",
        "enterprise.address.en": "1 Zhongguancun Street",
    }
    form = {**page_form(**{**ENGLISH, **moved}), "csrf_token": csrf(client)}
    parts = client.post("/preview", data=form)
    assert 'data-download="pdf"' in parts.text and 'data-download="redline.docx"' not in parts.text
    refused = re.search(r"data-redline-refused>([^<]*)", parts.text)
    assert refused and "enterprise.address: the standard gives no English text" in html.unescape(refused[1])


def test_the_bilingual_form_is_the_cli_s_bilingual_contract(client: TestClient, tmp_path: Path) -> None:
    """Each text and its English posted apart are one value per language in the YAML, as the CLI's
    files write it; the preview shows both languages; the PDF is `generate`'s on that YAML; opening
    the YAML fills each language's input again."""
    form = {**page_form(**ENGLISH), "csrf_token": csrf(client)}
    parts = client.post("/preview", data=form)
    assert parts.status_code == 200
    assert 'data-download="pdf"' in parts.text, re.findall(r'<p class="error"[^>]*>[^<]*', parts.text)
    assert "杭州明远商贸有限公司" in parts.text and "Hangzhou Mingyuan Trading Co., Ltd." in parts.text
    # A bilingual contract's redline is offered as a one-language contract's.
    assert "data-redline-refused" not in parts.text and 'data-download="redline.docx"' in parts.text
    # The deviation panel compares its Chinese with the standard (no clause "removed").
    assert 'data-key="language"' in parts.text and "删除 removed" not in parts.text
    text = client.post("/download/yaml", data=form).text
    assert "language: zh-CN+en" in text
    assert "  name: {zh-CN: 杭州明远商贸有限公司, en: 'Hangzhou Mingyuan Trading Co., Ltd.'}  # 名称" in text
    assert "  phone: '0571123'" in text, "a phone number is the same in every language"
    path = tmp_path / "HX-WEB-0002.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "cli"
    assert run_cli("generate", path, "--base", STANDARD, "-o", out, "-f", "pdf").exit_code == 0
    assert client.post("/download/pdf", data=form).content == (out / "HX-WEB-0002.pdf").read_bytes()
    redline = tmp_path / "redline.docx"
    assert run_cli("diff", STANDARD, path, "--format", "docx", "-o", redline).exit_code == 0
    assert client.post("/download/redline.docx", data=form).content == redline.read_bytes()
    files = {"file": ("HX-WEB-0002.yaml", text.encode(), "application/yaml")}
    opened = client.post("/open", data={"csrf_token": form["csrf_token"]}, files=files).text
    assert 'name="customer.name" value="杭州明远商贸有限公司"' in opened
    assert 'name="customer.name.en" value="Hangzhou Mingyuan Trading Co., Ltd."' in opened
    assert (
        'name="complaint_channels.2.value.en" value="online customer service on the official website"'
        in opened
    )
    assert '<option value="alternating" selected>' in opened


def test_a_missing_english_text_is_the_cli_s_error_at_its_field(client: TestClient, tmp_path: Path) -> None:
    form = {**page_form(**{**ENGLISH, "customer.name.en": ""}), "csrf_token": csrf(client)}
    parts = client.post("/preview", data=form).text
    shown = re.search(
        r'data-error-for="customer.name"[^>]*>\s*<p class="error" data-code="language">([^<]*)</p>', parts
    )
    assert shown, parts
    assert 'data-download="pdf"' not in parts
    assert client.post("/download/pdf", data=form).status_code == 422
    contract = tmp_path / "c.yaml"
    contract.write_text("contract_no: X\ncustomer: {name: 杭州明远商贸有限公司}\n", encoding="utf-8")
    result = run_cli("validate", contract, "--base", STANDARD, "--language", "zh-CN+en")
    assert result.exit_code == 1
    said = [without_place(line.removeprefix("Error: ")) for line in result.output.splitlines()]
    assert without_place(html.unescape(shown.group(1))) in said


#: A protection password for the tests: printable ASCII, 15 characters (Word's most).
PASSWORD = "Pa55 w0rd!~#{x}"


def protection_of(docx: bytes) -> tuple[bytes, bytes, int]:
    """The DOCX's protection: its stored hash, salt and spin count (``w:documentProtection``)."""
    import base64
    import io
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/settings.xml"))
    protection = root.find(f"{w}documentProtection")
    assert protection is not None and protection.get(f"{w}edit") == "trackedChanges"
    return (
        base64.b64decode(protection.get(f"{w}hash")),
        base64.b64decode(protection.get(f"{w}salt")),
        int(protection.get(f"{w}cryptSpinCount")),
    )


def assert_words_hash_of(docx: bytes, password: str) -> None:
    from generator.writers.protection import password_hash

    stored, salt, spins = protection_of(docx)
    assert stored == password_hash(password, salt, spins)
    assert stored != password_hash(password[:-1], salt, spins)


def cli_protected(tmp_path: Path, client_yaml: Path, password: str, name: str) -> bytes:
    """``generate … --track-changes --protect-tracking --protect-password-file`` with ``password``."""
    secret = tmp_path / "protect-password.txt"
    secret.write_text(password + "\n", encoding="utf-8")
    out = tmp_path / "cli-protected"
    flags = ("--track-changes", "--protect-tracking", "--protect-password-file", secret)
    result = run_cli("generate", client_yaml, "--base", STANDARD, "-o", out, "-f", "docx", *flags)
    assert result.exit_code == 0, result.output
    return (out / f"{name}.docx").read_bytes()


def test_the_api_protects_with_a_password_from_its_header(
    client: TestClient, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """`X-Agreement-Protect-Password`: the DOCX of `generate --protect-password-file` with it, byte for
    byte, Word's hash of it in settings.xml; never in the YAML, a log or a message; never in the URL."""
    caplog.set_level("DEBUG")
    path = client_file(client, tmp_path, CLIENT)
    options = "track_changes=true&protect_tracking=true"
    headers = {"X-Agreement-Protect-Password": PASSWORD}
    docx = client.post(f"/api/render/docx?{options}", json=CLIENT, headers=headers)
    assert docx.status_code == 200, docx.text
    assert docx.content == cli_protected(tmp_path, path, PASSWORD, NAME)
    assert_words_hash_of(docx.content, PASSWORD)
    unprotected = client.post(f"/api/render/docx?{options}", json=CLIENT).content
    assert unprotected != docx.content, "the password changes the file"
    yaml_file = client.post("/api/render/yaml", json=CLIENT, headers=headers)
    assert yaml_file.content == path.read_bytes() and PASSWORD not in yaml_file.text

    # The CLI's message for each bad password (which never quotes it), and no file.
    for bad in ("sixteen chars!!!", "密码"):
        secret = tmp_path / "bad.txt"
        secret.write_text(bad, encoding="utf-8")
        flags = ("-o", tmp_path / "none", "-f", "docx", "--protect-password-file", secret)
        cli = run_cli("generate", path, "--base", STANDARD, *flags)
        assert cli.exit_code == 2 and not (tmp_path / "none").exists()
        # A header is bytes: UTF-8 sent, Latin-1 read, refused all the same.
        headers = {"X-Agreement-Protect-Password": bad.encode()}
        refused = client.post("/api/render/docx", json=CLIENT, headers=headers)
        assert refused.status_code == 422 and bad not in refused.text
        [problem] = refused.json()["errors"]
        assert problem["key"] == "X-Agreement-Protect-Password"
        assert cli.output.strip() == f"Error: --protect-password-file {secret}: {problem['message']}"
    empty = client.post("/api/render/docx", json=CLIENT, headers={"X-Agreement-Protect-Password": ""})
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["message"] == "the protection password is empty"

    # In the URL it is refused (a URL gets logged), whatever it is.
    in_url = client.post("/api/render/docx?protect_password=x", json=CLIENT)
    assert in_url.status_code == 400 and "header" in in_url.json()["detail"]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert PASSWORD not in logged


def test_the_page_protects_with_the_password_typed(client: TestClient, tmp_path: Path) -> None:
    """The form's password input: the DOCX is `generate --protect-password-file`'s; the page, its
    command line and the YAML never hold it; a bad one is the CLI's message at the field, and no file."""
    token = csrf(client)
    form = {**page_form(), "csrf_token": token, "track_changes": "on", "protect_tracking": "on"}
    form["protect_password"] = PASSWORD
    parts = client.post("/preview", data=form)
    assert parts.status_code == 200
    command = (
        "agreement generate HX-WEB-0002.yaml --base company-standard.yaml --track-changes "
        "--protect-tracking --protect-password-file PASSWORD_FILE"
    )
    assert command in parts.text
    assert PASSWORD not in parts.text and str(escape(PASSWORD)) not in parts.text
    page = client.get("/").text
    assert 'name="protect_password" autocomplete="new-password"' in page and 'type="password"' in page
    yaml_file = client.post("/download/yaml", data=form)
    assert yaml_file.status_code == 200 and PASSWORD not in yaml_file.text
    path = tmp_path / "HX-WEB-0002.yaml"
    path.write_bytes(yaml_file.content)
    docx = client.post("/download/docx", data=form)
    assert docx.status_code == 200, docx.text
    assert docx.content == cli_protected(tmp_path, path, PASSWORD, "HX-WEB-0002")
    assert_words_hash_of(docx.content, PASSWORD)

    too_long = "sixteen chars!!!"
    form["protect_password"] = too_long
    bad = client.post("/preview", data=form).text
    message = "the protection password has 16 characters; Word uses at most 15, so give at most 15"
    at_field = r'data-error-for="protect_password"[^>]*>\s*<p class="error" data-code="password">'
    assert re.search(at_field + re.escape(message) + "</p>", bad)
    assert too_long not in bad and "data-download" not in bad.split('id="deviation"')[0]
    refused = client.post("/download/docx", data=form)
    assert refused.status_code == 422 and message in refused.text and too_long not in refused.text
    not_ascii = client.post("/preview", data={**form, "protect_password": "密码"}).text
    assert "may hold only printable ASCII characters" in not_ascii and "密码" not in not_ascii
