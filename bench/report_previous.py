"""The loss report's previous counting path, kept as the benchmark's reference.

This is the code the report used before its counting moved into the database (commit
4067ed0 of ``src/notnow/services/learning/reports.py`` and ``src/notnow/core/contact_stats.py``):
every rejection and check-back loaded into Python lists, every touch streamed through a
per-contact loop with its own copy of the caps and the silence rule. Only
``bench/bench_report.py`` uses it, to measure the new path side by side with it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from itertools import repeat
from operator import ge
from statistics import median
from typing import Any, NamedTuple

from sqlalchemy import Date, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session

from notnow.core import analytics as A
from notnow.core.analytics import UNKNOWN, ratio
from notnow.core.caps import NOT_SOFT
from notnow.core.labels import NOT_REJECTIONS
from notnow.core.model import Label
from notnow.core.playbook import Settings
from notnow.services.learning.reports import Scope
from notnow.storage.tables import Account, Contact, Deal, FollowUp, Rejection, Touch, User

CHECKBACK_RULES = ("checkback%", "winback%", "renewal%")
NOT_COUNTED = tuple(label.value for label in NOT_REJECTIONS)
BATCH = 5000

Who = str | int
DAY = 86400.0
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


class TouchRow(NamedTuple):
    contact_id: int
    at: float  # seconds since 1970-01-01 UTC, like the opt-out and soft-no times

    direction: str  # "outbound" | "inbound"
    channel: str
    salesperson: str | int | None  # a name, or an id that :meth:`ContactTally.renamed` maps


@dataclass
class ContactTally:
    """Reads every touch, grouped by contact and in time order, once."""

    settings: Settings
    as_of: date
    opted_out: Mapping[int, float] = field(default_factory=dict)  # epoch seconds
    soft_no: Mapping[int, float] = field(default_factory=dict)  # first soft no, epoch s
    answered: frozenset[int] | set[int] = field(default_factory=frozenset)
    planned: frozenset[int] | set[int] = field(default_factory=frozenset)
    idle_days: int = 30

    attempts_before_access: Counter[int] = field(default_factory=Counter)
    replied: int = 0
    silent_under_rule: int = 0
    silent_past_rule: int = 0
    cap_hits: Counter[Who] = field(default_factory=Counter)
    opted_out_attempts: Counter[Who] = field(default_factory=Counter)
    gave_up_early: Counter[Who] = field(default_factory=Counter)
    abandoned: Counter[Who] = field(default_factory=Counter)
    outbound: Counter[Who] = field(default_factory=Counter)

    def add_all(self, rows: Iterable[TouchRow]) -> ContactTally:
        """``rows`` must be ordered by contact, then time."""
        current: int | None = None
        bucket: list[TouchRow] = []
        for row in rows:
            if row[0] != current:
                if bucket:
                    self._contact(bucket[0][0], bucket)
                current, bucket = row[0], []
            bucket.append(row)
        if bucket:
            self._contact(bucket[0][0], bucket)
        return self

    def _contact(self, contact_id: int, touches: Sequence[TouchRow]) -> None:
        s = self.settings
        opt_out = self.opted_out.get(contact_id)
        soft = self.soft_no.get(contact_id)
        windows = [(w.touches, w.days * DAY) for w in s.contact_caps]
        n_limit, n_span = s.nurture.touches, s.nurture.per_days * DAY
        sent: list[float] = []  # outbound times, in order
        before_access = 0
        access = False
        start = 0  # index in `sent` of the first outbound touch since the last answer
        outbound, opted, caps = self.outbound, self.opted_out_attempts, self.cap_hits
        for _cid, at, direction, _channel, salesperson in touches:
            if direction == "inbound":
                if not access:
                    access = True
                    self.attempts_before_access[before_access] += 1
                start = len(sent)
                continue
            who = salesperson or UNKNOWN
            outbound[who] += 1
            if not access:
                before_access += 1
            k = len(sent)
            if opt_out is not None and at >= opt_out:
                opted[who] += 1
            else:
                hit = (soft is not None and at > soft and k >= n_limit
                       and sent[k - n_limit] > soft and at - sent[k - n_limit] < n_span)
                for limit, span in windows:
                    if hit or (k >= limit and at - sent[k - limit] < span):
                        hit = True
                        break
                if hit:
                    caps[who] += 1
            sent.append(at)
        if access or contact_id in self.answered:
            self.replied += 1
            return
        since_answer = touches[-(len(sent) - start):] if len(sent) > start else ()
        channels = {t[3] for t in since_answer}  # rows may be plain tuples
        past_rule = (len(sent) - start >= s.silence.attempts
                     and len(channels) >= s.silence.channels)
        if past_rule:
            self.silent_past_rule += 1
        else:
            self.silent_under_rule += 1
        if not sent or opt_out is not None or contact_id in self.planned:
            return
        last = touches[-1]
        last_day = date.fromordinal(EPOCH_ORDINAL + int(last[1] // DAY))
        if (self.as_of - last_day).days > self.idle_days:
            who = last[4] or UNKNOWN
            self.abandoned[who] += 1
            if not past_rule:
                self.gave_up_early[who] += 1

    @property
    def contacts(self) -> int:
        return self.replied + self.silent_under_rule + self.silent_past_rule

    def access_histogram(self, top: int = 12) -> list[tuple[str, int]]:
        """(attempts, contacts) for contacts who answered; the last bucket is "top+"."""
        out = [(str(n), self.attempts_before_access.get(n, 0)) for n in range(top)]
        out.append((f"{top}+", sum(v for k, v in self.attempts_before_access.items()
                                   if k >= top)))
        return out

    def median_attempts_before_access(self) -> float | None:
        expanded = sorted(self.attempts_before_access.elements())
        return float(median(expanded)) if expanded else None

    def renamed(self, name: Callable[[Who], str]) -> ContactTally:
        """The same figures with each salesperson key replaced by ``name(key)`` (merging
        keys that get the same name)."""
        for counter in (self.cap_hits, self.opted_out_attempts, self.gave_up_early,
                        self.abandoned, self.outbound):
            items = list(counter.items())
            counter.clear()
            for key, n in items:
                counter[name(key)] += n
        return self

    def pesters(self) -> list[tuple[Who, int, int, int, float]]:
        """(salesperson, cap hits, attempts on opted-out contacts, outbound touches, share of
        their touches that were one of those), most pestering first."""
        names = set(self.cap_hits) | set(self.opted_out_attempts) | set(self.outbound)
        rows = [(n, self.cap_hits[n], self.opted_out_attempts[n], self.outbound[n],
                 ratio(self.cap_hits[n] + self.opted_out_attempts[n], self.outbound[n]))
                for n in names]
        return sorted(rows, key=lambda r: (-r[4], -(r[1] + r[2]), str(r[0])))

    def gives_up(self) -> list[tuple[Who, int, int, float]]:
        """(salesperson, abandoned silent contacts, of which before the rule, share)."""
        rows = [(n, self.abandoned[n], self.gave_up_early[n],
                 ratio(self.gave_up_early[n], self.abandoned[n])) for n in self.abandoned]
        return sorted(rows, key=lambda r: (-r[2], str(r[0])))



def _day(value: datetime | date | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).date()
    return value


def _postgres(s: Session) -> bool:
    return s.get_bind().dialect.name == "postgresql"


def _day_of(s: Session, column: Any) -> Any:
    """The UTC day of a timestamp, computed by the database (text on SQLite)."""
    if _postgres(s):
        return cast(func.timezone("UTC", column), Date).label(column.key)
    return func.substr(column, 1, 10).label(column.key)


def _epoch(s: Session, column: Any) -> Any:
    """A timestamp as seconds since 1970 UTC, computed by the database."""
    if _postgres(s):
        return func.date_part("epoch", column).label(column.key)
    return ((func.julianday(column) - 2440587.5) * 86400.0).label(column.key)


class _Days(dict[Any, date]):
    """A day as the database gives it (a date, or ISO text on SQLite) -> a date."""

    def __missing__(self, key: Any) -> date:
        day = date.fromisoformat(key[:10]) if isinstance(key, str) else key
        self[key] = day
        return day


def _whose(q: Any, column: Any, scope: Scope) -> Any:
    """Rows of the scope's person, or of the team's people (everyone: no filter)."""
    if scope.user_id is not None:
        return q.where(column == scope.user_id)
    if scope.team_ids is not None:
        return q.where(column.in_(sorted(scope.team_ids)))
    return q


def _since_dt(scope: Scope) -> datetime | None:
    return datetime.combine(scope.since, time(0), tzinfo=UTC) if scope.since else None


def _stream(s: Session, q: Any) -> Iterator[tuple[Any, ...]]:
    """Rows as the driver returns them, in batches: no ORM objects, no per-row conversion
    (the queries ask the database for ready-made days and epoch seconds)."""
    result = s.connection().execute(q)  # the default strategy buffers nothing ahead
    cursor = result.cursor
    try:
        while batch := cursor.fetchmany(BATCH):
            yield from batch
    finally:
        result.close()


def _names(s: Session) -> dict[int, str]:
    return {uid: name for uid, name in s.execute(select(User.id, User.name))}


def _wins(s: Session, scope: Scope, names: dict[int, str]) -> A.Wins:
    """Every win (a no on an account followed by anyone's win there was won back), counted
    as the period's wins only for the scope's people."""
    rows = s.execute(select(Deal.account_id, Deal.closed_at, Deal.owner_id, Deal.value)
                     .where(Deal.status == "won", Deal.closed_at.is_not(None)))
    people = ({scope.user_id} if scope.user_id is not None else scope.team_ids)

    def counted(owner: int | None) -> bool:
        return people is None or owner in people

    return A.Wins((A.WinRow(a, _day(c) or scope.as_of, names.get(o) if o else None,
                            float(v) if v is not None else None, counted(o))
                   for a, c, o, v in rows), since=scope.since)


def _count_rejections(s: Session, scope: Scope, names: dict[int, str],
                      tally: A.LossTally) -> A.LossTally:
    """Fetch the rejections in scope and hand them to the tally column by column: the
    per-row work (days, names, account facts) is done by ``map`` over memo tables, in C."""
    accounts = {aid: (emp, region, industry) for aid, emp, region, industry in _stream(
        s, select(Account.id, Account.employees, Account.region, Account.industry))}
    q = (select(_day_of(s, Rejection.at), Rejection.label, Rejection.stage, Rejection.channel,
                Rejection.competitor, Rejection.author_id, Rejection.account_id)
         .where(Rejection.label.not_in(NOT_COUNTED)))
    if scope.since:
        q = q.where(Rejection.at >= _since_dt(scope))
    q = _whose(q, Rejection.author_id, scope)
    rows = list(_stream(s, q))
    if not rows:
        return tally
    days, labels, stages, channels, comps, authors, account_ids = zip(*rows, strict=True)
    facts = list(map(_Lookup(accounts, (None, None, None)).__getitem__, account_ids))
    employees, regions, industries = zip(*facts, strict=True)
    return tally.add_columns(list(map(_Days().__getitem__, days)), labels, stages, channels,
                             employees, regions, industries, comps,
                             list(map(names.get, authors)), account_ids)


class _Lookup(dict[Any, Any]):
    """A dict with a default for missing keys, usable as ``map(lookup.__getitem__, keys)``."""

    def __init__(self, data: dict[Any, Any], default: Any) -> None:
        super().__init__(data)
        self.default = default

    def __missing__(self, key: Any) -> Any:
        return self.default


@dataclass
class _ContactFacts:
    """Per contact, from one grouped pass over rejections and one over inbound touches."""

    first_soft_no: dict[int, float]
    last_no: dict[int, date]
    last_answer: dict[int, date]
    opted_out: dict[int, float]
    planned: set[int]
    answered: set[int]


def _contact_facts(s: Session) -> _ContactFacts:
    soft_labels = [lbl.value for lbl in Label if lbl not in NOT_SOFT
                   and lbl.value not in NOT_COUNTED]
    when, day = _epoch(s, Rejection.at), _day_of(s, Rejection.at)
    first_soft = func.min(case((Rejection.label.in_(soft_labels), when), else_=literal(None)))
    last_real = func.max(case((Rejection.label.not_in(NOT_COUNTED), day), else_=literal(None)))
    days = _Days()
    soft: dict[int, float] = {}
    last_no: dict[int, date] = {}
    answered: set[int] = set()
    for cid, first, last in _stream(s, select(Rejection.contact_id, first_soft, last_real)
                                    .where(Rejection.contact_id.is_not(None),
                                           Rejection.label != Label.AUTO_REPLY.value)
                                    .group_by(Rejection.contact_id)):
        answered.add(cid)  # a no, or interest: an answer either way
        if last is not None:
            last_no[cid] = days[last]
        if first is not None:
            soft[cid] = float(first)
    answers = {cid: days[last] for cid, last in _stream(
        s, select(Touch.contact_id, func.max(_day_of(s, Touch.at)))
        .where(Touch.direction == "inbound").group_by(Touch.contact_id))}
    opted = {cid: at.timestamp() for cid, at in s.execute(
        select(Contact.id, Contact.dnc_at).where(Contact.dnc_at.is_not(None))) if at}
    planned = set(s.scalars(select(FollowUp.contact_id).distinct()
                            .where(FollowUp.status.in_(("due", "snoozed")))))
    return _ContactFacts(soft, last_no, answers, opted, planned, answered)


def _contact_tally(s: Session, scope: Scope, names: dict[int, str], settings: Settings,
                   facts: _ContactFacts) -> ContactTally:
    tally = ContactTally(settings=settings, as_of=scope.as_of, opted_out=facts.opted_out,
                           soft_no=facts.first_soft_no, answered=facts.answered,
                           planned=facts.planned)
    q = (select(Touch.contact_id, _epoch(s, Touch.at), Touch.direction, Touch.channel,
                Touch.author_id)
         .order_by(Touch.contact_id, Touch.at))
    if scope.since:
        q = q.where(Touch.at >= _since_dt(scope))
    if scope.user_id is not None or scope.team_ids is not None:
        mine = _whose(select(Touch.contact_id), Touch.author_id, scope).distinct()
        q = q.where(Touch.contact_id.in_(mine))
    tally.add_all(_stream(s, q))  # type: ignore[arg-type]  # rows as the driver gives them
    me = scope.user_id

    def name(author: Who) -> str:
        if me is not None and author != me:
            return "(others)"
        return names.get(author, A.UNKNOWN) if isinstance(author, int) else author
    return tally.renamed(name)


def _checkback_rows(s: Session, scope: Scope, facts: _ContactFacts) -> Iterator[A.CheckbackRow]:
    q = (select(FollowUp.id, FollowUp.due, FollowUp.status, FollowUp.account_id,
                FollowUp.contact_id, Rejection.label)
         .outerjoin(Rejection, Rejection.id == FollowUp.rejection_id)
         .where(or_(*[FollowUp.rule.like(p) for p in CHECKBACK_RULES])))
    if scope.since:
        q = q.where(FollowUp.due >= scope.since)
    q = _whose(q, FollowUp.owner_id, scope)
    rows = list(_stream(s, q))
    if not rows:
        return iter(())
    ids, raw_dues, statuses, accounts, contacts, labels = zip(*rows, strict=True)
    dues = list(map(_Days().__getitem__, raw_dues))
    never = repeat(date.min)
    answered = map(ge, map(facts.last_answer.get, contacts, never), dues)
    another = map(ge, map(facts.last_no.get, contacts, never), dues)
    return zip(ids, dues, statuses, accounts, labels, answered, another,  # type: ignore[return-value]
               strict=True)




def _checkback_outcomes(rows: Iterable[A.CheckbackRow], wins: A.Wins,
                       as_of: date) -> dict[str, Counter[str]]:
    """Outcome counts per label of the original no (key "all" for every check-back).

    The same rules as :func:`checkback_outcome`, inlined: this runs over 100,000s of rows.
    """
    win_days = wins.days_by_account
    planned = ("due", "snoozed")
    dropped = ("skipped", "cancelled")
    pairs: list[tuple[str | None, str]] = []
    add = pairs.append
    for _id, due, status, account_id, label, answered, another_no in rows:
        if due > as_of and status in planned:
            add((label, "upcoming"))
            continue
        won = win_days.get(account_id)
        if won and won[-1] >= due:
            add((label, "won"))
        elif status in dropped:
            add((label, "skipped"))
        elif answered:
            add((label, "answered"))
        elif another_no:
            add((label, "another no"))
        elif status in planned:
            add((label, "not done yet"))
        else:
            add((label, "no answer yet"))
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for (label, outcome), n in Counter(pairs).items():
        out["all"][outcome] += n
        out[label or UNKNOWN][outcome] += n
    return dict(out)


def count(ws: Any, scope: Scope, settings: Settings) -> dict[str, float]:
    """The previous path's three counting phases, timed: rejections, contacts, check-backs."""
    import time as clock

    times: dict[str, float] = {}
    with ws.db.read() as s:
        names = _names(s)
        t0 = clock.perf_counter()
        wins = _wins(s, scope, names)
        losses = _count_rejections(s, scope, names, A.LossTally(wins))
        t1 = clock.perf_counter()
        facts = _contact_facts(s)
        contacts = _contact_tally(s, scope, names, settings, facts)
        t2 = clock.perf_counter()
        checkbacks = _checkback_outcomes(_checkback_rows(s, scope, facts), wins, scope.as_of)
        t3 = clock.perf_counter()
    times.update(rejections=t1 - t0, contacts=t2 - t1, checkbacks=t3 - t2)
    times["figures"] = float(losses.total + contacts.contacts + len(checkbacks))
    return times
