"""One error handler: a notnow error is JSON under /api, an HTML page elsewhere.

The JSON shape is always ``{"error": {"code", "message", "field", "details"}}`` with the
exception's status; request validation (FastAPI's own) and unknown routes use it too.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from notnow.errors import DatabaseLocked, NotnowError, StorageError

HTTP_CODES = {400: "bad_request", 401: "authentication_failed", 403: "permission_denied",
              404: "not_found", 405: "method_not_allowed", 409: "conflict",
              413: "too_large", 415: "unsupported_media_type", 422: "invalid_input",
              429: "rate_limited"}

STORAGE_MESSAGE = "the database cannot be used right now; try again in a moment"
"""What the web says of a storage error: never the database's path or URL (the server's log
and the CLI have the details)."""
BUSY_MESSAGE = ("another change to the same records is under way; nothing was changed — try "
                "again in a moment")
"""What the web says of a write that waited its longest for a lock (`DatabaseLocked`)."""
BUSY_RETRY_AFTER = 2
"""Seconds a client is told to wait (``Retry-After``) before it sends a busy write again."""


class ErrorDetail(BaseModel):
    code: str = Field(description="What went wrong, e.g. invalid_input, not_found, "
                                  "do_not_contact, cap_exceeded.")
    message: str
    field: str | None = Field(default=None, description="The input field at fault, if any.")
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorBody(BaseModel):
    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": desc}
    for status, desc in ((401, "Not signed in or bad token"), (403, "Not allowed"),
                         (404, "Not found"), (409, "Refused: conflict, do-not-contact, caps"),
                         (422, "Invalid input"), (429, "Too many attempts"))
}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def wants_fragment(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def error_body(code: str, message: str, field: str | None = None,
               details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field,
                      "details": details or {}}}


def _field_of(loc: tuple[Any, ...] | list[Any]) -> str | None:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        parts = parts[1:]
    return ".".join(parts) or None


def render(request: Request, status: int, code: str, message: str, field: str | None = None,
           details: dict[str, Any] | None = None) -> Response:
    headers = {}
    if details and "retry_after" in details:
        headers["Retry-After"] = str(details["retry_after"])
    if is_api(request):
        return JSONResponse(error_body(code, message, field, details), status_code=status,
                            headers=headers)
    if status == 401 and request.app.state.team:
        from notnow.web.auth import SESSION_COOKIE, forget_session

        target = f"/login?next={quote(request.url.path)}"
        if wants_fragment(request):
            response: Response = Response(status_code=204, headers={"HX-Redirect": target})
        else:
            response = RedirectResponse(target, status_code=303)
        if SESSION_COOKIE in request.cookies:  # an ended session: the browser may forget it
            forget_session(response)
        return response
    from notnow.web.render import page

    template = "error.html"
    if wants_fragment(request):  # shown in the page's message area, not swapped into a row
        template = "_error_fragment.html"
        headers.update({"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"})
    return page(request, template, {"status": status, "code": code, "message": message,
                                    "field": field}, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotnowError)
    async def notnow_error(request: Request, exc: NotnowError) -> Response:
        if isinstance(exc, DatabaseLocked):
            return render(request, exc.status, exc.code, BUSY_MESSAGE,
                          details={"retry_after": BUSY_RETRY_AFTER})
        if isinstance(exc, StorageError):  # its message names the database: not for the web
            return render(request, exc.status, exc.code, STORAGE_MESSAGE)
        return render(request, exc.status, exc.code, exc.message, exc.field,
                      dict(exc.details) if exc.details else None)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"field": _field_of(e.get("loc", ())), "message": e.get("msg", "invalid"),
                   "type": e.get("type")} for e in exc.errors()]
        field = errors[0]["field"] if errors else None
        msg = str(errors[0]["message"]) if errors else "invalid input"
        if field:
            msg = f"field '{field}': {msg}"
        return render(request, 422, "invalid_input", msg, field, {"errors": errors})

    @app.exception_handler(OverflowError)
    async def overflow(request: Request, exc: OverflowError) -> Response:
        return render(request, 422, "invalid_input", "a number is out of range")

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:  # logged by the server
        return render(request, 500, "internal_error",
                      "something went wrong on our side; nothing half-written was kept")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        return render(request, exc.status_code, code, message)
