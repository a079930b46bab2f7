"""Schemathesis against /openapi.json: generated requests, good and bad, never get a 5xx.

Every operation of the API, as each role (a salesperson, their manager, an admin: team mode,
bearer tokens), on SQLite and on PostgreSQL — PostgreSQL enforces what SQLite lets pass (text
longer than its column, integers beyond 32 bits, NUL bytes, numeric precision), so both run.
Requests that follow the schema and requests that break it (which must get a 4xx). Bounded (a
few derandomized examples per operation) and marked slow; the app runs in-process
(ASGI) on a real database seeded with a few records of each person, so that ids in paths
sometimes exist. Local mode (the owner, no sign-in) runs once on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from actors import owner_of, user

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402

from web_support import on_loopback, seed  # noqa: E402

pytestmark = pytest.mark.slow
LOOPBACK = {"host": "127.0.0.1"}  # local mode answers only requests addressed to loopback
EXAMPLES = 2
"""Examples per operation and role: the six team runs and the local one take about 40 s of
CPU together."""


def _seed_work(ws: Any, who: Any, name: str) -> None:
    from notnow.services.capture.log import log_rejection

    data = seed(ws, who, name=name)
    log_rejection(ws, who, {"label": "not_now", "checkback": "2026-12-01"},
                  contact=data.contact_id)


def _no_server_errors(app: Any, roles: dict[str, dict[str, str]]) -> None:
    """Every operation's generated cases, each sent as every role in ``roles`` (name: its
    headers): the strategies are built once, not once a role."""
    first = next(iter(roles.values()))
    api = schemathesis.openapi.from_asgi("/openapi.json", on_loopback(app), headers=first)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 30
    failures = []
    for operation in operations:

        @given(case=st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                              operation.as_strategy(GenerationMode.NEGATIVE)))
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            wrong = []
            for role, headers in roles.items():  # each role's answer, all of them checked
                try:
                    case.call_and_validate(checks=[not_a_server_error], headers=headers)
                except Exception as exc:  # noqa: BLE001 - reported below, with the role
                    wrong.append(f"as {role}: {exc}")
            assert not wrong, "; ".join(wrong)

        try:
            check()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n".join(failures)


@pytest.fixture
def team_app(config: Any, clock: Any) -> Iterator[Any]:
    """Team mode: an admin (the owner), a manager and the salesperson who reports to them,
    each with their own work and an API token."""
    from notnow.services.team.auth import create_token
    from notnow.web import create_app

    app = create_app(config, clock=clock, team=True)
    ws = app.state.ws
    admin = owner_of(ws)
    manager = user(ws, "Max", role="manager")
    seller = user(ws, "Sara", manager=manager)
    app.state.tokens = {}
    for role, who in (("admin", admin), ("manager", manager), ("salesperson", seller)):
        _seed_work(ws, who, f"{role.title()} Corp")
        app.state.tokens[role] = create_token(ws, who, "schemathesis").token
    yield app
    ws.close()


def test_no_server_errors_for_any_role(team_app: Any) -> None:
    _no_server_errors(team_app, {
        role: {"authorization": f"Bearer {team_app.state.tokens[role]}"}
        for role in ("salesperson", "manager", "admin")})


@pytest.fixture
def local_app(tmp_path: Any, clock: Any) -> Iterator[Any]:
    from notnow import settings as nn_settings
    from notnow.web import create_app

    config = nn_settings.load({"NOTNOW_HOME": str(tmp_path),
                               "NOTNOW_DATABASE_URL": f"sqlite:///{tmp_path / 'n.db'}"})
    app = create_app(config, clock=clock)
    _seed_work(app.state.ws, owner_of(app.state.ws), "Acme Corp")
    yield app
    app.state.ws.close()


def test_no_server_errors_in_local_mode(local_app: Any) -> None:
    _no_server_errors(local_app, {"owner": LOOPBACK})
