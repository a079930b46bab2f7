"""What happens to a follow-up (done, snooze, skip, reschedule, cancel) and signals recorded.

Transitions are the core's state machine (:func:`notnow.core.cadence.transition`); a new date
must pass do-not-contact and every cap like any scheduled touch. Marking one done records the
touch it was, so the caps count it. A signal of ``unsubscribed`` is an opt-out: the contact is
marked do-not-contact and their open follow-ups are cancelled.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from notnow.core import limits
from notnow.core.businessdays import next_business_day
from notnow.core.cadence import Action, attempts, next_attempt, paused_until, transition
from notnow.core.caps import check_touch_allowed, ensure_schedulable
from notnow.core.labels import parse_choice
from notnow.core.model import REPLY_KINDS, Channel, DncSource, SignalKind, is_active
from notnow.core.policy import Actor
from notnow.errors import Conflict, InvalidInput
from notnow.services.capture.optout import apply_dnc
from notnow.services.capture.touches import add_touch
from notnow.services.facts import (
    OPEN,
    account_facts,
    account_history,
    contact_facts,
    followup_facts,
)
from notnow.services.lookup import get_followup, resolve_contact
from notnow.services.playbook import playbook_in
from notnow.services.schemas import FollowUpPublic
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage.locks import lock_contact
from notnow.storage.tables import AuditEvent, Contact, FollowUp, Signal, Touch

CADENCE_RULE = "cadence.next_attempt"


def act(ws: Workspace, actor: Actor, followup_id: int | str, action: str, *,
        to: date | None = None) -> FollowUpPublic:
    """Apply ``action`` (done, snooze, skip, reschedule, cancel) to one follow-up, under the
    contact's lock: a new date passes do-not-contact and every cap as stored now."""
    what = parse_choice(Action, action, field="action")
    limits.check_day(to, field="date")
    with ws.db.write() as s:
        row = get_followup(s, actor, followup_id, write=True)
        contact = lock_contact(s, row.contact_id)
        assert contact is not None
        settings = playbook_in(s).settings
        s.refresh(row)  # as stored after the lock
        account = contact.account
        before = {"status": row.status, "due": row.due}
        today = ws.today(contact.timezone or account.timezone)
        after = transition(followup_facts(row), what, today=today, to=to,
                           country=account.country)
        if what in (Action.SNOOZE, Action.RESCHEDULE):
            facts = contact_facts(contact)
            ensure_schedulable(facts, action=f"{what.value} a follow-up")
            history = account_history(s, account, skip_followups={row.id})
            pause = paused_until(history, contact.id)
            if pause is not None and after.due <= pause:
                # they are away: a new date lands after their return, never inside
                back = next_business_day(pause + timedelta(days=1), account.country)
                after = replace(after, due=back)
            check_touch_allowed(facts, account_facts(account), after.due, after.channel,
                                history, settings, reply=row.kind in REPLY_KINDS)
        row.status = after.status.value
        row.due = after.due
        if what in (Action.DONE, Action.SKIP, Action.CANCEL):
            row.closed_at = ws.now()
        touch_id = None
        if what == Action.DONE:
            touch, _ = add_touch(s, actor, contact, channel=Channel(row.channel),
                                 direction="outbound", outcome=f"follow-up {row.id} done",
                                 at=ws.now(), now=ws.now(), deal_id=row.deal_id,
                                 reply=row.kind in REPLY_KINDS)
            touch_id = touch.id
        s.flush()
        done = {"status": row.status, "due": row.due}
        record(s, actor, f"followup.{what.value}", "followup", row.id, at=ws.now(),
               account_id=row.account_id, contact_id=row.contact_id, owner_id=row.owner_id,
               before=before, after=done if touch_id is None else {**done, "touch_id": touch_id})
        return FollowUpPublic.model_validate(row)


UNDO_WINDOW = timedelta(minutes=10)
UNDOABLE = ("followup.done", "followup.skip", "followup.snooze")


def undo(ws: Workspace, actor: Actor, followup_id: int | str, *,
         within: timedelta = UNDO_WINDOW) -> FollowUpPublic:
    """Take back the last done, skip or snooze of a follow-up — the actor's own, within
    ``within`` (10 minutes), while nothing else changed it since: its status and date are put
    back, and the touch that marking it done recorded is removed (so the caps no longer count
    it). Reopening passes do-not-contact and holds under the contact's lock, like any
    scheduling; the undo is on the audit trail (``followup.undone``)."""
    with ws.db.write() as s:
        row = get_followup(s, actor, followup_id, write=True)
        contact = lock_contact(s, row.contact_id)
        assert contact is not None
        s.refresh(row)  # as stored after the lock
        last = s.scalar(select(AuditEvent).where(AuditEvent.entity == "followup",
                                                 AuditEvent.entity_id == row.id)
                        .order_by(AuditEvent.id.desc()).limit(1))
        now = ws.now()
        if last is None or last.action not in UNDOABLE or last.actor_id != actor.id:
            raise Conflict("nothing to undo on this follow-up", field="id")
        if _aware(last.at) < now - within:
            raise Conflict(f"too late to undo: it was more than {_minutes(within)} ago",
                           field="id")
        before, after = last.before or {}, last.after or {}
        if row.status != after.get("status") or str(row.due) != str(after.get("due")):
            raise Conflict("it has changed since; nothing was undone", field="id")
        status, due = str(before["status"]), date.fromisoformat(str(before["due"]))
        if status in ("due", "snoozed"):
            ensure_schedulable(contact_facts(contact), action="reopen a follow-up")
        touch_id = after.get("touch_id")
        if touch_id is not None:
            touch = s.get(Touch, int(touch_id))
            if touch is not None and touch.contact_id == row.contact_id:
                s.delete(touch)
        row.status, row.due, row.closed_at = status, due, None
        s.flush()
        record(s, actor, "followup.undone", "followup", row.id, at=now,
               account_id=row.account_id, contact_id=row.contact_id, owner_id=row.owner_id,
               before={"status": after.get("status"), "due": after.get("due")},
               after={"status": row.status, "due": row.due},
               note=f"took back {last.action.split('.', 1)[1]}"
               + (f"; its touch {touch_id} removed" if touch_id is not None else ""))
        return FollowUpPublic.model_validate(row)


def _aware(at: datetime) -> datetime:
    from datetime import UTC

    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _minutes(span: timedelta) -> str:
    n = int(span.total_seconds() // 60)
    return f"{n} minute{'' if n == 1 else 's'}"


def snooze_base(ws: Workspace, actor: Actor, followup_id: int | str) -> date:
    """The day a snooze counts from: the later of the due date and the contact's today."""
    with ws.db.read() as s:
        row = get_followup(s, actor, followup_id)
        contact = row_contact(s, row)
        return max(row.due, ws.today(contact.timezone or contact.account.timezone))


def row_contact(s: Any, row: FollowUp) -> Contact:
    found: Contact | None = s.get(Contact, row.contact_id)
    assert found is not None
    return found


class SignalPublic(BaseModel):
    id: int
    contact_id: int
    contact_name: str
    kind: SignalKind
    active: bool
    at: datetime
    note: str | None
    opted_out: bool = False
    cancelled_followups: int = 0


def record_signal(ws: Workspace, actor: Actor, contact: str | int, kind: str, *,
                  note: str | None = None, at: datetime | None = None) -> SignalPublic:
    """Record what a prospect did (or did not do); it changes the pace of what follows."""
    signal_kind = parse_choice(SignalKind, kind, field="kind")
    limits.check_text(note, "note", limits.NOTE)
    limits.check_day(at, field="at")
    if at is not None and at > ws.now() + timedelta(minutes=5):
        raise InvalidInput(f"{at.isoformat(timespec='minutes')} is in the future", field="at")
    with ws.db.write() as s:
        c = resolve_contact(s, actor, contact, write=True)
        locked = lock_contact(s, c.id)  # before anything refers to the contact's row
        assert locked is not None
        c = locked
        when = at or ws.now()
        row = Signal(contact_id=c.id, account_id=c.account_id, kind=signal_kind.value,
                     active=is_active(signal_kind), note=note, at=when, author_id=actor.id)
        s.add(row)
        s.flush()
        cancelled, opted_out = 0, False
        if signal_kind == SignalKind.UNSUBSCRIBED:
            mark = apply_dnc(s, actor, c, reason=note or "unsubscribed",
                             source=DncSource.PROSPECT, when=when)
            cancelled, opted_out = mark.cancelled_followups, True
        return SignalPublic(id=row.id, contact_id=c.id, contact_name=c.name, kind=signal_kind,
                            active=row.active, at=when, note=note, opted_out=opted_out,
                            cancelled_followups=cancelled)


class NextAttemptPublic(BaseModel):
    contact_id: int
    contact_name: str
    attempts: int
    channels: list[str]
    silence: str
    day: date | None
    channel: str | None
    why: str | None
    followup_id: int | None = None


def next_attempt_for(ws: Workspace, actor: Actor, contact: str | int, *,
                     schedule: bool = False) -> NextAttemptPublic:
    """The prospecting cadence for one contact: attempts so far, the silence rule, and the next
    attempt (scheduled as a follow-up with ``schedule``, under the contact's lock)."""
    with ws.db.write() if schedule else ws.db.read() as s:
        c = resolve_contact(s, actor, contact, write=schedule)
        if schedule:
            locked = lock_contact(s, c.id)
            assert locked is not None
            c = locked
            ensure_schedulable(contact_facts(c), action="schedule the next attempt")
        settings = playbook_in(s).settings
        account = c.account
        facts, acc = contact_facts(c), account_facts(account)
        history = account_history(s, account)
        done = attempts(history, facts, acc)
        nxt = next_attempt(facts, acc, history, settings, ws.today(c.timezone or account.timezone))
        fid = None
        pending = s.scalar(select(FollowUp).where(
            FollowUp.contact_id == c.id, FollowUp.rule == CADENCE_RULE,
            FollowUp.status.in_(OPEN)).order_by(FollowUp.due, FollowUp.id).limit(1))
        if pending is not None:  # the next attempt is already planned: asking again adds none
            fid = pending.id if schedule else None
            nxt = (replace(nxt, day=pending.due, channel=Channel(pending.channel))
                   if nxt is not None else None)
        elif schedule and nxt is not None:
            fu = FollowUp(contact_id=c.id, account_id=account.id, due=nxt.day,
                          channel=nxt.channel.value, purpose=f"Attempt {nxt.attempt} to reach "
                          f"{c.name}", why=nxt.why, status="due", rule=CADENCE_RULE,
                          owner_id=c.owner_id or actor.id, created_at=ws.now())
            s.add(fu)
            s.flush()
            fid = fu.id
            record(s, actor, "followup.scheduled", "followup", fu.id, at=ws.now(),
                   account_id=account.id, contact_id=c.id, owner_id=fu.owner_id,
                   after={"due": fu.due, "channel": fu.channel, "rule": fu.rule})
        return NextAttemptPublic(
            contact_id=c.id, contact_name=c.name, attempts=done.count,
            channels=sorted(ch.value for ch in done.channels),
            silence=done.explain_silence(settings), day=nxt.day if nxt else None,
            channel=nxt.channel.value if nxt else None, why=nxt.why if nxt else None,
            followup_id=fid)
