"""One read transaction for a page made of several services' reads (`Database.reading`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, select

from actors import owner_of, user
from notnow.services.demo.load import load_demo
from notnow.services.learning import journal
from notnow.services.learning.autopsy import closest_for_account
from notnow.services.records import accounts, activity, contacts, pages
from notnow.storage.tables import Account, Contact


@contextmanager
def checkouts(ws: Any) -> Iterator[list[int]]:
    """How many connections the workspace's pool hands out in the block (one a transaction)."""
    seen = [0]

    def count(*_: Any) -> None:
        seen[0] += 1

    event.listen(ws.db.engine, "checkout", count)
    try:
        yield seen
    finally:
        event.remove(ws.db.engine, "checkout", count)


def test_reads_inside_reading_are_one_transaction(ws: Any) -> None:
    with checkouts(ws) as apart:
        with ws.db.read() as a:
            a.scalar(select(Account.id))
        with ws.db.read() as b:
            b.scalar(select(Account.id))
    assert a is not b and apart[0] == 2

    with checkouts(ws) as together, ws.db.reading() as outer:
        with ws.db.read() as a:
            a.scalar(select(Account.id))
        with ws.db.read() as b, ws.db.reading() as inner:
            b.scalar(select(Contact.id))
    assert a is b is outer is inner
    assert together[0] == 1

    with checkouts(ws) as after, ws.db.read() as c:  # the block ended: a read of its own
        c.scalar(select(Account.id))
    assert c is not outer and after[0] == 1


def test_another_thread_or_a_write_does_not_share_it(ws: Any) -> None:
    theirs: list[Any] = []
    with ws.db.reading() as mine:
        worker = threading.Thread(target=lambda: theirs.append(_session_of_a_read(ws)))
        worker.start()
        worker.join()
        with ws.db.write() as w:
            assert w is not mine
    assert theirs and theirs[0] is not mine


def _session_of_a_read(ws: Any) -> Any:
    with ws.db.read() as s:
        s.scalar(select(Account.id))
        return s


def test_an_error_inside_ends_it_and_gives_the_connection_back(ws: Any) -> None:
    pool = ws.db.engine.pool
    with pytest.raises(LookupError), ws.db.reading():
        with ws.db.read() as s:
            s.scalar(select(Account.id))
            raise LookupError("a part failed")
    assert pool.checkedout() == 0
    with ws.db.read() as fresh:  # nothing of the failed one is held
        assert fresh is not s
        fresh.scalar(select(Account.id))


def test_a_page_is_one_transaction(ws: Any) -> None:
    owner = owner_of(ws)
    user(ws, "Sam")  # someone to hand an account to: the admin's page lists heirs
    load_demo(ws, owner)
    with ws.db.read() as s:
        person = s.scalars(select(Contact).order_by(Contact.id)).first()
        assert person is not None
        cid, aid = person.id, person.account_id

    # the same parts, each read on its own: what the pages took before
    with checkouts(ws) as apart:
        accounts.show_account(ws, owner, aid)
        activity.account_activity(ws, owner, aid)
        pages.trail(ws, owner, account=aid)
        journal.journal_for_account(ws, owner, aid, limit=5)
        closest_for_account(ws, owner, aid, n=3)
        pages.heirs(ws, owner)
    assert apart[0] == 6

    with checkouts(ws) as account_page:
        page = pages.account_page(ws, owner, aid)
    assert account_page[0] == 1
    assert page["account"].id == aid and page["heirs"] and page["trail"] is not None
    assert [c.id for c in page["contacts"]] == [c.id for c in accounts.show_account(
        ws, owner, aid, limit=pages.PEOPLE_SHOWN, ways_in=True)["contacts"]]

    with checkouts(ws) as contact_page:
        page = pages.contact_page(ws, owner, cid)
    assert contact_page[0] == 1
    assert page["c"] == contacts.show_contact(ws, owner, cid)
    assert page["activity"] == activity.contact_activity(ws, owner, cid)
