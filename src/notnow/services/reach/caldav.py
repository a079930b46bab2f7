"""CalDAV push as use cases: each person connects their own calendar server, and the worker
keeps it in step with what their feed would show (read as them, through the policy).

The password is never stored: ``password_env`` names an environment variable of the worker
(``env:NAME``), or ``keyring`` the system keyring (``keyring:SERVICE``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy import select

from notnow.core.policy import Actor
from notnow.errors import InvalidInput, NotnowError
from notnow.reach import caldav as lib
from notnow.reach.secrets import check_env_name
from notnow.services.playbook import team_settings
from notnow.services.reach import schedule
from notnow.services.reach.feed import reader
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage.tables import CaldavAccount, User

AHEAD = timedelta(days=366)
"""How far ahead follow-ups are written to the calendar (as far as the feed shows)."""


def connect(ws: Workspace, actor: Actor, *, url: str, username: str,
            password_env: str | None = None, keyring_service: str | None = None,
            calendar: str = "notnow") -> lib.CaldavAccountInfo:
    """Set (or replace) the actor's own calendar server. Nothing is sent until the next sync
    (the worker's, or `sync_mine`)."""
    if (password_env is None) == (keyring_service is None):
        raise InvalidInput("say where the password is: an environment variable "
                           "(--password-env NAME) or the keyring (--keyring SERVICE)",
                           field="password_env")
    if password_env is not None:
        ref = f"env:{check_env_name(password_env, field='password_env')}"
    else:
        ref = f"keyring:{keyring_service}"
    info = lib.connect_account(ws.db, actor.id, url=url, username=username, secret_ref=ref,
                               now=ws.now(), calendar=calendar)
    with ws.db.write() as s:
        schedule.ensure(s, schedule.CALDAV, ws.now(), wake=True)
        record(s, actor, "caldav.connected", "user", actor.id, at=ws.now(), owner_id=actor.id,
               after={"url": url, "username": username, "calendar": calendar})
    return info


def status(ws: Workspace, actor: Actor) -> lib.CaldavAccountInfo | None:
    """The actor's calendar server, last sync and last error (None: none set)."""
    return lib.get_account(ws.db, actor.id)


def disconnect(ws: Workspace, actor: Actor) -> None:
    """Forget the actor's calendar server (what was written there stays)."""
    lib.remove_account(ws.db, actor.id)
    with ws.db.write() as s:
        record(s, actor, "caldav.disconnected", "user", actor.id, at=ws.now(),
               owner_id=actor.id)


def _sync(ws: Workspace, user_id: int, environ: Mapping[str, str]) -> lib.SyncReport:
    today = ws.today()
    with ws.db.read() as s:
        items = reader(ws)(s, user_id, today, today + AHEAD)
    return lib.sync_account(ws.db, user_id, items, workspace_id=ws.workspace_id,
                            now=ws.now(), environ=environ,
                            touch_hour=team_settings(ws).touch_hour)


def sync_mine(ws: Workspace, actor: Actor, *, environ: Mapping[str, str]) -> lib.SyncReport:
    """Bring the actor's calendar in step now."""
    return _sync(ws, actor.id, environ)


def sync_all(ws: Workspace, *, environ: Mapping[str, str]) -> tuple[int, list[str]]:
    """The worker's job: every active person's calendar. One server's failure is kept on its
    account (``last_error``) and does not stop the others. Returns (synced, errors)."""
    with ws.db.read() as s:
        people = list(s.scalars(select(CaldavAccount.user_id)
                                .join(User, User.id == CaldavAccount.user_id)
                                .where(User.active.is_(True)).order_by(CaldavAccount.user_id)))
    synced, errors = 0, []
    for user_id in people:
        try:
            _sync(ws, user_id, environ)
            synced += 1
        except NotnowError as exc:
            errors.append(f"user {user_id}: {exc.message}")
    return synced, errors
