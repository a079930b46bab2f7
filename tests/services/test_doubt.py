"""A reading in doubt waits for the salesperson; a possible opt-out holds the contact."""

from __future__ import annotations

from typing import Any

import pytest

from actors import owner_of
from notnow.errors import Conflict
from web_support import seed


def _pending(ws: Any, contact: int, *, held: bool = False) -> int:
    from notnow.services.capture.log import log_rejection
    from notnow.storage.tables import Contact, Rejection

    rej = log_rejection(ws, owner_of(ws), {"text": "Maybe later, we will see.",
                                           "label": "not_now"}, contact=contact,
                        schedule=False)
    with ws.db.write() as s:  # as a doubtful reading, or a possible opt-out, leaves them
        row = s.get(Rejection, rej.id)
        assert row is not None
        row.review = "pending"
        if held:
            c = s.get(Contact, contact)
            assert c is not None
            c.held_at, c.hold_reason = ws.now(), "possible opt-out: “leave us alone”"
    return rej.id


def test_a_doubtful_reading_is_scheduled_once_confirmed(ws: Any) -> None:
    from notnow.services.capture.log import confirm_reading
    from notnow.services.followups.planning import accept_plan

    data = seed(ws)
    rid = _pending(ws, data.contact_id)
    with pytest.raises(Exception, match="confirm it first"):
        accept_plan(ws, owner_of(ws), rid)
    done = confirm_reading(ws, owner_of(ws), rid, label="no_budget")
    assert done.label.value == "no_budget" and done.review == "confirmed" and done.followups
    with pytest.raises(Conflict, match="waits for no decision"):
        confirm_reading(ws, owner_of(ws), rid)  # once decided, nothing is scheduled twice


def test_a_held_contact_needs_a_reason_or_becomes_do_not_contact(ws: Any) -> None:
    from notnow.services.capture.log import OptOutDetected, confirm_reading
    from notnow.services.records.contacts import show_contact

    data = seed(ws)
    rid = _pending(ws, data.contact_id, held=True)
    with pytest.raises(OptOutDetected):
        confirm_reading(ws, owner_of(ws), rid)
    released = confirm_reading(ws, owner_of(ws), rid,
                               not_opt_out="she meant the newsletter, not us")
    assert released.followups and released.override_reason
    other = _pending(ws, data.other_contact_id, held=True)
    stopped = confirm_reading(ws, owner_of(ws), other, opt_out=True)
    assert stopped.label.value == "do_not_contact" and stopped.followups == []
    assert show_contact(ws, owner_of(ws), data.other_contact_id).do_not_contact


def test_confirm_at_the_prompt(cli: Any) -> None:
    cli("account", "add", "Acme")
    cli("contact", "add", "Dana", "--account", "acme")
    rid = cli("log", "--contact", "dana", "--label", "not_now", "--no-plan", "--json").json()["id"]
    assert cli("confirm", str(rid)).code == 1  # nothing waits for a decision
    assert cli("confirm", str(rid), "--opt-out", "--label", "price").code == 1
