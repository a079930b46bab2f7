"""Fix what was typed, from the browser: edit forms for an account, a contact and a deal; a
deal's won / lost; delete, merge, and the trash to restore from. Each form posts to the same
services as the CLI and the API; on an error the form comes back with what was typed and the
message next to its field."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from notnow.core.model import DealStatus, Role, Stage
from notnow.errors import NotFound, NotnowError
from notnow.services.records import accounts, contacts, deals, edit, merge, trash
from notnow.web.auth import check_csrf
from notnow.web.deps import ActorDep, Id, WsDep
from notnow.web.render import page

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)

Text = Annotated[str, Form(max_length=2000)]
Other = Annotated[str, Form(max_length=300)]

ACCOUNT_FIELDS = (("name", "Name", "text"), ("domain", "Web domain", "text"),
                  ("industry", "Industry", "text"), ("employees", "People", "number"),
                  ("country", "Country (two letters)", "text"), ("city", "City", "text"),
                  ("timezone", "Time zone (e.g. Europe/Paris)", "text"),
                  ("rapport_notes", "Rapport notes", "textarea"))
CONTACT_FIELDS = (("name", "Name", "text"), ("title", "Title", "text"),
                  ("role", "Role", "role"), ("department", "Department", "text"),
                  ("location", "Location", "text"), ("email", "Email", "email"),
                  ("phone", "Phone", "tel"), ("linkedin", "LinkedIn profile", "url"),
                  ("timezone", "Time zone", "text"))
DEAL_FIELDS = (("offer", "Offer", "text"), ("value", "Value", "number"),
               ("currency", "Currency", "text"), ("stage", "Stage", "stage"))
CHOICES = {"role": [r.value for r in Role], "stage": [s.value for s in Stage]}
FIELD_NAMES = {f for group in (ACCOUNT_FIELDS, CONTACT_FIELDS, DEAL_FIELDS) for f, _, _ in group}


def _values(row: Any, fields: tuple[tuple[str, str, str], ...]) -> dict[str, str]:
    out = {}
    for name, _, _ in fields:
        value = getattr(row, name, None)
        value = getattr(value, "value", value)
        out[name] = "" if value is None else str(value)
    return out


async def _typed(request: Request, before: dict[str, str]) -> dict[str, str]:
    """What the form says, field by field (a field the form does not send keeps its value)."""
    form = await request.form()
    return {name: str(form[name])[:2000] if name in form else value
            for name, value in before.items()}


def _form(request: Request, kind: str, record: Any, fields: tuple[tuple[str, str, str], ...],
          values: dict[str, str], *, error: NotnowError | None = None, title: str,
          back: str, status_code: int = 200, extra: dict[str, Any] | None = None) -> Response:
    field = error.field if error is not None and error.field in FIELD_NAMES else None
    return page(request, "record_edit.html", {
        "kind": kind, "record": record, "fields": fields, "values": values,
        "choices": CHOICES, "error": error, "error_field": field, "title": title,
        "back": back, **(extra or {})}, status_code=status_code)


def _changes(values: dict[str, str], before: dict[str, str]) -> dict[str, Any]:
    """Only what was changed, as the services take it (an emptied field clears it)."""
    return {k: (v.strip() or None) for k, v in values.items() if v.strip() != before.get(k, "")}


# --- accounts -----------------------------------------------------------------------------------


@router.get("/accounts/{account_id}/edit")
def account_edit_page(request: Request, ws: WsDep, actor: ActorDep, account_id: Id) -> Response:
    acc = accounts.get_account(ws, actor, account_id)
    _writable(edit.edit_account, ws, actor, account_id)
    return _form(request, "account", acc, ACCOUNT_FIELDS, _values(acc, ACCOUNT_FIELDS),
                 title=f"Edit {acc.name}", back=f"/accounts/{acc.id}")


@router.post("/accounts/{account_id}/edit")
async def account_edit(request: Request, ws: WsDep, actor: ActorDep, account_id: Id) -> Response:
    acc = accounts.get_account(ws, actor, account_id)
    before = _values(acc, ACCOUNT_FIELDS)
    typed = await _typed(request, before)
    try:
        edit.edit_account(ws, actor, account_id, _changes(typed, before) or {"name": acc.name})
    except NotFound:
        raise
    except NotnowError as exc:
        return _form(request, "account", acc, ACCOUNT_FIELDS, typed, error=exc,
                     title=f"Edit {acc.name}", back=f"/accounts/{acc.id}", status_code=422)
    return RedirectResponse(f"/accounts/{account_id}?saved=1", status_code=303)


# --- contacts -----------------------------------------------------------------------------------


@router.get("/contacts/{contact_id}/edit")
def contact_edit_page(request: Request, ws: WsDep, actor: ActorDep, contact_id: Id) -> Response:
    c = contacts.show_contact(ws, actor, contact_id)
    _writable(edit.edit_contact, ws, actor, contact_id)
    return _form(request, "contact", c, CONTACT_FIELDS, _values(c, CONTACT_FIELDS),
                 title=f"Edit {c.name}", back=f"/contacts/{c.id}")


@router.post("/contacts/{contact_id}/edit")
async def contact_edit(request: Request, ws: WsDep, actor: ActorDep, contact_id: Id) -> Response:
    c = contacts.show_contact(ws, actor, contact_id)
    before = _values(c, CONTACT_FIELDS)
    typed = await _typed(request, before)
    try:
        out = edit.edit_contact(ws, actor, contact_id, _changes(typed, before) or {"name": c.name})
    except NotFound:
        raise
    except NotnowError as exc:
        return _form(request, "contact", c, CONTACT_FIELDS, typed, error=exc,
                     title=f"Edit {c.name}", back=f"/contacts/{c.id}", status_code=422)
    flag = "dnc" if out.message else "1"
    return RedirectResponse(f"/contacts/{contact_id}?saved={flag}", status_code=303)


# --- deals --------------------------------------------------------------------------------------


@router.get("/deals/{deal_id}")
def deal_page(request: Request, ws: WsDep, actor: ActorDep, deal_id: Id) -> Response:
    d = deals.show_deal(ws, actor, deal_id)
    return _form(request, "deal", d, DEAL_FIELDS, _values(d, DEAL_FIELDS),
                 title=f"{d.offer} at {d.account_name}", back=f"/accounts/{d.account_id}",
                 extra={"statuses": [s.value for s in DealStatus]})


@router.post("/deals/{deal_id}/edit")
async def deal_edit(request: Request, ws: WsDep, actor: ActorDep, deal_id: Id) -> Response:
    d = deals.show_deal(ws, actor, deal_id)
    before = _values(d, DEAL_FIELDS)
    typed = await _typed(request, before)
    try:
        edit.edit_deal(ws, actor, deal_id, _changes(typed, before) or {"offer": d.offer})
    except NotFound:
        raise
    except NotnowError as exc:
        return _form(request, "deal", d, DEAL_FIELDS, typed, error=exc,
                     title=f"{d.offer} at {d.account_name}", back=f"/accounts/{d.account_id}",
                     status_code=422, extra={"statuses": [s.value for s in DealStatus]})
    return RedirectResponse(f"/deals/{deal_id}?saved=1", status_code=303)


@router.post("/deals/{deal_id}/status")
def deal_status(request: Request, ws: WsDep, actor: ActorDep, deal_id: Id,
                status: Annotated[str, Form(max_length=30)],
                reason: Text = "") -> Response:
    """Won, lost (with the reason) or open again."""
    edit.set_status(ws, actor, deal_id, status, reason=reason or None)
    return RedirectResponse(f"/deals/{deal_id}?saved=1", status_code=303)


# --- delete, merge, restore -------------------------------------------------------------------


def _delete(ws: WsDep, actor: ActorDep, kind: str, record_id: int) -> Response:
    item = trash.delete_record(ws, actor, kind, record_id)
    return RedirectResponse(f"/trash?deleted={item.entity}", status_code=303)


def _merge(ws: WsDep, actor: ActorDep, kind: str, record_id: int, other: str) -> Response:
    done = merge.merge(ws, actor, kind, record_id, other.strip())
    return RedirectResponse(f"/{kind}s/{done.kept}?merged={done.merged}", status_code=303)


@router.post("/accounts/{account_id}/delete")
def account_delete(ws: WsDep, actor: ActorDep, account_id: Id) -> Response:
    """Delete an account with its contacts and deals (to the trash, for 30 days)."""
    return _delete(ws, actor, "account", account_id)


@router.post("/contacts/{contact_id}/delete")
def contact_delete(ws: WsDep, actor: ActorDep, contact_id: Id) -> Response:
    return _delete(ws, actor, "contact", contact_id)


@router.post("/deals/{deal_id}/delete")
def deal_delete(ws: WsDep, actor: ActorDep, deal_id: Id) -> Response:
    return _delete(ws, actor, "deal", deal_id)


@router.post("/accounts/{account_id}/merge")
def account_merge(ws: WsDep, actor: ActorDep, account_id: Id, other: Other) -> Response:
    """Merge a duplicate account (its id or name) into this one."""
    return _merge(ws, actor, "account", account_id, other)


@router.post("/contacts/{contact_id}/merge")
def contact_merge(ws: WsDep, actor: ActorDep, contact_id: Id, other: Other) -> Response:
    return _merge(ws, actor, "contact", contact_id, other)


@router.post("/deals/{deal_id}/merge")
def deal_merge(ws: WsDep, actor: ActorDep, deal_id: Id, other: Other) -> Response:
    return _merge(ws, actor, "deal", deal_id, other)


@router.get("/trash")
def trash_page(request: Request, ws: WsDep, actor: ActorDep) -> Response:
    return page(request, "trash.html", {"items": trash.list_trash(ws, actor),
                                        "days": trash.RETENTION_DAYS})


@router.post("/trash/{kind}/{record_id}/restore")
def restore(request: Request, ws: WsDep, actor: ActorDep, kind: str, record_id: Id) -> Response:
    out = trash.restore_record(ws, actor, kind, record_id)
    where = {"account": "/accounts/", "contact": "/contacts/", "deal": "/deals/"}.get(
        out.entity)
    return RedirectResponse(f"{where}{out.entity_id}" if where else "/trash", status_code=303)


def _writable(_fn: Any, ws: WsDep, actor: ActorDep, record_id: int) -> None:
    """The edit form is for who may change the record: anyone else gets what a missing
    record gets (the services decide)."""
    from notnow.services.lookup import get_deal, resolve_account, resolve_contact

    which: Any = {edit.edit_account: resolve_account, edit.edit_contact: resolve_contact,
                  edit.edit_deal: get_deal}[_fn]
    with ws.db.read() as s:
        which(s, actor, record_id, write=True)
