"""Each person's calendar feed: their own address (shown once), and what it answers.

The address is the person's own: `my_feed` makes or rotates it for the acting person only —
nobody makes, sees or rotates another person's. What a feed shows is read as its person, with
the policy's clause (`notnow.services.lookup.owned`): their own open follow-ups, never one of
a contact who opted out; a disabled person's feed answers 404 like an unknown address.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from notnow.core.policy import Actor
from notnow.reach import feed as lib
from notnow.services.lookup import owned
from notnow.services.playbook import team_settings
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage.tables import FollowUp, User


def my_feed(ws: Workspace, actor: Actor, *, rotate: bool = False) -> lib.FeedTicket:
    """The actor's feed. The token (and so the address) is in the answer only when the feed
    was just made or rotated: only its hash is kept."""
    ticket = lib.issue_feed(ws.db, actor.id, ws.now(), rotate=rotate)
    if ticket.token is not None:
        with ws.db.write() as s:
            record(s, actor, "calendar.feed_rotated" if rotate else "calendar.feed_made",
                   "user", actor.id, at=ws.now(), owner_id=actor.id)
    return ticket


def feed_status(ws: Workspace, actor: Actor) -> dict[str, Any] | None:
    """Whether the actor has a live feed, and when it was made, rotated, last fetched."""
    from sqlalchemy import select

    from notnow.storage.tables import CalendarFeed

    with ws.db.read() as s:
        row = s.scalar(select(CalendarFeed).where(CalendarFeed.user_id == actor.id,
                                                  CalendarFeed.revoked_at.is_(None)))
        if row is None:
            return None
        return {"created_at": row.created_at, "rotated_at": row.rotated_at,
                "last_fetched_at": row.last_fetched_at}


def revoke_my_feed(ws: Workspace, actor: Actor) -> None:
    """The actor's feed address stops working (a new one can be made)."""
    lib.revoke_feed(ws.db, actor.id, ws.now())
    with ws.db.write() as s:
        record(s, actor, "calendar.feed_revoked", "user", actor.id, at=ws.now(),
               owner_id=actor.id)


def _as_person(s: Session, user_id: int) -> ColumnElement[bool] | None:
    """The policy's clause for the feed's person, read as them (None: disabled or gone)."""
    from notnow.services.team.acting import actor_from_row

    user = s.get(User, user_id)
    if user is None or not user.active:
        return None
    return owned(actor_from_row(s, user), FollowUp.owner_id)


def reader(ws: Workspace) -> lib.FeedReader:
    """What a person's feed (and their CalDAV calendar) shows, read through the policy."""
    return lib.own_open_followups(ws.config.timezone, _as_person)


def _person(ws: Workspace, token: str) -> str | None:
    """The name of the active person whose feed the token opens, or None."""
    with ws.db.read() as s:
        found = lib.find_feed(s, token)
        if found is None:
            return None
        user = s.get(User, found.user_id)
        return user.name if user is not None and user.active else None


def serve_feed(ws: Workspace, token: str, *, method: str = "GET",
               if_none_match: str | None = None,
               cache: lib.FeedCache | None = None) -> lib.FeedResponse:
    """What ``GET``/``HEAD /calendar/feed/<token>.ics`` answers. The token is the only
    credential (calendar apps cannot sign in): an unknown, rotated or revoked one, or a
    disabled person's, gets the same plain 404."""
    name = _person(ws, token)
    if name is None:
        return lib.NOT_FOUND
    return lib.feed_response(ws.db, token, workspace_id=ws.workspace_id,
                             now=ws.now().astimezone(UTC), read_items=reader(ws),
                             today=ws.today(), name=f"notnow — {name}",
                             touch_hour=team_settings(ws).touch_hour, method=method,
                             if_none_match=if_none_match, cache=cache)
