"""Who is acting: a user row made into the :class:`~notnow.core.policy.Actor` every service
takes (their role, their team, what the team may read).

Apart from the rest of :mod:`notnow.services.team.auth` (logins, tokens, people: Pydantic
models) so that a CLI command that only needs to know who runs it imports no Pydantic; and
read as rows of the tables, not as ORM objects, so that such a command never sets up the ORM
(instrumenting every mapped class took 0.025 s of `notnow agenda`).
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from notnow.core.model import UserRole
from notnow.core.policy import Actor
from notnow.errors import NotFound
from notnow.services.lookup import resolve_user
from notnow.services.workspace import Workspace
from notnow.storage.tables import Meta, User

KEY = "team_reading"
"""The setting *team-wide reading* (:mod:`notnow.services.team.visibility`), in ``meta``."""


USERS, META = User.__table__, Meta.__table__


class UserRow(Protocol):
    """A user as a :class:`~notnow.storage.tables.User` or a row of its table."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def email(self) -> str | None: ...
    @property
    def role(self) -> str: ...
    @property
    def is_owner(self) -> bool: ...
    @property
    def active(self) -> bool: ...


def team_reading(s: Session) -> bool:
    """The team-wide reading setting as stored (no row: off)."""
    return s.scalar(select(META.c.value).where(META.c.key == KEY)) == "on"


def _team_ids(s: Session, user: UserRow) -> frozenset[int]:
    if user.role == UserRole.ADMIN.value:
        return frozenset(s.scalars(select(USERS.c.id)))
    ids = {user.id}
    if user.role == UserRole.MANAGER.value:
        frontier = {user.id}
        while frontier:  # reports, and their reports
            below = set(s.scalars(select(USERS.c.id).where(USERS.c.manager_id.in_(frontier))))
            frontier = below - ids
            ids |= below
    return frozenset(ids)


def _user_row(s: Session, user_id: int) -> UserRow | None:
    return s.execute(select(USERS).where(USERS.c.id == user_id)).one_or_none()


def actor_from_row(s: Session, user: UserRow) -> Actor:
    return Actor(id=user.id, name=user.name, email=user.email, role=UserRole(user.role),
                 is_owner=user.is_owner, team=_team_ids(s, user),
                 team_reading=team_reading(s))


def acting_user(ws: Workspace) -> Actor:
    """Who the CLI acts as: the user NOTNOW_USER names, else the workspace owner."""
    ref = ws.config.user
    with ws.db.read() as s:
        if not ref:
            owner = _user_row(s, ws.owner_id)
            assert owner is not None
            return actor_from_row(s, owner)
        try:
            user = resolve_user(s, ref, field="NOTNOW_USER")
        except NotFound:
            raise NotFound(f"NOTNOW_USER names no user: {ref!r}", field="NOTNOW_USER") from None
        if not user.active:
            raise NotFound(f"NOTNOW_USER names a disabled user: {ref!r}", field="NOTNOW_USER")
        return actor_from_row(s, user)


def actor_for(ws: Workspace, user_id: int) -> Actor | None:
    """The active user with this id, as an Actor (None when absent or disabled)."""
    with ws.db.read() as s:
        user = _user_row(s, user_id)
        if user is None or not user.active:
            return None
        return actor_from_row(s, user)
