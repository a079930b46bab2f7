"""Rows written straight into the tables (no services, no ORM): for tests of what the database
itself does and of queries over data shaped freely."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, text

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def ts(conn: Connection, when: datetime) -> Any:
    """A timestamp as the schema stores it (naive UTC text on SQLite)."""
    if conn.dialect.name == "sqlite":
        return when.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return when


def seed(conn: Connection, contacts: int = 3) -> None:
    conn.execute(text("INSERT INTO accounts (id, name, created_at) VALUES (1, 'Acme', :t)"),
                 {"t": ts(conn, T0)})
    for cid in range(1, contacts + 1):
        conn.execute(text("INSERT INTO contacts (id, account_id, name, role, created_at) "
                          "VALUES (:id, 1, :name, 'other', :t)"),
                     {"id": cid, "name": f"Person {cid}", "t": ts(conn, T0)})


def rejection(conn: Connection, rid: int, cid: int, label: str, checkback: date | None) -> None:
    conn.execute(text(
        "INSERT INTO rejections (id, contact_id, account_id, at, stage, channel, text, label, "
        "also, label_source, evidence, checkback, created_at) VALUES (:id, :cid, 1, :t, "
        "'cold_call', 'email', 'not now', :label, '[]', 'manual', '[]', :cb, :t)"),
        {"id": rid, "cid": cid, "t": ts(conn, T0), "label": label, "cb": checkback})


def followup(conn: Connection, fid: int, cid: int, rid: int | None, *,
             due: date = date(2026, 3, 2), status: str = "due", owner: int | None = None) -> None:
    conn.execute(text(
        "INSERT INTO followups (id, contact_id, account_id, rejection_id, due, channel, purpose, "
        "status, owner_id, created_at) VALUES (:id, :cid, 1, :rid, :due, 'email', "
        "'check back', :status, :owner, :t)"),
        {"id": fid, "cid": cid, "rid": rid, "due": due, "status": status, "owner": owner,
         "t": ts(conn, T0)})


def touch(conn: Connection, tid: int, cid: int, when: datetime) -> None:
    conn.execute(text(
        "INSERT INTO touches (id, contact_id, account_id, channel, direction, at, created_at) "
        "VALUES (:id, :cid, 1, 'call', 'inbound', :at, :at)"),
        {"id": tid, "cid": cid, "at": ts(conn, when)})


def signal(conn: Connection, sid: int, cid: int, when: datetime, kind: str = "opened",
           active: bool = True) -> None:
    conn.execute(text(
        "INSERT INTO signals (id, contact_id, account_id, kind, active, at) "
        "VALUES (:id, :cid, 1, :kind, :a, :at)"),
        {"id": sid, "cid": cid, "kind": kind, "a": active, "at": ts(conn, when)})


def when(value: Any) -> datetime:
    """A timestamp read back raw (text on SQLite, a datetime on PostgreSQL), aware in UTC."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
