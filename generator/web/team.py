"""The team server in the web app: who is logged in, and the store behind the contract pages and API.

A thin front door over ``generator.store``: every permission check is the
store's (its service functions take the acting ``Account``), and every
refusal carries its HTTP status (``http_status``), so the pages and the API
only translate.  With no account in the store, the server stays the
single-user page of ``agreement serve`` (on the loopback, or behind its
access token); from the first account on, every request needs a login (a
session cookie) or an API token, the loopback included.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import anyio.from_thread
import anyio.to_thread
from fastapi import FastAPI, Request
from starlette.requests import HTTPConnection

from ..params import Layer
from ..store import accounts
from ..store.database import Store
from ..store.errors import AuthenticationError, PermissionDenied
from ..store.roles import Account
from .app import Settings, Web, create_app
from .form import client_tree, client_yaml
from .security import SESSION_COOKIE, TokenAuth

if TYPE_CHECKING:
    from ..pipeline import Options
    from ..playbook import Playbook
    from ..store.files import Renderer

NO_ACCOUNTS = (
    "this server has no accounts yet: the team pages need one "
    "(agreement users add NAME --role sales|legal|admin, then log in)"
)


@dataclass
class Team:
    """The store the server works on, and its playbook (``request.app.state.team``)."""

    store: Store
    playbook: Playbook
    #: Accounts are never deleted: once one is seen, the server stays in team mode without asking again.
    _seen_accounts: bool = field(default=False, init=False)

    async def has_accounts(self) -> bool:
        """Whether the store has an account; asked in a worker thread, never on the event loop."""
        if not self._seen_accounts:
            self._seen_accounts = await anyio.to_thread.run_sync(accounts.has_accounts, self.store)
        return self._seen_accounts


@dataclass
class AccountAuth:
    """The ``Authenticator`` of the team server: a session cookie or a Bearer token names an account.

    Without accounts it is the single-user server's ``TokenAuth`` (open on
    the loopback, or behind the access token).  The account found is kept
    in the request's state for the routes (``actor``).
    """

    team: Team
    fallback: TokenAuth

    async def identify(self, connection: HTTPConnection) -> str | None:
        if not await self.team.has_accounts():
            return await self.fallback.identify(connection)
        token = presented_token(connection)
        if not token:
            return None
        try:
            # A database query: in a worker thread, so a slow store never stalls the event loop.
            account = await anyio.to_thread.run_sync(accounts.authenticate, self.team.store, token)
        except AuthenticationError:
            return None
        connection.state.account = account
        return account.name


def presented_token(connection: HTTPConnection) -> str:
    """The Bearer token of an API call, else the browser's session cookie ('' if neither)."""
    scheme, _, given = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and given.strip():
        return given.strip()
    return connection.cookies.get(SESSION_COOKIE, "")


def team_of(request: Request) -> Team:
    team: Team = request.app.state.team
    return team


def current(request: Request) -> Account | None:
    """The logged-in account, if any (``None`` on the single-user server)."""
    account: Account | None = getattr(request.state, "account", None)
    return account


def actor(request: Request) -> Account:
    """The logged-in account; ``PermissionDenied`` (403) while the store has no accounts."""
    account = current(request)
    if account is None:
        raise PermissionDenied(NO_ACCOUNTS)
    return account


def same_token(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def renderer(web: Web) -> Renderer:
    """The store's ``Renderer`` over the warm worker pool, for a thread of the server's thread pool.

    PDF and DOCX are made by the pool's workers (the thread waits for them
    on the event loop, which stays free); the YAML is the client file the
    single-user page gives, only what differs from the bases.
    """

    def render(layers: list[Layer], fmt: str, options: Options) -> bytes:
        if fmt == "yaml":
            own = client_tree(layers[-1].tree, web.site.base_tree())
            return client_yaml(own, web.site.base_names).encode()
        return anyio.from_thread.run(web.pool.render, layers, options, fmt)

    return render


def create_team_app(settings: Settings, store: Store) -> FastAPI:
    """The web app with the team server's pages and API over ``store`` (the caller closes it)."""
    from ..playbook import split_playbook
    from . import team_api, team_pages

    def authenticator(app: FastAPI) -> AccountAuth:
        web: Web = app.state.web
        team = Team(store, split_playbook(list(web.site.bases))[0])
        app.state.team = team
        return AccountAuth(team, web.auth)

    app = create_app(settings, (team_api.router, team_pages.router), authenticator=authenticator)
    team_api.handle_errors(app)
    return app
