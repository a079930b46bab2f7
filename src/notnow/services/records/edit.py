"""Fix what was typed: change an account, a contact, a deal or a logged "no", and mark a deal
won or lost (with the reason) — each for a record the actor may change, audited with the
values before and after.

A contact's new email, phone or profile passes the suppression list (storage's guard): if the
person opted out under it, the contact becomes do-not-contact at once, everything planned for
them is cancelled (:func:`optout.apply_dnc`), and the message says so without naming whose
record it was. An email that another contact the actor can see already has is refused with a
suggestion to merge the two (a contact the actor cannot see is never revealed).
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from notnow.core.identity import identities
from notnow.core.labels import parse_choice
from notnow.core.model import DealStatus, DncSource
from notnow.core.policy import Actor
from notnow.errors import Conflict, InvalidInput
from notnow.services.capture.optout import SUPPRESSED_MESSAGE, apply_dnc
from notnow.services.lookup import (
    get_deal,
    get_rejection,
    owned,
    resolve_account,
    resolve_contact,
)
from notnow.services.reach import outbox
from notnow.services.records.contacts import contact_public
from notnow.services.schemas import (
    AccountPublic,
    AccountUpdate,
    ContactPublic,
    ContactUpdate,
    DealPublic,
    DealUpdate,
    RejectionPublic,
    RejectionUpdate,
    validate,
)
from notnow.services.team.audit import record, snapshot
from notnow.services.workspace import Workspace
from notnow.storage.locks import lock_account, lock_contact
from notnow.storage.tables import Account, Contact

REQUIRED = ("name", "offer")
MAX_REASON = 2000
CLOSED = (DealStatus.WON, DealStatus.LOST, DealStatus.WALKED_AWAY)


class ContactEdited(BaseModel):
    contact: ContactPublic
    changed: list[str]
    message: str | None = None
    """Set when the change made the contact do-not-contact (names no one)."""


def _changes(model: type[BaseModel], data: dict[str, Any], *,
             more: bool = False) -> dict[str, Any]:
    spec = validate(model, data)
    values = spec.model_dump(exclude_unset=True)
    for field in REQUIRED:
        if field in values and values[field] is None:
            raise InvalidInput("cannot be empty", field=field)
    if not values and not more:
        raise InvalidInput("nothing to change: give at least one field", field=None)
    return values


def _apply(row: Any, values: dict[str, Any]) -> list[str]:
    changed = []
    for field, value in values.items():
        value = getattr(value, "value", value)
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed.append(field)
    return changed


def edit_account(ws: Workspace, actor: Actor, ref: str | int,
                 data: dict[str, Any]) -> AccountPublic:
    values = _changes(AccountUpdate, data)
    with ws.db.write() as s:
        acc = resolve_account(s, actor, ref, write=True)
        lock_account(s, acc.id)
        s.refresh(acc)
        before = snapshot(acc, *values)
        changed = _apply(acc, values)
        s.flush()
        if changed:
            record(s, actor, "account.edited", "account", acc.id, at=ws.now(),
                   account_id=acc.id, owner_id=acc.owner_id,
                   before={f: before[f] for f in changed}, after=snapshot(acc, *changed))
        return AccountPublic.model_validate(acc)


def _email_key(email: str | None) -> str | None:
    if not email:
        return None
    return next((i.value for i in identities(email=email) if i.kind.value == "email"), None)


def edit_contact(ws: Workspace, actor: Actor, ref: str | int,
                 data: dict[str, Any]) -> ContactEdited:
    values = _changes(ContactUpdate, data)
    now = ws.now()
    with ws.db.write() as s:
        found = resolve_contact(s, actor, ref, write=True)
        c = lock_contact(s, found.id)
        assert c is not None
        key = _email_key(values.get("email"))
        if key is not None and key != c.email_key:
            twin = s.scalar(select(Contact).where(
                Contact.email_key == key, Contact.id != c.id, owned(actor, Contact.owner_id))
                .order_by(Contact.id).limit(1))
            if twin is not None:
                raise Conflict(
                    f"{twin.name} (id {twin.id}) already has the email {values['email']}: if "
                    f"they are the same person, merge them (notnow contact merge {twin.id} "
                    f"{c.id})", field="email", contact_id=twin.id)
        before = snapshot(c, *values, "dnc_at")
        changed = _apply(c, values)
        s.flush()  # storage's guard consults the suppression list for new identities
        message = None
        if before["dnc_at"] is None and c.dnc_at is not None:
            apply_dnc(s, actor, c, reason=c.dnc_reason, source=DncSource.SUPPRESSION, when=now)
            message = SUPPRESSED_MESSAGE
        if changed:
            record(s, actor, "contact.edited", "contact", c.id, at=now,
                   account_id=c.account_id, contact_id=c.id, owner_id=c.owner_id,
                   before={f: before[f] for f in changed}, after=snapshot(c, *changed),
                   note="do-not-contact: an identity was on the suppression list"
                   if message else None)
        s.flush()
        return ContactEdited(contact=contact_public(c, c.account.name), changed=changed,
                             message=message)


def _deal_public(s: Any, d: Any) -> DealPublic:
    acc = s.get(Account, d.account_id)
    return DealPublic.model_validate(d).model_copy(
        update={"account_name": acc.name if acc else None})


def edit_deal(ws: Workspace, actor: Actor, ref: str | int, data: dict[str, Any]) -> DealPublic:
    data = dict(data)
    contact = data.pop("contact_id", None)
    values = _changes(DealUpdate, data, more=contact is not None)
    with ws.db.write() as s:
        d = get_deal(s, actor, ref, write=True)
        lock_account(s, d.account_id)
        s.refresh(d)
        if contact is not None:  # an id, email or name; an empty text clears it
            values["contact_id"] = resolve_contact(
                s, actor, contact, account_id=d.account_id, field="contact",
                write=True).id if str(contact).strip() else None
        if values.get("currency"):
            values["currency"] = values["currency"].upper()
        before = snapshot(d, *values)
        changed = _apply(d, values)
        s.flush()
        if changed:
            record(s, actor, "deal.edited", "deal", d.id, at=ws.now(), account_id=d.account_id,
                   contact_id=d.contact_id, owner_id=d.owner_id,
                   before={f: before[f] for f in changed}, after=snapshot(d, *changed))
        return _deal_public(s, d)


def set_status(ws: Workspace, actor: Actor, ref: str | int, status: str, *,
               reason: str | None = None) -> DealPublic:
    """Open, won, lost (with the reason, which win-back and the report read), nurturing or
    walked away. A lost deal can be reopened or won later: that is the "no → later yes"."""
    new = parse_choice(DealStatus, status, field="status")
    why = (reason or "").strip() or None
    if why is not None and len(why) > MAX_REASON:
        raise InvalidInput(f"keep the reason under {MAX_REASON:,} characters", field="reason")
    if why is not None and new not in (DealStatus.LOST, DealStatus.WALKED_AWAY):
        raise InvalidInput("a reason goes with lost or walked away", field="reason")
    with ws.db.write() as s:
        d = get_deal(s, actor, ref, write=True)
        lock_account(s, d.account_id)
        s.refresh(d)
        before = snapshot(d, "status", "closed_at", "lost_reason")
        if d.status != new.value:
            d.closed_at = ws.now() if new in CLOSED else None
        d.status = new.value
        d.lost_reason = why if new in (DealStatus.LOST, DealStatus.WALKED_AWAY) else None
        s.flush()
        if new == DealStatus.WON and before["status"] != DealStatus.WON.value:
            outbox.deal_won(s, d, ws.now())
        record(s, actor, "deal.status", "deal", d.id, at=ws.now(), account_id=d.account_id,
               contact_id=d.contact_id, owner_id=d.owner_id, before=before,
               after=snapshot(d, "status", "closed_at", "lost_reason"))
        return _deal_public(s, d)


def edit_rejection(ws: Workspace, actor: Actor, ref: str | int,
                   data: dict[str, Any]) -> RejectionPublic:
    """Correct the facts of a logged "no": when, stage, channel, competitor, capability, notes,
    the deal. (The reading — the label — is corrected with ``confirm``.)"""
    from notnow.services.capture.log import check_said_at, rejection_public

    values = _changes(RejectionUpdate, data)
    now = ws.now()
    with ws.db.write() as s:
        r = get_rejection(s, actor, ref, write=True)
        if r.contact_id is not None:
            lock_contact(s, r.contact_id)
        s.refresh(r)
        if "at" in values:
            if values["at"] is None:
                raise InvalidInput("cannot be empty", field="at")
            if values["at"].tzinfo is None:
                values["at"] = values["at"].replace(tzinfo=UTC)
            check_said_at(ws, values["at"])
        if values.get("deal_id") is not None:
            deal = get_deal(s, actor, values["deal_id"], field="deal", write=True)
            if deal.account_id != r.account_id:
                raise InvalidInput(f"deal {deal.id} is at another account", field="deal")
        before = snapshot(r, *values)
        changed = _apply(r, values)
        s.flush()
        if changed:
            record(s, actor, "rejection.edited", "rejection", r.id, at=now,
                   account_id=r.account_id, contact_id=r.contact_id,
                   before={f: before[f] for f in changed if f != "notes"},
                   after={f: v for f, v in snapshot(r, *changed).items() if f != "notes"},
                   note="the notes were changed" if "notes" in changed else None)
        c = s.get(Contact, r.contact_id) if r.contact_id else None
        acc = s.get(Account, r.account_id) if r.account_id else None
        return rejection_public(r, c, acc, actor=actor)
