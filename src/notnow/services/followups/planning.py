"""Plan the comeback for a stored rejection, and schedule it when the salesperson accepts.

The plan itself is the core's (:func:`notnow.core.plan.make_plan`) over facts loaded from
storage. :func:`schedule_plan` is the one place a plan becomes follow-ups — used when a no is
logged and when a stored plan is accepted — under the contact's lock, checking do-not-contact,
holds and every cap once more against what is stored at that moment; storage's own guard and
triggers stand behind that. Accepting a plan twice changes nothing.

The prospect's latest word wins (:func:`replace_open`): an answer replaces everything still
planned for them, and only the latest answer's plan is ever scheduled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar, overload

from pydantic import BaseModel
from sqlalchemy import Select, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from notnow.core.caps import check_touch_allowed, ensure_schedulable
from notnow.core.model import Channel, FollowUpFacts, FollowUpStatus, History, Label
from notnow.core.offers import Offer, ReferenceCustomer
from notnow.core.plan import Plan, make_plan
from notnow.core.playbook import Playbook, StepKind
from notnow.core.policy import Actor, may_write
from notnow.errors import Conflict, InvalidInput
from notnow.services.facts import (
    OPEN,
    account_facts,
    account_history,
    contact_facts,
    reference_facts,
    rejection_facts,
)
from notnow.services.lookup import get_rejection, owned
from notnow.services.playbook import playbook_in
from notnow.services.schemas import FollowUpPublic
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage import changes
from notnow.storage.locks import lock_contact, lock_contacts
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


def plan_rejection(ws: Workspace, actor: Actor, rejection: str | int) -> PlanPublic:
    """The plan for a stored rejection (nothing is written)."""
    with ws.db.read() as s:
        return plan_row(ws, s, actor, get_rejection(s, actor, rejection))


def plan_row(ws: Workspace, s: Session, actor: Actor, row: Rejection) -> PlanPublic:
    """Plan a rejection row that need not be stored (e.g. a live preview); writes nothing."""
    return _public(row, _plan(ws, s, actor, row, playbook_in(s)), [])


def accept_plan(ws: Workspace, actor: Actor, rejection: str | int) -> PlanPublic:
    """Schedule the plan's follow-ups and return it. Accepting twice changes nothing: once a
    rejection's plan was scheduled, its follow-ups (done, skipped or open) stand. Only the
    contact's latest answer can be accepted: a later one replaced this plan."""
    with ws.db.write() as s:
        row = get_rejection(s, actor, rejection, write=True)
        if row.contact_id is not None:
            lock_contact(s, row.contact_id)
        existing = list(s.scalars(select(FollowUp).where(FollowUp.rejection_id == row.id)
                                  .order_by(FollowUp.due, FollowUp.id)))
        if existing:
            stored = [f for f in existing if f.status in OPEN]
        elif row.review == "pending":
            raise InvalidInput(f"rejection {row.id} waits for you to check how it was read; "
                               "confirm it first (notnow confirm)", field="rejection")
        elif (later := later_answer(s, row)) is not None:
            raise Conflict(f"rejection {row.id} is not their latest word: rejection {later.id} "
                           f"of {later.at.date().isoformat()} replaced its plan; accept that "
                           "one instead", field="rejection", latest=later.id)
        else:
            stored = schedule_plan(ws, s, actor, row)
        # planned with the rejection's own follow-ups left out: the plan as it was made
        return _public(row, _plan(ws, s, actor, row, playbook_in(s)), stored)


def later_answer(s: Session, row: Rejection) -> Rejection | None:
    """The contact's answer logged as said after ``row`` (an out-of-office reply is not an
    answer), if there is one: then ``row`` is no longer their latest word."""
    if row.contact_id is None:
        return None
    return s.scalar(_LATER, {"contact": row.contact_id, "row": row.id, "at": row.at})


_LATER = (select(Rejection).where(
    Rejection.contact_id == bindparam("contact"), Rejection.id != bindparam("row"),
    Rejection.label != Label.AUTO_REPLY.value,
    or_(Rejection.at > bindparam("at"),
        and_(Rejection.at == bindparam("at"), Rejection.id > bindparam("row"))))
    .order_by(Rejection.at.desc(), Rejection.id.desc()).limit(1))
"""later_answer's statement, built once (it runs for every rejection logged)."""


def replace_open(ws: Workspace, s: Session, actor: Actor, contact: Contact,
                 row: Rejection, *, latest: bool = False) -> int:
    """The prospect's latest word wins: cancel what was planned before it.

    Within the caller's write transaction, the contact locked. What goes: every open
    follow-up of the contact — whatever planned it (an earlier answer, another person's plan,
    the prospecting cadence, a win-back) — except what a later answer of theirs planned and
    ``row``'s own; and the steps their earlier answers' plans took toward other people (the
    other ways in: the new plan decides those again). An out-of-office reply is not an answer:
    it replaces only the contact's own follow-ups that fall due while they are away (up to its
    return date); without a return date it replaces nothing. Returns how many were cancelled.
    ``latest``: the caller has just found (:func:`later_answer`, in this transaction, under
    the lock) that ``row`` is their latest word.
    """
    if not latest and later_answer(s, row) is not None:
        return 0
    now = ws.now()
    mine = select(Rejection.id).where(Rejection.contact_id == contact.id, Rejection.id != row.id)
    later = mine.where(or_(Rejection.at > row.at,
                           and_(Rejection.at == row.at, Rejection.id > row.id)))
    own = and_(FollowUp.contact_id == contact.id,
               or_(FollowUp.rejection_id.is_(None),
                   and_(FollowUp.rejection_id != row.id, FollowUp.rejection_id.not_in(later))))
    auto = row.label == Label.AUTO_REPLY.value
    # what goes, found through the contact's and the rejections' indexes, then cancelled by id
    candidates = select(FollowUp.id, FollowUp.status, FollowUp.account_id)
    if auto:
        back = row.return_date or row.checkback
        if back is None:
            return 0
        found = _ids(s, candidates.where(own, FollowUp.due <= back))
    else:
        found = _ids(s, candidates.where(own))
        found += _ids(s, candidates.where(
            FollowUp.rejection_id.in_(mine.where(Rejection.id.not_in(later))),
            FollowUp.contact_id != contact.id))
    if not found:
        return 0
    what = "out-of-office reply" if auto else "answer"
    replaced = s.execute(
        update(FollowUp).where(FollowUp.id.in_(sorted({f for f, _ in found})),
                               FollowUp.status.in_(OPEN))
        .values(status="cancelled", closed_at=now,
                why=func.coalesce(FollowUp.why, "") + f" [replaced by {contact.name}'s {what} "
                f"of {row.at.date().isoformat()} (rejection {row.id})]")
        .execution_options(synchronize_session="fetch",
                           **changes.touching(a for _, a in found)))
    n = int(getattr(replaced, "rowcount", 0) or 0)
    if n:
        record(s, actor, "followups.replaced", "contact", contact.id, at=now,
               account_id=contact.account_id, contact_id=contact.id, owner_id=contact.owner_id,
               after={"cancelled": n, "by_rejection": row.id})
    return n


def _ids(s: Session, query: Select[int, str, int]) -> list[tuple[int, int]]:
    """The open ones among these follow-ups, with their accounts (the status is looked at
    here: SQLite's planner, without statistics, would take the open-status index and read
    every open follow-up)."""
    return [(fid, account) for fid, status, account in s.execute(query) if status in OPEN]


def schedule_plan(ws: Workspace, s: Session, actor: Actor, row: Rejection) -> list[FollowUp]:
    """The one scheduler of a rejection's plan, inside the caller's write transaction.

    Locks the contact (and account); schedules nothing for an opted-out or held contact, nor
    for an answer that is no longer their latest word; replaces what was planned before it
    (:func:`replace_open`), plans with the facts stored now and writes each step, checked
    once more against do-not-contact, holds and every cap."""
    if row.contact_id is None:
        return []
    contact = lock_contact(s, row.contact_id)
    assert contact is not None
    if contact.dnc_at is not None or contact.held_at is not None:
        return []
    if later_answer(s, row) is not None:
        return []
    replace_open(ws, s, actor, contact, row)
    return schedule_replaced(ws, s, actor, row, contact)


def schedule_replaced(ws: Workspace, s: Session, actor: Actor, row: Rejection,
                      contact: Contact) -> list[FollowUp]:
    """:func:`schedule_plan`'s second half, for a caller that has just done its first in the
    same transaction: ``contact`` (``row``'s) locked, neither opted out nor held, ``row`` their
    latest word and :func:`replace_open` done for it (`log_rejection` does exactly that)."""
    now = ws.now()
    playbook = playbook_in(s)
    planned = _plan(ws, s, actor, row, playbook)
    reached = {st.contact_id for st in planned.plan.followups() if st.contact_id}
    if reached - {contact.id}:
        read = _as_read(planned.people, reached)
        locked = lock_contacts(s, reached)  # read again, as stored now (populate_existing)
        if {c.id for c in locked} != reached or _as_read(planned.people, reached) != read:
            planned = _plan(ws, s, actor, row, playbook)  # changed before the lock: plan again
    stored = _store(ws, s, row, planned, playbook)
    for fu in stored:
        record(s, actor, "followup.scheduled", "followup", fu.id, at=now,
               account_id=fu.account_id, contact_id=fu.contact_id, owner_id=fu.owner_id,
               after={"due": fu.due, "channel": fu.channel, "rule": fu.rule})
    return stored


def _as_read(people: dict[int, Contact], ids: set[int]) -> dict[int, tuple[object, ...]]:
    """What a plan read of the people ``ids``: their facts and whose they are. The plan was
    made under the account's lock, which every writer of follow-ups and touches takes first
    (:mod:`notnow.storage.locks`); only a contact's own row can have changed until it is locked
    too — an edit, an opt-out through another of the person's rows — and then the plan is made
    again from what is stored (:func:`schedule_replaced`)."""
    return {pid: (contact_facts(people[pid]), people[pid].owner_id)
            for pid in sorted(ids) if pid in people}


def _plan(ws: Workspace, s: Session, actor: Actor, row: Rejection,
          playbook: Playbook) -> _Planned:
    if row.contact_id is None:
        raise InvalidInput(f"rejection {row.id} has no contact to plan for", field="rejection")
    contact_row = s.get(Contact, row.contact_id)
    assert contact_row is not None
    account_row = contact_row.account
    # the other ways in: the account's contacts whose work the actor may plan
    people = {p.id: p for p in s.scalars(_PEOPLE, {"account": account_row.id})
              if p.id == contact_row.id or may_write(actor, p.owner_id)}
    own = set(s.scalars(_OWN, {"row": row.id}))
    history = account_history(s, account_row, skip_followups=own)
    current = s.get(Deal, row.deal_id) if row.deal_id else None
    plan = make_plan(
        rejection_facts(row), contact=contact_facts(contact_row),
        account=account_facts(account_row),
        others=[contact_facts(p) for p in people.values() if p.id != contact_row.id],
        history=history, playbook=playbook, today=ws.today(account_row.timezone),
        offers=WhenAsked(lambda: _offers(s, actor)),
        references=WhenAsked(lambda: _references(s, account_row)),
        current_offer=current.offer if current else None,
    )
    return _Planned(plan, people, account_row, history)


_PEOPLE = select(Contact).where(Contact.account_id == bindparam("account"))
_OWN = select(FollowUp.id).where(FollowUp.rejection_id == bindparam("row"),
                                 FollowUp.status.in_(OPEN))


T = TypeVar("T")


class WhenAsked(Sequence[T]):
    """What a plan may need, read in the plan's own transaction the first time the plan asks
    for it: only a plan that proposes another offer reads every deal's offer (what we sell, a
    read that grows with the deals), only one that mentions a reference customer reads them."""

    def __init__(self, read: Callable[[], list[T]]) -> None:
        self._read: Callable[[], list[T]] | None = read
        self._items: list[T] = []

    def _all(self) -> list[T]:
        if self._read is not None:
            self._items, self._read = self._read(), None
        return self._items

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[T]:
        return iter(self._all())


def _offers(s: Session, actor: Actor) -> list[Offer]:
    """What we sell: an offer written, in the same words, on deals of two accounts or more
    among the deals the actor may read; where some were won, the industries they were won in.

    An offer on one account's deals alone is that deal's name — how CRMs name deals ("Acme —
    40 seats renewal"), and what an import writes — not something to propose to another
    customer. Counted by the database from an index in offer order (two accounts: the least
    and the greatest differ): what comes back is the offers, not the deals — a CRM import of
    100,000 deals holds about as many names."""
    mine = owned(actor, Deal.owner_id)
    sold = (select(Deal.offer).where(mine).group_by(Deal.offer)
            .having(func.min(Deal.account_id) != func.max(Deal.account_id)))
    offers = sorted(s.scalars(sold))  # in Python's order, whatever the database's collation
    names: dict[str, str] = {}
    for offer in offers:  # the words shown: the first variant in that order
        names.setdefault(offer.strip().lower(), offer.strip())
    won: dict[str, set[str]] = {}
    if offers:
        for offer, industry in s.execute(
                select(Deal.offer, Account.industry).join(Account)
                .where(mine, Deal.status == "won",
                       Deal.offer.in_(offers if len(offers) <= 500 else sold.scalar_subquery()),
                       Account.industry.is_not(None)).distinct()):
            if industry:
                won.setdefault(offer.strip().lower(), set()).add(industry)
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
                              status=FollowUpStatus.DUE, account_id=account.id,
                              kind=st.kind.value)
                for i, st in enumerate(steps)]
    stored: list[FollowUp] = []
    for i, step in enumerate(steps):
        person = planned.people[step.contact_id or 0]
        facts = contact_facts(person)
        ensure_schedulable(facts, action=f"schedule '{step.kind.value}'")
        others = tuple(f for j, f in enumerate(as_facts) if j != i)
        history = replace(planned.history, followups=planned.history.followups + others)
        check_touch_allowed(facts, account, step.due, as_facts[i].channel, history,
                            playbook.settings, reply=as_facts[i].reply)
        fu = FollowUp(contact_id=person.id, account_id=account.id, deal_id=row.deal_id,
                      rejection_id=row.id, due=step.due, channel=as_facts[i].channel.value,
                      purpose=step.purpose, why=f"{step.why} [evidence: {step.evidence}]",
                      status="due", rule=step.rule, kind=step.kind.value,
                      owner_id=person.owner_id or row.author_id, created_at=ws.now())
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
