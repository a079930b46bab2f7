"""Whole answers to the hot reads, replayed without the framework while nothing they show has
changed.

A route marks the answer of a GET as one to keep (:func:`keep`: the agenda page and the API's
agenda until any write, an account page and the API's account and contact until a write to
that account or to everything). :class:`KeptAnswers` keeps it whole — status, headers, body —
under everything of the request that can change it: the path and query, the scheme, the
credentials (``Authorization``, the session and CSRF cookies; kept as a hash), every other
header but those that change nothing here (:data:`IGNORED`), and the day. Before it passes a
GET on, it learns of the writes committed since the last look (one look at a time per process,
on a thread of its own: no thread of the request pool is taken, see
:meth:`notnow.web.agenda_cache.AgendaCache.alook`), and replays a kept answer that is still good
at that tick by the app cache's rules. A request that would compute an answer already being
computed for a tick at least as new waits for it instead; one that needs newer data waits for
the next computation, which serves every request queued for it. So a hit costs a dictionary
lookup, and fifty readers after a write cost one computation.

An answer kept is at most :data:`notnow.web.deps.SIGN_IN_TTL` seconds old and never outlives
the session it was answered to. A page answered to a request that carried no CSRF token holds a
new random token (in its forms and its ``Set-Cookie``): the kept answer holds a slot there, and
every replay gets a token of its own.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from notnow.web.agenda_cache import ANY, AgendaCache, Flights
from notnow.web.auth import CSRF_COOKIE, SESSION_COOKIE
from notnow.web.deps import SIGN_IN_TTL

IGNORED = frozenset({
    "connection", "keep-alive", "user-agent", "referer", "cache-control", "pragma", "dnt",
    "upgrade-insecure-requests", "priority", "accept-encoding", "te", "if-none-match",
    "if-modified-since", "x-request-id", "traceparent", "tracestate", "content-length"})
"""Request headers that change no kept answer (and ``sec-fetch-*``, ``sec-ch-*``)."""
KEPT_BYTES = 64 * 1024 * 1024
"""The answers a process keeps, in bytes of body (the least recently used go first)."""
ANSWER_BYTES = 8 * 1024 * 1024
"""The largest answer kept: a larger body (a long export, streamed) is not even held."""
KEEP = "keep_answer"
PASSED = ("/static/", "/calendar/")
"""Paths never kept: passed on without a look at the writes."""


def keep(request: Any, accounts: Any = ANY) -> None:
    """Let this GET's answer (if 200) be kept whole and replayed to the same request until a
    write that touched ``accounts`` or everything (``ANY``: until any write)."""
    request.state.keep_answer = ANY if accounts is ANY else tuple(accounts)


@dataclass(slots=True)
class Answer:
    status: int
    headers: list[tuple[bytes, bytes | list[bytes]]]  # a list: split at the CSRF token
    body: list[bytes]  # split at the CSRF token (one part when there is none)
    stamp: int
    shows: tuple[int, ...] | None
    expires: float  # time.monotonic()
    ends: Any  # the end of the session it was answered to (an aware datetime), or None
    size: int
    slotted: bool  # holds a slot for a new CSRF token


class _Flight:
    __slots__ = ("stamp", "done", "answer")

    def __init__(self, stamp: int) -> None:
        self.stamp = stamp
        self.done = asyncio.Event()
        self.answer: Answer | None = None


class KeptAnswers:
    """The ASGI layer that keeps and replays answers (inside the security headers and the
    loopback guard, which apply to every answer)."""

    def __init__(self, app: ASGIApp, owner: Any) -> None:
        self.app = app
        self.owner = owner  # the FastAPI app: its state holds the cache and the workspace
        self._kept: OrderedDict[bytes, Answer] = OrderedDict()
        self._bytes = 0
        self._flights: Flights[_Flight] = Flights()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._registered: AgendaCache | None = None

    def forget(self) -> None:
        self._kept.clear()
        self._bytes = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" \
                or scope["path"].startswith(PASSED):
            await self.app(scope, receive, send)
            return
        state = self.owner.state
        cache: AgendaCache = state.agenda
        if self._registered is not cache:
            cache.forgetters.append(weakref.WeakMethod(self.forget))
            self._registered = cache
        try:
            stamp = await cache.alook()
        except Exception:  # the database is away: the app answers as it does then
            stamp = None
        if stamp is None:
            await self.app(scope, receive, send)
            return
        key = _key(scope, state.ws.today())
        request_state = scope.setdefault("state", {})
        request_state["data_version"] = (cache.commits, stamp)
        found = self._find(cache, key, stamp)
        if found is not None:
            await _replay(found, send)
            return
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new loop (tests): nothing of the old one holds
            self._loop, self._flights = loop, Flights()
        flights = self._flights
        flight, wait_for, lead = flights.join(key, stamp, _Flight)
        if not lead:  # computed by another request, for data at least as new as this one's
            await flight.done.wait()
            if flight.answer is not None:
                await _replay(flight.answer, send)
            else:
                await self.app(scope, receive, send)
            return
        try:
            if wait_for is not None:  # one computation of a key at a time
                await wait_for.done.wait()
                flights.start(key, flight)
                found = self._find(cache, key, flight.stamp)
                if found is not None:  # what the one before computed is still good
                    flight.answer = found
                    await _replay(found, send)
                    return
            request_state["data_version"] = (cache.commits, flight.stamp)
            flight.answer = await self._through(cache, key, flight.stamp, scope, receive, send)
        finally:  # done, or the client left: those waiting go on (and compute if need be)
            flight.done.set()
            flights.end(key, flight)

    def _find(self, cache: AgendaCache, key: bytes, stamp: int) -> Answer | None:
        """The kept answer, if still good: not expired, and nothing it shows written since it
        was computed (the cache has learnt of every write up to ``stamp`` by now)."""
        found = self._kept.get(key)
        if found is None:
            return None
        if found.expires > time.monotonic() and cache.good(found.stamp, found.shows) and (
                found.ends is None or found.ends > self.owner.state.ws.now()):
            self._kept.move_to_end(key)
            return found
        self._bytes -= found.size
        del self._kept[key]
        return None

    async def _through(self, cache: AgendaCache, key: bytes, stamp: int, scope: Scope,
                       receive: Receive, send: Send) -> Answer | None:
        """Pass the request on; the answer, when the route let it be kept."""
        start: dict[str, Any] = {}
        body: list[bytes] = []
        whole, size = [False], [0]

        async def copy(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body" and size[0] <= ANSWER_BYTES:
                chunk = message.get("body", b"")
                size[0] += len(chunk)
                if size[0] <= ANSWER_BYTES:
                    body.append(chunk)
                    whole[0] = not message.get("more_body", False)
                else:  # too large to keep: let go of what was held
                    body.clear()
                    whole[0] = False
            await send(message)

        await self.app(scope, receive, copy)
        request_state = scope.get("state", {})
        if KEEP not in request_state or start.get("status") != 200 or not whole[0]:
            return None
        shows = request_state[KEEP]
        session = request_state.get("signed_in")
        token = request_state.get("new_csrf")
        slot = token.encode() if token else None
        content = b"".join(body)
        headers: list[tuple[bytes, bytes | list[bytes]]] = []
        for name, value in start.get("headers", []):
            if name.lower() == b"content-length":
                continue
            headers.append((name, value.split(slot) if slot and slot in value else value))
        answer = Answer(status=200, headers=headers,
                        body=content.split(slot) if slot else [content], stamp=stamp,
                        shows=shows, expires=time.monotonic() + SIGN_IN_TTL,
                        ends=session.expires_at if session is not None else None,
                        size=len(content), slotted=bool(slot))
        if cache.good(stamp, shows):
            old = self._kept.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._kept[key] = answer
            self._bytes += answer.size
            while self._bytes > KEPT_BYTES:
                _, dropped = self._kept.popitem(last=False)
                self._bytes -= dropped.size
        return answer


async def _replay(answer: Answer, send: Send) -> None:
    token = secrets.token_urlsafe(32).encode() if answer.slotted else b""
    body = token.join(answer.body)
    headers = [(name, token.join(value) if isinstance(value, list) else value)
               for name, value in answer.headers]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _key(scope: Scope, today: Any) -> bytes:
    """Everything of a GET that can change its answer, hashed (credentials included)."""
    parts = [scope.get("scheme", "http"), scope.get("root_path", ""), scope["path"],
             scope.get("query_string", b"").decode("latin-1"), today.isoformat()]
    for raw_name, raw_value in sorted(scope.get("headers", [])):
        name = raw_name.decode("latin-1").lower()
        if name in IGNORED or name.startswith(("sec-fetch-", "sec-ch-")):
            continue
        value = raw_value.decode("latin-1")
        if name == "cookie":  # ours only, read as the app reads them
            jar = cookie_parser(value)
            value = ";".join(f"{k}={jar.get(k, '')}" for k in (SESSION_COOKIE, CSRF_COOKIE))
        parts += [name, value]
    return hashlib.blake2b("\x00".join(parts).encode("utf-8", "surrogateescape"),
                           digest_size=20).digest()
