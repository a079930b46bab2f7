"""The loss report's kept figures (``services/learning/report_facts.py``) give the figures
the enforced rules give, whatever was written after they were kept: on random histories, on
SQLite and PostgreSQL, a random set of writes (touches added, moved, retimed, deleted, merged
into another contact; rejections relabelled and deleted; time zones changed) after the
refresh, then the report's figures are compared with the readable rules
(``test_report_rules.readable``); and again after the next refresh."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from test_report_rules import (
    AS_OF,
    LABELS,
    ZONES,
    World,
    figures,
    moment,
    readable,
    store,
    worlds,
)

from actors import owner_of, user
from notnow.core import contact_stats as C
from notnow.core.playbook import Settings, Window
from notnow.services.learning import report_facts
from notnow.services.learning import report_sql as R
from notnow.storage.tables import Account, CapHit, Contact, FollowUp, Rejection, ReportStale, Touch

EVERYONE = R.Filter(since=None, people=None)
dues = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 24 * 21),
                          st.sampled_from(["due", "done", "skipped"])), max_size=5)

writes = st.lists(st.one_of(
    st.tuples(st.just("add"), st.integers(0, 2), st.integers(0, 24 * 21), st.booleans(),
              st.integers(0, 2)),
    st.tuples(st.just("drop"), st.integers(0, 30)),
    st.tuples(st.just("move"), st.integers(0, 30), st.integers(0, 2)),
    st.tuples(st.just("retime"), st.integers(0, 30), st.integers(0, 24 * 21)),
    st.tuples(st.just("reauthor"), st.integers(0, 30), st.integers(0, 2)),
    st.tuples(st.just("relabel"), st.integers(0, 6), st.sampled_from(LABELS)),
    st.tuples(st.just("unsay"), st.integers(0, 6)),
    st.tuples(st.just("say"), st.integers(0, 2), st.integers(0, 24 * 21),
              st.sampled_from(LABELS)),
    st.tuples(st.just("zone"), st.integers(0, 2), st.sampled_from(ZONES)),
    st.tuples(st.just("account_zone"), st.sampled_from(ZONES)),
), max_size=6)


def apply(ws: Any, ids: list[int], authors: list[int], ops: list[tuple[Any, ...]]) -> None:
    """The writes, as raw SQL: the database marks what they change, whoever writes."""
    with ws.db.write() as s:
        touches = list(s.scalars(select(Touch.id).order_by(Touch.id)))
        nos = list(s.scalars(select(Rejection.id).order_by(Rejection.id)))
        acc = s.scalars(select(Account.id)).one()
        for op, *args in ops:
            try:
                with s.begin_nested():  # one the storage guard refuses (an opt-out) is skipped
                    _one(s, op, args, ids, authors, acc, touches, nos)
            except DBAPIError:
                continue


def _one(s: Any, op: str, args: list[Any], ids: list[int], authors: list[int], acc: int,
         touches: list[int], nos: list[int]) -> None:
    def pick(rows: list[int], i: int) -> int | None:
        return rows[i % len(rows)] if rows else None

    if op == "add" and args[0] < len(ids):
        c, h, reply, who = args
        s.execute(insert(Touch).values(
            contact_id=ids[c], account_id=acc, channel="email", direction="outbound",
            at=moment(h), reply=reply, author_id=authors[who], created_at=moment(0)))
    elif op in ("drop", "move", "retime", "reauthor") and touches:
        tid = pick(touches, args[0])
        if op == "drop":
            s.execute(delete(Touch).where(Touch.id == tid))
        elif op == "move":
            s.execute(update(Touch).where(Touch.id == tid)
                      .values(contact_id=ids[args[1] % len(ids)]))
        elif op == "retime":
            s.execute(update(Touch).where(Touch.id == tid).values(at=moment(args[1])))
        else:
            s.execute(update(Touch).where(Touch.id == tid)
                      .values(author_id=authors[args[1]]))
    elif op in ("relabel", "unsay") and nos:
        rid = pick(nos, args[0])
        if op == "relabel":
            s.execute(update(Rejection).where(Rejection.id == rid)
                      .values(label=args[1].value))
        else:
            s.execute(delete(Rejection).where(Rejection.id == rid))
    elif op == "say":
        c, h, label = args
        s.execute(insert(Rejection).values(
            contact_id=ids[c % len(ids)], account_id=acc, at=moment(h),
            label=label.value, also=[], evidence=[], label_source="manual",
            author_id=authors[0], created_at=moment(0)))
    elif op == "zone":
        s.execute(update(Contact).where(Contact.id == ids[args[0] % len(ids)])
                  .values(timezone=args[1]))
    elif op == "account_zone":
        s.execute(update(Account).where(Account.id == acc).values(timezone=args[0]))


def kept(ws: Any, world: World, f: R.Filter) -> C.ContactTally:
    """The touches' figures as the report counts them: kept verdicts where they hold."""
    tally = C.ContactTally(settings=world.settings, as_of=AS_OF)
    with ws.db.read() as s:
        for author, outbound, hits, opted in report_facts.touch_groups(s, f, world.settings):
            tally.add_touches(author, int(outbound), int(hits or 0), int(opted or 0))
        for access, before, answered, n_out, n_ch, abandoned, who, n in \
                report_facts.contact_groups(s, f, AS_OF, tally.idle_days):
            tally.add_contacts(int(n), access=bool(access), before_access=int(before or 0),
                               answered=bool(answered), attempts=int(n_out or 0),
                               channels=int(n_ch or 0), abandoned_by=who,
                               abandoned=bool(abandoned))
    return tally


def plan_checkbacks(ws: Any, ids: list[int], dues: list[tuple[int, int, str]],
                    owner: int) -> None:
    """Check-backs of the contacts, due on the days of ``dues`` (contact, hour, status)."""
    with ws.db.write() as s:
        acc = s.scalars(select(Account.id)).one()
        for c, h, status in dues:
            try:
                with s.begin_nested():  # an open one for an opted-out contact is refused
                    s.execute(insert(FollowUp).values(
                        contact_id=ids[c % len(ids)], account_id=acc, due=moment(h).date(),
                        channel="email", purpose="check back", status=status,
                        rule="checkback", owner_id=owner, created_at=moment(0)))
            except DBAPIError:
                continue


def same_checkbacks(ws: Any, f: R.Filter) -> None:
    """The check-backs as the report counts them (the contacts' kept latest answer and no)
    are those worked out from every touch and rejection."""
    with ws.db.read() as s:
        kept = sorted(report_facts.checkback_groups(s, f, AS_OF))
        worked_out = sorted(tuple(row) for row in R.checkback_groups(s, f, AS_OF))
    assert [tuple(row) for row in kept] == worked_out


def touch_figures(t: C.ContactTally) -> dict[str, Any]:
    got = figures(t)
    return {k: got[k] for k in ("cap_hits", "opted_out", "outbound")}


def test_kept_verdicts_are_the_enforced_rules_whatever_is_written_after(ws: Any) -> None:
    authors = [owner_of(ws).id, user(ws, "Ana").id, user(ws, "Ben").id]

    @settings(max_examples=30, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(worlds(), writes, dues)
    def check(world: World, ops: list[tuple[Any, ...]], due: list[tuple[int, int, str]]
              ) -> None:
        ids = store(ws, world, authors)
        plan_checkbacks(ws, ids, due, authors[0])
        scoped = R.Filter(
            since=moment(world.since_hour) if world.since_hour is not None else None,
            people=(frozenset(authors[i] for i in world.people)
                    if world.people is not None else None))
        assert report_facts.refresh(ws.db, world.settings) is not None
        with ws.db.read() as s:
            assert s.scalar(select(func.count()).select_from(ReportStale)) == 0
        for f in (scoped, EVERYONE):
            assert figures(kept(ws, world, f)) == figures(readable(ws, world, f))
            same_checkbacks(ws, f)
        apply(ws, ids, authors, ops)  # marked, not yet worked out again
        for f in (scoped, EVERYONE):
            assert figures(kept(ws, world, f)) == figures(readable(ws, world, f))
            same_checkbacks(ws, f)
        report_facts.refresh(ws.db, world.settings)
        for f in (scoped, EVERYONE):
            assert figures(kept(ws, world, f)) == figures(readable(ws, world, f))
            same_checkbacks(ws, f)

    check()


def _one_contact(ws: Any, caps: Settings) -> tuple[int, int, World]:
    """A contact with three touches on one day: with a cap of two a day, the third is a hit."""
    me = owner_of(ws).id
    world = World(settings=caps, account_zone=None, contacts=[(None, None, False)],
                  touches=[(0, 30 + i, False, "email", False, 0) for i in range(3)], nos=[],
                  since_hour=None, people=None)
    (cid,) = store(ws, world, [me, me, me])
    with ws.db.read() as s:
        acc = s.scalars(select(Account.id)).one()
    return cid, acc, world


CAPS = Settings(contact_caps=(Window(touches=2, days=1),))


def test_the_first_report_keeps_the_verdicts_and_other_caps_are_worked_out_anew(
        ws: Any) -> None:
    cid, _acc, world = _one_contact(ws, CAPS)
    with ws.db.read() as s:  # nothing kept yet: every verdict worked out by the report
        assert report_facts.touch_groups(s, EVERYONE, CAPS) == [(owner_of(ws).id, 3, 1, 0)]
    assert report_facts.refresh(ws.db, CAPS) == 1
    with ws.db.read() as s:
        assert list(s.scalars(select(CapHit.contact_id))) == [cid]
        assert s.scalar(select(func.count()).select_from(ReportStale)) == 0
    assert report_facts.refresh(ws.db, CAPS) == 0  # nothing marked since
    looser = Settings(contact_caps=(Window(touches=3, days=1),))
    with ws.db.read() as s:  # kept with other caps: not used
        assert report_facts.touch_groups(s, EVERYONE, looser) == [(owner_of(ws).id, 3, 0, 0)]
    assert report_facts.refresh(ws.db, looser) == 0  # none marked, but the caps changed:
    with ws.db.read() as s:  # every verdict worked out again
        assert s.scalar(select(func.count()).select_from(CapHit)) == 0
        assert report_facts.touch_groups(s, EVERYONE, looser) == [(owner_of(ws).id, 3, 0, 0)]


def _fourth_touch(conn: Any, cid: int, acc: int, me: int) -> None:
    """A fourth touch that day: with a cap of two a day, the contact has two hits now."""
    conn.execute(insert(Touch).values(
        contact_id=cid, account_id=acc, channel="call", direction="outbound",
        at=moment(33), reply=False, author_id=me, created_at=moment(0)))


def _postgres_only(ws: Any) -> None:
    with ws.db.read() as s:
        if not R.postgres(s):
            pytest.skip("SQLite has one writer at a time: no write can come in between")


def test_a_write_committed_while_the_verdicts_are_refreshed_leaves_its_mark(
        ws: Any, monkeypatch: Any) -> None:
    """The refresh reads the marks, works the verdicts out, and lets go of the marks it read.
    A touch committed after the marks were read and the verdicts worked out, before the marks
    are let go of, must leave its contact marked (its mark has grown), or the report would
    count the old verdicts."""
    cid, acc, world = _one_contact(ws, CAPS)
    _postgres_only(ws)
    me = owner_of(ws).id
    real = R.keep_facts

    def then_a_writer_commits(s: Any, among: str | None) -> None:
        real(s, among)  # the last of the working out: the marks are let go of next
        with ws.db.engine.begin() as writer:
            _fourth_touch(writer, cid, acc, me)

    monkeypatch.setattr(R, "keep_facts", then_a_writer_commits)
    assert report_facts.refresh(ws.db, CAPS) == 1
    monkeypatch.undo()
    with ws.db.read() as s:
        assert list(s.scalars(select(ReportStale.contact_id))) == [cid]  # still marked
        assert report_facts.touch_groups(s, EVERYONE, CAPS) == [(me, 4, 2, 0)]  # not 1 hit
    assert figures(kept(ws, world, EVERYONE)) == figures(readable(ws, world, EVERYONE))


def test_a_refresh_never_waits_for_a_writer_marking_a_contact(ws: Any) -> None:
    """A writer holds a contact's mark (its transaction not yet committed: an import marking
    many contacts, say). The refresh does not wait for it — a writer marking several contacts
    and a refresh deleting marks could otherwise wait for each other — and leaves that mark;
    once the writer commits, the report counts its touch."""
    cid, acc, world = _one_contact(ws, CAPS)
    _postgres_only(ws)
    me = owner_of(ws).id
    with ws.db.engine.connect() as writer:
        tx = writer.begin()
        _fourth_touch(writer, cid, acc, me)  # the mark taken and held
        done: list[int | None] = []
        refresher = threading.Thread(target=lambda: done.append(
            report_facts.refresh(ws.db, CAPS)))
        refresher.start()
        refresher.join(timeout=30)
        waited = refresher.is_alive()
        tx.commit()
    refresher.join(timeout=30)
    assert not waited, "the refresh waited for the writer"
    assert done == [1]
    with ws.db.read() as s:
        assert list(s.scalars(select(ReportStale.contact_id))) == [cid]
        assert report_facts.touch_groups(s, EVERYONE, CAPS) == [(me, 4, 2, 0)]
    assert figures(kept(ws, world, EVERYONE)) == figures(readable(ws, world, EVERYONE))


def test_the_services_writes_mark_the_contacts_whose_verdicts_they_change(ws: Any) -> None:
    """Touches recorded, moved to the trash and restored, a contact merged into another, an
    account's time zone edited — each through its service — mark the contacts it changes,
    and the report's figures stay those worked out anew."""
    from notnow.services.capture.touches import record_touch
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.services.records.edit import edit_account
    from notnow.services.records.merge import merge_contacts
    from notnow.services.records.trash import delete_record, restore_record

    me = owner_of(ws)
    acme = add_account(ws, me, {"name": "Acme"})
    a = add_contact(ws, me, {"name": "Dana Ruiz"}, account=acme.id)
    b = add_contact(ws, me, {"name": "Lee Park"}, account=acme.id)
    day = moment(30)
    made = [record_touch(ws, me, {"channel": "email", "at": day + timedelta(minutes=i)},
                         contact=c.id) for i, c in enumerate((a, b, a, b))]

    def marked() -> set[int]:
        with ws.db.read() as s:
            return set(s.scalars(select(ReportStale.contact_id)))

    def same_as_worked_out() -> None:
        with ws.db.read() as s:
            assert report_facts.touch_groups(s, EVERYONE, CAPS) == [
                tuple(row) for row in R.touch_groups(s, EVERYONE, CAPS)]

    assert marked() == {a.id, b.id}
    report_facts.refresh(ws.db, CAPS)
    assert marked() == set()
    same_as_worked_out()
    merge_contacts(ws, me, a.id, b.id)  # four touches on one day: two of them hits now
    assert a.id in marked()
    same_as_worked_out()
    with ws.db.read() as s:
        assert report_facts.touch_groups(s, EVERYONE, CAPS) == [(me.id, 4, 2, 0)]
    report_facts.refresh(ws.db, CAPS)
    delete_record(ws, me, "touch", made[0].id)
    assert marked() == {a.id}
    same_as_worked_out()
    report_facts.refresh(ws.db, CAPS)
    restore_record(ws, me, "touch", made[0].id)
    assert marked() == {a.id}
    same_as_worked_out()
    report_facts.refresh(ws.db, CAPS)
    edit_account(ws, me, acme.id, {"timezone": "Asia/Tokyo"})
    assert marked() == {a.id}
    same_as_worked_out()


def test_the_refresh_invalidates_no_cached_page(ws: Any) -> None:
    """The kept verdicts are read by the report alone: refreshing them is not a change any
    web process's cache has to let go of (PostgreSQL records what each write touched)."""
    _one_contact(ws, CAPS)
    with ws.db.read() as s:
        if not R.postgres(s):
            pytest.skip("SQLite's caches read the file's size and time")
        before = s.execute(text("SELECT count(*) FROM notnow_data_changes")).scalar_one()
    assert report_facts.refresh(ws.db, CAPS) == 1
    with ws.db.read() as s:
        after = s.execute(text("SELECT count(*) FROM notnow_data_changes")).scalar_one()
    assert after == before


def test_a_refresh_under_way_is_not_waited_for(ws: Any) -> None:
    """Two reports at once: the second does not wait for the first's refresh (it may take a
    while after a bulk load); it works out what is marked itself, and counts the same."""
    from notnow.storage.locks import try_lock_named

    _cid, _acc, _world = _one_contact(ws, CAPS)
    with ws.db.read() as s:
        if not R.postgres(s):
            pytest.skip("SQLite has one writer at a time: the refresh is the writer")
    with ws.db.write() as other:  # the first report's refresh, under way
        assert try_lock_named(other, "report-facts")
        assert report_facts.refresh(ws.db, CAPS) is None
    with ws.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ReportStale)) == 1  # still marked
        assert report_facts.touch_groups(s, EVERYONE, CAPS) == [(owner_of(ws).id, 3, 1, 0)]
    assert report_facts.refresh(ws.db, CAPS) == 1


def test_a_report_since_a_day_reads_no_pass_over_the_periods_touches(ws: Any) -> None:
    """With everyone's touches counting, a contact is in a report since a day when it has a
    touch since then: a touch (or its verdict) of the period is one itself, and a kept
    contact's latest touch says so. The report once found those contacts by a pass over every
    touch of the period, for each of its counts (11 s since a day before all the history at a
    million contacts, 3 s for all time); the marked contacts are looked up one by one. The
    figures are held equal to the enforced rules' by the property test above."""
    from test_write_plans import _statements

    cid, _acc, _world = _one_contact(ws, CAPS)
    assert report_facts.refresh(ws.db, CAPS) == 1
    with ws.db.write() as s:  # one contact marked stale: its facts are worked out anew
        s.execute(update(Touch).where(Touch.contact_id == cid).values(channel="call"))
    since = R.Filter(since=moment(0) - timedelta(days=30), people=None)

    def count() -> None:
        with ws.db.read() as s:
            assert report_facts.touch_groups(s, since, CAPS) == report_facts.touch_groups(
                s, EVERYONE, CAPS)
            assert sorted(report_facts.contact_groups(s, since, AS_OF, 30)) == sorted(
                report_facts.contact_groups(s, EVERYONE, AS_OF, 30))

    statements = [statement for statement, _params in _statements(ws, count)]
    assert statements
    assert not [q for q in statements if "SELECT DISTINCT contact_id FROM touches" in q]


def test_a_persons_report_finds_their_contacts_from_their_own_touches(ws: Any) -> None:
    """A salesperson's report (or a manager's team's) counts the contacts its people touched
    in the period: they are found in the index of the touches by author (migration 0029), not
    by passing over everyone's touches — on a million contacts shared by 300 people, one
    person's report took 2.0 s that way, 0.6 s from the index. Each statement the counting
    runs that looks for them is explained with whole-table scans priced out."""
    from test_lists_in_order import _plan
    from test_write_plans import _statements

    cid, _acc, _world = _one_contact(ws, CAPS)
    assert report_facts.refresh(ws.db, CAPS) == 1
    me = owner_of(ws).id
    scoped = R.Filter(since=moment(0) - timedelta(days=30), people=frozenset({me}))

    def count() -> None:
        with ws.db.read() as s:
            assert report_facts.touch_groups(s, scoped, CAPS) == [(me, 3, 1, 0)]

    caught = [(statement, params) for statement, params in _statements(ws, count)
              if "SELECT DISTINCT contact_id FROM touches WHERE" in statement]
    assert caught
    for statement, params in caught:
        plan = _plan(ws, statement, params)
        assert "ix_touches_author" in plan, plan
