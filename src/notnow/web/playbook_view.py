"""The playbook the pages show: the team's when the playbook service has one, else the default."""

from __future__ import annotations

from notnow.core.playbook import Playbook
from notnow.services.workspace import Workspace


def workspace_playbook(ws: Workspace) -> Playbook:
    from notnow.services.playbook import team_playbook

    return team_playbook(ws)
