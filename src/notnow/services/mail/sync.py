"""Syncing a mailbox over IMAP: what is new in its folder and Sent folder, incrementally.

For each folder: SELECT gives the UIDVALIDITY; the folder's stored position says the last
UID done under it (none, or another UIDVALIDITY: the folder is read again from the start,
and the fingerprints keep that from doubling anything). New UIDs are fetched in batches and
read by `ingest.Ingest`, each message committed with its folder position — so a sync cut by
a crash or a dropped connection goes on, next time, from the last message committed.

The secret is read from the environment mapping passed in (or the system keyring) at the
moment of connecting, and kept nowhere. A failure is recorded on the mailbox in plain words
(shown on the mail page) and raised.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable, Mapping
from typing import Any

from notnow.core.policy import Actor
from notnow.errors import MailError, MailServerError, NotFound, NotnowError
from notnow.mail.imap import DEFAULT_BATCH, AuthKind, Fetched, ImapClient, ImapSettings, Security
from notnow.mail.parse import parse_message
from notnow.mail.secrets import parse_secret_ref, resolve_secret
from notnow.mail.state import Origin, folder_start
from notnow.services.mail.ingest import Ingest, Item, Tally, reader_for
from notnow.services.mail.mailboxes import get_mailbox
from notnow.services.workspace import Workspace
from notnow.storage.tables import Mailbox


def sync_mailbox(ws: Workspace, actor: Actor, name: str | int, *, environ: Mapping[str, str],
                 progress: Callable[[Tally], None] | None = None,
                 heartbeat: Callable[[], bool] | None = None,
                 ssl_context: ssl.SSLContext | None = None,
                 batch: int = DEFAULT_BATCH) -> dict[str, Any]:
    """Fetch and read what is new in the actor's mailbox `name`; returns the summary."""
    started = time.monotonic()
    with ws.db.read() as s:
        box = get_mailbox(s, actor, name)
        box_id, box_name = box.id, box.name
        folders = list(dict.fromkeys(f for f in (box.folder, box.sent_folder) if f))
        sent_folder = box.sent_folder
        reader = reader_for(s, actor, box)
        where = (box.host, box.port, box.username, Security(box.security),
                 AuthKind(box.auth_kind))
        ref = box.secret_ref
    tally = Tally()
    per_folder: dict[str, dict[str, int]] = {}
    try:
        secret = resolve_secret(parse_secret_ref(ref), environ)
        host, port, username, security, auth = where
        settings = ImapSettings(host=host, port=port, username=username, secret=secret,
                                security=security, auth=auth, ssl_context=ssl_context)
        ingest = Ingest(ws, reader, tally, sent_folder=sent_folder, progress=progress)
        with ImapClient(settings) as imap:
            for folder in folders:
                per_folder[folder] = _sync_folder(ws, imap, ingest, box_id, folder,
                                                  batch=batch, heartbeat=heartbeat)
        ingest.close()
    except (MailServerError, NotFound) as exc:
        _record(ws, box_id, error=exc.message)
        raise
    summary = {"mailbox": box_name, "folders": per_folder, **tally.as_dict(),
               "seconds": round(time.monotonic() - started, 3)}
    _record(ws, box_id, summary=summary)
    return summary


def sync_all(ws: Workspace, actor: Actor, *, environ: Mapping[str, str],
             progress: Callable[[Tally], None] | None = None) -> list[dict[str, Any]]:
    """Sync each of the actor's enabled mailboxes; one failing does not stop the others
    (its error is in its summary)."""
    from sqlalchemy import select

    with ws.db.read() as s:
        names = list(s.scalars(select(Mailbox.name).where(
            Mailbox.owner_id == actor.id, Mailbox.enabled.is_(True)).order_by(Mailbox.name)))
    out: list[dict[str, Any]] = []
    for name in names:
        try:
            out.append(sync_mailbox(ws, actor, name, environ=environ, progress=progress))
        except NotnowError as exc:
            out.append({"mailbox": name, "error": exc.message})
    return out


def _sync_folder(ws: Workspace, imap: ImapClient, ingest: Ingest, box_id: int, folder: str, *,
                 batch: int, heartbeat: Callable[[], bool] | None) -> dict[str, int]:
    state = imap.select(folder)
    with ws.db.read() as s:
        start = folder_start(s, box_id, folder, state.uidvalidity)
    uids = imap.uids_after(start)
    items: list[Item] = []
    for got in imap.fetch(uids, batch=batch):
        advance = (box_id, folder, state.uidvalidity, got.uid)
        origin = Origin(box_id, folder, got.uid)
        if not isinstance(got, Fetched):
            ingest.broken(origin, got.why, advance)
            continue
        try:
            items.append((parse_message(got.data, source=folder, number=got.uid), origin,
                          advance))
        except MailError as exc:
            ingest.batch(items)
            items = []
            ingest.broken(origin, str(exc.details.get("why") or exc.message), advance)
        if len(items) >= batch:
            ingest.batch(items)
            items = []
            if heartbeat is not None and not heartbeat():
                raise MailServerError("the sync took too long and another worker took it over",
                                      reason="cut")
    ingest.batch(items)
    return {"uidvalidity": state.uidvalidity, "from_uid": start, "new": len(uids)}


def _record(ws: Workspace, box_id: int, *, error: str | None = None,
            summary: dict[str, Any] | None = None) -> None:
    now = ws.now()
    with ws.db.write() as s:
        box = s.get(Mailbox, box_id)
        if box is None:
            return
        if error is not None:
            box.last_error, box.last_error_at = error[:2000], now
        else:
            box.last_sync_at, box.last_error = now, None
            box.last_summary = summary
