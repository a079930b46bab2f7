"""The mail job kinds the worker runs: ``mail.sync`` (recurring, one per mailbox).

`notnow mail connect` queues a mailbox's sync job (key ``mailbox:ID``, every
:data:`SYNC_EVERY`); the worker runs it as the mailbox's owner. A server that cannot be
reached, refuses the login or cuts the connection is retried with back-off (the error is on
the mailbox, in plain words, meanwhile); a mailbox removed, or whose owner was disabled, ends
its job.
"""

from __future__ import annotations

from datetime import timedelta

from notnow.errors import MailServerError, NotFound
from notnow.worker.registry import GiveUp, JobContext, JobKind, Registry, Retry

SYNC_EVERY = timedelta(minutes=5)


def register(registry: Registry) -> None:
    registry.register(JobKind("mail.sync", run_sync, every=SYNC_EVERY, max_attempts=5,
                              lock_for=timedelta(minutes=15)))


def run_sync(ctx: JobContext) -> None:
    """Sync one mailbox, as its owner."""
    from notnow.services.mail.sync import sync_mailbox
    from notnow.services.team.acting import actor_for
    from notnow.storage.tables import Mailbox

    ws = ctx.workspace
    if ws is None:
        raise GiveUp("the worker was started without a workspace")
    box_id = ctx.payload.get("mailbox")
    if not isinstance(box_id, int):
        raise GiveUp("the job names no mailbox")
    with ws.db.read() as s:
        box = s.get(Mailbox, box_id)
        owner_id = box.owner_id if box is not None else None
        enabled = bool(box.enabled) if box is not None else False
    if owner_id is None:
        raise GiveUp(f"mailbox {box_id} was removed")
    if not enabled:
        return
    actor = actor_for(ws, owner_id)
    if actor is None:
        raise GiveUp(f"the owner of mailbox {box_id} is disabled")
    try:
        sync_mailbox(ws, actor, box_id, environ=ctx.environ, heartbeat=ctx.heartbeat)
    except MailServerError as exc:
        raise Retry(exc.message) from None
    except NotFound as exc:  # the secret is not set in the worker's environment
        raise Retry(exc.message, after=timedelta(minutes=15)) from None
