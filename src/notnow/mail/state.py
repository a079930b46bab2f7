"""Sync state in the database: which messages were seen, how far each folder was read.

These take a `Session` so that phase 2 can run them in the same transaction as the write a
message leads to (log a no, record a touch, opt-out). That is what makes a crash harmless:

    with db.write() as s:                        # one transaction per message
        row = remember_message(s, parsed, kind, origin, owner_id=owner, now=now)
        if row is None: continue                 # seen before (other folder, file, last run)
        … the service's write, in `s` …
        set_outcome(s, row, "rejection", rejection_id=…, contact_id=…)
        advance_folder(s, mailbox_id, folder, uidvalidity, uid, now=now)

A crash before the commit leaves nothing; after it, the message is known and skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from notnow.mail.parse import ParsedMessage
from notnow.storage.tables import MailFolderState, MailMessage

_CHUNK = 500


@dataclass(frozen=True)
class Origin:
    """Where a message was read: a mailbox folder and UID, or a file and message number."""

    mailbox_id: int | None = None
    folder: str | None = None
    uid: int | None = None
    source: str | None = None
    number: int | None = None


def seen(session: Session, owner_id: int, fingerprints: Iterable[str]) -> set[str]:
    """The fingerprints already recorded in `owner_id`'s mail (to skip a batch's known
    messages before reading them further)."""
    wanted = list(dict.fromkeys(fingerprints))
    found: set[str] = set()
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i:i + _CHUNK]
        found.update(session.execute(select(MailMessage.fingerprint)
                                     .where(MailMessage.owner_id == owner_id,
                                            MailMessage.fingerprint.in_(chunk))).scalars())
    return found


def remember_message(session: Session, message: ParsedMessage, kind: str, origin: Origin, *,
                     owner_id: int, now: datetime, outcome: str | None = None) -> int | None:
    """Record `message` as seen in `owner_id`'s mail; returns its row id, or None when it was
    already recorded (by this run, another folder, a file import, or a run that crashed after
    committing)."""
    values = {
        "owner_id": owner_id,
        "fingerprint": message.fingerprint,
        "message_id": (message.message_id or "")[:998] or None,
        "mailbox_id": origin.mailbox_id, "folder": _cut(origin.folder, 255),
        "uid": origin.uid, "source": _cut(origin.source, 1000), "number": origin.number,
        "sender": message.from_.email[:320] if message.from_ else None,
        "subject": _cut(message.subject, 300) or None, "sent_at": message.date,
        "kind": kind[:20], "seen_at": now, "outcome": outcome[:30] if outcome else None,
    }
    postgres = session.get_bind().dialect.name == "postgresql"
    row = session.execute(_REMEMBER[postgres], values).scalar()
    return None if row is None else int(row)


# built once per dialect (one runs for every message read): the values come as parameters
_TABLE: Table = MailMessage.__table__  # type: ignore[assignment]  # plain INSERT, UPDATE
_REMEMBER = {postgres: insert(_TABLE).on_conflict_do_nothing(
    index_elements=["owner_id", "fingerprint"]).returning(_TABLE.c.id)
    for postgres, insert in ((True, postgresql.insert), (False, sqlite.insert))}
_OUTCOME = update(_TABLE).where(_TABLE.c.id == bindparam("row_id")).values(
    outcome=bindparam("b_outcome"), contact_id=bindparam("b_contact"),
    rejection_id=bindparam("b_rejection"), touch_id=bindparam("b_touch"))


def set_outcome(session: Session, row_id: int, outcome: str, *, contact_id: int | None = None,
                rejection_id: int | None = None, touch_id: int | None = None) -> None:
    """What the message became ("rejection", "touch", "opt_out", "bounce", "skipped", …)."""
    session.execute(_OUTCOME, {"row_id": row_id, "b_outcome": outcome[:30],
                               "b_contact": contact_id, "b_rejection": rejection_id,
                               "b_touch": touch_id})


def find_by_message_id(session: Session, owner_id: int, message_id: str) -> MailMessage | None:
    """The message with this Message-ID in `owner_id`'s mail (a reply's In-Reply-To continues
    its thread)."""
    from notnow.mail.parse import message_id_hash

    return session.execute(select(MailMessage).where(
        MailMessage.owner_id == owner_id,
        MailMessage.fingerprint == message_id_hash(message_id))).scalar()


def folder_start(session: Session, mailbox_id: int, folder: str, uidvalidity: int) -> int:
    """The last UID done in this folder, or 0 when it was never read or its UIDVALIDITY
    changed (the server renumbered it: read it all again; fingerprints prevent doubles)."""
    state = session.execute(select(MailFolderState).where(
        MailFolderState.mailbox_id == mailbox_id, MailFolderState.folder == folder)).scalar()
    if state is None or state.uidvalidity != uidvalidity:
        return 0
    return int(state.last_uid)


def advance_folder(session: Session, mailbox_id: int, folder: str, uidvalidity: int,
                   last_uid: int, *, now: datetime) -> None:
    """Record that every UID up to `last_uid` is done (never moves back within the same
    UIDVALIDITY; a new UIDVALIDITY starts again from `last_uid`)."""
    state = session.execute(_FOLDER_FOR_UPDATE, {"box": mailbox_id, "folder": folder}).scalar()
    if state is None:
        session.add(MailFolderState(mailbox_id=mailbox_id, folder=folder[:255],
                                    uidvalidity=uidvalidity, last_uid=last_uid, updated_at=now))
        session.flush()
        return
    if state.uidvalidity != uidvalidity:
        state.uidvalidity, state.last_uid = uidvalidity, last_uid
    else:
        state.last_uid = max(int(state.last_uid), last_uid)
    state.updated_at = now


_FOLDER_FOR_UPDATE = select(MailFolderState).where(
    MailFolderState.mailbox_id == bindparam("box"),
    MailFolderState.folder == bindparam("folder")).with_for_update()
"""advance_folder's statement, built once (it runs for every message synced)."""


def _cut(value: str | None, length: int) -> str | None:
    return None if value is None else value[:length]
