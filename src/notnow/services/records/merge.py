"""Merge two records of one thing: two contacts of one person, two accounts of one company,
two deals of one offer. ``keep`` stays; everything of ``other`` moves to it; ``other`` goes.

What a merge keeps: every rejection, touch, signal, follow-up, deal, journal link and mail
record of ``other`` (they point at ``keep`` from then on, and the audit trail of ``other``
with them); ``keep``'s own values, with its blanks filled from ``other``; and the strictest
do-not-contact — if either contact opted out, the merged one has, since the earlier mark, and
every identity of both goes on the suppression list (:func:`optout.apply_dnc`). A hold (a
possible opt-out waiting for a decision) is kept the same way.

What was planned: the prospect's latest word wins (:func:`planning.replace_open` with the
merged contact's latest answer), then every follow-up still open passes the caps again over
the merged history (:func:`recheck_open`, the same check as any new date); what no longer
passes is cancelled, saying why. Both merges are audited with ``other``'s values before.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from notnow.core.caps import check_touch_allowed
from notnow.core.model import REPLY_KINDS, Channel, DncSource, Label
from notnow.core.policy import Actor
from notnow.errors import CapExceeded, DoNotContact, InvalidInput
from notnow.services.capture.optout import apply_dnc, cancel_open, contact_identities, suppress
from notnow.services.facts import account_facts, account_history, contact_facts
from notnow.services.lookup import get_deal, resolve_account, resolve_contact
from notnow.services.records.trash import _referencing
from notnow.services.team.audit import record, snapshot
from notnow.services.workspace import Workspace
from notnow.storage.locks import lock_account, lock_contacts
from notnow.storage.tables import (
    Account,
    AuditEvent,
    Contact,
    Deal,
    ExternalId,
    FollowUp,
    Rejection,
)

OPEN = ("due", "snoozed")
CONTACT_BLANKS = ("title", "department", "location", "email", "phone", "linkedin", "timezone")
ACCOUNT_BLANKS = ("domain", "website", "industry", "employees", "country", "region", "city",
                  "timezone", "fiscal_year_start", "rapport_notes")
DEAL_BLANKS = ("contact_id", "value")
FOLLOWS_CONTACT = ("rejections", "touches", "followups", "signals")
"""Tables whose rows carry the contact's account too: it follows the contact."""


class MergePublic(BaseModel):
    entity: str
    kept: int
    merged: int
    moved: dict[str, int]
    do_not_contact: bool = False
    cancelled_followups: int = 0


def recheck_open(ws: Workspace, s: Session, actor: Actor, c: Contact, *, why: str) -> int:
    """Within a write transaction, the contact locked: every open follow-up of ``c`` passes
    do-not-contact, the hold and the caps again (in due order, each against what is stored and
    the ones before it, as when they were scheduled); what does not is cancelled. Returns how
    many were cancelled."""
    from notnow.services.playbook import playbook_in

    rows = list(s.scalars(select(FollowUp).where(FollowUp.contact_id == c.id,
                                                 FollowUp.status.in_(OPEN))
                          .order_by(FollowUp.due, FollowUp.id)))
    if not rows:
        return 0
    acc = s.get(Account, c.account_id)
    assert acc is not None
    settings = playbook_in(s).settings
    now = ws.now()
    later = {f.id for f in rows}
    n = 0
    for fu in rows:
        later.discard(fu.id)
        problem = None
        if c.dnc_at is not None:
            problem = "do-not-contact"
        elif c.held_at is not None:
            problem = "held: a possible opt-out waits for a decision"
        else:
            try:
                check_touch_allowed(contact_facts(c), account_facts(acc), fu.due,
                                    Channel(fu.channel),
                                    account_history(s, acc, skip_followups={fu.id, *later}),
                                    settings, reply=fu.kind in REPLY_KINDS)
            except (CapExceeded, DoNotContact) as exc:
                problem = exc.message
        if problem is not None:
            fu.status = "cancelled"
            fu.closed_at = now
            fu.why = f"{fu.why or ''} [cancelled after {why}: {problem}]".strip()[:4000]
            s.flush()
            n += 1
    if n:
        record(s, actor, "followups.rechecked", "contact", c.id, at=now,
               account_id=c.account_id, contact_id=c.id, owner_id=c.owner_id,
               after={"cancelled": n}, note=why)
    return n


def _move(s: Session, table: str, old: int, new: int) -> dict[str, int]:
    moved: dict[str, int] = {}
    for child, col in _referencing().get(table, ()):
        result = s.execute(update(child).where(col == old).values({col.name: new}))
        n = int(getattr(result, "rowcount", 0) or 0)
        if n:
            moved[child.name] = moved.get(child.name, 0) + n
    return moved


def _fill(keep: Any, other: Any, fields: tuple[str, ...]) -> list[str]:
    filled = []
    for f in fields:
        if getattr(keep, f) in (None, "") and getattr(other, f) not in (None, ""):
            setattr(keep, f, getattr(other, f))
            filled.append(f)
    return filled


def _trail(s: Session, kind: str, old: int, new: int) -> None:
    """The other record's history (audit trail, CRM ids) now names the kept one."""
    if kind == "contact":
        s.execute(update(AuditEvent).where(AuditEvent.contact_id == old)
                  .values(contact_id=new))
    elif kind == "account":
        s.execute(update(AuditEvent).where(AuditEvent.account_id == old)
                  .values(account_id=new))
    s.execute(update(AuditEvent).where(AuditEvent.entity == kind, AuditEvent.entity_id == old)
              .values(entity_id=new))
    s.execute(update(ExternalId).where(ExternalId.entity_kind == kind,
                                       ExternalId.entity_id == old).values(entity_id=new))


def _pair(keep: Any, other: Any, kind: str) -> None:
    if keep.id == other.id:
        raise InvalidInput(f"that is the same {kind} twice: name the {kind} to keep and the "
                           "one to merge into it", field="other")


def merge_contacts(ws: Workspace, actor: Actor, keep: str | int,
                   other: str | int) -> MergePublic:
    """Merge contact ``other`` into ``keep`` (both the actor's to change)."""
    from notnow.services.followups.planning import replace_open

    now = ws.now()
    with ws.db.write() as s:
        k0 = resolve_contact(s, actor, keep, field="keep", write=True)
        o0 = resolve_contact(s, actor, other, field="other", write=True)
        _pair(k0, o0, "contact")
        locked = {c.id: c for c in lock_contacts(s, [k0.id, o0.id])}
        k, o = locked[k0.id], locked[o0.id]
        before = snapshot(o, "name", "account_id", "title", "role", "email", "phone",
                          "linkedin", "dnc_at", "owner_id")
        kept_before = snapshot(k, "dnc_at", "held_at")
        filled = _fill(k, o, CONTACT_BLANKS)
        if k.role == "other" and o.role != "other":
            k.role = o.role
            filled.append("role")
        s.flush()  # storage's guard reads the filled identities against the suppression list
        dnc = _strictest_dnc(k, o)
        cancelled = 0
        if dnc is not None or k.held_at is not None or o.held_at is not None:
            cancelled += cancel_open(s, o.id, now, why="merged into a contact who must not "
                                     "be contacted now" if dnc else "merged into a held contact")
            cancelled += cancel_open(s, k.id, now, why="do-not-contact" if dnc else "held")
        if dnc is None and o.held_at is not None and k.held_at is None:
            k.held_at, k.hold_reason = o.held_at, o.hold_reason
        s.flush()
        if dnc is not None:
            suppress(s, contact_identities(o, s.get(Account, o.account_id).country  # type: ignore[union-attr]
                                           ), source=DncSource(k.dnc_source or "suppression"),
                     now=now)
        o_id, o_account = o.id, o.account_id
        moved = _move(s, "contacts", o_id, k.id)
        if o_account != k.account_id:
            from notnow.services.records.trash import _tables

            for name in FOLLOWS_CONTACT:
                t = _tables()[name]
                s.execute(update(t).where(t.c.contact_id == k.id, t.c.account_id == o_account)
                          .values(account_id=k.account_id))
        _trail(s, "contact", o_id, k.id)
        # what is planned for the person is the kept contact's owner's work from now on
        s.execute(update(FollowUp).where(FollowUp.contact_id == k.id,
                                         FollowUp.status.in_(OPEN),
                                         FollowUp.owner_id != k.owner_id)
                  .values(owner_id=k.owner_id))
        s.expire_all()
        s.execute(delete(Contact).where(Contact.id == o_id))
        k = s.get(Contact, k0.id)  # type: ignore[assignment]
        assert k is not None
        if k.dnc_at is not None:
            apply_dnc(s, actor, k, reason=k.dnc_reason,
                      source=DncSource(k.dnc_source or "suppression"), when=now)
        latest = s.scalar(select(Rejection).where(
            Rejection.contact_id == k.id, Rejection.label != Label.AUTO_REPLY.value)
            .order_by(Rejection.at.desc(), Rejection.id.desc()).limit(1))
        if latest is not None and k.dnc_at is None:
            cancelled += replace_open(ws, s, actor, k, latest)
        cancelled += recheck_open(ws, s, actor, k, why="a merge")
        record(s, actor, "contact.merged", "contact", k.id, at=now, account_id=k.account_id,
               contact_id=k.id, owner_id=k.owner_id, before={"merged": before, **kept_before},
               after={"merged_id": o_id, "moved": moved, "filled": filled,
                      "dnc_at": k.dnc_at, "cancelled_followups": cancelled})
        s.flush()
        return MergePublic(entity="contact", kept=k.id, merged=o_id, moved=moved,
                           do_not_contact=k.dnc_at is not None, cancelled_followups=cancelled)


def _strictest_dnc(k: Contact, o: Contact) -> datetime | None:
    """The earlier opt-out of the two, set on ``k`` (with its reason and source)."""
    if o.dnc_at is not None and (k.dnc_at is None or o.dnc_at < k.dnc_at):
        k.dnc_at, k.dnc_reason, k.dnc_source = o.dnc_at, o.dnc_reason, o.dnc_source
    if k.dnc_at is not None:
        k.held_at = None
        k.hold_reason = None
    return k.dnc_at


def merge_accounts(ws: Workspace, actor: Actor, keep: str | int,
                   other: str | int) -> MergePublic:
    """Merge account ``other`` into ``keep``: its contacts, deals and history move over."""
    now = ws.now()
    with ws.db.write() as s:
        k = resolve_account(s, actor, keep, field="keep", write=True)
        o = resolve_account(s, actor, other, field="other", write=True)
        _pair(k, o, "account")
        for aid in sorted((k.id, o.id)):
            lock_account(s, aid)
        s.refresh(k)
        s.refresh(o)
        before = snapshot(o, "name", "domain", "industry", "country", "owner_id")
        filled = _fill(k, o, ACCOUNT_BLANKS)
        s.flush()
        o_id = o.id
        moved = _move(s, "accounts", o_id, k.id)
        _trail(s, "account", o_id, k.id)
        s.expire_all()
        s.execute(delete(Account).where(Account.id == o_id))
        k = s.get(Account, k.id)  # type: ignore[assignment]
        assert k is not None
        cancelled = 0
        contacts = list(s.scalars(select(Contact).where(
            Contact.account_id == k.id, Contact.id.in_(select(FollowUp.contact_id).where(
                FollowUp.status.in_(OPEN)))).order_by(Contact.id)))
        for c in contacts:
            cancelled += recheck_open(ws, s, actor, c, why="a merge of accounts")
        record(s, actor, "account.merged", "account", k.id, at=now, account_id=k.id,
               owner_id=k.owner_id, before={"merged": before},
               after={"merged_id": o_id, "moved": moved, "filled": filled,
                      "cancelled_followups": cancelled})
        s.flush()
        return MergePublic(entity="account", kept=k.id, merged=o_id, moved=moved,
                           cancelled_followups=cancelled)


def merge_deals(ws: Workspace, actor: Actor, keep: str | int, other: str | int) -> MergePublic:
    """Merge deal ``other`` into ``keep`` (one account's): its rejections, touches and plans
    move over; ``keep``'s status stands."""
    now = ws.now()
    with ws.db.write() as s:
        k = get_deal(s, actor, keep, field="keep", write=True)
        o = get_deal(s, actor, other, field="other", write=True)
        _pair(k, o, "deal")
        if k.account_id != o.account_id:
            raise InvalidInput("these deals are at different accounts: merge the accounts "
                               "first, or keep both deals", field="other")
        lock_account(s, k.account_id)
        before = snapshot(o, "offer", "value", "currency", "stage", "status", "lost_reason")
        filled = _fill(k, o, DEAL_BLANKS)
        s.flush()
        o_id = o.id
        moved = _move(s, "deals", o_id, k.id)
        _trail(s, "deal", o_id, k.id)
        s.expire_all()
        s.execute(delete(Deal).where(Deal.id == o_id))
        k = s.get(Deal, k.id)  # type: ignore[assignment]
        assert k is not None
        record(s, actor, "deal.merged", "deal", k.id, at=now, account_id=k.account_id,
               contact_id=k.contact_id, owner_id=k.owner_id, before={"merged": before},
               after={"merged_id": o_id, "moved": moved, "filled": filled})
        s.flush()
        return MergePublic(entity="deal", kept=k.id, merged=o_id, moved=moved)


def merge(ws: Workspace, actor: Actor, kind: str, keep: str | int,
          other: str | int) -> MergePublic:
    """Merge two records of one kind (account, contact or deal)."""
    run = {"account": merge_accounts, "contact": merge_contacts, "deal": merge_deals}.get(kind)
    if run is None:
        raise InvalidInput(f"unknown kind {kind!r}; expected account, contact or deal",
                           field="kind")
    return run(ws, actor, keep, other)
