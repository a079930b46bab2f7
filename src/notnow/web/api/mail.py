"""JSON API: mailboxes (connect, list, remove, sync now), the mail read, reply drafts."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from notnow.services.mail import drafts, mailboxes, messages
from notnow.services.mail.mailboxes import MailboxPublic
from notnow.services.mail.messages import MailMessagePublic
from notnow.web.auth import check_csrf
from notnow.web.deps import ActorDep, Page, PagingDep, WsDep, page_of
from notnow.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/mail", dependencies=[Depends(check_csrf)],
                   responses=ERROR_RESPONSES, tags=["mail"])

Name = Annotated[str, Path(min_length=1, max_length=100, description="The mailbox's name.")]


class MailboxCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="A name for the mailbox.")
    host: str = Field(min_length=1, max_length=255, description="The IMAP server.")
    port: int | None = Field(default=None, ge=1, le=65535)
    username: str = Field(min_length=1, max_length=320)
    password_env: str | None = Field(default=None, max_length=128, description="The "
                                     "environment variable holding the (app) password, on "
                                     "the machine that syncs (never the password).")
    oauth2_token_env: str | None = Field(default=None, max_length=128, description="The "
                                         "environment variable holding an OAuth2 token.")
    security: Literal["tls", "starttls", "none"] = "tls"
    folder: str = Field(default="INBOX", max_length=255)
    sent_folder: str | None = Field(default="Sent", max_length=255)
    drafts_folder: str | None = Field(default="Drafts", max_length=255)
    addresses: list[str] = Field(default_factory=list, max_length=50,
                                 description="Your other addresses (aliases).")
    everything: bool = Field(default=False, description="Also read mail from people at no "
                             "known account.")


class SyncQueued(BaseModel):
    mailbox: str
    job_id: int
    run_at: Any


class DraftCreate(BaseModel):
    rejection_id: int = Field(ge=1, le=2**31 - 1)
    mailbox: str | None = Field(default=None, max_length=100)
    text: str | None = Field(default=None, max_length=100_000,
                             description="Your own reply (default: notnow's calm reply).")


@router.get("/mailboxes")
def list_mailboxes(ws: WsDep, actor: ActorDep, paging: PagingDep) -> Page[MailboxPublic]:
    """Your mailboxes, with their last sync and its error in plain words."""
    rows = mailboxes.list_mailboxes(ws, actor)
    return page_of(rows[paging.offset:paging.offset + paging.fetch], paging)


@router.post("/mailboxes", status_code=201)
def connect_mailbox(ws: WsDep, actor: ActorDep, body: MailboxCreate) -> MailboxPublic:
    """Connect a mailbox (or change yours of the same name); the secret is never sent here,
    only the name of the environment variable that holds it."""
    data = body.model_dump()
    name = data.pop("name")
    return mailboxes.connect_mailbox(ws, actor, name, **data)


@router.delete("/mailboxes/{name}")
def remove_mailbox(ws: WsDep, actor: ActorDep, name: Name) -> MailboxPublic:
    """Forget a mailbox (what its mail led to stays)."""
    return mailboxes.remove_mailbox(ws, actor, name)


@router.post("/mailboxes/{name}/sync", status_code=202)
def sync_now(ws: WsDep, actor: ActorDep, name: Name) -> SyncQueued:
    """Sync now: the worker runs the mailbox's sync at once."""
    return SyncQueued(**mailboxes.request_sync(ws, actor, name))


@router.get("/messages")
def list_messages(ws: WsDep, actor: ActorDep, paging: PagingDep,
                  outcome: Annotated[str | None, Query(max_length=30)] = None,
                  contact_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                  ) -> Page[MailMessagePublic]:
    """The messages read from mail and what each became (rejection, touch, …)."""
    return page_of(messages.list_messages(ws, actor, outcome=outcome, contact=contact_id,
                                          limit=paging.fetch, offset=paging.offset), paging)


@router.post("/drafts", status_code=201)
def place_draft(request: Request, ws: WsDep, actor: ActorDep,
                body: DraftCreate) -> dict[str, Any]:
    """Place a reply to a rejection in your mailbox's Drafts folder (never sent)."""
    return drafts.place_draft(ws, actor, body.rejection_id, environ=request.app.state.environ,
                              mailbox=body.mailbox, text=body.text)
