"""Fix what was typed (issue 14): edit, merge, delete and restore accounts, contacts, deals,
rejections, touches and follow-ups — audited, within what the actor may change, the
suppression list and the caps kept."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, select

from actors import user
from promises import broken_promises


@pytest.fixture
def desk(ws: Any) -> dict[str, Any]:
    """Ana's account with two rows of one person (Lucía twice), a deal and a "no"."""
    from notnow.services.capture.log import log_rejection
    from notnow.services.capture.touches import record_touch
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.services.records.deals import add_deal

    ana, ben = user(ws, "Ana"), user(ws, "Ben")
    acc = add_account(ws, ana, {"name": "Acme", "country": "US",
                                "timezone": "America/Chicago"})
    lucia = add_contact(ws, ana, {"name": "Lucía Pérez", "email": "lucia@acme.example",
                                  "title": "CFO"}, account=acc.id)
    twin = add_contact(ws, ana, {"name": "Lucia Perez", "email": "lperez@acme.example",
                                 "phone": "+1 312 555 0100"}, account=acc.id)
    deal = add_deal(ws, ana, {"offer": "Suite", "value": 1000}, account=acc.id,
                    contact=lucia.id)
    record_touch(ws, ana, {"channel": "call", "at": ws.now() - timedelta(days=40)},
                 contact=twin.id)
    old = log_rejection(ws, ana, {"label": "no_budget",
                                  "at": ws.now() - timedelta(days=30)}, contact=twin.id)
    new = log_rejection(ws, ana, {"label": "not_now",
                                  "at": ws.now() - timedelta(days=2)}, contact=lucia.id,
                        deal=deal.id)
    return {"ana": ana, "ben": ben, "acc": acc.id, "lucia": lucia.id, "twin": twin.id,
            "deal": deal.id, "old": old.id, "new": new.id}


def _count(ws: Any, model: Any, *where: Any) -> int:
    with ws.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _trail(ws: Any, action: str) -> list[Any]:
    from notnow.storage.tables import AuditEvent

    with ws.db.read() as s:
        return [SimpleNamespace(action=e.action, before=e.before, after=e.after)
                for e in s.scalars(select(AuditEvent).where(AuditEvent.action == action))]


def test_editing_a_contact_is_audited_and_refuses_another_contacts_email(
        ws: Any, desk: dict[str, Any]) -> None:
    from notnow.errors import Conflict, InvalidInput, NotFound
    from notnow.services.records.edit import edit_contact

    out = edit_contact(ws, desk["ana"], desk["lucia"], {"title": "CEO", "phone": "555 0101"})
    assert out.contact.title == "CEO" and out.changed == ["title", "phone"]
    assert out.message is None
    [event] = _trail(ws, "contact.edited")
    assert event.before == {"title": "CFO", "phone": None}
    assert event.after == {"title": "CEO", "phone": "555 0101"}
    with pytest.raises(Conflict) as dup:
        edit_contact(ws, desk["ana"], desk["lucia"], {"email": "LPerez@acme.example"})
    assert "merge" in dup.value.message and str(desk["twin"]) in dup.value.message
    with pytest.raises(InvalidInput):
        edit_contact(ws, desk["ana"], desk["lucia"], {"name": ""})
    with pytest.raises(NotFound):  # another person's contact is not theirs to change
        edit_contact(ws, desk["ben"], desk["lucia"], {"title": "x"})


def test_an_edited_email_that_opted_out_makes_the_contact_do_not_contact_naming_no_one(
        ws: Any, desk: dict[str, Any]) -> None:
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.services.records.edit import edit_contact
    from notnow.storage.tables import FollowUp

    ben = desk["ben"]
    other = add_account(ws, ben, {"name": "Globex Secret Corp"})
    gone = add_contact(ws, ben, {"name": "Zed Secretname", "email": "zed@globex.example"},
                       account=other.id)
    mark_dnc(ws, ben, gone.id, reason="asked")
    assert _count(ws, FollowUp, FollowUp.contact_id == desk["lucia"],
                  FollowUp.status.in_(("due", "snoozed"))) > 0
    out = edit_contact(ws, desk["ana"], desk["lucia"], {"email": "ZED@globex.example"})
    assert out.contact.do_not_contact
    assert out.message and "Zed" not in out.message and "Ben" not in out.message
    assert "Zed" not in (out.contact.dnc_reason or "")
    assert _count(ws, FollowUp, FollowUp.contact_id == desk["lucia"],
                  FollowUp.status.in_(("due", "snoozed"))) == 0
    assert not broken_promises(ws)


def test_merging_contacts_keeps_every_record_and_the_strictest_do_not_contact(
        ws: Any, desk: dict[str, Any]) -> None:
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.records.contacts import show_contact
    from notnow.services.records.merge import merge_contacts
    from notnow.storage.tables import Contact, FollowUp, Rejection, Touch

    mark_dnc(ws, desk["ana"], desk["twin"], reason="asked us to stop")
    out = merge_contacts(ws, desk["ana"], desk["lucia"], desk["twin"])
    assert out.kept == desk["lucia"] and out.do_not_contact
    assert _count(ws, Contact, Contact.id == desk["twin"]) == 0
    assert _count(ws, Rejection, Rejection.contact_id == desk["lucia"]) == 2
    assert _count(ws, Touch, Touch.contact_id == desk["lucia"]) == 1
    assert _count(ws, FollowUp, FollowUp.contact_id == desk["lucia"],
                  FollowUp.status.in_(("due", "snoozed"))) == 0
    kept = show_contact(ws, desk["ana"], desk["lucia"])
    assert kept.do_not_contact and kept.phone == "+1 312 555 0100"  # a blank filled
    assert kept.email == "lucia@acme.example"
    [event] = _trail(ws, "contact.merged")
    assert event.before["merged"]["email"] == "lperez@acme.example"
    assert not broken_promises(ws)


def test_merging_keeps_only_the_latest_words_plan_within_the_caps(
        ws: Any, desk: dict[str, Any]) -> None:
    from notnow.services.records.merge import merge_contacts
    from notnow.storage.tables import FollowUp

    merge_contacts(ws, desk["ana"], desk["twin"], desk["lucia"])  # the other way round
    with ws.db.read() as s:
        plans = set(s.scalars(select(FollowUp.rejection_id).where(
            FollowUp.contact_id == desk["twin"], FollowUp.status.in_(("due", "snoozed")))))
    assert plans and plans <= {desk["new"], None}
    assert not broken_promises(ws)


def test_a_deleted_contact_is_gone_everywhere_and_comes_back_whole(
        ws: Any, desk: dict[str, Any]) -> None:
    from notnow.errors import NotFound
    from notnow.services.followups.agenda import agenda
    from notnow.services.records.contacts import list_contacts
    from notnow.services.records.search import search
    from notnow.services.records.trash import delete_record, list_trash, restore_record
    from notnow.storage.tables import Deal, FollowUp, Rejection

    ana = desk["ana"]
    far = ws.today() + timedelta(days=400)
    before = len(agenda(ws, ana, far))
    planned = _count(ws, FollowUp, FollowUp.contact_id == desk["lucia"])
    gone = delete_record(ws, ana, "contact", desk["lucia"])
    assert gone.rows > 3
    assert [c.id for c in list_contacts(ws, ana)] == [desk["twin"]]
    assert desk["lucia"] not in [c.id for c in search(ws, ana, "Lucía").contacts]
    assert len(agenda(ws, ana, far)) < before
    assert _count(ws, Rejection, Rejection.id == desk["new"]) == 0
    with ws.db.read() as s:
        assert s.get(Deal, desk["deal"]).contact_id is None  # type: ignore[union-attr]
    assert [t.entity_id for t in list_trash(ws, ana)] == [desk["lucia"]]
    assert list_trash(ws, desk["ben"]) == []
    with pytest.raises(NotFound):
        restore_record(ws, desk["ben"], "contact", desk["lucia"])
    back = restore_record(ws, ana, "contact", desk["lucia"])
    assert back.entity_id == desk["lucia"]
    assert _count(ws, Rejection, Rejection.id == desk["new"]) == 1
    assert _count(ws, FollowUp, FollowUp.contact_id == desk["lucia"]) == planned
    with ws.db.read() as s:
        assert s.get(Deal, desk["deal"]).contact_id == desk["lucia"]  # type: ignore[union-attr]
    assert len(agenda(ws, ana, far)) == before
    assert list_trash(ws, ana) == []
    assert {e.action for e in _trail(ws, "contact.deleted") + _trail(ws, "contact.restored")
            } == {"contact.deleted", "contact.restored"}
    assert not broken_promises(ws)


def test_a_contact_restored_after_an_opt_out_under_its_email_is_do_not_contact(
        ws: Any, desk: dict[str, Any]) -> None:
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.records.contacts import add_contact, show_contact
    from notnow.services.records.trash import delete_record, restore_record
    from notnow.storage.tables import FollowUp

    ana = desk["ana"]
    delete_record(ws, ana, "contact", desk["lucia"])
    again = add_contact(ws, ana, {"name": "L. P.", "email": "lucia@acme.example"},
                        account=desk["acc"])
    mark_dnc(ws, ana, again.id, reason="asked")
    out = restore_record(ws, ana, "contact", desk["lucia"])
    assert out.cancelled_followups > 0
    assert show_contact(ws, ana, out.entity_id).do_not_contact
    assert _count(ws, FollowUp, FollowUp.contact_id == out.entity_id,
                  FollowUp.status.in_(("due", "snoozed"))) == 0
    assert not broken_promises(ws)


def test_deleting_a_wrong_rejection_removes_its_plan_and_the_trash_is_purged(
        ws: Any, desk: dict[str, Any], clock: Any) -> None:
    from notnow.errors import NotFound
    from notnow.services.records.trash import delete_record, restore_record
    from notnow.storage.tables import FollowUp, Trash

    ana = desk["ana"]
    delete_record(ws, ana, "rejection", desk["new"])
    assert _count(ws, FollowUp, FollowUp.rejection_id == desk["new"]) == 0
    delete_record(ws, ana, "touch", _first_touch(ws, desk["twin"]))
    clock.advance(days=31)
    delete_record(ws, ana, "deal", desk["deal"])  # each deletion purges what is too old
    assert _count(ws, Trash) == 1
    with pytest.raises(NotFound):
        restore_record(ws, ana, "rejection", desk["new"])
    restore_record(ws, ana, "deal", desk["deal"])
    assert _count(ws, Trash) == 0


def _first_touch(ws: Any, contact_id: int) -> int:
    from notnow.storage.tables import Touch

    with ws.db.read() as s:
        return int(s.scalar(select(Touch.id).where(Touch.contact_id == contact_id)) or 0)


def test_an_account_deleted_and_restored_keeps_its_ids_and_links(
        ws: Any, desk: dict[str, Any]) -> None:
    from notnow.services.learning.journal import add_entry
    from notnow.services.records.accounts import list_accounts
    from notnow.services.records.trash import delete_record, restore_record
    from notnow.storage.tables import Contact, JournalEntry

    ana = desk["ana"]
    entry = add_entry(ws, ana, "they were kind", account=desk["acc"])
    delete_record(ws, ana, "account", desk["acc"])
    assert list_accounts(ws, ana) == [] and _count(ws, Contact) == 0
    restore_record(ws, ana, "account", desk["acc"])
    assert _count(ws, Contact) == 2
    with ws.db.read() as s:
        assert s.get(JournalEntry, entry.id).account_id == desk["acc"]  # type: ignore[union-attr]
    assert not broken_promises(ws)


def test_deal_won_and_lost_with_the_reason(ws: Any, desk: dict[str, Any]) -> None:
    from notnow.errors import InvalidInput
    from notnow.services.records.deals import add_deal
    from notnow.services.records.edit import edit_deal, set_status
    from notnow.services.records.merge import merge_deals

    ana = desk["ana"]
    lost = set_status(ws, ana, desk["deal"], "lost", reason="went with a cheaper tool")
    assert lost.status == "lost" and lost.lost_reason == "went with a cheaper tool"
    assert lost.closed_at is not None
    won = set_status(ws, ana, desk["deal"], "won")
    assert won.status == "won" and won.lost_reason is None
    with pytest.raises(InvalidInput):
        set_status(ws, ana, desk["deal"], "won", reason="why not")
    assert edit_deal(ws, ana, desk["deal"], {"value": 2500, "currency": "eur"}).currency == "EUR"
    extra = add_deal(ws, ana, {"offer": "Suite (again)"}, account=desk["acc"])
    merged = merge_deals(ws, ana, desk["deal"], extra.id)
    assert merged.kept == desk["deal"]


def test_merging_accounts_moves_contacts_and_deals(ws: Any, desk: dict[str, Any]) -> None:
    from notnow.services.records.accounts import add_account, show_account
    from notnow.services.records.contacts import add_contact
    from notnow.services.records.merge import merge_accounts

    ana = desk["ana"]
    dup = add_account(ws, ana, {"name": "ACME Inc", "domain": "acme.example"})
    add_contact(ws, ana, {"name": "Kim"}, account=dup.id)
    merge_accounts(ws, ana, desk["acc"], dup.id)
    shown = show_account(ws, ana, desk["acc"])
    assert len(shown["contacts"]) == 3 and shown["account"].domain == "acme.example"
    assert not broken_promises(ws)


def test_editing_a_rejection_refuses_the_future(ws: Any, desk: dict[str, Any]) -> None:
    from notnow.errors import InvalidInput
    from notnow.services.records.edit import edit_rejection

    out = edit_rejection(ws, desk["ana"], desk["new"], {"competitor": "Rival", "stage":
                                                        "proposal"})
    assert out.competitor == "Rival" and out.stage == "proposal"
    with pytest.raises(InvalidInput):
        edit_rejection(ws, desk["ana"], desk["new"], {"at": ws.now() + timedelta(days=3)})


def test_erasing_a_contact_leaves_nothing_of_them_in_the_trash(
        ws: Any, desk: dict[str, Any]) -> None:
    from actors import owner_of
    from notnow.services.records.trash import delete_record, list_trash
    from notnow.services.team.privacy import erase_contact
    from notnow.storage.tables import Trash

    ana, admin = desk["ana"], owner_of(ws)
    delete_record(ws, ana, "rejection", desk["new"])
    delete_record(ws, ana, "touch", _first_touch(ws, desk["twin"]))
    erase_contact(ws, admin, desk["lucia"], reason="a request")
    assert [t.entity for t in list_trash(ws, ana)] == ["touch"]  # the other person's
    with ws.db.read() as s:
        assert "lucia" not in repr([t.rows for t in s.scalars(select(Trash))]).lower()
