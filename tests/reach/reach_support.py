"""Helpers for the reach tests: rows written through the storage layer (no services)."""

from __future__ import annotations

import socket
from datetime import UTC, date, datetime
from typing import Any

from notnow.storage.engine import Database
from notnow.storage.tables import Account, Contact, FollowUp, User

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # a Monday
WORKSPACE = "ws-reach"


def add_user(db: Database, name: str, *, role: str = "salesperson") -> int:
    with db.write() as s:
        u = User(name=name, email=f"{name.lower()}@example.com", role=role, active=True,
                 is_owner=False, created_at=NOW)
        s.add(u)
        s.flush()
        return u.id


def add_contact(db: Database, name: str, *, account: str = "Acme GmbH",
                tz: str | None = "Europe/Berlin", email: str | None = None) -> tuple[int, int]:
    with db.write() as s:
        a = Account(name=account, timezone=tz, created_at=NOW)
        s.add(a)
        s.flush()
        c = Contact(account_id=a.id, name=name, role="decision_maker", email=email,
                    created_at=NOW)
        s.add(c)
        s.flush()
        return c.id, a.id


def add_followup(db: Database, contact: tuple[int, int], owner: int, due: date, *,
                 purpose: str = "Check back", why: str | None = "They said not now",
                 channel: str = "email", status: str = "due") -> int:
    with db.write() as s:
        f = FollowUp(contact_id=contact[0], account_id=contact[1], owner_id=owner, due=due,
                     channel=channel, purpose=purpose, why=why, status=status,
                     rule="check-back", created_at=NOW)
        s.add(f)
        s.flush()
        return f.id


def set_followup(db: Database, followup_id: int, **values: Any) -> None:
    with db.write() as s:
        row = s.get(FollowUp, followup_id)
        assert row is not None
        for key, value in values.items():
            setattr(row, key, value)


def opt_out(db: Database, contact_id: int) -> None:
    """What marking a contact do-not-contact does to the tables: the mark, and its open
    follow-ups cancelled."""
    with db.write() as s:
        c = s.get(Contact, contact_id)
        assert c is not None
        c.dnc_at, c.dnc_reason, c.dnc_source = NOW, "asked", "prospect"
        for f in s.query(FollowUp).filter(FollowUp.contact_id == contact_id,
                                          FollowUp.status.in_(["due", "snoozed"])):
            f.status = "cancelled"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
