"""What routes take: the acting user, the workspace, paging, one list envelope."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Path, Query, Request
from pydantic import BaseModel, Field

from notnow.core.policy import Actor
from notnow.errors import InvalidInput
from notnow.services.paging import MAX_TOKEN, next_after
from notnow.services.workspace import Workspace
from notnow.web.auth import SESSION_COOKIE, current_actor

T = TypeVar("T")
SIGN_IN_TTL = 30.0
"""Seconds a process keeps who a token or session cookie is, while nothing is written: a
session's expiry and its refresh (`notnow.services.team.sessions`) are no later than that."""


def _actor(request: Request) -> Actor:
    """Who is asking (a sync dependency: the lookup reads the database, off the event loop).

    In team mode who a bearer token or a session cookie stands for is kept in the app's cache
    (`notnow.web.agenda_cache`) at the request's data version: disabling someone, revoking a
    token or signing out is a write, so it shows at the next request in every process."""
    state = request.app.state
    header = request.headers.get("authorization")
    cookie = request.cookies.get(SESSION_COOKIE)
    if not state.team or (header is None and not cookie):
        return current_actor(request)
    cache = state.agenda
    version = cache.request_version(request)
    if header is not None:
        key = ("bearer", hashlib.sha256(header.encode()).digest())
        actor: Actor = cache.get(key, lambda: current_actor(request), version=version,
                                 ttl=SIGN_IN_TTL, accounts=())
        request.state.actor = actor
        return actor
    from notnow.services.team import sessions
    from notnow.web.auth import signed_in

    key = ("session", hashlib.sha256((cookie or "").encode()).digest())
    found = cache.get(key, lambda: signed_in(request), version=version, ttl=SIGN_IN_TTL,
                      accounts=())
    if found is not None and found.expires_at <= state.ws.now():
        found = sessions.session_for(state.ws, cookie)  # ended: the row goes
    request.state.signed_in = found
    return current_actor(request)


ActorDep = Annotated[Actor, Depends(_actor)]


async def _workspace(request: Request) -> Workspace:
    """The app's workspace (one per app; every service is also given the actor)."""
    ws: Workspace = request.app.state.ws
    return ws


WsDep = Annotated[Workspace, Depends(_workspace)]


class Paging(BaseModel):
    limit: int = Field(default=50, ge=1, le=500, description="How many items (1-500).")
    offset: int = Field(default=0, ge=0, le=10_000_000, description="How many to skip.")

    @property
    def fetch(self) -> int:
        """Ask the service for one more than shown, to know whether there is a next page."""
        return self.limit + 1


async def _paging(limit: Annotated[int, Query(ge=1, le=500)] = 50,
                  offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> Paging:
    return Paging(limit=limit, offset=offset)


PagingDep = Annotated[Paging, Depends(_paging)]


class Page(BaseModel, Generic[T]):
    """The one list envelope: a page of items and where the next page starts (null: none)."""

    items: list[T]
    limit: int
    offset: int
    next_offset: int | None


def page_of(items: Sequence[T], paging: Paging) -> Page[T]:
    more = len(items) > paging.limit
    return Page[T](items=list(items[: paging.limit]), limit=paging.limit, offset=paging.offset,
                   next_offset=paging.offset + paging.limit if more else None)


class KeyPaging(Paging):
    after: str | None = None


async def _key_paging(limit: Annotated[int, Query(ge=1, le=500)] = 50,
                      offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
                      after: Annotated[str | None, Query(
                          max_length=MAX_TOKEN, description="Where the page before ended "
                          "(its next_after): the page after it, as fast deep in the list as "
                          "at its start. Not with offset.")] = None) -> KeyPaging:
    return KeyPaging(limit=limit, offset=offset, after=after)


KeyPagingDep = Annotated[KeyPaging, Depends(_key_paging)]


class KeyedPage(Page[T], Generic[T]):
    """A page of a list in a unique order, which also says where it ended by key."""

    next_after: str | None = Field(description="Give it back as ?after= for the next page "
                                   "(null on the last page): unlike next_offset, its cost does "
                                   "not grow with how deep in the list the page is.")


def keyed_page_of(items: Sequence[T], paging: KeyPaging) -> KeyedPage[T]:
    """The page, and where it ended by key (``items`` from a service asked for one more, as
    a :class:`~notnow.services.paging.Listed`)."""
    plain = page_of(items, paging)
    return KeyedPage[T](**dict(plain), next_after=next_after(items, paging.limit))


async def refuse_nul(request: Request) -> None:
    """No query or path parameter may hold a NUL character (PostgreSQL cannot store or compare
    one): 422 naming the parameter, for every route (the app's own dependency)."""
    for name, value in [*request.query_params.multi_items(), *request.path_params.items()]:
        if "\x00" in name or (isinstance(value, str) and "\x00" in value):
            raise InvalidInput("must not contain a NUL character", field=name)


Id = Annotated[int, Path(ge=1, le=2**31 - 1, description="The record's id.")]
"""A path id: bounded so that no number reaches the database as an overflow."""
