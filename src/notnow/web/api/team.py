"""JSON API: who I am, the team's users (admins), and my API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from notnow.services.schemas import Day, Input
from notnow.services.team import auth
from notnow.services.team import visibility as team_visibility
from notnow.services.team.audit import AuditPublic, audit_trail
from notnow.services.team.auth import NewToken, TokenPublic, UserCreate, UserPublic
from notnow.services.team.handover import HandoverPublic, hand_over
from notnow.services.team.visibility import VisibilityPublic
from notnow.web.auth import check_csrf
from notnow.web.deps import (
    ActorDep,
    Id,
    KeyedPage,
    KeyPagingDep,
    Page,
    PagingDep,
    WsDep,
    keyed_page_of,
    page_of,
)
from notnow.web.errors import ERROR_RESPONSES

router = APIRouter(dependencies=[Depends(check_csrf)], responses=ERROR_RESPONSES,
                   tags=["team"])


class Me(BaseModel):
    id: int
    name: str
    email: str | None
    role: str
    team: list[int] = Field(description="Users whose work you can see (you included).")


class VisibilityChange(Input):
    team_reading: bool = Field(description="On: everyone may read everyone's records (never "
                               "change them; journals and feelings stay private).")


class Handover(Input):
    to_user_id: int = Field(ge=1, le=2**31 - 1, description="Who takes the records over.")
    from_user_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="Whose "
                                     "records (default: the account's or contact's owner).")
    account_id: int | None = Field(default=None, ge=1, le=2**31 - 1,
                                   description="Only this account's records.")
    contact_id: int | None = Field(default=None, ge=1, le=2**31 - 1,
                                   description="Only this contact and their follow-ups.")


class TokenCreate(Input):
    name: str = Field(min_length=1, max_length=200, description="What script uses it.")


@router.get("/me")
def me(actor: ActorDep) -> Me:
    """The user this request acts for."""
    return Me(id=actor.id, name=actor.name, email=actor.email, role=actor.role.value,
              team=sorted(actor.team))


@router.get("/users")
def list_users(ws: WsDep, actor: ActorDep, paging: PagingDep) -> Page[UserPublic]:
    """The workspace's users (an admin sees everyone, a manager their team, others
    themselves)."""
    return page_of(auth.list_users(ws, actor, limit=paging.fetch, offset=paging.offset), paging)


@router.post("/users", status_code=201)
def add_user(ws: WsDep, actor: ActorDep, body: UserCreate) -> UserPublic:
    """Add a user with a role (admins only)."""
    return auth.add_user(ws, actor, body.model_dump(mode="json"))


@router.post("/users/{user_id}/disable")
def disable_user(ws: WsDep, actor: ActorDep, user_id: Id) -> UserPublic:
    """Disable a user: no more sign-in, their tokens stop working (admins only)."""
    return auth.disable_user(ws, actor, user_id)


@router.get("/audit")
def audit(ws: WsDep, actor: ActorDep, paging: KeyPagingDep,
          contact_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
          account_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
          action: Annotated[str | None, Query(max_length=60)] = None,
          since: Annotated[Day | None, Query()] = None) -> KeyedPage[AuditPublic]:
    """The audit trail, newest first (managers and admins, for records they may read)."""
    rows = audit_trail(ws, actor, contact=contact_id, account=account_id, action=action,
                       since=since, limit=paging.fetch, offset=paging.offset,
                       after=paging.after)
    return keyed_page_of(rows, paging)


@router.get("/tokens")
def list_tokens(ws: WsDep, actor: ActorDep) -> list[TokenPublic]:
    """Your API tokens (never the secrets)."""
    return auth.list_tokens(ws, actor)


@router.post("/tokens", status_code=201)
def create_token(ws: WsDep, actor: ActorDep, body: TokenCreate) -> NewToken:
    """A new API token for you; the secret is shown in this answer only."""
    return auth.create_token(ws, actor, body.name)


@router.delete("/tokens/{token_id}")
def revoke_token(ws: WsDep, actor: ActorDep, token_id: Id) -> TokenPublic:
    """Revoke one of your tokens."""
    return auth.revoke_token(ws, actor, token_id)


@router.get("/visibility")
def visibility(ws: WsDep, actor: ActorDep) -> VisibilityPublic:
    """Who reads whose records: the team setting team-wide reading (off by default)."""
    return team_visibility.visibility(ws, actor)


@router.put("/visibility")
def set_visibility(ws: WsDep, actor: ActorDep, body: VisibilityChange) -> VisibilityPublic:
    """Turn team-wide reading on or off (admins only; audited)."""
    return team_visibility.set_team_reading(ws, actor, body.team_reading)


@router.post("/handover")
def handover(ws: WsDep, actor: ActorDep, body: Handover) -> HandoverPublic:
    """Hand one person's accounts, contacts, deals and follow-ups to another — all, one
    account's or one contact's (admins only; audited). Journals and feelings stay their
    author's."""
    return hand_over(ws, actor, to=body.to_user_id, from_user=body.from_user_id,
                     account=body.account_id, contact=body.contact_id)
