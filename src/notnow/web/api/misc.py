"""JSON API: search, activity views, the private journal and the playbook."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import Field

from notnow.services.learning import journal
from notnow.services.records import activity
from notnow.services.records.search import SearchResults, search
from notnow.services.schemas import Day, Input
from notnow.web.auth import check_csrf
from notnow.web.deps import ActorDep, Id, Page, PagingDep, WsDep, page_of
from notnow.web.errors import ERROR_RESPONSES
from notnow.web.write_slots import HeavyRead

router = APIRouter(dependencies=[Depends(check_csrf)], responses=ERROR_RESPONSES)


class JournalCreate(Input):
    text: str = Field(min_length=1, max_length=journal.MAX_TEXT)
    feelings: str | None = Field(default=None, max_length=journal.MAX_TEXT)
    account_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    contact_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    rejection_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    reflect_days: int | None = Field(default=journal.REFLECT_DAYS, ge=1, le=3660)


class Reflection(Input):
    reflection: str = Field(min_length=1, max_length=journal.MAX_TEXT)


@router.get("/search", tags=["search"])
def search_all(ws: WsDep, actor: ActorDep, q: Annotated[str, Query(min_length=1, max_length=200)]
               ) -> SearchResults:
    """Accounts, contacts and rejections matching the words."""
    return search(ws, actor, q)


@router.get("/contacts/{contact_id}/activity", tags=["contacts"])
def contact_activity(ws: WsDep, actor: ActorDep, contact_id: Id) -> activity.ContactActivity:
    """A contact's timeline of touches, signals and rejections, next steps and cap usage."""
    return activity.contact_activity(ws, actor, contact_id)


@router.get("/accounts/{account_id}/activity", tags=["accounts"])
def account_activity(ws: WsDep, actor: ActorDep, account_id: Id) -> activity.AccountActivity:
    """An account's next steps, rejections and touches."""
    return activity.account_activity(ws, actor, account_id)


@router.get("/journal", tags=["journal"])
def list_journal(ws: WsDep, actor: ActorDep, paging: PagingDep,
                 account_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                 ) -> Page[journal.JournalPublic]:
    """Your own journal, newest first. Nobody else's is ever shown, to anyone."""
    rows = journal.list_entries(ws, actor, account=account_id, limit=paging.offset + paging.fetch)
    return page_of(rows[paging.offset:], paging)


@router.post("/journal", status_code=201, tags=["journal"])
def add_journal(ws: WsDep, actor: ActorDep, body: JournalCreate) -> journal.JournalPublic:
    """Write a private journal entry: what happened, how it felt."""
    return journal.add_entry(ws, actor, body.text, feelings=body.feelings, account=body.account_id,
                             contact=body.contact_id, rejection=body.rejection_id,
                             reflect_days=body.reflect_days)


@router.get("/journal/{entry_id}", tags=["journal"])
def show_journal(ws: WsDep, actor: ActorDep, entry_id: Id) -> journal.JournalPublic:
    """One of your entries (another person's is 'not found')."""
    return journal.get_entry(ws, actor, entry_id)


@router.post("/journal/{entry_id}/reflect", tags=["journal"])
def reflect(ws: WsDep, actor: ActorDep, entry_id: Id, body: Reflection) -> journal.JournalPublic:
    """Add what you see now, re-reading one of your entries."""
    return journal.reflect(ws, actor, entry_id, body.reflection)


@router.get("/playbook", tags=["playbook"])
def playbook(ws: WsDep, actor: ActorDep) -> dict[str, Any]:
    """The team's effective playbook: settings and rules."""
    from notnow.web.playbook_view import workspace_playbook

    pb = workspace_playbook(ws)
    return {"files": list(pb.files), "settings": pb.settings.model_dump(mode="json"),
            "rules": [r.model_dump(mode="json", exclude_none=True) for r in pb.rules]}


@router.get("/report", tags=["insights"], dependencies=[HeavyRead])
def loss_report(ws: WsDep, actor: ActorDep,
                since: Annotated[Day | None, Query(description="From this day on.")] = None,
                user_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                team: bool = False) -> dict[str, Any]:
    """The loss report: figures and tables (yours; a manager's or admin's team by default)."""
    from notnow.services.learning.reports import report

    return report(ws, actor, since=since, for_user=user_id, team=team).to_json()


@router.get("/proof", tags=["insights"], dependencies=[HeavyRead])
def proof(ws: WsDep, actor: ActorDep,
          since: Annotated[Day | None, Query()] = None) -> dict[str, Any]:
    """Your own proof that a no often meant not now: later yeses, days to the deal."""
    from notnow.services.learning.reports import proof_for

    return proof_for(ws, actor, since=since)
