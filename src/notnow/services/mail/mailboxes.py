"""Mailboxes: connect (store where and how to log in), list, remove.

A mailbox is its owner's: only they list, sync and draft into it; an admin may also remove
one (someone left). The secret itself is never stored — only where to find it
(``env:VARIABLE`` or ``keyring:SERVICE/USERNAME``), read when a sync runs.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from notnow.core.policy import Actor, may_manage_people
from notnow.errors import Conflict, InvalidInput, NotFound
from notnow.mail.imap import DEFAULT_PORTS, AuthKind, Security
from notnow.mail.parse import normalise_address
from notnow.mail.secrets import parse_secret_ref
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage.tables import Job, Mailbox, MailFolderState

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
_HOST = re.compile(r"^[A-Za-z0-9.:\[\]-]{1,255}$")
_FOLDER_BAD = re.compile(r"[\x00-\x1f\x7f*%]")
SYNC_KIND = "mail.sync"


class MailboxPublic(BaseModel):
    id: int
    name: str
    owner_id: int
    host: str
    port: int
    security: str
    username: str
    auth_kind: str
    secret: str
    """Where the secret is read from (``env:VARIABLE``), never the secret."""
    folder: str
    sent_folder: str | None
    drafts_folder: str | None
    own_addresses: list[str]
    everything: bool
    enabled: bool
    last_sync_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    last_summary: dict[str, Any] | None
    created_at: datetime


def mailbox_public(box: Mailbox) -> MailboxPublic:
    return MailboxPublic(
        id=box.id, name=box.name, owner_id=box.owner_id, host=box.host, port=box.port,
        security=box.security, username=box.username, auth_kind=box.auth_kind,
        secret=box.secret_ref, folder=box.folder, sent_folder=box.sent_folder,
        drafts_folder=box.drafts_folder, own_addresses=[str(a) for a in box.own_addresses or []],
        everything=bool(box.everything), enabled=bool(box.enabled),
        last_sync_at=box.last_sync_at, last_error=box.last_error,
        last_error_at=box.last_error_at, last_summary=box.last_summary,
        created_at=box.created_at)


def _folder(value: str | None, field: str, *, required: bool = False) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise InvalidInput("name the folder", field=field)
        return None
    if len(text) > 255 or _FOLDER_BAD.search(text):
        raise InvalidInput(f"{text[:60]!r} is not a folder name", field=field)
    return text


def connect_mailbox(ws: Workspace, actor: Actor, name: str, *, host: str, username: str,
                    password_env: str | None = None, oauth2_token_env: str | None = None,
                    secret_ref: str | None = None, port: int | None = None,
                    security: str = "tls", folder: str = "INBOX",
                    sent_folder: str | None = "Sent", drafts_folder: str | None = "Drafts",
                    addresses: list[str] | None = None,
                    everything: bool = False) -> MailboxPublic:
    """Store a mailbox of the actor's (or change theirs of the same name)."""
    if not _NAME.match(name or ""):
        raise InvalidInput("a mailbox name is 1 to 100 letters, digits, '.', '_', '@' or '-'",
                           field="name")
    host = (host or "").strip()
    if not _HOST.match(host):
        raise InvalidInput("give the IMAP server's host name (e.g. imap.gmail.com)",
                           field="host")
    username = (username or "").strip()
    if not username or len(username) > 320 or not username.isprintable():
        raise InvalidInput("give the user name to log in with", field="username")
    given = [x for x in (password_env, oauth2_token_env, secret_ref) if x]
    if len(given) != 1:
        raise InvalidInput("give exactly one of --password-env VAR or --oauth2-token-env VAR "
                           "(the name of an environment variable, never the secret)",
                           field="password_env")
    if secret_ref:
        ref = parse_secret_ref(secret_ref)
    else:
        ref = parse_secret_ref(f"env:{password_env or oauth2_token_env}")
    auth = AuthKind.OAUTH2 if oauth2_token_env else AuthKind.PASSWORD
    try:
        sec = Security(security)
    except ValueError:
        raise InvalidInput("security is tls, starttls or none", field="security") from None
    if port is not None and not 1 <= port <= 65535:
        raise InvalidInput("a port is 1 to 65535", field="port")
    own = []
    for raw in [username, *(addresses or [])]:
        email = normalise_address(raw)
        if email is None:
            if raw is username:
                continue
            raise InvalidInput(f"{raw[:80]!r} is not an email address", field="addresses")
        own.append(email)
    now = ws.now()
    with ws.db.write() as s:
        box = s.scalar(select(Mailbox).where(Mailbox.name == name))
        if box is not None and box.owner_id != actor.id:
            raise Conflict(f"the mailbox name {name!r} is taken: choose another", field="name")
        created = box is None
        if box is None:
            box = Mailbox(name=name, owner_id=actor.id, created_at=now)
            s.add(box)
        box.host, box.port = host, port or DEFAULT_PORTS[sec]
        box.security, box.username = sec.value, username
        box.auth_kind, box.secret_ref = auth.value, str(ref)
        box.folder = _folder(folder, "folder", required=True) or "INBOX"
        box.sent_folder = _folder(sent_folder, "sent_folder")
        box.drafts_folder = _folder(drafts_folder, "drafts_folder")
        box.own_addresses = list(dict.fromkeys(own))
        box.everything = everything
        box.enabled = True
        s.flush()
        record(s, actor, "mailbox.connected" if created else "mailbox.changed", "mailbox",
               box.id, at=now, owner_id=actor.id,
               after={"name": name, "host": host, "username": username,
                      "secret": str(ref), "everything": everything})
        out = mailbox_public(box)
    schedule_sync(ws, out.id, now=now)
    return out


def schedule_sync(ws: Workspace, mailbox_id: int, *, now: datetime,
                  run_at: datetime | None = None) -> int:
    """The mailbox's recurring sync job (one per mailbox); returns its id."""
    from notnow.services.mail.jobs import SYNC_EVERY
    from notnow.worker import enqueue

    return enqueue(ws.db, SYNC_KIND, {"mailbox": mailbox_id}, key=f"mailbox:{mailbox_id}",
                   now=now, run_at=run_at, every=SYNC_EVERY)


def list_mailboxes(ws: Workspace, actor: Actor) -> list[MailboxPublic]:
    """The actor's own mailboxes."""
    with ws.db.read() as s:
        return [mailbox_public(b) for b in s.scalars(
            select(Mailbox).where(Mailbox.owner_id == actor.id).order_by(Mailbox.name))]


def get_mailbox(s: Session, actor: Actor, name: str | int, *,
                manage: bool = False) -> Mailbox:
    """The actor's mailbox by name or id (with ``manage``: an admin's reach is everyone's);
    anyone else's does not exist for them."""
    q = select(Mailbox)
    q = q.where(Mailbox.id == name) if isinstance(name, int) else q.where(Mailbox.name == name)
    box = s.scalar(q)
    if box is None or (box.owner_id != actor.id and not (manage and may_manage_people(actor))):
        raise NotFound(f"no mailbox {name}", field="name")
    return box


def show_mailbox(ws: Workspace, actor: Actor, name: str | int) -> MailboxPublic:
    with ws.db.read() as s:
        return mailbox_public(get_mailbox(s, actor, name))


def remove_mailbox(ws: Workspace, actor: Actor, name: str | int) -> MailboxPublic:
    """Forget a mailbox: its connection, folder positions and sync job. The messages it
    brought stay remembered (so they are never read twice) and what they led to stays."""
    now = ws.now()
    with ws.db.write() as s:
        box = get_mailbox(s, actor, name, manage=True)
        out = mailbox_public(box)
        s.execute(delete(MailFolderState).where(MailFolderState.mailbox_id == box.id))
        s.execute(delete(Job).where(Job.kind == SYNC_KIND, Job.key == f"mailbox:{box.id}"))
        s.delete(box)
        record(s, actor, "mailbox.removed", "mailbox", out.id, at=now, owner_id=out.owner_id,
               before={"name": out.name, "host": out.host})
        return out


def request_sync(ws: Workspace, actor: Actor, name: str | int) -> dict[str, Any]:
    """"Sync now": the mailbox's job is due at once (the worker runs it; nothing here waits
    for the server). Returns the job's id and when it runs."""
    from sqlalchemy import update

    now = ws.now()
    with ws.db.read() as s:
        box = get_mailbox(s, actor, name)
        box_id, box_name = box.id, box.name
    job_id = schedule_sync(ws, box_id, now=now)
    with ws.db.write() as s:
        s.execute(update(Job).where(Job.id == job_id, Job.status == "pending")
                  .values(run_at=now))
    return {"mailbox": box_name, "job_id": job_id, "run_at": now}
