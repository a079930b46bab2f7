"""What a command works with: the workspace and the person it acts for.

The workspace is opened once per command and closed by the CLI's entry point when the command
ends (:func:`close_all`, called by :func:`notnow.cli.main.main`), whatever happens in between;
the actor is the user ``NOTNOW_USER`` names, else the workspace owner — and every service
applies that person's rights.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from notnow.core.policy import Actor
    from notnow.services.workspace import Workspace

_OPEN: list[Workspace] = []


def session() -> tuple[Workspace, Actor]:
    """Open the workspace for this command and say who is acting."""
    from notnow.services.team.acting import acting_user
    from notnow.services.workspace import open_workspace

    ws = open_workspace()
    _OPEN.append(ws)
    return ws, acting_user(ws)


def close_all() -> None:
    """Close what the command opened (the CLI's entry point calls it when a command ends)."""
    while _OPEN:
        _OPEN.pop().close()
