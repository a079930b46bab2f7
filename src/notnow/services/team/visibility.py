"""The team setting *team-wide reading*: may everyone read everyone's records? Off by default.

Off, a salesperson reads their own records and a manager their team's
(:mod:`notnow.core.policy`). On, everyone may also read every record — never change one, never
read another person's journal or feelings, never see another person's report figures. Only an
admin turns it on or off, and every change is on the audit trail.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from notnow.core.policy import Actor, may_set_visibility
from notnow.errors import PermissionDenied
from notnow.services.team.acting import KEY, team_reading
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage.tables import Meta


class VisibilityPublic(BaseModel):
    team_reading: bool = Field(description="Everyone may read everyone's records (never change "
                               "them; journals and feelings stay their author's).")


def visibility(ws: Workspace, actor: Actor) -> VisibilityPublic:
    """The team's setting (anyone may know who can read their work)."""
    with ws.db.read() as s:
        return VisibilityPublic(team_reading=team_reading(s))


def set_team_reading(ws: Workspace, actor: Actor, on: bool) -> VisibilityPublic:
    """Turn team-wide reading on or off (admins only; audited, also when nothing changes)."""
    if not may_set_visibility(actor):
        raise PermissionDenied("only an admin can change who reads whose records",
                               field="team_reading")
    with ws.db.write() as s:
        before = team_reading(s)
        row = s.get(Meta, KEY)
        if row is None:
            s.add(Meta(key=KEY, value="on" if on else "off"))
        else:
            row.value = "on" if on else "off"
        record(s, actor, "team.visibility", "workspace", None, at=ws.now(),
               before={"team_reading": before}, after={"team_reading": on})
        return VisibilityPublic(team_reading=on)
