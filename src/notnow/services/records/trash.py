"""Delete and restore: a deleted record goes to the trash with everything that belongs to it,
and can be restored for :data:`RETENTION_DAYS` days; then it is purged.

Deleting takes the rows out of their tables (so no read path — lookups, the agenda, reports,
exports — can show them) and keeps them in one ``trash`` row: the record, what belongs to it
(:data:`OWNING`: a contact's rejections, touches, follow-ups and signals; a rejection's plan,
autopsy and capability requests; an account's contacts and deals, and theirs), and the
references other rows had to them (a journal entry, a mail message, a deal's main contact),
which are cleared and set again on restore.

Restoring puts every row back (under a new id when its old one was taken meanwhile) through the
ORM, so storage's guard consults the suppression list again: a contact whose identity was
suppressed while it lay in the trash comes back do-not-contact. What was planned comes back
open only if it still may be: the contact is not do-not-contact or held, the answer that
planned it is still their latest word, and every cap passes (:func:`recheck_open`); the rest
comes back cancelled, saying why.

The do-not-contact mark is never undone by a deletion: the suppression list is not in the
trash. Every delete and restore is audited (what, whose, how many rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Column, DateTime, Table, delete, func, select, update
from sqlalchemy.orm import Session

from notnow.core.policy import Actor
from notnow.errors import Conflict, InvalidInput, NotFound
from notnow.services.lookup import (
    get_deal,
    get_followup,
    get_rejection,
    get_touch,
    owned,
    record_id,
    resolve_account,
    resolve_contact,
)
from notnow.services.team.audit import plain, record
from notnow.services.workspace import Workspace
from notnow.storage.locks import lock_account, lock_contact
from notnow.storage.tables import Base, Contact, Rejection, Trash, UTCDateTime

RETENTION_DAYS = 30
KINDS = ("account", "contact", "deal", "rejection", "touch", "followup")
TABLES = {"account": "accounts", "contact": "contacts", "deal": "deals",
          "rejection": "rejections", "touch": "touches", "followup": "followups"}
OWNING = frozenset({
    ("contacts", "account_id"), ("deals", "account_id"),
    ("rejections", "contact_id"), ("rejections", "account_id"),
    ("touches", "contact_id"), ("touches", "account_id"),
    ("followups", "contact_id"), ("followups", "account_id"), ("followups", "rejection_id"),
    ("signals", "contact_id"), ("signals", "account_id"),
    ("autopsies", "rejection_id"), ("capability_requests", "rejection_id"),
    ("calendar_events", "followup_id"),
})
"""(table, column): a row whose column points at a deleted row is deleted with it. Every other
reference to a deleted row is cleared (and set again on restore)."""
DERIVED = frozenset({("followups", "label"), ("followups", "dated_checkback"),
                     ("followups", "last_touch_at"), ("followups", "last_signal_at")})
"""Columns the database keeps itself (storage/derived.py): never written back."""
OPEN = ("due", "snoozed")


class TrashPublic(BaseModel):
    id: int
    entity: str
    entity_id: int
    label: str
    account_id: int | None
    contact_id: int | None
    deleted_at: datetime
    purge_after: datetime
    rows: int
    """How many rows the deletion took with it (the record included)."""


class RestorePublic(BaseModel):
    entity: str
    entity_id: int
    label: str
    rows: int
    cancelled_followups: int
    note: str | None = None


def _public(t: Trash) -> TrashPublic:
    return TrashPublic(id=t.id, entity=t.entity, entity_id=t.entity_id, label=t.label,
                       account_id=t.account_id, contact_id=t.contact_id,
                       deleted_at=t.deleted_at, purge_after=t.purge_after, rows=len(t.rows))


@cache
def _tables() -> dict[str, Table]:
    return {t.name: t for t in Base.metadata.sorted_tables}


@cache
def _order() -> dict[str, int]:
    """Parents before children."""
    return {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}


@cache
def _referencing() -> dict[str, tuple[tuple[Table, Column[Any]], ...]]:
    """For each table, the (table, column) pairs whose foreign key points at it."""
    out: dict[str, list[tuple[Table, Column[Any]]]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name == "trash":
            continue
        for fk in table.foreign_keys:
            out.setdefault(fk.column.table.name, []).append((table, fk.parent))
    return {k: tuple(v) for k, v in out.items()}


@cache
def _classes() -> dict[str, type[Any]]:
    return {m.local_table.name: m.class_ for m in Base.registry.mappers}  # type: ignore[attr-defined]


def _kind(kind: str) -> str:
    text = (kind or "").strip().lower().replace("-", "").replace("_", "")
    text = {"followups": "followup", "touches": "touch", "accounts": "account",
            "contacts": "contact", "deals": "deal", "rejections": "rejection"}.get(text, text)
    if text not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}",
                           field="kind")
    return text


# --- gathering what goes with a record ----------------------------------------------------------


def _gather(s: Session, table: str, ids: list[int], rows: dict[str, dict[int, dict[str, Any]]],
            links: list[list[Any]]) -> None:
    for child, col in _referencing().get(table, ()):
        if (child.name, col.name) in OWNING:
            found = s.execute(select(child).where(col.in_(ids))).mappings().all()
            bucket = rows.setdefault(child.name, {})
            new = [dict(r) for r in found if r["id"] not in bucket]
            for r in new:
                bucket[r["id"]] = r
            if new:
                _gather(s, child.name, [r["id"] for r in new], rows, links)
        else:
            for rid, value in s.execute(select(child.c.id, col).where(col.in_(ids))):
                links.append([child.name, rid, col.name, value])


def _bundle(s: Session, table: str, rid: int) -> tuple[list[list[Any]], list[list[Any]],
                                                        dict[str, list[int]]]:
    root = s.execute(select(_tables()[table]).where(_tables()[table].c.id == rid)
                     ).mappings().one()
    rows: dict[str, dict[int, dict[str, Any]]] = {table: {rid: dict(root)}}
    links: list[list[Any]] = []
    _gather(s, table, [rid], rows, links)
    gone = {name: list(bucket) for name, bucket in rows.items()}
    kept_links = [link for link in links if link[1] not in rows.get(link[0], {})]
    ordered = sorted(rows, key=lambda name: _order()[name])
    payload = [[name, plain(r)] for name in ordered for r in
               sorted(rows[name].values(), key=lambda r: r["id"])]
    return payload, kept_links, gone


def _remove(s: Session, links: list[list[Any]], gone: dict[str, list[int]]) -> None:
    tables = _tables()
    for name, rid, column, _value in links:
        t = tables[name]
        s.execute(update(t).where(t.c.id == rid).values({column: None}))
    for name in sorted(gone, key=lambda n: _order()[n], reverse=True):
        t = tables[name]
        for chunk in _chunks(gone[name]):
            s.execute(delete(t).where(t.c.id.in_(chunk)))
    s.expire_all()


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


# --- delete -------------------------------------------------------------------------------------


def _target(s: Session, actor: Actor, kind: str, ref: str | int) -> tuple[Any, str, int | None,
                                                                          int | None, int | None]:
    """The record the actor may change: (row, label, owner, account, contact) — locked."""
    if kind == "account":
        acc = resolve_account(s, actor, ref, write=True)
        lock_account(s, acc.id)
        return acc, acc.name, acc.owner_id, None, None
    if kind == "contact":
        c = resolve_contact(s, actor, ref, write=True)
        locked = lock_contact(s, c.id)
        assert locked is not None
        return locked, locked.name, locked.owner_id, locked.account_id, None
    if kind == "deal":
        d = get_deal(s, actor, ref, write=True)
        lock_account(s, d.account_id)
        return d, d.offer, d.owner_id, d.account_id, None
    if kind == "rejection":
        r = get_rejection(s, actor, ref, write=True)
        owner = None
        if r.contact_id is not None:
            person = lock_contact(s, r.contact_id)
            owner = person.owner_id if person is not None else None
        elif r.account_id is not None:
            company = lock_account(s, r.account_id)
            owner = company.owner_id if company is not None else None
        label = f"{r.label.replace('_', ' ')} of {r.at.date().isoformat()}"
        return r, label, owner, r.account_id, r.contact_id
    if kind == "touch":
        t = get_touch(s, actor, ref, write=True)
        toucher = lock_contact(s, t.contact_id)
        assert toucher is not None
        label = f"{t.direction} {t.channel} of {t.at.date().isoformat()}"
        return t, label, toucher.owner_id, t.account_id, t.contact_id
    f = get_followup(s, actor, ref, write=True)
    lock_contact(s, f.contact_id)
    return f, f"{f.purpose[:200]} (due {f.due.isoformat()})", f.owner_id, f.account_id, \
        f.contact_id


def trash_rows(ws: Workspace, s: Session, actor: Actor, kind: str, row: Any, *, label: str,
               owner_id: int | None, account_id: int | None, contact_id: int | None,
               action: str = "deleted") -> Trash:
    """Within a write transaction, the record locked: move it and what belongs to it to the
    trash, and audit it."""
    now = ws.now()
    table = TABLES[kind]
    payload, links, gone = _bundle(s, table, row.id)
    item = Trash(entity=kind, entity_id=row.id, label=label[:300], owner_id=owner_id,
                 account_id=account_id, contact_id=contact_id, rows=payload, links=plain(links),
                 deleted_at=now, deleted_by=actor.id,
                 purge_after=now + timedelta(days=RETENTION_DAYS))
    rid = row.id
    _remove(s, links, gone)
    s.add(item)
    counts = {name: len(ids) for name, ids in gone.items() if name != table}
    # the record is gone: its event is found by what it belonged to (see audit_trail)
    record(s, actor, f"{kind}.{action}", kind, rid, at=now,
           account_id=account_id if kind != "account" else None,
           contact_id=contact_id if kind not in ("account", "contact") else None,
           owner_id=owner_id, before={"label": label, **counts},
           note=f"in the trash until {item.purge_after.date().isoformat()}")
    s.flush()
    return item


def delete_record(ws: Workspace, actor: Actor, kind: str, ref: str | int) -> TrashPublic:
    """Delete an account, contact, deal, rejection, touch or follow-up the actor may change;
    it can be restored for :data:`RETENTION_DAYS` days."""
    kind = _kind(kind)
    purge_trash(ws)
    with ws.db.write() as s:
        row, label, owner, account_id, contact_id = _target(s, actor, kind, ref)
        item = trash_rows(ws, s, actor, kind, row, label=label, owner_id=owner,
                          account_id=account_id, contact_id=contact_id)
        return _public(item)


# --- list, purge --------------------------------------------------------------------------------


def list_trash(ws: Workspace, actor: Actor, *, kind: str | None = None, limit: int = 200,
               offset: int = 0) -> list[TrashPublic]:
    """What the actor deleted or may restore (records they may change), newest first."""
    with ws.db.read() as s:
        q = (select(Trash).where(owned(actor, Trash.owner_id, write=True),
                                 Trash.purge_after > ws.now())
             .order_by(Trash.deleted_at.desc(), Trash.id.desc()))
        if kind is not None:
            q = q.where(Trash.entity == _kind(kind))
        return [_public(t) for t in s.scalars(q.limit(limit).offset(offset))]


def purge_trash(ws: Workspace) -> int:
    """Forget what lay in the trash longer than :data:`RETENTION_DAYS` days (no actor: the
    workspace's own housekeeping, run before each deletion and by the worker)."""
    with ws.db.write() as s:
        result = s.execute(delete(Trash).where(Trash.purge_after <= ws.now()))
        return int(getattr(result, "rowcount", 0) or 0)


# --- restore ------------------------------------------------------------------------------------


def _value(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime | DateTime) and isinstance(value, str):
        return datetime.fromisoformat(value)
    try:
        kind = column.type.python_type
    except NotImplementedError:
        return value
    if kind is datetime and isinstance(value, str):
        return datetime.fromisoformat(value)
    if kind is date and isinstance(value, str):
        return date.fromisoformat(value)
    if kind is Decimal and not isinstance(value, Decimal):
        return Decimal(str(value))
    return value


def _exists(s: Session, table: str, rid: int) -> bool:
    t = _tables()[table]
    return s.execute(select(t.c.id).where(t.c.id == rid)).first() is not None


def restore_record(ws: Workspace, actor: Actor, kind: str, ref: str | int) -> RestorePublic:
    """Put a deleted record back, with everything deleted with it."""
    from notnow.services.records.merge import recheck_open

    kind = _kind(kind)
    rid = record_id(ref, field="id", kind=kind)
    missing = NotFound(f"no deleted {kind} with id {str(ref).strip()!r} in the trash",
                       field="id")
    if rid is None:
        raise missing
    now = ws.now()
    with ws.db.write() as s:
        item = s.scalar(select(Trash).where(
            Trash.entity == kind, Trash.entity_id == rid, Trash.purge_after > now,
            owned(actor, Trash.owner_id, write=True)).order_by(Trash.id.desc()).limit(1))
        if item is None:
            raise missing
        if item.account_id is not None and kind != "account":
            if lock_account(s, item.account_id) is None:
                raise Conflict(f"its account (id {item.account_id}) was deleted: restore the "
                               "account first", field="id")
        if item.contact_id is not None and kind not in ("account", "contact"):
            if lock_contact(s, item.contact_id) is None:
                raise Conflict(f"its contact (id {item.contact_id}) was deleted: restore the "
                               "contact first", field="id")
        ids, cancelled = _put_back(ws, s, actor, item)
        contacts = sorted({ids.get(("contacts", c), c) for c in _contacts_of(item)})
        for cid in contacts:
            c = s.get(Contact, cid)
            if c is not None:
                cancelled += recheck_open(ws, s, actor, c, why="restored from the trash")
        new_id = ids.get((TABLES[kind], rid), rid)
        record(s, actor, f"{kind}.restored", kind, new_id, at=now,
               account_id=item.account_id if kind != "account" else new_id,
               contact_id=(item.contact_id if kind != "contact" else new_id)
               if kind != "account" else None,
               owner_id=item.owner_id, after={"label": item.label, "rows": len(item.rows),
                                              "cancelled_followups": cancelled})
        out = RestorePublic(entity=kind, entity_id=new_id, label=item.label,
                            rows=len(item.rows), cancelled_followups=cancelled,
                            note=None if new_id == rid else f"restored as id {new_id}")
        s.delete(item)
        s.flush()
        return out


def _contacts_of(item: Trash) -> set[int]:
    found = {row["id"] for name, row in item.rows if name == "contacts"}
    found |= {row["contact_id"] for name, row in item.rows
              if name in ("followups", "rejections", "touches") and row.get("contact_id")}
    return found


def _put_back(ws: Workspace, s: Session, actor: Actor,
              item: Trash) -> tuple[dict[tuple[str, int], int], int]:
    from notnow.services.followups.planning import later_answer

    tables, classes = _tables(), _classes()
    ids: dict[tuple[str, int], int] = {}
    restored: set[tuple[str, int]] = {(name, row["id"]) for name, row in item.rows}
    cancelled = 0
    now = ws.now()
    for name, row in item.rows:
        table = tables[name]
        values = {c.name: _value(c, row.get(c.name)) for c in table.columns
                  if c.name in row and (name, c.name) not in DERIVED}
        for fk in table.foreign_keys:
            col, target = fk.parent.name, fk.column.table.name
            value = values.get(col)
            if value is None:
                continue
            if (target, value) in ids:
                values[col] = ids[target, value]
            elif (target, value) not in restored and target in TABLES.values() \
                    and not _exists(s, target, value):
                if fk.parent.nullable and (name, col) not in OWNING:
                    values[col] = None
                else:
                    raise Conflict(f"what it belonged to ({target.rstrip('s')} {value}) is "
                                   "gone: restore that first", field="id")
        old = values["id"]
        if _exists(s, name, old):
            del values["id"]
        obj = classes[name](**values)
        if name == "followups" and obj.status in OPEN:
            c = s.get(Contact, obj.contact_id)
            rej = s.get(Rejection, obj.rejection_id) if obj.rejection_id else None
            why = None
            if c is None or c.dnc_at is not None:
                why = "do-not-contact"
            elif c.held_at is not None:
                why = "held: a possible opt-out waits for a decision"
            elif rej is not None and later_answer(s, rej) is not None:
                why = "a later answer replaced this plan"
            if why is not None:
                obj.status = "cancelled"
                obj.closed_at = now
                obj.why = f"{obj.why or ''} [not restored open: {why}]".strip()
                cancelled += 1
        s.add(obj)
        s.flush()
        ids[name, old] = obj.id
    for name, rid, column, value in item.links:
        t = tables[name]
        fk = next(iter(t.c[column].foreign_keys))
        target = fk.column.table.name
        value = ids.get((target, value), value)
        if _exists(s, target, value):
            s.execute(update(t).where(t.c.id == ids.get((name, rid), rid),
                                      t.c[column].is_(None)).values({column: value}))
    s.expire_all()
    return ids, cancelled


def count_trash(ws: Workspace, actor: Actor) -> int:
    with ws.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Trash).where(
            owned(actor, Trash.owner_id, write=True), Trash.purge_after > ws.now())) or 0)


__all__ = ["KINDS", "RETENTION_DAYS", "RestorePublic", "TrashPublic", "count_trash",
           "delete_record", "list_trash", "purge_trash", "restore_record", "trash_rows"]
