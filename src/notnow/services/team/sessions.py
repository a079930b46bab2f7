"""Signed-in browsers (team mode): server-side sessions in the ``web_sessions`` table.

The cookie holds a random 256-bit id and nothing else; the table keeps only its SHA-256, with
the user, the session's CSRF token and when it expires. So the cookie carries no claim that a
key could forge, and ending a session is deleting its row:

* signing out deletes it — the cookie is dead at once, on every copy of it;
* disabling a user deletes all of theirs (`auth.disable_user`, in the same transaction);
* a session ends after `IDLE` without a request, and `LIFETIME` after sign-in whatever happens.

No signing key is needed anywhere: nothing is read from the cookie but the id to look up.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete

from notnow.core.policy import Actor
from notnow.errors import AuthenticationFailed
from notnow.services.team.acting import actor_from_row
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage.tables import User, WebSession

IDLE = timedelta(hours=12)
"""A session not used for this long has ended (sign in again the next working day)."""
LIFETIME = timedelta(days=7)
"""A session ends this long after sign-in, however busy."""
REFRESH = timedelta(minutes=5)
"""How stale `last_seen_at` may get before a request writes it again (not a write per click)."""
MAX_TOKEN = 200


@dataclass(frozen=True)
class NewSession:
    token: str
    """The cookie's value: shown to the browser once, stored only as its SHA-256."""
    csrf: str
    expires_at: datetime


@dataclass(frozen=True)
class SignedIn:
    """A live session: who it acts for and the CSRF token its forms must carry."""

    actor: Actor
    csrf: str
    expires_at: datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _expiry(created: datetime, now: datetime) -> datetime:
    return min(created + LIFETIME, now + IDLE)


def start_session(ws: Workspace, actor: Actor, *, client: str | None = None) -> NewSession:
    """A new session for `actor` (just signed in); sessions that have ended are swept away."""
    now = ws.now()
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    with ws.db.write() as s:
        s.execute(delete(WebSession).where(WebSession.expires_at <= now))
        user = s.get(User, actor.id)
        if user is None or not user.active:  # disabled between the password check and now
            raise AuthenticationFailed("wrong email or password", field="password")
        row = WebSession(id=_digest(token), user_id=user.id, csrf=csrf, created_at=now,
                         last_seen_at=now, expires_at=_expiry(now, now),
                         client=(client or "")[:64] or None)
        s.add(row)
        record(s, actor_from_row(s, user), "user.signed_in", "user", user.id, at=now,
               owner_id=user.id, after={"client": row.client})
        return NewSession(token=token, csrf=csrf, expires_at=row.expires_at)


def session_for(ws: Workspace, token: str | None) -> SignedIn | None:
    """The live session a cookie names, or None (unknown, ended, or its user disabled)."""
    if not token or len(token) > MAX_TOKEN:
        return None
    digest = _digest(token)
    now = ws.now()
    with ws.db.read() as s:
        row = s.get(WebSession, digest)
        if row is None:
            return None
        user = s.get(User, row.user_id)
        if row.expires_at <= now or user is None or not user.active:
            live = None
        else:
            live = SignedIn(actor=actor_from_row(s, user), csrf=row.csrf,
                            expires_at=row.expires_at)
        stale = now - row.last_seen_at >= REFRESH
        created = row.created_at
    if live is None:
        with ws.db.write() as s:
            s.execute(delete(WebSession).where(WebSession.id == digest))
        return None
    if stale:
        with ws.db.write() as s:
            fresh = s.get(WebSession, digest)
            if fresh is not None:
                fresh.last_seen_at = now
                fresh.expires_at = _expiry(created, now)
    return live


def end_session(ws: Workspace, token: str | None) -> bool:
    """Sign out: the session's row is deleted, so its cookie works nowhere any more."""
    if not token or len(token) > MAX_TOKEN:
        return False
    with ws.db.write() as s:
        row = s.get(WebSession, _digest(token))
        if row is None:
            return False
        owner = s.get(User, row.user_id)
        s.delete(row)
        record(s, actor_from_row(s, owner) if owner is not None else None, "user.signed_out",
               "user", row.user_id, at=ws.now(), owner_id=row.user_id)
        return True

