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
def running_server(app: Any, *, lifespan: bool = False) -> Iterator[str]:
    """Serve `app` with uvicorn on a free loopback port in a thread; yields the base URL.
    With `lifespan` the app starts as `notnow serve` starts it (its thread count applied)
    and closes its workspace when the server stops."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error",
                                           access_log=False,
                                           lifespan="on" if lifespan else "off"))
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



TEXTS = ("Not now, try me in March.", "We went with Rival Inc, sorry.", "No budget this year.",
         "Send me something by email, I'm busy.", "Please take me off your list.")


class RandomWrites:
    """Random writes through the JSON API on some accounts and their people: rejections,
    touches, edits, opt-outs, deals, journal entries, snoozes, deletes, restores, merges."""

    def __init__(self, client: Any, rng: Any, accounts: list[int], people: list[int]) -> None:
        self.client, self.rng, self.accounts, self.people = client, rng, accounts, people
        self.rejections: list[int] = []
        self.followups: list[int] = []

    def refresh_followups(self) -> None:
        got = self.client.get("/api/v1/agenda?day=2030-01-02&limit=100")
        self.followups[:] = [i["followup_id"] for i in got.json()["items"]]

    def one(self) -> str:
        """One write; what it was and its status."""
        client, rng, people = self.client, self.rng, self.people
        kind = rng.choice(["reject", "reject", "touch", "title", "dnc", "industry", "deal",
                           "journal", "snooze", "delete", "restore", "merge", "signal"])
        contact, acc = rng.choice(people), rng.choice(self.accounts)
        if kind == "reject":
            r = client.post("/api/v1/rejections", json={"contact_id": contact,
                                                        "text": rng.choice(TEXTS)})
            if r.status_code == 201:
                self.rejections.append(r.json()["id"])
        elif kind == "touch":
            r = client.post("/api/v1/touches", json={"contact_id": contact, "channel": "call",
                                                     "outcome": "left a message"})
        elif kind == "signal":
            r = client.post("/api/v1/signals", json={
                "contact_id": contact,
                "kind": rng.choice(["opened", "clicked", "replied", "asked_to_slow_down"])})
        elif kind == "title":
            r = client.patch(f"/api/v1/contacts/{contact}",
                             json={"title": f"Title {rng.randint(1, 99)}"})
        elif kind == "dnc":
            r = client.post(f"/api/v1/contacts/{contact}/dnc", json={"reason": "asked"})
        elif kind == "industry":
            r = client.patch(f"/api/v1/accounts/{acc}", json={"industry": f"I{rng.randint(1, 9)}"})
        elif kind == "deal":
            r = client.post("/api/v1/deals", json={"account_id": acc, "offer": "Fleet plan",
                                                   "value": rng.randint(1, 9) * 1000})
        elif kind == "journal":
            r = client.post("/api/v1/journal", json={"text": "Lost one.", "account_id": acc})
        elif kind == "snooze":
            self.refresh_followups()
            if not self.followups:
                return "snooze: none"
            r = client.post(f"/api/v1/followups/{rng.choice(self.followups)}/snooze", json={})
        elif kind == "delete":
            if not self.rejections:
                return "delete: none"
            r = client.delete(f"/api/v1/rejections/{rng.choice(self.rejections)}")
        elif kind == "restore":
            if not self.rejections:
                return "restore: none"
            r = client.post(f"/api/v1/rejections/{rng.choice(self.rejections)}/restore")
        else:  # a duplicate merged in: its touches and noes move (maybe across accounts)
            other = rng.choice([p for p in people if p != contact])
            r = client.post(f"/api/v1/contacts/{contact}/merge", json={"other_id": other})
            if r.status_code == 200:
                people.remove(other)
        assert r.status_code < 500, r.text
        return f"{kind} {contact} {acc}: {r.status_code}"
