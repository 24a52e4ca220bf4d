"""The JSON API for scripts and CRM integration: validate, and render in any format.

A body is a parameter object shaped like a parameter file (nested keys),
read by the CLI's JSON reader (so a duplicated key or a too-deep nesting is
refused as in a file), and layered over the server's bases like ``--set``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from ..errors import AgreementError
from ..params.sources import decode
from .app import web_of
from .contract import Evaluation, evaluate, posted_layer, problems_of
from .downloads import download
from .options import PASSWORD_FIELD, PASSWORD_HEADER, RENDER_OPTIONS, RenderChoices

router = APIRouter(prefix="/api", tags=["API"])

EXAMPLE = {
    "contract_no": "HX-AS-2026-0160",
    "customer": {
        "name": "杭州明远商贸有限公司",
        "address": "浙江省杭州市西湖区文三路 90 号",
        "representative": "王芳",
        "phone": "0571-8765 4321",
    },
    "timeliness": {"response_hours": 2, "onsite_hours": 24},
    "signing": {"date": "2026-11-25"},
}
BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "A parameter object shaped like a parameter file (nested keys, any "
                    "subset of them), layered over the server's --base files.",
                },
                "example": EXAMPLE,
            }
        },
    }
}


#: The ``draft`` render option, for the OpenAPI description (``RenderChoices`` reads it).
Draft = Annotated[
    bool, Query(description="as `agreement generate --draft`: 草稿 on every page, no signing date")
]
#: Every render option as a documented query parameter (``RenderChoices`` reads them from the query).
OPTION_PARAMETERS = [
    {
        "name": option.name,
        "in": "query",
        "required": False,
        "schema": {"type": "boolean", "default": False},
        "description": f"as `agreement generate {option.cli}`: {option.label}",
    }
    for option in RENDER_OPTIONS
] + [
    {
        "name": PASSWORD_HEADER,
        "in": "header",
        "required": False,
        "schema": {"type": "string", "minLength": 1, "maxLength": 15},
        "description": "as `agreement generate --protect-password-file FILE` (implies protect_tracking): "
        "the password Word asks for to stop the DOCX's protection; 1 to 15 printable ASCII characters. "
        "A header, never a query parameter: URLs get logged.",
    }
]
#: The files the API renders: the contract's, and its redlines against the bases.
Format = Literal["pdf", "docx", "html", "yaml", "redline.docx", "redline.pdf"]


class ProblemOut(BaseModel):
    key: str
    #: C001…, W101… for consistency rules; pydantic's error type (e.g. ``missing``) for a value.
    code: str
    #: The CLI's message for the same input, word for word.
    message: str


class Validation(BaseModel):
    errors: list[ProblemOut]
    warnings: list[ProblemOut]


def _body(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "errors": [p.as_json() for p in evaluation.errors],
        "warnings": [p.as_json() for p in evaluation.warnings],
    }


def _choices(request: Request) -> RenderChoices | JSONResponse:
    """The render options from the query, the password from its header (a bad one: 422 with the
    CLI's message, which never quotes it; one in the URL: 400, as it may already be in a log)."""
    if PASSWORD_FIELD in request.query_params:
        detail = f"send the protection password in the {PASSWORD_HEADER} header, never in the URL"
        return JSONResponse({"detail": detail}, status_code=400)
    choices = RenderChoices.read(request.query_params, request.headers.get(PASSWORD_HEADER))
    if choices.password_error:
        problem = {"key": PASSWORD_HEADER, "code": "password", "message": choices.password_error}
        return JSONResponse({"errors": [problem], "warnings": []}, status_code=422)
    return choices


async def _evaluate(request: Request, choices: RenderChoices) -> Evaluation | JSONResponse:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return JSONResponse({"detail": "send the parameters as application/json"}, status_code=415)
    web = web_of(request)
    options = web.site.options(choices)
    raw = await request.body()
    try:
        layer = posted_layer(decode(raw, "request"), "request", "json")
    except AgreementError as error:
        return JSONResponse({"errors": [p.as_json() for p in problems_of(error)], "warnings": []}, 422)
    return await run_in_threadpool(evaluate, web.site, layer, options)


@router.post(
    "/validate",
    openapi_extra=BODY,
    responses={200: {"model": Validation}, 422: {"model": Validation}},
    summary="Validate parameters and run the consistency rules",
)
async def validate(request: Request, draft: Draft = False) -> JSONResponse:
    """200 when the contract can be generated, else 422; warnings never stop it."""
    evaluation = await _evaluate(request, RenderChoices.read(request.query_params))
    if isinstance(evaluation, JSONResponse):
        return evaluation
    return JSONResponse(_body(evaluation), status_code=200 if evaluation.ok else 422)


@router.post(
    "/render/{fmt}",
    openapi_extra={**BODY, "parameters": OPTION_PARAMETERS},
    responses={
        200: {
            "description": "the file, byte-identical to `agreement generate` over the same bases "
            "(a redline: to `agreement diff LAST_BASE CLIENT [--base OTHER_BASE]... --format docx|pdf`)"
        },
        422: {"model": Validation},
        503: {"description": "every render worker is busy: retry after the Retry-After seconds"},
    },
    summary="Render the contract as PDF, DOCX, HTML, the client YAML file, or a redline",
)
async def render(request: Request, fmt: Format) -> Response:
    """The contract's file; the YAML is a client file holding only what differs from the bases;
    ``redline.docx`` and ``redline.pdf`` mark every difference from the standard as a tracked
    change (they take no render option, as `agreement diff` has none)."""
    # Every render option is read from the query by ``RenderChoices``, the password from its
    # header; ``OPTION_PARAMETERS`` documents them.
    choices = _choices(request)
    if isinstance(choices, JSONResponse):
        return choices
    evaluation = await _evaluate(request, choices)
    if isinstance(evaluation, JSONResponse):
        return evaluation
    if not evaluation.ok:
        return JSONResponse(_body(evaluation), status_code=422)
    return await download(web_of(request), evaluation, fmt, choices)
