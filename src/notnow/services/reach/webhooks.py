"""Webhooks as use cases: who may add, see, test and remove them, and with which key.

Who manages what (docs/reach.md, "Who manages webhooks"):

* a **workspace webhook** (``kind`` standard or slack, no owner) carries events about
  everyone's records to another tool or a team channel: **admins** add, list, test and
  remove them, and read their delivery log;
* a **personal Slack target** (``kind`` slack, owned by a person) carries only events about
  records its owner may read: **anyone** adds one for themselves, and sees, tests and removes
  only their own. An admin's Slack target is the workspace's.

Another person's webhook answers exactly like a missing one. The signing secret is sealed
with the workspace key (``reach.key`` in the workspace folder, made on first use, readable by
its owner only) or read from the environment variable named with ``secret_env``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from notnow.core.policy import Actor, may_manage_people
from notnow.errors import InvalidInput, NotFound, PermissionDenied
from notnow.reach import webhooks as lib
from notnow.reach.events import EVENT_TYPES
from notnow.reach.secrets import SecretBox, load_or_create_key
from notnow.services.reach import schedule
from notnow.services.workspace import Workspace
from notnow.storage.tables import Webhook

KEY_FILE = "reach.key"


@dataclass(frozen=True)
class TestResult:
    webhook_id: int
    delivered: bool
    status_code: int | None
    error: str | None
    next_attempt_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"webhook_id": self.webhook_id, "delivered": self.delivered,
                "status_code": self.status_code, "error": self.error,
                "next_attempt_at": self.next_attempt_at}


def secret_box(ws: Workspace) -> SecretBox:
    """The workspace key's box (the key file is made on first use)."""
    return SecretBox(load_or_create_key(ws.config.home / KEY_FILE))


def target_policy(ws: Workspace) -> lib.TargetPolicy:
    """Where deliveries may go: on PostgreSQL (team mode) private networks are refused;
    loopback stays allowed for a receiver on the same machine."""
    return lib.TargetPolicy(refuse_private=not ws.config.is_sqlite, allow_loopback=True)


def _visible(actor: Actor, row: Webhook | None) -> bool:
    return row is not None and (may_manage_people(actor) or row.owner_id == actor.id)


def _get(ws: Workspace, actor: Actor, webhook_id: int) -> Webhook:
    with ws.db.read() as s:
        row = s.get(Webhook, webhook_id)
        if not _visible(actor, row):
            raise NotFound(f"no webhook with id {webhook_id}", field="id")
        assert row is not None
        s.expunge(row)
        return row


def add_webhook(ws: Workspace, actor: Actor, url: str, events: str | list[str], *,
                secret_env: str | None = None, kind: str = "standard") -> lib.NewWebhook:
    """Subscribe ``url`` to ``events``. Admins add the workspace's webhooks; anyone else may
    add a Slack target of their own (it carries only what they may read)."""
    admin = may_manage_people(actor)
    if not admin and kind != "slack":
        raise PermissionDenied("only an admin adds a webhook for the workspace; you may add "
                               "a Slack target of your own (--kind slack)")
    box = None if secret_env else secret_box(ws)
    made = lib.add_webhook(ws.db, url, events, created_by=actor.id, now=ws.now(), box=box,
                           secret_env=secret_env, kind=kind,
                           owner_id=None if admin else actor.id)
    from notnow.services.team.audit import record

    with ws.db.write() as s:
        schedule.ensure(s, schedule.WEBHOOKS, ws.now())
        if "followup.due" in made.webhook.events:
            schedule.ensure(s, schedule.FOLLOWUPS_DUE, ws.now())
        record(s, actor, "webhook.added", "webhook", made.webhook.id, at=ws.now(),
               owner_id=made.webhook.owner_id,
               after={"url": _shown(url), "kind": kind, "events": made.webhook.events})
    return made


def list_webhooks(ws: Workspace, actor: Actor) -> list[lib.WebhookInfo]:
    """An admin sees every webhook; anyone else their own Slack targets."""
    hooks = lib.list_webhooks(ws.db)
    return [h for h in hooks if may_manage_people(actor) or h.owner_id == actor.id]


def remove_webhook(ws: Workspace, actor: Actor, webhook_id: int) -> lib.WebhookInfo:
    _get(ws, actor, webhook_id)
    info = lib.remove_webhook(ws.db, webhook_id)
    from notnow.services.team.audit import record

    with ws.db.write() as s:
        record(s, actor, "webhook.removed", "webhook", webhook_id, at=ws.now(),
               owner_id=info.owner_id, before={"kind": info.kind, "events": info.events})
    return info


def test_webhook(ws: Workspace, actor: Actor, webhook_id: int, *,
                 environ: Mapping[str, str]) -> TestResult:
    """The test button: a ``webhook.test`` event sent now; the attempt is in the log (and,
    if it failed, retried like any delivery)."""
    row = _get(ws, actor, webhook_id)
    if not row.active:
        raise InvalidInput(f"webhook {webhook_id} is switched off"
                           f"{': ' + row.disabled_reason if row.disabled_reason else ''}; "
                           "add it again", field="id")
    box = secret_box(ws) if row.secret_sealed else None
    with lib.HttpSender(target_policy(ws)) as sender:
        outcome = lib.send_test(ws.db, webhook_id, now=ws.now(), sender=sender, box=box,
                                environ=environ)
    return TestResult(webhook_id, outcome.delivered, outcome.status_code, outcome.error,
                      outcome.retry_at.isoformat() if outcome.retry_at else None)


def delivery_log(ws: Workspace, actor: Actor, webhook_id: int, *,
                 limit: int = 50) -> list[dict[str, Any]]:
    """The webhook's latest deliveries, newest first (no bodies)."""
    if not 1 <= limit <= 500:
        raise InvalidInput("show between 1 and 500 deliveries", field="limit")
    _get(ws, actor, webhook_id)
    return lib.delivery_log(ws.db, webhook_id, limit=limit)


def event_catalogue() -> dict[str, str]:
    return dict(EVENT_TYPES)


def _shown(url: str) -> str:
    """A URL as the audit trail keeps it: its origin only (a path or query may be a secret)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/…"
