"""The app factory: everything the web app uses comes from its arguments, nothing is global.

`create_app` opens the workspace once and keeps it on ``app.state``; each request borrows it with
the acting user set (`notnow.web.deps`). The JSON API lives under ``/api/v1`` (``api_*``
modules), the pages at the root (``pages_*`` modules); both call the same services as the CLI.
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from notnow import __version__
from notnow.core.clock import Clock
from notnow.settings import Config

HERE = Path(__file__).parent
API_PREFIX = "/api/v1"
API_MODULES = ("api.records", "api.edits", "api.capture", "api.agenda", "api.team", "api.misc",
               "api.reach", "api.crm", "api.mail")
PAGE_MODULES = ("pages.agenda", "pages.log", "pages.create", "pages.records", "pages.edits",
                "pages.misc", "pages.team", "pages.auth", "pages.feed", "pages.reach", "pages.crm",
                "pages.mail")

DESCRIPTION = """The notnow JSON API: every "no" is a "not now".

Everything the CLI does, through the same services. Lists come in one envelope
(`items`, `limit`, `offset`, `next_offset`; the long lists — contacts, accounts, opt-outs,
rejections, deals, the audit trail — also `next_after`, given back as `?after=` for the next
page at any depth); every error has
one shape: `{"error": {"code", "message", "field", "details"}}` with a 4xx status.

Authentication: in local mode (the default, loopback only) requests act as the workspace owner.
In team mode, send `Authorization: Bearer <token>` (create one with `notnow user token`), or use
the browser session with an `X-CSRF-Token` header on writes.
"""


DEFAULT_THREADS = 8
"""Requests a web process works on at once (the thread pool of its sync handlers): fewer than
the workspace's 15 database connections, so that no request waits for one (see
docs/deploy.md, "Sizing")."""


def create_app(config: Config | None = None, *, clock: Clock | None = None,
               team: bool = False, environ: Mapping[str, str] | None = None,
               worker: bool = False, threads: int = DEFAULT_THREADS) -> FastAPI:
    """Build the web app for the workspace that `config` points to.

    `team` turns on sign-in with roles; without it the app acts as the workspace owner and
    must only be reachable from this machine. `environ`: where mailbox secrets are read
    (`notnow serve` passes its environment; none by default). `worker`: in local mode, run the
    job worker (mail sync…) in a thread of this process while the app runs — one SQLite file,
    no other server; team mode runs `notnow worker` processes beside the web processes.
    `threads`: how many requests' handlers run at once (the rest wait their turn).
    """
    from notnow.services.team.acting import actor_for
    from notnow.services.workspace import open_workspace
    from notnow.web.errors import install_error_handlers
    from notnow.web.render import make_templates

    ws = open_workspace(config, clock=clock)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        runner = _start_worker(ws, environ) if worker and not team else None
        try:
            yield
        finally:
            if runner is not None:
                runner[0].stop()
                runner[1].join(timeout=60)
            app.state.agenda.close()
            ws.close()

    app = NotnowApp(title="notnow", version=__version__, description=DESCRIPTION,
                    lifespan=lifespan, docs_url=None, redoc_url=None,
                    openapi_url="/openapi.json")
    app.state.ws = ws
    app.state.team = team
    app.state.threads = threads
    app.state.environ = dict(environ or {})
    app.state.owner = None if team else actor_for(ws, ws.owner_id)
    app.state.templates = make_templates(HERE / "templates", team=team)
    from notnow.web.agenda_cache import AgendaCache

    app.state.agenda = AgendaCache(ws)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.router.routes.extend(_routes())
    return app


WARM_UP_TEXTS = ("Not now, the budget is spent until April.", "Hm, schwierig im Moment.")
"""Read once by a served process before it takes requests: an English reply (the model) and
one in another language (the multilingual encoder)."""


def warm_up(app: FastAPI) -> None:
    """Pay before the first request what a served process would otherwise pay during it: the
    mapped classes set up, the reader's model and multilingual encoder loaded, and one request
    routed through the app (FastAPI builds every route's parameter validators when a process
    routes its first request: 0.19 s for notnow's routes). In a fresh `notnow serve --demo` the
    first request took 0.20 s against 0.005 s after, the first logged no 0.05 s more than the
    second, and the first reading of a German reply 0.11 s against 0.003 s. Called by `notnow
    serve` for each process, before it freezes what its start-up made; not by
    :func:`create_app` (a test's app need not pay it)."""
    from datetime import date

    from sqlalchemy.orm import configure_mappers

    from notnow.understand import analyze

    configure_mappers()
    for text in WARM_UP_TEXTS:
        analyze(text, today=date(2026, 1, 5))
    _route_once(app)


WARM_UP_PATH = "/.well-known/notnow-warm-up"
"""Routed once at start-up (no route has it: a 404 that reads and writes nothing)."""


def _route_once(app: FastAPI) -> None:
    """A GET of :data:`WARM_UP_PATH` from loopback through the whole app, in a thread of its
    own (uvicorn may already run an event loop in this one when it builds a worker's app)."""
    import asyncio

    async def call() -> None:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": "GET", "scheme": "http", "path": WARM_UP_PATH,
                 "raw_path": WARM_UP_PATH.encode(), "query_string": b"", "root_path": "",
                 "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 0),
                 "server": ("127.0.0.1", 0), "state": {}}

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(_message: Any) -> None:
            return None

        await app(scope, receive, send)

    thread = threading.Thread(target=asyncio.run, args=(call(),), name="notnow-warm-up")
    thread.start()
    thread.join()


def _start_worker(ws: Any, environ: Mapping[str, str] | None) -> tuple[Any, threading.Thread]:
    """The job worker in a thread of the web process (local mode)."""
    from notnow.worker import Worker
    from notnow.worker.kinds import build_registry

    runner = Worker(ws.db, build_registry(), clock=ws.clock, workspace=ws, environ=environ)
    thread = threading.Thread(target=runner.run_forever, kwargs={"poll": 5.0},
                              name="notnow-worker", daemon=True)
    thread.start()
    return runner, thread


class NotnowApp(FastAPI):
    """FastAPI with notnow's outermost layers around everything, its error handlers included:
    the security headers on every answer, in local mode the loopback guard
    (`notnow.web.auth`), the hot reads' kept answers (`notnow.web.answers`) and the
    ``Idempotency-Key`` of API writes (`notnow.web.idempotency`)."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            from notnow.web.idempotency import document

            self.openapi_schema = document(super().openapi())
        return self.openapi_schema

    def build_middleware_stack(self) -> ASGIApp:
        from notnow.web.answers import KeptAnswers
        from notnow.web.auth import LoopbackOnly, SecurityHeaders
        from notnow.web.idempotency import IdempotencyKeys
        from notnow.web.write_slots import WriteSlots

        team = bool(self.state.team)
        slots = WriteSlots(IdempotencyKeys(super().build_middleware_stack()),
                           getattr(self.state, "threads", DEFAULT_THREADS))
        self.state.write_slots = slots  # heavy reads take their turns there (HeavyRead)
        stack: ASGIApp = KeptAnswers(slots, self)
        if not team:
            stack = LoopbackOnly(stack)
        return SecurityHeaders(stack, team=team)


@functools.cache
def _routes() -> tuple[Any, ...]:
    """Every page and API route, with what applies to all of them (a NUL anywhere in a
    request is refused), built once per process and shared by every app made in it.

    FastAPI prepares an included router's routes (their dependencies, their models) when a
    request first looks through them, once per inclusion: included into each new app, that
    was a third of a second on each app's first requests (every test's, every worker's)."""
    from notnow.web.deps import refuse_nul

    root = APIRouter(dependencies=[Depends(refuse_nul)])
    for name in PAGE_MODULES:  # first: the agenda page is the most requested route
        root.include_router(_router(name))
    for name in API_MODULES:
        root.include_router(_router(name), prefix=API_PREFIX)
    return tuple(root.routes)


def _router(name: str) -> APIRouter:
    router: APIRouter = importlib.import_module(f"notnow.web.{name}").router
    return router
