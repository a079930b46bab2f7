"""JSON API: your calendar feed, morning mail and calendar server; the workspace's mail server
and webhooks (admins; anyone their own Slack targets)."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from notnow.reach.smtp import SmtpConfig
from notnow.services.reach import caldav, digest, feed, webhooks
from notnow.web.auth import check_csrf
from notnow.web.deps import ActorDep, Id, WsDep
from notnow.web.errors import ERROR_RESPONSES

router = APIRouter(dependencies=[Depends(check_csrf)], responses=ERROR_RESPONSES,
                   tags=["reach"])


class FeedPublic(BaseModel):
    exists: bool
    token: str | None = Field(default=None, description="Only when just made or rotated.")
    path: str | None = Field(default=None, description="Only when just made or rotated.")
    url: str | None = Field(default=None, description="The address to subscribe to (this "
                            "server's host); only when just made or rotated.")
    created_at: datetime | None = None
    rotated_at: datetime | None = None
    last_fetched_at: datetime | None = None


class FeedRequest(BaseModel):
    rotate: bool = Field(default=False, description="A new address; the old one stops at once.")


class DigestPublic(BaseModel):
    enabled: bool
    send_at: str
    timezone: str
    weekly_note: bool


class DigestChange(BaseModel):
    enabled: bool | None = None
    send_at: str | None = Field(default=None, max_length=5, description="HH:MM, local time.")
    timezone: str | None = Field(default=None, max_length=64, description="IANA time zone.")
    weekly_note: bool | None = Field(default=None, description="Managers: Mondays too.")


class SmtpChange(BaseModel):
    host: str = Field(max_length=255)
    from_address: str = Field(max_length=320)
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = Field(default=None, max_length=320)
    password_env: str | None = Field(default=None, max_length=100,
                                     description="The worker's environment variable that "
                                     "holds the password (never the password).")


class CaldavChange(BaseModel):
    url: str = Field(max_length=1000)
    username: str = Field(max_length=320)
    password_env: str | None = Field(default=None, max_length=100)
    keyring: str | None = Field(default=None, max_length=190)
    calendar: str = Field(default="notnow", max_length=300)


class WebhookCreate(BaseModel):
    url: str = Field(max_length=2000)
    events: list[str] = Field(min_length=1, max_length=20)
    secret_env: str | None = Field(default=None, max_length=100)
    kind: Literal["standard", "slack"] = "standard"


def _feed(request: Request, ticket: Any, exists: bool = True) -> FeedPublic:
    url = str(request.base_url).rstrip("/") + ticket.path if ticket.path else None
    return FeedPublic(exists=exists, token=ticket.token, path=ticket.path, url=url,
                      created_at=ticket.created_at, rotated_at=ticket.rotated_at,
                      last_fetched_at=ticket.last_fetched_at)


@router.get("/calendar/feed")
def get_feed(ws: WsDep, actor: ActorDep) -> FeedPublic:
    """Whether you have a calendar feed (its address was shown once: rotate for a new one)."""
    found = feed.feed_status(ws, actor)
    return FeedPublic(exists=found is not None, **(found or {}))


@router.post("/calendar/feed")
def make_feed(request: Request, ws: WsDep, actor: ActorDep, body: FeedRequest) -> FeedPublic:
    """Your feed's address: made if you have none, or a new one with ``rotate`` (shown in
    this answer only)."""
    return _feed(request, feed.my_feed(ws, actor, rotate=body.rotate))


@router.get("/digest")
def get_digest(ws: WsDep, actor: ActorDep) -> DigestPublic:
    """Your morning-mail settings."""
    return DigestPublic(**digest.digest_settings(ws, actor).to_dict())


@router.put("/digest")
def put_digest(ws: WsDep, actor: ActorDep, body: DigestChange) -> DigestPublic:
    """Turn your morning mail on or off, choose its time and time zone."""
    prefs = digest.set_digest(ws, actor, **body.model_dump())
    return DigestPublic(**prefs.to_dict())


@router.get("/smtp")
def get_smtp(ws: WsDep, actor: ActorDep) -> dict[str, Any] | None:
    """The workspace's mail server (never a password)."""
    found = digest.smtp_settings(ws, actor)
    return found.public() if found else None


@router.put("/smtp")
def put_smtp(ws: WsDep, actor: ActorDep, body: SmtpChange) -> dict[str, Any]:
    """Set the workspace's mail server (admins)."""
    return digest.set_smtp(ws, actor, SmtpConfig(**body.model_dump())).public()


@router.get("/caldav")
def get_caldav(ws: WsDep, actor: ActorDep) -> dict[str, Any] | None:
    """Your calendar server: address, user, calendar, last sync and last error."""
    found = caldav.status(ws, actor)
    return found.to_dict() if found else None


@router.put("/caldav")
def put_caldav(ws: WsDep, actor: ActorDep, body: CaldavChange) -> dict[str, Any]:
    """Connect your calendar server (the password stays where you say it is)."""
    return caldav.connect(ws, actor, url=body.url, username=body.username,
                          password_env=body.password_env, keyring_service=body.keyring,
                          calendar=body.calendar).to_dict()


@router.delete("/caldav")
def delete_caldav(ws: WsDep, actor: ActorDep) -> dict[str, Any]:
    """Forget your calendar server."""
    caldav.disconnect(ws, actor)
    return {"connected": False}


@router.get("/webhooks")
def list_webhooks(ws: WsDep, actor: ActorDep) -> list[dict[str, Any]]:
    """The webhooks you manage (admins: all; anyone else: their own Slack targets)."""
    return [h.to_dict() for h in webhooks.list_webhooks(ws, actor)]


@router.post("/webhooks", status_code=201)
def add_webhook(ws: WsDep, actor: ActorDep, body: WebhookCreate) -> dict[str, Any]:
    """Subscribe an address to events; the signing secret is in this answer only."""
    made = webhooks.add_webhook(ws, actor, body.url, body.events, secret_env=body.secret_env,
                                kind=body.kind)
    return {**made.webhook.to_dict(), "signing_secret": made.secret}


@router.delete("/webhooks/{webhook_id}")
def remove_webhook(ws: WsDep, actor: ActorDep, webhook_id: Id) -> dict[str, Any]:
    """Remove a webhook and its delivery log."""
    return webhooks.remove_webhook(ws, actor, webhook_id).to_dict()


@router.post("/webhooks/{webhook_id}/test")
def test_webhook(ws: WsDep, actor: ActorDep, webhook_id: Id) -> dict[str, Any]:
    """Send a ``webhook.test`` event now: what the receiver answered."""
    return webhooks.test_webhook(ws, actor, webhook_id, environ=os.environ).to_dict()


@router.get("/webhooks/{webhook_id}/deliveries")
def deliveries(ws: WsDep, actor: ActorDep, webhook_id: Id,
               limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[dict[str, Any]]:
    """The webhook's latest deliveries, newest first."""
    return webhooks.delivery_log(ws, actor, webhook_id, limit=limit)
