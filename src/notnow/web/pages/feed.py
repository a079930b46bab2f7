"""The calendar feed's address: ``GET``/``HEAD /calendar/feed/<token>.ics``.

Outside sign-in on purpose: Google Calendar, Outlook and Apple Calendar fetch a subscribed
calendar with a plain GET and cannot sign in; the token in the address is the credential
(`notnow.services.reach.feed`). An unknown, rotated or revoked token gets a plain 404 —
never a redirect to the sign-in page, never a 401.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from notnow.reach.feed import FeedCache
from notnow.services.reach.feed import serve_feed
from notnow.web.write_slots import HeavyRead

router = APIRouter(include_in_schema=False)


@router.api_route("/calendar/feed/{token}.ics", methods=["GET", "HEAD"],
                  dependencies=[HeavyRead])
def calendar_feed(request: Request, token: str) -> Response:
    state = request.app.state
    cache = getattr(state, "feed_cache", None)
    if cache is None:
        cache = state.feed_cache = FeedCache()
    answer = serve_feed(state.ws, token, method=request.method,
                        if_none_match=request.headers.get("if-none-match"), cache=cache)
    return Response(answer.body, status_code=answer.status, headers=answer.headers)
