"""The day's work: follow-ups due on a date (overdue ones first)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from notnow.core.model import Channel, Label, Role
from notnow.services.schemas import AgendaItem
from notnow.services.workspace import Workspace
from notnow.storage.tables import Account, Contact, FollowUp, Rejection, Touch


def agenda(ws: Workspace, day: date | None = None, *, user_id: int | None = None,
           limit: int = 200) -> list[AgendaItem]:
    day = day or ws.today()
    last_touch = (select(Touch.contact_id, func.max(Touch.at).label("last"))
                  .group_by(Touch.contact_id).subquery())
    q = (
        select(FollowUp, Contact.name, Contact.role, Account.name, Rejection.label,
               last_touch.c.last)
        .join(Contact, Contact.id == FollowUp.contact_id)
        .join(Account, Account.id == FollowUp.account_id)
        .outerjoin(Rejection, Rejection.id == FollowUp.rejection_id)
        .outerjoin(last_touch, last_touch.c.contact_id == FollowUp.contact_id)
        .where(FollowUp.status == "due", FollowUp.due <= day, Contact.dnc_at.is_(None))
        .order_by(FollowUp.due, FollowUp.id)
        .limit(limit)
    )
    if user_id is not None:
        q = q.where(FollowUp.owner_id == user_id)
    with ws.db.read() as s:
        return [
            AgendaItem(
                followup_id=f.id, due=f.due, overdue_days=(day - f.due).days,
                contact_id=f.contact_id, contact_name=cname, contact_role=Role(crole),
                account_id=f.account_id, account_name=aname, channel=Channel(f.channel),
                purpose=f.purpose, why=f.why, label=Label(label) if label else None,
                last_touch=last,
            )
            for f, cname, crole, aname, label, last in s.execute(q)
        ]
