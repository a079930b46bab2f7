"""The audit trail: every change of state, appended with who, when, what, before and after.

Services call :func:`record` inside the transaction that makes the change, so the trail and the
change are committed together or not at all. Managers and admins read the trail of records
they may read (:func:`notnow.core.policy.may_read_audit`); it is exported as JSON or CSV.
Private words (journals, feelings) are never copied into it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from notnow.core import limits
from notnow.core.model import UserRole
from notnow.core.policy import Actor, readable_owners
from notnow.errors import InvalidInput, PermissionDenied
from notnow.services.lookup import owned, resolve_account, resolve_contact, visible_contacts
from notnow.services.paging import Keyset, Listed
from notnow.services.workspace import Workspace
from notnow.storage.tables import Account, AuditEvent, User

MAX_NOTE = 2000

ACTIONS = {
    "account.created": "added the account", "contact.created": "added the contact",
    "deal.created": "added a deal", "deal.status": "changed a deal's status",
    "rejection.logged": "logged a no", "rejection.label_corrected": "corrected the reading",
    "rejection.confirmed": "confirmed the reading", "followup.scheduled": "scheduled a follow-up",
    "followups.replaced": "replaced the earlier plan", "followup.done": "marked a follow-up done",
    "followup.snooze": "snoozed a follow-up", "followup.skip": "skipped a follow-up",
    "followup.undone": "took back a done, skip or snooze",
    "followup.reschedule": "moved a follow-up", "followup.cancel": "cancelled a follow-up",
    "touch.over_cap": "recorded a touch over a cap", "contact.opted_out": "marked do not contact",
    "contact.opt_out_lift_refused": "tried to lift the opt-out (refused)",
    "contact.exported": "exported their data", "contact.erased": "erased their data",
    "records.reassigned": "handed records over", "playbook.changed": "changed the playbook",
}
"""What each action is called on the pages."""


def describe(action: str) -> str:
    return ACTIONS.get(action, action.replace(".", " ").replace("_", " "))


class AuditPublic(BaseModel):
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str | None = None
    action: str
    entity: str
    entity_id: int | None
    account_id: int | None
    contact_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str | None

    @property
    def what(self) -> str:
        """The action in words."""
        return describe(self.action)


def plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def snapshot(row: Any, *fields: str) -> dict[str, Any]:
    """The named attributes of a row, as JSON-ready values (for before/after)."""
    return {f: plain(getattr(row, f, None)) for f in fields}


def record(s: Session, actor: Actor | None, action: str, entity: str, entity_id: int | None, *,
           at: datetime, account_id: int | None = None, contact_id: int | None = None,
           owner_id: int | None = None, before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None, note: str | None = None) -> None:
    """Append one event to the trail, in the caller's transaction."""
    s.add(AuditEvent(at=at, actor_id=actor.id if actor else None, action=action[:60],
                     entity=entity[:30], entity_id=entity_id, account_id=account_id,
                     contact_id=contact_id, owner_id=owner_id,
                     before=plain(before) if before is not None else None,
                     after=plain(after) if after is not None else None,
                     note=note[:MAX_NOTE] if note else None))


NEWEST_FIRST = Keyset((AuditEvent.id,), descending=True)
"""The trail's order, newest first: where a page ends (:mod:`notnow.services.paging`)."""


def audit_trail(ws: Workspace, actor: Actor, *, contact: str | int | None = None,
                account: str | int | None = None, action: str | None = None,
                since: date | None = None, limit: int = 200,
                offset: int = 0, after: str | None = None) -> Listed[AuditPublic]:
    """Events the actor may read, newest first: of one contact, one account, or all; from
    ``offset``, or after the position a page's token names (``NEWEST_FIRST``)."""
    if actor.role not in (UserRole.MANAGER, UserRole.ADMIN):
        raise PermissionDenied("the audit trail is for managers and admins")
    if not 1 <= limit <= 10_000:
        raise InvalidInput("ask for 1 to 10,000 events", field="limit")
    limits.check_text(action, "action", 60)
    limits.check_day(since, field="since")
    with ws.db.read() as s:
        q = select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.actor_id)
        owners = readable_owners(actor)
        if owners is not None:  # what happened to records they may read now
            q = q.where(or_(
                AuditEvent.contact_id.in_(visible_contacts(actor)),
                AuditEvent.contact_id.is_(None) & AuditEvent.account_id.in_(
                    select(Account.id).where(owned(actor, Account.owner_id))),
                AuditEvent.contact_id.is_(None) & AuditEvent.account_id.is_(None)
                & AuditEvent.owner_id.in_(sorted(owners))))
        if contact is not None:
            q = q.where(AuditEvent.contact_id == resolve_contact(s, actor, contact).id)
        if account is not None:
            q = q.where(AuditEvent.account_id == resolve_account(s, actor, account).id)
        if action:
            q = q.where(AuditEvent.action.like(f"{action.strip()}%"))
        if since is not None:
            q = q.where(AuditEvent.at >= datetime.combine(since, datetime.min.time()))
        start = NEWEST_FIRST.after(after, offset=offset)
        if start is not None:
            q = q.where(start)
        q = q.order_by(*NEWEST_FIRST.order()).limit(limit).offset(offset)
        people = readable_owners(actor)

        def who(actor_id: int | None, name: str | None) -> str | None:
            if actor_id is None or people is None or actor_id in people:
                return name
            return "someone outside your team"

        return NEWEST_FIRST.listed(
            (AuditPublic(id=e.id, at=e.at, actor_id=e.actor_id if who(e.actor_id, name) == name
                         else None, actor_name=who(e.actor_id, name), action=e.action,
                         entity=e.entity, entity_id=e.entity_id, account_id=e.account_id,
                         contact_id=e.contact_id, before=e.before, after=e.after, note=e.note),
             e)
            for e, name in s.execute(q))
