"""The agenda's ranking inputs that the database keeps on each follow-up (storage/derived.py):
true after any sequence of writes, filled in by the upgrade, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, text

import rawrows as raw
from notnow.storage import migrate
from notnow.storage.engine import Database, open_database
from rawrows import T0

LABELS = ["not_now", "no_budget", "price", "interested"]


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()


def _norm(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-":
        return datetime.fromisoformat(value)
    return value


def _check(conn: Connection) -> int:
    """Every follow-up's kept columns equal what they are copies of; returns rows checked."""
    rows = conn.execute(text(
        "SELECT f.id, f.label, f.dated_checkback, f.last_touch_at, f.last_signal_at, r.label, "
        "r.checkback IS NOT NULL, (SELECT max(t.at) FROM touches t "
        "WHERE t.contact_id = f.contact_id), (SELECT max(g.at) FROM signals g "
        "WHERE g.contact_id = f.contact_id) FROM followups f "
        "LEFT JOIN rejections r ON r.id = f.rejection_id")).all()
    for (fid, label, dated, last, signal, want_label, want_dated, want_last,
         want_signal) in rows:
        assert label == want_label, f"follow-up {fid}: label"
        assert bool(dated) == bool(want_dated), f"follow-up {fid}: dated check-back"
        assert _norm(last) == _norm(want_last), f"follow-up {fid}: last touch"
        assert _norm(signal) == _norm(want_signal), f"follow-up {fid}: last signal"
    return len(rows)


def test_kept_true_through_random_writes(db: Database) -> None:
    """Touches and signals added, moved, re-assigned and deleted; follow-ups created and
    re-linked;
    rejections relabelled: after every write the copies match the source."""
    rng = random.Random(7)
    with db.engine.begin() as conn:
        raw.seed(conn, contacts=4)
        for rid in range(1, 5):
            raw.rejection(conn, rid, rng.randint(1, 4), rng.choice(LABELS),
                       date(2027, 1, 4) if rid % 2 else None)
    made: dict[str, list[int]] = {"touches": [], "signals": []}
    next_id = {"touches": 1, "signals": 1, "followup": 1}
    checked = 0
    for _ in range(220):
        op = rng.choice(["add", "add", "followup", "move", "reassign", "delete",
                         "relabel", "relink"])
        table = rng.choice(["touches", "signals"])
        ids = made[table]
        with db.engine.begin() as conn:
            if op == "add" or (op in ("move", "reassign", "delete") and not ids):
                new_id = next_id[table]
                next_id[table] += 1
                add = raw.touch if table == "touches" else raw.signal
                add(conn, new_id, rng.randint(1, 4), T0 + timedelta(hours=rng.randint(0, 900)))
                ids.append(new_id)
            elif op == "followup":
                fid = next_id["followup"]
                next_id["followup"] += 1
                raw.followup(conn, fid, rng.randint(1, 4), rng.choice([None, 1, 2, 3, 4]))
            elif op == "move":
                conn.execute(text(f"UPDATE {table} SET at = :at WHERE id = :id"),
                             {"at": raw.ts(conn, T0 + timedelta(hours=rng.randint(0, 900))),
                              "id": rng.choice(ids)})
            elif op == "reassign":
                conn.execute(text(f"UPDATE {table} SET contact_id = :c WHERE id = :id"),
                             {"c": rng.randint(1, 4), "id": rng.choice(ids)})
            elif op == "delete":
                gone = rng.choice(ids)
                ids.remove(gone)
                conn.execute(text(f"DELETE FROM {table} WHERE id = :id"), {"id": gone})
            elif op == "relabel":
                conn.execute(text("UPDATE rejections SET label = :l, checkback = :cb "
                                  "WHERE id = :id"),
                             {"l": rng.choice(LABELS), "id": rng.randint(1, 4),
                              "cb": rng.choice([None, date(2027, 2, 1)])})
            elif next_id["followup"] > 1:  # relink a follow-up to another rejection/contact
                conn.execute(text("UPDATE followups SET rejection_id = :r, contact_id = :c "
                                  "WHERE id = :id"),
                             {"r": rng.choice([None, 1, 2, 3, 4]), "c": rng.randint(1, 4),
                              "id": rng.randint(1, next_id["followup"] - 1)})
            checked += _check(conn)
    # the walk really exercised them
    assert next_id["followup"] > 10 and checked > 500 and min(map(len, made.values())) > 3


def test_orm_reads_what_the_database_kept(ws: Any) -> None:
    """The ORM never writes the kept columns but reads them back after its own writes."""
    from notnow.storage.tables import FollowUp, Touch

    with ws.db.write() as s:
        conn = s.connection()
        raw.seed(conn, contacts=1)
        raw.rejection(conn, 1, 1, "not_now", date(2027, 1, 4))
        fu = FollowUp(contact_id=1, account_id=1, rejection_id=1, due=date(2026, 3, 2),
                      channel="email", purpose="check back", created_at=T0)
        s.add(fu)
        s.flush()
        assert (fu.label, fu.dated_checkback, fu.last_touch_at) == ("not_now", True, None)
        s.add(Touch(contact_id=1, account_id=1, channel="call", direction="inbound", at=T0,
                    created_at=T0))
        s.flush()
        s.refresh(fu)
        assert fu.last_touch_at == T0
        fu.status = "snoozed"  # an ORM update leaves the kept columns alone
        s.flush()
        assert (fu.label, fu.last_touch_at) == ("not_now", T0)


def test_upgrade_fills_them_for_existing_data(db_url: str) -> None:
    """A workspace from before revision 0003 gets its follow-ups filled in, and the
    triggers of both revisions (do-not-contact included) are in place afterwards."""
    db = open_database(db_url, migrate=False)
    try:
        migrate.upgrade(db, "0002")
        with db.engine.begin() as conn:
            raw.seed(conn, contacts=2)
            raw.rejection(conn, 1, 1, "no_budget", None)
            raw.rejection(conn, 2, 2, "not_now", date(2027, 3, 1))
            raw.touch(conn, 1, 1, T0)
            raw.touch(conn, 2, 1, T0 + timedelta(days=3))
            raw.touch(conn, 3, 2, T0 + timedelta(days=1))
            conn.execute(text(
                "INSERT INTO followups (id, contact_id, account_id, rejection_id, due, channel, "
                "purpose, status, created_at) VALUES (1, 1, 1, 1, :d, 'email', 'x', 'due', :t), "
                "(2, 2, 1, 2, :d, 'call', 'y', 'snoozed', :t), "
                "(3, 2, 1, NULL, :d, 'call', 'z', 'done', :t)"),
                {"d": date(2026, 3, 2), "t": raw.ts(conn, T0)})
        migrate.upgrade(db)
        with db.engine.begin() as conn:
            assert _check(conn) == 3
            labels = conn.execute(text("SELECT label FROM followups ORDER BY id")).scalars()
            assert list(labels) == ["no_budget", "not_now", None]
            raw.touch(conn, 4, 2, T0 + timedelta(days=9))  # the triggers now keep them
            assert _check(conn) == 3
            conn.execute(text("UPDATE contacts SET dnc_at = :t WHERE id = 1"),
                         {"t": raw.ts(conn, T0)})
        with pytest.raises(Exception, match="do_not_contact"), db.engine.begin() as conn:
            raw.followup(conn, 9, 1, None)
    finally:
        db.dispose()


def test_downgrade_keeps_do_not_contact_triggers(db_url: str) -> None:
    """Down to 0002 (SQLite rebuilds the table) and up again: opt-outs are still enforced."""
    from alembic import command

    db = open_database(db_url)
    try:
        cfg = migrate.alembic_config(db.url)
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0002")
        with db.engine.begin() as conn:
            raw.seed(conn, contacts=1)
            conn.execute(text("UPDATE contacts SET dnc_at = :t WHERE id = 1"),
                         {"t": raw.ts(conn, T0)})
        with pytest.raises(Exception, match="do_not_contact"), db.engine.begin() as conn:
            raw.followup(conn, 1, 1, None)
        migrate.upgrade(db)
        with pytest.raises(Exception, match="do_not_contact"), db.engine.begin() as conn:
            raw.followup(conn, 1, 1, None)
    finally:
        db.dispose()
