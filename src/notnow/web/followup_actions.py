"""Done / snooze / skip on one follow-up, through the follow-up service."""

from __future__ import annotations

from datetime import timedelta

from notnow.errors import InvalidInput
from notnow.services.followups import actions as followups
from notnow.services.schemas import FollowUpPublic
from notnow.services.workspace import Workspace

ACTIONS = ("done", "snooze", "skip")
SNOOZE_CHOICES = ((1, "1 day"), (3, "3 days"), (7, "1 week"), (14, "2 weeks"), (30, "1 month"))


def apply_action(ws: Workspace, followup_id: int, action: str, *,
                 days: int | None = None) -> FollowUpPublic:
    if action not in ACTIONS:
        raise InvalidInput(f"unknown action {action!r}; expected done, snooze or skip",
                           field="action")
    to = ws.today() + timedelta(days=days or 1) if action == "snooze" else None
    return followups.act(ws, followup_id, action, to=to)
