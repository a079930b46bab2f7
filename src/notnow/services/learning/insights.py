"""The insights page kept ready: the loss report's figures for each scope, stored with the data
version they were computed at, shown at once, and computed again by the worker — not in the
request — when the data has changed.

The loss report reads the whole history (seconds at 100,000 contacts: ``bench/bench_pages.py``);
the page is opened far more often than its figures change. So:

- **the data version** is a fingerprint of what the report reads, one query of index look-ups:
  the newest id of each table it counts and of the audit trail (every edit, merge, deletion,
  done or skip appends to it), the team's settings, the day (figures are "as of" today) and
  this code's version. Nothing a write path has to remember to bump.
- **figures of the current version** are shown as they are; **older ones** are shown with
  when they were computed while a job (``insights.compute``, run by ``notnow worker`` or the
  local server's worker) computes the new ones; with **none yet**, the page says the figures
  are being computed and offers to look again.
- A workspace whose report is quick (a small history, or its last computation took under
  ``INLINE_SECONDS``) is computed in the request, as before: the demo and a new team see
  their figures at once.

The figures are stored with the version read *before* computing, so a write made meanwhile
makes them stale, never wrong for their version. Who may see which scope is decided before any
of this (:func:`notnow.services.learning.reports.resolve_scope`): the key is the scope, not the
person, so a manager and an admin looking at the same team share one computation.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from notnow import __version__
from notnow.core.policy import Actor
from notnow.services.learning.reports import Report, Scope, build_report, resolve_scope
from notnow.services.workspace import Workspace
from notnow.storage.tables import (
    Account,
    AuditEvent,
    Autopsy,
    Contact,
    Deal,
    FollowUp,
    ImportChange,
    InsightFigures,
    Rejection,
    Touch,
    User,
)

KIND = "insights.compute"
INLINE_SECONDS = 0.3
"""A report that took less than this the last time is computed again in the request."""
INLINE_ROWS = 20_000
"""With no figures yet: rejections and touches below this are computed in the request."""

Render = Callable[[Report], str]
"""Turns a report into the page's figures (an HTML fragment): the web edge's renderer."""

COUNTED = (Rejection, Touch, Deal, Contact, Account, FollowUp, Autopsy, User, ImportChange,
           AuditEvent)


@dataclass(frozen=True)
class Figures:
    """What the insights page shows for one scope."""

    body: str | None
    """The figures (None: none computed yet)."""
    scope: str
    computed_at: datetime | None
    current: bool
    """False: the data changed since ``computed_at``; newer figures are being computed."""


def scope_key(scope: Scope) -> str:
    """The scope as a key (its day left out: the day is in the data version)."""
    who = (f"user:{scope.user_id}" if scope.user_id is not None
           else "all" if scope.team_ids is None
           else "team:" + ",".join(str(i) for i in sorted(scope.team_ids)))
    key = f"{who}|since:{scope.since.isoformat() if scope.since else '-'}"
    return key if len(key) <= 200 else "h:" + hashlib.sha256(key.encode()).hexdigest()


def data_version(ws: Workspace, s: Session) -> str:
    """The fingerprint of what the report reads (see the module's docstring)."""
    from notnow.services.playbook import playbook_in

    newest = s.execute(select(*[select(func.max(m.id)).scalar_subquery()
                                for m in COUNTED])).one()
    edited = s.scalar(select(func.max(Autopsy.updated_at)))
    settings = hashlib.sha256(repr(playbook_in(s).settings).encode()).hexdigest()[:16]
    return "|".join([__version__, ws.today().isoformat(), settings,
                     ",".join(str(n or 0) for n in newest), str(edited or "")])


def _stored(s: Session, key: str) -> InsightFigures | None:
    return s.get(InsightFigures, key)


def _small(s: Session) -> bool:
    rows = sum(int(s.scalar(select(func.max(m.id))) or 0) for m in (Rejection, Touch))
    return rows < INLINE_ROWS


def figures(ws: Workspace, actor: Actor, render: Render, *, since: date | None = None,
            for_user: int | None = None) -> Figures:
    """The insights of ``actor``'s scope (see :func:`resolve_scope`): current ones, computed
    here when that is quick, else the last ones while the worker computes new ones."""
    from notnow.worker.jobs import enqueue

    scope = resolve_scope(ws, actor, since=since, for_user=for_user)
    key = scope_key(scope)
    with ws.db.read() as s:
        version = data_version(ws, s)
        row = _stored(s, key)
        kept = None if row is None else (row.version, row.body, row.scope, row.computed_at,
                                         row.seconds)
        quick = (kept is not None and kept[4] < INLINE_SECONDS) or _small(s)
    if kept is not None and kept[0] == version:
        return Figures(kept[1], kept[2], kept[3], current=True)
    if quick:
        return compute(ws, scope, render, version=version)
    enqueue(ws.db, KIND, {"actor": actor.id, "since": since.isoformat() if since else None,
                          "for_user": for_user}, now=ws.now(), key=key[:200], max_attempts=2)
    if kept is None:
        return Figures(None, scope.describe(), None, current=False)
    return Figures(kept[1], kept[2], kept[3], current=False)


def compute(ws: Workspace, scope: Scope, render: Render, *,
            version: str | None = None) -> Figures:
    """Build the report of ``scope``, render it and keep it under the version read before."""
    if version is None:
        with ws.db.read() as s:
            version = data_version(ws, s)
    t0 = time.perf_counter()
    body = render(build_report(ws, scope))
    seconds = time.perf_counter() - t0
    now = ws.now()
    key = scope_key(scope)
    try:
        with ws.db.write() as s:
            row = _stored(s, key)
            if row is None:
                s.add(InsightFigures(key=key, version=version, computed_at=now,
                                     seconds=seconds, scope=scope.describe(), body=body))
            else:
                row.version, row.computed_at, row.seconds = version, now, seconds
                row.scope, row.body = scope.describe(), body
    except IntegrityError:
        pass  # another request or worker stored the same scope's figures meanwhile
    return Figures(body, scope.describe(), now, current=True)


def refresh(ws: Workspace, actor: Actor, render: Render, *, since: date | None = None,
            for_user: int | None = None) -> Figures:
    """Compute the figures of ``actor``'s scope now, unless they are current (the job)."""
    scope = resolve_scope(ws, actor, since=since, for_user=for_user)
    with ws.db.read() as s:
        version = data_version(ws, s)
        row = _stored(s, scope_key(scope))
        if row is not None and row.version == version:
            return Figures(row.body, row.scope, row.computed_at, current=True)
    return compute(ws, scope, render, version=version)


def payload_of(data: dict[str, Any]) -> tuple[int, date | None, int | None]:
    """A job's payload: the person it is for, the start and whose figures."""
    since = data.get("since")
    return (int(data["actor"]), date.fromisoformat(since) if since else None,
            int(data["for_user"]) if data.get("for_user") is not None else None)
