"""The messages notnow has read: what each became, and where it came from.

Mail records belong to the mail's owner and are read with the same rule as their other
records (:func:`notnow.services.lookup.owned`): a manager sees their team's, an admin
everyone's; anyone else's do not exist for the reader.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select

from notnow.core.policy import Actor
from notnow.errors import InvalidInput
from notnow.services.lookup import owned, resolve_contact
from notnow.services.workspace import Workspace
from notnow.storage.tables import Mailbox, MailMessage

MAX_LIMIT = 1000


class MailMessagePublic(BaseModel):
    id: int
    owner_id: int
    mailbox: str | None
    folder: str | None
    uid: int | None
    source: str | None
    number: int | None
    message_id: str | None
    sender: str | None
    subject: str | None
    sent_at: datetime | None
    kind: str
    outcome: str | None
    contact_id: int | None
    rejection_id: int | None
    touch_id: int | None
    seen_at: datetime

    @property
    def where(self) -> str:
        if self.source:
            return f"{self.source} #{self.number}" if self.number else self.source
        return f"{self.mailbox or '?'}/{self.folder} UID {self.uid}"


def list_messages(ws: Workspace, actor: Actor, *, outcome: str | None = None,
                  contact: str | int | None = None, rejection: int | None = None,
                  limit: int = 100, offset: int = 0) -> list[MailMessagePublic]:
    """Messages read from the mail the actor may see, newest first."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit is 1 to {MAX_LIMIT}", field="limit")
    with ws.db.read() as s:
        q = (select(MailMessage, Mailbox.name).outerjoin(Mailbox,
                                                         Mailbox.id == MailMessage.mailbox_id)
             .where(owned(actor, MailMessage.owner_id))
             .order_by(MailMessage.id.desc()))
        if outcome:
            q = q.where(MailMessage.outcome == outcome)
        if contact is not None:
            q = q.where(MailMessage.contact_id == resolve_contact(s, actor, contact).id)
        if rejection is not None:
            q = q.where(MailMessage.rejection_id == rejection)
        return [_public(m, name) for m, name in s.execute(q.limit(limit).offset(offset))]


def _public(m: MailMessage, mailbox: str | None) -> MailMessagePublic:
    return MailMessagePublic(
        id=m.id, owner_id=m.owner_id, mailbox=mailbox, folder=m.folder, uid=m.uid,
        source=m.source, number=m.number, message_id=m.message_id, sender=m.sender,
        subject=m.subject, sent_at=m.sent_at, kind=m.kind, outcome=m.outcome,
        contact_id=m.contact_id, rejection_id=m.rejection_id, touch_id=m.touch_id,
        seen_at=m.seen_at)
