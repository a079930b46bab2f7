"""What happened with a contact or an account: the timeline, next steps, and recent pressure.

Read-only views for the contact and account pages (and their API twins). A journal is never
here: the journal service shows each author their own entries only.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import select

from notnow.core.model import is_active
from notnow.core.policy import Actor
from notnow.services.capture.log import rejection_public
from notnow.services.lookup import (
    by_contact,
    owned,
    rejection_clause,
    resolve_account,
    resolve_contact,
)
from notnow.services.schemas import FollowUpPublic, RejectionPublic
from notnow.services.workspace import Workspace
from notnow.storage.tables import Account, Contact, FollowUp, Rejection, Signal, Touch

OPEN = ("due", "snoozed")


class TimelineEvent(BaseModel):
    at: datetime
    kind: Literal["touch", "signal", "rejection", "followup"]
    title: str
    detail: str | None = None
    channel: str | None = None
    direction: str | None = None
    active: bool | None = None
    ref_id: int


class CapWindow(BaseModel):
    touches: int
    limit: int
    days: int


class ContactActivity(BaseModel):
    contact_id: int
    timeline: list[TimelineEvent]
    next_steps: list[FollowUpPublic]
    rejections: list[RejectionPublic]
    caps: list[CapWindow]


class AccountActivity(BaseModel):
    account_id: int
    next_steps: list[FollowUpPublic]
    rejections: list[RejectionPublic]
    touches: int
    last_touch: datetime | None


def _aware(dt: datetime) -> datetime:
    from datetime import UTC

    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _caps(ws: Workspace, touches: list[Touch], today: date) -> list[CapWindow]:
    from notnow.services.playbook import team_settings

    out = []
    for window in team_settings(ws).contact_caps:
        since = today - timedelta(days=window.days - 1)
        n = sum(1 for t in touches if t.direction == "outbound" and _aware(t.at).date() >= since)
        out.append(CapWindow(touches=n, limit=window.touches, days=window.days))
    return out


def contact_activity(ws: Workspace, actor: Actor, ref: str | int, *,
                     limit: int = 200) -> ContactActivity:
    """A contact's timeline (newest first), open follow-ups, rejections and cap usage."""
    with ws.db.read() as s:
        c = resolve_contact(s, actor, ref)
        touches = list(s.scalars(select(Touch).where(Touch.contact_id == c.id)
                                 .order_by(Touch.at.desc()).limit(limit)))
        signals = list(s.scalars(select(Signal).where(Signal.contact_id == c.id)
                                 .order_by(Signal.at.desc()).limit(limit)))
        rejections = list(s.scalars(select(Rejection).where(Rejection.contact_id == c.id)
                                    .order_by(Rejection.at.desc()).limit(limit)))
        followups = list(s.scalars(select(FollowUp).where(FollowUp.contact_id == c.id)
                                   .order_by(FollowUp.due, FollowUp.id)))
        acc = c.account
        # a follow-up marked done is one event: the touch it recorded is not listed again
        done = {f"follow-up {f.id} done" for f in followups if f.status == "done"}
        events = [TimelineEvent(at=_aware(t.at), kind="touch", ref_id=t.id,
                                title=f"{t.direction} {t.channel}".replace("_", " "),
                                detail=t.outcome, channel=t.channel, direction=t.direction)
                  for t in touches if t.outcome not in done]
        events += [TimelineEvent(at=_aware(g.at), kind="signal", ref_id=g.id,
                                 title=g.kind.replace("_", " "), detail=g.note,
                                 active=_signal_active(g.kind)) for g in signals]
        events += [TimelineEvent(at=_aware(r.at), kind="rejection", ref_id=r.id,
                                 title=r.label.replace("_", " "), detail=r.text,
                                 channel=r.channel) for r in rejections]
        events += [TimelineEvent(at=_aware(f.closed_at), kind="followup", ref_id=f.id,
                                 title=f"{f.status}: {f.purpose}", detail=f.why,
                                 channel=f.channel)
                   for f in followups if f.closed_at is not None]
        events.sort(key=lambda e: e.at, reverse=True)
        return ContactActivity(
            contact_id=c.id, timeline=events[:limit],
            next_steps=[FollowUpPublic.model_validate(f) for f in followups if f.status in OPEN],
            rejections=[rejection_public(r, c, acc, actor=actor) for r in rejections],
            caps=_caps(ws, touches, ws.today(c.timezone or acc.timezone)),
        )


def _signal_active(kind: str) -> bool | None:
    from notnow.core.model import SignalKind

    try:
        return is_active(SignalKind(kind))
    except ValueError:
        return None


def account_activity(ws: Workspace, actor: Actor, ref: str | int, *,
                     limit: int = 100) -> AccountActivity:
    """An account's open follow-ups (soonest first), rejections (newest first) and touches."""
    from sqlalchemy import func

    with ws.db.read() as s:
        acc = resolve_account(s, actor, ref)
        followups = s.scalars(select(FollowUp).where(FollowUp.account_id == acc.id,
                                                     FollowUp.status.in_(OPEN),
                                                     owned(actor, FollowUp.owner_id))
                              .order_by(FollowUp.due, FollowUp.id).limit(limit))
        rows = s.execute(select(Rejection, Contact)
                         .outerjoin(Contact, Contact.id == Rejection.contact_id)
                         .where(Rejection.account_id == acc.id, rejection_clause(actor))
                         .order_by(Rejection.at.desc()).limit(limit))
        n, last = s.execute(select(func.count(), func.max(Touch.at))
                            .where(Touch.account_id == acc.id,
                                   by_contact(actor, Touch.contact_id))).one()
        return AccountActivity(
            account_id=acc.id,
            next_steps=[FollowUpPublic.model_validate(f) for f in followups],
            rejections=[rejection_public(r, c, acc, actor=actor) for r, c in rows],
            touches=int(n or 0), last_touch=_aware(last) if last else None,
        )


def contact_names(ws: Workspace, actor: Actor, ids: list[int]) -> dict[int, str]:
    """Names of the contacts the actor may read, by id (for next-step lists)."""
    if not ids:
        return {}
    with ws.db.read() as s:
        return {i: n for i, n in s.execute(select(Contact.id, Contact.name)
                                           .where(Contact.id.in_(ids),
                                                  owned(actor, Contact.owner_id)))}


__all__ = ["Account", "account_activity", "contact_activity", "contact_names"]
