"""A person's data rights (export, erase), handing records over, and the audit trail."""

from __future__ import annotations

from typing import Any

import pytest

from actors import as_id, owner_of, user
from notnow.errors import InvalidInput, NotFound, PermissionDenied


def _dana(ws: Any, actor: Any) -> Any:
    from notnow.services.capture.log import log_rejection
    from notnow.services.capture.touches import record_touch
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact

    acc = add_account(ws, actor, {"name": "Acme", "country": "US"})
    dana = add_contact(ws, actor, {"name": "Dana Ruiz", "email": "Dana.Ruiz@Acme.com",
                                   "phone": "+1 415 555 0100"}, account=acc.id)
    log_rejection(ws, actor, {"text": "We have no budget this year, try me in April.",
                              "notes": "she was kind", "feelings": "flat"}, contact=dana.id)
    record_touch(ws, actor, {"channel": "call", "outcome": "voicemail"}, contact=dana.id)
    return dana


def test_export_holds_everything_about_them_but_private_writing(ws: Any) -> None:
    from notnow.render.person import person_html
    from notnow.services.team.privacy import export_contact

    sam = user(ws, "Sam")
    dana = _dana(ws, sam)
    data = export_contact(ws, sam, dana.id)  # the owning salesperson may
    assert data["contact"]["email"] == "Dana.Ruiz@Acme.com"
    assert [r["text"] for r in data["rejections"]][0].startswith("We have no budget")
    assert data["rejections"][0]["notes"] == "she was kind"
    assert "feelings" not in data["rejections"][0]  # the salesperson's, not theirs
    assert len(data["touches"]) >= 1 and data["followups"]
    assert any(e["action"] == "rejection.logged" for e in data["changes"])
    page = person_html(data)
    assert "Dana Ruiz" in page and "<script" not in page
    assert export_contact(ws, owner_of(ws), dana.id)["contact"]["id"] == dana.id  # an admin
    boss = user(ws, "Mia", "manager")
    with pytest.raises(NotFound):  # not her team: it does not exist for her
        export_contact(ws, boss, dana.id)
    tom = user(ws, "Tom")
    with pytest.raises(NotFound):
        export_contact(ws, tom, dana.id)


def test_erase_keeps_only_the_suppression(ws: Any) -> None:
    from sqlalchemy import func, select

    from notnow.services.records.contacts import add_contact
    from notnow.services.team.privacy import erase_contact
    from notnow.storage.tables import AuditEvent, Contact, FollowUp, Rejection, Touch

    me = owner_of(ws)
    sam = user(ws, "Sam")
    dana = _dana(ws, me)
    with pytest.raises(PermissionDenied):
        erase_contact(ws, sam, dana.id, reason="asked")
    with pytest.raises(InvalidInput):
        erase_contact(ws, me, dana.id, reason="  ")
    done = erase_contact(ws, me, dana.id, reason="erasure request of 2026-11-20")
    assert done["rejections"] == 1 and done["touches"] == 1 and done["identities_suppressed"] == 2
    with ws.db.read() as s:
        for table in (Contact, Rejection, Touch, FollowUp):
            assert s.scalar(select(func.count()).select_from(table)) == 0, table
        trail = list(s.scalars(select(AuditEvent).where(AuditEvent.contact_id == dana.id)))
        assert trail and all("Dana" not in str(e.before) + str(e.after) for e in trail)
        assert any(e.action == "contact.erased" and e.note.startswith("erasure") for e in trail)
    # never re-imported or contacted: the same person again is do-not-contact from the start
    again = add_contact(ws, me, {"name": "D. Ruiz", "email": "dana.ruiz@acme.com "},
                        account="Acme")
    assert again.do_not_contact and "Dana" not in (again.dnc_reason or "")
    by_phone = add_contact(ws, me, {"name": "Reception", "phone": "(415) 555-0100"},
                           account="Acme")
    assert by_phone.do_not_contact


def test_an_admin_hands_an_account_over(ws: Any) -> None:
    from notnow.services.followups.agenda import agenda
    from notnow.services.records.contacts import show_contact
    from notnow.services.team.handover import hand_over

    me = owner_of(ws)
    sam, lee = user(ws, "Sam"), user(ws, "Lee")
    dana = _dana(ws, sam)
    with pytest.raises(PermissionDenied):
        hand_over(ws, sam, to=lee.id, account="Acme")
    with pytest.raises(InvalidInput):
        hand_over(ws, me, to=lee.id, account="Acme", contact=dana.id)
    assert agenda(ws, sam, ws.today().replace(year=2028)) != []
    moved = hand_over(ws, me, to=lee.id, from_user=sam.id)
    assert moved.accounts == 1 and moved.contacts == 1 and moved.followups >= 1
    assert agenda(ws, sam, ws.today().replace(year=2028)) == []
    assert agenda(ws, lee, ws.today().replace(year=2028)) != []
    assert show_contact(ws, lee, dana.id).owner_id == lee.id
    with pytest.raises(NotFound):
        show_contact(ws, sam, dana.id)


def test_the_audit_trail_is_for_managers_and_admins(ws: Any) -> None:
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.team.audit import audit_trail

    boss = user(ws, "Mia", "manager")
    sam = user(ws, "Sam", manager=boss)
    tom = user(ws, "Tom")
    dana = _dana(ws, sam)
    mark_dnc(ws, sam, dana.id, reason="asked on the phone")
    with pytest.raises(PermissionDenied):
        audit_trail(ws, sam, contact=dana.id)
    boss = as_id(ws, boss.id)  # as she is now, with Sam in her team
    seen = audit_trail(ws, boss, contact=dana.id)
    assert [e.action for e in seen][:1] == ["contact.opted_out"]
    assert seen[0].actor_name == "Sam"
    assert {"contact.created", "rejection.logged", "followup.scheduled"} <= {
        e.action for e in seen}
    other_boss = user(ws, "Max", "manager")
    with pytest.raises(NotFound):
        audit_trail(ws, other_boss, contact=dana.id)
    assert audit_trail(ws, other_boss) == []  # nothing of another team's leaks
    assert tom.id != sam.id
