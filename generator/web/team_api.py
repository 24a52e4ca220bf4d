"""The team server's JSON API: log in, save and edit contracts, approve or reject, download, audit.

Each endpoint calls one service function of the store with the logged-in
account (the store checks the permission) in a worker thread, so a
database wait never holds the event loop; PDF and DOCX come from the warm
render pool.  A refusal of the store is answered with its ``http_status``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ..errors import AgreementError, RenderError
from ..params.sources import decode
from ..store import accounts, audit, contracts, files
from ..store.contracts import VersionInfo
from ..store.errors import ConflictError, StoreError
from .api import EXAMPLE
from .app import web_of
from .contract import posted_layer, problems_of
from .downloads import attachment, render_refusal
from .rendering import QueueFull, WorkerLost
from .security import SESSION_COOKIE
from .team import actor, presented_token, renderer, team_of

router = APIRouter(prefix="/api", tags=["Team server"])

#: Formats a stored contract is downloaded in.
FILE_FORMATS = ("pdf", "docx", "yaml")


class Credentials(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)


class Edit(BaseModel):
    #: The version the edit started from: it must still be the latest (else 409).
    version: int
    params: dict[str, Any]


class Comment(BaseModel):
    comment: str = Field(max_length=2000)


def handle_errors(app: FastAPI) -> None:
    """Answer the store's refusals with their status: JSON for the API, a short page for a browser."""

    @app.exception_handler(StoreError)
    async def refused(request: Request, error: StoreError) -> Response:
        if not request.url.path.startswith("/api/"):
            from .team_pages import error_page

            return error_page(request, error)
        return JSONResponse(refusal_body(error), status_code=error.http_status)


def refusal_body(error: StoreError) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": str(error)}
    if isinstance(error, ConflictError):
        body["latest"] = error.latest
        body["changes"] = [dataclasses.asdict(change) for change in error.changes]
    return body


def _parameter_refusal(error: AgreementError) -> JSONResponse:
    return JSONResponse({"errors": [p.as_json() for p in problems_of(error)]}, status_code=422)


def version_json(info: VersionInfo) -> dict[str, Any]:
    return {
        "id": info.contract,
        "version": info.number,
        "latest": info.latest,
        "status": info.status,
        "final": info.final,
        "findings": list(info.findings),
        "params": info.params,
        "sha256": info.fingerprint,
        "created_by": info.created_by,
        "created_at": _time(info.created_at),
        "decisions": [
            {"user": d.user, "decision": d.decision, "comment": d.comment, "at": _time(d.at)}
            for d in info.decisions
        ],
    }


def _time(at: dt.datetime) -> str:
    return at.isoformat(timespec="seconds") + "Z"


@router.post(
    "/login",
    summary="Log in: sets the session cookie",
    responses={401: {"description": "wrong user name or password"}, 429: {"description": "locked"}},
)
async def login(request: Request, credentials: Credentials) -> JSONResponse:
    """Ten failed logins for one account within a minute lock it for a minute (429)."""
    store = team_of(request).store
    account, session = await run_in_threadpool(
        accounts.login, store, credentials.username, credentials.password
    )
    response = JSONResponse({"user": account.name, "role": account.role})
    set_session(request, response, session)
    return response


def set_session(request: Request, response: Response, session: str) -> None:
    """The session cookie: HttpOnly, SameSite=Strict, Secure when served over HTTPS."""
    secure = request.url.scheme == "https"
    response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict", secure=secure)


@router.post("/logout", summary="End the session", status_code=204)
async def logout(request: Request) -> Response:
    token = presented_token(request)
    if token:
        await run_in_threadpool(accounts.logout, team_of(request).store, token)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post(
    "/contracts",
    status_code=201,
    summary="Save a new contract",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"example": EXAMPLE}}}},
    responses={
        201: {"description": "`{id, version, status, findings}`: approved inside the playbook, else pending"},
        422: {"description": "the parameters do not make a contract: the CLI's errors"},
    },
)
async def save(request: Request) -> JSONResponse:
    """The body is a parameter object, as for `/api/validate`; sales and legal may save."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return JSONResponse({"detail": "send the parameters as application/json"}, status_code=415)
    account = actor(request)
    raw = await request.body()
    try:
        params = posted_layer(decode(raw, "request"), "request", "json").tree
        saved = await run_in_threadpool(contracts.save_contract, team_of(request).store, account, params)
    except StoreError:
        raise
    except AgreementError as error:
        return _parameter_refusal(error)
    return JSONResponse(dataclasses.asdict(saved), status_code=201)


@router.get("/contracts", summary="Find contracts (sales: their own; legal: all)")
async def find(
    request: Request,
    customer: str | None = None,
    contract_no: str | None = None,
    status: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> JSONResponse:
    rows = await run_in_threadpool(
        lambda: contracts.search(
            team_of(request).store,
            actor(request),
            customer=customer,
            contract_no=contract_no,
            status=status or None,
            since=since,
            until=until,
        )
    )
    return JSONResponse([{**dataclasses.asdict(row), "updated_at": _time(row.updated_at)} for row in rows])


@router.get("/contracts/{contract_id}", summary="A contract's latest version, its status and findings")
async def read(
    request: Request, contract_id: int, version: Annotated[int | None, Query(ge=1)] = None
) -> JSONResponse:
    info = await run_in_threadpool(
        contracts.get_contract, team_of(request).store, actor(request), contract_id, version
    )
    return JSONResponse(version_json(info))


@router.put(
    "/contracts/{contract_id}",
    summary="Save a new version (409 with what changed when `version` is not the latest)",
    responses={409: {"description": "`{detail, latest, changes: [{key, base, latest, yours}]}`"}},
)
async def edit(request: Request, contract_id: int, body: Edit) -> JSONResponse:
    account = actor(request)
    try:
        saved = await run_in_threadpool(
            contracts.update_contract, team_of(request).store, account, contract_id, body.version, body.params
        )
    except StoreError:
        raise
    except AgreementError as error:
        return _parameter_refusal(error)
    return JSONResponse(dataclasses.asdict(saved))


async def _decide(request: Request, contract_id: int, decision: str, comment: str) -> JSONResponse:
    info = await run_in_threadpool(
        contracts.decide, team_of(request).store, actor(request), contract_id, decision, comment
    )
    return JSONResponse(version_json(info))


@router.post("/contracts/{contract_id}/approve", summary="Approve the latest version (legal only)")
async def approve(request: Request, contract_id: int, body: Annotated[Comment, Body()]) -> JSONResponse:
    return await _decide(request, contract_id, "approved", body.comment)


@router.post("/contracts/{contract_id}/reject", summary="Reject the latest version (legal only)")
async def reject(request: Request, contract_id: int, body: Annotated[Comment, Body()]) -> JSONResponse:
    return await _decide(request, contract_id, "rejected", body.comment)


@router.get(
    "/contracts/{contract_id}/{fmt}",
    summary="The latest version's file: final once approved, else draft-marked",
    responses={
        200: {
            "description": "the file; an approved version's is byte-identical to `agreement generate` "
            "and the same on every download. Headers: X-Agreement-Final, X-Agreement-SHA256."
        }
    },
)
async def download(
    request: Request,
    contract_id: int,
    fmt: Literal["pdf", "docx", "yaml"],
    version: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    return await file_response(request, contract_id, fmt, version)


async def file_response(request: Request, contract_id: int, fmt: str, version: int | None) -> Response:
    """A version's file through the store (audited, kept once final), rendered by the pool."""
    account = actor(request)
    render = renderer(web_of(request))
    store = team_of(request).store
    try:
        got = await run_in_threadpool(files.download, store, account, contract_id, fmt, render, version)
    except (QueueFull, WorkerLost, RenderError) as error:
        return render_refusal(error)
    return attachment(
        got.data,
        fmt,
        got.filename,
        {
            "X-Agreement-Final": "true" if got.final else "false",
            "X-Agreement-SHA256": got.sha256,
        },
    )


@router.get("/audit", summary="The audit log in order (legal and admin)")
async def audit_log(request: Request, contract: int | None = None) -> JSONResponse:
    rows = await run_in_threadpool(
        lambda: audit.entries(team_of(request).store, actor(request), contract=contract)
    )
    return JSONResponse([{**dataclasses.asdict(e), "at": _time(e.at)} for e in rows])
