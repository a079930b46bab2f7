"""The day's work: follow-ups due on a date, ranked by ripeness, each with a one-line why.

Kept fast at scale (``bench/bench_agenda.py``, figures in docs/performance.md) by ranking on a
narrow index and explaining only what is shown:

1. **rank** — one range of ``ix_followups_open_agenda`` gives every open follow-up due by the day
   with all it is ranked by (due, label, dated check-back, last touch: columns the database
   keeps on the follow-up, see :mod:`notnow.storage.derived`), plus one query for the recent
   signals of those contacts; the rows are ranked by :func:`notnow.core.ripeness.ranked`, a
   few arithmetic steps each;
2. **show** — the ripest ``limit`` rows are read in full with their contact and account
   (a do-not-contact contact is dropped here, whatever the data says) and explained with
   :func:`notnow.core.ripeness.explain`.

No ORM objects; statements are built once. Each is planned the same way whatever the table
statistics say: the ranking range is read in the index's own order under a LIMIT (PostgreSQL's
estimate of open follow-ups due by a day is 50 times too high, as status and due are
correlated, and before the partial index it chose a sequential scan, or a parallel one and
spent 20 ms starting a worker); the details are primary-key lookups for a known list of ids.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    any_,
    bindparam,
    func,
    select,
    type_coerce,
)

from notnow.core import limits
from notnow.core.model import (
    Channel,
    Label,
    Role,
    SignalFacts,
    SignalKind,
)
from notnow.core.policy import Actor, may_read, readable_owners
from notnow.core.ripeness import WARMTH_DAYS, explain, order, ranked
from notnow.errors import InvalidInput
from notnow.services.facts import aware
from notnow.services.followups.item import AgendaItem
from notnow.services.lookup import resolve_person
from notnow.services.workspace import Workspace
from notnow.storage.tables import OPEN_FOLLOWUP, Account, Contact, FollowUp, Signal

CANDIDATES = 5000
"""At most this many due follow-ups (oldest first) are ranked for one day."""

# value -> member, without Enum.__call__ (a few microseconds a row at thousands of rows)
_CHANNEL = {m.value: m for m in Channel}
_LABEL = {m.value: m for m in Label}
_KIND = {m.value: m for m in SignalKind}
_ROLE = {m.value: m for m in Role}
FOLLOWUPS, CONTACTS = FollowUp.__table__, Contact.__table__
ACCOUNTS, SIGNALS = Account.__table__, Signal.__table__

def _ids(column: Any, sqlite: bool, name: str) -> ColumnElement[bool]:
    """``column IN (:name)``: an expanded list on SQLite, one array parameter on PostgreSQL
    (``= ANY``: a third of the time of a thousand bound values)."""
    if sqlite:
        return column.in_(bindparam(name, expanding=True))  # type: ignore[no-any-return]
    from sqlalchemy.dialects.postgresql import ARRAY  # imported by PostgreSQL's engine anyway

    return column == any_(bindparam(name, type_=ARRAY(Integer)))  # type: ignore[no-any-return]


@cache
def _ranking(by_user: bool) -> Select[Any]:
    """Open follow-ups due by ``:day``, oldest first, with what they are ranked by and their
    account: the start of ``ix_followups_open_agenda`` (``…_all`` for everyone), read in
    order, index only."""
    q = _rank_columns()
    if by_user:
        q = q.where(FOLLOWUPS.c.owner_id == bindparam("user_id"))
    return q.order_by(FOLLOWUPS.c.due, FOLLOWUPS.c.id).limit(CANDIDATES)


@cache
def _ranking_of_accounts(sqlite: bool, by_user: bool) -> Select[Any]:
    """`_ranking`'s rows of the follow-ups of ``:accounts`` (of ``:owners``)."""
    q = _rank_columns().where(_ids(FOLLOWUPS.c.account_id, sqlite, "accounts"))
    if by_user:
        q = q.where(_ids(FOLLOWUPS.c.owner_id, sqlite, "owners"))
    return q.order_by(FOLLOWUPS.c.due, FOLLOWUPS.c.id).limit(CANDIDATES)


def _rank_columns() -> Select[Any]:
    f = FOLLOWUPS.c
    # dates and instants as the driver gives them (text on SQLite): the generic type
    # processing costs more than all the ranking; `_day` reads them
    return (select(f.id, type_coerce(f.due, String), f.contact_id, f.label, f.dated_checkback,
                   type_coerce(f.last_touch_at, String), type_coerce(f.last_signal_at, String),
                   f.account_id)
            .where(OPEN_FOLLOWUP, f.due <= bindparam("day", type_=f.due.type)))


@cache
def _signals(sqlite: bool) -> Select[Any]:
    """Signals since ``:since`` of the ``:contacts``."""
    g = SIGNALS.c
    return select(g.contact_id, g.kind, g.at, g.account_id).where(
        g.at >= bindparam("since", type_=g.at.type), _ids(g.contact_id, sqlite, "contacts"))


@cache
def _details(sqlite: bool) -> Select[Any]:
    """What is shown of the follow-ups ``:ids``: the row, its contact and account."""
    f, c, a = FOLLOWUPS.c, CONTACTS.c, ACCOUNTS.c
    return (select(f.id, f.account_id, f.channel, f.purpose, f.why, c.name, c.role, a.name,
                   func.coalesce(c.dnc_at, c.held_at))
            .select_from(FOLLOWUPS.join(CONTACTS, c.id == f.contact_id)
                         .join(ACCOUNTS, a.id == f.account_id))
            .where(_ids(f.id, sqlite, "ids")))


Ranked = tuple[float, date, int, int, Label | None, bool, str | datetime | None]
"""score, due, follow-up id, contact id, label, dated check-back, last touch (raw)"""


def agenda_owners(ws: Workspace, actor: Actor, *, user: str | int | None = None,
                  team: bool = False) -> tuple[int, ...] | None:
    """Whose follow-ups an agenda (or calendar) shows: the actor's own by default, one
    person's whose records the actor may read (``user``: an id, email or name; anyone else is
    'not found' like nobody), or everyone's the actor may read (``team``; None: everyone)."""
    if team and user is not None:
        raise InvalidInput("ask for one person's agenda or the team's, not both", field="user")
    if user is not None:
        with ws.db.read() as s:
            return (resolve_person(s, user, field="user",
                                   allowed=lambda uid: may_read(actor, uid)).id,)
    if team:
        owners = readable_owners(actor)
        return None if owners is None else tuple(sorted(owners))
    return (actor.id,)


def agenda(ws: Workspace, actor: Actor, day: date | None = None, *,
           user: str | int | None = None, team: bool = False,
           limit: int = 200) -> list[AgendaItem]:
    """The day's follow-ups, ripest first (see :mod:`notnow.core.ripeness`), each with why:
    the actor's own, one team member's (``user``) or the whole team's (``team``)."""
    limits.check_day(day, field="day")
    return ranked_agenda(ws, day or ws.today(), agenda_owners(ws, actor, user=user, team=team),
                         limit=limit)


def ranked_agenda(ws: Workspace, day: date, owners: tuple[int, ...] | None, *,
                  limit: int = 200) -> list[AgendaItem]:
    """The agenda of follow-ups owned by ``owners`` (None: everyone's); the caller has
    checked the actor may read them (:func:`agenda_owners`)."""
    return rank(ws, day, owners, limit=limit).items


@dataclass
class Ranking:
    """A ranked agenda with what it was ranked from, so that :func:`rerank` can bring it up
    to date after writes to some accounts by reading only theirs."""

    day: date
    owners: tuple[int, ...] | None
    limit: int
    rows: dict[int, Any]  # every candidate follow-up's ranking row, by id
    whole: bool  # fewer than CANDIDATES were due: ``rows`` holds every one
    signals: dict[int, list[SignalFacts]]  # recent signals, by contact
    order: list[Ranked]  # every candidate, ripest first
    details: dict[int, Any] = field(default_factory=dict)  # what is shown, by follow-up id
    items: list[AgendaItem] = field(default_factory=list)


def rank(ws: Workspace, day: date, owners: tuple[int, ...] | None, *,
         limit: int = 200) -> Ranking:
    """:func:`ranked_agenda`, with what it was ranked from."""
    params = _params(day)
    with ws.db.read() as s:
        conn = s.connection()
        if owners is None:
            rows = conn.execute(_ranking(False), params).all()
            whole = len(rows) < CANDIDATES
        else:
            rows, whole = [], True
            for owner in owners:  # each owner's range: at most CANDIDATES each
                got = conn.execute(_ranking(True), {**params, "user_id": owner}).all()
                whole = whole and len(got) < CANDIDATES
                rows += got
        signals = _recent_signals(conn, ws.db.is_sqlite, rows, params)
        ranking = Ranking(day, owners, limit, {row[0]: row for row in rows}, whole, signals,
                          _rank(rows, day, signals))
        _show(conn, ws.db.is_sqlite, ranking, {}, set())
    return ranking


def rerank(ws: Workspace, before: Ranking, accounts: frozenset[int]) -> Ranking | None:
    """``before`` brought up to date after writes that touched only ``accounts``: their
    follow-ups (and those contacts' signals and details) are read again and ranked, the
    others' kept. The same agenda as :func:`rank` would give (a property test checks it).
    None when it cannot be: ``before`` did not hold every follow-up due, or would not now."""
    if not before.whole:
        return None
    day, owners, sqlite = before.day, before.owners, ws.db.is_sqlite
    params = {**_params(day), "accounts": sorted(accounts)}
    if owners is not None:
        params["owners"] = list(owners)
    with ws.db.read() as s:
        conn = s.connection()
        fresh = conn.execute(_ranking_of_accounts(sqlite, owners is not None), params).all() \
            if accounts else []
        rows = {fid: row for fid, row in before.rows.items() if row[7] not in accounts}
        rows.update((row[0], row) for row in fresh)
        if len(rows) >= CANDIDATES:
            return None
        # every row of a contact of those accounts (before or now) is ranked again
        people = {row[2] for row in before.rows.values() if row[7] in accounts}
        people.update(row[2] for row in fresh)
        again = [row for row in rows.values() if row[2] in people]
        signals = {cid: found for cid, found in before.signals.items() if cid not in people}
        signals.update(_recent_signals(conn, sqlite, again, params))
        # the rows kept are in order: each row ranked again is put in its place (a few rows
        # among thousands: no key worked out again for the others)
        ripest = [r for r in before.order if r[3] not in people]
        for row in _rank(again, day, signals):
            insort(ripest, row, key=_order)
        ranking = Ranking(day, owners, before.limit, rows, True, signals, ripest)
        _show(conn, sqlite, ranking, before.details, {row[0] for row in again},
              {i.followup_id: i for i in before.items})
    return ranking


def _params(day: date) -> dict[str, Any]:
    return {"day": day,
            "since": datetime.combine(day - timedelta(days=WARMTH_DAYS), time(0), tzinfo=UTC)}


def _recent_signals(conn: Any, sqlite: bool, rows: Sequence[Any], params: dict[str, Any]
                    ) -> dict[int, list[SignalFacts]]:
    """The recent signals of the contacts of ``rows`` (only those with one in WARMTH_DAYS:
    signals matter for no longer)."""
    recent = sorted({row[2] for row in rows if row[6] is not None
                     and _day(row[6]) >= params["since"].date()})
    signals: dict[int, list[SignalFacts]] = {}
    if recent:
        for cid, kind, at, aid in conn.execute(_signals(sqlite), {**params, "contacts": recent}):
            signals.setdefault(cid, []).append(SignalFacts(_KIND[kind], aware(at), cid, aid))
    return signals


def _show(conn: Any, sqlite: bool, ranking: Ranking, known: dict[int, Any],
          again: set[int], items: dict[int, AgendaItem] | None = None) -> None:
    """The ripest ``limit`` rows shown: each read in full with its contact and account (a
    do-not-contact contact is dropped here, whatever the data says) and explained. What was
    read before (``known``, ``items``) is reused but for the follow-ups ranked ``again``."""
    day, rows, limit = ranking.day, ranking.rows, ranking.limit
    details = ranking.details
    details.update((fid, row) for fid, row in known.items() if fid in rows and fid not in again)
    out: list[AgendaItem] = []
    start = 0
    ripest = ranking.order
    while len(out) < limit and start < len(ripest):
        batch = ripest[start:start + limit - len(out)]
        start += len(batch)
        missing = [r[2] for r in batch if r[2] not in details]
        if missing:
            details.update((row[0], row) for row in conn.execute(_details(sqlite),
                                                                 {"ids": missing}))
        for r in batch:
            shown = details.get(r[2])
            if shown is None or shown[-1] is not None:
                continue
            item = items.get(r[2]) if items is not None and r[2] not in again else None
            out.append(item if item is not None
                       else _item(r, shown, day, ranking.signals.get(r[3], ())))
    ranking.items = out


def _order(r: Ranked) -> tuple[float, date, int]:
    return order(r[0], r[1], r[2])


def _rank(rows: Sequence[Any], day: date, signals: dict[int, list[SignalFacts]]
          ) -> list[Ranked]:
    facts = {fid: (_day(due), _LABEL[label] if label else None, bool(dated),
                   _day(last) if last is not None else None, signals.get(cid, ()))
             for fid, due, cid, label, dated, last, *_ in rows}
    by_id = {row[0]: row for row in rows}
    return [(r, facts[fid][0], fid, by_id[fid][2], facts[fid][1], facts[fid][2], by_id[fid][5])
            for r, fid in ranked(day, list(facts.items()))]


def _item(r: Ranked, row: Any, day: date, signals: Sequence[SignalFacts]) -> AgendaItem:
    _, due, fid, cid, label, dated, last = r
    _, aid, channel, purpose, why, name, role, account, _ = row
    ripe = explain(day, due, label=label, dated_checkback=dated, signals=signals,
                   last_touch=_day(last) if last is not None else None)
    return AgendaItem(
        followup_id=fid, due=due, overdue_days=(day - due).days, contact_id=cid,
        contact_name=name, contact_role=_ROLE.get(role, Role.OTHER), account_id=aid or 0,
        account_name=account, channel=_CHANNEL[channel], purpose=purpose, why=why,
        label=label, score=ripe.score, ripeness=ripe.why, last_touch=_instant(last),
    )


def _day(value: str | date | datetime) -> date:
    """The UTC day of a raw column value: ISO text (SQLite) or a date / aware datetime."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return value.astimezone(UTC).date()
    return value


def _instant(value: str | datetime | None) -> datetime | None:
    """A raw timestamp as the schema reads it everywhere else: aware, in UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value.astimezone(UTC)
