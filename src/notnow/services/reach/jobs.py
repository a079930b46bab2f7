"""The worker's reach jobs: webhook deliveries, morning mails, CalDAV syncs, and the day's
``followup.due`` events. `register` adds the kinds (`notnow.worker.kinds.KIND_MODULES`);
the jobs themselves are queued by the settings that need them (`services.reach.schedule`).

A handler acts for the whole workspace, as the worker does: what each channel holds is read
as its person by the services it calls. The worker is an edge like the CLI: its process's
environment holds the secrets named by ``env:`` references and the workspace's settings.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from notnow.worker.registry import JobContext, JobKind, Registry, Retry

if TYPE_CHECKING:
    from notnow.services.workspace import Workspace


def _workspace(ctx: JobContext) -> Workspace:
    """The workspace the job's database belongs to, its clock fixed at the job's time."""
    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.services.workspace import Workspace
    from notnow.storage.tables import Meta, User

    with ctx.db.read() as s:
        owner = s.scalar(select(User.id).where(User.is_owner.is_(True)).limit(1))
        wid = s.scalar(select(Meta.value).where(Meta.key == "workspace_id"))
    return Workspace(config=settings.load(), db=ctx.db, clock=FixedClock(ctx.now),
                     owner_id=owner or 0, workspace_id=wid or "")


def deliver_webhooks(ctx: JobContext) -> None:
    """Every delivery due now, in batches, until none is left (retries wait their back-off)."""
    from notnow.reach.webhooks import HttpSender, send_due
    from notnow.services.reach.webhooks import secret_box, target_policy
    from notnow.storage.tables import Webhook

    ws = _workspace(ctx)
    with ws.db.read() as s:
        sealed = s.scalar(select(Webhook.id).where(Webhook.secret_sealed.is_not(None)).limit(1))
    box = secret_box(ws) if sealed is not None else None
    with HttpSender(target_policy(ws)) as sender:
        while True:
            report = send_due(ws.db, now=ws.now(), sender=sender, box=box, environ=os.environ,
                              limit=500, batch=50)
            if report.delivered + report.retrying + report.failed + report.skipped == 0:
                return
            if not ctx.heartbeat():
                return


def send_digests(ctx: JobContext) -> None:
    from notnow.services.reach.digest import send_due

    report = send_due(_workspace(ctx), environ=os.environ)
    if report.failed:
        raise Retry("; ".join(report.errors)[:500], after=timedelta(minutes=5))


def sync_calendars(ctx: JobContext) -> None:
    from notnow.services.reach.caldav import sync_all

    _, errors = sync_all(_workspace(ctx), environ=os.environ)
    if errors:
        raise Retry("; ".join(errors)[:500], after=timedelta(minutes=15))


def announce_due(ctx: JobContext) -> None:
    from notnow.services.reach.outbox import followups_due

    ws = _workspace(ctx)
    with ws.db.write() as s:
        followups_due(s, ws.today(), ws.now())


def register(registry: Registry) -> None:
    from notnow.services.reach import schedule

    registry.register(JobKind(schedule.WEBHOOKS, deliver_webhooks,
                              every=schedule.EVERY[schedule.WEBHOOKS],
                              lock_for=timedelta(minutes=20), max_attempts=3))
    registry.register(JobKind(schedule.DIGEST, send_digests,
                              every=schedule.EVERY[schedule.DIGEST], max_attempts=2))
    registry.register(JobKind(schedule.CALDAV, sync_calendars,
                              every=schedule.EVERY[schedule.CALDAV], max_attempts=2))
    registry.register(JobKind(schedule.FOLLOWUPS_DUE, announce_due,
                              every=schedule.EVERY[schedule.FOLLOWUPS_DUE]))
