"""Who tests act as: the workspace owner (an admin), or a user made for the test."""

from __future__ import annotations

from typing import Any


def owner_of(ws: Any) -> Any:
    """The workspace owner as an Actor: local mode and the CLI act as them by default."""
    from notnow.services.team.acting import actor_for

    actor = actor_for(ws, ws.owner_id)
    assert actor is not None
    return actor


def as_id(ws: Any, user_id: int) -> Any:
    """The user with this id as an Actor."""
    from notnow.services.team.acting import actor_for

    actor = actor_for(ws, user_id)
    assert actor is not None
    return actor


def user(ws: Any, name: str, role: str = "salesperson", manager: Any = None) -> Any:
    """Add a user and return them as an Actor."""
    from notnow.services.team.acting import actor_for
    from notnow.services.team.auth import add_user

    made = add_user(ws, owner_of(ws), {"name": name, "email": f"{name.lower()}@example.com",
                                       "role": role},
                    manager=manager.id if manager is not None else None)
    actor = actor_for(ws, made.id)
    assert actor is not None
    return actor
