"""Plan the comeback for a stored rejection, and schedule it when the salesperson accepts.

The plan itself is the core's (:func:`notnow.core.plan.make_plan`) over facts loaded from
storage. Accepting writes the plan's follow-ups in one transaction, checking do-not-contact
and every cap once more against what is stored at that moment (another process may have
written since the plan was shown); storage's own guard and triggers stand behind that. The
rejection's earlier open follow-ups (e.g. the check-back scheduled at capture) are replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from notnow.core.caps import check_touch_allowed, ensure_contactable
from notnow.core.model import Channel, FollowUpFacts, FollowUpStatus, History, Label
from notnow.core.offers import Offer, ReferenceCustomer
from notnow.core.plan import Plan, make_plan
from notnow.core.playbook import Playbook, StepKind
from notnow.errors import InvalidInput
from notnow.services.facts import (
    OPEN,
    account_history,
    contact_facts,
    reference_facts,
    rejection_facts,
)
from notnow.services.learning.autopsy import account_facts
from notnow.services.lookup import get_rejection
from notnow.services.playbook import playbook_in
from notnow.services.schemas import FollowUpPublic
from notnow.services.workspace import Workspace
from notnow.storage.tables import (
    Account,
    Contact,
    Deal,
    FollowUp,
    Rejection,
)
from notnow.storage.tables import ReferenceCustomer as ReferenceRow


class PlanStepPublic(BaseModel):
    kind: StepKind
    due: date
    channel: Channel | None
    contact_id: int | None
    contact_name: str | None
    purpose: str
    why: str
    rule: str
    evidence: str
    scheduled: bool


class PlanPublic(BaseModel):
    rejection_id: int
    label: Label
    contact_id: int | None
    contact_name: str | None
    account_name: str | None
    checkback: date | None
    stopped: bool
    steps: list[PlanStepPublic]
    followups: list[FollowUpPublic] = []


@dataclass
class _Planned:
    """One planning run: the plan and the facts it was made from (in the same transaction)."""

    plan: Plan
    people: dict[int, Contact]
    account: Account
    history: History


def plan_rejection(ws: Workspace, rejection: str | int) -> PlanPublic:
    """The plan for a stored rejection (nothing is written)."""
    with ws.db.read() as s:
        return plan_row(ws, s, get_rejection(s, rejection))


def plan_row(ws: Workspace, s: Session, row: Rejection) -> PlanPublic:
    """Plan a rejection row that need not be stored (e.g. a live preview); writes nothing."""
    return _public(row, _plan(ws, s, row, playbook_in(s)), [])


def accept_plan(ws: Workspace, rejection: str | int) -> PlanPublic:
    """Schedule the plan's follow-ups (replacing the rejection's open ones) and return it."""
    with ws.db.write() as s:
        row = get_rejection(s, rejection)
        playbook = playbook_in(s)
        planned = _plan(ws, s, row, playbook)
        s.execute(
            update(FollowUp)
            .where(FollowUp.rejection_id == row.id, FollowUp.status.in_(OPEN))
            .values(status="cancelled", closed_at=ws.now()))
        stored = _store(ws, s, row, planned, playbook)
        return _public(row, planned, stored)


def _plan(ws: Workspace, s: Session, row: Rejection, playbook: Playbook) -> _Planned:
    if row.contact_id is None:
        raise InvalidInput(f"rejection {row.id} has no contact to plan for", field="rejection")
    contact_row = s.get(Contact, row.contact_id)
    assert contact_row is not None
    account_row = contact_row.account
    people = {p.id: p for p in s.scalars(select(Contact).where(
        Contact.account_id == account_row.id))}
    own = set(s.scalars(select(FollowUp.id).where(
        FollowUp.rejection_id == row.id, FollowUp.status.in_(OPEN))))
    history = account_history(s, account_row, skip_followups=own)
    current = s.get(Deal, row.deal_id) if row.deal_id else None
    plan = make_plan(
        rejection_facts(row), contact=contact_facts(contact_row),
        account=account_facts(account_row),
        others=[contact_facts(p) for p in people.values() if p.id != contact_row.id],
        history=history, playbook=playbook, today=ws.today(account_row.timezone),
        offers=_offers(s), references=_references(s, account_row),
        current_offer=current.offer if current else None,
    )
    return _Planned(plan, people, account_row, history)


def _offers(s: Session) -> list[Offer]:
    """What we sell: the offers of our deals; where some were won, the industries they won in."""
    won: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for offer, status, industry in s.execute(
            select(Deal.offer, Deal.status, Account.industry).join(Account).distinct()):
        key = offer.strip().lower()
        names.setdefault(key, offer.strip())
        if status == "won" and industry:
            won.setdefault(key, set()).add(industry)
    return [Offer(name=names[k], industries=tuple(sorted(won.get(k, ())))) for k in sorted(names)]


def _references(s: Session, account: Account) -> list[ReferenceCustomer]:
    return [reference_facts(r) for r in s.scalars(select(ReferenceRow))
            if r.account_id != account.id]


def _store(ws: Workspace, s: Session, row: Rejection, planned: _Planned,
           playbook: Playbook) -> list[FollowUp]:
    """Write the plan's follow-ups, checking each again against what is stored.

    The facts were read in this same write transaction, so they are what storage holds. Each
    step is checked with all the plan's other steps in place, as it will be carried out.
    """
    account = account_facts(planned.account)
    steps = [st for st in sorted(planned.plan.followups(), key=lambda st: st.due)
             if st.contact_id in planned.people and st.channel is not None]
    as_facts = [FollowUpFacts(id=-i - 1, contact_id=st.contact_id or 0, due=st.due,
                              channel=st.channel or Channel.EMAIL, purpose=st.purpose,
                              status=FollowUpStatus.DUE, account_id=account.id)
                for i, st in enumerate(steps)]
    stored: list[FollowUp] = []
    for i, step in enumerate(steps):
        person = planned.people[step.contact_id or 0]
        facts = contact_facts(person)
        ensure_contactable(facts, action=f"schedule '{step.kind.value}'")
        others = tuple(f for j, f in enumerate(as_facts) if j != i)
        history = replace(planned.history, followups=planned.history.followups + others)
        check_touch_allowed(facts, account, step.due, as_facts[i].channel, history,
                            playbook.settings)
        fu = FollowUp(contact_id=person.id, account_id=account.id, deal_id=row.deal_id,
                      rejection_id=row.id, due=step.due, channel=as_facts[i].channel.value,
                      purpose=step.purpose, why=f"{step.why} [evidence: {step.evidence}]",
                      status="due", rule=step.rule, owner_id=row.author_id or ws.user_id,
                      created_at=ws.now())
        s.add(fu)
        stored.append(fu)
    s.flush()
    return stored


def _public(row: Rejection, planned: _Planned, stored: list[FollowUp]) -> PlanPublic:
    plan = planned.plan
    names = {pid: p.name for pid, p in planned.people.items()}
    return PlanPublic(
        rejection_id=row.id, label=plan.label, contact_id=row.contact_id,
        contact_name=names.get(row.contact_id or 0),
        account_name=planned.account.name,
        checkback=plan.checkback, stopped=plan.stopped,
        steps=[PlanStepPublic(kind=st.kind, due=st.due, channel=st.channel,
                              contact_id=st.contact_id,
                              contact_name=names.get(st.contact_id or 0),
                              purpose=st.purpose, why=st.why, rule=st.rule,
                              evidence=st.evidence, scheduled=st.scheduled)
               for st in plan.steps],
        followups=[FollowUpPublic.model_validate(f) for f in stored],
    )
