"""Users of a workspace. The owner exists from `init` on; teams come with the web app."""

from __future__ import annotations

from notnow.services.lookup import resolve_user
from notnow.services.workspace import Workspace


def resolve_user_id(ws: Workspace, ref: str) -> int:
    """A user's id from an id, email or name."""
    with ws.db.read() as s:
        return resolve_user(s, ref).id
