"""The team server's pages: log in, save from the form, the contract list, a contract, the audit log.

Each page asks the store, with the logged-in account, for what it shows
(the store refuses what the role may not see); every state-changing form
carries the CSRF token.  Diffs and redlines between two versions are made
as by ``agreement diff``, in a worker thread.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..diff_format import as_text
from ..errors import AgreementError
from ..params import Layer
from ..store import accounts, audit, contracts, files
from ..store.errors import AuthenticationError, StoreError
from ..store.models import STATUSES
from . import pages
from .app import web_of
from .contract import evaluate, form_layer
from .form import FORM_ORIGIN, form_tree
from .options import RenderChoices
from .security import SESSION_COOKIE, csrf_ok
from .team import actor, team_of
from .team_api import FILE_FORMATS, set_session

router = APIRouter(include_in_schema=False)

#: The redline between two versions: what ``agreement diff --format docx|pdf`` writes.
REDLINE_FORMATS = ("docx", "pdf")
DECISIONS = {"approve": "approved", "reject": "rejected"}


def error_page(request: Request, error: StoreError) -> Response:
    """A refusal of the store as a page: its message, its status (403, 404, 409 …)."""
    return pages._page(request, "team_error.html", {"error": error}, status=error.http_status)


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str = "/") -> Response:
    if not await team_of(request).has_accounts():
        return pages.login_page(request, next)
    return pages._page(request, "login.html", {"next": pages._local(next), "failed": None, "accounts": True})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    team = team_of(request)
    if not await team.has_accounts():
        return await pages.login(request)
    if not await csrf_ok(request):
        return pages._refused()
    form = await request.form()
    name, password, target = (str(form.get(key, "")) for key in ("username", "password", "next"))
    try:
        _, session = await run_in_threadpool(accounts.login, team.store, name, password)
    except AuthenticationError as error:
        status = error.http_status
        # One message for every wrong login; a lock says until when (429).
        context = {"next": pages._local(target), "failed": str(error), "username": name, "accounts": True}
        return pages._page(request, "login.html", context, status=status)
    response = RedirectResponse(pages._local(target), status_code=303)
    set_session(request, response, session)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    team = team_of(request)
    if not await team.has_accounts():
        return await pages.logout(request)
    if not await csrf_ok(request):
        return pages._refused()
    token = request.cookies.get(SESSION_COOKIE, "")
    if token:
        await run_in_threadpool(accounts.logout, team.store, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/contracts/save")
async def save(request: Request) -> Response:
    """Save the form as a new contract, or as a new version of the one it edits; then show it."""
    if not await csrf_ok(request):
        return pages._refused()
    account = actor(request)
    web, store = web_of(request), team_of(request).store
    data, _ = await pages._posted_form(request)
    contract_id, version = data.one("contract_id"), data.one("version")
    try:
        params = form_layer(web.site, form_tree(data), FORM_ORIGIN).tree
        if contract_id and version:
            saved = await run_in_threadpool(
                contracts.update_contract, store, account, int(contract_id), int(version), params
            )
        else:
            saved = await run_in_threadpool(contracts.save_contract, store, account, params)
    except StoreError:
        raise
    except (AgreementError, ValueError) as error:
        return PlainTextResponse(
            f"nothing was saved: the contract has errors; correct them in the form first:\n{error}",
            status_code=422,
        )
    return RedirectResponse(f"/contracts/{saved.id}", status_code=303)


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/contracts", response_class=HTMLResponse)
async def contract_list(request: Request) -> Response:
    query = request.query_params
    wanted = {
        key: query.get(key, "").strip() for key in ("customer", "contract_no", "status", "since", "until")
    }
    account = actor(request)
    rows = await run_in_threadpool(
        lambda: contracts.search(
            team_of(request).store,
            account,
            customer=wanted["customer"] or None,
            contract_no=wanted["contract_no"] or None,
            status=wanted["status"] if wanted["status"] in STATUSES else None,
            since=_date(wanted["since"]),
            until=_date(wanted["until"]),
        )
    )
    return pages._page(request, "contracts.html", {"rows": rows, "wanted": wanted, "statuses": STATUSES})


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


@router.get("/contracts/{contract_id}", response_class=HTMLResponse)
async def contract_page(request: Request, contract_id: int) -> Response:
    """Its versions, status, findings and decisions; downloads; approve or reject; two versions compared."""
    account = actor(request)
    store = team_of(request).store
    versions = await run_in_threadpool(contracts.history, store, account, contract_id)
    latest = versions[-1]
    old = _number(request.query_params.get("old"))
    new = _number(request.query_params.get("new"))
    report = None
    if old and new:
        compared = await run_in_threadpool(contracts.compare, store, account, contract_id, old, new)
        report = as_text(compared)
    context = {
        "versions": list(reversed(versions)),
        "latest": latest,
        "formats": FILE_FORMATS,
        "redline_formats": REDLINE_FORMATS,
        "old": old or max(1, latest.number - 1),
        "new": new or latest.number,
        "report": report,
        "may_decide": account.role == "legal",
    }
    return pages._page(request, "contract_page.html", context)


@router.get("/contracts/{contract_id}/edit", response_class=HTMLResponse)
async def edit(request: Request, contract_id: int) -> Response:
    """The form, filled with the latest version: saving it stores the next version."""
    account = actor(request)
    web = web_of(request)
    info = await run_in_threadpool(contracts.get_contract, team_of(request).store, account, contract_id)
    choices = RenderChoices()
    layer = Layer("contract", f"contract {contract_id} v{info.number}", info.params)
    evaluation = await run_in_threadpool(evaluate, web.site, layer, web.site.options(choices))
    return await run_in_threadpool(pages._index, request, evaluation, choices, None, info)


@router.post("/contracts/{contract_id}/{action}")
async def decide(request: Request, contract_id: int, action: str) -> Response:
    """Legal's approval or rejection, with its comment (the store refuses anyone else)."""
    if action not in DECISIONS:
        return PlainTextResponse(f"no action '{action}'", status_code=404)
    if not await csrf_ok(request):
        return pages._refused()
    form = await request.form()
    comment, version = str(form.get("comment", "")), _number(str(form.get("version", "")))
    await run_in_threadpool(
        contracts.decide,
        team_of(request).store,
        actor(request),
        contract_id,
        DECISIONS[action],
        comment,
        version,
    )
    return RedirectResponse(f"/contracts/{contract_id}", status_code=303)


@router.get("/contracts/{contract_id}/redline/{fmt}")
async def redline(request: Request, contract_id: int, fmt: str, old: int, new: int) -> Response:
    """Version ``new`` marked against version ``old`` as tracked changes (DOCX) or a marked PDF."""
    if fmt not in REDLINE_FORMATS:
        return PlainTextResponse(f"no redline format '{fmt}'", status_code=404)
    got = await run_in_threadpool(
        files.redline, team_of(request).store, actor(request), contract_id, old, new, fmt
    )
    from .downloads import attachment

    return attachment(got.data, fmt, got.filename)


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(request: Request) -> Response:
    contract = _number(request.query_params.get("contract"))
    account = actor(request)
    rows = await run_in_threadpool(lambda: audit.entries(team_of(request).store, account, contract=contract))
    return pages._page(request, "audit.html", {"rows": rows, "contract": contract})
