"""`notnow import undo ID`: take one import back, as one unit.

What the import created is deleted (with the follow-ups its rejections planned), what it
changed gets its earlier values back, and its CRM ids are forgotten — all in one transaction,
or nothing: a record the import created that was used since (a no logged, a touch recorded by
someone) refuses the undo, naming it. Opt-outs stay: an opt-out is final, so the suppression
list keeps what the import put on it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from notnow.core.policy import Actor, may_write
from notnow.errors import Conflict, NotFound
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage.tables import (
    Account,
    CapabilityRequest,
    Contact,
    Deal,
    ExternalId,
    FollowUp,
    ImportBatch,
    ImportChange,
    Rejection,
    Touch,
)

UNDO_ORDER = {"touch": 0, "rejection": 1, "deal": 2, "contact": 3, "account": 4}
MODELS: dict[str, Any] = {"account": Account, "contact": Contact, "deal": Deal,
                          "rejection": Rejection, "touch": Touch}


class UndonePublic(BaseModel):
    id: int
    deleted: dict[str, int]
    restored: dict[str, int]
    opt_outs_kept: int

    def describe(self) -> str:
        parts = [f"{n} {k}(s) deleted" for k, n in self.deleted.items() if n]
        parts += [f"{n} {k}(s) given their earlier values" for k, n in self.restored.items()
                  if n]
        kept = (f"; {self.opt_outs_kept} opt-out(s) kept (an opt-out is final)"
                if self.opt_outs_kept else "")
        return f"import {self.id} undone: {', '.join(parts) or 'nothing to take back'}{kept}"


def _owner_of(s: Session, kind: str, row: Any) -> int | None:
    if kind in ("rejection", "touch"):
        c = s.get(Contact, row.contact_id) if row.contact_id else None
        return c.owner_id if c is not None else None
    return row.owner_id  # type: ignore[no-any-return]


def undo_import(ws: Workspace, actor: Actor, batch_id: int) -> UndonePublic:
    """Undo import ``batch_id`` (the actor's own import; an admin: anyone's)."""
    now = ws.now()
    with ws.db.write() as s:
        batch = s.get(ImportBatch, batch_id)
        if batch is None or batch.dry_run or not (actor.is_admin or batch.actor_id == actor.id):
            raise NotFound(f"no import {batch_id} of yours", field="id")
        if batch.undone_at is not None:
            raise Conflict(f"import {batch_id} was undone on "
                           f"{batch.undone_at.date().isoformat()}", field="id")
        deleted: dict[str, int] = {k: 0 for k in MODELS}
        restored: dict[str, int] = {k: 0 for k in MODELS}
        kept = 0
        changes = sorted(s.scalars(select(ImportChange).where(
            ImportChange.batch_id == batch.id)), key=lambda ch: (
            UNDO_ORDER.get(ch.entity_kind, 0), -ch.id))  # what refers to others goes first
        for ch in changes:
            model = MODELS.get(ch.entity_kind)
            row = s.get(model, ch.entity_id) if model is not None else None
            if row is None:
                continue
            if ch.action == "suppressed":
                kept += 1
                continue
            if not may_write(actor, _owner_of(s, ch.entity_kind, row)):
                raise Conflict(f"a {ch.entity_kind} of this import ({ch.file}, line {ch.line}) "
                               "is no longer among the records you may change: ask an admin "
                               "to undo it", field="id")
            if ch.action == "updated":
                for field, value in (ch.before or {}).items():
                    setattr(row, field, _typed(getattr(type(row), field), value))
                restored[ch.entity_kind] += 1
            elif ch.action == "created":
                _delete(s, ch.entity_kind, row, ch)
                deleted[ch.entity_kind] += 1
        s.execute(delete(ExternalId).where(ExternalId.batch_id == batch.id))
        batch.status = "undone"
        batch.undone_at = now
        batch.undone_by = actor.id
        s.flush()
        record(s, actor, "import.undone", "import", batch.id, at=now,
               after={"deleted": deleted, "restored": restored, "opt_outs_kept": kept})
        return UndonePublic(id=batch.id, deleted=deleted, restored=restored, opt_outs_kept=kept)


def _delete(s: Session, kind: str, row: Any, ch: ImportChange) -> None:
    if kind == "rejection":
        s.execute(delete(FollowUp).where(FollowUp.rejection_id == row.id))
        s.execute(delete(CapabilityRequest).where(CapabilityRequest.rejection_id == row.id))
    elif kind == "contact":
        used = s.scalar(select(func.count()).select_from(Rejection)
                        .where(Rejection.contact_id == row.id)) or 0
        used += s.scalar(select(func.count()).select_from(Touch)
                         .where(Touch.contact_id == row.id)) or 0
        if used:
            raise Conflict(f"{row.name} ({ch.file}, line {ch.line}) was imported and has been "
                           "used since (a no or a touch recorded): the import cannot be undone",
                           field="id")
        s.execute(delete(FollowUp).where(FollowUp.contact_id == row.id))
    try:
        with s.begin_nested():
            s.delete(row)
            s.flush()
    except IntegrityError:
        raise Conflict(f"a {kind} of this import ({ch.file}, line {ch.line}) is referred to by "
                       "records made since: the import cannot be undone", field="id") from None


def _typed(attr: Any, value: Any) -> Any:
    """A value kept as JSON, back in its column's type."""
    if value is None or not isinstance(value, str):
        return value
    try:
        kind = attr.property.columns[0].type.python_type
    except (AttributeError, NotImplementedError, IndexError):
        return value
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is Decimal:
        return Decimal(value)
    return value
