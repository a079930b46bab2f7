"""The playbook the pages show: the team's when the playbook service has one, else the default."""

from __future__ import annotations

from typing import Any

from notnow.core.playbook import Playbook, default_playbook
from notnow.services.workspace import Workspace


def workspace_playbook(ws: Workspace) -> Playbook:
    try:
        from notnow.services import playbook as team  # type: ignore[attr-defined]
    except ImportError:
        return default_playbook()
    loader: Any = getattr(team, "team_playbook", None) or getattr(team, "load_playbook", None)
    return loader(ws) if loader is not None else default_playbook()
