"""Creating in place: new accounts, contacts and deals from the browser, the contact picker, and
the small "new contact" form of the log page — each through the records services (which pass
the suppression list and keep the audit trail), and each form kept as typed when refused.

Registered before :mod:`notnow.web.pages.records`, so that ``/accounts/new`` is this page and
not account "new".
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from notnow.core.model import Role, Stage
from notnow.errors import NotnowError
from notnow.services.records import accounts, contacts, deals
from notnow.services.records.search import chosen_account, pick_contacts
from notnow.web.auth import check_csrf
from notnow.web.deps import ActorDep, WsDep
from notnow.web.forms import Problem, problem
from notnow.web.render import page, words

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)

Short = Annotated[str | None, Form(max_length=300)]
AccountQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]

ACCOUNT_WORDS = {"name": "Give the account a name."}
CONTACT_WORDS = {"name": "Give their name."}
DEAL_WORDS = {"offer": "Say what you offer them."}
ROLES = [(r.value, words(r)) for r in Role]
CONTACT_FIELDS = {"account_id": "account"}
DEAL_FIELDS = {"account_id": "account", "contact_id": "contact"}


def _given(**values: str | None) -> dict[str, str]:
    """What was typed, blanks left out (the services read a missing field as not given)."""
    return {k: v.strip() for k, v in values.items() if v is not None and v.strip()}


# --- the contact picker -------------------------------------------------------------------------


@router.get("/pick/contacts")
def pick(request: Request, ws: WsDep, actor: ActorDep,
         q: Annotated[str, Query(max_length=200)] = "",
         limit: Annotated[int, Query(ge=1, le=50)] = 10) -> Response:
    """The contacts one may log a no for whose name, email or account starts with ``q`` (an
    htmx fragment: the options of the picker's list box)."""
    choices = pick_contacts(ws, actor, q, limit=limit) if q.strip() else []
    return page(request, "_pick.html", {"choices": choices, "q": q.strip()})


# --- accounts -----------------------------------------------------------------------------------


@router.get("/accounts/new")
def new_account(request: Request, ws: WsDep, actor: ActorDep) -> Response:
    return page(request, "new_account.html", {"form": {}, "problem": None})


@router.post("/accounts/new")
def add_account(request: Request, ws: WsDep, actor: ActorDep,
                name: Short = None, domain: Short = None, industry: Short = None,
                employees: Short = None, country: Short = None, city: Short = None,
                timezone: Short = None) -> Response:
    form = _given(name=name, domain=domain, industry=industry, employees=employees,
                  country=country, city=city, timezone=timezone)
    try:
        acc = accounts.add_account(ws, actor, form)
    except NotnowError as exc:
        return page(request, "new_account.html",
                    {"form": form, "problem": problem(exc, words=ACCOUNT_WORDS)},
                    status_code=422)
    return RedirectResponse(f"/accounts/{acc.id}", status_code=303)


# --- contacts -----------------------------------------------------------------------------------


def _contact_context(ws: WsDep, actor: ActorDep, account: str | None) -> dict[str, Any]:
    """The account a new contact joins when the page was opened from one (by id)."""
    fixed = chosen_account(ws, actor, int(account)) if account and account.isdigit() else None
    return {"fixed": fixed, "roles": ROLES}


@router.get("/contacts/new")
def new_contact(request: Request, ws: WsDep, actor: ActorDep,
                account: AccountQuery = None) -> Response:
    return page(request, "new_contact.html", {
        "form": {"account": str(account) if account else ""}, "problem": None,
        **_contact_context(ws, actor, str(account) if account else None)})


def _add_contact(ws: WsDep, actor: ActorDep, form: dict[str, str]) -> Any:
    data = {k: v for k, v in form.items() if k != "account"}
    if not form.get("account"):
        return Problem("account", "Say which account they work at.")
    try:
        return contacts.add_contact(ws, actor, data, account=form["account"])
    except NotnowError as exc:
        return problem(exc, fields=CONTACT_FIELDS, words=CONTACT_WORDS)


ContactForm = dict[str, str]


def _contact_form(account: str | None, name: str | None, title: str | None,
                  role: str | None, department: str | None, email: str | None,
                  phone: str | None, linkedin: str | None) -> ContactForm:
    return _given(account=account, name=name, title=title, role=role, department=department,
                  email=email, phone=phone, linkedin=linkedin)


@router.post("/contacts/new")
def add_contact(request: Request, ws: WsDep, actor: ActorDep,
                account: Short = None, name: Short = None, title: Short = None,
                role: Short = None, department: Short = None, email: Short = None,
                phone: Short = None, linkedin: Short = None) -> Response:
    form = _contact_form(account, name, title, role, department, email, phone, linkedin)
    added = _add_contact(ws, actor, form)
    if isinstance(added, Problem):
        return page(request, "new_contact.html", {
            "form": form, "problem": added, **_contact_context(ws, actor, form.get("account"))},
            status_code=422)
    return RedirectResponse(f"/contacts/{added.id}", status_code=303)


@router.post("/contacts/quick")
def quick_contact(request: Request, ws: WsDep, actor: ActorDep,
                  account: Short = None, name: Short = None, title: Short = None,
                  role: Short = None, department: Short = None, email: Short = None,
                  phone: Short = None, linkedin: Short = None,
                  add_account_too: Short = None) -> Response:
    """The log page's "new contact" form (htmx): the contact is added and chosen as the one who
    said no, without leaving the page (the ``notnow:picked`` event tells the picker). An account
    that does not exist yet is added first when the person asks for it (its own step)."""
    form = _contact_form(account, name, title, role, department, email, phone, linkedin)
    ctx: dict[str, Any] = {"qform": form, "roles": ROLES, "open": True}
    if add_account_too and form.get("account"):
        try:
            acc = accounts.add_account(ws, actor, {"name": form["account"]})
        except NotnowError as exc:
            ctx["qproblem"] = problem(exc, fields={"name": "account"})
            return page(request, "_quick_contact.html", ctx, status_code=422)
        form["account"] = str(acc.id)
        ctx["qaccount"] = acc
        ctx["qnote"] = f"Account {acc.name} added. Now add the contact."
        return page(request, "_quick_contact.html", ctx)
    added = _add_contact(ws, actor, form)
    if isinstance(added, Problem):
        ctx["qproblem"] = added
        ctx["qmissing_account"] = added.field == "account" and bool(form.get("account")) \
            and not form["account"].isdigit() and "no account" in added.message.lower()
        if form.get("account", "").isdigit():
            ctx["qaccount"] = chosen_account(ws, actor, int(form["account"]))
        return page(request, "_quick_contact.html", ctx, status_code=422)
    picked = {"id": added.id, "name": added.name, "account": added.account_name or "",
              "dnc": added.do_not_contact}
    ctx.update(qform={}, open=False, qnote=f"Added {added.name}; they are chosen above.")
    return page(request, "_quick_contact.html", ctx,
                headers={"HX-Trigger": json.dumps({"notnow:picked": picked})})


# --- deals --------------------------------------------------------------------------------------


def _deal_context(ws: WsDep, actor: ActorDep, account: str | None) -> dict[str, Any]:
    fixed = chosen_account(ws, actor, int(account)) if account and account.isdigit() else None
    people = contacts.list_contacts(ws, actor, account=fixed.id, write=True) if fixed else []
    return {"fixed": fixed, "people": [(str(c.id), c.name) for c in people],
            "stages": [(s.value, words(s)) for s in Stage]}


@router.get("/deals/new")
def new_deal(request: Request, ws: WsDep, actor: ActorDep,
             account: AccountQuery = None) -> Response:
    return page(request, "new_deal.html", {
        "form": {"account": str(account) if account else "", "currency": "USD"},
        "problem": None, **_deal_context(ws, actor, str(account) if account else None)})


@router.post("/deals/new")
def add_deal(request: Request, ws: WsDep, actor: ActorDep,
             account: Short = None, offer: Short = None, value: Short = None,
             currency: Short = None, stage: Short = None,
             contact: Short = None) -> Response:
    form = _given(account=account, offer=offer, value=value, currency=currency, stage=stage,
                  contact=contact)
    data = {k: v for k, v in form.items() if k not in ("account", "contact")}
    result: Any
    if not form.get("account"):
        result = Problem("account", "Say which account the deal is with.")
    else:
        try:
            result = deals.add_deal(ws, actor, data, account=form["account"],
                                    contact=form.get("contact"))
        except NotnowError as exc:
            result = problem(exc, fields=DEAL_FIELDS, words=DEAL_WORDS)
    if isinstance(result, Problem):
        return page(request, "new_deal.html", {
            "form": form, "problem": result, **_deal_context(ws, actor, form.get("account"))},
            status_code=422)
    return RedirectResponse(f"/accounts/{result.account_id}#deals", status_code=303)
