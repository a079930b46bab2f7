"""Who is asking, and is the request really theirs: actors, bearer tokens, sessions and CSRF.

* Local mode: every request acts as the workspace owner (the server only listens on loopback,
  and the Host header must name this machine, which stops DNS-rebinding pages).
* Team mode: ``Authorization: Bearer <token>`` for scripts, else the signed session cookie set
  at sign-in (HttpOnly, Secure, SameSite=Lax).

Writes (POST, PUT, PATCH, DELETE) from a browser must come from our own pages: a cross-site
``Origin`` or ``Sec-Fetch-Site`` is refused, and a form or htmx request must carry the session's
CSRF token (a hidden ``csrf_token`` field, or the ``X-CSRF-Token`` header that every page sets
for htmx). Bearer-token requests carry no cookie, so they need no CSRF token.
"""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from notnow.core.policy import Actor
from notnow.errors import AuthenticationFailed, PermissionDenied
from notnow.services.team.auth import actor_for, actor_for_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("use 'Authorization: Bearer <token>'", field="authorization")
    return token.strip()


def current_actor(request: Request) -> Actor:
    """The acting user (kept on request.state for templates)."""
    cached = getattr(request.state, "actor", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    state = request.app.state
    token = _bearer(request)
    if token is not None:
        actor = actor_for_token(state.ws, token)
    elif not state.team:
        actor = state.owner
    else:
        uid = request.session.get("uid")
        found = actor_for(state.ws, uid) if isinstance(uid, int) else None
        if found is None:
            raise AuthenticationFailed("sign in first")
        actor = found
    request.state.actor = actor
    return actor


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin and origin != "null":
        if urlsplit(origin).netloc.lower() != (request.headers.get("host") or "").lower():
            return False
    return request.headers.get("sec-fetch-site", "same-origin") in (
        "same-origin", "none", "same-site")


async def check_csrf(request: Request) -> None:
    """Refuse writes that a browser sends on another site's behalf."""
    if request.method in SAFE_METHODS:
        return
    if not _same_origin(request):
        raise PermissionDenied("cross-site request refused", field="origin")
    if request.headers.get("authorization"):
        return  # a bearer token, never sent by a browser on its own
    is_api = request.url.path.startswith("/api/")
    if is_api and not request.app.state.team:
        return  # local scripts (curl) send no cookie; the origin check above covers browsers
    sent = request.headers.get("x-csrf-token")
    if sent is None and not is_api:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get("csrf_token")
            sent = value if isinstance(value, str) else None
    expected = request.session.get("csrf")
    if not sent or not isinstance(expected, str) or not hmac.compare_digest(sent, expected):
        raise PermissionDenied("this form has expired or did not come from notnow; reload the "
                               "page and try again", field="csrf_token")


def sign_in(request: Request, actor: Actor) -> None:
    request.session.clear()  # a fresh session (and CSRF token) at each sign-in
    request.session["uid"] = actor.id
    request.state.actor = actor


def sign_out(request: Request) -> None:
    request.session.clear()


def host_of(header: str) -> str:
    """The host name of a Host header, without the port ('[::1]:8000' → '::1')."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def is_loopback_name(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


class LoopbackHostOnly:
    """Local mode: answer only requests addressed to this machine (stops DNS rebinding)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers: dict[bytes, bytes] = dict(scope.get("headers") or [])
            host = host_of(headers.get(b"host", b"").decode("latin-1"))
            if not is_loopback_name(host):
                from starlette.responses import JSONResponse

                from notnow.web.errors import error_body

                body: Any = error_body("bad_host", "local mode answers only requests to "
                                       "127.0.0.1 or localhost; use --team to serve others",
                                       field="host")
                await JSONResponse(body, status_code=400)(scope, receive, send)
                return
        await self.app(scope, receive, send)


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
]


class SecurityHeaders:
    """Headers that keep pages out of frames and scripts to our own files (no CDN, no inline)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)
