"""The mail page: your mailboxes, each one's last sync and its errors in plain words, a
"sync now" button, and the form to connect one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from notnow.errors import NotnowError
from notnow.services.mail import mailboxes
from notnow.web.auth import check_csrf
from notnow.web.deps import ActorDep, WsDep
from notnow.web.render import page

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)


@router.get("/mail")
def mail_page(request: Request, ws: WsDep, actor: ActorDep) -> Response:
    return page(request, "mail.html", {"boxes": mailboxes.list_mailboxes(ws, actor),
                                       "error": None, "form": {}})


@router.post("/mail/connect")
def connect(request: Request, ws: WsDep, actor: ActorDep,
            name: Annotated[str, Form(max_length=100)],
            host: Annotated[str, Form(max_length=255)],
            username: Annotated[str, Form(max_length=320)],
            secret_env: Annotated[str, Form(max_length=128)],
            auth: Annotated[str, Form(max_length=10)] = "password",
            security: Annotated[str, Form(max_length=10)] = "tls",
            port: Annotated[str, Form(max_length=5)] = "",
            folder: Annotated[str, Form(max_length=255)] = "INBOX",
            sent_folder: Annotated[str, Form(max_length=255)] = "Sent",
            drafts_folder: Annotated[str, Form(max_length=255)] = "Drafts",
            everything: Annotated[str, Form(max_length=3)] = "") -> Response:
    """Connect a mailbox from the form; a problem is shown in place, the form kept."""
    form = {"name": name, "host": host, "username": username, "secret_env": secret_env,
            "auth": auth, "security": security, "port": port, "folder": folder,
            "sent_folder": sent_folder, "drafts_folder": drafts_folder}
    try:
        oauth2 = auth == "oauth2"
        mailboxes.connect_mailbox(
            ws, actor, name, host=host, username=username, security=security,
            port=int(port) if port.strip().isdigit() else None, folder=folder,
            sent_folder=sent_folder, drafts_folder=drafts_folder,
            everything=everything == "yes",
            password_env=None if oauth2 else secret_env,
            oauth2_token_env=secret_env if oauth2 else None)
    except NotnowError as exc:
        return page(request, "mail.html", {"boxes": mailboxes.list_mailboxes(ws, actor),
                                           "error": exc.message, "form": form},
                    status_code=400)
    return RedirectResponse("/mail", status_code=303)


@router.post("/mail/{name}/sync")
def sync_now(ws: WsDep, actor: ActorDep, name: str) -> Response:
    """Sync now: the worker runs this mailbox's sync at once."""
    mailboxes.request_sync(ws, actor, name)
    return RedirectResponse("/mail", status_code=303)


@router.post("/mail/{name}/remove")
def remove(ws: WsDep, actor: ActorDep, name: str) -> Response:
    mailboxes.remove_mailbox(ws, actor, name)
    return RedirectResponse("/mail", status_code=303)
