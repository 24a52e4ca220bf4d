"""Who may use the server, and what every response carries: the one place for access rules.

- On loopback with no token, every local request is let in; the Host header
  must then name the loopback (a DNS-rebinding page cannot reach the server).
- With an access token (``--token-file`` or ``AGREEMENT_TOKEN``), required
  to listen anywhere else, every request needs it: API calls as
  ``Authorization: Bearer``, browsers through the login page, which sets an
  HttpOnly, SameSite=Strict session cookie.  Only the login page and its
  stylesheet are open.
- Every state-changing browser request carries a CSRF token equal to the
  ``agreement_csrf`` cookie (double submit, the cookie SameSite=Strict); the
  JSON API takes only ``application/json``, which no cross-site form can send.
- Bodies over 1 MiB are refused with 413; every response carries a
  Content-Security-Policy without inline scripts, nosniff and
  ``frame-ancestors 'none'``.

Accounts (the team server) replace ``TokenAuth`` with another
``Authenticator``: the middleware asks it only ``identify`` and ``login_path``.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote

from starlette.requests import HTTPConnection, Request

from ..errors import UsageError
from ..params.sources import MAX_FILE_BYTES

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Largest request body: a parameter file may be 1 MiB, and so may a request.
MAX_BODY = MAX_FILE_BYTES
TOO_LARGE = f"the request body may be at most {MAX_BODY:,} bytes"
SESSION_COOKIE = "agreement_session"
CSRF_COOKIE = "agreement_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
#: Paths open without a login: the login page and API, and the static files the page needs.
OPEN_PATHS = ("/login", "/api/login", "/static/", "/healthz")

CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, token: str | None) -> None:
    """Refuse to listen beyond the loopback without an access token."""
    if not is_loopback(host) and not token:
        raise UsageError(
            f"--host {host}: refusing to listen beyond this machine without an access token; "
            "give one with --token-file FILE or the environment variable AGREEMENT_TOKEN, "
            "or listen on 127.0.0.1"
        )


class Authenticator(Protocol):
    """Who a request is; ``None`` when it must log in first."""

    async def identify(self, connection: HTTPConnection) -> str | None: ...


@dataclass
class TokenAuth:
    """One shared access token; ``None`` for a loopback server that needs none."""

    token: str | None
    sessions: set[str] = field(default_factory=set)

    async def identify(self, connection: HTTPConnection) -> str | None:
        if self.token is None:
            return "local"
        scheme, _, given = connection.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), self.token.encode()):
            return "token"
        session = connection.cookies.get(SESSION_COOKIE, "")
        if session and any(hmac.compare_digest(session, known) for known in self.sessions):
            return "session"
        return None

    def login(self, given: str) -> str | None:
        """A new session for the right token, else ``None``."""
        if self.token is None or not hmac.compare_digest(given.strip().encode(), self.token.encode()):
            return None
        session = secrets.token_urlsafe(32)
        self.sessions.add(session)
        return session

    def logout(self, connection: HTTPConnection) -> None:
        self.sessions.discard(connection.cookies.get(SESSION_COOKIE, ""))


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


async def csrf_ok(request: Request) -> bool:
    """Whether a browser's state-changing request carries the page's CSRF token."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    given = request.headers.get(CSRF_HEADER, "")
    if not given:
        form = await request.form()
        value = form.get(CSRF_FIELD, "")
        given = value if isinstance(value, str) else ""
    return bool(cookie) and hmac.compare_digest(cookie.encode(), given.encode())


class Guard:
    """ASGI middleware: host check, login, body limit, and the security headers on every response."""

    def __init__(self, app: ASGIApp, auth: Authenticator, allowed_hosts: tuple[str, ...] | None) -> None:
        self.app = app
        self.auth = auth
        #: Host names a request may name; ``None`` for any (behind a token).
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = time.perf_counter()

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                # How long the server took, for the benchmark and a browser's network panel.
                took = f"app;dur={(time.perf_counter() - started) * 1000:.1f}".encode()
                message["headers"] = [
                    *message.get("headers", []),
                    *((name, value) for name, value in HEADERS if name not in present),
                    (b"server-timing", took),
                ]
            await send(message)

        connection = HTTPConnection(scope)
        refusal = await self._refusal(connection, scope)
        if refusal is not None:
            await refusal(send_secured)
            return
        await self.app(scope, _limited(receive), send_secured)

    async def _refusal(
        self, connection: HTTPConnection, scope: Scope
    ) -> Callable[[Send], Awaitable[None]] | None:
        host = connection.url.hostname or ""
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            return _plain(400, "this server answers only to 127.0.0.1 and localhost")
        length = connection.headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY:
            return _too_large
        path: str = scope["path"]
        if path.startswith(OPEN_PATHS) or await self.auth.identify(connection) is not None:
            return None
        if path.startswith("/api/") or scope["method"] not in ("GET", "HEAD"):
            return _json(401, {"detail": "an access token is needed"}, [(b"www-authenticate", b"Bearer")])
        target = quote(path, safe="/")
        return _plain(303, "", [(b"location", f"/login?next={target}".encode())])


class BodyTooLarge(Exception):
    """A body without Content-Length went past ``MAX_BODY``."""


def _limited(receive: Receive) -> Receive:
    received = 0

    async def counting() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > MAX_BODY:
                raise BodyTooLarge
        return message

    return counting


async def _too_large(send: Send) -> None:
    await _json(413, {"detail": TOO_LARGE})(send)


def _json(
    status: int, body: dict[str, str], headers: list[tuple[bytes, bytes]] | None = None
) -> Callable[[Send], Awaitable[None]]:
    return _respond(status, json.dumps(body).encode(), b"application/json", headers)


def _plain(
    status: int, text: str, headers: list[tuple[bytes, bytes]] | None = None
) -> Callable[[Send], Awaitable[None]]:
    return _respond(status, text.encode(), b"text/plain; charset=utf-8", headers)


def _respond(
    status: int, body: bytes, kind: bytes, headers: list[tuple[bytes, bytes]] | None
) -> Callable[[Send], Awaitable[None]]:
    async def respond(send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", kind),
                    (b"content-length", str(len(body)).encode()),
                    *(headers or []),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return respond
