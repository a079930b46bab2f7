"""Team mode: server-side sessions (sign-out, disabling, expiry, forged cookies) and the
sign-in limiter shared by every worker, per account and per address."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from actors import owner_of
from web_support import csrf_of

API = "/api/v1"
HTTPS = "https://notnow.example"
PASSWORD = "correct horse battery"
OFFICE = "203.0.113.7"  # everyone in the office reaches the server from this address
PEOPLE = ("ada@example.com", "sara@example.com", "tom@example.com")


def _team_app(config: Any, clock: Any) -> Any:
    from notnow.web import create_app

    return create_app(config, clock=clock, team=True)


@pytest.fixture
def app(config: Any, clock: Any) -> Iterator[Any]:
    from notnow.services.team.auth import add_user

    app = _team_app(config, clock)
    ws = app.state.ws
    for email, role in zip(PEOPLE, ("admin", "salesperson", "salesperson"), strict=True):
        add_user(ws, owner_of(ws), {"name": email.split("@")[0].title(), "email": email,
                                    "role": role, "password": PASSWORD})
    yield app
    ws.close()


def browser(app: Any, address: str = OFFICE) -> TestClient:
    return TestClient(app, base_url=HTTPS, follow_redirects=False, client=(address, 40000))




def sign_in(c: TestClient, email: str, password: str = PASSWORD) -> Any:
    token = csrf_of(c.get("/login").text)
    return c.post("/login", data={"email": email, "password": password, "csrf_token": token})


def me(c: TestClient, cookie: str | None = None) -> int:
    if cookie is not None:
        c.cookies.set("notnow_session", cookie, domain="notnow.example")
    return c.get(f"{API}/me").status_code


def session_rows(app: Any, email: str | None = None) -> int:
    from notnow.storage.tables import User, WebSession

    with app.state.ws.db.read() as s:
        q = select(func.count()).select_from(WebSession)
        if email is not None:
            q = q.join(User, User.id == WebSession.user_id).where(User.email == email)
        return int(s.scalar(q) or 0)


# --- sessions ---------------------------------------------------------------------------------


def test_the_cookie_holds_only_a_random_id_whose_hash_is_stored(app: Any) -> None:
    import hashlib

    from notnow.storage.tables import WebSession

    with browser(app) as c:
        r = sign_in(c, "sara@example.com")
        assert r.status_code == 303
        cookie = c.cookies["notnow_session"]
        set_cookie = r.headers["set-cookie"].lower()
        assert "httponly" in set_cookie and "secure" in set_cookie and "samesite=lax" in set_cookie
        with app.state.ws.db.read() as s:
            row = s.get(WebSession, hashlib.sha256(cookie.encode()).hexdigest())
            assert row is not None and row.client == OFFICE
            csrf = row.csrf
            assert s.scalar(select(func.count()).select_from(WebSession)
                            .where(WebSession.id == cookie)) == 0
        # the CSRF token of the session's pages is the one in its row
        assert csrf_of(c.get("/journal").text) == csrf


def test_signing_out_kills_the_cookie_at_once(app: Any) -> None:
    """Finding: signing out left the session cookie valid for 12 hours."""
    with browser(app) as c:
        assert sign_in(c, "sara@example.com").status_code == 303
        stolen = c.cookies["notnow_session"]
        home = c.get("/")
        assert home.status_code == 200 and "Sara" in home.text
        r = c.post("/logout", data={"csrf_token": csrf_of(home.text)})
        assert r.status_code == 303 and "max-age=0" in r.headers["set-cookie"].lower()
        assert me(c) == 401
    with browser(app) as elsewhere:  # a copy of the cookie (another tab, a thief) is dead too
        assert me(elsewhere, stolen) == 401
        assert elsewhere.get("/journal").headers["location"] == "/login?next=/journal"
    assert session_rows(app) == 0


def test_disabling_a_user_ends_their_sessions_at_once(app: Any) -> None:
    from notnow.services.team.auth import disable_user

    with browser(app) as c, browser(app, "198.51.100.2") as phone:
        assert sign_in(c, "tom@example.com").status_code == 303
        assert sign_in(phone, "tom@example.com").status_code == 303
        assert session_rows(app, "tom@example.com") == 2
        disable_user(app.state.ws, owner_of(app.state.ws), "tom@example.com")
        assert session_rows(app, "tom@example.com") == 0
        assert me(c) == 401 and me(phone) == 401


def test_sessions_end_when_idle_and_after_their_lifetime(app: Any, clock: Any) -> None:
    from notnow.services.team.sessions import IDLE, LIFETIME

    with browser(app) as c:
        assert sign_in(c, "sara@example.com").status_code == 303
        clock.advance(seconds=(IDLE - timedelta(minutes=1)).total_seconds())
        assert me(c) == 200  # used in time: the idle clock starts again
        clock.advance(seconds=(IDLE - timedelta(minutes=1)).total_seconds())
        assert me(c) == 200
        clock.advance(seconds=(IDLE + timedelta(minutes=1)).total_seconds())
        assert me(c) == 401  # idle too long
        assert session_rows(app) == 0
    with browser(app) as c:
        assert sign_in(c, "sara@example.com").status_code == 303
        used = timedelta(0)
        while used + IDLE / 2 < LIFETIME:  # busy every few hours, all week
            clock.advance(seconds=(IDLE / 2).total_seconds())
            used += IDLE / 2
            assert me(c) == 200
        clock.advance(seconds=(LIFETIME - used + timedelta(minutes=1)).total_seconds())
        assert me(c) == 401  # a week after sign-in, however busy


def test_a_cookie_forged_with_the_old_database_secret_is_refused(config: Any, clock: Any) -> None:
    """Finding: the session-signing secret was inside the database, and a cookie signed with
    it, carrying an admin's uid, was accepted. Whoever reads the database (a backup, a
    read-only account) no longer holds anything that makes a cookie."""
    import base64
    import json

    import itsdangerous

    from notnow.services.team.auth import add_user
    from notnow.services.workspace import open_workspace
    from notnow.storage.tables import Meta

    ws = open_workspace(config, clock=clock)
    admin = add_user(ws, owner_of(ws), {"name": "Ada", "email": "ada@example.com",
                                        "role": "admin", "password": PASSWORD})
    with ws.db.write() as s:  # what an older notnow kept there, read by the attacker
        s.merge(Meta(key="session_secret", value="read-from-the-database"))
    ws.close()
    app = _team_app(config, clock)
    payload = base64.b64encode(json.dumps({"uid": admin.id, "csrf": "x" * 43}).encode())
    forged = itsdangerous.TimestampSigner("read-from-the-database").sign(payload).decode()
    try:
        with browser(app) as c:
            assert me(c, forged) == 401
            assert c.get(f"{API}/users").status_code == 401
            r = c.post(f"{API}/users", headers={"x-csrf-token": "x" * 43},
                       json={"name": "Eve", "email": "eve@example.com", "role": "admin"})
            assert r.status_code in (401, 403)
    finally:
        app.state.ws.close()


def test_csrf_before_sign_in_is_a_cookie_the_form_must_repeat(app: Any) -> None:
    with browser(app) as c:
        page = c.get("/login")
        token = csrf_of(page.text)
        assert c.cookies["notnow_csrf"] == token
        assert "no-store" in page.headers["cache-control"]
        r = c.post("/login", data={"email": "sara@example.com", "password": PASSWORD,
                                   "csrf_token": "y" * 43})
        assert r.status_code == 403
    with browser(app) as other:  # a token from someone else's page does not fit this browser
        r = other.post("/login", data={"email": "sara@example.com", "password": PASSWORD,
                                       "csrf_token": token})
        assert r.status_code == 403


# --- the sign-in limiter ----------------------------------------------------------------------


def test_the_limiter_is_shared_by_every_worker(app: Any, config: Any, clock: Any) -> None:
    """Finding: the limiter lived per process (10 tries with two workers)."""
    second = _team_app(config, clock)  # a second worker: its own app, the same database
    try:
        with browser(app) as one, browser(second) as two:
            for n in range(5):
                c = one if n % 2 else two
                assert sign_in(c, "tom@example.com", "wrong password!").status_code == 401
            for c in (one, two):
                r = sign_in(c, "tom@example.com")  # the right password, too late
                assert r.status_code == 429 and "too many failed sign-ins" in r.text
                assert 1 <= int(r.headers["retry-after"]) <= 900
    finally:
        second.state.ws.close()


def test_one_persons_typos_do_not_lock_the_office_out(app: Any, clock: Any) -> None:
    """Finding: the limiter was keyed so that one person's mistakes locked everyone behind
    the same address out for 15 minutes."""
    with browser(app) as tom:
        for _ in range(5):
            assert sign_in(tom, "tom@example.com", "wrong password!").status_code == 401
        assert sign_in(tom, "tom@example.com").status_code == 429
    with browser(app) as sara:  # same office, same address
        assert sign_in(sara, "sara@example.com").status_code == 303
    with browser(app, "198.51.100.9") as tom_at_home:  # the pair is locked, not the account
        assert sign_in(tom_at_home, "tom@example.com").status_code == 303
    clock.advance(minutes=16)
    with browser(app) as tom:  # and it lifts after the window
        assert sign_in(tom, "tom@example.com").status_code == 303


def test_a_right_password_clears_its_pair_and_old_failures_are_purged(app: Any,
                                                                      clock: Any) -> None:
    from notnow.storage.tables import LoginFailure

    def failures() -> int:
        with app.state.ws.db.read() as s:
            return int(s.scalar(select(func.count()).select_from(LoginFailure)) or 0)

    with browser(app) as c:
        for _ in range(4):
            assert sign_in(c, "sara@example.com", "wrong password!").status_code == 401
        assert sign_in(c, "sara@example.com").status_code == 303
        assert failures() == 0
        for _ in range(4):
            assert sign_in(c, "sara@example.com", "wrong password!").status_code == 401
        assert sign_in(c, "sara@example.com").status_code == 303
    with browser(app, "198.51.100.3") as c:
        assert sign_in(c, "tom@example.com", "wrong password!").status_code == 401
    clock.advance(minutes=16)
    with browser(app, "198.51.100.4") as c:
        assert sign_in(c, "ada@example.com", "wrong password!").status_code == 401
    assert failures() == 1  # the old one went when the new one came


def test_password_spraying_from_one_address_is_stopped(app: Any) -> None:
    from notnow.services.team.limiter import LIMITS

    with browser(app, "192.0.2.66") as c:
        token = csrf_of(c.get("/login").text)
        for n in range(LIMITS.address):  # one guess at each of many accounts
            r = c.post("/login", data={"email": f"user{n}@example.com", "csrf_token": token,
                                       "password": "Summer2026!"})
            assert r.status_code == 401, n
        assert sign_in(c, "ada@example.com").status_code == 429
    with browser(app) as office:  # other addresses are not concerned
        assert sign_in(office, "ada@example.com").status_code == 303


def test_guessing_one_account_from_many_addresses_is_stopped(app: Any) -> None:
    from notnow.services.team.limiter import LIMITS

    for n in range(LIMITS.account):
        with browser(app, f"192.0.2.{n + 1}") as c:
            assert sign_in(c, "ada@example.com", f"guess number {n}").status_code == 401
    with browser(app, "198.51.100.200") as c:
        assert sign_in(c, "ada@example.com").status_code == 429
        assert sign_in(c, "sara@example.com").status_code == 303
