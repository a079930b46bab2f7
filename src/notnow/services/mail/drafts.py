"""A reply to a rejection, placed in the mailbox's Drafts folder — never sent by notnow.

The reply is the one `notnow reply` shows (:func:`notnow.services.followups.replies.
draft_reply`: calm, tone-checked), or the person's own text; it is placed only after the
cooling-off period, only when its tone is calm, never for a do-not-contact contact or to an
address that bounced, threaded to the prospect's message when notnow read it from mail
(In-Reply-To, References). The salesperson reviews and sends it from their mail client.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from notnow.core.caps import ensure_contactable
from notnow.core.policy import Actor
from notnow.errors import Conflict, InvalidInput
from notnow.mail.draft import DraftAddress, build_draft
from notnow.mail.imap import AuthKind, ImapClient, ImapSettings, Security
from notnow.mail.secrets import parse_secret_ref, resolve_secret
from notnow.services.facts import contact_facts
from notnow.services.lookup import get_rejection
from notnow.services.mail.mailboxes import get_mailbox
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage.locks import lock_contact
from notnow.storage.tables import Contact, Mailbox, MailMessage, User


def place_draft(ws: Workspace, actor: Actor, rejection: str | int, *,
                environ: Mapping[str, str], mailbox: str | None = None,
                text: str | None = None,
                ssl_context: ssl.SSLContext | None = None) -> dict[str, Any]:
    """Put a reply to `rejection` in the Drafts folder of the actor's mailbox."""
    from notnow.services.followups.replies import draft_reply

    with ws.db.read() as s:  # someone else's rejection does not exist for the actor
        get_rejection(s, actor, rejection, write=True)
    proposed = draft_reply(ws, actor, rejection)  # refuses a do-not-contact contact
    now = ws.now()
    if now < datetime.fromisoformat(proposed.can_send_from):
        raise Conflict(f"cooling off: the reply can go from {proposed.can_send_from}",
                       field="rejection", can_send_from=proposed.can_send_from)
    body = (text or "").strip() or proposed.body
    if not text and not proposed.tone.calm:
        raise Conflict("the proposed reply's tone needs a look first (notnow reply "
                       f"{proposed.rejection_id}); give your own text", field="text")
    with ws.db.read() as s:
        row = get_rejection(s, actor, rejection, write=True)
        contact = s.get(Contact, row.contact_id) if row.contact_id else None
        if contact is None or not contact.email:
            raise InvalidInput("this contact has no email address", field="rejection")
        ensure_contactable(contact_facts(contact), action="place a reply draft")
        if contact.email_bounced_at is not None:
            raise Conflict(f"mail to {contact.email} bounced: check the address first",
                           field="rejection")
        box = _mailbox(s, actor, mailbox)
        if not box.drafts_folder:
            raise InvalidInput(f"the mailbox {box.name!r} has no drafts folder "
                               "(notnow mail connect … --drafts-folder Drafts)", field="mailbox")
        source = s.scalar(select(MailMessage).where(MailMessage.rejection_id == row.id,
                                                    MailMessage.owner_id == actor.id))
        me = s.get(User, actor.id)
        sender = (box.own_addresses or [None])[0] or (me.email if me else None) or box.username
        message = build_draft(
            from_=DraftAddress(str(sender), me.name if me else ""),
            to=DraftAddress(contact.email, contact.name),
            body=body, subject=(source.subject if source and source.subject
                                else proposed.subject),
            in_reply_to=source.message_id if source and source.message_id else None,
            now=now)
        settings = ImapSettings(host=box.host, port=box.port, username=box.username,
                                secret=resolve_secret(parse_secret_ref(box.secret_ref), environ),
                                security=Security(box.security), auth=AuthKind(box.auth_kind),
                                ssl_context=ssl_context)
        folder, box_name, contact_id = box.drafts_folder, box.name, contact.id
        rejection_id, to_email = row.id, contact.email
    with ws.db.write() as s:  # the opt-out check again, under the contact's lock
        locked = lock_contact(s, contact_id)
        assert locked is not None
        ensure_contactable(contact_facts(locked), action="place a reply draft")
        with ImapClient(settings) as imap:
            uid = imap.append_draft(folder, message.as_bytes())
        record(s, actor, "mail.draft_placed", "rejection", rejection_id, at=now,
               account_id=locked.account_id, contact_id=locked.id, owner_id=locked.owner_id,
               after={"mailbox": box_name, "folder": folder})
    return {"rejection_id": rejection_id, "mailbox": box_name, "folder": folder, "uid": uid,
            "to": to_email, "subject": str(message["Subject"]),
            "message_id": str(message["Message-ID"])}


def _mailbox(s: Session, actor: Actor, name: str | None) -> Mailbox:
    if name is not None:
        return get_mailbox(s, actor, name)
    boxes = list(s.scalars(select(Mailbox).where(Mailbox.owner_id == actor.id,
                                                 Mailbox.drafts_folder.is_not(None))
                           .order_by(Mailbox.id)))
    if not boxes:
        raise InvalidInput("connect a mailbox with a drafts folder first (notnow mail connect)",
                           field="mailbox")
    if len(boxes) > 1:
        raise InvalidInput("you have several mailboxes: say which (--mailbox NAME)",
                           field="mailbox")
    return boxes[0]


