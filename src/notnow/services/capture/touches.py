"""Recording what happened: an attempt (call, email, note…) or the prospect's answer.

A touch is a fact, so an outbound one that breaks a cap is still recorded (it happened) but
the answer names the cap it broke and the audit trail keeps it; one to a do-not-contact
contact is refused, unless it was made before the opt-out (then it is history). Every touch is
in the audit trail, in the order the contact's lock let them in. The contact's lock is held
while the rules are checked, so an opt-out committed a moment before is always seen.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from notnow.core.caps import check_touch_allowed, ensure_contactable
from notnow.core.model import Channel
from notnow.core.policy import Actor
from notnow.errors import CapExceeded, InvalidInput
from notnow.services.facts import account_facts, account_history, contact_facts
from notnow.services.lookup import get_deal, resolve_contact
from notnow.services.playbook import playbook_in
from notnow.services.schemas import TouchCreate, TouchPublic, validate
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage.locks import lock_contact
from notnow.storage.tables import Contact, Touch

FUTURE_SLACK = timedelta(minutes=5)


def add_touch(s: Any, actor: Actor | None, c: Contact, *, channel: Channel, direction: str,
              outcome: str | None, at: datetime, now: datetime, deal_id: int | None = None,
              author_id: int | None = None, reply: bool = False) -> tuple[Touch, str | None]:
    """Within a write transaction: lock the contact, check, and add the touch.

    ``reply``: it answers the prospect's own message (not nurture). Returns the touch and the
    cap it broke (None when it broke none)."""
    locked = lock_contact(s, c.id)
    assert locked is not None
    c = locked
    over: str | None = None
    if direction == "outbound":
        ensure_contactable(contact_facts(c), action="record an outbound touch", at=at)
        try:
            check_touch_allowed(contact_facts(c), account_facts(c.account), at, channel,
                                account_history(s, c.account), playbook_in(s).settings,
                                reply=reply)
        except CapExceeded as exc:
            over = str(exc.details.get("cap") or exc.message)
    t = Touch(contact_id=c.id, account_id=c.account_id, deal_id=deal_id, channel=channel.value,
              direction=direction, outcome=outcome, at=at,
              author_id=author_id if author_id is not None else (actor.id if actor else None),
              created_at=now, reply=reply)
    s.add(t)
    s.flush()
    record(s, actor, "touch.recorded", "touch", t.id, at=now, account_id=c.account_id,
           contact_id=c.id, owner_id=c.owner_id,
           after={"direction": direction, "channel": channel.value, "at": at,
                  "over_cap": over})
    if over is not None:
        record(s, actor, "touch.over_cap", "touch", t.id, at=now, account_id=c.account_id,
               contact_id=c.id, owner_id=c.owner_id, note=over)
    return t, over


def record_touch(ws: Workspace, actor: Actor, data: dict[str, Any], *,
                 contact: str | int) -> TouchPublic:
    """Record an attempt or an answer. Outbound touches to a do-not-contact contact are
    refused; one that breaks a cap is recorded and says which."""
    now = ws.now()
    with ws.db.write() as s:
        c = resolve_contact(s, actor, contact, write=True)
        spec = validate(TouchCreate, {**data, "contact_id": c.id})
        at = spec.at or now
        if at > now + FUTURE_SLACK:
            raise InvalidInput(f"{at.isoformat(timespec='minutes')} is in the future",
                               field="at")
        if spec.deal_id is not None:
            deal = get_deal(s, actor, spec.deal_id, field="deal_id")
            if deal.account_id != c.account_id:
                raise InvalidInput(f"deal {deal.id} is at another account", field="deal_id")
        t, over = add_touch(s, actor, c, channel=spec.channel, direction=spec.direction.value,
                            outcome=spec.outcome, at=at, now=now, deal_id=spec.deal_id)
        return TouchPublic.model_validate(t).model_copy(update={"over_cap": over})
