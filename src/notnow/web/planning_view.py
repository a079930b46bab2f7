"""The comeback plan on the pages: a preview while typing, and accepting it after logging."""

from __future__ import annotations

from datetime import date

from notnow.core.policy import Actor
from notnow.services.capture.preview import preview_plan as _preview
from notnow.services.followups import planning
from notnow.services.workspace import Workspace


def preview_plan(ws: Workspace, actor: Actor, *, contact_id: int, text: str | None,
                 label: str | None,
                 stage: str | None, channel: str | None,
                 checkback: date | None = None) -> planning.PlanPublic:
    """The plan that accepting would make (nothing is stored)."""
    return _preview(ws, actor, contact=contact_id, text=text, label=label, stage=stage,
                    channel=channel, checkback=checkback)


def accept_plan(ws: Workspace, actor: Actor, rejection_id: int) -> planning.PlanPublic:
    """Store the plan of a logged rejection as follow-ups."""
    return planning.accept_plan(ws, actor, rejection_id)
