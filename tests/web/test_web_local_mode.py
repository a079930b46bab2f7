"""Local mode answers only this machine: a loopback peer, addressed by an exact loopback name.

Local mode has no sign-in — every request acts as the workspace owner — so a request that
does not come from this machine, or that a page of another site sends through DNS rebinding
(its own name resolving to 127.0.0.1), must read nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from actors import owner_of
from web_support import LOCAL, LOOPBACK_PEER, running_server

API = "/api/v1"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One app for the module: what is checked happens before any route or database."""
    from notnow import settings
    from notnow.services.learning.journal import add_entry
    from notnow.web import create_app

    home = tmp_path_factory.mktemp("local")
    app = create_app(settings.load({"NOTNOW_HOME": str(home)}))
    add_entry(app.state.ws, owner_of(app.state.ws), "Private: Acme's COO dodged me again.")
    yield app
    app.state.ws.close()


def get(app: Any, host: str, path: str = "/journal", peer: tuple[str, int] = LOOPBACK_PEER,
        ) -> Any:
    with TestClient(app, base_url=LOCAL, client=peer) as c:
        return c.get(path, headers={"host": host})


@pytest.mark.parametrize("host", [
    "127.0.0.1.evil.example",  # the finding: any Host starting with 127. was trusted
    "127.0.0.1.evil.example:8000", "127.1.2.3", "127.0.0.1:8000.evil.example",
    "localhost.evil.example", "evil.example", "notnow.example:8000", "[::1].evil.example",
    "127.0.0.1:", "127.0.0.1:80:80", "localhost:8000@evil.example", "", "0.0.0.0:8000",
    "[::ffff:127.0.0.1]",
])
def test_a_host_that_is_not_exactly_loopback_is_refused(app: Any, host: str) -> None:
    """Finding: `Host: 127.0.0.1.evil.example` read the journal (DNS rebinding)."""
    r = get(app, host)
    assert r.status_code == 400 and "Acme" not in r.text
    assert r.json()["error"] == {"code": "bad_host", "field": "host", "details": {},
                                 "message": "local mode answers only requests to 127.0.0.1 "
                                            "or localhost; use --team to serve others"}
    assert r.headers["x-frame-options"] == "DENY" and r.headers["cache-control"] == "no-store"
    assert get(app, host, f"{API}/journal").status_code == 400


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost", "LOCALHOST:8000",
                                  "[::1]", "[::1]:8123"])
def test_loopback_names_with_or_without_a_port_are_answered(app: Any, host: str) -> None:
    r = get(app, host)
    assert r.status_code == 200 and "Acme" in r.text


@pytest.mark.parametrize("peer", [("192.0.2.10", 5000), ("10.0.0.8", 5000),
                                  ("::ffff:192.0.2.10", 5000), ("testclient", 50000)])
def test_a_request_from_another_machine_is_refused_whatever_its_host(app: Any,
                                                                    peer: tuple[str, int]) -> None:
    """Finding: local mode never looked at the client address."""
    r = get(app, "127.0.0.1:8000", peer=peer)
    assert r.status_code == 403 and "Acme" not in r.text
    assert r.json()["error"]["code"] == "bad_peer"
    assert get(app, "127.0.0.1", f"{API}/me", peer=peer).status_code == 403
    assert get(app, "127.0.0.1", "/static/notnow.css", peer=peer).status_code == 403


@pytest.mark.parametrize("peer", [("127.0.0.1", 1), ("127.0.0.53", 1), ("::1", 1),
                                  ("::ffff:127.0.0.1", 1)])
def test_loopback_peers_are_answered(app: Any, peer: tuple[str, int]) -> None:
    assert get(app, "localhost", peer=peer).status_code == 200


def _raw_get(base: str, path: str, host: str | None = None) -> tuple[int, str]:
    import http.client
    from urllib.parse import urlsplit

    where = urlsplit(base)
    conn = http.client.HTTPConnection(where.hostname or "", where.port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host or where.netloc})
        r = conn.getresponse()
        return r.status, r.read().decode()
    finally:
        conn.close()


@pytest.mark.slow
def test_a_real_server_on_loopback(app: Any) -> None:
    with running_server(app) as base:
        status, body = _raw_get(base, "/journal")
        assert status == 200 and "Acme" in body
        status, body = _raw_get(base, "/journal", host="127.0.0.1.evil.example")
        assert status == 400 and "Acme" not in body
        status, body = _raw_get(base, f"{API}/journal", host="rebound.evil.example:8000")
        assert status == 400 and '"bad_host"' in body
