"""The morning mail and the managers' weekly note, as use cases.

Each person turns their own morning mail on or off and chooses its time and time zone
(`set_digest`); the weekly note is for managers and admins. The SMTP server is the
workspace's, set by an admin (`set_smtp`). What a mail holds is read as its person: their own
agenda (`services.followups.agenda`, which never shows a contact who opted out), and for the
weekly note the figures of the people they manage (`services.learning.reports`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from notnow.core.policy import Actor, figures_scope, may_manage_people
from notnow.errors import InvalidInput, PermissionDenied
from notnow.reach import digest as lib
from notnow.reach import smtp
from notnow.services.reach import schedule
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace


def digest_settings(ws: Workspace, actor: Actor) -> lib.DigestPrefs:
    """The actor's morning-mail settings (off until turned on)."""
    prefs = lib.load_prefs(ws.db, actor.id)
    if prefs.timezone == "UTC" and not prefs.enabled:  # never saved: offer the workspace's
        return lib.DigestPrefs(actor.id, prefs.enabled, prefs.send_at, ws.config.timezone,
                               prefs.weekly_note)
    return prefs


def set_digest(ws: Workspace, actor: Actor, *, enabled: bool | None = None,
               send_at: str | None = None, timezone: str | None = None,
               weekly_note: bool | None = None) -> lib.DigestPrefs:
    """Change the actor's own settings; what is not given stays. The weekly note is for
    managers and admins (it reports on the people they manage)."""
    if weekly_note and not (actor.is_manager or actor.is_admin):
        raise PermissionDenied("the weekly note is for managers: it reports on the people "
                               "who report to you")
    if enabled and not actor.email:
        raise InvalidInput("you have no email address to send the morning mail to",
                           field="enabled")
    current = digest_settings(ws, actor)
    prefs = lib.save_prefs(ws.db, actor.id, ws.now(), enabled=enabled, send_at=send_at,
                           timezone=timezone or (current.timezone if enabled else None),
                           weekly_note=weekly_note)
    with ws.db.write() as s:
        if prefs.enabled:
            schedule.ensure(s, schedule.DIGEST, ws.now())
        record(s, actor, "digest.settings", "user", actor.id, at=ws.now(), owner_id=actor.id,
               after=prefs.to_dict())
    return prefs


def smtp_settings(ws: Workspace, actor: Actor) -> smtp.SmtpConfig | None:
    """The workspace's mail server (never a password: the name of its variable)."""
    return smtp.load_settings(ws.db)


def set_smtp(ws: Workspace, actor: Actor, config: smtp.SmtpConfig) -> smtp.SmtpConfig:
    """Set the workspace's mail server (admins)."""
    if not may_manage_people(actor):
        raise PermissionDenied("only an admin sets the workspace's mail server")
    saved = smtp.save_settings(ws.db, config, ws.now())
    with ws.db.write() as s:
        record(s, actor, "smtp.settings", "workspace", None, at=ws.now(),
               after=saved.public())
    return saved


# --- what the worker sends --------------------------------------------------------------------


def _agenda_for(ws: Workspace) -> lib.AgendaSource:
    from notnow.services.followups.agenda import agenda
    from notnow.services.team.acting import actor_for

    def read(user_id: int, day: date) -> list[lib.AgendaRow]:
        person = actor_for(ws, user_id)
        if person is None:
            return []
        return list(agenda(ws, person, day, limit=lib.MAX_ITEMS * 4))

    return read


def _weekly_for(ws: Workspace) -> lib.WeeklySource:
    from notnow.services.learning.reports import Scope, build_report
    from notnow.services.team.acting import actor_for

    def figures(user_id: int, monday: date) -> lib.WeeklyFigures | None:
        person = actor_for(ws, user_id)
        if person is None or not (person.is_manager or person.is_admin):
            return None
        week = monday - timedelta(days=7)
        scope = Scope(since=week, as_of=monday, user_id=None, user_name=None,
                      team_ids=figures_scope(person))
        report = build_report(ws, scope)

        def people(name: str, column: int) -> list[lib.PersonFigure]:
            table = report.tables.get(name)
            rows = table.rows if table else []
            return [lib.PersonFigure(str(r[0]), int(r[column] or 0)) for r in rows
                    if int(r[column] or 0) > 0]

        kpis = {label: value for label, value, _ in report.kpis}
        digits = "".join(ch for ch in str(kpis.get("Rejections", "0")) if ch.isdigit())
        return lib.WeeklyFigures(team=f"{person.name}'s team", week_start=week,
                                 pestering=people("pesters", 1),
                                 giving_up_early=people("gives_up_early", 2),
                                 came_back=_came_back(ws, person, week, monday),
                                 nos_logged=int(digits or 0))

    return figures


def _came_back(ws: Workspace, person: Actor, since: date,
               until: date) -> list[lib.CameBack]:
    """Deals won in the week at accounts that had said no before, among what the person may
    read."""
    from notnow.services.lookup import owned
    from notnow.storage.tables import Account, Contact, Deal, Rejection

    start = datetime.combine(since, time(0), tzinfo=UTC)
    end = datetime.combine(until, time(0), tzinfo=UTC)
    out: list[lib.CameBack] = []
    with ws.db.read() as s:
        deals = s.execute(select(Deal, Account.name).join(Account, Account.id == Deal.account_id)
                          .where(Deal.status == "won", Deal.closed_at >= start,
                                 Deal.closed_at < end, owned(person, Deal.owner_id))
                          .order_by(Deal.closed_at).limit(20)).all()
        for deal, account in deals:
            first = s.execute(select(Rejection.at, Rejection.label, Contact.name)
                              .join(Contact, Contact.id == Rejection.contact_id)
                              .where(Contact.account_id == deal.account_id,
                                     Contact.dnc_at.is_(None), Rejection.at <= deal.closed_at)
                              .order_by(Rejection.at).limit(1)).first()
            if first is not None and deal.closed_at is not None:
                out.append(lib.CameBack(first.name, account, first.label,
                                        (deal.closed_at - first.at).days, "won"))
    return out


def send_due(ws: Workspace, *, environ: Mapping[str, str],
             app_url: str | None = None) -> lib.DigestReport:
    """Send every morning mail and weekly note due now (the worker's job). Nothing without
    the workspace's mail server."""
    config = smtp.load_settings(ws.db)
    if config is None:
        return lib.DigestReport()
    return lib.send_due(ws.db, now=ws.now(), smtp=config, environ=environ,
                        agenda_for=_agenda_for(ws), weekly_for=_weekly_for(ws),
                        app_url=app_url)
