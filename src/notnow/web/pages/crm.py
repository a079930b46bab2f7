"""The import page: upload a CRM's export files, see what notnow would do (a dry run), import."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from notnow.errors import NotnowError
from notnow.services.crm import imports, uploads
from notnow.web.auth import check_csrf
from notnow.web.deps import ActorDep, WsDep
from notnow.web.render import page

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)

Short = Annotated[str | None, Form(max_length=320)]
Maps = Annotated[str | None, Form(max_length=20_000)]


def _maps(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if "=" in line]


@router.get("/import")
def import_form(request: Request, actor: ActorDep) -> Response:
    return page(request, "import.html", {"form": {}, "may_give": actor.is_admin
                                         or actor.is_manager})


@router.post("/import/preview")
def import_preview(request: Request, ws: WsDep, actor: ActorDep,
                   files: Annotated[list[UploadFile], File()], source: Short = None,
                   owner: Short = None, maps: Maps = None) -> Response:
    """Keep the files and show what importing them would do (nothing is stored)."""
    form = {"source": source or "", "owner": owner or "", "maps": maps or ""}
    ctx = {"form": form, "may_give": actor.is_admin or actor.is_manager}
    token = uploads.stage(ws, actor, [(f.filename or "", f.file) for f in files])
    try:
        report = imports.import_files(ws, actor, uploads.staged_files(ws, actor, token),
                                      source=source or None, owner=owner or None,
                                      dry_run=True, columns=_maps(maps))
    except NotnowError as exc:
        uploads.discard(ws, actor, token)
        return page(request, "import.html", {**ctx, "problem": exc.message,
                                             "details": exc.details}, status_code=exc.status)
    return page(request, "import.html", {**ctx, "report": report, "token": token})


@router.post("/import")
def import_run(request: Request, ws: WsDep, actor: ActorDep,
               token: Annotated[str, Form(max_length=64)], source: Short = None,
               owner: Short = None, maps: Maps = None) -> Response:
    """Import the files shown in the preview."""
    ctx = {"form": {}, "may_give": actor.is_admin or actor.is_manager}
    files = uploads.staged_files(ws, actor, token)
    running = _running(request)
    key = (actor.id, token)

    def progress(done: int, total: int) -> None:
        running[key] = (done, total)

    try:
        report = imports.import_files(ws, actor, files, source=source or None,
                                      owner=owner or None, columns=_maps(maps),
                                      progress=progress)
    finally:
        running.pop(key, None)
        uploads.discard(ws, actor, token)
    return page(request, "import.html", {**ctx, "report": report, "done": True})


def _running(request: Request) -> dict[tuple[int, str], tuple[int, int]]:
    """How far each running import of this app is: (actor, upload) → (bytes read, bytes)."""
    state = request.app.state
    if not hasattr(state, "imports_running"):
        state.imports_running = {}
    running: dict[tuple[int, str], tuple[int, int]] = state.imports_running
    return running


@router.get("/import/progress")
def import_progress(request: Request, actor: ActorDep,
                    token: Annotated[str, Query(max_length=64)]) -> Response:
    """How far the actor's import of an upload is (an htmx fragment that polls itself)."""
    done, total = _running(request).get((actor.id, token), (0, 0))
    return page(request, "_import_progress.html", {
        "token": token, "total": total, "done": done,
        "percent": int(100 * done / total) if total else 0})
