"""The loss report's counting, done by the database: grouped queries whose few result rows
the pure analytics fold into figures (:mod:`notnow.core.analytics`,
:mod:`notnow.core.contact_stats`).

Nothing here loads one row per rejection or per touch into Python: every query groups in the
database and streams its groups, so time and memory grow gently with history.

Where a figure depends on a rule the product enforces, the rule stays in the core and the
database only prepares what it reads:

* the silence rule: the database counts each silent contact's attempts and channels, and
  :func:`notnow.core.cadence.silence_means_no` decides (per group of alike contacts);
* a check-back's outcome: the database says, per group, whether a win, an answer or another
  no came after it, and :func:`notnow.core.analytics.outcome_of` decides;
* the caps: which touches broke a cap is counted by window functions over each contact's
  touches — the one fast copy of a rule — pinned to :func:`notnow.core.caps.touches_over_caps`
  by a property test on random histories, on SQLite and PostgreSQL
  (``tests/services/test_report_rules.py``).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import (
    Date,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    column,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from notnow.core.analytics import SIZE_BANDS
from notnow.core.caps import is_soft_no
from notnow.core.labels import NOT_REJECTIONS
from notnow.core.model import Label
from notnow.core.playbook import Settings
from notnow.storage.tables import Account, Contact, Deal, FollowUp, Rejection

NOT_COUNTED = tuple(label.value for label in NOT_REJECTIONS)
CHECKBACK_RULES = ("checkback%", "winback%", "renewal%")
SOFT = tuple(label.value for label in Label if is_soft_no(label))
BATCH = 5000
T = TypeVar("T")


@dataclass(frozen=True)
class Filter:
    """Which rows count: made since ``since`` (None: all time) by ``people`` (None: anyone)."""

    since: datetime | None
    people: frozenset[int] | None


def postgres(s: Session) -> bool:
    return s.get_bind().dialect.name == "postgresql"


def settle(s: Session, snapshot: str | None = None) -> None:
    """Set up the read transaction for the report's queries (before its first query). On
    PostgreSQL: one snapshot for all of them (repeatable read; ``snapshot``: the one another
    transaction exported, see :func:`beside`), no JIT compilation (these grouped queries are
    costed high enough to trigger it, and compiling them took longer than running them: up to
    3 s of a 5 s query at 100,000 rejections), and room to group in memory (a few MB per sort
    or hash, not spilled to disk)."""
    if postgres(s):
        s.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        if snapshot is not None:  # no parameters here; the id is PostgreSQL's own
            if not re.fullmatch(r"[0-9A-Fa-f-]+", snapshot):
                raise ValueError(f"not a snapshot id: {snapshot!r}")
            s.execute(text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))
        s.execute(text("SET LOCAL jit = off"))
        s.execute(text("SET LOCAL work_mem = '32MB'"))


def beside(db: Any, s: Session, work: Callable[[Session], T]) -> Future[T]:
    """Run ``work`` in another thread on a second read transaction that sees exactly what
    ``s`` sees (PostgreSQL: ``s``'s exported snapshot), so that the database counts on two
    cores at once; on SQLite (one file, one writer of the process's CPU) it runs at once, on
    ``s``. Collect it with ``.result()`` before ``s``'s transaction ends."""
    done: Future[T] = Future()
    if not postgres(s):
        try:
            done.set_result(work(s))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller with the result
            done.set_exception(exc)
        return done
    snapshot = s.execute(text("SELECT pg_export_snapshot()")).scalar_one()

    def run() -> None:
        try:
            with db.read() as other:
                settle(other, snapshot)
                result = work(other)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller with the result
            done.set_exception(exc)
            return
        done.set_result(result)  # once the transaction has ended and its connection is back

    threading.Thread(target=run, name="report-beside", daemon=True).start()
    return done


def stream(s: Session, q: Any, params: dict[str, Any] | None = None
           ) -> Iterator[tuple[Any, ...]]:
    """Rows as the driver returns them, in batches (the default strategy buffers nothing
    ahead)."""
    result = s.connection().execute(q, params or {})
    cursor = result.cursor
    try:
        while batch := cursor.fetchmany(BATCH):
            yield from batch
    finally:
        result.close()


def day_of(s: Session, column: Any) -> Any:
    """The UTC day of a timestamp, computed by the database (ISO text on SQLite)."""
    if postgres(s):
        return cast(func.timezone("UTC", column), Date)
    return func.substr(column, 1, 10)


def as_day(value: Any) -> date | None:
    """A day as the database gives it (a date, or ISO text on SQLite)."""
    if value is None:
        return None
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _instant(s: Session, when: datetime) -> Any:
    """A moment as the database compares it with a stored timestamp."""
    when = (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
    return when if postgres(s) else when.replace(tzinfo=None).isoformat(sep=" ")


def _whose(q: Any, column: Any, people: frozenset[int] | None) -> Any:
    return q if people is None else q.where(column.in_(sorted(people)))


# --- rejections ------------------------------------------------------------------------------


def _counted(s: Session, q: Any, f: Filter) -> Any:
    q = q.where(Rejection.label.not_in(NOT_COUNTED))
    if f.since is not None:
        q = q.where(Rejection.at >= f.since)
    return _whose(q, Rejection.author_id, f.people)


def rejection_groups(s: Session, f: Filter) -> Iterator[tuple[Any, ...]]:
    """(label, stage, author id, month as "YYYY-MM", rejections)."""
    pg = postgres(s)
    if pg:  # date_trunc, not to_char: formatting every row costs more than the grouping
        month = func.date_trunc("month", func.timezone("UTC", Rejection.at))
    else:
        month = func.substr(Rejection.at, 1, 7)
    q = _counted(s, select(Rejection.label, Rejection.stage, Rejection.author_id, month,
                           func.count()), f)
    rows = stream(s, q.group_by(Rejection.label, Rejection.stage, Rejection.author_id, month))
    if not pg:
        return rows
    return ((label, stage, who, f"{m.year:04d}-{m.month:02d}", n)
            for label, stage, who, m, n in rows)


def rejection_span(s: Session, f: Filter) -> tuple[date | None, date | None]:
    """The days of the first and the last rejection counted."""
    q = _counted(s, select(func.min(Rejection.at), func.max(Rejection.at)), f)
    first, last = s.execute(q).one()
    return (first.astimezone(UTC).date() if first else None,
            last.astimezone(UTC).date() if last else None)


def _size_representative(employees: Any) -> Any:
    """The account's head count coarsened to one value per size band of
    :func:`notnow.core.analytics.size_band` (the band's top; one above the last top; None
    for an unknown size): the core still names the band, the database only has one group
    per band instead of one per head count (about 5,000 groups instead of 65,000 at 100,000
    rejections)."""
    tops = [top for top, _name in SIZE_BANDS]
    whens: list[tuple[Any, int | None]] = [(or_(employees.is_(None), employees <= 0), None)]
    whens += [(employees <= top, top) for top in tops]
    return case(*whens, else_=tops[-1] + 1)


def account_groups(s: Session, f: Filter) -> Iterator[tuple[Any, ...]]:
    """(label, employees — one value per size band, region, industry, rejections) of the
    rejections' accounts."""
    size = _size_representative(Account.employees)
    q = (select(Rejection.label, size, Account.region, Account.industry, func.count())
         .select_from(Rejection).outerjoin(Account, Account.id == Rejection.account_id))
    q = _counted(s, q, f).group_by(Rejection.label, size, Account.region, Account.industry)
    return stream(s, q)


def channel_groups(s: Session, f: Filter) -> Iterator[tuple[Any, ...]]:
    """(channel, competitor, rejections)."""
    q = _counted(s, select(Rejection.channel, Rejection.competitor, func.count()), f)
    return stream(s, q.group_by(Rejection.channel, Rejection.competitor))


def _won(s: Session) -> Any:
    return and_(Deal.status == "won", Deal.closed_at.is_not(None))


def won_back_groups(s: Session, f: Filter) -> Iterator[tuple[Any, ...]]:
    """(label, author id, days from the no to the first win on its account on or after the
    day of the no, rejections): only rejections won back.

    The rejections on accounts with a win are joined to those wins on or after their day,
    and each keeps the first (grouped by rejection), so the lookup is done once per pair
    instead of twice per rejection (as a correlated subquery named in the filter and the
    result was)."""
    no_day, win_day = day_of(s, Rejection.at), day_of(s, Deal.closed_at)
    inner = _counted(s, select(Rejection.label.label("label"),
                               Rejection.author_id.label("author"),
                               no_day.label("no_day"), func.min(win_day).label("win_day"))
                     .select_from(Rejection)
                     .join(Deal, and_(Deal.account_id == Rejection.account_id, _won(s),
                                      win_day >= no_day)), f)
    inner = inner.group_by(Rejection.id, Rejection.label, Rejection.author_id,
                           no_day).subquery()
    if postgres(s):
        delay = inner.c.win_day - inner.c.no_day
    else:
        delay = cast(func.julianday(inner.c.win_day) - func.julianday(inner.c.no_day), Integer)
    q = (select(inner.c.label, inner.c.author, delay, func.count())
         .group_by(inner.c.label, inner.c.author, delay))
    return stream(s, q)


def _days(s: Session, kept: bool) -> Any:
    """(contact id, day of its latest inbound touch, day of its latest no) of every contact
    with either, as :func:`_facts` says: ``kept``, the kept facts of the contacts not marked
    stale and the marked ones' worked out now; else every contact's worked out now."""
    if postgres(s):
        def day(col: str) -> str:
            return f"CAST(timezone('UTC', {col}) AS date)"
    else:
        def day(col: str) -> str:
            return f"substr({col}, 1, 10)"
    sql, params = _facts(s, Filter(since=None, people=None), STALE if kept else None,
                         who=False)
    if kept:
        sql += f"""
SELECT x.contact_id AS id, {day("x.last_in")} AS answered, {day("x.last_no")} AS said
FROM contact_facts x
WHERE (x.last_in IS NOT NULL OR x.last_no IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM report_stale m WHERE m.contact_id = x.contact_id)
UNION ALL"""
    sql += f"""
SELECT cid AS id, {day("last_in")} AS answered, {day("last_no")} AS said FROM k
WHERE last_in IS NOT NULL OR last_no IS NOT NULL"""
    assert not params  # the whole history: nothing to bind
    return text(sql).columns(column("id"), column("answered"), column("said")).subquery("days")


def checkback_groups(s: Session, f: Filter, as_of: date, *, kept: bool = False
                     ) -> Iterator[tuple[Any, ...]]:
    """(label of the no, status, falls due later, won since, answered since, another no
    since, check-backs), where "since" is on or after the day it falls due. Each contact's
    latest answer and no are its facts (:func:`_days`): ``kept``, those kept
    (``report_facts``) where they hold."""
    # the day of the latest moment is the latest day: one conversion per group, not per row
    wins = (select(Deal.account_id.label("id"), day_of(s, func.max(Deal.closed_at)).label("d"))
            .where(_won(s)).group_by(Deal.account_id).subquery())
    days = _days(s, kept)
    q = (select(FollowUp).outerjoin(wins, wins.c.id == FollowUp.account_id)
         .outerjoin(days, days.c.id == FollowUp.contact_id))

    def flag(cond: Any) -> Any:
        return case((cond, 1), else_=0)

    # the label of the no: the copy the database keeps on the follow-up (storage.derived; the
    # rejection's label, or none when it has no rejection), not a join to a million rejections
    cols = (FollowUp.label, FollowUp.status, flag(FollowUp.due > as_of),
            flag(wins.c.d >= FollowUp.due), flag(days.c.answered >= FollowUp.due),
            flag(days.c.said >= FollowUp.due))
    q = (q.with_only_columns(*cols, func.count())
         .where(or_(*[FollowUp.rule.like(p) for p in CHECKBACK_RULES])))
    if f.since is not None:
        q = q.where(FollowUp.due >= f.since.date())
    q = _whose(q, FollowUp.owner_id, f.people)
    return stream(s, q.group_by(*cols))


# --- contacts and their touches --------------------------------------------------------------


@lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _local_ordinal(at: str | None, zone: str | None) -> int | None:
    """SQLite's helper: the ordinal of a stored UTC timestamp's day in ``zone``."""
    if at is None:
        return None
    when = datetime.fromisoformat(at).replace(tzinfo=UTC)
    return when.astimezone(_zone(zone) if zone else UTC).date().toordinal()


def _valid_zones(s: Session) -> list[str]:
    """The time zones named on contacts and accounts that :func:`notnow.core.caps.zone_of`
    would use (and the database knows)."""
    names = {z for (z,) in s.execute(select(Contact.timezone).distinct()
                                     .union(select(Account.timezone).distinct())) if z}
    valid = []
    for name in sorted(names):
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        valid.append(name)
    if valid and postgres(s):
        known = set(s.scalars(text("SELECT name FROM pg_timezone_names WHERE name IN :names")
                              .bindparams(bindparam("names", expanding=True)),
                              {"names": valid}))
        valid = [z for z in valid if z in known]
    return valid


def _day_number(s: Session, zones: list[str]) -> tuple[str, dict[str, Any]]:
    """SQL for the contact's local day of ``t.at`` as a number (consecutive days differ by
    one): the contact's zone, else the account's, else UTC — as :func:`zone_of` decides."""
    if not zones:
        if postgres(s):
            return "(CAST(timezone('UTC', t.at) AS date) - DATE '1970-01-01')", {}
        return "(CAST(julianday(substr(t.at, 1, 10)) AS INTEGER) - 1721424)", {}
    zone = ("(CASE WHEN c.timezone IN :zones THEN c.timezone "
            "WHEN a.timezone IN :zones THEN a.timezone ELSE 'UTC' END)")
    if postgres(s):
        return f"(CAST(timezone({zone}, t.at) AS date) - DATE '1970-01-01')", {"zones": zones}
    raw = s.connection().connection.driver_connection
    raw.create_function("notnow_local_day", 2, _local_ordinal,  # type: ignore[union-attr]
                        deterministic=True)
    return f"notnow_local_day(t.at, {zone})", {"zones": zones}


def _scoped(s: Session, f: Filter, column: str, *, in_period: bool = False,
            last_at: str | None = None, probe: bool = False) -> tuple[str, dict[str, Any]]:
    """SQL limiting ``column`` (a contact id) to the contacts the figures are about — those
    with a touch in the period by the scope's people — or nothing when that is everyone.

    When anyone's touch counts (no people), less is needed: nothing when the row itself is a
    touch (or a touch's verdict) of the period (``in_period``: it is one), and the contact's
    latest touch when that is at hand (``last_at``, a kept fact: the contact has a touch
    since the period began exactly when its latest one is). Either spares a pass over every
    touch of the period: a report since a day before all the history took 11 s at a million
    contacts, against 3 s for all time (tests/services/test_report_kept.py holds them equal).
    ``probe``: for a few contacts (those marked stale), each one's touches are looked up in
    the index instead."""
    where, params = [], {}
    if f.since is not None:
        where.append("at >= :since")
        params["since"] = _instant(s, f.since)
    if f.people is not None:
        where.append("author_id IN :people")
        params["people"] = sorted(f.people) or [-1]
    if not where or (f.people is None and in_period):
        return "", params
    if f.people is None and last_at is not None:
        return f" AND {last_at} >= :since", params
    if probe:
        return (f" AND EXISTS (SELECT 1 FROM touches p WHERE p.contact_id = {column} AND "
                + " AND ".join(f"p.{w}" for w in where) + ")"), params
    return (f" AND {column} IN (SELECT DISTINCT contact_id FROM touches WHERE "
            + " AND ".join(where) + ")"), params


def _bind(sql: str, params: dict[str, Any]) -> Any:
    q = text(sql)
    for name in ("zones", "people", "soft"):
        if name in params:
            q = q.bindparams(bindparam(name, expanding=True))
    return q


RULES = 1
"""The meaning of the verdicts :func:`verdicts` works out: a change to it that changes any
verdict bumps this, so that no verdict kept with the old meaning is used again."""


def verdict_basis(settings: Settings) -> str:
    """What a touch's cap verdict depends on besides the contact's history: the rules, the
    team's caps and nurture settings, and which labels are soft noes."""
    return json.dumps({"rules": RULES,
                       "caps": [[w.touches, w.days] for w in settings.contact_caps],
                       "nurture": [settings.nurture.touches, settings.nurture.per_days],
                       "soft": sorted(SOFT)}, sort_keys=True)


def facts_basis() -> str:
    """What a contact's kept facts (:data:`FACTS`) depend on besides its history."""
    return json.dumps({"rules": RULES, "facts": FACTS})


def verdicts(s: Session, f: Filter, settings: Settings, among: str | None = None
             ) -> tuple[str, dict[str, Any]]:
    """SQL for the outbound touches made in the period to the contacts in scope (of the
    contacts ``among`` names, an SQL query of contact ids, if given), each with its cap
    verdict: ``WITH … v`` whose rows are (id, cid, at, author, opted, hit), to be followed by
    a SELECT from ``v``; and its parameters.

    A touch's cap verdict is :func:`notnow.core.caps.touches_over_caps`'s, over the contact's
    whole history, in one pass of window functions over each contact's outbound touches in
    (time, id) order, with the contact's local day as a number: a cap of N touches in D days
    is broken when the N-th touch before it falls within the D days that end on its day
    (``LAG(day, N)``: days only grow along the order); the nurture cap likewise over the
    touches that are not replies, for a touch that is not one, when the latest rejection
    made strictly before it is a soft no (out-of-office replies aside: they are not answers):
    each rejection holds from its moment (exclusive)
    to the next one's (inclusive; ``LEAD`` in (time, id) order), and a touch is joined to the
    soft one that holds at its moment, if any.

    The contact caps' lags are taken first, in the order ``ix_touches_report`` holds (contact,
    time, id: PostgreSQL reads it without sorting or visiting the table), and the nurture lag
    over (contact, reply) after them, so the touches are sorted once; the rejections are read
    in order from ``ix_rejections_contact_at`` likewise (migration 0024).
    """
    probe = among is not None
    scoped, params = _scoped(s, f, "t.contact_id", probe=probe)
    scoped_nos, _ = _scoped(s, f, "r.contact_id", probe=probe)
    if among is not None:
        scoped = f" AND t.contact_id IN ({among})" + scoped
        scoped_nos = f" AND r.contact_id IN ({among})" + scoped_nos
    zones = _valid_zones(s)
    dn, zone_params = _day_number(s, zones)
    params.update(zone_params)
    accounts = " JOIN accounts a ON a.id = c.account_id" if zones else ""
    params["soft"] = list(SOFT)
    caps = [(w.touches, w.days) for w in settings.contact_caps]
    n_touches, n_days = settings.nurture.touches, settings.nurture.per_days
    lags = "".join(f",\n         LAG(dn, {n}) OVER (PARTITION BY cid ORDER BY at, id) AS back{i}"
                   for i, (n, _d) in enumerate(caps))
    contact_cap = " OR ".join(f"back{i} > dn - {d}" for i, (_n, d) in enumerate(caps))
    since = "WHERE w.at >= :since" if f.since is not None else ""
    sql = f"""
WITH o AS (
  SELECT t.contact_id AS cid, t.at AS at, t.id AS id, t.author_id AS author,
         CASE WHEN t.reply THEN 1 ELSE 0 END AS reply, {dn} AS dn, c.dnc_at AS dnc_at
  FROM touches t JOIN contacts c ON c.id = t.contact_id{accounts}
  WHERE t.direction = 'outbound'{scoped}
),
said AS (
  SELECT r.contact_id AS cid, r.at AS at, r.label AS label,
         LEAD(r.at) OVER (PARTITION BY r.contact_id ORDER BY r.at, r.id) AS until
  FROM rejections r WHERE r.contact_id IS NOT NULL AND r.label <> 'auto_reply'{scoped_nos}
),
soft AS (SELECT cid, at, until FROM said WHERE label IN :soft),
k AS (
  SELECT o.*{lags}
  FROM o
),
w AS (
  SELECT k.*,
         LAG(dn, {n_touches}) OVER (PARTITION BY cid, reply ORDER BY at, id) AS back_nr
  FROM k
),
v AS (
  SELECT w.id AS id, w.cid AS cid, w.at AS at, w.author AS author,
         CASE WHEN w.dnc_at IS NOT NULL AND w.at >= w.dnc_at THEN 1 ELSE 0 END AS opted,
         CASE WHEN {contact_cap} THEN 1
              WHEN w.reply = 0 AND w.back_nr > w.dn - {n_days} AND soft.cid IS NOT NULL
              THEN 1 ELSE 0 END AS hit
  FROM w LEFT JOIN soft ON soft.cid = w.cid AND soft.at < w.at
                       AND (soft.until IS NULL OR w.at <= soft.until)
  {since}
)"""
    return sql, params


def touch_groups(s: Session, f: Filter, settings: Settings, among: str | None = None
                 ) -> Iterator[tuple[Any, ...]]:
    """(author id, outbound touches, of which cap hits, of which at or after an opt-out) for
    the touches made in the period to the contacts in scope (and ``among``, if given), each
    verdict worked out now (:func:`verdicts`)."""
    sql, params = verdicts(s, f, settings, among)
    sql += """
SELECT author, COUNT(*), SUM(CASE WHEN opted = 0 THEN hit ELSE 0 END), SUM(opted)
FROM v GROUP BY author
"""
    return stream(s, _bind(sql, params), params)


def keep_verdicts(s: Session, settings: Settings, among: str | None) -> None:
    """Write the cap hits among the outbound touches of the contacts ``among`` names (an SQL
    query of contact ids; None: every contact) into ``cap_hits``, as :func:`verdicts` works
    them out over each contact's whole history (whatever the period or the people)."""
    sql, params = verdicts(s, Filter(since=None, people=None), settings, among)
    sql = ("INSERT INTO cap_hits (touch_id, contact_id, author_id, at)" + sql
           + "\nSELECT id, cid, author, at FROM v WHERE hit = 1"
           # a touch moved from an unmarked contact by a merge committed meanwhile: its kept
           # row is the old contact's, whose mark (grown by the merge) keeps it unused
           + "\nON CONFLICT (touch_id) DO UPDATE SET contact_id = excluded.contact_id, "
           "author_id = excluded.author_id, at = excluded.at")
    s.execute(_bind(sql, params), params)


STALE = "SELECT contact_id FROM report_stale"
"""The contacts whose kept verdicts may be out of date (``storage.report_stale``)."""


def outbound_groups(s: Session, f: Filter) -> Iterator[tuple[Any, ...]]:
    """(author id, outbound touches) for the touches made in the period to the contacts in
    scope: what the touches' figures need besides the verdicts (one pass over the touches,
    no join)."""
    scoped, params = _scoped(s, f, "t.contact_id", in_period=True)
    since = " AND t.at >= :since" if f.since is not None else ""
    sql = f"""
SELECT t.author_id, COUNT(*) FROM touches t
WHERE t.direction = 'outbound'{since}{scoped}
GROUP BY t.author_id
"""
    return stream(s, _bind(sql, params), params)


def opted_groups(s: Session, f: Filter) -> Iterator[tuple[Any, ...]]:
    """(author id, outbound touches at or after the contact's opt-out) of the touches made in
    the period to the contacts in scope: the opted-out contacts' touches alone."""
    scoped, params = _scoped(s, f, "t.contact_id", in_period=True)
    since = " AND t.at >= :since" if f.since is not None else ""
    sql = f"""
SELECT t.author_id, COUNT(*) FROM contacts c JOIN touches t ON t.contact_id = c.id
WHERE c.dnc_at IS NOT NULL AND t.at >= c.dnc_at AND t.direction = 'outbound'{since}{scoped}
GROUP BY t.author_id
"""
    return stream(s, _bind(sql, params), params)


def kept_hit_groups(s: Session, f: Filter) -> Iterator[tuple[Any, ...]]:
    """(author id, cap hits not at or after an opt-out) of the kept verdicts of the touches
    made in the period to the contacts in scope, but for the contacts marked stale."""
    scoped, params = _scoped(s, f, "h.contact_id", in_period=True)
    since = " AND h.at >= :since" if f.since is not None else ""
    sql = f"""
SELECT h.author_id, COUNT(*)
FROM cap_hits h JOIN contacts c ON c.id = h.contact_id
WHERE (c.dnc_at IS NULL OR h.at < c.dnc_at){since}{scoped}
  AND NOT EXISTS (SELECT 1 FROM report_stale x WHERE x.contact_id = h.contact_id)
GROUP BY h.author_id
"""
    return stream(s, _bind(sql, params), params)


FACTS = "cid, first_in, n_out, n_ch, last_at, answered, before, who, last_in, last_no"
"""What is kept of each contact (``contact_facts``): of its touches, the first inbound one,
the outbound ones and their channels, the latest one and its author, and the outbound ones
before it first wrote; whether it answered at all (wrote, or said something other than an
out-of-office); its latest inbound touch and its latest no (as the check-backs count them)."""


def _last_author(cid: str) -> str:
    """SQL for the author of the latest touch, in (time, id) order, of the contact ``cid``."""
    return (f"(SELECT l.author_id FROM touches l WHERE l.contact_id = {cid} "
            "ORDER BY l.at DESC, l.id DESC LIMIT 1)")


def _facts(s: Session, f: Filter, among: str | None, *, who: bool) -> tuple[str, dict[str, Any]]:
    """``WITH … k AS (…)``: each contact in scope (and ``among``) with a touch or a
    rejection, its :data:`FACTS` over its whole history, in one grouped pass over its touches
    (in the order of their index) and one over its rejections; what only some contacts need
    is looked up for them alone (the steps are materialised, so that PostgreSQL does not
    repeat a lookup in every expression that names its result). ``last_at`` is None for a
    contact with no touch. ``who`` (the author of the latest touch, for every contact) only
    if asked: the report needs it of the abandoned contacts alone."""
    probe = among is not None
    scoped, params = _scoped(s, f, "t.contact_id", probe=probe)
    scoped_nos, _ = _scoped(s, f, "r.contact_id", probe=probe)
    if among is not None:
        scoped = f" AND t.contact_id IN ({among})" + scoped
        scoped_nos = f" AND r.contact_id IN ({among})" + scoped_nos
    counted = ", ".join(f"'{label}'" for label in NOT_COUNTED)  # the labels' own names
    last = _last_author("j.cid") if who else "NULL"
    return f"""
WITH per AS (
  SELECT t.contact_id AS cid,
         MIN(CASE WHEN t.direction = 'inbound' THEN t.at END) AS first_in,
         SUM(CASE WHEN t.direction = 'outbound' THEN 1 ELSE 0 END) AS n_out,
         COUNT(DISTINCT CASE WHEN t.direction = 'outbound' THEN t.channel END) AS n_ch,
         MAX(t.at) AS last_at,
         MAX(CASE WHEN t.direction = 'inbound' THEN t.at END) AS last_in
  FROM touches t WHERE 1 = 1{scoped}
  GROUP BY t.contact_id
),
said AS (
  SELECT r.contact_id AS cid,
         MAX(CASE WHEN r.label <> 'auto_reply' THEN 1 ELSE 0 END) AS spoke,
         MAX(CASE WHEN r.label NOT IN ({counted}) THEN r.at END) AS last_no
  FROM rejections r WHERE r.contact_id IS NOT NULL{scoped_nos}
  GROUP BY r.contact_id
),
j AS (
  SELECT per.cid AS cid, per.first_in AS first_in, per.n_out AS n_out, per.n_ch AS n_ch,
         per.last_at AS last_at, per.last_in AS last_in, said.spoke AS spoke,
         said.last_no AS last_no
  FROM per LEFT JOIN said ON said.cid = per.cid
  UNION ALL
  SELECT said.cid, NULL, NULL, NULL, NULL, NULL, said.spoke, said.last_no
  FROM said WHERE said.cid NOT IN (SELECT cid FROM per)
),
k AS MATERIALIZED (
  SELECT j.cid AS cid, j.first_in AS first_in, j.n_out AS n_out, j.n_ch AS n_ch,
         j.last_at AS last_at,
         CASE WHEN j.first_in IS NOT NULL OR j.spoke = 1 THEN 1 ELSE 0 END AS answered,
         CASE WHEN j.first_in IS NOT NULL THEN (
                SELECT COUNT(*) FROM touches b WHERE b.contact_id = j.cid
                AND b.direction = 'outbound' AND b.at < j.first_in) ELSE 0 END AS before,
         {last} AS who, j.last_in AS last_in, j.last_no AS last_no
  FROM j
)""", params


def _grouped(s: Session, as_of: date, idle_days: int, params: dict[str, Any], *,
             kept_who: bool) -> str:
    """The contacts of ``k`` (:data:`FACTS`) grouped alike, as :func:`contact_groups` says."""
    pg = postgres(s)
    day = "CAST(timezone('UTC', k.last_at) AS date)" if pg else "substr(k.last_at, 1, 10)"
    idle_before = date.fromordinal(as_of.toordinal() - idle_days)
    params["idle_before"] = idle_before if pg else idle_before.isoformat()
    who = "q.who" if kept_who else _last_author("q.cid")
    return f""",
q AS MATERIALIZED (
  SELECT CASE WHEN first_in IS NOT NULL THEN 1 ELSE 0 END AS access,
         before, answered,
         CASE WHEN answered = 1 THEN 0 ELSE n_out END AS n_out,
         CASE WHEN answered = 1 THEN 0 ELSE n_ch END AS n_ch,
         CASE WHEN answered = 0 AND c.dnc_at IS NULL AND n_out > 0
                   AND {day} < :idle_before AND NOT EXISTS (
                     SELECT 1 FROM followups f WHERE f.contact_id = k.cid
                     AND f.status IN ('due', 'snoozed'))
              THEN 1 ELSE 0 END AS abandoned,
         k.cid AS cid, k.who AS who
  FROM k JOIN contacts c ON c.id = k.cid
  WHERE k.last_at IS NOT NULL
)
SELECT access, before, answered, n_out, n_ch, abandoned,
       CASE WHEN abandoned = 1 THEN {who} END AS who,
       COUNT(*)
FROM q GROUP BY access, before, answered, n_out, n_ch, abandoned, 7
"""  # 7: the output's who (by name, PostgreSQL would group by q.who)


def contact_groups(s: Session, f: Filter, as_of: date, idle_days: int,
                   among: str | None = None) -> Iterator[tuple[Any, ...]]:
    """Contacts in scope (and ``among``, if given), grouped alike: (wrote to us, attempts
    before that, answered at all, attempts, channels, abandoned, author of the last touch if
    abandoned, contacts) — attempts and the rest only for silent contacts. Read over each
    contact's whole history, worked out now (:func:`_facts`)."""
    sql, params = _facts(s, f, among, who=False)
    sql += _grouped(s, as_of, idle_days, params, kept_who=False)
    return stream(s, _bind(sql, params), params)


def keep_facts(s: Session, among: str | None) -> None:
    """Write the :data:`FACTS` of the contacts ``among`` names (None: every contact) into
    ``contact_facts``, over each contact's whole history."""
    sql, params = _facts(s, Filter(since=None, people=None), among, who=True)
    sql = (f"INSERT INTO contact_facts (contact_id, {FACTS.split(', ', 1)[1]})" + sql
           + f"\nSELECT {FACTS} FROM k WHERE true"
           + "\nON CONFLICT (contact_id) DO UPDATE SET "
           + ", ".join(f"{c} = excluded.{c}" for c in FACTS.split(", ")[1:]))
    s.execute(_bind(sql, params), params)


def kept_contact_groups(s: Session, f: Filter, as_of: date, idle_days: int
                        ) -> Iterator[tuple[Any, ...]]:
    """:func:`contact_groups` of the contacts in scope whose facts are kept, but for the
    contacts marked stale."""
    scoped, params = _scoped(s, f, "x.contact_id", last_at="x.last_at")
    sql = f"""
WITH k AS (
  SELECT x.contact_id AS {FACTS.replace(", ", ", x.")}
  FROM contact_facts x
  WHERE x.last_at IS NOT NULL{scoped}
    AND NOT EXISTS (SELECT 1 FROM report_stale m WHERE m.contact_id = x.contact_id)
)""" + _grouped(s, as_of, idle_days, params, kept_who=True)
    return stream(s, _bind(sql, params), params)


__all__ = ["RULES", "STALE", "Filter", "account_groups", "as_day", "channel_groups",
           "checkback_groups", "contact_groups", "facts_basis", "keep_facts", "keep_verdicts",
           "kept_contact_groups", "kept_hit_groups",
           "opted_groups", "outbound_groups",
           "rejection_groups", "rejection_span", "settle", "stream", "touch_groups",
           "verdict_basis", "verdicts", "won_back_groups"]
