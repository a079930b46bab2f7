"""notnow through PgBouncer in transaction mode: a real PgBouncer in front of the real
PostgreSQL, started by the test.

A pooler in transaction mode hands each transaction whichever server connection is free.
What notnow keeps in a connection lasts one transaction (row locks, advisory ``xact`` locks,
``SET LOCAL``, temporary tables dropped on commit), so it holds; what did not was psycopg's
statements prepared on the server after their fifth run — missing on the next server
connection ("prepared statement "_pg3_0" does not exist": a 500 for every page and API read
after a few requests under load). `notnow.storage.engine.poolable` prepares nothing on a
connection that does not reach the server it dialled.
"""

from __future__ import annotations

import os
import pwd
import random
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from listening import listening, stop
from notnow import settings
from notnow.core.clock import FixedClock
from web_support import free_port

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)

pytestmark = pytest.mark.slow

PGBOUNCER = shutil.which("pgbouncer") or next(
    (p for p in ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer") if os.path.exists(p)), None)


def _as_user() -> list[str]:
    """PgBouncer will not run as root: run it as the postgres user then."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no postgres user to run PgBouncer as")
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.skip("running as root without runuser to run PgBouncer as postgres")
    return [runuser, "-u", "postgres", "--"]


@pytest.fixture(scope="module")
def pooled(pg_base: str) -> Iterator[tuple[str, str]]:
    """(the URL through PgBouncer, the direct URL) of a new database of its own."""
    if PGBOUNCER is None:
        pytest.skip("no PgBouncer: apt-get install pgbouncer")
    base = make_url(pg_base)
    name = f"notnow_pgb_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    folder = Path(tempfile.mkdtemp(prefix="notnow-pgbouncer-"))
    folder.chmod(0o755)  # read by the postgres user
    port = free_port()
    users = folder / "users.txt"
    users.write_text(f'"{base.username or "postgres"}" ""\n')
    config = folder / "pgbouncer.ini"
    config.write_text(f"""[databases]
{name} = host={base.host or "127.0.0.1"} port={base.port or 5432} dbname={name}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {users}
pool_mode = transaction
default_pool_size = 3
max_client_conn = 200
""")
    users.chmod(0o644)
    config.chmod(0o644)
    log = (folder / "pgbouncer.log").open("w")  # a file, not a pipe: it logs every login
    proc = subprocess.Popen([*_as_user(), PGBOUNCER, str(config)], stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        if not listening(port, proc, 10):
            proc.kill()
            proc.wait()
            log.close()
            said = (folder / "pgbouncer.log").read_text()[-2000:]
            pytest.fail(f"PgBouncer did not start: {said}")
        through = base.set(host="127.0.0.1", port=port, database=name, query={})
        direct = base.set(database=name, query={})
        yield (through.render_as_string(hide_password=False),
               direct.render_as_string(hide_password=False))
    finally:
        stop(proc)
        log.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def test_a_connection_prepares_statements_only_when_it_reaches_the_server_it_dialled(
        pooled: tuple[str, str]) -> None:
    from notnow.storage.engine import poolable

    through, direct = pooled
    seen = {}
    for what, url in (("through", through), ("direct", direct)):
        engine = poolable(create_engine(url))
        with engine.connect() as conn:
            seen[what] = conn.connection.driver_connection.prepare_threshold
        engine.dispose()
    assert seen["through"] is None  # nothing prepared through the pooler
    assert seen["direct"] == 5  # psycopg's own: a direct connection keeps what it saves


def test_a_connection_the_server_will_not_place_is_handed_on_usable(
        pg_base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """If asking the server where it is fails, the connection prepares nothing (unsure is not
    direct) and is not left in the failed question's aborted transaction."""
    from notnow.storage import engine as storage

    monkeypatch.setattr(storage, "WHERE_AM_I", "SELECT no_such_function_here()")
    engine = storage.poolable(create_engine(pg_base))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 41 + 1")).scalar() == 42
            assert conn.connection.driver_connection.prepare_threshold is None
    finally:
        engine.dispose()


@pytest.mark.parametrize(("dialled", "server", "same"), [
    (("127.0.0.1", 5432), ("127.0.0.1", 5432), True),
    (("127.0.0.1", 5432), ("::ffff:127.0.0.1", 5432), True),  # a dual-stack socket
    (("::1", 5432), ("::1", 5432), True),
    ((None, 5432), (None, None), True),  # a Unix socket to the server itself
    (("127.0.0.1", 6432), ("127.0.0.1", 5432), False),  # a pooler on the same machine
    (("10.0.0.5", 5432), ("10.0.0.7", 5432), False),  # a pooler on another machine
    ((None, 6432), ("127.0.0.1", 5432), False),  # a pooler's Unix socket
    (("127.0.0.1", 5432), (None, None), False),
    (("127.0.0.1", 5432), ("not an address", 5432), False),
])
def test_where_a_connection_lands(dialled: tuple[str | None, int], server: tuple[str | None,
                                  int | None], same: bool) -> None:
    from notnow.storage.engine import same_place

    assert same_place(dialled, server) is same


def test_a_team_works_through_a_transaction_pooler(pooled: tuple[str, str],
                                                    tmp_path: Path) -> None:
    """Migrations, the demo, then eight people at once logging noes and reading contacts and
    the agenda — far more transactions than the pooler's three server connections, each
    statement run well over five times — and the agenda cache following the change log."""
    from notnow.services.capture.log import log_rejection
    from notnow.services.demo.load import load_demo
    from notnow.services.followups.agenda import agenda
    from notnow.services.records.contacts import list_contacts, show_contact
    from notnow.services.team.acting import actor_for
    from notnow.services.workspace import open_workspace
    from notnow.web.agenda_cache import AgendaCache

    through, _direct = pooled
    ws = open_workspace(settings.load({"NOTNOW_HOME": str(tmp_path),
                                       "NOTNOW_DATABASE_URL": through}),
                        clock=FixedClock(NOW))
    cache = AgendaCache(ws)
    try:
        owner = actor_for(ws, ws.owner_id)
        assert owner is not None
        load_demo(ws, owner)
        ids = [c.id for c in list_contacts(ws, owner, limit=500) if not c.do_not_contact]
        errors: list[BaseException] = []
        logged = []
        ticks = [cache.version()]

        def person(seed: int) -> None:
            rng = random.Random(seed)
            try:
                for _ in range(6):
                    contact = rng.choice(ids)
                    show_contact(ws, owner, contact)
                    agenda(ws, owner)
                    logged.append(log_rejection(
                        ws, owner, {"text": "Not now, we are mid-migration until spring.",
                                    "label": "not_now"}, contact=contact))
            except BaseException as exc:  # noqa: BLE001  (reported below, whatever it is)
                errors.append(exc)

        def looker() -> None:
            try:
                while any(t.is_alive() for t in people):
                    ticks.append(cache.version())
                    time.sleep(0.01)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        people = [threading.Thread(target=person, args=(i,)) for i in range(8)]
        for t in people:
            t.start()
        watch = threading.Thread(target=looker)
        watch.start()
        for t in [*people, watch]:
            t.join(120)
        assert not errors, repr(errors[:3])
        assert len(logged) == 8 * 6
        ticks.append(cache.version())
        assert len(ticks) > 10 and ticks[-1] is not None and ticks[-1] > ticks[0]
    finally:
        cache.close()
        ws.close()
