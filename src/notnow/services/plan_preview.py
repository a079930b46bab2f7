"""The plan a rejection would get, before it is stored: for the log page's live preview.

It plans an unsaved rejection (built from what the reader understood, with the salesperson's
corrections) through the same planner and facts as :mod:`notnow.services.planning`; nothing is
written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from notnow.core.labels import resolve_primary
from notnow.core.model import Label
from notnow.services import planning
from notnow.services.capture import understand_text
from notnow.services.lookup import resolve_contact
from notnow.services.workspace import Workspace
from notnow.storage.tables import Rejection


def preview_plan(ws: Workspace, *, contact: int, text: str | None, label: str | None,
                 stage: str | None = None, channel: str | None = None,
                 checkback: date | None = None) -> planning.PlanPublic:
    """Read `text` (unless a label is given and there is no text) and plan, storing nothing."""
    from notnow.core.labels import parse_label

    with ws.db.read() as s:
        c = resolve_contact(s, contact)
        acc = c.account
        u: Any = (understand_text(text, today=ws.today(acc.timezone), account=acc)
                  if text and text.strip() else None)
        if label:
            primary, also = resolve_primary(parse_label(label), ())
        elif u is not None:
            primary, also = resolve_primary(u.label, tuple(u.also))
        else:
            primary, also = Label.NOT_INTERESTED, ()
        row = Rejection(
            id=0, contact_id=c.id, account_id=acc.id, at=ws.now(), stage=stage,
            channel=channel, text=text, label=primary.value, also=[a.value for a in also],
            confidence=u.confidence if u is not None and not label else None,
            evidence=[{"start": e.start, "end": e.end, "text": e.text, "label": e.label}
                      for e in (u.evidence if u is not None else ())],
            checkback=checkback or (u.checkback if u is not None else None),
            checkback_phrase=u.checkback_phrase if u is not None else None,
            return_date=u.return_date if u is not None else None,
            competitor=u.competitor if u is not None else None,
            capability=u.capability if u is not None else None,
            referral=({"name": u.referral.name} if u is not None and u.referral else None),
            author_id=ws.user_id)
        return planning.plan_row(ws, s, row)
