"""The suppression list: an opt-out suppresses the person, not a row (issue 10).

Whatever path writes a contact — added, changed, imported, merged — a person who opted out
under any spelling of their address, number or profile is do-not-contact from the first moment,
with a reason that names no one; and their other contact rows already stored are marked with
them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from actors import owner_of, user
from promises import broken_promises


@pytest.fixture
def team(ws: Any) -> dict[str, Any]:
    """Two salespeople with their own accounts (France, and the US)."""
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact

    ana, ben = user(ws, "Ana"), user(ws, "Ben")
    paris = add_account(ws, ana, {"name": "Acme Paris", "country": "FR",
                                  "timezone": "Europe/Paris"})
    chicago = add_account(ws, ben, {"name": "Globex", "country": "US",
                                    "timezone": "America/Chicago"})
    dana = add_contact(ws, ana, {"name": "Dana Ruiz", "email": "Dana.Ruiz@bücher.example",
                                 "phone": "01 23 45 67 89",
                                 "linkedin": "https://www.linkedin.com/in/dana-ruiz/"},
                       account=paris.id)
    return {"ana": ana, "ben": ben, "paris": paris.id, "chicago": chicago.id, "dana": dana.id}


AGAIN = [
    {"email": " DANA.RUIZ@Bücher.Example "},
    {"email": "mailto:dana.ruiz@xn--bcher-kva.example"},
    {"email": "dana.ruiz+work@bücher.example"},
    {"phone": "+33 1 23 45 67 89"},
    {"phone": "0033.1.23.45.67.89"},
    {"phone": "01-23-45-67-89", "same account": "yes"},  # a national number: read in France
    {"linkedin": "linkedin.com/in/Dana-Ruiz?trk=public"},
]


def test_an_opted_out_person_added_again_is_do_not_contact_from_the_start(
        ws: Any, team: dict[str, Any]) -> None:
    from notnow.errors import DoNotContact
    from notnow.services.capture.log import log_rejection
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.capture.touches import record_touch
    from notnow.services.records.contacts import add_contact

    mark_dnc(ws, team["ana"], team["dana"], reason="asked on the phone")
    for spelling in AGAIN:
        again = dict(spelling)
        # another salesperson at another account (in the US), or Ana again in France
        here = again.pop("same account", None) is not None
        who, where = (team["ana"], team["paris"]) if here else (team["ben"], team["chicago"])
        new = add_contact(ws, who, {"name": "D. Ruiz", **again}, account=where)
        assert new.do_not_contact and new.dnc_source is not None, again
        assert new.dnc_source.value == "suppression"
        for private in ("Dana", "Ruiz", "dana", "Ana", "Acme", "asked on the phone"):
            assert private not in (new.dnc_reason or ""), new.dnc_reason
        with pytest.raises(DoNotContact) as refused:
            record_touch(ws, who, {"channel": "email"}, contact=new.id)
        assert "Dana Ruiz" not in refused.value.message
        assert "asked on the phone" not in refused.value.message
        assert log_rejection(ws, who, {"label": "not_now"}, contact=new.id).followups == []
    assert not broken_promises(ws)


def test_an_opt_out_marks_the_persons_other_rows_and_cancels_their_plans(
        ws: Any, team: dict[str, Any]) -> None:
    from notnow.services.capture.log import log_rejection
    from notnow.services.records.contacts import add_contact, show_contact
    from notnow.services.team.audit import audit_trail

    twin = add_contact(ws, team["ben"], {"name": "Dana (Globex)",
                                         "email": "dana.ruiz@BÜCHER.example"},
                       account=team["chicago"])
    planned = log_rejection(ws, team["ben"], {"label": "not_now"}, contact=twin.id)
    assert planned.followups
    log_rejection(ws, team["ana"], {"text": "Please remove me from your mailing list."},
                  contact=team["dana"])
    shown = show_contact(ws, team["ben"], twin.id)
    assert shown.do_not_contact and shown.dnc_source is not None
    assert shown.dnc_source.value == "suppression" and "Dana" not in (shown.dnc_reason or "")
    assert not broken_promises(ws)
    [event] = audit_trail(ws, owner_of(ws), contact=twin.id, action="contact.opted_out")
    assert event.after is not None and event.after["cancelled_followups"] == len(
        planned.followups)


def test_every_write_of_a_contact_consults_the_list(ws: Any, team: dict[str, Any]) -> None:
    """An import, a merge or an edit that writes the row itself (not through add_contact)
    still gives a do-not-contact contact: storage's guard consults the list at every write."""
    from notnow.errors import DoNotContact
    from notnow.services.capture.optout import mark_dnc
    from notnow.storage.tables import Contact, Touch

    mark_dnc(ws, team["ana"], team["dana"], reason="asked on the phone")
    with ws.db.write() as s:  # an importer writing rows
        imported = Contact(account_id=team["chicago"], name="Imported Dana",
                           email="DANA.RUIZ@bücher.example", created_at=ws.now())
        kept = Contact(account_id=team["chicago"], name="Someone Else",
                       email="someone@globex.example", created_at=ws.now())
        s.add_all([imported, kept])
        s.flush()
        ids = imported.id, kept.id
    with ws.db.write() as s:  # an edit (or a merge) giving a contact a suppressed number
        edited = s.get(Contact, ids[1])
        assert edited is not None and edited.dnc_at is None
        edited.account_id = team["paris"]
        edited.phone = "+33 1 23 45 67 89"
    with ws.db.read() as s:
        rows = list(s.execute(select(Contact.dnc_at, Contact.dnc_source)
                              .where(Contact.id.in_(ids))))
    assert len(rows) == 2
    assert all(at is not None and source == "suppression" for at, source in rows)
    with pytest.raises(DoNotContact), ws.db.write() as s:
        s.add(Touch(contact_id=ids[0], account_id=team["chicago"], channel="call",
                    direction="outbound", at=ws.now(), created_at=ws.now()))


def test_history_from_before_the_opt_out_can_still_be_recorded(
        ws: Any, team: dict[str, Any]) -> None:
    """A touch is a fact: a call made before they opted out, logged the next day (or brought
    in by an import), is history; any touch from the opt-out on is refused."""
    from notnow.errors import DoNotContact
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.capture.touches import record_touch

    mark_dnc(ws, team["ana"], team["dana"], reason="asked on the phone",
             when=ws.now() - timedelta(hours=1))
    before = record_touch(ws, team["ana"], {"channel": "call",
                                            "at": ws.now() - timedelta(hours=2)},
                          contact=team["dana"])
    assert before.direction.value == "outbound"
    for at in (ws.now() - timedelta(hours=1), ws.now()):
        with pytest.raises(DoNotContact):
            record_touch(ws, team["ana"], {"channel": "call", "at": at}, contact=team["dana"])
    assert not broken_promises(ws)


def test_the_list_holds_keyed_hashes_never_an_identity(ws: Any, team: dict[str, Any]) -> None:
    from notnow.services.capture.optout import mark_dnc

    mark_dnc(ws, team["ana"], team["dana"], reason="asked on the phone")
    with ws.db.read() as s:
        rows = [tuple(r) for r in s.execute(text("SELECT kind, digest, source FROM suppressions"))]
    assert sorted(k for k, _, _ in rows) == ["email", "linkedin", "phone"]
    dumped = repr(rows).lower()
    for plain in ("dana", "ruiz", "bücher", "xn--", "3312345", "23 45"):
        assert plain not in dumped
