"""Done / snooze / skip on one follow-up, through the follow-up service."""

from __future__ import annotations

from datetime import timedelta

from notnow.core.policy import Actor
from notnow.errors import InvalidInput
from notnow.services.followups import actions as followups
from notnow.services.schemas import FollowUpPublic
from notnow.services.workspace import Workspace

ACTIONS = ("done", "snooze", "skip", "undo")
SNOOZE_CHOICES = ((1, "1 day"), (3, "3 days"), (7, "1 week"), (14, "2 weeks"), (30, "1 month"))


def apply_action(ws: Workspace, actor: Actor, followup_id: int, action: str, *,
                 days: int | None = None) -> FollowUpPublic:
    """Done, skip, or snooze by ``days`` (counted from the later of today and the due date:
    a snooze only ever postpones); or undo the last of these (within minutes)."""
    if action not in ACTIONS:
        raise InvalidInput(f"unknown action {action!r}; expected done, snooze, skip or undo",
                           field="action")
    if action == "undo":
        return followups.undo(ws, actor, followup_id)
    to = None
    if action == "snooze" and days is not None:
        to = followups.snooze_base(ws, actor, followup_id) + timedelta(days=days)
    return followups.act(ws, actor, followup_id, action, to=to)
