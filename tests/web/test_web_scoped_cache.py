"""Caches that let go only of what a write touched (issue 16): on PostgreSQL each write
appends what it touched (`storage.changes`), and a web process keeps the pages of the other
accounts. Whatever the writes, a cached page or read is the one computed afresh."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from sqlalchemy import event, select, text, update

from web_support import RandomWrites, seed


def _postgres(ws: Any) -> None:
    if ws.db.is_sqlite:
        pytest.skip("SQLite: any write touches everything (one file, its size and time)")


def _rows(ws: Any) -> list[tuple[bool, list[int]]]:
    with ws.db.read() as s:
        return [(r[0], sorted(r[1])) for r in s.execute(text(
            "SELECT everything, accounts FROM notnow_data_changes ORDER BY id"))]


def test_what_a_write_touched_is_kept_with_it(ws: Any) -> None:
    _postgres(ws)
    from actors import owner_of
    from notnow.services.capture.log import log_rejection
    from notnow.services.records.edit import edit_contact
    from notnow.storage.tables import Rejection

    me = owner_of(ws)
    a, b = seed(ws), seed(ws, name="Birch Ltd")
    before = len(_rows(ws))
    log_rejection(ws, me, {"text": "Not now, try me in March."}, contact=a.contact_id)
    # their latest word replaces what the first planned (a Core UPDATE naming its accounts)
    log_rejection(ws, me, {"text": "No budget until next year."}, contact=a.contact_id)
    edit_contact(ws, me, b.contact_id, {"title": "Head of Fleet"})
    with ws.db.write() as s:  # a statement not made by the ORM's flush: everything
        s.execute(update(Rejection).where(Rejection.id < 0).values(text="x"))
    with ws.db.write() as s:  # a raw one
        s.execute(text("UPDATE contacts SET name = name WHERE id = -1"))
    with ws.db.write() as s:  # a read and nothing written: nothing
        s.execute(select(Rejection.id)).all()
    assert _rows(ws)[before:] == [(False, [a.account_id]), (False, [a.account_id]),
                                  (False, [b.account_id]), (True, []), (True, [])]


def test_adding_a_contact_or_moving_one_touches_everything(ws: Any) -> None:
    """Who may read an account follows from its contacts' owners; other pages name it."""
    _postgres(ws)
    from actors import owner_of
    from notnow.services.records.contacts import add_contact
    from notnow.services.records.edit import edit_contact

    me = owner_of(ws)
    a = seed(ws)
    before = len(_rows(ws))
    lee = add_contact(ws, me, {"name": "Lee Park"}, account=a.account_id)
    edit_contact(ws, me, lee.id, {"name": "Lee Parker"})
    assert _rows(ws)[before:] == [(True, []), (False, [a.account_id])]


def test_statements_outside_the_flush() -> None:
    from notnow.storage.changes import EVERYTHING, statement_touches

    assert statement_touches("SELECT * FROM contacts WHERE id = 1") is None
    assert statement_touches("SELECT id FROM contacts FOR UPDATE") is None
    assert statement_touches("SET LOCAL work_mem = '32MB'") is None
    assert statement_touches("INSERT INTO jobs (kind) VALUES ('x')") is None
    assert statement_touches('DELETE FROM "idempotency_keys" WHERE 1=1') is None
    assert statement_touches("INSERT INTO rejections (text) VALUES ('x')") == EVERYTHING
    assert statement_touches("  update contacts set name = 'x'") == EVERYTHING
    assert statement_touches("WITH x AS (DELETE FROM touches RETURNING id) SELECT 1") \
        == EVERYTHING
    assert statement_touches("WITH x AS (SELECT 1) SELECT * FROM x") is None
    assert statement_touches("TRUNCATE followups") == EVERYTHING
    assert statement_touches("COPY contacts FROM STDIN") == EVERYTHING
    # a temporary table is the connection's own: no other process reads it
    assert statement_touches("CREATE TEMP TABLE seen ON COMMIT DROP AS SELECT 1") is None
    assert statement_touches("create temporary table seen (id int)") is None
    assert statement_touches("CREATE TABLE seen AS SELECT 1") == EVERYTHING
    assert statement_touches("CREATE TEMP TABLE seen AS WITH x AS (DELETE FROM touches "
                             "RETURNING id) SELECT 1") == EVERYTHING


def test_a_write_lets_go_of_the_pages_of_the_account_it_touched_only(
        app: Any, client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write used to empty every cached page: under five writers, fifty readers of
    account pages all recomputed."""
    ws = app.state.ws
    _postgres(ws)
    from notnow.web.pages import records

    a, b = seed(ws), seed(ws, name="Birch Ltd")
    computed: list[int] = []
    real = records._account_context

    def counting(ws: Any, actor: Any, account_id: int) -> Any:
        computed.append(account_id)
        return real(ws, actor, account_id)

    monkeypatch.setattr(records, "_account_context", counting)
    for acc in (a, b):
        assert client.get(f"/accounts/{acc.account_id}").status_code == 200
        assert client.get(f"/api/v1/contacts/{acc.contact_id}").status_code == 200
    computed.clear()
    posted = client.post("/api/v1/rejections", json={
        "contact_id": a.contact_id, "text": "We went with Rival Inc, sorry."})
    assert posted.status_code == 201, posted.text
    page_a = client.get(f"/accounts/{a.account_id}").text
    assert client.get(f"/accounts/{b.account_id}").status_code == 200
    assert computed == [a.account_id]  # B's page was kept
    assert "Rival Inc" in page_a
    computed.clear()
    renamed = client.patch(f"/api/v1/accounts/{b.account_id}", json={"name": "Birch Group"})
    assert renamed.status_code == 200, renamed.text
    client.get(f"/accounts/{a.account_id}")
    assert "Birch Group" in client.get(f"/accounts/{b.account_id}").text
    assert computed == [a.account_id, b.account_id]  # an account edit: everything


def test_a_write_still_committing_is_seen_once_it_commits(ws: Any) -> None:
    """A reader that looks while a write is committing neither misses it nor waits for it:
    the write shows at the first look after its commit."""
    _postgres(ws)
    from sqlalchemy import create_engine

    from notnow.web.agenda_cache import AgendaCache

    a, b = seed(ws), seed(ws, name="Birch Ltd")
    cache = AgendaCache(ws)
    other = create_engine(ws.db.url)
    try:
        def name_of(acc: int) -> str:
            with ws.db.read() as s:
                return str(s.execute(text("SELECT title FROM contacts WHERE account_id = :a "
                                          "ORDER BY id LIMIT 1"), {"a": acc}).scalar())

        first = cache.get(("title", a.account_id), lambda: name_of(a.account_id),
                          accounts=(a.account_id,))
        with other.connect() as conn:  # a write in flight, its change row written
            conn.exec_driver_sql("BEGIN")
            conn.exec_driver_sql("UPDATE contacts SET title = 'Chief of Fleet' "
                                 f"WHERE account_id = {a.account_id}")
            conn.exec_driver_sql("INSERT INTO notnow_data_changes (xid, everything, accounts) "
                                 f"VALUES (txid_current(), false, '{{{a.account_id}}}')")
            during = cache.get(("title", a.account_id), lambda: name_of(a.account_id),
                               accounts=(a.account_id,))
            assert during == first
            conn.exec_driver_sql("COMMIT")
        after = cache.get(("title", a.account_id), lambda: name_of(a.account_id),
                          accounts=(a.account_id,))
        assert after == "Chief of Fleet" != first
        kept = cache.get(("title", b.account_id), lambda: name_of(b.account_id),
                         accounts=(b.account_id,))
        assert cache.get(("title", b.account_id), lambda: "recomputed",
                         accounts=(b.account_id,)) == kept
    finally:
        other.dispose()
        cache.close()


def _table_names(statement: str) -> set[str]:
    return {m.lower() for m in re.findall(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_]\w*)', statement,
                                          re.I)}


def test_no_cached_read_reads_a_table_whose_writes_are_not_followed(
        app: Any, client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes to `storage.changes.UNSEEN` tables invalidate nothing: no cached value may be
    computed from them."""
    from notnow.storage.changes import UNSEEN
    from notnow.web.agenda_cache import AgendaCache

    ws = app.state.ws
    a = seed(ws)
    client.post("/api/v1/rejections", json={"contact_id": a.contact_id,
                                            "text": "Not now, try me in March."})
    read: set[str] = set()
    computing = [0]

    def record(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        if computing[0]:
            read.update(_table_names(statement))

    real_get = AgendaCache.get

    def get(self: Any, key: Any, compute: Any, **kw: Any) -> Any:
        def counted() -> Any:
            computing[0] += 1
            try:
                return compute()
            finally:
                computing[0] -= 1
        self._entries.clear()
        return real_get(self, key, counted, **kw)

    monkeypatch.setattr(AgendaCache, "get", get)
    event.listen(ws.db.engine, "before_cursor_execute", record)
    try:
        for path in ("/?day=2030-01-02", f"/accounts/{a.account_id}",
                     f"/api/v1/accounts/{a.account_id}", f"/api/v1/contacts/{a.contact_id}",
                     "/api/v1/agenda?day=2030-01-02"):
            assert client.get(path).status_code == 200, path
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", record)
    assert {"contacts", "accounts", "followups"} <= read  # it did record the reads
    assert not read & UNSEEN, read & UNSEEN


@pytest.mark.parametrize("seed_no", [1, 2])
def test_cached_pages_and_reads_are_the_fresh_ones_whatever_the_writes(
        app: Any, client: Any, seed_no: int) -> None:
    """Random writes by the API on three accounts; after each, every account's page and API
    read, and every contact's, as served from the cache equal those computed afresh."""
    ws = app.state.ws
    _postgres(ws)
    rng = random.Random(seed_no)
    seeds = [seed(ws, name=n) for n in ("Acme Corp", "Birch Ltd", "Cedar AG")]
    accounts = [s.account_id for s in seeds]
    people = [c for s in seeds for c in (s.contact_id, s.other_contact_id)]
    writes = RandomWrites(client, rng, accounts, people)
    op = writes.one

    def views() -> list[Any]:
        out: list[Any] = []
        for acc in accounts:
            out.append(client.get(f"/accounts/{acc}").text)
            out.append(client.get(f"/api/v1/accounts/{acc}").json())
        out += [client.get(f"/api/v1/contacts/{c}").json() for c in people]
        out.append(client.get("/api/v1/agenda?day=2030-01-02").json())
        return out

    views()  # warm
    done = []
    for _ in range(16):
        done.append(op())
        cached = views()
        app.state.agenda.clear()  # the kept values and the kept answers
        fresh = views()
        for got, want in zip(cached, fresh, strict=True):
            assert got == want, f"stale after: {done}"
    assert sum(": 20" in d for d in done) >= 9, done  # the writes happened


def test_readers_in_many_threads_never_see_less_than_what_was_committed(ws: Any) -> None:
    """Looks at the change log are shared by the requests that arrive while one is under way:
    none may serve a value older than a write that had committed before it asked."""
    _postgres(ws)
    import threading
    import time

    from sqlalchemy import create_engine

    from notnow.web.agenda_cache import AgendaCache

    a, b = seed(ws), seed(ws, name="Birch Ltd")
    cache = AgendaCache(ws)
    writer = create_engine(ws.db.url)  # another process's connection
    committed = [0]
    stale: list[tuple[int, int]] = []
    stop = time.monotonic() + 2.0

    def title_no(acc: int) -> int:
        with ws.db.read() as s:
            got = s.execute(text("SELECT title FROM contacts WHERE account_id = :a ORDER BY id "
                                 "LIMIT 1"), {"a": acc}).scalar()
        return int(got) if str(got).isdigit() else 0

    def write() -> None:
        n = 0
        while time.monotonic() < stop:
            n += 1
            with writer.begin() as conn:  # as Database.write records it
                conn.exec_driver_sql(f"UPDATE contacts SET title = '{n}' "
                                     f"WHERE account_id = {a.account_id}")
                conn.exec_driver_sql(
                    "INSERT INTO notnow_data_changes (xid, everything, accounts) "
                    f"VALUES (txid_current(), false, '{{{a.account_id}}}')")
            committed[0] = n
            time.sleep(0.002)

    def read() -> None:
        while time.monotonic() < stop:
            before = committed[0]
            got = cache.get(("title", a.account_id), lambda: title_no(a.account_id),
                            accounts=(a.account_id,))
            cache.get(("title", b.account_id), lambda: title_no(b.account_id),
                      accounts=(b.account_id,))
            if got < before:
                stale.append((got, before))

    threads = [threading.Thread(target=write)] + [threading.Thread(target=read)
                                                   for _ in range(6)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    finally:
        writer.dispose()
        cache.close()
    assert committed[0] > 20  # the writer did write
    assert not stale, stale[:5]
