"""The plan a rejection would get, before it is stored: for the log page's live preview.

It plans an unsaved rejection (built from what the reader understood, with the salesperson's
corrections) through the same row builder, planner and facts as logging it would
(:mod:`notnow.services.capture.log`, :mod:`notnow.services.followups.planning`); nothing is
written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from notnow.core.policy import Actor
from notnow.services.capture.log import build_row, preview, understand_text
from notnow.services.followups import planning
from notnow.services.lookup import resolve_contact
from notnow.services.schemas import RejectionCreate, validate
from notnow.services.workspace import Workspace


def preview_plan(ws: Workspace, actor: Actor, *, contact: str | int, text: str | None,
                 label: str | None, stage: str | None = None, channel: str | None = None,
                 checkback: date | None = None) -> planning.PlanPublic:
    """Read `text` (unless a label is given and there is no text) and plan, storing nothing."""
    with ws.db.read() as s:
        c = resolve_contact(s, actor, contact, write=True)
        given = {"text": text, "label": label, "stage": stage, "channel": channel,
                 "checkback": checkback}
        spec = validate(RejectionCreate, {"contact_id": c.id,
                                          **{k: v for k, v in given.items() if v}})
        acc = c.account
        u: Any = (understand_text(ws, spec.text, today=ws.today(acc.timezone), account=acc)
                  if spec.text else None)
        row = build_row(spec, c, u, at=ws.now(), author=actor, now=ws.now())
        row.id = 0
        return planning.plan_row(ws, s, actor, row)


@dataclass(frozen=True)
class LogPreview:
    reading: Any  # notnow.understand.Understanding, or None without words
    plan: planning.PlanPublic | None


def preview_log(ws: Workspace, actor: Actor, *, contact: int | None, text: str | None,
                label: str | None, stage: str | None = None, channel: str | None = None,
                checkback: date | None = None) -> LogPreview:
    """What logging a no would read and plan, storing nothing — for a contact the actor may
    log a no for (found as logging finds it: another person's contact is 'not found' before
    anything is read)."""
    if contact is not None:
        with ws.db.read() as s:
            resolve_contact(s, actor, contact, write=True)
    reading = preview(ws, actor, text, contact=contact) if text and text.strip() else None
    plan = None
    if contact is not None and (reading is not None or label):
        plan = preview_plan(ws, actor, contact=contact, text=text, label=label, stage=stage,
                            channel=channel, checkback=checkback)
    return LogPreview(reading, plan)

