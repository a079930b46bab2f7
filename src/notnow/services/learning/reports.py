"""The loss report: read-only grouped queries whose groups the pure analytics fold into
figures.

The database does the counting (:mod:`notnow.services.learning.report_sql`: GROUP BY, window
functions, streamed groups — never a row per rejection or touch in Python), and
:mod:`notnow.core.analytics` and :mod:`notnow.core.contact_stats` turn the groups into
figures with the rules the product enforces (the caps, the silence rule). The result is a
:class:`Report`: figures and named tables, rendered as HTML
(:mod:`notnow.render.report_html`), CSV, JSON, or the web dashboard (:func:`dashboard_data`).

Privacy: no journal text is ever read here; autopsies are only counted.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from notnow.core import analytics as A
from notnow.core import contact_stats as C
from notnow.core import limits
from notnow.core.autopsy import THEMED, count_theme_groups, count_winner_groups
from notnow.core.model import UserRole
from notnow.core.playbook import Settings
from notnow.core.policy import Actor, figures_scope, may_see_figures_of
from notnow.errors import InvalidInput, NotnowError, PermissionDenied
from notnow.services.learning import report_facts
from notnow.services.learning import report_sql as R
from notnow.services.workspace import Workspace
from notnow.storage.tables import Autopsy, Deal, Rejection, User

Progress = Callable[[str, int, int], None]
"""Called as ``progress(step, done, total)`` while the report is built."""

log = logging.getLogger(__name__)

STEPS = ("kept figures", "rejections", "capabilities", "autopsies", "check-backs",
         "contacts")
"""The report's steps, in the order it reports them (``kept figures``: bringing up to date
what it keeps, :mod:`report_facts`)."""


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


# --- the queries (grouped by the database: report_sql) --------------------------------------


def _since_dt(scope: Scope) -> datetime | None:
    return datetime.combine(scope.since, time(0), tzinfo=UTC) if scope.since else None


def _filter(scope: Scope) -> R.Filter:
    people = {scope.user_id} if scope.user_id is not None else scope.team_ids
    return R.Filter(since=_since_dt(scope),
                    people=frozenset(people) if people is not None else None)


def _whose(q: Any, column: Any, scope: Scope) -> Any:
    """Rows of the scope's person, or of the team's people (everyone: no filter)."""
    people = _filter(scope).people
    return q if people is None else q.where(column.in_(sorted(people)))


def _names(s: Session) -> dict[int, str]:
    return {uid: name for uid, name in s.execute(select(User.id, User.name))}


def _wins(s: Session, scope: Scope, names: dict[int, str]) -> A.Wins:
    """Every win (a no on an account followed by anyone's win there was won back), counted
    as the period's wins only for the scope's people."""
    # the UTC day of each win, as the database gives it: no timestamp read into Python
    rows = R.stream(s, select(Deal.account_id, R.day_of(s, Deal.closed_at), Deal.owner_id,
                              Deal.value)
                    .where(Deal.status == "won", Deal.closed_at.is_not(None)))
    people = ({scope.user_id} if scope.user_id is not None else scope.team_ids)

    def counted(owner: int | None) -> bool:
        return people is None or owner in people

    return A.Wins((A.WinRow(a, R.as_day(c) or scope.as_of, names.get(o) if o else None,
                            float(v) if v is not None else None, counted(o))
                   for a, c, o, v in rows), since=scope.since)


def _count_rejections(s: Session, scope: Scope, names: dict[int, str],
                      tally: A.LossTally) -> A.LossTally:
    """The rejections in scope, counted by the database in four grouped queries."""
    f = _filter(scope)
    first, last = R.rejection_span(s, f)
    tally.add_groups(((label, stage, names.get(author), month, n)
                      for label, stage, author, month, n in R.rejection_groups(s, f)),
                     first=first, last=last)
    tally.add_account_groups(R.account_groups(s, f))
    tally.add_channel_groups(R.channel_groups(s, f))
    return tally.add_won_back((label, names.get(author), int(delay), n)
                              for label, author, delay, n in R.won_back_groups(s, f))


def _tally_contacts(scope: Scope, names: dict[int, str], settings: Settings,
                    touches: Iterable[tuple[Any, ...]], contacts: Iterable[tuple[Any, ...]]
                    ) -> C.ContactTally:
    """Touches and contacts as the database counted them (``report_sql.touch_groups`` and
    ``contact_groups``): the silence rule and the caps are the ones enforced."""
    tally = C.ContactTally(settings=settings, as_of=scope.as_of)
    for author, outbound, hits, opted in touches:
        tally.add_touches(author, int(outbound), int(hits or 0), int(opted or 0))
    for access, before, answered, n_out, n_ch, abandoned, who, n in contacts:
        tally.add_contacts(int(n), access=bool(access), before_access=int(before or 0),
                           answered=bool(answered), attempts=int(n_out or 0),
                           channels=int(n_ch or 0), abandoned_by=who,
                           abandoned=bool(abandoned))
    me = scope.user_id

    def name(author: C.Who) -> str:
        if me is not None and author != me:
            return "(others)"
        return names.get(author, A.UNKNOWN) if isinstance(author, int) else author
    return tally.renamed(name)


def _checkback_figures(s: Session, scope: Scope) -> dict[str, Counter[str]]:
    """What happened after each check-back: the database says what came after it, per group
    of alike check-backs; :func:`notnow.core.analytics.outcome_of` names the outcome."""
    return A.count_outcomes(
        (label, A.outcome_of(status, later=bool(later), won=bool(won), answered=bool(answered),
                             another_no=bool(another)), int(n))
        for label, status, later, won, answered, another, n
        in report_facts.checkback_groups(s, _filter(scope), scope.as_of))


def _capability_rows(s: Session, scope: Scope) -> Iterator[A.CapabilityRow]:
    q = (select(Rejection.capability, Rejection.id, Deal.id, Deal.value, Deal.status,
                Deal.currency)
         .outerjoin(Deal, Deal.id == Rejection.deal_id)
         .where(Rejection.capability.is_not(None)))
    if scope.since:
        q = q.where(Rejection.at >= _since_dt(scope))
    q = _whose(q, Rejection.author_id, scope)
    for text, rid, did, value, status, currency in R.stream(s, q):
        yield A.CapabilityRow(text, rid, did, float(value) if value is not None else None,
                              status, currency)


def main_currency(s: Session) -> str:
    """The currency most deals are in (USD when there is no deal)."""
    row = s.execute(select(Deal.currency, func.count()).group_by(Deal.currency)
                    .order_by(func.count().desc(), Deal.currency).limit(1)).first()
    return str(row[0]).upper() if row and row[0] else "USD"


@dataclass(frozen=True)
class Autopsies:
    """The period's autopsies, counted by the database: how many, alike answers to the
    themed questions together, and the winners as written."""

    total: int
    themes: list[tuple[dict[str, Any], int]]
    winners: list[tuple[str | None, int]]


def _autopsies(s: Session, scope: Scope) -> Autopsies:
    def grouped(*cols: Any) -> list[tuple[Any, ...]]:
        q = select(*cols, func.count())
        if scope.since:
            q = q.where(Autopsy.created_at >= _since_dt(scope))
        return [tuple(row) for row in R.stream(s, _whose(q, Autopsy.author_id, scope)
                                                 .group_by(*cols))]

    themed = [getattr(Autopsy, key) for key in THEMED]
    themes = [(dict(zip(THEMED, row[:-1], strict=True)), int(row[-1]))
              for row in grouped(*themed)]
    return Autopsies(total=sum(n for _, n in themes), themes=themes,
                     winners=[(w, int(n)) for w, n in grouped(Autopsy.winner)])


# --- the report ------------------------------------------------------------------------------


def build_report(ws: Workspace, scope: Scope, *, settings: Settings | None = None,
                 progress: Progress | None = None) -> Report:
    """Every figure of the report for ``scope`` (read-only)."""
    from notnow.services.learning.report_tables import fill
    from notnow.services.playbook import team_settings

    cfg = settings or team_settings(ws)
    tick = progress or (lambda *_: None)
    n = len(STEPS)
    if settings is None:  # the team's caps: the kept verdicts are theirs (report_facts)
        tick(STEPS[0], 0, n)
        try:
            report_facts.refresh(ws.db, cfg)
        except NotnowError as exc:  # the report works out what is not kept itself
            log.warning("the report's kept figures were not brought up to date: %s", exc)
    with ws.db.read() as s:
        R.settle(s)
        names = _names(s)
        # the touches, the contacts and the check-backs (the heaviest counting) each beside
        # the rest, on the same data: the database counts on every core
        f, idle = _filter(scope), C.ContactTally(settings=cfg, as_of=scope.as_of).idle_days
        touches = R.beside(ws.db, s, lambda other: report_facts.touch_groups(other, f, cfg))
        people = R.beside(ws.db, s, lambda other: report_facts.contact_groups(
            other, f, scope.as_of, idle))
        later = R.beside(ws.db, s, lambda other: _checkback_figures(other, scope))
        tick(STEPS[1], 1, n)
        wins = _wins(s, scope, names)
        losses = _count_rejections(s, scope, names, A.LossTally(wins))
        tick(STEPS[2], 2, n)  # what is left of this transaction's, while the others count
        currency = main_currency(s)
        gaps = A.capability_gaps(_capability_rows(s, scope), currency)
        tick(STEPS[3], 3, n)
        autopsies = _autopsies(s, scope)
        tick(STEPS[4], 4, n)
        checkbacks = later.result()
        tick(STEPS[5], 5, n)
        contacts = _tally_contacts(scope, names, cfg, touches.result(), people.result())
    report = Report(scope=scope, generated_at=ws.now())
    fill(report, currency=currency, losses=losses, contacts=contacts, checkbacks=checkbacks,
         gaps=gaps, themes=count_theme_groups(autopsies.themes), autopsies=autopsies.total,
         winners=count_winner_groups(autopsies.winners), settings=cfg)
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
        R.settle(s)
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
