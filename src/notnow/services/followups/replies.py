"""Reply drafts for a stored rejection, and marking a reply sent after the cooling-off period."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from notnow.core.caps import ensure_contactable
from notnow.core.model import Channel, Label
from notnow.core.policy import Actor
from notnow.core.replies import can_send_reply, render_reply
from notnow.core.tone import ToneReport
from notnow.errors import InvalidInput
from notnow.services.capture.touches import add_touch
from notnow.services.facts import account_facts, aware, contact_facts, rejection_facts
from notnow.services.lookup import get_rejection
from notnow.services.playbook import team_settings
from notnow.services.schemas import TouchPublic
from notnow.services.workspace import Workspace
from notnow.storage.tables import Contact, FollowUp, User


class ToneFindingPublic(BaseModel):
    issue: str
    quote: str
    start: int
    end: int
    suggestion: str


class TonePublic(BaseModel):
    calm: bool
    findings: list[ToneFindingPublic]


def tone_public(report: ToneReport) -> TonePublic:
    return TonePublic(calm=report.calm, findings=[
        ToneFindingPublic(issue=f.issue.value, quote=f.quote, start=f.start, end=f.end,
                          suggestion=f.suggestion) for f in report.findings])


class DraftPublic(BaseModel):
    rejection_id: int
    label: Label
    to: str
    subject: str
    body: str
    tone: TonePublic
    can_send_from: str


def draft_reply(ws: Workspace, actor: Actor, rejection: str | int, *,
                sender: str | None = None) -> DraftPublic:
    """A calm reply for this rejection, rendered with the contact's details and tone-checked.

    None is drafted for a do-not-contact contact."""
    minutes = team_settings(ws).cooling_off_minutes
    with ws.db.read() as s:
        row = get_rejection(s, actor, rejection)
        contact = _contact(s, row.contact_id)
        ensure_contactable(contact_facts(contact), action="draft a reply")
        me = s.get(User, actor.id)
        facts = rejection_facts(row)
        draft = render_reply(facts.label, contact=contact_facts(contact),
                             account=account_facts(contact.account),
                             sender=sender or _signature(me), rejection=facts,
                             checkback=_checkback(s, row.id) or facts.checkback,
                             nurture=_nurtured(s, row.id),
                             today=ws.today(contact.account.timezone))
        ready = aware(row.at) + timedelta(minutes=minutes)
        return DraftPublic(rejection_id=row.id, label=facts.label, to=contact.email or contact.name,
                           subject=draft.subject, body=draft.body, tone=tone_public(draft.tone),
                           can_send_from=ready.isoformat(timespec="minutes"))


def _signature(me: User | None) -> str:
    """The user's name; the owner who has not given theirs yet gets a gap to fill, never
    the word "owner" (`notnow init --name` sets it)."""
    from notnow.services.workspace import UNNAMED_OWNER

    if me is None or (me.is_owner and me.name == UNNAMED_OWNER):
        return "[your name]"
    return me.name


def mark_reply_sent(ws: Workspace, actor: Actor, rejection: str | int,
                    channel: Channel | None = None) -> TouchPublic:
    """Record the reply as an outbound touch — not before the cooling-off period has passed."""
    minutes = team_settings(ws).cooling_off_minutes
    with ws.db.write() as s:
        row = get_rejection(s, actor, rejection, write=True)
        contact = _contact(s, row.contact_id)
        can_send_reply(aware(row.at), ws.now(), minutes)
        used = channel or rejection_facts(row).channel or Channel.EMAIL
        touch, over = add_touch(s, actor, contact, channel=used, direction="outbound",
                                outcome=f"reply to rejection {row.id}", at=ws.now(),
                                now=ws.now(), deal_id=row.deal_id, reply=True)
        return TouchPublic.model_validate(touch).model_copy(update={"over_cap": over})


def _contact(s: Session, contact_id: int | None) -> Contact:
    contact = s.get(Contact, contact_id) if contact_id else None
    if contact is None:
        raise InvalidInput("this rejection has no contact to reply to", field="rejection")
    return contact


def _nurtured(s: Session, rejection_id: int) -> bool:
    """Whether the accepted plan sends them anything before the check-back."""
    return s.scalar(
        select(FollowUp.id).where(FollowUp.rejection_id == rejection_id,
                                  FollowUp.kind == "nurture",
                                  FollowUp.status.in_(("due", "snoozed"))).limit(1)) is not None


def _checkback(s: Session, rejection_id: int) -> date | None:
    """The scheduled check-back of this rejection, if the plan was accepted."""
    return s.scalar(
        select(FollowUp.due).where(FollowUp.rejection_id == rejection_id,
                                   FollowUp.rule == "check-back",
                                   FollowUp.status.in_(("due", "snoozed"))).limit(1))
