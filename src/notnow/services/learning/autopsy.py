"""Learning from a loss: the autopsy, and reference customers for the next approach.

The autopsy is one per rejection and author, editable later; its answers are stored as columns
so that they can be counted (:mod:`notnow.core.autopsy`). A manager sees counts and themes
(:mod:`notnow.services.learning.reports`), never anyone's journal.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select

from notnow.core.autopsy import QUESTIONS, Answers, autopsy_suggested, validate_answers
from notnow.core.offers import closest_references
from notnow.core.policy import Actor
from notnow.errors import InvalidInput
from notnow.services.facts import account_facts, reference_facts
from notnow.services.lookup import account_clause, get_rejection, resolve_account
from notnow.services.schemas import Count, Country, Id, Input, Name, Place, Text, Title, validate
from notnow.services.workspace import Workspace
from notnow.storage.tables import Account, Autopsy, Deal, ReferenceCustomer

# --- autopsy ---------------------------------------------------------------------------------


class AutopsyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    rejection_id: int | None
    deal_id: int | None
    listened_to_need: bool | None
    missed_timing: bool | None
    missed_follow_up: bool | None
    missed_events: bool | None
    too_aggressive: bool | None
    winner: str | None
    winner_why: str | None
    do_differently: str | None
    themes: list[str] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime | None


def _answers(row: Autopsy) -> Answers:
    return Answers(**{q.key: getattr(row, q.key) for q in QUESTIONS})


def _autopsy_public(row: Autopsy) -> AutopsyPublic:
    return AutopsyPublic.model_validate(row).model_copy(
        update={"themes": list(_answers(row).themes())})


def autopsy_questions() -> list[dict[str, str]]:
    """The questions, in order, for a form or a prompt."""
    return [{"key": q.key, "prompt": q.prompt, "kind": q.kind} for q in QUESTIONS]


def suggest_autopsy(ws: Workspace, actor: Actor, rejection: str | int) -> bool:
    """Whether `notnow log` (or the web app) should offer an autopsy after this rejection:
    a decision against us, and none written yet by the acting user."""
    with ws.db.read() as s:
        rej = get_rejection(s, actor, rejection)
        status = s.scalar(select(Deal.status).where(Deal.id == rej.deal_id)) \
            if rej.deal_id else None
        done = s.scalar(select(func.count()).select_from(Autopsy).where(
            Autopsy.rejection_id == rej.id, Autopsy.author_id == actor.id))
        return autopsy_suggested(rej.label, status) and not done


def get_autopsy(ws: Workspace, actor: Actor, rejection: str | int) -> AutopsyPublic | None:
    """The acting user's autopsy of this rejection, if written."""
    with ws.db.read() as s:
        rej = get_rejection(s, actor, rejection)
        row = s.scalar(select(Autopsy).where(Autopsy.rejection_id == rej.id,
                                             Autopsy.author_id == actor.id))
        return _autopsy_public(row) if row else None


def save_autopsy(ws: Workspace, actor: Actor, rejection: str | int,
                 answers: dict[str, Any]) -> AutopsyPublic:
    """Write or edit the acting user's autopsy of a rejection whose work they may change (team
    reading lets one read a colleague's loss, not review it); unanswered keys are kept."""
    with ws.db.write() as s:
        rej = get_rejection(s, actor, rejection, write=True)
        row = s.scalar(select(Autopsy).where(Autopsy.rejection_id == rej.id,
                                             Autopsy.author_id == actor.id))
        merged = validate_answers(answers, base=_answers(row) if row else None)
        if row is None:
            row = Autopsy(rejection_id=rej.id, deal_id=rej.deal_id, author_id=actor.id,
                          created_at=ws.now())
            s.add(row)
        else:
            row.updated_at = ws.now()
        for key, value in merged.as_dict().items():
            setattr(row, key, value)
        s.flush()
        return _autopsy_public(row)


# --- reference customers ---------------------------------------------------------------------


class ReferenceCreate(Input):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Name
    account_id: Id | None = None
    country: Country = None
    region: Place = None
    employees: Count | None = None
    industry: Place = None
    offer: Title = None
    may_name: bool = False
    note: Text = None


class ReferencePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    account_id: int | None
    name: str
    country: str | None
    region: str | None
    employees: int | None
    industry: str | None
    offer: str | None
    may_name: bool
    note: str | None
    mention: str = ""
    score: float | None = None
    reasons: list[str] = Field(default_factory=list)


def _ref_public(r: ReferenceCustomer, readable: set[int] | None = None) -> ReferencePublic:
    """A reference as the actor may see it: whole when it has no account or its account is
    one the actor may read (``readable``; None: all); otherwise its story only — the mention
    (their name only if they agreed to be named), size, place, industry and offer, never the
    account, name or note."""
    out = ReferencePublic.model_validate(r).model_copy(
        update={"mention": reference_facts(r).mention()})
    if r.account_id is None or readable is None or r.account_id in readable:
        return out
    return out.model_copy(update={"account_id": None, "name": out.mention, "note": None})


def _readable_accounts(s: Any, actor: Actor, rows: list[ReferenceCustomer]) -> set[int]:
    """The accounts of these references that the actor may read."""
    ids = {r.account_id for r in rows if r.account_id is not None}
    if not ids:
        return set()
    return set(s.scalars(select(Account.id).where(Account.id.in_(sorted(ids)),
                                                  account_clause(actor))))


def add_reference(ws: Workspace, actor: Actor, data: dict[str, Any],
                  account: str | int | None = None) -> ReferencePublic:
    """Register a success; details not given are taken from its account (one the actor may
    change) when there is one. Reference customers' stories are shared by the team (they are
    meant to be told); whose account it is stays with those who may read it."""
    with ws.db.write() as s:
        acc = resolve_account(s, actor, account, write=True) if account is not None else None
        given = {k: v for k, v in data.items() if v is not None}
        if acc is not None:
            base = {"name": acc.name, "country": acc.country, "region": acc.region,
                    "employees": acc.employees, "industry": acc.industry}
            given = {**{k: v for k, v in base.items() if v is not None}, **given,
                     "account_id": acc.id}
        spec = validate(ReferenceCreate, given)
        row = ReferenceCustomer(**spec.model_dump(), created_at=ws.now())
        s.add(row)
        s.flush()
        return _ref_public(row)


def list_references(ws: Workspace, actor: Actor) -> list[ReferencePublic]:
    with ws.db.read() as s:
        rows = list(s.scalars(select(ReferenceCustomer)
                              .order_by(func.lower(ReferenceCustomer.name))))
        readable = _readable_accounts(s, actor, rows)
        return [_ref_public(r, readable) for r in rows]


def closest_for_account(ws: Workspace, actor: Actor, account: str | int,
                        n: int = 3) -> list[ReferencePublic]:
    """The reference customers most like this account (region, size, industry), with why."""
    if n < 1:
        raise InvalidInput("ask for at least one reference", field="n")
    with ws.db.read() as s:
        acc = resolve_account(s, actor, account)
        rows = [r for r in s.scalars(select(ReferenceCustomer))
                if r.account_id != acc.id]
        readable = _readable_accounts(s, actor, rows)
        facts = [reference_facts(r) for r in rows]
        by_facts = {id(f): r for f, r in zip(facts, rows, strict=True)}
        out = []
        for scored in closest_references(account_facts(acc), facts, n=n):
            row = by_facts[id(scored.reference)]
            out.append(_ref_public(row, readable).model_copy(update={
                "score": scored.score, "reasons": list(scored.reasons)}))
        return out


def rejection_for_autopsy(ws: Workspace, actor: Actor, rejection: str | int) -> dict[str, Any]:
    """The rejection the autopsy is about: who, when, what they said (for the prompt)."""
    with ws.db.read() as s:
        rej = get_rejection(s, actor, rejection)
        acc = s.get(Account, rej.account_id) if rej.account_id else None
        return {"id": rej.id, "label": rej.label, "at": rej.at, "text": rej.text,
                "account": acc.name if acc else None, "competitor": rej.competitor}
