"""Background jobs from a table in the database (mail sync, drafts; later feeds, webhooks).

    registry = Registry([JobKind("mail.sync", sync, every=timedelta(minutes=5))])
    enqueue(db, "mail.sync", {"mailbox": 3}, key="mailbox:3", now=clock.now(),
            every=timedelta(minutes=5))
    Worker(db, registry).run_once()      # `notnow worker --once`
    Worker(db, registry).run_forever()   # `notnow worker`; stops cleanly on SIGTERM/SIGINT
"""

from notnow.worker.jobs import ClaimedJob, claim, enqueue, extend_lock, fail, finish, prune
from notnow.worker.registry import GiveUp, JobContext, JobKind, Registry, Retry
from notnow.worker.runner import RunSummary, Worker

__all__ = [
    "ClaimedJob",
    "GiveUp",
    "JobContext",
    "JobKind",
    "Registry",
    "Retry",
    "RunSummary",
    "Worker",
    "claim",
    "enqueue",
    "extend_lock",
    "fail",
    "finish",
    "prune",
]
