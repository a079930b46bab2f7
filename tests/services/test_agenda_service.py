"""The agenda service against a brute-force ranking of the same data: every open follow-up due
by the day, scored by `core.ripeness` from facts read the slow way, ripest first; the rows
shown explained with the same score; opted-out contacts never shown."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import text

import rawrows as raw
from actors import owner_of
from notnow.core.model import (
    Channel,
    FollowUpFacts,
    FollowUpStatus,
    Label,
    SignalFacts,
    SignalKind,
)
from notnow.core.ripeness import ripeness
from notnow.services.followups.agenda import agenda

DAY = date(2026, 11, 23)
KINDS = [k for k in SignalKind]


def _fill(ws: Any, seed: int, contacts: int = 30) -> None:
    """Random history: rejections (some dated), touches, signals, open and closed follow-ups
    for two owners, due before and after the day."""
    rng = random.Random(seed)
    with ws.db.engine.begin() as conn:
        conn.execute(text("INSERT INTO users (id, name, email, role, active, is_owner, "
                          "created_at) VALUES (2, 'Sam', 'sam@example.com', 'salesperson', "
                          ":t, :f, :at)"), {"t": True, "f": False, "at": raw.ts(conn, raw.T0)})
        raw.seed(conn, contacts=contacts)
        for rid in range(1, contacts // 2):
            raw.rejection(conn, rid, rng.randint(1, contacts), rng.choice(list(Label)).value,
                          DAY + timedelta(days=40) if rng.random() < 0.4 else None)
        ids = {"touch": 0, "signal": 0, "followup": 0}
        for cid in range(1, contacts + 1):
            for _ in range(rng.randint(0, 3)):
                ids["touch"] += 1
                raw.touch(conn, ids["touch"], cid,
                          datetime(2026, 11, 22, 15, tzinfo=UTC) - timedelta(
                              days=rng.randint(0, 120), hours=rng.randint(0, 20)))
            for _ in range(rng.randint(0, 2)):
                ids["signal"] += 1
                kind = rng.choice(KINDS)
                raw.signal(conn, ids["signal"], cid, datetime(2026, 11, 22, 10, tzinfo=UTC)
                           - timedelta(days=rng.randint(0, 90)), kind.value,
                           kind.value in ("replied", "visited", "clicked", "asked_info"))
            for _ in range(rng.randint(1, 3)):
                ids["followup"] += 1
                raw.followup(conn, ids["followup"], cid,
                             rng.choice([None, *range(1, contacts // 2)]),
                             due=DAY + timedelta(days=rng.randint(-30, 10)),
                             status=rng.choice(["due", "due", "snoozed", "done", "skipped"]),
                             owner=rng.choice([1, 1, 2]))


def _expected(ws: Any, owner: int | None) -> list[tuple[int, float, str]]:
    """(follow-up id, score, why), ripest first, computed row by row from the base tables."""
    with ws.db.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT f.id, f.contact_id, f.due, r.label, r.checkback, c.dnc_at, f.owner_id "
            "FROM followups f JOIN contacts c ON c.id = f.contact_id "
            "LEFT JOIN rejections r ON r.id = f.rejection_id "
            "WHERE f.status IN ('due', 'snoozed')")).all()
        touches = conn.execute(text("SELECT contact_id, at FROM touches")).all()
        signals = conn.execute(text("SELECT contact_id, kind, at FROM signals")).all()
    out = []
    for fid, cid, due, label, checkback, dnc, row_owner in rows:
        due = due if isinstance(due, date) else date.fromisoformat(due)
        if due > DAY or dnc is not None or (owner is not None and row_owner != owner):
            continue
        last = max((raw.when(at) for c, at in touches if c == cid), default=None)
        facts = [SignalFacts(SignalKind(kind), raw.when(at), c) for c, kind, at in signals
                 if c == cid]
        fact = FollowUpFacts(fid, cid, due, Channel.EMAIL, "check back", FollowUpStatus.DUE)
        r = ripeness(fact, today=DAY, label=Label(label) if label else None,
                     dated_checkback=checkback is not None, signals=facts,
                     last_touch=last.date() if last else None)
        out.append((-r.score, due, fid, r.why))
    out.sort(key=lambda p: p[:3])
    return [(fid, -neg, why) for neg, _, fid, why in out]


def test_ranks_like_the_slow_way(ws: Any) -> None:
    _fill(ws, seed=3)
    for owner in (1, 2, None):
        want = _expected(ws, owner)
        got = agenda(ws, owner_of(ws), DAY, user=owner, team=owner is None)
        assert len(want) > 8
        assert [(i.followup_id, i.score, i.ripeness) for i in got] == want
        assert all(i.due <= DAY and i.overdue_days == (DAY - i.due).days for i in got)
    top = agenda(ws, owner_of(ws), DAY, user=1, limit=5)
    assert [i.followup_id for i in top] == [fid for fid, _, _ in _expected(ws, 1)[:5]]


def test_an_opted_out_contact_is_never_shown_and_the_page_still_fills(ws: Any) -> None:
    """Even an open follow-up the data should not hold (written around every guard) is
    dropped, and the next ripest rows take its place."""
    _fill(ws, seed=5)
    before = agenda(ws, owner_of(ws), DAY, user=1, limit=4)
    gone = before[0].contact_id
    with ws.db.engine.begin() as conn:  # opt-out without cancelling: not what the app does
        conn.execute(text("UPDATE contacts SET dnc_at = :t WHERE id = :id"),
                     {"t": raw.ts(conn, raw.T0), "id": gone})
    after = agenda(ws, owner_of(ws), DAY, user=1, limit=4)
    assert len(after) == 4 and gone not in {i.contact_id for i in after}
    assert [i.followup_id for i in after] == [
        fid for fid, _, _ in _expected(ws, 1)[:4]]


def test_touches_and_signals_written_later_move_the_ranking(ws: Any) -> None:
    _fill(ws, seed=9)
    first = agenda(ws, owner_of(ws), DAY, user=1)[0]
    with ws.db.engine.begin() as conn:  # touched this morning: no longer the ripest
        raw.touch(conn, 9000, first.contact_id, datetime(2026, 11, 23, 8, tzinfo=UTC))
        raw.signal(conn, 9000, first.contact_id, datetime(2026, 11, 23, 8, tzinfo=UTC),
                   "ignored", False)
    again = {i.followup_id: i for i in agenda(ws, owner_of(ws), DAY, user=1)}
    assert again[first.followup_id].score < first.score
    assert [(i.followup_id, i.score, i.ripeness) for i in agenda(ws, owner_of(ws),
                                                                 DAY, user=1)] \
        == _expected(ws, 1)
