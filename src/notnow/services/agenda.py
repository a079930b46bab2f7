"""The day's work: follow-ups due on a date, ranked by ripeness, each with a one-line why.

Kept fast at scale (``bench/bench_agenda.py``, figures in docs/performance.md): two Core
statements built once, run on the session's connection (no ORM objects); the candidates come
from one index range on ``followups`` and a few index seeks per row (contact, account,
rejection, last touch); the recent signals from one query by contact id; only the rows that
are shown become :class:`AgendaItem` objects. SQLite connections keep a 64 MiB page cache
(storage/engine.py) so that those seeks stay in memory between calls.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY

from notnow.core.model import (
    Channel,
    FollowUpFacts,
    FollowUpStatus,
    Label,
    Role,
    SignalFacts,
    SignalKind,
)
from notnow.core.ripeness import WARMTH_DAYS, ripeness
from notnow.services.facts import aware
from notnow.services.schemas import AgendaItem
from notnow.services.workspace import Workspace
from notnow.storage.tables import Account, Contact, FollowUp, Rejection, Signal, Touch

CANDIDATES = 5000
"""At most this many due follow-ups (oldest first) are ranked for one day."""

OPEN = ("due", "snoozed")
# value -> member, without Enum.__call__ (a few microseconds a row at thousands of rows)
_CHANNEL = {m.value: m for m in Channel}
_STATUS = {m.value: m for m in FollowUpStatus}
_LABEL = {m.value: m for m in Label}
_KIND = {m.value: m for m in SignalKind}
FOLLOWUPS, CONTACTS = FollowUp.__table__, Contact.__table__
ACCOUNTS, REJECTIONS = Account.__table__, Rejection.__table__
SIGNALS, TOUCHES = Signal.__table__, Touch.__table__


def _of(table: Any, column: str, key: Any, ref: Any) -> Any:
    """``(SELECT column FROM table WHERE key = ref)``: one index seek per candidate row."""
    return select(table.c[column]).where(key == ref).correlate(FOLLOWUPS).scalar_subquery()


@cache
def _candidates(by_user: bool, joined: bool) -> Select[Any]:
    """Open follow-ups due by ``:day`` of contacts who did not opt out, oldest first.

    Driven by ``ix_followups_owner_status_due``; the contact, account, rejection and last
    touch are index seeks per candidate. SQLite plans the joins that way. PostgreSQL gets the
    row estimate wrong here by 50x (open follow-ups are mostly in the future; it assumes
    status and due independent) and then hashes the whole contacts table, so for it
    (``joined=False``) each lookup is a correlated subquery, which it runs per row.
    """
    f, c, a, r, t = FOLLOWUPS.c, CONTACTS.c, ACCOUNTS.c, REJECTIONS.c, TOUCHES.c
    last_touch = (select(func.max(t.at)).where(t.contact_id == f.contact_id)
                  .correlate(FOLLOWUPS).scalar_subquery())
    if joined:
        q = (select(f.id, f.contact_id, f.account_id, f.deal_id, f.due, f.channel, f.purpose,
                    f.why, f.status, f.rule, c.name, c.role, a.name, r.label, r.checkback,
                    last_touch)
             .select_from(FOLLOWUPS.join(CONTACTS, c.id == f.contact_id)
                          .join(ACCOUNTS, a.id == f.account_id)
                          .outerjoin(REJECTIONS, r.id == f.rejection_id))
             .where(c.dnc_at.is_(None)))
    else:
        q = (select(f.id, f.contact_id, f.account_id, f.deal_id, f.due, f.channel, f.purpose,
                    f.why, f.status, f.rule,
                    _of(CONTACTS, "name", c.id, f.contact_id),
                    _of(CONTACTS, "role", c.id, f.contact_id),
                    _of(ACCOUNTS, "name", a.id, f.account_id),
                    _of(REJECTIONS, "label", r.id, f.rejection_id),
                    _of(REJECTIONS, "checkback", r.id, f.rejection_id),
                    last_touch)
             .where(_of(CONTACTS, "dnc_at", c.id, f.contact_id).is_(None)))
    q = q.where(f.status.in_(OPEN), f.due <= bindparam("day", type_=f.due.type))
    if by_user:
        q = q.where(f.owner_id == bindparam("user_id"))
    return q.order_by(f.due, f.id).limit(CANDIDATES)


JIT_OFF = select(func.set_config("jit", "off", True))

@cache
def _signals(sqlite: bool) -> Select[Any]:
    """Signals since ``:since`` of the ``:contacts``: an IN list on SQLite, one array
    parameter on PostgreSQL (= ANY: a third of the time of a thousand bound values)."""
    g = SIGNALS.c
    of_contacts: ColumnElement[bool]
    if sqlite:
        of_contacts = g.contact_id.in_(bindparam("contacts", expanding=True))
    else:
        of_contacts = g.contact_id == any_(bindparam("contacts", type_=ARRAY(Integer)))
    return select(g.contact_id, g.kind, g.at, g.account_id).where(
        g.at >= bindparam("since", type_=g.at.type), of_contacts)


def agenda(ws: Workspace, day: date | None = None, *, user_id: int | None = None,
           limit: int = 200) -> list[AgendaItem]:
    """The day's follow-ups, ripest first (see :mod:`notnow.core.ripeness`), each with why."""
    day = day or ws.today()
    by_user = user_id is not None
    params: dict[str, Any] = {"day": day, "user_id": user_id,
                              "since": datetime.combine(day - timedelta(days=WARMTH_DAYS),
                                                        time(0), tzinfo=UTC)}
    with ws.db.read() as s:
        conn = s.connection()
        if not ws.db.is_sqlite:
            # the planner overestimates the candidates 50x and would JIT-compile this small
            # query (40 ms of 80 at 1M contacts); off for this transaction only
            conn.execute(JIT_OFF)
        rows = conn.execute(_candidates(by_user, ws.db.is_sqlite), params).all()
        signals: dict[int, list[SignalFacts]] = {}
        if rows:
            params["contacts"] = sorted({row[1] for row in rows})
            for cid, kind, at, aid in conn.execute(_signals(ws.db.is_sqlite), params):
                signals.setdefault(cid, []).append(
                    SignalFacts(_KIND[kind], aware(at), cid, aid))
    scored = []
    for row in rows:
        (fid, cid, aid, deal, due, channel, purpose, why, status, rule,
         _, _, _, label, checkback, last) = row
        fact = FollowUpFacts(id=fid, contact_id=cid, due=due, channel=_CHANNEL[channel],
                             purpose=purpose, status=_STATUS[status], rule=rule,
                             deal_id=deal, why=why, account_id=aid)
        lab = _LABEL[label] if label else None
        r = ripeness(fact, today=day, label=lab, dated_checkback=checkback is not None,
                     signals=signals.get(cid, ()),
                     last_touch=aware(last).date() if last else None)
        scored.append((-r.score, due, fid, fact, r, row))
    scored.sort(key=lambda p: p[:3])
    return [
        AgendaItem(
            followup_id=fact.id, due=fact.due, overdue_days=(day - fact.due).days,
            contact_id=fact.contact_id, contact_name=row[10], contact_role=Role(row[11]),
            account_id=fact.account_id or 0, account_name=row[12], channel=fact.channel,
            purpose=fact.purpose, why=fact.why, label=_LABEL[row[13]] if row[13] else None,
            score=r.score, ripeness=r.why, last_touch=row[15],
        )
        for _, _, _, fact, r, row in scored[:limit]
    ]
