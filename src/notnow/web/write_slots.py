"""Writes never take every thread: reads keep room to be answered.

Each process runs request handlers on a fixed number of threads (``notnow serve --threads``).
A write can wait on the database: for the SQLite file's write lock, or for an account or
contact that another transaction holds on PostgreSQL (someone's open ``psql`` session, a hung
process, a long import) — up to :data:`notnow.storage.engine.LOCK_WAIT_MS` each, and with
writes arriving all the time, for as long as that other transaction lasts. Were every thread
such a write, nothing else would be answered: one stuck session would stall the server.

So at most :func:`slots` writes (a request of any method but GET, HEAD and OPTIONS) run at
once in a process; the others wait their turn here, on the event loop, holding no thread, and
the threads left over always serve reads. Waiting writes go in the order they came.

A write takes its slot once its body has arrived, not before: a client that sends its body
slowly, or never finishes it, holds a connection and nothing else — as before there were
slots. A body of up to :data:`READ_AHEAD` bytes is read here first; a longer one (a file
uploaded) is passed on as it comes, and its write takes the slot when the app reads its last
part.

A heavy read — a route that depends on :data:`HeavyRead`, one that reads a whole history, as
the loss report does for seconds on a million rejections — takes one of those slots too, and
at most :func:`heavy_slots` run at once: eight managers opening the report together used to
take every thread (a plain read then waited 28 s behind them); now they take their turns on
the event loop, and the threads kept for reads stay free.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

READS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_AHEAD = 1 << 20
"""Bytes of a write's body read before it takes a slot (a form, a JSON document)."""


def slots(threads: int) -> int:
    """How many writes may hold a thread at once: a quarter of the threads (at least one) is
    kept for reads; with one thread there is nothing to keep."""
    return max(1, threads - max(1, threads // 4))


def heavy_slots(threads: int) -> int:
    """How many heavy reads may run at once: a quarter of the threads, at least one."""
    return max(1, threads // 4)


class WriteSlots:
    """ASGI layer: at most ``slots(threads)`` writes and heavy reads inside at once, of
    which at most ``heavy_slots(threads)`` heavy reads; other reads pass freely."""

    def __init__(self, app: ASGIApp, threads: int) -> None:
        self.app = app
        self.limit = slots(threads)
        self.heavy_limit = heavy_slots(threads)
        self._room: asyncio.Semaphore | None = None
        self._heavy_room: asyncio.Semaphore | None = None

    def _rooms(self) -> tuple[asyncio.Semaphore, asyncio.Semaphore]:
        if self._room is None or self._heavy_room is None:  # on the server's event loop
            self._room = asyncio.Semaphore(self.limit)
            self._heavy_room = asyncio.Semaphore(self.heavy_limit)
        return self._room, self._heavy_room

    @asynccontextmanager
    async def heavy_turn(self) -> AsyncIterator[None]:
        """A heavy read's turn: among the heavy reads first, then a slot."""
        room, heavy_room = self._rooms()
        async with heavy_room, room:
            yield

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in READS:
            await self.app(scope, receive, send)
            return
        room, _heavy = self._rooms()
        early: list[Message] = []
        size, whole = 0, False
        while not whole and size <= READ_AHEAD:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left before its request was in: nothing to answer
            early.append(message)
            size += len(message.get("body", b""))
            whole = not message.get("more_body", False)
        held = False

        async def pass_on() -> Any:
            nonlocal held
            if early:
                return early.pop(0)
            message = await receive()
            if (message["type"] == "http.request" and not message.get("more_body", False)
                    and not held):
                await room.acquire()  # the rest of a long body is in: now its turn
                held = True
            return message

        if whole:
            await room.acquire()
            held = True
        try:
            await self.app(scope, pass_on, send)
        finally:
            if held:
                room.release()


async def _heavy_read(request: Request) -> AsyncIterator[None]:
    layer: WriteSlots | None = getattr(request.app.state, "write_slots", None)
    if layer is None:  # an app served without notnow's layers (a test's client of a router)
        yield
        return
    async with layer.heavy_turn():
        yield


HeavyRead: Any = Depends(_heavy_read)
"""A route's dependency that makes it a heavy read: ``@router.get(…, dependencies=[HeavyRead])``
(it waits for its turn on the event loop, before the handler takes a thread)."""
