"""JSON API: rejections, what notnow reads in a text, touches (`notnow log|touch|rejections`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import Field

from notnow.services.capture import log as capture
from notnow.services.capture import touches
from notnow.services.followups import actions as followups
from notnow.services.followups import planning
from notnow.services.schemas import (
    Input,
    RejectionCreate,
    RejectionPublic,
    SignalCreate,
    TouchCreate,
    TouchPublic,
)
from notnow.web.auth import check_csrf
from notnow.web.deps import (
    ActorDep,
    Id,
    KeyedPage,
    KeyPagingDep,
    WsDep,
    keyed_page_of,
)
from notnow.web.errors import ERROR_RESPONSES

router = APIRouter(dependencies=[Depends(check_csrf)], responses=ERROR_RESPONSES)


class UnderstandRequest(Input):
    text: str = Field(min_length=1, max_length=capture.MAX_TEXT,
                      description="The prospect's words: a reply, an email, call notes.")
    contact_id: int | None = Field(default=None, ge=1, le=2**31 - 1,
                                   description="Whose words (for the account's time zone "
                                   "and fiscal year).")


@router.get("/rejections", tags=["rejections"])
def list_rejections(ws: WsDep, actor: ActorDep, paging: KeyPagingDep,
                    contact_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                    ) -> KeyedPage[RejectionPublic]:
    """Rejections, most recent first."""
    rows = capture.list_rejections(ws, actor, contact=contact_id, limit=paging.fetch,
                                   offset=paging.offset, after=paging.after)
    return keyed_page_of(rows, paging)


@router.post("/rejections", status_code=201, tags=["rejections"])
def log_rejection(ws: WsDep, actor: ActorDep, body: RejectionCreate,
                  schedule: Annotated[bool, Query(description="Schedule the comeback plan "
                                                  "(check-back included).")] = True,
                  not_opt_out: Annotated[str | None, Query(
                      max_length=2000, description="Words read as an opt-out that are not "
                      "one: why (recorded).")] = None,
                  ) -> RejectionPublic:
    """Log a rejection: its words are read, it is stored and its plan scheduled, in one
    transaction — the same as `notnow log`. An opt-out marks the contact do-not-contact."""
    data = body.model_dump(mode="json", exclude_unset=True, exclude={"contact_id", "deal_id"})
    return capture.log_rejection(ws, actor, data, contact=body.contact_id, deal=body.deal_id,
                                 schedule=schedule, not_opt_out=not_opt_out)


class Confirmation(Input):
    label: str | None = Field(default=None, max_length=40, description="The right label, "
                              "when the reading was wrong.")
    not_opt_out: str | None = Field(default=None, max_length=2000, description="They did not "
                                    "ask to stop: why (recorded); releases a held contact.")
    opt_out: bool = Field(default=False, description="It was an opt-out after all.")


@router.post("/rejections/{rejection_id}/confirm", tags=["rejections"])
def confirm_reading(ws: WsDep, actor: ActorDep, rejection_id: Id,
                    body: Confirmation) -> RejectionPublic:
    """Decide on a reading notnow was unsure of (`review: pending`) or a held contact:
    confirm or correct the label — the plan is then scheduled — or say it was an opt-out."""
    return capture.confirm_reading(ws, actor, rejection_id, label=body.label,
                                   not_opt_out=body.not_opt_out, opt_out=body.opt_out)


@router.post("/understand", tags=["rejections"])
def understand(ws: WsDep, actor: ActorDep, body: UnderstandRequest) -> dict[str, Any]:
    """What notnow reads in a text (label, confidence, evidence, check-back), storing nothing."""
    return capture.preview(ws, actor, body.text, contact=body.contact_id).to_json()  # type: ignore[no-any-return]


@router.post("/touches", status_code=201, tags=["touches"])
def record_touch(ws: WsDep, actor: ActorDep, body: TouchCreate) -> TouchPublic:
    """Record an attempt (call, email…). Outbound touches to a do-not-contact contact are
    refused."""
    data = body.model_dump(mode="json", exclude_unset=True, exclude={"contact_id"})
    return touches.record_touch(ws, actor, data, contact=body.contact_id)


@router.get("/rejections/{rejection_id}/plan", tags=["rejections"])
def show_plan(ws: WsDep, actor: ActorDep, rejection_id: Id) -> planning.PlanPublic:
    """The comeback plan for a logged rejection: dated, explained steps (nothing is stored)."""
    return planning.plan_rejection(ws, actor, rejection_id)


@router.post("/rejections/{rejection_id}/plan", tags=["rejections"])
def accept_plan(ws: WsDep, actor: ActorDep, rejection_id: Id) -> planning.PlanPublic:
    """Accept the plan: its follow-ups are scheduled (replacing the rejection's open ones),
    each checked against do-not-contact and every cap."""
    return planning.accept_plan(ws, actor, rejection_id)


@router.post("/signals", status_code=201, tags=["touches"])
def record_signal(ws: WsDep, actor: ActorDep, body: SignalCreate) -> followups.SignalPublic:
    """Record what a prospect did or did not do (replied, ignored, unsubscribed…)."""
    return followups.record_signal(ws, actor, body.contact_id, body.kind.value, note=body.note,
                                   at=body.at)
