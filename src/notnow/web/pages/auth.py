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
    client = request.client.host if request.client else "?"
    try:
        actor = authenticate(request.app.state.ws, email, password,
                             limiter=request.app.state.login_limiter, client=client)
    except (AuthenticationFailed, RateLimited) as exc:
        return page(request, "login.html", {"next": _safe_next(next), "email": email,
                                            "error": exc.message}, status_code=exc.status)
    sign_in(request, actor)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    sign_out(request)
    return RedirectResponse("/login" if request.app.state.team else "/", status_code=303)
