"""An app factory for uvicorn's worker processes (`notnow serve --workers N`).

Each worker builds its own app with `create_app` from the environment's settings; the mode
comes from ``NOTNOW_SERVE_TEAM``, the thread pool's size from ``NOTNOW_SERVE_THREADS`` (both
set by `notnow serve`). Workers share the database — the
sessions and the sign-in limiter's counts are in it — and nothing else. Each warms up
(:func:`notnow.web.app.warm_up`), then freezes what its start-up made
(:func:`notnow.cli.collector.long_lived`).
"""

from __future__ import annotations

import os

from fastapi import FastAPI

TEAM_ENV = "NOTNOW_SERVE_TEAM"
THREADS_ENV = "NOTNOW_SERVE_THREADS"


def app_from_env() -> FastAPI:
    from notnow import settings
    from notnow.cli import collector
    from notnow.web import create_app
    from notnow.web.app import DEFAULT_THREADS, warm_up

    threads = os.environ.get(THREADS_ENV, "")
    app = create_app(settings.load(), team=os.environ.get(TEAM_ENV) == "1",
                     environ=os.environ,
                     threads=int(threads) if threads.isdigit() else DEFAULT_THREADS)
    warm_up(app)
    # a worker is a new Python: what its start-up made is frozen here, as `notnow serve` does
    # for a single process, so that no pause of the collector walks it while a request waits
    collector.long_lived()
    return app
