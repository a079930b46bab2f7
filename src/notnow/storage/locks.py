"""The one write lock per contact (and per account), taken before any rule is checked.

Whatever schedules a follow-up, records an outbound touch, moves one, or marks an opt-out locks
the contact's row first — and the account's row before it, for the account-wide caps — then
reads what it checks. On PostgreSQL that is ``SELECT … FOR UPDATE`` (READ COMMITTED: every
statement after the lock sees what the last holder committed); SQLite has one writer at a time
(``BEGIN IMMEDIATE``), so there the lock is the transaction itself. Locks are always taken in
the same order — a named lock (:func:`lock_named`), then accounts by id, then contacts by id,
then the person's identities (:func:`notnow.storage.guards.identity_locks`) — so two writers
never wait for each other. (Two opt-outs of one person through two of their contact rows at the
same moment can still meet the other way round; PostgreSQL then stops one, which is refused
whole and can be tried again.)

A row lock waited for in vain (``storage.engine.LOCK_WAIT_MS``: a transaction stuck elsewhere
holds it) is remembered by the process for as long again: a write that needs the same row
meanwhile waits for it :data:`STUCK_WAIT_MS` at most, then gives up the same way. Writes to a
stuck row would otherwise each hold one of the server's write places for the whole wait, and
the writes to every other account queue behind them (`web/write_slots.py`). The first write
that gets the row forgets it.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from notnow.storage.tables import Account, Contact


def _postgres(s: Session) -> bool:
    return s.get_bind().dialect.name == "postgresql"


# built once (these run several times for every message, touch and rejection written): the
# row read again after the lock, FOR UPDATE on PostgreSQL
_ACCOUNT = select(Account).where(Account.id == bindparam("id")).execution_options(
    populate_existing=True)
_ACCOUNT_FOR_UPDATE = _ACCOUNT.with_for_update()
_CONTACT = select(Contact).where(Contact.id == bindparam("id")).execution_options(
    populate_existing=True)
_CONTACT_FOR_UPDATE = _CONTACT.with_for_update()
_CONTACT_ACCOUNT = select(Contact.account_id).where(Contact.id == bindparam("id"))


STUCK_WAIT_MS = 100
"""How long a write waits for a row whose last wait ran out, while that is remembered."""

T = TypeVar("T")
_stuck: dict[tuple[str, int], float] = {}
_stuck_guard = threading.Lock()


def _row_lock(s: Session, kind: str, row_id: int, take: Callable[[], T]) -> T:
    """``take()`` (a ``FOR UPDATE`` of one row on PostgreSQL), waiting :data:`STUCK_WAIT_MS`
    at most when the row's last wait in this process ran out less than a wait ago."""
    from notnow.storage import engine

    key = (kind, row_id)
    with _stuck_guard:
        until = _stuck.get(key)
    short = until is not None and time.monotonic() < until
    if short:
        s.execute(text(f"SET LOCAL lock_timeout = {int(STUCK_WAIT_MS)}"))
    try:
        row = take()
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == engine.LOCK_NOT_AVAILABLE and not short:
            now = time.monotonic()
            with _stuck_guard:
                for old in [k for k, t in _stuck.items() if t <= now]:  # never grows
                    del _stuck[old]
                _stuck[key] = now + engine.LOCK_WAIT_MS / 1000
        raise
    if until is not None:
        with _stuck_guard:
            _stuck.pop(key, None)
        if short:
            s.execute(text(f"SET LOCAL lock_timeout = {int(engine.LOCK_WAIT_MS)}"))
    return row


def lock_account(s: Session, account_id: int) -> Account | None:
    """Lock the account's row; returns it, read again after the lock."""
    if not _postgres(s):
        return s.scalar(_ACCOUNT, {"id": account_id})
    return _row_lock(s, "account", account_id,
                     lambda: s.scalar(_ACCOUNT_FOR_UPDATE, {"id": account_id}))


def lock_contact(s: Session, contact_id: int) -> Contact | None:
    """Lock the contact's account, then the contact; returns the contact as stored now."""
    account_id = s.scalar(_CONTACT_ACCOUNT, {"id": contact_id})
    if account_id is None:
        return None
    account = lock_account(s, account_id)
    if _postgres(s):
        contact = _row_lock(s, "contact", contact_id,
                            lambda: s.scalar(_CONTACT_FOR_UPDATE, {"id": contact_id}))
    else:
        contact = s.scalar(_CONTACT, {"id": contact_id})
    if contact is not None and account is not None and contact.account_id == account.id:
        # its account as read after the lock (the session holds it only weakly: without this
        # `contact.account` would read it once more)
        set_committed_value(contact, "account", account)
    return contact


def lock_contacts(s: Session, contact_ids: Iterable[int]) -> list[Contact]:
    """Lock several contacts (and their accounts), always in id order."""
    ids = sorted(set(contact_ids))
    if not ids:
        return []
    accounts = sorted(set(s.scalars(select(Contact.account_id).where(Contact.id.in_(ids)))))
    for aid in accounts:
        lock_account(s, aid)
    q = select(Contact).where(Contact.id.in_(ids)).order_by(Contact.id).execution_options(
        populate_existing=True)
    if _postgres(s):
        q = q.with_for_update()
    return list(s.scalars(q))


def lock_named(s: Session, name: str) -> None:
    """A workspace-wide lock for one kind of bookkeeping (e.g. ``capabilities``), held until
    the transaction ends; taken before any account or contact lock. SQLite's single writer
    already serialises."""
    if _postgres(s):
        s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _key(name)})


def try_lock_named(s: Session, name: str) -> bool:
    """:func:`lock_named` if no other transaction holds it now (True), else nothing (False):
    for work that another writer doing it already makes needless."""
    if not _postgres(s):
        return True
    return bool(s.execute(text("SELECT pg_try_advisory_xact_lock(:k)"),
                          {"k": _key(name)}).scalar_one())


def _key(name: str) -> int:
    return int(hashlib.sha256(f"notnow:{name}".encode()).hexdigest()[:15], 16)
