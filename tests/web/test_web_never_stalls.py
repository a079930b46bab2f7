"""A transaction stuck elsewhere never stalls the server.

Someone's open ``psql`` transaction, a hung process or a long import can hold an account, a
contact, or the SQLite file's write lock for as long as it likes. Writes that need it give up
after ``LOCK_WAIT_MS`` with a 503 that says so and when to try again, nothing written — they
do not wait for as long as the other transaction lasts — and reads keep being answered while
they wait: writes never take every thread of a process (`notnow.web.write_slots`).
"""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from actors import user
from web_support import running_server, seed

LOCK_WAIT_MS = 2000
THREADS = 4  # three writes at once, one thread kept for reads
WRITES = 4


def call(base: str, token: str, method: str, path: str, body: dict[str, Any] | None = None,
         timeout: float = 60) -> tuple[int, float, dict[str, Any], dict[str, str]]:
    """(status, seconds, JSON body, headers) of one request over real HTTP."""
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode()
                                 if body is not None else None,
                                 headers={"authorization": f"Bearer {token}",
                                          "content-type": "application/json"})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, time.monotonic() - start, json.loads(r.read()), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, time.monotonic() - start, json.loads(e.read()), dict(e.headers)


@contextmanager
def held_elsewhere(db_url: str, contact_id: int) -> Iterator[None]:
    """Another transaction holding what a no logged for the contact must lock: the contact's
    row on PostgreSQL, the file's write lock on SQLite."""
    if db_url.startswith("sqlite"):
        con = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            con.execute("ROLLBACK")
            con.close()
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn, conn.begin():
            conn.execute(text("SELECT id FROM contacts WHERE id = :i FOR UPDATE"),
                         {"i": contact_id})
            yield  # rolled back when the block ends
    finally:
        engine.dispose()


def sara_in_team(config: Any, clock: Any, monkeypatch: pytest.MonkeyPatch
                 ) -> tuple[Any, Any, str, int]:
    """A team app of THREADS threads whose writes wait LOCK_WAIT_MS for a lock, with Sara,
    her API token and a contact of hers: (app, Sara, token, contact id)."""
    from notnow.services.team.auth import create_token
    from notnow.storage import engine
    from notnow.web import create_app

    monkeypatch.setattr(engine, "LOCK_WAIT_MS", LOCK_WAIT_MS)
    app = create_app(config, clock=clock, team=True, threads=THREADS)
    sara = user(app.state.ws, "Sara")
    token = create_token(app.state.ws, sara, "script").token
    return app, sara, token, seed(app.state.ws, sara).contact_id


def test_writes_waiting_on_a_stuck_transaction_give_up_and_reads_go_on(
        db_url: str, config: Any, clock: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    app, _sara, token, dana = sara_in_team(config, clock, monkeypatch)
    no = {"contact_id": dana, "text": "Not now, try me in March."}
    writes: list[tuple[int, float, dict[str, Any], dict[str, str]]] = []
    with running_server(app, lifespan=True) as base:
        assert call(base, token, "GET", "/api/v1/agenda")[0] == 200  # a token in use
        with held_elsewhere(db_url, dana):
            senders = [threading.Thread(target=lambda: writes.append(
                call(base, token, "POST", "/api/v1/rejections", no))) for _ in range(WRITES)]
            for t in senders:
                t.start()
            time.sleep(0.3)  # every write is in, waiting for the lock or for its turn
            status, _took, page, _ = call(base, token, "GET", "/api/v1/rejections?limit=5")
            answered_first = not writes  # the read did not wait for any write
            for t in senders:
                t.join(timeout=30)
            still_waiting = sum(t.is_alive() for t in senders)
            # all of this while the other transaction still holds the lock
        assert status == 200 and page["items"] == []
        assert answered_first, "the read waited for the writes stuck on the lock"
        assert still_waiting == 0, "writes waited for as long as the other transaction lasted"
        assert len(writes) == WRITES
        for code, took, body, headers in writes:
            assert code == 503, body
            assert body["error"]["code"] == "database_locked"
            assert "try again" in body["error"]["message"]
            assert "sqlite" not in json.dumps(body).lower()  # never the database's place
            assert headers["retry-after"] == "2"
            assert took >= LOCK_WAIT_MS / 1000 * 0.9  # it did wait for the lock first
        # nothing was written by the writes that gave up; the lock gone, the same write works
        assert call(base, token, "GET", f"/api/v1/rejections?contact_id={dana}")[2][
            "items"] == []
        code, _took, body, _ = call(base, token, "POST", "/api/v1/rejections", no)
        assert code == 201 and body["contact_id"] == dana


def test_a_quarter_of_the_threads_is_kept_for_reads() -> None:
    from notnow.web.write_slots import slots

    assert [slots(n) for n in (1, 2, 3, 4, 8, 16)] == [1, 1, 2, 3, 6, 12]
    for n in range(2, 65):
        assert 1 <= slots(n) < n and n - slots(n) >= n // 4


def test_a_tokens_last_use_is_not_worth_refusing_a_read(
        tmp_path: Any, clock: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Marking when a token was last used is bookkeeping: when the SQLite file is held by
    another writer, the request is answered and the next one marks it."""
    from notnow import settings
    from notnow.services.team.auth import actor_for_token, create_token
    from notnow.services.workspace import open_workspace
    from notnow.storage import engine

    monkeypatch.setattr(engine, "LOCK_WAIT_MS", 100)
    path = tmp_path / "notnow.db"
    ws = open_workspace(settings.load({"NOTNOW_HOME": str(tmp_path),
                                       "NOTNOW_DATABASE_URL": f"sqlite:///{path}"}), clock=clock)
    try:
        sara = user(ws, "Sara")
        token = create_token(ws, sara, "script").token  # never used: the first use marks it
        con = sqlite3.connect(path, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        try:
            assert actor_for_token(ws, token).id == sara.id
        finally:
            con.execute("ROLLBACK")
            con.close()
        from notnow.storage.tables import ApiToken

        with ws.db.read() as s:
            assert s.query(ApiToken).one().last_used_at is None  # not marked while held
        actor_for_token(ws, token)
        with ws.db.read() as s:
            assert s.query(ApiToken).one().last_used_at is not None
    finally:
        ws.close()


def test_writes_whose_body_is_still_coming_hold_no_slot(
        db_url: str, config: Any, clock: Any) -> None:
    """Clients that send a write's headers and then its body slowly, or never, hold a
    connection each and nothing else: writes of others go on, a long body too."""
    from notnow.services.team.auth import create_token
    from notnow.web import create_app

    app = create_app(config, clock=clock, team=True, threads=THREADS)
    ws = app.state.ws
    sara = user(ws, "Sara")
    token = create_token(ws, sara, "script").token
    dana = seed(ws, sara).contact_id
    with running_server(app, lifespan=True) as base:
        host, port = base.removeprefix("http://").split(":")
        slow = []
        for _ in range(THREADS + 2):  # more than there are slots
            sock = socket.create_connection((host, int(port)))
            sock.sendall(b"POST /api/v1/rejections HTTP/1.1\r\nHost: " + host.encode()
                         + b"\r\nAuthorization: Bearer " + token.encode()
                         + b"\r\nContent-Type: application/json\r\nContent-Length: 100"
                         + b"\r\n\r\n{\"contact_id\": ")  # and no more
            slow.append(sock)
        try:
            time.sleep(0.3)
            code, _took, body, _ = call(base, token, "POST", "/api/v1/rejections",
                                        {"contact_id": dana, "label": "not_now"}, timeout=10)
            assert code == 201, body
            long_body = {"contact_id": dana, "text": "x" * (1 << 21)}  # past the read-ahead
            code, _took, body, _ = call(base, token, "POST", "/api/v1/rejections", long_body,
                                        timeout=10)
            assert code == 422 and body["error"]["field"] == "text"
        finally:
            for sock in slow:
                sock.close()


@pytest.mark.parametrize("heavy", ["report", "calendar feed"])
def test_heavy_reads_take_their_turns_and_leave_threads_for_the_rest(
        db_url: str, config: Any, clock: Any, monkeypatch: pytest.MonkeyPatch,
        heavy: str) -> None:
    """Managers opening the loss report together (seconds each on a million rejections), or
    calendars fetching the feed of someone with 200,000 follow-ups (megabytes, seconds), used
    to take every thread: a plain read waited behind them. Now at most
    `heavy_slots` of them run at once, in the slots writes use, and the threads kept for
    reads stay free."""
    from notnow.reach.feed import issue_feed
    from notnow.services.learning import reports
    from notnow.services.team.auth import create_token
    from notnow.web import create_app
    from notnow.web.pages import feed

    gate, lock = threading.Event(), threading.Lock()
    running = {"now": 0, "most": 0}
    module, name = (reports, "report") if heavy == "report" else (feed, "serve_feed")
    real = getattr(module, name)

    def slow(*args: Any, **kwargs: Any) -> Any:  # the real one, once let through
        with lock:
            running["now"] += 1
            running["most"] = max(running["most"], running["now"])
        try:
            gate.wait(timeout=30)
            return real(*args, **kwargs)
        finally:
            with lock:
                running["now"] -= 1

    monkeypatch.setattr(module, name, slow)
    app = create_app(config, clock=clock, team=True, threads=THREADS)
    ws = app.state.ws
    boss = user(ws, "Max", "manager")
    token = create_token(ws, boss, "script").token
    seed(ws, user(ws, "Sara", manager=boss))
    if heavy == "report":  # each for another day: no answer is shared
        paths = [f"/api/v1/report?since=2026-01-0{day}" for day in range(1, THREADS + 1)]
    else:
        feed_path = issue_feed(ws.db, boss.id, ws.now()).path
        paths = [f"{feed_path}?client={n}" for n in range(THREADS)]
    answers: list[tuple[int, bytes]] = []

    def fetch(path: str) -> None:
        req = urllib.request.Request(base + path, headers={"authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req, timeout=60) as r:
            answers.append((r.status, r.read()))

    with running_server(app, lifespan=True) as base:
        clients = [threading.Thread(target=fetch, args=(path,)) for path in paths]
        try:
            for t in clients:
                t.start()
            time.sleep(0.5)  # every one is in: running, or waiting its turn
            read = wrote = None
            try:
                read = call(base, token, "GET", "/api/v1/journal", timeout=5)
                wrote = call(base, token, "POST", "/api/v1/journal", {"text": "Kept my calm."},
                             timeout=5)
            except TimeoutError:
                pass  # asserted below, once the heavy reads are let through
            most_while_held = running["most"]
        finally:
            gate.set()
            for t in clients:
                t.join(timeout=30)
    assert read is not None and read[0] == 200, f"a plain read waited behind the {heavy}"
    assert wrote is not None and wrote[0] == 201, wrote
    from notnow.web.write_slots import heavy_slots

    assert most_while_held == heavy_slots(THREADS) == 1
    assert [status for status, _ in answers] == [200] * THREADS
    if heavy == "report":
        assert all({"scope", "kpis", "tables"} <= set(json.loads(body)) for _, body in answers)
    else:
        assert all(body.startswith(b"BEGIN:VCALENDAR") for _, body in answers)


def test_heavy_reads_are_a_quarter_of_the_threads() -> None:
    from notnow.web.write_slots import heavy_slots, slots

    assert [heavy_slots(t) for t in (1, 2, 4, 8, 16)] == [1, 1, 1, 2, 4]
    for threads in (1, 2, 4, 8, 16):
        assert heavy_slots(threads) <= slots(threads)


def test_writes_to_a_stuck_row_give_up_fast_and_others_do_not_queue_behind_them(
        db_url: str, config: Any, clock: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once a write has waited out the lock on a row, the next writes that need the same row
    give up at once (for as long again), instead of each holding a write place for the whole
    wait while the writes to every other account queue behind them. PostgreSQL: on SQLite the
    lock is the file, which every write needs alike."""
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite's one lock is the file's: there is no other account's write to "
                    "let through")
    app, sara, token, dana = sara_in_team(config, clock, monkeypatch)
    other = seed(app.state.ws, sara, name="Globex").contact_id
    no = {"contact_id": dana, "text": "Not now, try me in March."}
    stuck: list[tuple[int, float, dict[str, Any], dict[str, str]]] = []
    with running_server(app, lifespan=True) as base:
        with held_elsewhere(db_url, dana):
            first = call(base, token, "POST", "/api/v1/rejections", no)  # waits it out
            senders = [threading.Thread(target=lambda: stuck.append(
                call(base, token, "POST", "/api/v1/rejections", no))) for _ in range(6)]
            for t in senders:
                t.start()
            time.sleep(0.05)
            elsewhere = call(base, token, "POST", "/api/v1/rejections",
                             {"contact_id": other, "text": "We went with someone else."})
            for t in senders:
                t.join(timeout=30)
        assert first[0] == 503 and first[1] >= LOCK_WAIT_MS / 1000 * 0.9
        assert elsewhere[0] == 201, elsewhere
        assert elsewhere[1] < LOCK_WAIT_MS / 1000 / 2, "a write elsewhere queued behind them"
        assert len(stuck) == 6
        for code, took, body, headers in stuck:
            assert code == 503 and body["error"]["code"] == "database_locked"
            assert headers["retry-after"] == "2"
            assert took < LOCK_WAIT_MS / 1000 / 2, "it waited out the lock again"
        # the row free again, the same write works, and the row is forgotten
        code, took, body, _ = call(base, token, "POST", "/api/v1/rejections", no)
        assert code == 201 and body["contact_id"] == dana
        with held_elsewhere(db_url, dana):  # stuck again: a full wait again
            again = call(base, token, "POST", "/api/v1/rejections", no)
        assert again[0] == 503 and again[1] >= LOCK_WAIT_MS / 1000 * 0.9
