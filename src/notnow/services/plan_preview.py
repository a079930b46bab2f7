"""The plan a rejection would get, before it is stored: for the log page's live preview.

It plans an unsaved rejection (built from what the reader understood, with the salesperson's
corrections) through the same planner and facts as :mod:`notnow.services.planning`; nothing is
written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from notnow.services import planning
from notnow.services.capture import build_row, understand_text
from notnow.services.lookup import resolve_contact
from notnow.services.schemas import RejectionCreate, validate
from notnow.services.workspace import Workspace


def preview_plan(ws: Workspace, *, contact: int, text: str | None, label: str | None,
                 stage: str | None = None, channel: str | None = None,
                 checkback: date | None = None) -> planning.PlanPublic:
    """Read `text` (unless a label is given and there is no text) and plan, storing nothing."""
    with ws.db.read() as s:
        c = resolve_contact(s, contact)
        given = {"text": text, "label": label, "stage": stage, "channel": channel,
                 "checkback": checkback}
        spec = validate(RejectionCreate, {"contact_id": c.id,
                                          **{k: v for k, v in given.items() if v}})
        acc = c.account
        u: Any = (understand_text(spec.text, today=ws.today(acc.timezone), account=acc,
                                  team_dir=ws.config.home / "model") if spec.text else None)
        row = build_row(ws, spec, c, u, at=ws.now())
        row.id = 0
        return planning.plan_row(ws, s, row)
