"""The database: schema creation and upgrade, refusals, guards, and the tables/migration match."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from actors import owner_of
from notnow.errors import DatabaseLocked, DatabaseReadOnly, DatabaseTooNew, DoNotContact
from notnow.storage import migrate
from notnow.storage.engine import open_database


def test_head_matches_scripts() -> None:
    from alembic.script import ScriptDirectory

    assert ScriptDirectory(str(migrate.MIGRATIONS)).get_current_head() == migrate.HEAD


def test_tables_match_migrations(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from notnow.storage import changes
    from notnow.storage.tables import Base
    from notnow.storage.words import is_word_index

    def ours(name: str | None, kind: str, _parent: object) -> bool:
        # the word index and the log of what writes touched live beside the ORM's tables
        return not is_word_index(name) and name != changes.TABLE

    db = open_database(db_url)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(
            conn, opts={"include_name": ours}), Base.metadata)
    db.dispose()
    assert diff == []


def test_partial_indexes_are_as_the_tables_say(db_url: str) -> None:
    """The tables keep a partial index's condition in its ``info`` (`tables.partial`); the
    migrations create it. Each database holds exactly those partial indexes, each with the
    tables' condition (PostgreSQL writes it its own way: the column and the values must be
    the same)."""
    import re

    from notnow.storage.tables import Base

    said = {ix.name: str(ix.info["where"]) for t in Base.metadata.tables.values()
            for ix in t.indexes if "where" in ix.info}
    assert set(said) == {"ix_followups_open_agenda", "ix_followups_open_agenda_all",
                         "uq_jobs_active_kind_key", "ix_contacts_dnc"}
    db = open_database(db_url)
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            held = {name: sql.split(" WHERE ", 1)[1] for name, sql in conn.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql LIKE "
                "'% WHERE %'"))}
        else:
            held = dict(conn.execute(text(
                "SELECT c.relname, pg_get_expr(i.indpred, i.indrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE i.indpred IS NOT NULL "
                "AND n.nspname = current_schema()")).all())
    db.dispose()
    assert set(held) == set(said)

    def words(condition: str) -> tuple[set[str], set[str]]:
        values = set(re.findall(r"'(\w+)'", condition))
        names = set(re.findall(r"\b([a-z_]+)\b", re.sub(r"'\w+'", "", condition.lower())))
        return values, names & {"status", "kind", "key", "due", "dnc_at", "not", "null"}

    for name, condition in said.items():
        assert words(held[name]) == words(condition), (name, held[name])
        assert words(condition)[0] or "null" in words(condition)[1], condition  # what it keeps


def test_newer_database_is_refused_untouched(db_url: str) -> None:
    db = open_database(db_url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.dispose()
    with pytest.raises(DatabaseTooNew, match="newer notnow"):
        open_database(db_url)
    from sqlalchemy import create_engine

    raw = create_engine(db_url)
    with raw.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
    raw.dispose()


def test_upgrade_from_empty_keeps_a_backup(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'n.db'}"
    open_database(url).dispose()
    con = sqlite3.connect(tmp_path / "n.db")
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (migrate.HEAD,)
    con.close()


def test_locked_database_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from notnow.storage import engine

    monkeypatch.setattr(engine, "LOCK_WAIT_MS", 100)
    url = f"sqlite:///{tmp_path / 'n.db'}"
    open_database(url).dispose()
    blocker = sqlite3.connect(tmp_path / "n.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    db = open_database(url)
    try:
        with pytest.raises(DatabaseLocked, match="busy with another change"):
            with db.write() as s:
                s.execute(text("INSERT INTO meta(key, value) VALUES ('x', 'y')"))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        db.dispose()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_database_is_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'n.db'}"
    open_database(url).dispose()
    for p in tmp_path.iterdir():
        p.chmod(stat.S_IRUSR)
    tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        db = open_database(url)
        with pytest.raises(DatabaseReadOnly, match="read-only"):
            with db.write() as s:
                s.execute(text("INSERT INTO meta(key, value) VALUES ('x', 'y')"))
        db.dispose()
    finally:
        tmp_path.chmod(stat.S_IRWXU)


def test_read_only_via_uri_is_a_clear_error(tmp_path: Path) -> None:
    """Also as root: open the file read-only through SQLite's URI form."""
    url = f"sqlite:///{tmp_path / 'n.db'}"
    open_database(url).dispose()
    ro = open_database(f"sqlite:///file:{tmp_path / 'n.db'}?mode=ro&uri=true")
    with pytest.raises(DatabaseReadOnly, match="read-only"):
        with ro.write() as s:
            s.execute(text("INSERT INTO meta(key, value) VALUES ('x', 'y')"))
    ro.dispose()


def test_database_triggers_refuse_dnc_writes(ws) -> None:  # type: ignore[no-untyped-def]
    """Even raw SQL that bypasses the services cannot schedule a touch for an opted-out contact."""
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact

    add_account(ws, owner_of(ws), {"name": "Acme"})
    c = add_contact(ws, owner_of(ws), {"name": "Dana"}, account="Acme")
    mark_dnc(ws, owner_of(ws), c.id, reason="asked")
    with pytest.raises(DoNotContact):
        with ws.db.write() as s:
            s.execute(text(
                "INSERT INTO followups (contact_id, account_id, due, channel, purpose, status, "
                "created_at) VALUES (:c, :a, '2026-12-01', 'email', 'x', 'due', :now)"),
                {"c": c.id, "a": c.account_id, "now": ws.now()})
    with pytest.raises(DoNotContact):
        with ws.db.write() as s:
            s.execute(text(
                "INSERT INTO touches (contact_id, account_id, channel, direction, at, created_at)"
                " VALUES (:c, :a, 'call', 'outbound', :now, :now)"),
                {"c": c.id, "a": c.account_id, "now": ws.now()})
    with ws.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM followups")).scalar() == 0
        assert s.execute(text("SELECT count(*) FROM touches")).scalar() == 0


def test_orm_guard_names_the_opt_out(ws) -> None:  # type: ignore[no-untyped-def]
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.storage.tables import FollowUp

    add_account(ws, owner_of(ws), {"name": "Acme"})
    c = add_contact(ws, owner_of(ws), {"name": "Dana"}, account="Acme")
    mark_dnc(ws, owner_of(ws), c.id, reason="asked by phone")
    with pytest.raises(DoNotContact, match="asked by phone"):
        with ws.db.write() as s:
            s.add(FollowUp(contact_id=c.id, account_id=c.account_id, due=ws.today(),
                           channel="email", purpose="x", status="due", created_at=ws.now()))


def test_workspaces_of_one_database_share_an_engine_and_the_last_one_closes_it(
        db_url: str) -> None:
    """Opened again in the same process, a database reuses its engine (its statements stay
    compiled); closing one workspace leaves the other working, closing the last one leaves no
    connection open."""
    first = open_database(db_url)
    second = open_database(db_url)
    assert first.engine is second.engine
    with first.read() as s:
        assert s.execute(text("SELECT 1")).scalar() == 1
    first.dispose()
    first.dispose()  # twice: harmless, and it does not count as the other one letting go
    with second.read() as s:
        assert s.execute(text("SELECT 2")).scalar() == 2
    assert second.engine.pool.checkedin() >= 1
    second.dispose()
    assert second.engine.pool.checkedin() == 0
    third = open_database(db_url)
    try:
        assert third.engine is second.engine
        with third.write() as s:
            assert s.execute(text("SELECT 3")).scalar() == 3
    finally:
        third.dispose()


def test_a_database_server_that_never_answers_is_given_up_on(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that takes the connection and then says nothing (a hung pooler, a machine gone
    quiet) is given up on after CONNECT_TIMEOUT_S with an error that says so — not after
    psycopg's 130 s, on every thread that asks."""
    import socket
    import threading
    import time

    from notnow.errors import StorageError
    from notnow.storage import engine

    monkeypatch.setattr(engine, "CONNECT_TIMEOUT_S", 1)
    quiet = socket.socket()
    quiet.bind(("127.0.0.1", 0))
    quiet.listen(8)  # takes connections into its backlog, never answers a word
    url = f"postgresql+psycopg://postgres@127.0.0.1:{quiet.getsockname()[1]}/notnow"
    outcome: list[BaseException | None] = []

    def connect() -> None:
        try:
            open_database(url).dispose()
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 — what it raised is the point
            outcome.append(exc)

    started = time.monotonic()
    trying = threading.Thread(target=connect, daemon=True)
    trying.start()
    trying.join(timeout=20)
    took = time.monotonic() - started
    quiet.close()  # a connection still waiting is reset now
    trying.join(timeout=10)
    assert took < 20, "still waiting for a server that never answers"
    assert len(outcome) == 1 and isinstance(outcome[0], StorageError), outcome
    assert "did not answer in time" in str(outcome[0])
    assert "postgres@" not in str(outcome[0])  # never the URL
