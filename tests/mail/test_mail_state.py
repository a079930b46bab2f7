"""Sync state on both databases: a message is recorded once whatever the origin, folder
positions follow UIDVALIDITY, and a crash before commit leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from mailcorpus import MESSAGES
from sqlalchemy import func, select

from notnow.mail import parse_message
from notnow.mail.state import (
    Origin,
    advance_folder,
    find_by_message_id,
    folder_start,
    remember_message,
    seen,
    set_outcome,
)
from notnow.storage.engine import Database, open_database
from notnow.storage.tables import Mailbox, MailMessage, User

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()


OWNER = 1


@pytest.fixture
def mailbox(db: Database) -> int:
    with db.write() as s:
        owner = User(name="Sam Seller", email="sam@vendor.io", created_at=NOW)
        s.add(owner)
        s.flush()
        assert owner.id == OWNER
        box = Mailbox(name="work", owner_id=owner.id, host="imap.vendor.io", port=993,
                      username="sam@vendor.io", secret_ref="env:NOTNOW_MAIL_PASSWORD",
                      created_at=NOW)
        s.add(box)
        s.flush()
        return box.id


def count(db: Database) -> int:
    with db.read() as s:
        return int(s.execute(select(func.count()).select_from(MailMessage)).scalar_one())


def test_a_message_is_recorded_once_across_folders_and_files(db: Database, mailbox: int) -> None:
    reply = parse_message(MESSAGES["gmail_de"])
    with db.write() as s:
        first = remember_message(s, reply, "inbound", Origin(mailbox, "INBOX", 7),
                                 owner_id=OWNER, now=NOW)
        assert first is not None
        set_outcome(s, first, "rejection")
    with db.write() as s:
        assert remember_message(s, reply, "inbound", Origin(mailbox, "Archive", 3),
                                owner_id=OWNER, now=NOW) is None
        assert remember_message(s, reply, "inbound", Origin(source="export.mbox", number=12),
                                owner_id=OWNER, now=NOW) is None
        assert seen(s, OWNER, [reply.fingerprint, "nope"]) == {reply.fingerprint}
        row = find_by_message_id(s, OWNER, "<CAKjonas-reply-1@mail.gmail.com>")
        assert row is not None and (row.folder, row.uid, row.outcome) == ("INBOX", 7, "rejection")
        assert row.sender == "jonas.kaeufer@kaeufer.de"
    assert count(db) == 1


def test_a_crash_before_commit_leaves_nothing(db: Database, mailbox: int) -> None:
    reply = parse_message(MESSAGES["outlook_cp1252"])
    with pytest.raises(RuntimeError), db.write() as s:
        remember_message(s, reply, "inbound", Origin(mailbox, "INBOX", 1), owner_id=OWNER,
                         now=NOW)
        advance_folder(s, mailbox, "INBOX", 42, 1, now=NOW)
        raise RuntimeError("killed half-way")
    with db.write() as s:
        assert folder_start(s, mailbox, "INBOX", 42) == 0
        assert remember_message(s, reply, "inbound", Origin(mailbox, "INBOX", 1),
                                owner_id=OWNER, now=NOW) is not None
    assert count(db) == 1


def test_folder_position_follows_uidvalidity(db: Database, mailbox: int) -> None:
    with db.write() as s:
        assert folder_start(s, mailbox, "INBOX", 42) == 0
        advance_folder(s, mailbox, "INBOX", 42, 10, now=NOW)
        advance_folder(s, mailbox, "INBOX", 42, 8, now=NOW)  # never moves back
        assert folder_start(s, mailbox, "INBOX", 42) == 10
        assert folder_start(s, mailbox, "INBOX", 43) == 0  # renumbered: read it all again
        advance_folder(s, mailbox, "INBOX", 43, 2, now=NOW)
        assert folder_start(s, mailbox, "INBOX", 43) == 2
        assert folder_start(s, mailbox, "Sent", 43) == 0
        advance_folder(s, mailbox, "INBOX", 4_294_967_295, 4_294_967_294, now=NOW)  # 32-bit
        assert folder_start(s, mailbox, "INBOX", 4_294_967_295) == 4_294_967_294
