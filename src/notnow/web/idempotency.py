"""``Idempotency-Key`` on every API ``POST``, in one place: a retried request gets the first
answer and records nothing twice (`notnow.services.idempotency` keeps the keys).

A request without the header runs as always. With it, the request is first checked as the route
would check it (who is acting, the cross-site guard; a refusal runs the route, which refuses it
the same way), then claimed: the first copy runs and its success is kept; a retry with the same
key, route and body gets that answer again (with ``Idempotent-Replayed: true``); the same key
with another request is refused (422), and a copy that arrives while the first still runs is
told so (409). A failed first copy is forgotten, so its retry runs afresh.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from notnow.errors import NotnowError
from notnow.services import idempotency
from notnow.services.idempotency import HEADER, Answer

REPLAYED = "Idempotent-Replayed"
DESCRIPTION = ("Send the same key again to retry this request safely: the same request (route "
               "and body) gets the first answer and records nothing twice; the same key with "
               "another request is refused (422). Keys are yours alone and last 24 hours.")


class IdempotencyKeys:
    """The ASGI layer that gives a retried ``POST /api/…`` its first answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] != "POST"
                or not scope["path"].startswith("/api/")):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        raw_key = headers.get(HEADER.lower().encode())
        if raw_key is None:
            await self.app(scope, receive, send)
            return
        body, receive = await _buffered(receive)
        request = Request(scope, receive)
        actor = await _actor(request)
        if actor is None:  # not signed in, a bad token, a cross-site write: the route refuses
            await self.app(scope, receive, send)
            return
        key = raw_key.decode("latin-1")
        route = f"POST {scope['path']}" + (f"?{scope['query_string'].decode('latin-1')}"
                                           if scope.get("query_string") else "")
        ws = request.app.state.ws
        try:
            first = await run_in_threadpool(idempotency.claim, ws, actor, key, route,
                                            idempotency.fingerprint(route, body))
        except NotnowError as exc:
            from notnow.web.errors import render

            await render(request, exc.status, exc.code, exc.message, exc.field)(
                scope, receive, send)
            return
        if first is not None:
            await _replay(first)(scope, receive, send)
            return
        await self._first(scope, receive, send, ws, actor, key)

    async def _first(self, scope: Scope, receive: Receive, send: Send, ws: Any, actor: Any,
                     key: str) -> None:
        """Run the first copy, passing its answer on as it goes, and keep it if it succeeded."""
        status = 500
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, keep)
        except BaseException:
            await run_in_threadpool(idempotency.release, ws, actor, key)
            raise
        if 200 <= status < 300:
            answer = Answer(status, b"".join(chunks).decode("utf-8", "replace"))
            await run_in_threadpool(idempotency.remember, ws, actor, key, answer)
        else:
            await run_in_threadpool(idempotency.release, ws, actor, key)


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The request's body, read once, and a `receive` that gives it to the app again."""
    parts: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(parts)
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, again


async def _actor(request: Request) -> Any:
    """Who the route would act for, after the cross-site guard; None when it would refuse."""
    from notnow.web.auth import check_csrf, current_actor

    try:
        actor = await run_in_threadpool(current_actor, request)
        await check_csrf(request)
    except NotnowError:
        return None
    return actor


def _replay(answer: Answer) -> Response:
    return Response(answer.body, status_code=answer.status_code,
                    media_type="application/json", headers={REPLAYED: "true"})


def document(schema: dict[str, Any]) -> dict[str, Any]:
    """Say in the API description that every ``POST`` takes the header."""
    for path, operations in schema.get("paths", {}).items():
        post = operations.get("post")
        if post is None or not path.startswith("/api/"):
            continue
        post.setdefault("parameters", []).append({
            "name": HEADER, "in": "header", "required": False, "description": DESCRIPTION,
            "schema": {"type": "string", "minLength": 1, "maxLength": idempotency.MAX_KEY,
                       "pattern": "^[!-~]+$"}})
    return schema
