"""Syncing a mailbox against a real Dovecot: incremental by UID, a new UIDVALIDITY read again
without doubles, a sync cut half-way going on from where it stopped, the worker's job, the
error a person sees, and a reply draft placed in the Drafts folder."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import imapclient
import pytest
from dovecot_server import PASSWORD, USER, Dovecot
from mailmaker import AFTER_OPT_OUT, DANA, OPT_OUT, PITCH, REPLY, SAM, counts, make
from sqlalchemy import func, select

from actors import as_id, owner_of

pytestmark = pytest.mark.slow
SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
ENV = {"NOTNOW_TEST_IMAP": PASSWORD}


def imap(server: Dovecot) -> Any:
    raw = imapclient.IMAPClient("127.0.0.1", port=server.port, ssl=False, timeout=5)
    raw.login(USER, PASSWORD)
    return raw


def folders(server: Dovecot, inbox: list[bytes], sent: list[bytes]) -> tuple[str, str, str]:
    """Fresh folders for one test: its inbox, Sent and Drafts, loaded with messages."""
    tag = uuid.uuid4().hex[:8]
    names = (f"In{tag}", f"Sent{tag}", f"Drafts{tag}")
    raw = imap(server)
    for name in names:
        raw.create_folder(name)
    for m in inbox:
        raw.append(names[0], m)
    for m in sent:
        raw.append(names[1], m)
    raw.logout()
    return names


@pytest.fixture
def sam(ws: Any) -> Any:
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.services.team.auth import add_user

    made = add_user(ws, owner_of(ws), {"name": "Sam Seller", "email": "sam@vendor.io",
                                       "role": "salesperson"})
    me = as_id(ws, made.id)
    acme = add_account(ws, me, {"name": "Acme", "domain": "acme.example", "country": "US"})
    add_contact(ws, me, {"name": "Dana Lee", "email": "dana@acme.example"}, account=acme.id)
    return me


def connect(ws: Any, actor: Any, server: Dovecot, names: tuple[str, str, str],
            **over: Any) -> Any:
    from notnow.services.mail.mailboxes import connect_mailbox

    args: dict[str, Any] = {"host": "127.0.0.1", "port": server.port, "username": USER,
                            "password_env": "NOTNOW_TEST_IMAP", "security": "none",
                            "folder": names[0], "sent_folder": names[1],
                            "drafts_folder": names[2], "addresses": ["sam@vendor.io"]}
    args.update(over)
    return connect_mailbox(ws, actor, "work", **args)


@SQLITE
def test_a_sync_reads_what_is_new_once_and_a_new_uidvalidity_doubles_nothing(
        ws: Any, sam: Any, dovecot: Dovecot) -> None:
    from notnow.services.mail.sync import sync_mailbox

    names = folders(dovecot, [REPLY], [PITCH])
    connect(ws, sam, dovecot, names)
    first = sync_mailbox(ws, sam, "work", environ=ENV)
    assert (first["read"], first["rejections"], first["touches"]) == (2, 1, 1)
    before = counts(ws)

    started = time.perf_counter()
    idle = sync_mailbox(ws, sam, "work", environ=ENV)
    assert idle["read"] == 0 and time.perf_counter() - started < 1.0
    assert counts(ws) == before

    raw = imap(dovecot)  # the server renumbers the folder: same messages, new UIDVALIDITY
    raw.delete_folder(names[0])
    raw.create_folder(names[0])
    raw.append(names[0], REPLY)
    raw.append(names[0], make(DANA, SAM, "Re: Fleet tracking", "Actually, send me the price "
                              "list please.", "reply-2@acme.example"))
    raw.logout()
    again = sync_mailbox(ws, sam, "work", environ=ENV)
    assert (again["read"], again["known"]) == (2, 1)
    after = counts(ws)
    assert after["mail"] == before["mail"] + 1
    assert after["rejections"] == before["rejections"] + 1


@SQLITE
def test_a_sync_cut_half_way_goes_on_from_where_it_stopped(
        ws: Any, sam: Any, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> None:
    from notnow.services.mail import ingest
    from notnow.services.mail.sync import sync_mailbox
    from notnow.storage.tables import MailFolderState

    replies = [make(f"P{i} <p{i}@acme.example>", SAM, "Re: hi", "Not now, maybe next year.",
                    f"cut{i}@acme.example") for i in range(5)]
    names = folders(dovecot, replies, [])
    connect(ws, sam, dovecot, names)
    real = ingest.log_rejection
    calls = {"n": 0}

    def dies_on_the_third(*args: Any, **kw: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*args, **kw)

    monkeypatch.setattr(ingest, "log_rejection", dies_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        sync_mailbox(ws, sam, "work", environ=ENV)
    with ws.db.read() as s:
        assert s.scalar(select(MailFolderState.last_uid)) == 2
    monkeypatch.setattr(ingest, "log_rejection", real)
    out = sync_mailbox(ws, sam, "work", environ=ENV)
    assert (out["read"], out["rejections"]) == (3, 3)
    assert counts(ws)["rejections"] == 5 and counts(ws)["mail"] == 5


def test_the_worker_syncs_each_mailbox_as_its_owner(ws: Any, sam: Any,
                                                    dovecot: Dovecot) -> None:
    from notnow.storage.tables import Job, Mailbox
    from notnow.worker import Worker
    from notnow.worker.kinds import build_registry

    names = folders(dovecot, [REPLY, OPT_OUT], [PITCH, AFTER_OPT_OUT])
    connect(ws, sam, dovecot, names)
    worker = Worker(ws.db, build_registry(), clock=ws.clock, workspace=ws, environ=ENV)
    summary = worker.run_once()
    assert (summary.done, summary.failed, summary.errors) == (1, 0, [])
    with ws.db.read() as s:
        box = s.scalar(select(Mailbox))
        assert box is not None and box.last_sync_at is not None and box.last_error is None
        assert box.last_summary is not None and box.last_summary["opt_outs"] == 1
        job = s.scalar(select(Job))
        assert job is not None and job.status == "pending" and job.every_seconds == 300
    after = counts(ws)
    # the opt-out came in the same sync as a reply that planned follow-ups: none is left,
    # and the mail sent after it is no touch
    assert after["open"] == 0 and after["touches"] == 1
    assert worker.run_once().ran == 0  # the next run is in five minutes


@SQLITE
def test_a_refused_login_is_on_the_mailbox_in_plain_words_and_retried(
        ws: Any, sam: Any, fresh_dovecot: Dovecot, caplog: pytest.LogCaptureFixture) -> None:
    from notnow.storage.tables import Job, Mailbox
    from notnow.worker import Worker
    from notnow.worker.kinds import build_registry

    names = folders(fresh_dovecot, [], [])
    connect(ws, sam, fresh_dovecot, names)
    worker = Worker(ws.db, build_registry(), clock=ws.clock, workspace=ws,
                    environ={"NOTNOW_TEST_IMAP": "wrong-Pa55-zq9"})
    with caplog.at_level("DEBUG"):
        summary = worker.run_once()
    assert summary.retried == 1
    with ws.db.read() as s:
        box = s.scalar(select(Mailbox))
        assert box is not None and "password was refused" in (box.last_error or "")
        assert "zq9" not in (box.last_error or "")
        job = s.scalar(select(Job))
        assert job is not None and job.attempts == 1 and job.status == "pending"
        assert "password was refused" in (job.last_error or "")
    # the secret is nowhere: not in the database file, not in the logs
    database = ws.config.database_url.removeprefix("sqlite:///")
    ws.db.dispose()
    stored = b"".join(p.read_bytes() for p in Path(database).parent.glob(
        Path(database).name + "*"))
    assert stored and b"zq9" not in stored and "zq9" not in caplog.text


@SQLITE
def test_a_reply_draft_lands_in_the_drafts_folder_threaded_and_nothing_is_sent(
        ws: Any, sam: Any, dovecot: Dovecot) -> None:
    from notnow.mail import parse_message
    from notnow.services.mail.drafts import place_draft
    from notnow.services.mail.sync import sync_mailbox
    from notnow.storage.tables import Rejection, Touch

    names = folders(dovecot, [REPLY], [])
    connect(ws, sam, dovecot, names)
    sync_mailbox(ws, sam, "work", environ=ENV)
    with ws.db.read() as s:
        rejection = s.scalar(select(Rejection.id))
        touches = s.scalar(select(func.count()).select_from(Touch))
    out = place_draft(ws, sam, rejection, environ=ENV)
    assert out["folder"] == names[2] and out["to"] == "dana@acme.example"
    raw = imap(dovecot)
    raw.select_folder(names[2], readonly=True)
    uids = raw.search("ALL")
    got = raw.fetch(uids, ["BODY.PEEK[]", "FLAGS"])
    raw.logout()
    assert len(uids) == 1
    data = got[uids[0]]
    assert b"\\Draft" in data[b"FLAGS"]
    draft = parse_message(data[b"BODY[]"])
    assert draft.in_reply_to == "reply-1@acme.example"
    assert draft.subject == "Re: Fleet tracking"
    with ws.db.read() as s:  # a draft is not a touch: it was not sent
        assert s.scalar(select(func.count()).select_from(Touch)) == touches
