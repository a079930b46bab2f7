"""The promises, checked over what the database holds: do-not-contact and the caps.

`broken_promises(ws)` reads the stored rows and counts, with the core's own rules
(`notnow.core.caps`):

- open follow-ups (due or snoozed) of a contact who opted out or is held;
- contacts still reachable under an identity (normalised email, phone, profile) of a contact
  who opted out: the opt-out suppresses the person, not a row;
- outbound touches recorded, and follow-ups scheduled or moved, after the contact's opt-out —
  "after" in the order the audit trail holds them: every such change is recorded under the
  contact's lock, so the trail's order is the order the lock let them in (a touch made before
  the opt-out and logged later is history, not a broken promise);
- follow-ups that break a cap: each open follow-up is checked against every other open
  follow-up and every outbound touch of its account (the contact caps, the nurture cap after a
  soft no, the account caps). Touches recorded over a cap (the audit trail names them: a touch
  is a fact, recorded even when it should not have happened) are left out: they are the
  salesperson's, not the scheduler's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select

OPENED = ("followup.scheduled", "followup.snooze", "followup.reschedule")


@dataclass
class Broken:
    open_after_opt_out: list[tuple[int, int]] = field(default_factory=list)  # contact, follow-up
    open_while_held: list[tuple[int, int]] = field(default_factory=list)
    touches_after_opt_out: list[tuple[int, int]] = field(default_factory=list)  # contact, touch
    scheduled_after_opt_out: list[tuple[int, str]] = field(default_factory=list)
    over_cap: list[tuple[int, str]] = field(default_factory=list)  # follow-up, which cap
    same_person_reachable: list[tuple[int, int]] = field(default_factory=list)  # opted out, not

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in self.__dataclass_fields__}

    def __bool__(self) -> bool:
        return any(self.counts().values())


def broken_promises(ws: Any) -> Broken:
    from notnow.core.caps import Ledger
    from notnow.services.facts import OPEN, account_facts, account_history, aware, contact_facts
    from notnow.services.playbook import playbook_in
    from notnow.storage.tables import Account, AuditEvent, Contact, FollowUp, Touch

    out = Broken()
    with ws.db.read() as s:
        settings = playbook_in(s).settings
        contacts = {c.id: c for c in s.scalars(select(Contact))}
        opened = list(s.execute(select(FollowUp.id, FollowUp.contact_id, FollowUp.account_id)
                                .where(FollowUp.status.in_(OPEN))))
        for fid, cid, _ in opened:
            c = contacts[cid]
            if c.dnc_at is not None:
                out.open_after_opt_out.append((cid, fid))
            elif c.held_at is not None:
                out.open_while_held.append((cid, fid))

        for key in ("email_key", "phone_key", "linkedin_key"):
            out_by_key = {getattr(c, key): c.id for c in contacts.values()
                          if c.dnc_at is not None and getattr(c, key)}
            out.same_person_reachable += [
                (out_by_key[getattr(c, key)], c.id) for c in contacts.values()
                if c.dnc_at is None and getattr(c, key) in out_by_key]

        # the order the contact's lock let changes in
        marked: dict[int, int] = {}
        for eid, cid, action, note in s.execute(
                select(AuditEvent.id, AuditEvent.contact_id, AuditEvent.action, AuditEvent.note)
                .where(AuditEvent.action.in_(("contact.opted_out", "contact.created")))
                .order_by(AuditEvent.id)):
            c = contacts.get(cid) if cid is not None else None
            if c is None or c.dnc_at is None or cid in marked:
                continue
            if action == "contact.opted_out" or "suppression list" in (note or ""):
                marked[cid] = eid
        touch_event = {eid: tid for eid, tid in s.execute(
            select(AuditEvent.id, AuditEvent.entity_id)
            .where(AuditEvent.action == "touch.recorded"))}
        for eid, cid, action, entity_id, after in s.execute(
                select(AuditEvent.id, AuditEvent.contact_id, AuditEvent.action,
                       AuditEvent.entity_id, AuditEvent.after)
                .where(AuditEvent.contact_id.in_(sorted(marked)),
                       AuditEvent.action.in_((*OPENED, "touch.recorded")))):
            if eid < marked[cid]:
                continue
            if action == "touch.recorded":
                made = datetime.fromisoformat(str((after or {}).get("at")))
                dnc_at = contacts[cid].dnc_at
                assert dnc_at is not None
                if (after or {}).get("direction") == "outbound" and aware(made) >= dnc_at:
                    out.touches_after_opt_out.append((cid, touch_event[eid]))
            else:
                out.scheduled_after_opt_out.append((cid, f"{action} {entity_id}"))
        recorded = set(touch_event.values())
        out.touches_after_opt_out += [
            (cid, tid) for cid, tid in s.execute(
                select(Touch.contact_id, Touch.id).where(Touch.direction == "outbound",
                                                         Touch.contact_id.in_(sorted(marked))))
            if tid not in recorded]  # an outbound touch outside the trail: not in order

        # the caps, over what is stored
        over = set(s.scalars(select(AuditEvent.entity_id)
                             .where(AuditEvent.action == "touch.over_cap")))
        over_ids = {tid for tid in over if tid is not None}
        by_account: dict[int, list[int]] = defaultdict(list)
        for fid, _cid, aid in opened:
            by_account[aid].append(fid)
        for aid, fids in by_account.items():
            account = s.get(Account, aid)
            assert account is not None
            history = account_history(s, account)
            history = replace(history, touches=_touches(s, aid, over_ids))
            facts = {f.id: f for f in history.followups}
            for fid in fids:
                f = facts[fid]
                c = contacts[f.contact_id]
                if c.dnc_at is not None or c.held_at is not None:
                    continue
                rest = replace(history, followups=tuple(x for x in history.followups
                                                        if x.id != fid))
                # an answer to their own message is not nurture (core.caps): as the rule says
                ledger = Ledger(contact_facts(c), account_facts(account), rest, settings,
                                reply=f.reply)
                broken = next((cap.name for cap in ledger.caps if cap.broken_by(f.due)), None)
                if broken is not None:
                    out.over_cap.append((fid, broken))
    return out


def _touches(s: Any, account_id: int, over: set[int]) -> tuple[Any, ...]:
    """The account's touches as the caps read them, less those recorded over a cap."""
    from notnow.core.model import Channel, Direction, TouchFacts
    from notnow.services.facts import aware
    from notnow.storage.tables import Touch

    return tuple(
        TouchFacts(cid, aid, Channel(ch), Direction(d), aware(at), outcome, bool(reply))
        for tid, cid, aid, ch, d, at, outcome, reply in s.execute(
            select(Touch.id, Touch.contact_id, Touch.account_id, Touch.channel, Touch.direction,
                   Touch.at, Touch.outcome, Touch.reply).where(Touch.account_id == account_id))
        if tid not in over)
