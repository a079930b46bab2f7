"""Log a rejection: paste their words, see what notnow reads and plans, correct, accept."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from notnow.core import limits
from notnow.core.model import Channel, Label, Stage
from notnow.errors import NotnowError
from notnow.services.capture.log import (
    MAX_TEXT,
    OptOutDetected,
    log_rejection,
    preview,
    reads_as_opt_out,
)
from notnow.services.capture.preview import preview_log
from notnow.services.records.search import chosen_contact
from notnow.web.auth import check_csrf
from notnow.web.deps import ActorDep, WsDep
from notnow.web.forms import problem as page_problem
from notnow.web.pages.create import ROLES
from notnow.web.render import page

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)

Text = Annotated[str | None, Form(max_length=MAX_TEXT)]
Short = Annotated[str | None, Form(max_length=300)]
Reason = Annotated[str | None, Form(max_length=2000)]


LOG_WORDS = {"text": "Paste their words, or choose a label.",
             "contact": "Choose who said no: type their name, email or account."}


def _choices() -> dict[str, Any]:
    return {"labels": list(Label), "stages": list(Stage), "channels": list(Channel),
            "qform": {}, "roles": ROLES}


@router.get("/log")
def log_form(request: Request, ws: WsDep, actor: ActorDep,
             contact: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> Response:
    """The form; the contact picker finds whom to log for (``contact`` chooses one now)."""
    return page(request, "log.html", {"chosen": chosen_contact(ws, actor, contact),
                                      "form": {}, **_choices()})


@router.post("/log/preview")
def log_preview(request: Request, ws: WsDep, actor: ActorDep,
                contact: Annotated[str | None, Form()] = None,
                text: Text = None, label: Short = None, stage: Short = None,
                channel: Short = None, checkback: Short = None,
                not_opt_out: Reason = None) -> Response:
    """What notnow reads in the words so far, and the plan it would make (an htmx fragment)."""
    contact_id = int(contact) if contact and contact.isdigit() else None
    reading, plan, problem = None, None, None
    try:
        shown = preview_log(ws, actor, contact=contact_id, text=text, label=label or None,
                            stage=_choice(Stage, stage), channel=_choice(Channel, channel),
                            checkback=_date(checkback))
        reading, plan = shown.reading, shown.plan
    except NotnowError as exc:
        problem = exc.message
    return page(request, "_reading.html", {"reading": reading, "plan": plan,
                                           "problem": problem, "text": text,
                                           "corrected": label or None,
                                           "opt_out": reads_as_opt_out(reading),
                                           "not_opt_out": not_opt_out,
                                           "has_contact": contact_id is not None})


def _choice(enum: type[Stage] | type[Channel], value: str | None) -> str | None:
    return value if value in enum._value2member_map_ else None


def _date(value: str | None) -> date | None:
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return limits.check_day(day, field="checkback")


@router.post("/log")
def log_accept(request: Request, ws: WsDep, actor: ActorDep,
               contact: Annotated[str | None, Form(max_length=50)] = None,
               text: Text = None, label: Short = None, stage: Short = None,
               channel: Short = None, checkback: Short = None, notes: Text = None,
               feelings: Text = None, not_opt_out: Reason = None,
               ) -> Response:
    """Store the rejection (with any correction) and schedule its plan, in one step; then
    show the contact. Words that read as an opt-out, saved under another label, come back to
    the form until the person says why they are not one."""
    data = {"text": text, "label": label, "stage": stage, "channel": channel,
            "checkback": checkback, "notes": notes, "feelings": feelings}
    given = {k: v for k, v in data.items() if v not in (None, "")}
    contact_id = int(contact) if contact and contact.strip().isdigit() else None
    chosen = chosen_contact(ws, actor, contact_id)
    back = {"chosen": chosen, "form": given, **_choices(), "text": text,
            "corrected": label or None, "not_opt_out": not_opt_out, "has_contact": bool(chosen)}
    if chosen is None:  # nobody chosen, or nobody this person may log for: kept as typed
        return page(request, "log.html", {**back, "problem_field": "contact",
                                          "problem": LOG_WORDS["contact"]}, status_code=422)
    try:
        rej = log_rejection(ws, actor, given, contact=chosen.id,
                            not_opt_out=(not_opt_out or "").strip() or None)
    except OptOutDetected as exc:
        reading = preview(ws, actor, text, contact=chosen.id) if text else None
        return page(request, "log.html", {
            **back, "reading": reading, "plan": None, "problem": exc.message,
            "opt_out": True}, status_code=409)
    except NotnowError as exc:
        said = page_problem(exc, words=LOG_WORDS)
        field = said.field if said.field in ("contact", "text", "checkback") else None
        return page(request, "log.html", {
            **back, "problem_field": field, "problem": said.message,
            "form_problem": None if field else said}, status_code=exc.status)
    return RedirectResponse(f"/contacts/{rej.contact_id}?logged={rej.id}", status_code=303)
