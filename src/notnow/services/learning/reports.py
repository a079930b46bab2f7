"""The loss report: read-only queries that stream rows into the pure analytics.

Each query reads one table once (rejections, touches, follow-ups, deals, autopsies), already
filtered and ordered by the database, and :mod:`notnow.core.analytics` counts as the rows
arrive, so the whole report for 100,000 rejections stays within seconds on SQLite and
PostgreSQL. The result is a :class:`Report`: figures and named tables, rendered as HTML
(:mod:`notnow.render.report_html`), CSV, JSON, or the web dashboard (:func:`dashboard_data`).

Privacy: no journal text is ever read here; autopsies are only counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from itertools import repeat
from operator import ge
from typing import Any

from sqlalchemy import Date, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session

from notnow.core import analytics as A
from notnow.core import contact_stats as C
from notnow.core import limits
from notnow.core.autopsy import QUESTIONS, Answers, count_themes, count_winners
from notnow.core.caps import NOT_SOFT
from notnow.core.labels import NOT_REJECTIONS
from notnow.core.model import Label, UserRole
from notnow.core.playbook import Settings
from notnow.core.policy import Actor, figures_scope, may_see_figures_of
from notnow.errors import InvalidInput, PermissionDenied
from notnow.services.workspace import Workspace
from notnow.storage.tables import (
    Account,
    Autopsy,
    Contact,
    Deal,
    FollowUp,
    Rejection,
    Touch,
    User,
)

Progress = Callable[[str, int, int], None]
"""Called as ``progress(step, done, total)`` while the report is built."""

CHECKBACK_RULES = ("checkback%", "winback%", "renewal%")
NOT_COUNTED = tuple(label.value for label in NOT_REJECTIONS)
STEPS = ("rejections", "contacts", "check-backs", "capabilities", "autopsies")
BATCH = 5000


@dataclass(frozen=True)
class Scope:
    since: date | None
    as_of: date
    user_id: int | None  # None: the whole team
    user_name: str | None
    team_ids: frozenset[int] | None = None
    """With ``user_id`` None: the team's people (None: everyone in the workspace)."""

    @property
    def team(self) -> bool:
        return self.user_id is None

    def describe(self) -> str:
        who = "the whole team" if self.team else (self.user_name or "?")
        when = f"since {self.since.isoformat()}" if self.since else "all time"
        return f"{who}, {when}, as of {self.as_of.isoformat()}"


@dataclass
class Table:
    name: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""


@dataclass
class Report:
    scope: Scope
    generated_at: datetime
    kpis: list[tuple[str, str, str]] = field(default_factory=list)  # (label, value, hint)
    tables: dict[str, Table] = field(default_factory=dict)

    def add(self, table: Table) -> None:
        self.tables[table.name] = table

    def table(self, name: str) -> Table:
        return self.tables[name]

    def to_json(self) -> dict[str, Any]:
        return {"scope": self.scope.describe(), "generated_at": self.generated_at.isoformat(),
                "kpis": [{"label": k, "value": v, "hint": h} for k, v, h in self.kpis],
                "tables": {n: {"title": t.title, "columns": t.columns, "rows": t.rows,
                               "note": t.note} for n, t in self.tables.items()}}


# --- scope and permissions -------------------------------------------------------------------


def resolve_scope(ws: Workspace, actor: Actor, *, since: date | None = None,
                  for_user: str | int | None = None, team: bool = False) -> Scope:
    """Whose figures: a salesperson sees their own; a manager their own team's or one of
    their people's; an admin anyone's or everyone's (:mod:`notnow.core.policy`).

    Without ``for_user`` or ``team``, a manager or admin gets their team, a salesperson their
    own.
    """
    from notnow.services.lookup import resolve_person

    if team and for_user is not None:
        raise InvalidInput("give --for USER or --team, not both", field="for")
    limits.check_day(since, field="since")
    as_of = ws.today()
    if since is not None and since > as_of:
        raise InvalidInput(f"{since} is in the future", field="since")
    manager = actor.role in (UserRole.MANAGER, UserRole.ADMIN)
    uid: int | None
    if for_user is not None:
        with ws.db.read() as s:
            uid = resolve_person(s, for_user, field="for",
                                 allowed=lambda u: may_see_figures_of(actor, u)).id
    elif team or manager:
        if not manager:
            raise PermissionDenied("only a manager or an admin sees the team's figures; "
                                   "run `notnow report` for your own", field="team")
        uid = None
    else:
        uid = actor.id
    owners = figures_scope(actor) if uid is None else None
    with ws.db.read() as s:
        name = s.get(User, uid).name if uid is not None else None  # type: ignore[union-attr]
    return Scope(since=since, as_of=as_of, user_id=uid, user_name=name,
                 team_ids=owners)


# --- streaming queries -----------------------------------------------------------------------


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
                   facts: _ContactFacts) -> C.ContactTally:
    tally = C.ContactTally(settings=settings, as_of=scope.as_of, opted_out=facts.opted_out,
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

    def name(author: C.Who) -> str:
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


def _capability_rows(s: Session, scope: Scope) -> Iterator[A.CapabilityRow]:
    q = (select(Rejection.capability, Rejection.id, Deal.id, Deal.value, Deal.status,
                Deal.currency)
         .outerjoin(Deal, Deal.id == Rejection.deal_id)
         .where(Rejection.capability.is_not(None)))
    if scope.since:
        q = q.where(Rejection.at >= _since_dt(scope))
    q = _whose(q, Rejection.author_id, scope)
    for text, rid, did, value, status, currency in _stream(s, q):
        yield A.CapabilityRow(text, rid, did, float(value) if value is not None else None,
                              status, currency)


def main_currency(s: Session) -> str:
    """The currency most deals are in (USD when there is no deal)."""
    row = s.execute(select(Deal.currency, func.count()).group_by(Deal.currency)
                    .order_by(func.count().desc(), Deal.currency).limit(1)).first()
    return str(row[0]).upper() if row and row[0] else "USD"


def _autopsies(s: Session, scope: Scope) -> list[Answers]:
    cols = [getattr(Autopsy, q.key) for q in QUESTIONS]
    q = select(*cols)
    if scope.since:
        q = q.where(Autopsy.created_at >= _since_dt(scope))
    q = _whose(q, Autopsy.author_id, scope)
    return [Answers(*row) for row in s.execute(q)]


# --- the report ------------------------------------------------------------------------------


def _checkback_figures(s: Session, scope: Scope, names: dict[int, str], facts: _ContactFacts,
                       wins: A.Wins) -> dict[str, Counter[str]]:
    """What happened after each check-back."""
    return A.checkback_outcomes(_checkback_rows(s, scope, facts), wins, scope.as_of)


def build_report(ws: Workspace, scope: Scope, *, settings: Settings | None = None,
                 progress: Progress | None = None) -> Report:
    """Every figure of the report for ``scope`` (read-only)."""
    from notnow.services.learning.report_tables import fill
    from notnow.services.playbook import team_settings

    cfg = settings or team_settings(ws)
    tick = progress or (lambda *_: None)
    n = len(STEPS)
    with ws.db.read() as s:
        names = _names(s)
        tick(STEPS[0], 0, n)
        wins = _wins(s, scope, names)
        losses = _count_rejections(s, scope, names, A.LossTally(wins))
        tick(STEPS[1], 1, n)
        facts = _contact_facts(s)
        contacts = _contact_tally(s, scope, names, cfg, facts)
        tick(STEPS[2], 2, n)
        checkbacks = _checkback_figures(s, scope, names, facts, wins)
        tick(STEPS[3], 3, n)
        currency = main_currency(s)
        gaps = A.capability_gaps(_capability_rows(s, scope), currency)
        tick(STEPS[4], 4, n)
        autopsies = _autopsies(s, scope)
    report = Report(scope=scope, generated_at=ws.now())
    fill(report, currency=currency, losses=losses, contacts=contacts, checkbacks=checkbacks,
         gaps=gaps, themes=count_themes(autopsies), autopsies=len(autopsies),
         winners=count_winners(a.winner for a in autopsies), settings=cfg)
    tick("done", n, n)
    return report


def report(ws: Workspace, actor: Actor, *, since: date | None = None,
           for_user: str | int | None = None, team: bool = False,
           progress: Progress | None = None) -> Report:
    """Resolve the scope (with permissions) and build the report."""
    return build_report(ws, resolve_scope(ws, actor, since=since, for_user=for_user, team=team),
                        progress=progress)


def proof_for(ws: Workspace, actor: Actor, *, since: date | None = None,
              user_id: int | None = None) -> dict[str, Any]:
    """One salesperson's own proof figures (default: the acting user): how often a no later
    became a yes, the median days from a no to the deal, rejections per win."""
    scope = resolve_scope(ws, actor, since=since, for_user=user_id or actor.id)
    with ws.db.read() as s:
        names = _names(s)
        wins = _wins(s, scope, names)
        losses = _count_rejections(s, scope, names, A.LossTally(wins))
    return {"scope": scope.describe(), "salesperson": scope.user_name,
            "rejections": losses.total, "won_back": losses.won_back,
            "later_yes_rate": A.ratio(losses.won_back, losses.total),
            "median_days_to_deal": losses.median_days_to_deal(), "wins": wins.total,
            "rejections_per_win": losses.rejections_per_win(),
            "by_label": [list(r) for r in losses.winback_by_label()]}


__all__ = ["Report", "Scope", "Table", "build_report", "report",
           "resolve_scope"]
