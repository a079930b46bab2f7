"""A CRM's lost reasons and opt-outs for the people an import has just made, many at once.

A lost reason from a CRM export is history: the prospect's "no" as the CRM kept it. It is
stored exactly as :func:`notnow.services.capture.log.log_rejection` stores a "no" logged with
``schedule=False`` (``notnow log --no-plan``) — read into the taxonomy (:func:`build_row`, the
reading given), a doubtful reading waiting for review, an opt-out in the words making the
contact do-not-contact and suppressing their identities, a suspected one holding the contact,
the deal's status following the label (:func:`notnow.core.labels.deal_status_after`), one
audit event per rejection — but for a whole batch in a few statements. Its plan is not
scheduled: ``notnow plan N --accept`` schedules it (see docs/crm.md, "Lost reasons").

It is only for contacts **this import created**: nothing was planned for them (an import
schedules nothing), so "the latest word wins" has nothing to cancel, and no one else can have
touched them. Anything else — a contact that existed before, a person whose identities another
contact row shares (their opt-out must mark that row too), a workspace with webhooks (events
to queue) — goes through ``log_rejection`` / ``apply_dnc`` one by one.
``tests/crm/test_crm_lost.py`` pins this to ``log_rejection`` on random readings, contacts and
suppression lists, on both databases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, inspect, or_, select, text, update
from sqlalchemy.orm import Session

from notnow.core.identity import Identity, digest, identities
from notnow.core.labels import deal_status_after
from notnow.core.model import DncSource, Label
from notnow.core.policy import Actor
from notnow.services.capture.log import (
    build_row,
    needs_review,
    opt_out_quote,
    opt_out_words,
    reads_as_opt_out,
    suspected_opt_out,
)
from notnow.services.capture.optout import set_mark
from notnow.services.schemas import RejectionCreate, validate
from notnow.services.team.audit import record
from notnow.storage import guards
from notnow.storage.tables import AuditEvent, Contact, Deal, Rejection, Suppression


def insert_rows(s: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Rows (their column values, checked by the caller) inserted with Core, the columns not
    given taking their defaults; returns their ids, in order. The ids are taken first — from
    the table's sequence on PostgreSQL; on SQLite, whose one writer this transaction is, the
    ones SQLite itself would give (the largest plus one, on) — so that the rows go in with
    one ``executemany`` (a RETURNING would cost a statement a row on SQLite)."""
    if not rows:
        return []
    table: Any = model.__table__
    if s.get_bind().dialect.name == "postgresql":
        ids = sorted(s.execute(text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                                    "FROM generate_series(1, :n)"),
                               {"t": table.name, "n": len(rows)}).scalars())
    else:
        top = s.scalar(select(func.max(table.c.id))) or 0
        ids = list(range(top + 1, top + 1 + len(rows)))
    groups: dict[frozenset[str], list[dict[str, Any]]] = {}
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
        groups.setdefault(frozenset(row), []).append(row)
    for same in groups.values():  # one statement for the rows with the same columns
        s.execute(insert(table), same)
    return ids


def columns_of(obj: Any) -> dict[str, Any]:
    """A transient object's column values that were set (the others take their defaults)."""
    return {a.key: obj.__dict__[a.key] for a in inspect(type(obj)).column_attrs
            if a.key in obj.__dict__}


class _Trail:
    """Collects what :func:`record` appends, to insert it in one statement."""

    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    def add(self, event: AuditEvent) -> None:
        self.events.append(event)

    def write(self, s: Session) -> None:
        if self.events:
            rows = [columns_of(e) for e in self.events]
            for row in rows:
                guards.check_row(AuditEvent, row)
            for e, new_id in zip(self.events, insert_rows(s, AuditEvent, rows), strict=True):
                e.id = new_id
            self.events = []


@dataclass
class Person:
    """A contact this import created, as it stands now in the transaction."""

    id: int
    account_id: int
    owner_id: int | None
    name: str
    email: str | None
    phone: str | None
    linkedin: str | None
    country: str | None
    dnc_at: datetime | None = None
    dnc_reason: str | None = None
    dnc_source: str | None = None
    held_at: datetime | None = None
    hold_reason: str | None = None
    changed: bool = False

    @property
    def found(self) -> tuple[Identity, ...]:
        return identities(email=self.email, phone=self.phone, linkedin=self.linkedin,
                          country=self.country)


@dataclass(frozen=True)
class Lost:
    """One lost reason to store: whose, which deal, the words, when, what was read in them."""

    person: Person
    deal_id: int
    deal_stage: str | None
    text: str
    at: datetime
    reading: Any


class OptOuts:
    """Opt-outs of contacts this import created, gathered for one batch: each is what
    :func:`notnow.services.capture.optout.apply_dnc` does for such a contact (the first mark
    stands, the hold goes, the identities go on the suppression list, an audit event when the
    mark is new); :meth:`write` stores them."""

    def __init__(self, s: Session, actor: Actor | None) -> None:
        self.s = s
        self.actor = actor
        self.trail = _Trail()
        self.suppress: dict[tuple[str, str], tuple[str, datetime]] = {}
        self.key: bytes | None = None

    def opt_out(self, p: Person, *, reason: str | None, source: DncSource,
                when: datetime) -> bool:
        """Mark ``p``; returns whether the mark is new."""
        first = set_mark(p, reason=reason, source=source, when=when)
        p.changed = True
        if self.key is None:
            self.key = guards.suppression_key(self.s, create=True)
        assert self.key is not None
        for identity in p.found:
            self.suppress.setdefault((identity.kind.value, digest(self.key, identity)),
                                     (source.value, when))
        if first:
            trail: Any = self.trail  # record() appends to it as to a session
            record(trail, self.actor, "contact.opted_out", "contact", p.id, at=when,
                   account_id=p.account_id, contact_id=p.id, owner_id=p.owner_id,
                   after={"source": source.value, "reason": p.dnc_reason,
                          "cancelled_followups": 0})
        return first

    def write(self, people: Sequence[Person]) -> None:
        """Store the marks, the new suppression-list entries (each identity once) and the
        audit entries."""
        self.trail.write(self.s)
        changed = [p for p in people if p.changed]
        if changed:
            self.s.execute(update(Contact), [
                {"id": p.id, "dnc_at": p.dnc_at, "dnc_reason": p.dnc_reason,
                 "dnc_source": p.dnc_source, "held_at": p.held_at, "hold_reason": p.hold_reason}
                for p in changed])
            for p in changed:
                p.changed = False
        if not self.suppress:
            return
        wanted = sorted(self.suppress)
        have: set[tuple[str, str]] = set()
        for start in range(0, len(wanted), 500):
            chunk = [d for _, d in wanted[start:start + 500]]
            have.update((k, d) for k, d in self.s.execute(
                select(Suppression.kind, Suppression.digest).where(
                    Suppression.digest.in_(chunk))))
        rows = [{"kind": k, "digest": d, "source": src, "created_at": at}
                for (k, d), (src, at) in sorted(self.suppress.items()) if (k, d) not in have]
        if rows:
            self.s.execute(insert(Suppression), rows)
        self.suppress.clear()


def sharing_identities(s: Session, people: Sequence[Person]) -> set[int]:
    """Of these people, those whose identities another contact row not yet marked shares
    (an opt-out must mark that row too: they go through ``apply_dnc``)."""
    keys: dict[tuple[str, str], set[int]] = {}
    for p in people:
        for i in p.found:
            keys.setdefault((i.kind.value, i.value), set()).add(p.id)
    out: set[int] = set()
    if not keys:
        return out
    columns = {"email": Contact.email_key, "phone": Contact.phone_key,
               "linkedin": Contact.linkedin_key}
    items = sorted(keys)
    for start in range(0, len(items), 300):
        chunk = items[start:start + 300]
        clauses = [columns[kind].in_([v for k, v in chunk if k == kind])
                   for kind in columns if any(k == kind for k, _ in chunk)]
        for cid, email_key, phone_key, linkedin_key in s.execute(
                select(Contact.id, Contact.email_key, Contact.phone_key, Contact.linkedin_key)
                .where(Contact.dnc_at.is_(None), or_(*clauses))):
            for kind, value in (("email", email_key), ("phone", phone_key),
                                ("linkedin", linkedin_key)):
                owners = keys.get((kind, value)) if value else None
                if owners:
                    out.update(pid for pid in owners if pid != cid)
    return out


def store_lost(s: Session, actor: Actor, items: Sequence[Lost], *, now: datetime,
               opt_outs: OptOuts) -> list[Rejection]:
    """Store these lost reasons, in order, as ``log_rejection(..., schedule=False,
    reading=…)`` would one after the other (see the module's docstring); returns the rows."""
    rows: list[Rejection] = []
    for item in items:
        p = item.person
        spec = validate(RejectionCreate, {"text": item.text, "at": item.at,
                                          "contact_id": p.id, "deal_id": item.deal_id})
        contact = Contact(id=p.id, account_id=p.account_id)  # transient: what build_row reads
        deal = Deal(id=item.deal_id, stage=item.deal_stage)
        row = build_row(spec, contact, item.reading, at=item.at, author=actor, now=now,
                        deal=deal)
        if needs_review(item.reading, spec) and Label(row.label) != Label.DO_NOT_CONTACT:
            row.review = "pending"
        rows.append(row)
    values = [columns_of(r) for r in rows]
    for v in values:
        guards.check_row(Rejection, v)  # what storage's guard checks at a flush
    for row, new_id in zip(rows, insert_rows(s, Rejection, values), strict=True):
        row.id = new_id
    deals: dict[int, dict[str, Any]] = {}
    for item, row in zip(items, rows, strict=True):
        p, u = item.person, item.reading
        label = Label(row.label)
        if label == Label.DO_NOT_CONTACT:
            opt_outs.opt_out(p, reason=opt_out_words(row), source=DncSource.PROSPECT,
                             when=item.at)
        elif reads_as_opt_out(u) and suspected_opt_out(u):
            p.held_at = now
            p.hold_reason = f"possible opt-out: {opt_out_quote(u)}"
            p.changed = True
        if (new := deal_status_after(label)) is not None:
            change = deals.setdefault(item.deal_id, {"id": item.deal_id})
            change["status"] = new
            if new == "lost":
                change["closed_at"] = item.at
        trail: Any = opt_outs.trail  # record() appends to it as to a session
        record(trail, actor, "rejection.logged", "rejection", row.id, at=now,
               account_id=p.account_id, contact_id=p.id, owner_id=p.owner_id,
               after={"label": row.label, "source": row.label_source,
                      "checkback": row.checkback, "review": row.review})
    for keys in ({"id", "status"}, {"id", "status", "closed_at"}):
        same = [c for c in deals.values() if set(c) == keys]
        if same:  # one statement for the rows with the same columns
            s.execute(update(Deal), same)
    return rows
