"""Storage says what the core decides: the triggers and the session guard refuse exactly what
`ensure_schedulable` (a follow-up) and `ensure_contactable` (a touch) refuse (issue 10).

Every state a contact can be in (reachable, opted out, held, both) against every write that
reaches a follow-up or a touch — as raw SQL (the triggers) and through the ORM (the guard) —
on both backends. A held contact (a possible opt-out waiting for a decision) has nothing
scheduled: the triggers refuse it too, and the core says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import text

from rawrows import T0, ts

OPT_OUT = T0 + timedelta(days=10)
STATES = {1: "reachable", 2: "opted out", 3: "held", 4: "opted out and held"}


@dataclass(frozen=True)
class Write:
    name: str
    followup: bool  # what it reaches: a follow-up (else a touch)
    opens: bool  # leaves a follow-up open, or is an outbound touch
    at: datetime | None = None  # when the touch was made
    sql: str = ""


WRITES = [
    *(Write(f"insert a {status} follow-up", True, status in ("due", "snoozed"),
            sql="INSERT INTO followups (contact_id, account_id, due, channel, purpose, status, "
                f"created_at) VALUES (:c, 1, '2027-01-04', 'email', 'x', '{status}', :t)")
      for status in ("due", "snoozed", "done", "skipped", "cancelled")),
    *(Write(f"reopen a closed follow-up as {status}", True, True,
            sql=f"UPDATE followups SET status = '{status}' WHERE id = :closed")
      for status in ("due", "snoozed")),
    Write("move an open follow-up", True, True,
          sql="UPDATE followups SET due = '2027-02-01' WHERE id = :open"),
    Write("close an open follow-up", True, False,
          sql="UPDATE followups SET status = 'done' WHERE id = :open"),
    Write("a rank column of an open follow-up changes", True, False,
          sql="UPDATE followups SET label = 'not_now' WHERE id = :open"),
    *(Write(f"an {direction} touch {name}", False, direction == "outbound", at,
            sql="INSERT INTO touches (contact_id, account_id, channel, direction, at, "
                f"created_at) VALUES (:c, 1, 'call', '{direction}', :at, :t)")
      for direction in ("outbound", "inbound")
      for name, at in (("before the opt-out", OPT_OUT - timedelta(hours=1)),
                       ("at the opt-out", OPT_OUT), ("after it", OPT_OUT + timedelta(days=1)))),
    Write("an inbound touch turned outbound", False, True, OPT_OUT + timedelta(days=1),
          sql="UPDATE touches SET direction = 'outbound' WHERE id = :inbound"),
]


def _core_refuses(state: int, write: Write) -> bool:
    """What the core's functions decide for this contact and write."""
    from notnow.core.caps import ensure_contactable, ensure_schedulable
    from notnow.core.model import ContactFacts, DncMark, DncSource
    from notnow.errors import NotnowError

    facts = ContactFacts(
        id=state, account_id=1, name=STATES[state],
        dnc=DncMark(since=OPT_OUT, reason="asked", source=DncSource.MANUAL)
        if state in (2, 4) else None,
        hold="possible opt-out" if state in (3, 4) else None)
    check: Callable[[], None]
    if not write.opens:
        return False
    if write.followup:
        check = lambda: ensure_schedulable(facts)  # noqa: E731
    else:
        check = lambda: ensure_contactable(facts, at=write.at)  # noqa: E731
    try:
        check()
    except NotnowError:
        return True
    return False


def _contacts(conn: Any) -> None:
    t0 = ts(conn, T0)
    conn.execute(text("INSERT INTO accounts (id, name, name_key, created_at) "
                      "VALUES (1, 'Acme', 'acme', :t)"), {"t": t0})
    for cid, name in STATES.items():
        conn.execute(text("INSERT INTO contacts (id, account_id, name, name_key, role, "
                          "created_at) VALUES (:id, 1, :n, :n, 'other', :t)"),
                     {"id": cid, "n": name, "t": t0})


def _setup(conn: Any) -> dict[tuple[int, int], dict[str, int]]:
    """For every state and write, a closed and an open follow-up and an inbound touch, made
    while the contact was reachable; then each contact is put in its state."""
    t0, later = ts(conn, T0), ts(conn, OPT_OUT + timedelta(days=1))
    _contacts(conn)
    ids: dict[tuple[int, int], dict[str, int]] = {}
    for cid in STATES:
        for i in range(len(WRITES)):
            made = {}
            for key, status in (("closed", "done"), ("open", "due")):
                made[key] = conn.execute(text(
                    "INSERT INTO followups (contact_id, account_id, due, channel, purpose, "
                    "status, created_at) VALUES (:c, 1, '2027-01-04', 'email', 'x', :s, :t) "
                    "RETURNING id"), {"c": cid, "s": status, "t": t0}).scalar_one()
            made["inbound"] = conn.execute(text(
                "INSERT INTO touches (contact_id, account_id, channel, direction, at, "
                "created_at) VALUES (:c, 1, 'email', 'inbound', :t, :t) RETURNING id"),
                {"c": cid, "t": later}).scalar_one()
            ids[cid, i] = made
    for cid in (2, 4):
        conn.execute(text("UPDATE contacts SET dnc_at = :d, dnc_reason = 'asked', "
                          "dnc_source = 'manual' WHERE id = :c"),
                     {"d": ts(conn, OPT_OUT), "c": cid})
    for cid in (3, 4):
        conn.execute(text("UPDATE contacts SET held_at = :d, hold_reason = 'possible opt-out' "
                          "WHERE id = :c"), {"d": ts(conn, OPT_OUT), "c": cid})
    return ids


def test_the_triggers_refuse_what_the_core_refuses(ws: Any) -> None:
    from notnow.errors import ContactHeld, DoNotContact

    with ws.db.write() as s:
        ids = _setup(s.connection())
    disagree = []
    for state in STATES:
        for i, write in enumerate(WRITES):
            params = {"c": state, "t": ts_of(ws, T0), **ids[state, i],
                      "at": ts_of(ws, write.at or T0)}
            try:
                with ws.db.write() as s:
                    s.execute(text(write.sql), params)
                refused = False
            except (DoNotContact, ContactHeld):
                refused = True
            if refused != _core_refuses(state, write):
                disagree.append(f"{STATES[state]}: {write.name}: storage "
                                f"{'refused' if refused else 'allowed'}")
    assert disagree == []


def test_the_session_guard_refuses_what_the_core_refuses(ws: Any) -> None:
    from notnow.errors import ContactHeld, DoNotContact
    from notnow.storage.tables import FollowUp, Touch

    with ws.db.write() as s:
        _setup(s.connection())
    disagree = []
    for state in STATES:
        for write in WRITES:
            if not write.sql.startswith("INSERT"):
                continue
            if write.followup:
                status = write.name.split()[2]
                row: Any = FollowUp(contact_id=state, account_id=1, due=date(2027, 1, 4),
                                    channel="email", purpose="x", status=status,
                                    created_at=T0)
            else:
                direction = write.name.split()[1]
                row = Touch(contact_id=state, account_id=1, channel="call",
                            direction=direction, at=write.at, created_at=T0)
            try:
                with ws.db.write() as s:
                    s.add(row)
                refused = False
            except (DoNotContact, ContactHeld) as exc:
                refused = True
                if state == 3:
                    assert isinstance(exc, ContactHeld) and "possible opt-out" in exc.message
            if refused != _core_refuses(state, write):
                disagree.append(f"{STATES[state]}: {write.name}: the guard "
                                f"{'refused' if refused else 'allowed'}")
    assert disagree == []


def ts_of(ws: Any, when: datetime) -> Any:
    if ws.db.is_sqlite:
        return when.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ",
                                                                   timespec="microseconds")
    return when


@pytest.mark.parametrize("offset", [timedelta(0), timedelta(hours=5)])
def test_touch_times_compare_as_instants_whatever_their_zone(ws: Any,
                                                             offset: timedelta) -> None:
    """A touch written by raw SQL with a zone offset (or none) is compared as an instant."""
    from notnow.errors import DoNotContact

    with ws.db.write() as s:
        _setup(s.connection())

    zone = timezone(offset)
    for delta, refused in ((timedelta(minutes=-1), False), (timedelta(minutes=1), True)):
        made = (OPT_OUT + delta).astimezone(zone)
        raised = False
        try:
            with ws.db.write() as s:
                s.execute(text("INSERT INTO touches (contact_id, account_id, channel, "
                               "direction, at, created_at) VALUES (2, 1, 'call', 'outbound', "
                               ":at, :at)"), {"at": made.isoformat(sep=" ")})
        except DoNotContact:
            raised = True
        assert raised == refused, made
