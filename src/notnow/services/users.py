"""Users of a workspace. The owner exists from `init` on; teams come with the web app."""

from __future__ import annotations

from sqlalchemy import func, select

from notnow.errors import NotFound
from notnow.services.workspace import Workspace
from notnow.storage.tables import User


def resolve_user_id(ws: Workspace, ref: str) -> int:
    """A user's id from an id, email or name."""
    text = ref.strip()
    with ws.db.read() as s:
        if text.isdigit():
            user = s.get(User, int(text))
        else:
            user = s.scalar(select(User).where(
                (func.lower(User.email) == text.lower()) | (func.lower(User.name) == text.lower())
            ))
        if user is None:
            raise NotFound(f"no user {ref!r}", field="user")
        return user.id
