"""Schemathesis against /openapi.json: generated requests, good and bad, never get a 5xx.

Bounded (a few examples per operation) and marked slow; the app runs in-process (ASGI) on a
real SQLite file seeded with a few records so that ids in paths sometimes exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from actors import owner_of

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from web_support import on_loopback, seed  # noqa: E402

pytestmark = pytest.mark.slow
LOOPBACK = {"host": "127.0.0.1"}  # local mode answers only requests addressed to loopback


@pytest.fixture
def web_app(tmp_path: Path) -> Iterator[Any]:
    from notnow import settings as nn_settings
    from notnow.core.clock import FixedClock
    from notnow.web import create_app

    config = nn_settings.load({"NOTNOW_HOME": str(tmp_path),
                               "NOTNOW_DATABASE_URL": f"sqlite:///{tmp_path / 'n.db'}"})
    app = create_app(config, clock=FixedClock(datetime(2026, 11, 23, 9, 30, tzinfo=UTC)))
    data = seed(app.state.ws)
    from notnow.services.capture.log import log_rejection

    log_rejection(app.state.ws, owner_of(app.state.ws),
                  {"label": "not_now", "checkback": "2026-12-01"},
                  contact=data.contact_id)
    yield app
    app.state.ws.close()


def test_no_server_errors(web_app: Any) -> None:
    api = schemathesis.openapi.from_asgi("/openapi.json", on_loopback(web_app), headers=LOOPBACK)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 30
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            case.call_and_validate(checks=[not_a_server_error], headers=LOOPBACK)

        try:
            check()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n".join(failures)
