"""The web tests' usual app: local mode on this test's database, a client on loopback, and the
seeded records (a module that needs another app defines its own fixtures of these names)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from web_support import Seed, local_client, seed


@pytest.fixture
def app(config: Any, clock: Any) -> Iterator[Any]:
    from notnow.web import create_app

    app = create_app(config, clock=clock)
    yield app
    app.state.agenda.close()  # also when no client ran the app's lifespan
    app.state.ws.close()


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with local_client(app, follow_redirects=False) as c:
        yield c


@pytest.fixture
def data(app: Any) -> Seed:
    return seed(app.state.ws)
