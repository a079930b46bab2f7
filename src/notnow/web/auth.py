"""Who is asking, and is the request really theirs: actors, bearer tokens, sessions and CSRF.

* Local mode: every request acts as the workspace owner. The server listens on loopback only,
  and `LoopbackOnly` answers only a loopback peer (the socket's address, not a header) whose
  ``Host`` is exactly 127.0.0.1, localhost or [::1] (any port): a page on another site that
  rebinds its DNS name to 127.0.0.1 sends its own name as Host, and is refused.
* Team mode: ``Authorization: Bearer <token>`` for scripts, else the session cookie set at
  sign-in (HttpOnly, Secure, SameSite=Lax). It holds a random id of a server-side session
  (`notnow.services.team.sessions`); signing out or disabling the user deletes the session.

Writes (POST, PUT, PATCH, DELETE) from a browser must come from our own pages: a cross-site
``Origin`` or ``Sec-Fetch-Site`` is refused, and a form or htmx request must carry the CSRF
token (a hidden ``csrf_token`` field, or the ``X-CSRF-Token`` header that every page sets for
htmx). A signed-in session's token lives in its row; before sign-in (the sign-in form) and in
local mode it is a random value in the ``notnow_csrf`` cookie that the form must repeat.
Bearer-token requests carry no cookie, so they need no CSRF token.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from notnow.core.policy import Actor
from notnow.errors import AuthenticationFailed, PermissionDenied
from notnow.services.team import sessions
from notnow.services.team.auth import actor_for_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SESSION_COOKIE = "notnow_session"
CSRF_COOKIE = "notnow_csrf"
LOOPBACK_HOST = re.compile(r"(127\.0\.0\.1|localhost|\[::1\])(:[0-9]{1,5})?")
"""The Host headers local mode answers: exactly these names, with or without a port."""


_UNKNOWN = object()


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("use 'Authorization: Bearer <token>'", field="authorization")
    return token.strip()


def signed_in(request: Request) -> sessions.SignedIn | None:
    """The live session the request's cookie names (team mode), looked up once per request."""
    if not request.app.state.team:
        return None
    found = getattr(request.state, "signed_in", _UNKNOWN)
    if found is _UNKNOWN:
        found = sessions.session_for(request.app.state.ws, request.cookies.get(SESSION_COOKIE))
        request.state.signed_in = found
    return found  # type: ignore[return-value]


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
        found = signed_in(request)
        if found is None:
            raise AuthenticationFailed("sign in first")
        actor = found.actor
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
    if not sent or not hmac.compare_digest(sent.encode(), expected_csrf(request).encode()):
        raise PermissionDenied("this form has expired or did not come from notnow; reload the "
                               "page and try again", field="csrf_token")


def expected_csrf(request: Request) -> str:
    """The token a write must carry: the session's, else the ``notnow_csrf`` cookie's."""
    found = signed_in(request)
    if found is not None:
        return found.csrf
    cookie = request.cookies.get(CSRF_COOKIE, "")
    return cookie if 20 <= len(cookie) <= 100 else ""


def csrf_token(request: Request) -> str:
    """The token to put in a page's forms. Without a session or a cookie a new one is made,
    and `set_csrf_cookie` sends it with the page."""
    token = getattr(request.state, "new_csrf", None) or expected_csrf(request)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return str(token)


def set_csrf_cookie(request: Request, response: Response) -> None:
    token = getattr(request.state, "new_csrf", None)
    if token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="lax",
                            secure=bool(request.app.state.team), path="/")


def sign_in(request: Request, response: Response, actor: Actor) -> None:
    """Start a server-side session for `actor`; its id goes in the cookie, nothing else."""
    ws = request.app.state.ws
    sessions.end_session(ws, request.cookies.get(SESSION_COOKIE))  # never two at once
    client = request.client.host if request.client else None
    new = sessions.start_session(ws, actor, client=client)
    response.set_cookie(SESSION_COOKIE, new.token, max_age=int(sessions.LIFETIME.total_seconds()),
                        httponly=True, secure=True, samesite="lax", path="/")
    request.state.actor = actor


def sign_out(request: Request, response: Response) -> None:
    """End the session (its row is deleted: the cookie is dead everywhere) and drop the cookie."""
    sessions.end_session(request.app.state.ws, request.cookies.get(SESSION_COOKIE))
    forget_session(response)


def forget_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="lax")


# --- local mode -------------------------------------------------------------------------------


def is_loopback_host(header: str) -> bool:
    """Whether a Host header names this machine exactly (127.0.0.1, localhost, [::1], a port)."""
    return LOOPBACK_HOST.fullmatch(header.strip().lower()) is not None


def is_loopback_peer(client: Any) -> bool:
    """Whether the ASGI scope's client (the socket's peer) is a loopback address."""
    if not client:
        return False
    try:
        ip = ipaddress.ip_address(str(client[0]))
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


class LoopbackOnly:
    """Local mode: answer only this machine's requests, addressed to this machine.

    The peer address must be loopback (even if the server was bound elsewhere by mistake), and
    the Host header exactly a loopback name — this stops DNS rebinding, where a page from
    another site reaches 127.0.0.1 under its own name.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers: dict[bytes, bytes] = dict(scope.get("headers") or [])
            host = headers.get(b"host", b"").decode("latin-1")
            refusal = None
            if not is_loopback_peer(scope.get("client")):
                refusal = ("bad_peer", "local mode answers only this machine; use --team to "
                           "serve others", "client")
            elif not is_loopback_host(host):
                refusal = ("bad_host", "local mode answers only requests to 127.0.0.1 or "
                           "localhost; use --team to serve others", "host")
            if refusal is not None:
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                from starlette.responses import JSONResponse

                from notnow.web.errors import error_body

                code, message, field = refusal
                body: Any = error_body(code, message, field=field)
                await JSONResponse(body, status_code=403 if code == "bad_peer" else 400)(
                    scope, receive, send)
                return
        await self.app(scope, receive, send)


# --- headers on every answer ------------------------------------------------------------------


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
]
NO_STORE = (b"cache-control", b"no-store")
HSTS = (b"strict-transport-security", b"max-age=31536000")
"""Team mode is served over HTTPS (its cookies are Secure): browsers are told to keep to it."""


class SecurityHeaders:
    """Headers on every answer, errors and static files included (it wraps the whole app, the
    server-error handler too): no framing, scripts only from our own files, nothing private
    kept in a cache (``no-store`` on all but /static), and HSTS in team mode. An exception that
    escapes everything still gets a plain 500 with these headers."""

    def __init__(self, app: ASGIApp, *, team: bool) -> None:
        self.app = app
        self.extra = [HSTS] if team else []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        # a calendar feed says how it may be cached itself (private, revalidated by ETag)
        private = not path.startswith(("/static/", "/calendar/feed/"))
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", [])
                           if not (private and k.lower() == b"cache-control")]
                headers += SECURITY_HEADERS + self.extra
                if private:
                    headers.append(NO_STORE)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if not started:
                await send_with_headers({"type": "http.response.start", "status": 500,
                                         "headers": [(b"content-type",
                                                      b"text/plain; charset=utf-8")]})
                await send_with_headers({"type": "http.response.body",
                                         "body": b"Internal Server Error"})
            raise
