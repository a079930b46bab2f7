"""The race: every kind of write at once, from several threads with their own connections, on
the same contacts — then not one promise broken (issue 10).

Hundreds of contacts over tens of accounts. The writers go in rounds: each round picks a few
contacts of one or two accounts, and every thread writes to them at the same moment — one opts
a contact out (marked by hand, an `unsubscribed` signal, or opt-out words logged) while the
others log a no with a check-back, accept plans, record outbound touches, mark follow-ups done,
snooze them (all to the same day: the caps are what is fought over), skip or reschedule
them, schedule the next prospecting attempt, ship a capability (win-back for everyone who asked
for it), plan a renewal check-back, or add the opted-out person again under another account.

Then, over what is stored (`promises.broken_promises`, counted with `notnow.core.caps`):
0 follow-ups open for an opted-out or held contact, 0 outbound touches recorded and 0
follow-ups scheduled or moved after a contact's opt-out (in the order the audit trail holds
them, which is the order the contact's lock let them in), 0 follow-ups over a contact cap,
the nurture cap after a soft no, or an account cap.

The work is the same on every run (seeded); only the interleaving varies, and every check is
of something that must hold whatever the interleaving. Refusals are expected outcomes
(do-not-contact, a cap, a follow-up already closed, a later answer; on SQLite, the one writer
busy past its timeout on a loaded machine); anything else — a deadlock on PostgreSQL, another
storage error, an unexpected exception — fails the test.

Size: 300 contacts over 60 accounts, 8 threads × 45 rounds = 360 writes on PostgreSQL (about
15 s on a quiet machine: 9 s of its own CPU; 25–35 s measured on the shared 2-core machine at
load 9–15); 100 contacts, 4 × 25 = 100 writes on SQLite (5–10 s there).
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from actors import owner_of
from promises import broken_promises

CAPABILITY = "Single sign-on"
LABELS = ("not_now", "no_budget", "price", "no_need")
TEXTS = ("Not now, try me in April.", "We have no budget this year, maybe next spring.",
         "Timing is bad. Let's talk again in March.")
OPT_OUT_WORDS = "Please remove me from your mailing list."
TIGHT = """version: 1
settings:
  contact_caps:
    - {touches: 2, days: 7}
  account_caps:
    - {touches: 4, days: 7}
"""
"""Caps tighter than the defaults: what the writers fight over is scarcer."""


@dataclass(frozen=True)
class Size:
    accounts: int
    per_account: int
    threads: int
    rounds: int
    seconds: float


PG = Size(accounts=60, per_account=5, threads=8, rounds=45, seconds=40)
SQLITE = Size(accounts=20, per_account=5, threads=4, rounds=25, seconds=30)


class NothingToDo(Exception):
    """The write found nothing to write to (no rejection to accept, no follow-up to move)."""


@dataclass
class Tally:
    ok: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    sqlite: bool = False

    def ran(self, kind: str, call: Callable[[], Any]) -> None:
        from notnow.errors import DatabaseLocked, NotnowError, StorageError

        try:
            call()
        except NothingToDo:
            with self.lock:
                self.refused[f"{kind}: nothing to do"] += 1
        except DatabaseLocked as exc:
            with self.lock:  # SQLite's writer was busy past its timeout on a loaded machine:
                if self.sqlite:  # refused whole, nothing written. On PostgreSQL: a deadlock.
                    self.refused[f"{kind}: {exc.code}"] += 1
                else:
                    self.unexpected.append(f"{kind}: {type(exc).__name__}: {exc}")
        except StorageError as exc:  # a lock timeout, a broken connection
            with self.lock:
                self.unexpected.append(f"{kind}: {type(exc).__name__}: {exc}")
        except NotnowError as exc:
            with self.lock:
                self.refused[f"{kind}: {exc.code}"] += 1
        except Exception as exc:  # noqa: BLE001 - anything else is a bug to report
            with self.lock:
                self.unexpected.append(f"{kind}: {type(exc).__name__}: {exc}")
        else:
            with self.lock:
                self.ok[kind] += 1

    def total(self) -> int:
        return sum(self.ok.values()) + sum(self.refused.values()) + len(self.unexpected)


@dataclass
class World:
    ws: Any
    me: Any
    accounts: list[int]
    contacts: dict[int, list[int]]  # account -> contacts
    emails: dict[int, str]
    today: date


def _world(ws: Any, size: Size) -> World:
    """Accounts and contacts in one transaction; tight caps; some lost deals, their plans
    scheduled, that asked for a capability (for the win-back) or chose a competitor (for the
    renewal check-back)."""
    from notnow.services.capture.log import log_rejection
    from notnow.services.playbook import save_team_text
    from notnow.storage.tables import Account, Contact

    me = owner_of(ws)
    accounts: list[int] = []
    contacts: dict[int, list[int]] = {}
    emails: dict[int, str] = {}
    with ws.db.write() as s:
        rows = []
        for a in range(size.accounts):
            acc = Account(name=f"Account {a:03d}", country="US", timezone="America/Chicago",
                          employees=40 + a, owner_id=me.id, created_at=ws.now())
            people = [Contact(name=f"Person {a:03d}-{p}", account=acc, role=role,
                              department=f"Team {p}", email=f"p{a}.{p}@acct{a}.example",
                              phone=f"+1 312 555 {a:02d}{p:02d}", owner_id=me.id,
                              created_at=ws.now())
                      for p, role in zip(range(size.per_account),
                                         ("decision_maker", "user", "influencer", "gatekeeper",
                                          "executive", "other"), strict=False)]
            s.add(acc)
            s.add_all(people)
            rows.append((acc, people))
        s.flush()
        for acc, people in rows:
            accounts.append(acc.id)
            contacts[acc.id] = [p.id for p in people]
            emails.update({p.id: p.email for p in people if p.email})
    save_team_text(ws, me, TIGHT)
    rng = random.Random(7)
    for aid in accounts:
        first, second = contacts[aid][:2]
        if rng.random() < 0.5:
            log_rejection(ws, me, {"label": "missing_capability", "capability": CAPABILITY},
                          contact=first)
        if rng.random() < 0.5:
            log_rejection(ws, me, {"label": "competitor_chosen", "competitor": "Trackly"},
                          contact=second)
    return World(ws, me, accounts, contacts, emails, ws.today())


def _open_followups(ws: Any, contact_id: int) -> list[tuple[int, date]]:
    """The open follow-ups of the contact, else of their account (something to move)."""
    from notnow.storage.tables import Contact, FollowUp

    with ws.db.read() as s:
        columns = select(FollowUp.id, FollowUp.due).where(
            FollowUp.status.in_(("due", "snoozed"))).order_by(FollowUp.id)
        mine = [tuple(r) for r in s.execute(columns.where(FollowUp.contact_id == contact_id))]
        return mine or [tuple(r) for r in s.execute(columns.where(
            FollowUp.account_id == select(Contact.account_id).where(
                Contact.id == contact_id).scalar_subquery()))]


def _rejections(ws: Any, contact_id: int, **where: Any) -> list[int]:
    from notnow.storage.tables import Rejection

    with ws.db.read() as s:
        q = select(Rejection.id).where(Rejection.contact_id == contact_id)
        for name, value in where.items():
            q = q.where(getattr(Rejection, name) == value)
        return list(s.scalars(q.order_by(Rejection.id)))


def _writes(w: World) -> dict[str, Callable[[random.Random, int, date], None]]:
    """Every kind of write, as a salesperson (or a mailbox, or a worker) would make it."""
    from notnow.services.capture.log import log_rejection
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.capture.touches import record_touch
    from notnow.services.followups.actions import act, next_attempt_for, record_signal
    from notnow.services.followups.planning import accept_plan
    from notnow.services.learning.winback import competitor_renewal, ship
    from notnow.services.records.contacts import add_contact

    ws, me = w.ws, w.me

    def log_no(rng: random.Random, c: int, day: date) -> None:
        if rng.random() < 0.5:
            data = {"label": rng.choice(LABELS),
                    "checkback": (w.today + timedelta(days=rng.randint(20, 200))).isoformat()}
        else:
            data = {"text": rng.choice(TEXTS)}
        log_rejection(ws, me, data, contact=c, schedule=rng.random() < 0.8)

    def accept(rng: random.Random, c: int, day: date) -> None:
        found = _rejections(ws, c)
        if not found:
            raise NothingToDo
        accept_plan(ws, me, rng.choice(found))

    def touch(rng: random.Random, c: int, day: date) -> None:
        record_touch(ws, me, {"channel": rng.choice(("call", "email", "linkedin")),
                              "direction": "outbound", "outcome": "race"}, contact=c)

    def on_followup(action: str) -> Callable[[random.Random, int, date], None]:
        def run(rng: random.Random, c: int, day: date) -> None:
            found = _open_followups(ws, c)
            if not found:
                raise NothingToDo
            fid, due = rng.choice(found)
            if action == "snooze":  # into the round's day: later if it is due before, else
                act(ws, me, fid, "snooze" if due < day else "reschedule", to=day)  # moved there
            elif action == "reschedule":
                act(ws, me, fid, "reschedule", to=day)
            else:
                act(ws, me, fid, action)
        return run

    def cadence(rng: random.Random, c: int, day: date) -> None:
        next_attempt_for(ws, me, c, schedule=True)

    def winback(rng: random.Random, c: int, day: date) -> None:
        ship(ws, me, CAPABILITY)

    def renewal(rng: random.Random, c: int, day: date) -> None:
        found = _rejections(ws, c, label="competitor_chosen")
        if not found:
            raise NothingToDo
        competitor_renewal(ws, me, found[0], w.today + timedelta(days=rng.randint(60, 300)))

    def opt_out(rng: random.Random, c: int, day: date) -> None:
        how = rng.randrange(3)
        if how == 0:
            mark_dnc(ws, me, c, reason="asked on the phone")
        elif how == 1:
            record_signal(ws, me, c, "unsubscribed", note="list-unsubscribe")
        else:
            log_rejection(ws, me, {"text": OPT_OUT_WORDS}, contact=c)

    def add_again(rng: random.Random, c: int, day: date) -> None:
        other = rng.choice(w.accounts)
        add_contact(ws, me, {"name": f"Again {c}", "email": f" {w.emails[c].upper()} "},
                    account=other)

    return {"log a no": log_no, "accept a plan": accept, "record a touch": touch,
            "done": on_followup("done"), "snooze": on_followup("snooze"),
            "skip": on_followup("skip"), "reschedule": on_followup("reschedule"),
            "next attempt": cadence, "win-back ship": winback, "renewal": renewal,
            "opt out": opt_out, "add them again": add_again}


WEIGHTS = {"log a no": 5, "accept a plan": 3, "record a touch": 3, "done": 2, "snooze": 4,
           "skip": 1, "reschedule": 2, "next attempt": 3, "renewal": 1, "add them again": 1,
           "win-back ship": 0.3}


def _rounds(w: World, size: Size) -> list[list[tuple[str, int, date]]]:
    """For each round, what each thread writes: one opts out the round's target, the others
    write to the same few contacts (and the same day, for snoozes and reschedules); in some
    rounds all of them snooze follow-ups of those accounts into the same day."""
    rng = random.Random(2026)
    kinds, weights = zip(*WEIGHTS.items(), strict=True)
    out = []
    for _r in range(size.rounds):
        hot = rng.sample(w.accounts, 2 if rng.random() < 0.5 else 1)
        people = [c for a in hot for c in w.contacts[a]]
        target = rng.choice(people)
        day = w.today + timedelta(days=rng.randint(2, 12))
        writes = [("opt out", target, day)]
        storm = rng.random() < 0.3  # everyone snoozes into the same week of one account
        for _ in range(size.threads - 1):
            kind = "snooze" if storm else rng.choices(kinds, weights)[0]
            who = target if rng.random() < 0.5 else rng.choice(people)
            writes.append((kind, who, day))
        rng.shuffle(writes)
        out.append(writes)
    return out


def race(w: World, size: Size) -> Tally:
    writes = _writes(w)
    plan = _rounds(w, size)
    tally = Tally(sqlite=w.ws.db.is_sqlite)
    start = threading.Barrier(size.threads)
    deadline = time.monotonic() + size.seconds

    def worker(i: int) -> None:
        rng = random.Random(1000 + i)
        for r, round_writes in enumerate(plan):
            try:
                start.wait(timeout=60)
            except threading.BrokenBarrierError:
                return
            if time.monotonic() > deadline:
                start.abort()
                return
            kind, contact, day = round_writes[i]
            tally.ran(kind, lambda: writes[kind](rng, contact, day))  # noqa: B023
            del r

    threads = [threading.Thread(target=worker, args=(i,), daemon=True)
               for i in range(size.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=size.seconds + 120)
    assert not any(t.is_alive() for t in threads), "a writer never finished"
    return tally


def _check(w: World, tally: Tally, size: Size) -> None:
    from notnow.storage.tables import Contact, FollowUp

    done_rounds = tally.total() // size.threads
    broken = broken_promises(w.ws)
    print(f"\n{tally.total()} writes in {done_rounds} rounds of {size.threads}; "
          f"ok {dict(tally.ok)}; refused {dict(tally.refused)}; broken {broken.counts()}")
    assert tally.unexpected == []
    assert not broken, broken
    with w.ws.db.read() as s:
        opted_out = s.scalar(select(Contact.id).where(Contact.dnc_at.is_not(None)).limit(1))
        scheduled = s.scalar(select(FollowUp.id).limit(1))
    assert opted_out is not None and scheduled is not None  # the race did race


def test_every_write_at_once_breaks_no_promise(db_url: str, tmp_path: Path,
                                              clock: Any) -> None:
    """On PostgreSQL (the `postgres` run of `db_url`) and, smaller, on SQLite."""
    from notnow import settings
    from notnow.services.workspace import open_workspace

    size = SQLITE if db_url.startswith("sqlite") else PG
    config = settings.load({"NOTNOW_HOME": str(tmp_path), "NOTNOW_DATABASE_URL": db_url})
    ws = open_workspace(config, clock=clock)
    try:
        w = _world(ws, size)
        tally = race(w, size)
        _check(w, tally, size)
    finally:
        ws.close()
