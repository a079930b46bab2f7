"""Idempotency keys: a request retried with the same key gets the first answer, and nothing
is recorded twice.

A client that sends ``Idempotency-Key: <key>`` with a request that creates something (a script
retrying after a timeout, a browser sending twice) is answered, for the same person, route and
body, with what the first copy got. The keys live in the database (``idempotency_keys``), so it
holds across worker processes and machines:

1. :func:`claim` inserts the key with no answer yet — a unique index on (person, key) lets only
   one copy of concurrent duplicates in; the others learn that it is still running (409) or,
   once it has answered, get its answer;
2. the request runs; :func:`remember` keeps a success's answer, :func:`release` forgets the key
   of a request that failed (nothing was recorded: a retry runs afresh).

The same key with another route or body is a mistake in the client: refused (422), never
replayed. Keys expire after 24 hours. The web app applies this to every API ``POST``
(`notnow.web.idempotency`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from notnow.core.policy import Actor
from notnow.errors import Conflict, InvalidInput
from notnow.services.workspace import Workspace
from notnow.storage.tables import IdempotencyKey

HEADER = "Idempotency-Key"
TTL = timedelta(hours=24)
"""How long a key is remembered."""
STALE = timedelta(minutes=5)
"""A first copy that has not answered after this long died with its server: a retry runs."""
MAX_KEY = 200


@dataclass(frozen=True)
class Answer:
    """The first copy's answer, given again to a retry."""

    status_code: int
    body: str


def fingerprint(route: str, body: bytes) -> str:
    """What makes two requests the same request: route (method, path, query) and body."""
    return hashlib.sha256(route.encode() + b"\n" + body).hexdigest()


def check_key(key: str) -> str:
    """A key is 1 to 200 printable ASCII characters (a UUID is a good one)."""
    if not key or len(key) > MAX_KEY or not all(" " < ch <= "~" for ch in key):
        raise InvalidInput(f"use 1 to {MAX_KEY} printable ASCII characters without spaces "
                           "(a UUID is a good key)", field=HEADER)
    return key


def claim(ws: Workspace, actor: Actor, key: str, route: str, digest: str) -> Answer | None:
    """Claim ``key`` for this request. None: this is the first copy — run it, then
    :func:`remember` or :func:`release`. An Answer: the first copy's, to give again.

    Raises Conflict while the first copy still runs, InvalidInput when the key was used for
    another request.
    """
    check_key(key)
    for _ in range(2):
        try:
            with ws.db.write() as s:
                now = ws.now()
                s.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < now - TTL))
                s.execute(delete(IdempotencyKey).where(
                    IdempotencyKey.actor_id == actor.id, IdempotencyKey.key == key,
                    IdempotencyKey.status_code.is_(None),
                    IdempotencyKey.created_at < now - STALE))
                row = s.scalar(select(IdempotencyKey).where(IdempotencyKey.actor_id == actor.id,
                                                            IdempotencyKey.key == key))
                if row is None:
                    s.add(IdempotencyKey(actor_id=actor.id, key=key, route=route[:300],
                                         fingerprint=digest, created_at=now))
                    s.flush()
                    return None
                if row.fingerprint != digest:
                    was = f" ({row.route})" if row.route and row.route != route else ""
                    raise InvalidInput(f"this key was used for another request{was}: use a new "
                                       "key for a new request", field=HEADER)
                if row.status_code is None:
                    raise Conflict("a request with this key is still running; retry in a "
                                   "moment to get its answer", field=HEADER)
                return Answer(row.status_code, row.body or "")
        except Conflict as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise
            # a concurrent copy inserted the key first (the unique index): read what it left
    raise Conflict("a request with this key is still running; retry in a moment",
                   field=HEADER)


def remember(ws: Workspace, actor: Actor, key: str, answer: Answer) -> None:
    """Keep the first copy's answer for its retries."""
    with ws.db.write() as s:
        s.execute(update(IdempotencyKey)
                  .where(IdempotencyKey.actor_id == actor.id, IdempotencyKey.key == key)
                  .values(status_code=answer.status_code, body=answer.body))


def release(ws: Workspace, actor: Actor, key: str) -> None:
    """Forget the key of a request that recorded nothing (it failed): a retry runs afresh."""
    with ws.db.write() as s:
        s.execute(delete(IdempotencyKey).where(IdempotencyKey.actor_id == actor.id,
                                               IdempotencyKey.key == key,
                                               IdempotencyKey.status_code.is_(None)))
