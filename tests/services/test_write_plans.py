"""What the everyday writes ask the database reads the history by index, never whole.

A logged no, a touch, a signal, a snooze and its undo each check the caps against the account's
history. A statement that reads a whole history table costs every write more as the history
grows (the account's signals, read with an ``OR`` of the account and its contacts, scanned all
157,000 signals of the 1M bench database: 22 ms of PostgreSQL for every write). Each statement
the writes run is explained as the database would run it with the index it could use (on
PostgreSQL, sequential scans priced out; a tiny test table would be scanned anyway) and may
not read a history table whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, select

from actors import owner_of
from web_support import seed

HISTORY = ("touches", "signals", "rejections", "followups", "contacts", "accounts",
           "audit_events", "notnow_data_changes")
"""The tables that grow with the team's work."""
WHOLE_BY_DESIGN = ("SELECT DISTINCT deals.offer",)
"""Planning a no reads what we sell: the offer of every deal the actor may read."""


def _statements(ws: Any, work: Any) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def before(conn: Any, cursor: Any, statement: str, params: Any, context: Any,
               many: bool) -> None:
        if not many:
            seen.append((statement, params))

    event.listen(ws.db.engine, "before_cursor_execute", before)
    try:
        work()
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", before)
    return seen


def _whole_reads(ws: Any, statements: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    """(table, statement) for each history table a statement would read whole."""
    found = []
    with ws.db.engine.connect() as conn:
        if not ws.db.is_sqlite:
            conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, params in statements:
            head = statement.lstrip().split(None, 1)[0].upper()
            if head not in ("SELECT", "UPDATE", "DELETE", "INSERT", "WITH") \
                    or statement.startswith(WHOLE_BY_DESIGN):
                continue
            if ws.db.is_sqlite:
                rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)
                plan = "\n".join(str(r[-1]) for r in rows)
                whole = re.findall(r"\bSCAN (\w+)", plan)
            else:
                plan = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement,
                                            params).scalar_one()
                whole = list(_pg_whole(plan[0]["Plan"]))
            found += [(t, statement) for t in whole if t in HISTORY]
        conn.rollback()
    return found


def _pg_whole(node: dict[str, Any]) -> Iterator[str]:
    """The tables a PostgreSQL plan reads whole: scanned, or walked along an index with no
    condition on it (a backward walk of the primary key filtering each row, say)."""
    kind = node.get("Node Type", "")
    if "Relation Name" in node and (kind == "Seq Scan" or (
            kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node)):
        yield node["Relation Name"]
    for child in node.get("Plans", ()):
        yield from _pg_whole(child)


def _grow(ws: Any, copies: int = 400) -> None:
    """More of what is written — accounts, each with copies of the contacts and of the latest
    touch, signal, no, follow-up and audit event — then ANALYZE: a planner that knows the
    tables hold many rows picks an index for a selective condition, and still reads a whole
    table where no index serves."""
    from sqlalchemy import func, insert, text

    from notnow.storage.tables import (
        Account,
        AuditEvent,
        Contact,
        FollowUp,
        Rejection,
        Signal,
        Touch,
    )

    history = [t.__table__ for t in (Touch, Signal, Rejection, FollowUp, AuditEvent)]
    with ws.db.write() as s:
        def last(table: Any) -> dict[str, Any]:
            return dict(s.execute(select(table).order_by(table.c.id.desc()).limit(1)).one()
                        ._mapping)

        tables = [Account.__table__, Contact.__table__, *history]
        top = {t: s.scalar(select(func.max(t.c.id))) for t in tables}
        account = last(Account.__table__)
        contacts = [dict(r._mapping) for r in s.execute(select(Contact.__table__))]
        latest = {t: last(t) for t in history}
        new: dict[Any, list[dict[str, Any]]] = {t: [] for t in tables}
        for n in range(1, copies + 1):
            aid = top[Account.__table__] + n
            new[Account.__table__].append({**account, "id": aid, "name": f"Copy {n}",
                                           "name_key": f"copy {n}",
                                           "domain": f"copy{n}.example"})
            for k, c in enumerate(contacts):
                cid = top[Contact.__table__] + n * len(contacts) + k
                email = f"c{cid}@copy{n}.example"
                new[Contact.__table__].append({**c, "id": cid, "account_id": aid, "email": email,
                                               "email_key": email, "phone_key": None,
                                               "linkedin_key": None})
                for t in history:
                    row = {**latest[t], "id": top[t] + cid, "contact_id": cid, "account_id": aid}
                    if "deal_id" in row:
                        row["deal_id"] = None
                    if row.get("rejection_id") is not None:  # the copy's own no
                        row["rejection_id"] = top[Rejection.__table__] + cid
                    if t is AuditEvent.__table__:
                        row["entity_id"] = cid
                    new[t].append(row)
        for t in tables:
            s.execute(insert(t), new[t])
            if not ws.db.is_sqlite:  # the ids were given: the next one the database gives
                s.execute(text(f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                               f"(SELECT max(id) FROM {t.name}))"))
    with ws.db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))


@pytest.fixture
def grown(ws: Any) -> tuple[Any, Any]:
    """The owner and a seeded account with a signal, a touch and a no, among grown tables."""
    from notnow.services.capture.log import log_rejection
    from notnow.services.capture.touches import record_touch
    from notnow.services.followups.actions import record_signal

    me = owner_of(ws)
    data = seed(ws, me)
    record_signal(ws, me, data.other_contact_id, "visited", note="pricing page")
    record_touch(ws, me, {"channel": "email"}, contact=data.other_contact_id)
    log_rejection(ws, me, {"text": "No budget this year."}, contact=data.contact_id)
    _grow(ws)
    return me, data


def test_the_everyday_writes_read_the_history_by_index(ws: Any, grown: Any) -> None:
    from notnow.services.capture.log import log_rejection
    from notnow.services.capture.touches import record_touch
    from notnow.services.followups.actions import act, record_signal, undo
    from notnow.storage.tables import FollowUp

    me, data = grown

    def work() -> None:
        log_rejection(ws, me, {"text": "Not now, try me after the summer."},
                      contact=data.contact_id)
        record_touch(ws, me, {"channel": "call", "direction": "inbound"},
                     contact=data.other_contact_id)
        record_signal(ws, me, data.other_contact_id, "visited", note="pricing page again")

    def more_work() -> None:
        assert act(ws, me, act_on, "snooze").status == "snoozed"
        undo(ws, me, act_on)
        out = log_rejection(ws, me, {"text": "Take me off your list, do not contact me again."},
                            contact=data.other_contact_id)
        assert getattr(out.label, "value", out.label) == "do_not_contact"

    statements = _statements(ws, work)
    with ws.db.read() as s:
        act_on = s.scalar(select(FollowUp.id).where(FollowUp.status == "due")
                          .order_by(FollowUp.due, FollowUp.id).limit(1))
    assert act_on is not None
    statements += _statements(ws, more_work)
    assert any("FROM signals" in s for s, _ in statements)
    whole = _whole_reads(ws, statements)
    assert not whole, "\n\n".join(f"{t}: {s}" for t, s in whole)


@pytest.mark.parametrize("form", ["or", "union"])
def test_the_check_sees_a_whole_read(ws: Any, grown: Any, form: str) -> None:
    """The check itself: the old form of the signals statement is caught, the new one is not
    (so the test above could fail)."""
    from notnow.services.facts import _SIGNALS
    from notnow.storage.tables import Contact, Signal

    aid = grown[1].account_id
    old = (select(Signal.kind, Signal.at, Signal.contact_id, Signal.account_id)
           .where((Signal.account_id == aid) | Signal.contact_id.in_(
               select(Contact.id).where(Contact.account_id == aid))))
    statement = old if form == "or" else _SIGNALS.params(account=aid)

    def work() -> None:
        with ws.db.read() as s:
            s.execute(statement).all()

    whole = _whole_reads(ws, _statements(ws, work))
    if form == "or" and not ws.db.is_sqlite:  # SQLite reads either form by index
        assert [t for t, _ in whole] == ["signals"]
    else:
        assert whole == []


def test_the_hot_reads_read_the_history_by_index(ws: Any, grown: Any) -> None:
    """What the pages opened all day compute when nothing is kept — the agenda, an account's
    page, a contact's — reads the history by index too."""
    from notnow.services.followups.agenda import ranked_agenda
    from notnow.services.learning import journal
    from notnow.services.learning.autopsy import closest_for_account
    from notnow.services.records import accounts, activity, contacts
    from notnow.services.team.audit import audit_trail

    me, data = grown

    def work() -> None:
        assert ranked_agenda(ws, ws.today(), (me.id,)) is not None
        assert ranked_agenda(ws, ws.today(), None) is not None
        aid, cid = data.account_id, data.contact_id
        assert accounts.show_account(ws, me, aid)["contacts"]
        activity.account_activity(ws, me, aid)
        audit_trail(ws, me, limit=50, account=aid)
        journal.journal_for_account(ws, me, aid, limit=5)
        closest_for_account(ws, me, aid, n=3)
        assert contacts.show_contact(ws, me, cid).id == cid
        assert activity.contact_activity(ws, me, cid).rejections

    statements = _statements(ws, work)
    assert any("FROM followups" in s for s, _ in statements)
    whole = _whole_reads(ws, statements)
    assert not whole, "\n\n".join(f"{t}: {s}" for t, s in whole)


def test_a_locked_contact_comes_with_its_account_read_after_the_lock(ws: Any,
                                                                     grown: Any) -> None:
    """Every write locks the contact (and its account first): the account read then is the
    contact's, without another statement (the session held it only weakly, and a logged no
    or a touch read it once more)."""
    from notnow.storage.locks import lock_contact

    data = grown[1]
    with ws.db.write() as s:
        contact = lock_contact(s, data.contact_id)
        assert contact is not None
        statements = _statements(ws, lambda: contact.account.name)
        assert statements == []
        assert contact.account.id == data.account_id


def test_a_plan_reads_what_we_sell_only_to_propose_another_offer(ws: Any) -> None:
    """Every deal's offer is read (a read that grows with the deals) only by a plan that may
    propose another offer: a "not now" does and gets the offer won in its industry; a
    competitor chosen does not, and reads no deal."""
    from notnow.services.capture.log import log_rejection
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.services.records.deals import add_deal, set_deal_status

    me = owner_of(ws)
    data = seed(ws, me)
    won = add_deal(ws, me, {"offer": "Route planning", "stage": "proposal"},
                   account=data.account_id, contact=data.contact_id)
    set_deal_status(ws, me, won.id, "won")
    third = add_account(ws, me, {"name": "Initech", "industry": "Software"})
    add_deal(ws, me, {"offer": "Route planning"}, account=third.id)  # sold to two accounts
    other = add_account(ws, me, {"name": "Globex", "country": "US", "employees": 90,
                                 "industry": "Logistics"})
    hank = add_contact(ws, me, {"name": "Hank Scorpio", "email": "hank@globex.example",
                                "role": "decision_maker"}, account=other.id)
    offers_read = "GROUP BY deals.offer"

    def chose_another() -> None:
        out = log_rejection(ws, me, {"text": "We went with another vendor, sorry."},
                            contact=hank.id)
        assert getattr(out.label, "value", out.label) == "competitor_chosen"

    assert not [s for s, _ in _statements(ws, chose_another) if offers_read in s]

    planned: list[Any] = []

    def not_now() -> None:
        planned.append(log_rejection(ws, me, {"text": "Not now, try me after the summer."},
                                     contact=hank.id))

    assert [s for s, _ in _statements(ws, not_now) if offers_read in s]
    from notnow.services.followups.planning import plan_rejection

    steps = plan_rejection(ws, me, planned[0].id).model_dump()["steps"]
    assert [st for st in steps if "Route planning" in str(st)], steps


def test_the_rarer_writes_read_the_history_by_index(ws: Any, grown: Any) -> None:
    """Records added, merged, moved to the trash and back, a deal lost, an opt-out marked:
    each reads the grown history by index too."""
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.services.records.deals import add_deal, set_deal_status
    from notnow.services.records.merge import merge
    from notnow.services.records.trash import delete_record, restore_record

    me = grown[0]

    def work() -> None:
        acc = add_account(ws, me, {"name": "Initech", "country": "US", "industry": "Logistics"})
        peter = add_contact(ws, me, {"name": "Peter Gibbons", "email": "peter@initech.example"},
                            account=acc.id)
        pete = add_contact(ws, me, {"name": "Pete Gibbons", "email": "pete@initech.example"},
                           account=acc.id)
        merge(ws, me, "contact", peter.id, pete.id)
        deal = add_deal(ws, me, {"offer": "Cover sheets", "stage": "proposal"}, account=acc.id,
                        contact=peter.id)
        set_deal_status(ws, me, deal.id, "lost", reason="price")
        delete_record(ws, me, "contact", peter.id)
        restore_record(ws, me, "contact", peter.id)
        mark_dnc(ws, me, peter.id, reason="asked us to stop")

    statements = _statements(ws, work)
    assert any("FROM trash" in s for s, _ in statements)
    whole = _whole_reads(ws, statements)
    assert not whole, "\n\n".join(f"{t}: {s}" for t, s in whole)
