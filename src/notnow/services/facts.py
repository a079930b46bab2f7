"""Rows to the core's plain records, loaded per account in a few queries."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BindParameter, bindparam, func, select, union
from sqlalchemy.orm import Session

from notnow.core.model import (
    AccountFacts,
    Channel,
    ContactFacts,
    Direction,
    DncMark,
    DncSource,
    Evidence,
    FollowUpFacts,
    FollowUpStatus,
    History,
    Label,
    RejectionFacts,
    Role,
    SignalFacts,
    SignalKind,
    Stage,
    TouchFacts,
)
from notnow.core.offers import ReferenceCustomer as ReferenceFacts
from notnow.storage.tables import (
    Account,
    Contact,
    FollowUp,
    ReferenceCustomer,
    Rejection,
    Signal,
    Touch,
)

OPEN = ("due", "snoozed")


def aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def reference_facts(r: ReferenceCustomer) -> ReferenceFacts:
    return ReferenceFacts(name=r.name, region=r.region, country=r.country, employees=r.employees,
                          industry=r.industry, offer=r.offer, may_name=r.may_name)


def account_facts(acc: Account) -> AccountFacts:
    return AccountFacts(id=acc.id, name=acc.name, industry=acc.industry,
                        employees=acc.employees, country=acc.country, region=acc.region,
                        city=acc.city, timezone=acc.timezone,
                        fiscal_year_start=acc.fiscal_year_start, domain=acc.domain)


def contact_facts(c: Contact) -> ContactFacts:
    dnc = (DncMark(since=aware(c.dnc_at), reason=c.dnc_reason,
                   source=DncSource(c.dnc_source or "manual")) if c.dnc_at else None)
    role = Role(c.role) if c.role in Role._value2member_map_ else Role.OTHER
    return ContactFacts(id=c.id, account_id=c.account_id, name=c.name, role=role, title=c.title,
                        department=c.department, location=c.location, email=c.email,
                        timezone=c.timezone, dnc=dnc,
                        hold=(c.hold_reason or "held") if c.held_at is not None else None,
                        email_bounced=c.email_bounced_at is not None)


def rejection_facts(r: Rejection) -> RejectionFacts:
    referral = r.referral.get("name") if isinstance(r.referral, dict) else None
    evidence = tuple(Evidence(int(e.get("start", 0)), int(e.get("end", 0)), str(e.get("text", "")),
                              e.get("label")) for e in (r.evidence or []) if isinstance(e, dict))
    label = Label(r.label)
    return RejectionFacts(
        id=r.id, contact_id=r.contact_id, account_id=r.account_id, at=aware(r.at), label=label,
        also=tuple(Label(a) for a in (r.also or []) if a in Label._value2member_map_),
        stage=Stage(r.stage) if r.stage and r.stage in Stage._value2member_map_ else None,
        channel=(Channel(r.channel) if r.channel and r.channel in Channel._value2member_map_
                 else None),
        text=r.text, evidence=evidence,
        # an out-of-office reply's return date is when contact may resume
        checkback=r.return_date if label == Label.AUTO_REPLY and r.return_date else r.checkback,
        checkback_phrase=r.checkback_phrase, competitor=r.competitor, capability=r.capability,
        referral=referral, deal_id=r.deal_id, confidence=r.confidence,
    )


def followup_facts(f: FollowUp) -> FollowUpFacts:
    return FollowUpFacts(id=f.id, contact_id=f.contact_id, due=f.due, channel=Channel(f.channel),
                         purpose=f.purpose, status=FollowUpStatus(f.status), rule=f.rule,
                         deal_id=f.deal_id, why=f.why, account_id=f.account_id, kind=f.kind)


def account_history(s: Session, account: Account, *, skip_followups: set[int] | None = None,
                    ) -> History:
    """The account's touches, signals, rejections and open follow-ups: what the caps count.

    Plain column queries (no ORM objects): only what the rules read. Rejections carry their
    label and time; load one in full with :func:`rejection_facts` when needed.
    """
    skip = skip_followups or set()
    at = {"account": account.id}
    touches = tuple(
        TouchFacts(cid, aid, Channel(ch), Direction(d), aware(when), outcome, bool(reply), tid)
        for tid, cid, aid, ch, d, when, outcome, reply in s.execute(_TOUCHES, at))
    signals = tuple(
        SignalFacts(SignalKind(kind), aware(when), cid, aid)
        for _id, kind, when, cid, aid in s.execute(_SIGNALS, at))
    # an out-of-office reply's return date is when contact may resume (cadence.paused_until)
    rejections = tuple(
        RejectionFacts(id=rid, contact_id=cid, account_id=aid, at=aware(when),
                       label=Label(label),
                       checkback=back if label == Label.AUTO_REPLY.value else None)
        for rid, cid, aid, when, label, back in s.execute(_REJECTIONS, at))
    followups = tuple(
        FollowUpFacts(id=fid, contact_id=cid, due=due, channel=Channel(ch), purpose=purpose,
                      status=FollowUpStatus(status), rule=rule, account_id=aid, kind=kind)
        for fid, cid, aid, due, ch, purpose, status, rule, kind in s.execute(_FOLLOWUPS, at)
        if fid not in skip)
    return History(touches=touches, signals=signals, rejections=rejections, followups=followups)


# account_history's statements, built once (they run for every touch and plan checked)
_ACCOUNT: BindParameter[int] = bindparam("account")
_TOUCHES = (select(Touch.id, Touch.contact_id, Touch.account_id, Touch.channel,
                   Touch.direction, Touch.at, Touch.outcome, Touch.reply)
            .where(Touch.account_id == _ACCOUNT))
# the account's signals and its contacts': two index scans (an OR of the two made PostgreSQL
# read every signal, 22 ms at 157k of them, for every write checked against the caps)
_SIGNAL = select(Signal.id, Signal.kind, Signal.at, Signal.contact_id, Signal.account_id)
_SIGNALS = union(_SIGNAL.where(Signal.account_id == _ACCOUNT),
                 _SIGNAL.where(Signal.contact_id.in_(
                     select(Contact.id).where(Contact.account_id == _ACCOUNT))))
_REJECTIONS = (select(Rejection.id, Rejection.contact_id, Rejection.account_id, Rejection.at,
                      Rejection.label, func.coalesce(Rejection.return_date, Rejection.checkback))
               .where(Rejection.account_id == _ACCOUNT))
_FOLLOWUPS = (select(FollowUp.id, FollowUp.contact_id, FollowUp.account_id, FollowUp.due,
                     FollowUp.channel, FollowUp.purpose, FollowUp.status, FollowUp.rule,
                     FollowUp.kind)
              .where(FollowUp.account_id == _ACCOUNT, FollowUp.status.in_(OPEN)))
