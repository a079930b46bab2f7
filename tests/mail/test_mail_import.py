"""Importing mail files as a salesperson's mail, on both databases: what each message becomes
(through log_rejection, add_touch, the opt-out), what is left alone, and that running it
again — or after a crash half-way — neither loses nor doubles anything."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from mailcorpus import AUTOREPLY_DE, DSN_POSTFIX, NEWSLETTER
from mailmaker import (
    AFTER_OPT_OUT,
    INTERNAL,
    NEW_AT_ACME,
    OPT_OUT,
    PITCH,
    REPLY,
    SAM,
    STRANGER,
    THANKS,
    counts,
    make,
    write_mbox,
)
from sqlalchemy import select

from actors import as_id, owner_of

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def sam(ws: Any) -> Any:
    """A salesperson with an account (acme.example), Dana at it, and an old contact at
    buyer.com whose address will bounce."""
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.services.team.auth import add_user

    made = add_user(ws, owner_of(ws), {"name": "Sam Seller", "email": "sam@vendor.io",
                                       "role": "salesperson"})
    me = as_id(ws, made.id)
    acme = add_account(ws, me, {"name": "Acme", "domain": "acme.example", "country": "US",
                                "timezone": "America/Chicago"})
    add_contact(ws, me, {"name": "Dana Lee", "email": "dana@acme.example"}, account=acme.id)
    buyer = add_account(ws, me, {"name": "Buyer", "domain": "buyer.com"})
    add_contact(ws, me, {"name": "Old Contact", "email": "old.contact@buyer.com"},
                account=buyer.id)
    add_contact(ws, me, {"name": "Jonas Kaeufer", "email": "jonas.kaeufer@kaeufer.de"},
                account=buyer.id)
    return me


def contact(ws: Any, email: str) -> Any:
    """The contact with this address, as plain values (None when there is none)."""
    from types import SimpleNamespace

    from notnow.storage.tables import Contact

    with ws.db.read() as s:
        c = s.scalar(select(Contact).where(Contact.email == email))
        if c is None:
            return None
        return SimpleNamespace(id=c.id, owner_id=c.owner_id, found_in_mail=c.found_in_mail,
                               email_bounced_at=c.email_bounced_at, dnc_at=c.dnc_at,
                               domain=c.account.domain)


def test_each_message_becomes_what_it_is_and_a_second_import_adds_nothing(
        ws: Any, sam: Any, tmp_path: Path) -> None:
    from notnow.services.mail.importing import import_files
    from notnow.storage.tables import MailMessage, Rejection, Touch

    empty = tmp_path / "broken.eml"
    empty.write_bytes(b"")
    box = write_mbox(tmp_path / "export.mbox", [
        PITCH, REPLY, NEW_AT_ACME, STRANGER, INTERNAL, NEWSLETTER, THANKS, AUTOREPLY_DE,
        DSN_POSTFIX])
    out = import_files(ws, sam, [box, empty])
    assert out["read"] == 9
    assert (out["rejections"], out["pauses"], out["touches"], out["bounces"],
            out["contacts_created"]) == (2, 1, 2, 1, 1)
    assert out["skipped"] == 3  # the stranger, the colleague, the newsletter
    assert [p["source"] for p in out["problems"]] == [str(empty)]

    with ws.db.read() as s:
        rows = {m.message_id: m for m in s.scalars(select(MailMessage))}
        reply = s.get(Rejection, rows["reply-1@acme.example"].rejection_id)
        assert reply is not None and reply.label == "not_now" and reply.channel == "email"
        assert reply.checkback == date(2027, 3, 1)
        reply_id = reply.id
        assert "wrote:" not in (reply.text or "")  # quoted history stripped
        pause = s.get(Rejection, rows["ooo-jonas-1@kaeufer.de"].rejection_id)
        assert pause is not None and pause.label == "auto_reply"
        assert pause.return_date == date(2026, 11, 30)
        thanks = s.get(Touch, rows["thanks-1@vendor.io"].touch_id)
        assert thanks is not None and thanks.reply and thanks.direction == "outbound"
        pitch = s.get(Touch, rows["pitch-1@vendor.io"].touch_id)
        assert pitch is not None and not pitch.reply
        assert rows["stranger-1@elsewhere.example"].outcome == "unknown sender"
        assert rows["kim-1@vendor.io"].outcome == "skipped"
    from notnow.services.capture.log import show_rejection

    shown = show_rejection(ws, sam, reply_id)  # where it came from, with a link to it
    assert shown.from_mail is not None and shown.from_mail["message_id"] == "reply-1@acme.example"
    assert shown.from_mail["file"] == str(box) and shown.from_mail["number"] == 2
    lee = contact(ws, "lee.park@acme.example")
    assert lee is not None and lee.found_in_mail and lee.owner_id == sam.id
    assert contact(ws, "someone@elsewhere.example") is None
    assert contact(ws, "old.contact@buyer.com").email_bounced_at is not None
    assert contact(ws, "dana@acme.example").email_bounced_at is None

    before = counts(ws)
    again = import_files(ws, sam, [box])
    assert again["known"] == again["read"] == 9
    assert counts(ws) == before


def test_an_opt_out_in_the_same_import_as_a_reply_leaves_nothing_planned_or_touched(
        ws: Any, sam: Any, tmp_path: Path) -> None:
    from notnow.errors import DoNotContact
    from notnow.services.mail.drafts import place_draft
    from notnow.services.mail.importing import import_files

    box = write_mbox(tmp_path / "a.mbox", [PITCH, REPLY, OPT_OUT, AFTER_OPT_OUT])
    out = import_files(ws, sam, [box])
    assert (out["rejections"], out["opt_outs"], out["touches"], out["not_contacted"]) \
        == (1, 1, 1, 1)
    dana = contact(ws, "dana@acme.example")
    assert dana.dnc_at is not None
    assert counts(ws)["open"] == 0
    from notnow.storage.tables import Rejection

    with ws.db.read() as s:
        first = s.scalar(select(Rejection.id).where(Rejection.label == "not_now"))
    with pytest.raises(DoNotContact):
        place_draft(ws, sam, first, environ={})


def test_mail_from_no_known_account_is_read_when_the_person_asks_for_everything(
        ws: Any, sam: Any, tmp_path: Path) -> None:
    from notnow.services.mail.importing import import_files

    box = write_mbox(tmp_path / "a.mbox", [STRANGER])
    out = import_files(ws, sam, [box], everything=True)
    assert (out["rejections"], out["contacts_created"], out["accounts_created"]) == (1, 1, 1)
    someone = contact(ws, "someone@elsewhere.example")
    assert someone.found_in_mail and someone.domain == "elsewhere.example"


def test_an_import_killed_half_way_and_run_again_loses_and_doubles_nothing(
        ws: Any, sam: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from notnow.services.mail import ingest
    from notnow.services.mail.importing import import_files

    replies = [make(f"P{i} <p{i}@acme.example>", SAM, "Re: hi", "Not now, maybe next year.",
                    f"r{i}@acme.example") for i in range(6)]
    box = write_mbox(tmp_path / "a.mbox", [PITCH, *replies])
    real = ingest.log_rejection
    calls = {"n": 0}

    def dies_on_the_fourth(*args: Any, **kw: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt  # what a kill does to the transaction: nothing commits
        return real(*args, **kw)

    monkeypatch.setattr(ingest, "log_rejection", dies_on_the_fourth)
    with pytest.raises(KeyboardInterrupt):
        import_files(ws, sam, [box])
    assert counts(ws)["rejections"] == 3
    monkeypatch.setattr(ingest, "log_rejection", real)
    out = import_files(ws, sam, [box])
    assert out["rejections"] == 3 and out["known"] == 4
    after = counts(ws)
    assert after["rejections"] == 6 and after["mail"] == 7 and after["touches"] == 1


def test_the_same_message_in_two_peoples_mail_is_each_ones(ws: Any, sam: Any,
                                                           tmp_path: Path) -> None:
    from notnow.services.mail.importing import import_files
    from notnow.services.mail.messages import list_messages
    from notnow.services.team.auth import add_user

    other = as_id(ws, add_user(ws, owner_of(ws), {"name": "Pia", "email": "pia@vendor.io",
                                                  "role": "salesperson"}).id)
    box = write_mbox(tmp_path / "a.mbox", [STRANGER])
    import_files(ws, sam, [box])
    out = import_files(ws, other, [box])
    assert out["known"] == 0 and out["skipped"] == 1
    assert [m.owner_id for m in list_messages(ws, sam)] == [sam.id]
    assert [m.owner_id for m in list_messages(ws, other)] == [other.id]


def test_a_bounced_address_gets_no_email_planned(ws: Any, sam: Any, tmp_path: Path) -> None:
    from notnow.services.capture.log import log_rejection
    from notnow.services.mail.importing import import_files

    import_files(ws, sam, [write_mbox(tmp_path / "a.mbox", [DSN_POSTFIX])])
    old = contact(ws, "old.contact@buyer.com")
    out = log_rejection(ws, sam, {"label": "not_interested"}, contact=old.id)
    assert out.followups and all(f.channel != "email" for f in out.followups)


def test_erasing_a_contact_forgets_their_mail(ws: Any, sam: Any, tmp_path: Path) -> None:
    from notnow.services.mail.importing import import_files
    from notnow.services.team.privacy import erase_contact
    from notnow.storage.tables import MailMessage

    box = write_mbox(tmp_path / "a.mbox", [PITCH, REPLY])
    import_files(ws, sam, [box])
    dana = contact(ws, "dana@acme.example")
    erase_contact(ws, owner_of(ws), dana.id, reason="erasure request")
    with ws.db.read() as s:
        rows = list(s.execute(select(MailMessage.sender, MailMessage.subject,
                                     MailMessage.message_id, MailMessage.contact_id)))
    assert rows == [(None, None, None, None)] * 2  # still known (never read again), but
    # nothing about them
    again = import_files(ws, sam, [box])
    assert again["known"] == 2 and contact(ws, "dana@acme.example") is None
