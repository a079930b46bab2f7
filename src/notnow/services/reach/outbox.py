"""The events other services cause, queued in their own transaction (an outbox).

One call where each thing happens: `rejection_logged` in `capture.log.log_rejection`,
`contact_opted_out` in `capture.optout.apply_dnc`, `deal_won` in
`records.deals.set_deal_status`; `followups_due` is the worker's daily look. Each builds the
thin payload of `notnow.reach.events`, lets `reach.webhooks.queue_event` apply the opt-out rule
(an opted-out contact goes out only as ``contact.opted_out``) and queues it for the webhooks
that may carry it: the workspace's, and the personal targets of people who may read the
record. Nothing is read or written when no webhook is on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from notnow.core.policy import may_read
from notnow.storage.tables import Account, Contact, Deal, FollowUp, Rejection, User, Webhook

if TYPE_CHECKING:
    from notnow.reach.events import AccountRef, ContactRef, Event


def _any_hook(s: Session) -> bool:
    return s.scalar(select(Webhook.id).where(Webhook.active.is_(True)).limit(1)) is not None


def _reader_filter(s: Session, event: Event) -> Callable[[Webhook], bool]:
    """A personal target carries an event only when its owner may read the record."""
    from notnow.services.team.acting import actor_from_row

    seen: dict[int, bool] = {}

    def allow(hook: Webhook) -> bool:
        if hook.owner_id is None:
            return True
        if hook.owner_id not in seen:
            user = s.get(User, hook.owner_id)
            seen[hook.owner_id] = (user is not None and user.active and event.owner_id is not None
                                   and may_read(actor_from_row(s, user), event.owner_id))
        return seen[hook.owner_id]

    return allow


def queue(s: Session, event: Event, now: datetime) -> list[int]:
    """Queue one event in the caller's transaction and wake the delivery job."""
    from notnow.reach.webhooks import queue_event
    from notnow.services.reach import schedule

    ids = queue_event(s, event, now, allow=_reader_filter(s, event))
    if ids:  # the job exists since the first webhook was added; this never waits for a lock
        schedule.wake_now(s, schedule.WEBHOOKS, now)
    return ids


def _refs(s: Session, c: Contact) -> tuple[ContactRef, AccountRef, str | None]:
    from notnow.reach.events import AccountRef, ContactRef

    account = s.get(Account, c.account_id)
    owner = s.get(User, c.owner_id) if c.owner_id is not None else None
    return (ContactRef(c.id, c.name, c.email, c.role, do_not_contact=c.dnc_at is not None),
            AccountRef(c.account_id, account.name if account else ""),
            owner.name if owner else None)


def rejection_logged(s: Session, row: Rejection, c: Contact, now: datetime) -> None:
    """A no was logged (not sent when its words were an opt-out: that is its own event)."""
    if not _any_hook(s):
        return
    from dataclasses import replace

    from notnow.reach.events import rejection_logged as build

    contact, account, owner = _refs(s, c)
    event = build(rejection_id=row.id, at=row.at or now, label=row.label, stage=row.stage,
                  channel=row.channel, checkback=row.checkback, contact=contact,
                  account=account, owner=owner, competitor=row.competitor)
    queue(s, replace(event, owner_id=c.owner_id), now)


def contact_opted_out(s: Session, c: Contact, now: datetime) -> None:
    """A contact was marked do-not-contact: the one event that may name them."""
    if not _any_hook(s) or c.dnc_at is None:
        return
    from dataclasses import replace

    from notnow.reach.events import contact_opted_out as build

    contact, account, _ = _refs(s, c)
    event = build(contact=contact, account=account, since=c.dnc_at,
                  source=c.dnc_source or "manual")
    queue(s, replace(event, owner_id=c.owner_id, id=f"msg_optout_{c.id}"), now)


def deal_won(s: Session, d: Deal, now: datetime) -> None:
    """A deal was won: an event when its account had said no before."""
    if not _any_hook(s):
        return
    first = s.execute(select(Rejection.at, Rejection.label, Rejection.contact_id)
                      .join(Contact, Contact.id == Rejection.contact_id)
                      .where(Contact.account_id == d.account_id, Rejection.at <= now)
                      .order_by(Rejection.at, Rejection.id).limit(1)).first()
    if first is None:
        return
    from dataclasses import replace

    from notnow.reach.events import AccountRef
    from notnow.reach.events import deal_won_after_no as build

    account = s.get(Account, d.account_id)
    owner = s.get(User, d.owner_id) if d.owner_id is not None else None
    who = s.get(Contact, d.contact_id) if d.contact_id is not None else None
    contact = _refs(s, who)[0] if who is not None else None
    event = build(deal_id=d.id, offer=d.offer, value=d.value, currency=d.currency,
                  won_at=now, first_no_at=first.at, label_then=first.label,
                  account=AccountRef(d.account_id, account.name if account else ""),
                  contact=contact, owner=owner.name if owner else None)
    queue(s, replace(event, owner_id=d.owner_id, id=f"msg_won_{d.id}"), now)


def followups_due(s: Session, today: date, now: datetime) -> int:
    """The follow-ups due today (and yesterday, in case the worker was down), each announced
    once per due date; never one of a contact who opted out. Returns how many were queued."""
    if not _any_hook(s):
        return 0
    from dataclasses import replace

    from notnow.reach.events import followup_due as build

    rows = s.execute(select(FollowUp, Contact)
                     .join(Contact, Contact.id == FollowUp.contact_id)
                     .where(FollowUp.status == "due", FollowUp.due <= today,
                            FollowUp.due >= today - timedelta(days=1),
                            Contact.dnc_at.is_(None))
                     .order_by(FollowUp.due, FollowUp.id)).all()
    queued = 0
    for f, c in rows:
        contact, account, _ = _refs(s, c)
        owner = s.get(User, f.owner_id) if f.owner_id is not None else None
        event = build(followup_id=f.id, due=f.due, channel=f.channel, purpose=f.purpose,
                      why=f.why, contact=contact, account=account, at=now,
                      owner=owner.name if owner else None)
        queued += len(queue(s, replace(event, owner_id=f.owner_id), now))
    return queued
