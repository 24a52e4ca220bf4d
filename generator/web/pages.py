"""The pages a sales person uses: the form with its live preview, opening a client file, downloads, login.

The form posts (through htmx) to ``/preview`` as the user types; the answer
is a set of out-of-band fragments: each field's problems and source, the
download bar, the deviation panel and, when the contract is valid, the
preview.  Downloads are ordinary form posts, so the browser saves the file.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..diff import redline_refusal
from ..diff_format import CHANGES, value_text
from ..errors import AgreementError, ParameterError, short_path
from ..params.languages import LANGUAGES
from ..params.sources import MAX_FILE_BYTES, decode, kind_of
from .app import Web, web_of
from .contract import Evaluation, Problem, Site, evaluate, form_layer, posted_layer, preview, refused
from .downloads import BUTTONS, command_lines, download
from .fields import FIELDS, GROUPS
from .form import FORM_ORIGIN, FormData, channel_rows, display, form_tree, lookup, sources
from .options import PASSWORD_FIELD, RENDER_OPTIONS, RenderChoices
from .security import CSRF_COOKIE, SESSION_COOKIE, csrf_ok, new_csrf_token
from .traced import concerned_keys

router = APIRouter(include_in_schema=False)

_FIELD_KEYS = [field.key for field in FIELDS]


@router.get("/healthz", response_class=PlainTextResponse)
def healthz() -> str:
    return "ok"


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A page with a CSRF token for its forms (the cookie is set if the browser has none yet)."""
    token = request.cookies.get(CSRF_COOKIE) or new_csrf_token()
    # The team server's logged-in account (set by its authenticator), for the bar and the save button.
    account = getattr(request.state, "account", None)
    response = web_of(request).templates.TemplateResponse(
        request, name, {**context, "csrf_token": token, "account": account}, status_code=status
    )
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
    return response


def _refused() -> Response:
    return PlainTextResponse("missing or wrong CSRF token: reload the page", status_code=403)


def _form_context(site: Site, evaluation: Evaluation, choices: RenderChoices) -> dict[str, Any]:
    """Everything the form's parts show: values, their sources, problems by field, downloads."""
    merged = evaluation.merged
    tree = merged.tree if merged else site.base_tree()
    by_field: dict[str, list[tuple[str, Problem]]] = {key: [] for key in _FIELD_KEYS}
    general: list[tuple[str, Problem]] = []
    agreement = evaluation.prepared.params.agreement if evaluation.prepared else None
    for severity, problems in (("error", evaluation.errors), ("warning", evaluation.warnings)):
        for problem in problems:
            keys = concerned_keys(problem, agreement, _FIELD_KEYS)
            for key in keys:
                by_field[key].append((severity, problem))
            if not keys:
                general.append((severity, problem))
    return {
        "groups": GROUPS,
        "values": {key: lookup(tree, key) for key in _FIELD_KEYS},
        # A text that may differ by language: its Chinese in the field's input, its English beside it.
        "texts": {
            f.key: {lang: lookup(tree, f.key, lang) for lang in LANGUAGES} for f in FIELDS if f.localized
        },
        "channels": channel_rows(tree),
        "sources": sources(merged) if merged else {},
        "problems": by_field,
        # A folded group opens when one of its fields has a problem (an empty enterprise with no --base).
        "open_groups": {g.title for g in GROUPS if not g.folded or any(by_field[f.key] for f in g.fields)},
        "general": general,
        "display": display,
        "ok": evaluation.ok,
        "render_options": RENDER_OPTIONS,
        "choices": choices.chosen,
        "password_field": PASSWORD_FIELD,
        "password_error": choices.password_error,
        "bases": site.base_names,
        "value_text": value_text,
        "changes": CHANGES,
        "buttons": BUTTONS,
        "verdicts": {key: site.playbook.classify(key, lookup(tree, key)) for key in _FIELD_KEYS},
        "commands": (
            command_lines(site, agreement.contract_no, choices) if agreement and evaluation.ok else {}
        ),
        # No redline where the standard gives a text without the contract's language (its English).
        "redline_refusal": (
            redline_refusal(list(site.bases), evaluation.prepared) if evaluation.prepared else None
        ),
    }


def _results_context(web: Web, evaluation: Evaluation, choices: RenderChoices) -> dict[str, Any]:
    context = _form_context(web.site, evaluation, choices)
    if evaluation.ok:
        shown = preview(web.site, evaluation, web.site.options(choices))
        context.update(preview=shown.html, report=shown.report, report_error=shown.report_error)
    else:
        context.update(preview=None, report=None, report_error=None)
    return context


def _index(
    request: Request,
    evaluation: Evaluation,
    choices: RenderChoices,
    opened: str | None,
    editing: object = None,
) -> Response:
    """The form page; ``editing`` is the team server's stored version the form edits, if any."""
    web = web_of(request)
    context = _results_context(web, evaluation, choices)
    return _page(request, "index.html", {**context, "opened": opened, "oob": False, "editing": editing})


@router.get("/", response_class=HTMLResponse)
async def index(request: Request) -> Response:
    """The form, starting from the company standard."""
    web = web_of(request)
    choices = RenderChoices()
    layer = form_layer(web.site, {}, FORM_ORIGIN)
    evaluation = await run_in_threadpool(evaluate, web.site, layer, web.site.options(choices))
    return await run_in_threadpool(_index, request, evaluation, choices, None)


async def _posted_form(request: Request) -> tuple[FormData, RenderChoices]:
    form = await request.form()
    items = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
    data = FormData(items)
    # A blank password input gives no password (the form cannot send "none" otherwise).
    password = data.one(PASSWORD_FIELD) or None
    return data, RenderChoices.read({o.name: data.one(o.name) for o in RENDER_OPTIONS}, password)


def _form_evaluation(site: Site, data: FormData, choices: RenderChoices) -> Evaluation:
    try:
        layer = form_layer(site, form_tree(data), FORM_ORIGIN)
    except ParameterError as error:  # a value meant as YAML ("[a, b") that is not
        return refused(site, FORM_ORIGIN, error)
    return evaluate(site, layer, site.options(choices))


@router.post("/preview", response_class=HTMLResponse)
async def preview_parts(request: Request) -> Response:
    """The parts of the page that follow the form: problems, sources, downloads, deviation, preview."""
    if not await csrf_ok(request):
        return _refused()
    web = web_of(request)
    data, choices = await _posted_form(request)

    def parts() -> dict[str, Any]:
        return _results_context(web, _form_evaluation(web.site, data, choices), choices)

    context = await run_in_threadpool(parts)
    return _page(request, "parts.html", {**context, "oob": True})


@router.post("/open", response_class=HTMLResponse)
async def open_file(request: Request, file: UploadFile) -> Response:
    """Start from a client file (YAML, JSON, TOML): its values fill the form, its errors are the CLI's."""
    if not await csrf_ok(request):
        return _refused()
    web = web_of(request)
    choices = RenderChoices()
    # Only the name's last part, for messages: a request never names a path the server reads.
    name = short_path(PurePath(file.filename or "upload.yaml").name)
    raw = await file.read(MAX_FILE_BYTES + 1)
    try:
        if len(raw) > MAX_FILE_BYTES:
            raise ParameterError(
                [f"{name}: is more than {MAX_FILE_BYTES:,} bytes; a parameter file may be at most that"]
            )
        layer = posted_layer(decode(raw, name), name, kind_of(name))
    except AgreementError as error:
        return await run_in_threadpool(_index, request, refused(web.site, name, error), choices, name)
    evaluation = await run_in_threadpool(evaluate, web.site, layer, web.site.options(choices))
    return await run_in_threadpool(_index, request, evaluation, choices, name)


@router.post("/download/{fmt}")
async def download_file(request: Request, fmt: str) -> Response:
    """The contract as a file; refused (422) while the form has an error."""
    if fmt not in {button[0] for button in BUTTONS}:
        return PlainTextResponse(f"no download '{fmt}'", status_code=404)
    if not await csrf_ok(request):
        return _refused()
    web = web_of(request)
    data, choices = await _posted_form(request)
    evaluation = await run_in_threadpool(_form_evaluation, web.site, data, choices)
    if not evaluation.ok:
        text = "\n".join(p.message for p in evaluation.errors)
        return PlainTextResponse(f"the contract has errors; correct them first:\n{text}", status_code=422)
    if choices.password_error:
        return PlainTextResponse(f"{PASSWORD_FIELD}: {choices.password_error}", status_code=422)
    return await download(web, evaluation, fmt, choices)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    return _page(request, "login.html", {"next": _local(next), "failed": False})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    if not await csrf_ok(request):
        return _refused()
    form = await request.form()
    token, target = form.get("token", ""), form.get("next", "/")
    session = web_of(request).auth.login(token if isinstance(token, str) else "")
    if session is None:
        return _page(request, "login.html", {"next": _local(str(target)), "failed": True}, status=401)
    response = RedirectResponse(_local(str(target)), status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict", secure=secure)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    if not await csrf_ok(request):
        return _refused()
    web_of(request).auth.logout(request)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _local(target: str) -> str:
    """A redirect target on this server only (never ``//elsewhere`` or ``https://…``)."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


@router.get("/api", response_class=HTMLResponse)
def api_page(request: Request) -> Response:
    """The API's documentation, from the app's OpenAPI description, with no script from elsewhere."""
    spec = request.app.openapi()
    return _page(request, "api.html", {"spec": spec})
