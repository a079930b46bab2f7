"""The private journal: notes and feelings written right after a no, read again later.

Every query here is filtered on the author: no function returns another user's entry, not even
to a manager or an admin (an entry of someone else is "not found", so its existence does not
leak). Entries resurface when their author returns to the account
(:func:`journal_for_account`) and once the reflection delay has passed
(:func:`due_for_reflection`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from notnow.core.policy import Actor
from notnow.errors import InvalidInput, NotFound
from notnow.services.lookup import (
    account_clause,
    get_rejection,
    resolve_account,
    resolve_contact,
)
from notnow.services.workspace import Workspace
from notnow.storage.tables import Account, JournalEntry

REFLECT_DAYS = 30
MAX_TEXT = 20_000


class JournalPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    account_id: int | None
    account_name: str | None = None
    contact_id: int | None
    rejection_id: int | None
    text: str
    feelings: str | None
    reflect_on: date | None
    reflection: str | None
    created_at: datetime
    updated_at: datetime | None

    @property
    def reflection_due(self) -> bool:
        return self.reflection is None and self.reflect_on is not None


def _public(e: JournalEntry, account_name: str | None) -> JournalPublic:
    return JournalPublic.model_validate(e).model_copy(update={"account_name": account_name})


def _clean(text: str | None, field: str, *, required: bool = False) -> str | None:
    value = (text or "").strip() or None
    if value is None and required:
        raise InvalidInput("write something first", field=field)
    if value is not None and len(value) > MAX_TEXT:
        raise InvalidInput(f"{len(value):,} characters; keep it under {MAX_TEXT:,}", field=field)
    return value


def add_entry(ws: Workspace, actor: Actor, text: str, *, feelings: str | None = None,
              account: str | int | None = None, contact: str | int | None = None,
              rejection: str | int | None = None,
              reflect_days: int | None = REFLECT_DAYS) -> JournalPublic:
    """Write an entry; it comes back for re-reading after ``reflect_days`` (None: never)."""
    body = _clean(text, "text", required=True)
    assert body is not None
    if reflect_days is not None and not 1 <= reflect_days <= 3660:
        raise InvalidInput("give a number of days between 1 and 3660", field="reflect_days")
    with ws.db.write() as s:
        rej = get_rejection(s, actor, rejection) if rejection is not None else None
        con = resolve_contact(s, actor, contact) if contact is not None else None
        acc = resolve_account(s, actor, account) if account is not None else None
        account_id = (acc.id if acc else con.account_id if con else
                      rej.account_id if rej else None)
        contact_id = con.id if con else rej.contact_id if rej else None
        entry = JournalEntry(
            author_id=actor.id, account_id=account_id, contact_id=contact_id,
            rejection_id=rej.id if rej else None, text=body,
            feelings=_clean(feelings, "feelings"),
            reflect_on=(ws.today() + timedelta(days=reflect_days)) if reflect_days else None,
            created_at=ws.now())
        s.add(entry)
        s.flush()
        name = s.get(Account, account_id).name if account_id else None  # type: ignore[union-attr]
        return _public(entry, name)  # an account named here was just resolved: readable


def _own(actor: Actor) -> Any:
    """The actor's own entries: the only ones any function here returns (with the name of
    the account only while the actor may read it)."""
    return (select(JournalEntry, Account.name)
            .outerjoin(Account, (Account.id == JournalEntry.account_id) & account_clause(actor))
            .where(JournalEntry.author_id == actor.id))


def list_entries(ws: Workspace, actor: Actor, *, account: str | int | None = None,
                 limit: int = 100) -> list[JournalPublic]:
    """The acting user's own entries, newest first."""
    with ws.db.read() as s:
        q = _own(actor)
        if account is not None:
            q = q.where(JournalEntry.account_id == resolve_account(s, actor, account).id)
        q = q.order_by(JournalEntry.created_at.desc(), JournalEntry.id.desc()).limit(limit)
        return [_public(e, name) for e, name in s.execute(q)]


def journal_for_account(ws: Workspace, actor: Actor, account_id: int,
                        limit: int = 5) -> list[JournalPublic]:
    """What the actor wrote about this account, newest first: for agenda rows, the account
    page and the plan. Only their own entries."""
    with ws.db.read() as s:
        q = (_own(actor).where(JournalEntry.account_id == account_id)
             .order_by(JournalEntry.created_at.desc(), JournalEntry.id.desc()).limit(limit))
        return [_public(e, name) for e, name in s.execute(q)]


def due_for_reflection(ws: Workspace, actor: Actor,
                       today: date | None = None) -> list[JournalPublic]:
    """The acting user's entries whose reflection delay has passed and that await a re-read."""
    day = today or ws.today()
    with ws.db.read() as s:
        q = (_own(actor).where(JournalEntry.reflect_on <= day, JournalEntry.reflection.is_(None))
             .order_by(JournalEntry.reflect_on, JournalEntry.id))
        return [_public(e, name) for e, name in s.execute(q)]


def get_entry(ws: Workspace, actor: Actor, entry_id: int) -> JournalPublic:
    with ws.db.read() as s:
        row = s.execute(_own(actor).where(JournalEntry.id == entry_id)).first()
        if row is None:
            raise NotFound(f"no journal entry {entry_id} of yours", field="entry")
        return _public(row[0], row[1])


def reflect(ws: Workspace, actor: Actor, entry_id: int, reflection: str) -> JournalPublic:
    """Add what you see now, re-reading an entry (your own only)."""
    text = _clean(reflection, "reflection", required=True)
    with ws.db.write() as s:
        entry = s.scalar(select(JournalEntry).where(JournalEntry.id == entry_id,
                                                    JournalEntry.author_id == actor.id))
        if entry is None:
            raise NotFound(f"no journal entry {entry_id} of yours", field="entry")
        entry.reflection = text if not entry.reflection else f"{entry.reflection}\n\n{text}"
        entry.updated_at = ws.now()
        s.flush()
        row = s.execute(_own(actor).where(JournalEntry.id == entry.id)).one()
        return _public(row[0], row[1])
