"""The web application: ``create_app(settings)`` joins the routers, the guard and the render pool.

Routers are plain ``APIRouter``s that find what they share in
``request.app.state.web`` (a ``Web``): a later router (the team server's
contracts and approvals) joins the same way, behind the same guard.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from .contract import Site
from .options import RenderChoices
from .rendering import RenderPool
from .security import LOOPBACK_NAMES, TOO_LARGE, BodyTooLarge, Guard, TokenAuth

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Settings:
    """How ``agreement serve`` was started."""

    bases: tuple[Path, ...] = ()
    clause_dirs: tuple[Path, ...] = ()
    workers: int = 2
    #: Render requests held at most (running and waiting); beyond: 503 + Retry-After.
    queue: int = 32
    #: The access token; ``None`` only on the loopback.
    token: str | None = None
    #: Host names a tokenless server answers to (the tests add TestClient's "testserver").
    loopback_names: tuple[str, ...] = LOOPBACK_NAMES
    #: Start the render workers with the app (they are otherwise started by the first download).
    warm: bool = True


@dataclass
class Web:
    """What every router shares (``request.app.state.web``)."""

    settings: Settings
    site: Site
    auth: TokenAuth
    pool: RenderPool
    templates: Jinja2Templates


def web_of(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


def default_workers() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2))


def create_app(settings: Settings, routers: Sequence[APIRouter] = ()) -> FastAPI:
    """The app for ``settings``; base files are read now, so their errors stop the start.

    ``routers`` join the page and API routers, behind the same guard (the
    team server's contracts and approvals, say).
    """
    from . import api, pages

    site = Site.load(settings.bases, settings.clause_dirs)
    pool = RenderPool(settings.workers, settings.queue, site.bases, site.options(RenderChoices()))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.warm:
            pool.start()
        try:
            yield
        finally:
            pool.close()

    app = FastAPI(
        title="agreement",
        summary="After-sales service agreements from parameters: validate, preview, download.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["pretty_json"] = lambda value: json.dumps(value, ensure_ascii=False, indent=2)
    app.state.web = Web(settings, site, TokenAuth(settings.token), pool, templates)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(pages.router)
    app.include_router(api.router)
    for router in routers:
        app.include_router(router)

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, error: BodyTooLarge) -> JSONResponse:
        return JSONResponse({"detail": TOO_LARGE}, status_code=413)

    allowed = None if settings.token else settings.loopback_names
    app.add_middleware(Guard, auth=app.state.web.auth, allowed_hosts=allowed)
    return app
