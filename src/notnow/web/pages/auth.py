"""Sign in and out (team mode). In local mode there is nobody to sign in: /login goes home."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from notnow.errors import AuthenticationFailed, RateLimited
from notnow.services.team.auth import authenticate
from notnow.web.auth import check_csrf, sign_in, sign_out
from notnow.web.render import page

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //evil.example or a full URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    if not request.app.state.team:
        return RedirectResponse("/", status_code=303)
    return page(request, "login.html", {"next": _safe_next(next)})


@router.post("/login")
def login(request: Request, email: Annotated[str, Form(max_length=320)],
          password: Annotated[str, Form(max_length=1000)],
          next: Annotated[str | None, Form(max_length=2000)] = None) -> Response:
    if not request.app.state.team:
        return RedirectResponse("/", status_code=303)
    client = request.client.host if request.client else None
    try:
        actor = authenticate(request.app.state.ws, email, password, client=client)
    except (AuthenticationFailed, RateLimited) as exc:
        headers = {"Retry-After": str(exc.details["retry_after"])} \
            if "retry_after" in exc.details else None
        return page(request, "login.html", {"next": _safe_next(next), "email": email,
                                            "error": exc.message}, status_code=exc.status,
                    headers=headers)
    response = RedirectResponse(_safe_next(next), status_code=303)
    sign_in(request, response, actor)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    response = RedirectResponse("/login" if request.app.state.team else "/", status_code=303)
    if request.app.state.team:
        sign_out(request, response)
    return response
