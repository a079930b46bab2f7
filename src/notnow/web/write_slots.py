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
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

READS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_AHEAD = 1 << 20
"""Bytes of a write's body read before it takes a slot (a form, a JSON document)."""


def slots(threads: int) -> int:
    """How many writes may hold a thread at once: a quarter of the threads (at least one) is
    kept for reads; with one thread there is nothing to keep."""
    return max(1, threads - max(1, threads // 4))


class WriteSlots:
    """ASGI layer: at most ``slots(threads)`` writes inside at once; reads pass freely."""

    def __init__(self, app: ASGIApp, threads: int) -> None:
        self.app = app
        self.limit = slots(threads)
        self._room: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in READS:
            await self.app(scope, receive, send)
            return
        if self._room is None:  # made on the server's event loop, at its first write
            self._room = asyncio.Semaphore(self.limit)
        room = self._room
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
