"""Helpers for the web tests: an app on this test's real database, seeded through the services."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from actors import owner_of

LOCAL = "http://127.0.0.1"
LOOPBACK_PEER = ("127.0.0.1", 50000)
"""Where local-mode test requests come from: local mode answers only a loopback peer, and
TestClient's default client address ("testclient") is none."""


def local_client(app: Any, **kwargs: Any) -> Any:
    """A TestClient for a local-mode app, as this machine's browser would reach it."""
    from fastapi.testclient import TestClient

    return TestClient(app, base_url=kwargs.pop("base_url", LOCAL), client=LOOPBACK_PEER,
                      **kwargs)


def on_loopback(app: Any) -> Any:
    """`app` as an ASGI app whose every request comes from a loopback peer (for in-process
    clients that cannot set the peer address, such as schemathesis's)."""

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            scope = {**scope, "client": LOOPBACK_PEER}
        await app(scope, receive, send)

    return wrapped


@dataclass
class Seed:
    account_id: int
    contact_id: int
    other_contact_id: int
    deal_id: int


def seed(ws: Any, actor: Any = None, *, name: str = "Acme Corp") -> Seed:
    """An account with two contacts and a deal, created through the same services as the CLI,
    as ``actor``'s work (default: the workspace owner's)."""
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.services.records.deals import add_deal

    who = actor or owner_of(ws)
    acc = add_account(ws, who, {"name": name, "country": "US", "employees": 240,
                                "timezone": "America/Chicago", "industry": "Logistics"})
    dana = add_contact(ws, who, {"name": "Dana Lee", "email": "dana@acme.example",
                                 "title": "COO", "role": "decision_maker",
                                 "department": "Operations"}, account=acc.id)
    sam = add_contact(ws, who, {"name": "Sam Ortiz", "email": "sam@acme.example",
                                "role": "gatekeeper", "department": "Front desk"},
                      account=acc.id)
    deal = add_deal(ws, who, {"offer": "Fleet tracking", "value": 48000, "stage": "proposal"},
                    account=acc.id, contact=dana.id)
    return Seed(acc.id, dana.id, sam.id, deal.id)


def has_reader() -> bool:
    """Whether the classifier (`notnow.understand.analyze`) is in this build."""
    try:
        from notnow.understand import analyze  # noqa: F401
    except ImportError:
        return False
    return True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(app: Any) -> Iterator[str]:
    """Serve `app` with uvicorn on a free loopback port in a thread; yields the base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error",
                                           access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def csrf(c: Any, page: str = "/journal") -> str:
    """The CSRF token a page gives htmx (its ``X-CSRF-Token`` header)."""
    import re

    found = re.search(r'"X-CSRF-Token": "([^"]+)"', c.get(page).text)
    assert found, f"no CSRF token on {page}"
    return found.group(1)


def csrf_of(html: str) -> str:
    """The CSRF token of a page's form."""
    import re

    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)

