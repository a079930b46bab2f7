"""JSON API: CRM imports (`notnow import`) — upload export files, import them (or a dry run),
list and undo imports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile

from notnow.services.crm import imports, undo, uploads
from notnow.web.auth import check_csrf
from notnow.web.deps import ActorDep, Id, WsDep
from notnow.web.errors import ERROR_RESPONSES

router = APIRouter(dependencies=[Depends(check_csrf)], responses=ERROR_RESPONSES,
                   tags=["imports"])


@router.post("/imports")
def import_files(ws: WsDep, actor: ActorDep,
                 files: Annotated[list[UploadFile], File(description="CRM export files (CSV).")],
                 source: Annotated[str | None, Form(
                     max_length=20, description="hubspot, pipedrive, salesforce or csv (a "
                     "hint: headers are recognised).")] = None,
                 owner: Annotated[str | None, Form(
                     max_length=320, description="Who gets the records of CRM owners notnow "
                     "does not know (default: you).")] = None,
                 dry_run: Annotated[bool, Form(description="Report what would happen; "
                                               "store nothing.")] = False,
                 map: Annotated[list[str] | None, Form(  # noqa: A002 - the option's name
                     description="COLUMN=FIELD, as `--map`.")] = None,
                 ) -> imports.ImportReport:
    """Import a CRM's export files — the same as `notnow import`: one unit, safe to run
    again; bad rows are reported (file, line, column, why) and the others imported."""
    token = uploads.stage(ws, actor, [(f.filename or "", f.file) for f in files])
    try:
        return imports.import_files(ws, actor, uploads.staged_files(ws, actor, token),
                                    source=source or None, owner=owner or None,
                                    dry_run=dry_run, columns=map or ())
    finally:
        uploads.discard(ws, actor, token)


@router.get("/imports")
def list_imports(ws: WsDep, actor: ActorDep) -> list[imports.ImportPublic]:
    """Your imports, newest first (an admin: everyone's)."""
    return imports.list_imports(ws, actor)


@router.post("/imports/{import_id}/undo")
def undo_import(ws: WsDep, actor: ActorDep, import_id: Id) -> undo.UndonePublic:
    """Take an import back as one unit (`notnow import undo ID`); opt-outs stay."""
    return undo.undo_import(ws, actor, import_id)
