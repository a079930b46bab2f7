"""JSON API: change, merge, delete and restore accounts, contacts, deals and rejections
(`notnow … edit|merge|delete`, `notnow restore`, `notnow trash`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from notnow.services.records import edit, merge, trash
from notnow.services.schemas import (
    AccountPublic,
    AccountUpdate,
    ContactUpdate,
    DealPublic,
    DealUpdate,
    RejectionPublic,
    RejectionUpdate,
)
from notnow.web.auth import check_csrf
from notnow.web.deps import ActorDep, Id, Page, PagingDep, WsDep, page_of
from notnow.web.errors import ERROR_RESPONSES

router = APIRouter(dependencies=[Depends(check_csrf)], responses=ERROR_RESPONSES)


class MergeRequest(BaseModel):
    other_id: int = Field(ge=1, le=2**31 - 1, description="The duplicate, merged into this "
                          "record and then gone.")


def _data(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_unset=True)


@router.patch("/accounts/{account_id}", tags=["accounts"])
def edit_account(ws: WsDep, actor: ActorDep, account_id: Id,
                 body: AccountUpdate) -> AccountPublic:
    """Change an account (only the fields sent; null clears one)."""
    return edit.edit_account(ws, actor, account_id, _data(body))


@router.delete("/accounts/{account_id}", tags=["accounts"])
def delete_account(ws: WsDep, actor: ActorDep, account_id: Id) -> trash.TrashPublic:
    """Delete an account with its contacts, deals and history (restorable for 30 days)."""
    return trash.delete_record(ws, actor, "account", account_id)


@router.post("/accounts/{account_id}/restore", tags=["accounts"])
def restore_account(ws: WsDep, actor: ActorDep, account_id: Id) -> trash.RestorePublic:
    """Restore a deleted account with everything deleted with it."""
    return trash.restore_record(ws, actor, "account", account_id)


@router.post("/accounts/{account_id}/merge", tags=["accounts"])
def merge_accounts(ws: WsDep, actor: ActorDep, account_id: Id,
                   body: MergeRequest) -> merge.MergePublic:
    """Merge a duplicate account into this one."""
    return merge.merge_accounts(ws, actor, account_id, body.other_id)


@router.patch("/contacts/{contact_id}", tags=["contacts"])
def edit_contact(ws: WsDep, actor: ActorDep, contact_id: Id,
                 body: ContactUpdate) -> edit.ContactEdited:
    """Change a contact (only the fields sent). An email already on another contact is
    refused (409, merge them instead); one that opted out makes them do-not-contact
    (``message`` says so)."""
    return edit.edit_contact(ws, actor, contact_id, _data(body))


@router.delete("/contacts/{contact_id}", tags=["contacts"])
def delete_contact(ws: WsDep, actor: ActorDep, contact_id: Id) -> trash.TrashPublic:
    """Delete a contact with their history (restorable for 30 days; an opt-out stays)."""
    return trash.delete_record(ws, actor, "contact", contact_id)


@router.post("/contacts/{contact_id}/restore", tags=["contacts"])
def restore_contact(ws: WsDep, actor: ActorDep, contact_id: Id) -> trash.RestorePublic:
    """Restore a deleted contact with their history."""
    return trash.restore_record(ws, actor, "contact", contact_id)


@router.post("/contacts/{contact_id}/merge", tags=["contacts"])
def merge_contacts(ws: WsDep, actor: ActorDep, contact_id: Id,
                   body: MergeRequest) -> merge.MergePublic:
    """Merge a duplicate contact into this one: everything moves over, the stricter
    do-not-contact stands."""
    return merge.merge_contacts(ws, actor, contact_id, body.other_id)


@router.patch("/deals/{deal_id}", tags=["deals"])
def edit_deal(ws: WsDep, actor: ActorDep, deal_id: Id, body: DealUpdate) -> DealPublic:
    """Change a deal (the status: POST /deals/{id}/status)."""
    return edit.edit_deal(ws, actor, deal_id, _data(body))


@router.delete("/deals/{deal_id}", tags=["deals"])
def delete_deal(ws: WsDep, actor: ActorDep, deal_id: Id) -> trash.TrashPublic:
    """Delete a deal (restorable for 30 days)."""
    return trash.delete_record(ws, actor, "deal", deal_id)


@router.post("/deals/{deal_id}/restore", tags=["deals"])
def restore_deal(ws: WsDep, actor: ActorDep, deal_id: Id) -> trash.RestorePublic:
    """Restore a deleted deal."""
    return trash.restore_record(ws, actor, "deal", deal_id)


@router.post("/deals/{deal_id}/merge", tags=["deals"])
def merge_deals(ws: WsDep, actor: ActorDep, deal_id: Id,
                body: MergeRequest) -> merge.MergePublic:
    """Merge a duplicate deal of the same account into this one."""
    return merge.merge_deals(ws, actor, deal_id, body.other_id)


@router.patch("/rejections/{rejection_id}", tags=["rejections"])
def edit_rejection(ws: WsDep, actor: ActorDep, rejection_id: Id,
                   body: RejectionUpdate) -> RejectionPublic:
    """Correct a logged rejection (the reading itself: POST /rejections/{id}/confirm)."""
    return edit.edit_rejection(ws, actor, rejection_id, body.model_dump(exclude_unset=True))


@router.delete("/rejections/{rejection_id}", tags=["rejections"])
def delete_rejection(ws: WsDep, actor: ActorDep, rejection_id: Id) -> trash.TrashPublic:
    """Delete a rejection logged by mistake, with its plan (restorable for 30 days)."""
    return trash.delete_record(ws, actor, "rejection", rejection_id)


@router.post("/rejections/{rejection_id}/restore", tags=["rejections"])
def restore_rejection(ws: WsDep, actor: ActorDep, rejection_id: Id) -> trash.RestorePublic:
    """Restore a deleted rejection (its plan comes back open only if it is still their latest
    word and passes the caps)."""
    return trash.restore_record(ws, actor, "rejection", rejection_id)


@router.get("/trash", tags=["trash"])
def list_trash(ws: WsDep, actor: ActorDep, paging: PagingDep,
               kind: Annotated[Literal["account", "contact", "deal", "rejection", "touch",
                                       "followup"] | None, Query()] = None,
               ) -> Page[trash.TrashPublic]:
    """What was deleted and can still be restored (records you may change), newest first."""
    rows = trash.list_trash(ws, actor, kind=kind, limit=paging.fetch, offset=paging.offset)
    return page_of(rows, paging)
