"""Caches that hold across processes (issue 16): the agenda and the account page are cached in
every web process, on SQLite and on PostgreSQL, and a write by any other process shows at the
next request."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from web_support import free_port

FAR = "2030-01-02"  # after every follow-up these tests schedule: all of them show, overdue
NAMES = ("Ines Alder", "Jon Birch", "Kai Cedar")


def test_the_agenda_cache_holds_until_anything_commits(ws: Any) -> None:
    """On PostgreSQL nothing used to be cached: every page ranked the agenda again."""
    from datetime import date

    from actors import owner_of
    from notnow.services.capture.log import log_rejection
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.services.workspace import open_workspace
    from notnow.web.agenda_cache import AgendaCache

    me = owner_of(ws)
    acme = add_account(ws, me, {"name": "Acme"})
    dana = add_contact(ws, me, {"name": "Dana Ruiz", "email": "dana@acme.example"},
                       account=acme.id)
    log_rejection(ws, me, {"text": "Not now, try me in March."}, contact=dana.id)
    cache = AgendaCache(ws)
    day = date.fromisoformat(FAR)
    first = cache.agenda(ws, day, None)
    assert first and cache.agenda(ws, day, None) is first  # nothing changed: kept
    other = open_workspace(ws.config)  # another process: its own engine and connections
    try:
        lee = add_contact(other, owner_of(other), {"name": "Lee Park"}, account=acme.id)
        log_rejection(other, owner_of(other), {"text": "Not now, try me in March."},
                      contact=lee.id)
    finally:
        other.close()
    after = cache.agenda(ws, day, None)
    assert after is not first and {i.contact_id for i in after} >= {dana.id, lee.id}
    cache.close()


def test_commits_elsewhere_on_the_server_keep_the_agenda_cached(ws: Any) -> None:
    """The cache used to be keyed on the server's transaction snapshot: every commit in any
    database of the server (another team's, the tests running beside) emptied it."""
    from datetime import date

    from sqlalchemy import create_engine, make_url

    from actors import owner_of
    from notnow.services.capture.log import log_rejection
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.web.agenda_cache import AgendaCache

    url = make_url(ws.db.url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("a server with other databases: PostgreSQL")
    me = owner_of(ws)
    acme = add_account(ws, me, {"name": "Acme"})
    dana = add_contact(ws, me, {"name": "Dana Ruiz"}, account=acme.id)
    log_rejection(ws, me, {"text": "Not now, try me in March."}, contact=dana.id)
    cache = AgendaCache(ws)
    elsewhere = create_engine(url.set(database="postgres"))
    try:
        day = date.fromisoformat(FAR)
        first = cache.agenda(ws, day, None)
        for _ in range(3):  # transactions that commit, in another database of the server
            with elsewhere.begin() as conn:
                conn.exec_driver_sql("SELECT txid_current()")
        with ws.db.read() as s:  # and a read here
            s.execute(text("SELECT count(*) FROM contacts")).scalar()
        assert cache.agenda(ws, day, None) is first
        with ws.db.write() as s:  # a write here, even one that changes nothing
            s.execute(text("UPDATE contacts SET name = name WHERE id = -1"))
        assert cache.agenda(ws, day, None) is not first
    finally:
        elsewhere.dispose()
        cache.close()


@contextmanager
def _server(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from notnow.cli.main import run; run()",
                             "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/v1/me", timeout=5):
                    break
            except OSError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stderr is not None:
            proc.stderr.close()


def _page(base: str, path: str = f"/?day={FAR}") -> str:
    with urllib.request.urlopen(f"{base}{path}", timeout=30) as r:
        assert r.status == 200
        return r.read().decode()


def _dnc_marks(page: str, people: dict[str, int]) -> set[str]:
    """Who the account page shows as do-not-contact."""
    return {name for name, cid in people.items()
            if f'class="person dnc" href="/contacts/{cid}"' in page}


@pytest.mark.slow
def test_two_web_processes_and_a_cli_writer_never_show_a_stale_agenda(
        ws: Any, db_url: str, tmp_path: Path, clock: Any) -> None:
    if db_url.startswith("sqlite"):  # one file on one machine: test_agenda_sees_writes_at_once
        pytest.skip("several machines share a database only on PostgreSQL")
    from actors import owner_of
    from notnow.services.capture.log import log_rejection
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact

    me = owner_of(ws)
    acme = add_account(ws, me, {"name": "Acme Corp"})
    people = {}
    for i, name in enumerate(NAMES):
        person = add_contact(ws, me, {"name": name, "email": f"p{i}@acme.example"},
                             account=acme.id)
        people[name] = person.id
        log_rejection(ws, me, {"text": "Not now, try me again in March."}, contact=person.id)
    account = f"/accounts/{acme.id}"
    env = {**os.environ, "NOTNOW_HOME": str(tmp_path), "NOTNOW_DATABASE_URL": db_url,
           "NOTNOW_NOW": clock.now().isoformat(), "NO_COLOR": "1"}
    env.pop("NOTNOW_USER", None)
    with ExitStack() as stack:
        servers = [stack.enter_context(_server(env)) for _ in range(2)]
        for base in servers:  # warm each process's caches: the agenda and the account page
            assert all(name in _page(base) for name in NAMES)
            assert all(name in _page(base) for name in NAMES)
            assert _dnc_marks(_page(base, account), people) == set()
            assert _dnc_marks(_page(base, account), people) == set()
        for gone, name in enumerate(NAMES[:2], start=1):  # the writer: another process
            done = subprocess.run([sys.executable, "-c", "from notnow.cli.main import run; run()",
                                   "dnc", name, "--reason", "asked to be left alone"],
                                  env=env, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            for base in servers:
                page = _page(base)
                assert name not in page, f"{base} showed {name} after the opt-out"
                assert all(other in page for other in NAMES[gone:])
                assert _dnc_marks(_page(base, account), people) == set(NAMES[:gone]), \
                    f"{base}'s account page missed an opt-out"
