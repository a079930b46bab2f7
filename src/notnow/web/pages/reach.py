"""The reach settings page (``/settings/reach``): your calendar feed (its address shown once,
and rotated here), your morning mail, your calendar server; the workspace's mail server and
webhooks with a test button and the delivery log (admins; anyone their own Slack targets)."""

from __future__ import annotations

import os
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from notnow.core.policy import Actor, may_manage_people
from notnow.reach.events import EVENT_TYPES
from notnow.reach.smtp import SmtpConfig
from notnow.services.reach import caldav, digest, feed, webhooks
from notnow.services.workspace import Workspace
from notnow.web.auth import check_csrf
from notnow.web.deps import ActorDep, Id, WsDep
from notnow.web.render import page

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
BACK = "/settings/reach"


def _page(request: Request, ws: Workspace, actor: Actor, **extra: Any) -> Response:
    hooks = webhooks.list_webhooks(ws, actor)
    logs = {h.id: webhooks.delivery_log(ws, actor, h.id, limit=10) for h in hooks}
    return page(request, "settings_reach.html", {
        "feed": feed.feed_status(ws, actor), "digest": digest.digest_settings(ws, actor),
        "smtp": digest.smtp_settings(ws, actor), "caldav": caldav.status(ws, actor),
        "hooks": hooks, "logs": logs, "events": EVENT_TYPES,
        "admin": may_manage_people(actor), "base": str(request.base_url).rstrip("/"),
        **extra})


@router.get("/settings/reach")
def settings_page(request: Request, ws: WsDep, actor: ActorDep) -> Response:
    return _page(request, ws, actor)


@router.post("/settings/reach/feed")
def rotate_feed(request: Request, ws: WsDep, actor: ActorDep) -> Response:
    """Make (or rotate) your feed: the page shows the new address this once."""
    ticket = feed.my_feed(ws, actor, rotate=feed.feed_status(ws, actor) is not None)
    return _page(request, ws, actor, new_feed=ticket)


@router.post("/settings/reach/digest")
def save_digest(ws: WsDep, actor: ActorDep,
                enabled: Annotated[str, Form(max_length=3)] = "off",
                send_at: Annotated[str, Form(max_length=5)] = "07:30",
                timezone: Annotated[str, Form(max_length=64)] = "UTC",
                weekly_note: Annotated[str, Form(max_length=3)] = "off") -> Response:
    digest.set_digest(ws, actor, enabled=enabled == "on", send_at=send_at, timezone=timezone,
                      weekly_note=(weekly_note == "on") if actor.is_manager or actor.is_admin
                      else None)
    return RedirectResponse(BACK, status_code=303)


@router.post("/settings/reach/smtp")
def save_smtp(ws: WsDep, actor: ActorDep, host: Annotated[str, Form(max_length=255)],
              from_address: Annotated[str, Form(max_length=320)],
              port: Annotated[int, Form(ge=1, le=65535)] = 587,
              security: Annotated[str, Form(max_length=10)] = "starttls",
              username: Annotated[str, Form(max_length=320)] = "",
              password_env: Annotated[str, Form(max_length=100)] = "") -> Response:
    digest.set_smtp(ws, actor, SmtpConfig(host, from_address, port, security, username or None,
                                          password_env or None))
    return RedirectResponse(BACK, status_code=303)


@router.post("/settings/reach/caldav")
def connect_caldav(ws: WsDep, actor: ActorDep, url: Annotated[str, Form(max_length=1000)],
                   username: Annotated[str, Form(max_length=320)],
                   password_env: Annotated[str, Form(max_length=100)],
                   calendar: Annotated[str, Form(max_length=300)] = "notnow") -> Response:
    caldav.connect(ws, actor, url=url, username=username, password_env=password_env,
                   calendar=calendar)
    return RedirectResponse(BACK, status_code=303)


@router.post("/settings/reach/caldav/remove")
def disconnect_caldav(ws: WsDep, actor: ActorDep) -> Response:
    caldav.disconnect(ws, actor)
    return RedirectResponse(BACK, status_code=303)


@router.post("/settings/reach/webhooks")
def add_webhook(request: Request, ws: WsDep, actor: ActorDep,
                url: Annotated[str, Form(max_length=2000)],
                events: Annotated[list[str], Form(max_length=20)],
                kind: Annotated[str, Form(max_length=10)] = "standard",
                secret_env: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Add a webhook: the page shows its signing secret this once."""
    made = webhooks.add_webhook(ws, actor, url, events, secret_env=secret_env or None,
                                kind=kind)
    return _page(request, ws, actor, new_hook=made)


@router.post("/settings/reach/webhooks/{webhook_id}/test")
def test_webhook(request: Request, ws: WsDep, actor: ActorDep, webhook_id: Id) -> Response:
    result = webhooks.test_webhook(ws, actor, webhook_id, environ=os.environ)
    return _page(request, ws, actor, tested=result)


@router.post("/settings/reach/webhooks/{webhook_id}/remove")
def remove_webhook(ws: WsDep, actor: ActorDep, webhook_id: Id) -> Response:
    webhooks.remove_webhook(ws, actor, webhook_id)
    return RedirectResponse(BACK, status_code=303)
