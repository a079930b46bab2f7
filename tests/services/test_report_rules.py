"""The loss report counts cap hits and silence with the rules the product enforces.

The report's database path (grouped queries and window functions,
``services/learning/report_sql.py``) is pinned, on random histories of touches, rejections,
replies, opt-outs and plans, on SQLite and PostgreSQL, to the readable rules: each contact
counted by :meth:`ContactTally.add_contact`, which asks :func:`notnow.core.caps.
touches_over_caps` and :func:`notnow.core.cadence.attempts` / ``silence_means_no``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select, update

from actors import owner_of, user
from notnow.core import contact_stats as C
from notnow.core.model import (
    AccountFacts,
    Channel,
    ContactFacts,
    Direction,
    DncMark,
    DncSource,
    History,
    Label,
    RejectionFacts,
    TouchFacts,
)
from notnow.core.playbook import Nurture, Settings, Silence, Window
from notnow.services.learning import report_sql as R
from notnow.storage.tables import Account, Contact, FollowUp, Rejection, Touch

AS_OF = date(2026, 11, 23)  # conftest.NOW
START = datetime(2026, 9, 1, 6, tzinfo=UTC)
CHANNELS = ["email", "call", "linkedin", "note"]
LABELS = [Label.NOT_NOW, Label.NO_BUDGET, Label.NOT_INTERESTED, Label.INTERESTED,
          Label.AUTO_REPLY, Label.AUTO_REPLY, Label.DO_NOT_CONTACT, Label.GATEKEEPER,
          Label.WRONG_PERSON]
ZONES = [None, None, "Asia/Tokyo", "America/Los_Angeles", "Nowhere/Atlantis"]


@dataclass(frozen=True)
class World:
    settings: Settings
    account_zone: str | None
    contacts: list[tuple[str | None, int | None, bool]]  # zone, opt-out hour, planned
    touches: list[tuple[int, int, bool, str, bool, int]]  # contact, hour, inbound, ch, reply, who
    nos: list[tuple[int, int, Label]]  # contact, hour, label
    since_hour: int | None
    people: list[int] | None  # indexes of the authors in scope


hours = st.integers(min_value=0, max_value=24 * 21)
SHARED = [24 * k + h for k in (3, 4, 6) for h in (17, 19)]  # 23:00 and 01:00 UTC


@st.composite
def worlds(draw: st.DrawFn) -> World:
    n = draw(st.integers(min_value=1, max_value=3))
    contact = st.integers(min_value=0, max_value=n - 1)
    # moments shared by several records (ties are common) around midnight UTC, where the
    # contact's local day and the UTC day part
    moment = st.one_of(hours, st.sampled_from(SHARED))
    touches = draw(st.lists(st.tuples(contact, moment, st.just(False), st.sampled_from(CHANNELS),
                                      st.booleans(), st.integers(0, 2)),
                            min_size=1, max_size=25))
    inbound = draw(st.lists(st.tuples(contact, moment), max_size=4))
    touches += [(c, h, True, "email", False, 0) for c, h in inbound]
    caps = draw(st.lists(st.builds(Window, touches=st.integers(1, 3), days=st.integers(1, 6)),
                         min_size=1, max_size=2))
    cfg = Settings(contact_caps=tuple(caps),
                   nurture=Nurture(touches=draw(st.integers(1, 2)),
                                   per_days=draw(st.integers(1, 30))),
                   silence=Silence(attempts=draw(st.integers(1, 6)),
                                   channels=draw(st.integers(1, 3))))
    return World(
        settings=cfg, account_zone=draw(st.sampled_from(ZONES)),
        contacts=[(draw(st.sampled_from(ZONES)), draw(st.none() | hours), draw(st.booleans()))
                  for _ in range(n)],
        touches=touches,
        nos=draw(st.lists(st.tuples(contact, moment, st.sampled_from(LABELS)), max_size=6)),
        since_hour=draw(st.one_of(st.none(), st.none(), hours)),
        people=draw(st.one_of(st.none(), st.none(),
                              st.lists(st.integers(0, 2), max_size=3, unique=True))))


def edge(*, touches: list[tuple[int, float, str, bool]], nos: list[tuple[int, int, Label]]
         | None = None, zone: str | None = None,
         caps: tuple[Window, ...] = (Window(touches=3, days=7),),
         nurture_days: int = 30) -> World:
    """One contact's history, days given as 3 (23:00 UTC on day 3) or 3.1 (01:00 on day 4)."""
    def hour(day: float) -> int:
        return 24 * int(day) + (19 if day % 1 else 17)

    return World(settings=Settings(contact_caps=caps, nurture=Nurture(per_days=nurture_days)),
                 account_zone=None,
                 contacts=[(zone, None, False)],
                 touches=[(c, hour(d), False, ch, reply, 0) for c, d, ch, reply in touches],
                 nos=[(c, hour(d), label) for c, d, label in nos or []],
                 since_hour=None, people=None)


def moment(hour: int) -> datetime:
    return START + timedelta(hours=hour, minutes=7 * (hour % 3))


def store(ws: Any, world: World, authors: list[int]) -> list[int]:
    """Replace what the database holds by ``world``; returns the contact ids."""
    with ws.db.write() as s:
        for table in (FollowUp, Touch, Rejection, Contact, Account):
            s.execute(delete(table))
        acc = s.execute(insert(Account).values(
            name="Acme", timezone=world.account_zone, owner_id=authors[0], created_at=START)
            .returning(Account.id)).scalar_one()
        ids = [s.execute(insert(Contact).values(
            account_id=acc, name=f"C{i}", timezone=zone, owner_id=authors[0], created_at=START)
            .returning(Contact.id)).scalar_one() for i, (zone, _, _) in enumerate(world.contacts)]
        if world.touches:
            s.execute(insert(Touch), [
                {"contact_id": ids[c], "account_id": acc, "channel": channel,
                 "direction": "inbound" if inbound else "outbound", "at": moment(h),
                 "reply": reply and not inbound, "author_id": authors[who], "created_at": START}
                for c, h, inbound, channel, reply, who in world.touches])
        if world.nos:
            s.execute(insert(Rejection), [
                {"contact_id": ids[c], "account_id": acc, "at": moment(h), "label": label.value,
                 "also": [], "evidence": [], "label_source": "manual", "author_id": authors[0],
                 "created_at": START} for c, h, label in world.nos])
        for i, (_, dnc, planned) in enumerate(world.contacts):
            if dnc is not None:  # after the touches: history made before the opt-out
                s.execute(update(Contact).where(Contact.id == ids[i])
                          .values(dnc_at=moment(dnc), dnc_source="prospect"))
            elif planned:
                s.execute(insert(FollowUp).values(
                    contact_id=ids[i], account_id=acc, due=AS_OF, channel="email",
                    purpose="check back", status="due", rule="cadence", owner_id=authors[0],
                    created_at=START))
    return ids


def readable(ws: Any, world: World, f: R.Filter) -> C.ContactTally:
    """Each contact in scope from its records, by the core's rules."""
    tally = C.ContactTally(settings=world.settings, as_of=AS_OF)
    with ws.db.read() as s:
        acc = s.scalars(select(Account)).one()
        account = AccountFacts(id=acc.id, name=acc.name, timezone=acc.timezone)
        touches = [TouchFacts(t.contact_id, t.account_id, Channel(t.channel),
                              Direction(t.direction), t.at, reply=t.reply, id=t.id,
                              author_id=t.author_id) for t in s.scalars(select(Touch))]
        nos = [RejectionFacts(id=r.id, contact_id=r.contact_id, account_id=r.account_id,
                              at=r.at, label=Label(r.label)) for r in s.scalars(select(Rejection))]
        planned = set(s.scalars(select(FollowUp.contact_id)  # open: due or snoozed
                                .where(FollowUp.status.in_(("due", "snoozed")))))
        for c in s.scalars(select(Contact)):
            if not any(t.contact_id == c.id and (f.since is None or t.at >= f.since)
                       and (f.people is None or t.author_id in f.people) for t in touches):
                continue
            dnc = DncMark(c.dnc_at, None, DncSource.PROSPECT) if c.dnc_at else None
            contact = ContactFacts(id=c.id, account_id=c.account_id, name=c.name,
                                   timezone=c.timezone, dnc=dnc)
            history = History(touches=tuple(t for t in touches if t.contact_id == c.id),
                              rejections=tuple(r for r in nos if r.contact_id == c.id))
            tally.add_contact(contact, account, history, since=f.since,
                              planned=c.id in planned,
                              answered=any(r.contact_id == c.id and r.label != Label.AUTO_REPLY
                                           for r in nos))
    return tally


def from_database(ws: Any, world: World, f: R.Filter) -> C.ContactTally:
    tally = C.ContactTally(settings=world.settings, as_of=AS_OF)
    with ws.db.read() as s:
        for author, outbound, hits, opted in R.touch_groups(s, f, world.settings):
            tally.add_touches(author, int(outbound), int(hits or 0), int(opted or 0))
        for access, before, answered, n_out, n_ch, abandoned, who, n in R.contact_groups(
                s, f, AS_OF, tally.idle_days):
            tally.add_contacts(int(n), access=bool(access), before_access=int(before or 0),
                               answered=bool(answered), attempts=int(n_out or 0),
                               channels=int(n_ch or 0), abandoned_by=who,
                               abandoned=bool(abandoned))
    return tally


def figures(t: C.ContactTally) -> dict[str, Any]:
    return {"cap_hits": +t.cap_hits, "opted_out": +t.opted_out_attempts,
            "outbound": +t.outbound, "before_access": +t.attempts_before_access,
            "replied": t.replied, "silent_under": t.silent_under_rule,
            "silent_past": t.silent_past_rule, "abandoned": +t.abandoned,
            "gave_up_early": +t.gave_up_early}


def test_the_reports_counts_are_the_enforced_rules_on_random_histories(ws: Any) -> None:
    authors = [owner_of(ws).id, user(ws, "Ana").id, user(ws, "Ben").id]

    @settings(max_examples=30, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(worlds())
    @example(edge(touches=[(0, 3, "email", False), (0, 4, "call", False)],  # with the no:
                  nos=[(0, 4, Label.NOT_NOW)]))  # the no is not before the touch
    @example(edge(touches=[(0, 3, "email", False), (0, 4, "call", False)],  # the soft no
                  nos=[(0, 2, Label.NOT_NOW), (0, 4, Label.INTERESTED)]))  # still holds
    @example(edge(zone="Asia/Tokyo", caps=(Window(touches=1, days=1),),  # 23:00 and 01:00
                  touches=[(0, 3, "email", False), (0, 3.1, "call", False)]))  # UTC: one day
    @example(edge(touches=[(0, 3, "email", False)], nos=[(0, 1, Label.AUTO_REPLY)]))
    @example(edge(touches=[(0, 3, "email", True), (0, 4, "call", False)],  # a reply, then
                  nos=[(0, 2, Label.NOT_NOW)]))  # nurture: the reply is not counted
    @example(edge(touches=[(0, 3, "email", False), (0, 4, "call", True)],  # a reply is not
                  nos=[(0, 2, Label.NOT_NOW)]))  # held to the nurture cap
    @example(edge(touches=[(0, 1, "email", True), (0, 2, "call", False),  # the reply is not
                           (0, 3, "note", False)], nurture_days=2,  # counted out of the
                  nos=[(0, 0, Label.NOT_NOW)]))  # window either
    def check(world: World) -> None:
        store(ws, world, authors)
        f = R.Filter(since=moment(world.since_hour) if world.since_hour is not None else None,
                     people=(frozenset(authors[i] for i in world.people)
                             if world.people is not None else None))
        assert figures(from_database(ws, world, f)) == figures(readable(ws, world, f))
        everyone = R.Filter(since=None, people=None)
        assert (figures(from_database(ws, world, everyone))
                == figures(readable(ws, world, everyone)))

    check()


def test_the_grouped_rejection_and_checkback_figures_equal_the_per_row_ones(ws: Any) -> None:
    """A seeded random team: the report's grouped queries give the figures that counting
    each rejection (``LossTally.add_all``) and each check-back (``checkback_outcome``) in
    Python gives."""
    import random

    from notnow.core import analytics as A
    from notnow.services.learning import reports
    from notnow.storage.tables import Deal

    rng = random.Random(16)
    owner = owner_of(ws)
    authors = [owner.id, user(ws, "Ana").id, None]
    labels = [lbl.value for lbl in LABELS] + ["price", "missing_capability"]
    with ws.db.write() as s:
        # every edge of every size band (the database groups head counts by band)
        sizes = [None, -3, 0, 1, 10, 11, 50, 51, 200, 201, 1000, 1001, 5000]
        accounts = [s.execute(insert(Account).values(
            name=f"A{i}", owner_id=owner.id, created_at=START, employees=employees,
            region=rng.choice([None, "", " West ", "West", "East"]),
            industry=rng.choice([None, "retail", "finance"])).returning(Account.id))
            .scalar_one() for i, employees in enumerate(sizes)]
        contacts = [s.execute(insert(Contact).values(
            account_id=accounts[i % len(accounts)], name=f"C{i}", owner_id=owner.id,
            created_at=START).returning(Contact.id)).scalar_one() for i in range(26)]
        account_of = dict(s.execute(select(Contact.id, Contact.account_id)).all())
        s.execute(insert(Deal), [
            {"account_id": rng.choice(accounts[:5]), "offer": "Core", "status": "won",
             "owner_id": rng.choice(authors[:2]), "created_at": START,  # several an account
             "closed_at": moment(rng.randrange(-24 * 400, 24 * 200))} for _ in range(12)])
        nos = []
        for _ in range(150):
            c = rng.choice(contacts)
            nos.append({"contact_id": c, "account_id": account_of[c],
                        "at": moment(rng.randrange(-24 * 500, 24 * 80)),
                        "label": rng.choice(labels), "stage": rng.choice([None, "proposal"]),
                        "channel": rng.choice([None, "email", " call"]),
                        "competitor": rng.choice([None, "Rival", ""]), "also": [],
                        "evidence": [], "label_source": "manual",
                        "author_id": rng.choice(authors), "created_at": START})
        s.execute(insert(Rejection), nos)
        s.execute(insert(Deal), [  # won on the day of a no, and the day before another
            {"account_id": no["account_id"], "offer": "Core", "status": "won",
             "owner_id": owner.id, "created_at": START,
             "closed_at": no["at"] - timedelta(days=days)}
            for no, days in ((nos[0], 0), (nos[1], 1))])
        ids = list(s.scalars(select(Rejection.id)))
        s.execute(insert(Touch), [
            {"contact_id": (c := rng.choice(contacts)), "account_id": account_of[c],
             "channel": "email", "direction": "inbound",
             "at": moment(rng.randrange(-24 * 500, 24 * 80)), "created_at": START}
            for _ in range(20)])
        s.execute(insert(FollowUp), [
            {"contact_id": (c := rng.choice(contacts)), "account_id": account_of[c],
             "rejection_id": rng.choice(ids + [None]),
             "due": (START + timedelta(days=rng.randrange(-400, 120))).date(),
             "channel": "email", "purpose": "check back",
             "status": rng.choice(["done", "skipped", "cancelled", "due", "snoozed"]),
             "rule": rng.choice(["checkback.time_hint", "winback.ship", "cadence"]),
             "owner_id": owner.id, "created_at": START} for _ in range(60)])
        # nos relabelled, and follow-ups unlinked from theirs, after the follow-ups were made:
        # the check-backs are counted by the label of their no as it is now
        s.execute(update(Rejection).where(Rejection.id.in_(ids[::7])).values(label="price"))
        s.execute(update(Rejection).where(Rejection.id.in_(ids[3::11]))
                  .values(label="no_need"))
        s.execute(update(FollowUp).where(FollowUp.id.in_(
            select(FollowUp.id).where(FollowUp.rejection_id.is_not(None)).limit(5)))
            .values(rejection_id=None))
    for since in (None, date(2026, 3, 1)):
        scope = reports.resolve_scope(ws, owner, team=True, since=since)
        with ws.db.read() as s:
            names = reports._names(s)
            wins = reports._wins(s, scope, names)
            grouped = reports._count_rejections(s, scope, names, A.LossTally(wins))
            checkbacks = reports._checkback_figures(s, scope)
            emp = {a.id: a for a in s.scalars(select(Account))}
            rows = [A.NoRow(r.id, r.at.date(), r.label, r.stage, r.channel,
                            emp[r.account_id].employees, emp[r.account_id].region,
                            emp[r.account_id].industry, r.competitor, names.get(r.author_id),
                            r.account_id)
                    for r in s.scalars(select(Rejection).order_by(Rejection.id))
                    if r.label not in R.NOT_COUNTED and (since is None or r.at.date() >= since)]
            answers = [t.at.date() for t in s.scalars(select(Touch))]
            last_in = {c: max((t.at.date() for t in s.scalars(select(Touch))
                               if t.contact_id == c), default=date.min) for c in contacts}
            rejections = list(s.scalars(select(Rejection)))
            last_no = {c: max((r.at.date() for r in rejections if r.contact_id == c
                               and r.label not in R.NOT_COUNTED), default=date.min)
                       for c in contacts}
            label_of = {r.id: r.label for r in rejections}
            per_row = [A.CheckbackRow(f.id, f.due, f.status, f.account_id,
                                      label_of.get(f.rejection_id),
                                      last_in[f.contact_id] >= f.due,
                                      last_no[f.contact_id] >= f.due)
                       for f in s.scalars(select(FollowUp))
                       if f.rule.startswith(("checkback", "winback", "renewal"))
                       and (since is None or f.due >= since)]
        assert answers
        one_by_one = A.LossTally(wins).add_all(rows)
        for attr in ("total", "by", "label_stage", "label_size", "label_salesperson",
                     "monthly", "won_back_by_label", "won_back_by_delay", "first_day",
                     "last_day"):
            assert getattr(grouped, attr) == getattr(one_by_one, attr), attr
        assert sorted(grouped.days_to_deal) == sorted(one_by_one.days_to_deal)
        assert {p.salesperson: (p.rejections, p.won_back, sorted(p.days_to_deal), p.wins)
                for p in grouped.proofs()} == {
            p.salesperson: (p.rejections, p.won_back, sorted(p.days_to_deal), p.wins)
            for p in one_by_one.proofs()}
        assert checkbacks == A.checkback_outcomes(per_row, wins, scope.as_of)
        assert grouped.total > 20 and sum(checkbacks["all"].values()) > 10


def test_the_report_reads_without_jit_compilation_only_in_its_transaction(ws: Any) -> None:
    """PostgreSQL compiled the report's grouped queries (their estimated cost is high) and the
    compiling took longer than the queries: the report's read transaction turns it off, and
    the next transaction has the server's setting again."""
    from sqlalchemy import text

    with ws.db.read() as s:
        if not R.postgres(s):
            R.settle(s)  # nothing to set on SQLite
            return
        before = s.execute(text("SHOW jit")).scalar_one()
    with ws.db.read() as s:
        R.settle(s)
        assert s.execute(text("SHOW jit")).scalar_one() == "off"
        assert s.execute(text("SHOW work_mem")).scalar_one() == "32MB"
    with ws.db.read() as s:
        assert s.execute(text("SHOW jit")).scalar_one() == before


def test_the_counting_beside_sees_the_same_data_as_the_rest(ws: Any) -> None:
    """The touches and contacts are counted on a second transaction, in another thread: it
    must see exactly what the rest of the report sees, not a write committed in between."""
    from sqlalchemy import func, text

    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.services.workspace import open_workspace
    from notnow.storage.tables import Contact

    me = owner_of(ws)
    acme = add_account(ws, me, {"name": "Acme"})
    add_contact(ws, me, {"name": "Dana Ruiz"}, account=acme.id)

    def count(s: Any) -> int:
        return int(s.execute(select(func.count()).select_from(Contact)).scalar_one())

    with ws.db.read() as s:
        R.settle(s)
        seen = count(s)
        other = open_workspace(ws.config)  # another writer commits now
        try:
            add_contact(other, owner_of(other), {"name": "Lee Park"}, account=acme.id)
        finally:
            other.close()
        assert count(s) == seen  # one snapshot for the report's transaction
        assert R.beside(ws.db, s, count).result(timeout=60) == seen
        if R.postgres(s):
            assert s.execute(text("SHOW transaction_isolation")).scalar_one() == \
                "repeatable read"
    with ws.db.read() as s:
        assert count(s) == seen + 1


def test_the_counting_beside_has_given_its_connection_back_when_its_result_is_ready(
        ws: Any, monkeypatch: Any) -> None:
    """The report's second transaction ends before its result is handed over: a workspace
    closed right after a report holds no connection still in another thread's hands (one
    given back to a pool already disposed stayed open until collected, and the test running
    then failed on psycopg's ResourceWarning)."""
    import contextlib
    import time

    from sqlalchemy import text

    reads = ws.db.read

    def read_ending_late() -> Any:
        @contextlib.contextmanager
        def read() -> Any:
            with reads() as s:
                try:
                    yield s
                finally:
                    time.sleep(0.3)  # still inside: the connection is not given back yet
        return read()

    with ws.db.read() as s:
        if not R.postgres(s):
            pytest.skip("SQLite counts on the report's own transaction, in its thread")
        monkeypatch.setattr(ws.db, "read", read_ending_late)
        assert R.beside(ws.db, s, lambda o: o.execute(text("SELECT 1")).scalar_one()
                        ).result(timeout=60) == 1
        monkeypatch.setattr(ws.db, "read", reads)
    assert ws.db.engine.pool.checkedout() == 0
