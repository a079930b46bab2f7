"""Logging a no: one call that understands, stores, plans and schedules — and what it schedules
keeps do-not-contact, holds and every cap, whoever planned what came before (issue 10)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, update

from actors import owner_of
from promises import broken_promises
from web_support import Seed, seed


@pytest.fixture
def me(ws: Any) -> Any:
    return owner_of(ws)


@pytest.fixture
def data(ws: Any, me: Any) -> Seed:
    return seed(ws, me)


def _open(ws: Any, contact_id: int | None = None) -> list[Any]:
    from notnow.storage.tables import FollowUp

    with ws.db.read() as s:
        q = (select(FollowUp.id, FollowUp.contact_id, FollowUp.rejection_id, FollowUp.due,
                    FollowUp.rule, FollowUp.status)
             .where(FollowUp.status.in_(("due", "snoozed"))))
        if contact_id is not None:
            q = q.where(FollowUp.contact_id == contact_id)
        return list(s.execute(q.order_by(FollowUp.due, FollowUp.id)))


def test_five_try_me_in_april_logs_leave_one_plan_within_the_caps(ws: Any, me: Any,
                                                                   data: Seed) -> None:
    from notnow.services.capture.log import log_rejection

    for _ in range(5):
        log_rejection(ws, me, {"text": "Not now, try me in April."}, contact=data.contact_id)
    mine = _open(ws, data.contact_id)
    assert max(Counter(f.due for f in mine).values()) == 1
    assert [f.due for f in mine if f.rule == "check-back"] == [date(2027, 4, 1)]
    assert not broken_promises(ws), broken_promises(ws).counts()


def test_a_no_replaces_what_the_cadence_planned_even_when_its_plan_waits(
        ws: Any, me: Any, data: Seed) -> None:
    """A prospecting attempt planned is fine until they say no: then the nurture cap (1 touch
    in 30 days) holds, whether or not the new plan is scheduled yet. (Asking for the next
    attempt twice plans it once.)"""
    from notnow.services.capture.log import log_rejection
    from notnow.services.followups.actions import next_attempt_for

    for _ in range(2):
        next_attempt_for(ws, me, data.contact_id, schedule=True)
    assert len(_open(ws, data.contact_id)) == 1
    log_rejection(ws, me, {"label": "not_now"}, contact=data.contact_id, schedule=False)
    assert _open(ws, data.contact_id) == []
    assert not broken_promises(ws)


def test_a_new_answer_replaces_the_steps_its_earlier_plan_took_toward_others(
        ws: Any, me: Any, data: Seed) -> None:
    from notnow.services.capture.log import log_rejection

    first = log_rejection(ws, me, {"label": "not_now"}, contact=data.contact_id)
    toward_sam = [f for f in first.followups if f.contact_id == data.other_contact_id]
    assert toward_sam, "the plan reaches another department"
    log_rejection(ws, me, {"label": "wrong_person"}, contact=data.contact_id)
    sams = _open(ws, data.other_contact_id)
    assert len(sams) == 1 and sams[0].id != toward_sam[0].id
    assert not broken_promises(ws)


def test_their_own_answer_replaces_what_another_persons_plan_planned_for_them(
        ws: Any, me: Any, data: Seed) -> None:
    from notnow.services.capture.log import log_rejection

    log_rejection(ws, me, {"label": "not_now"}, contact=data.contact_id)
    assert _open(ws, data.other_contact_id)
    log_rejection(ws, me, {"label": "no_need", "checkback": "2027-06-01"},
                  contact=data.other_contact_id)
    sams = _open(ws, data.other_contact_id)
    assert {f.rejection_id for f in sams} == {sams[-1].rejection_id}
    assert not broken_promises(ws)


def test_an_out_of_office_reply_keeps_the_check_back(ws: Any, me: Any, data: Seed) -> None:
    """An automatic reply is not their word: it moves what falls in their absence, never the
    check-back they asked for."""
    from notnow.services.capture.log import log_rejection

    log_rejection(ws, me, {"text": "Not now, try me in April."}, contact=data.contact_id)
    before = {f.id for f in _open(ws, data.contact_id) if f.due > date(2026, 12, 7)}
    log_rejection(ws, me, {"label": "auto_reply", "checkback": "2026-12-07"},
                  contact=data.contact_id)
    after = _open(ws, data.contact_id)
    assert before <= {f.id for f in after}
    assert any(f.rule == "check-back" and f.due == date(2027, 4, 1) for f in after)
    assert not any(f.due <= date(2026, 12, 7) for f in after)
    assert not broken_promises(ws)


def test_accepting_twice_changes_nothing_and_an_older_answer_is_not_accepted(
        ws: Any, me: Any, data: Seed) -> None:
    from notnow.errors import Conflict
    from notnow.services.capture.log import log_rejection
    from notnow.services.followups.actions import act
    from notnow.services.followups.planning import accept_plan

    older = log_rejection(ws, me, {"label": "price"}, contact=data.contact_id, schedule=False)
    newer = log_rejection(ws, me, {"label": "not_now"}, contact=data.contact_id, schedule=False)
    with pytest.raises(Conflict, match=f"rejection {newer.id}"):
        accept_plan(ws, me, older.id)
    first = accept_plan(ws, me, newer.id).followups
    assert len(first) >= 3
    act(ws, me, first[0].id, "skip")
    again = accept_plan(ws, me, newer.id).followups
    assert [f.id for f in again] == [f.id for f in first[1:]]
    assert [f.id for f in _open(ws)] == sorted((f.id for f in first[1:]),
                                                key=lambda i: [f.id for f in first].index(i))
    assert not broken_promises(ws)


def test_opt_out_words_under_another_label_need_a_recorded_reason(
        ws: Any, me: Any, data: Seed) -> None:
    from notnow.errors import InvalidInput
    from notnow.services.capture.log import OptOutDetected, log_rejection
    from notnow.services.team.audit import audit_trail
    from notnow.storage.tables import Rejection

    words = {"text": "Please remove me from your mailing list.", "label": "not_now"}
    with pytest.raises(OptOutDetected) as refused:
        log_rejection(ws, me, words, contact=data.contact_id)
    assert refused.value.field == "not_opt_out" and refused.value.status == 409
    with pytest.raises(InvalidInput, match="label"):  # not an opt-out — then what is it?
        log_rejection(ws, me, {"text": words["text"]}, contact=data.contact_id,
                      not_opt_out="they meant the newsletter")
    with ws.db.read() as s:
        assert s.scalar(select(Rejection.id)) is None
    assert _open(ws) == []
    why = "they asked to leave the newsletter only"
    rej = log_rejection(ws, me, words, contact=data.contact_id, not_opt_out=why)
    assert rej.label.value == "not_now" and rej.override_reason == why
    logged = audit_trail(ws, me, contact=data.contact_id, action="rejection.logged")
    assert why in (logged[0].note or "")


def test_a_held_contact_is_never_scheduled_by_any_path(ws: Any, me: Any, data: Seed) -> None:
    """A possible opt-out waits for a person's decision: no path schedules or moves anything
    for them, storage refuses it too, and the decision ("not an opt-out, because…") lets the
    plan through."""
    from notnow.errors import ContactHeld
    from notnow.services.capture.log import confirm_reading, log_rejection
    from notnow.services.followups.actions import act, next_attempt_for
    from notnow.services.followups.planning import accept_plan
    from notnow.services.learning.winback import competitor_renewal, ship
    from notnow.storage.tables import Contact, FollowUp

    rej = log_rejection(ws, me, {"label": "missing_capability", "capability": "SSO"},
                        contact=data.contact_id)
    fid = rej.followups[-1].id
    with ws.db.write() as s:  # held, one follow-up left open (as an older notnow left them)
        s.execute(update(Contact).where(Contact.id == data.contact_id).values(
            held_at=ws.now(), hold_reason="possible opt-out: “leave me be”"))
        s.execute(update(FollowUp).where(FollowUp.contact_id == data.contact_id,
                                         FollowUp.id != fid).values(status="cancelled"))
    for call in (lambda: act(ws, me, fid, "snooze"),
                 lambda: act(ws, me, fid, "reschedule", to=date(2027, 1, 4)),
                 lambda: next_attempt_for(ws, me, data.contact_id, schedule=True),
                 lambda: competitor_renewal(ws, me, rej.id, date(2027, 9, 1))):
        with pytest.raises(ContactHeld):
            call()
    act(ws, me, fid, "cancel")
    assert accept_plan(ws, me, rej.id).followups == []
    assert [i.outcome for i in ship(ws, me, "SSO").items] == ["held"]
    again = log_rejection(ws, me, {"label": "not_now"}, contact=data.contact_id)
    assert again.followups == []
    for status in ("due", "snoozed"):
        with pytest.raises(ContactHeld), ws.db.write() as s:
            s.add(FollowUp(contact_id=data.contact_id, account_id=data.account_id,
                           due=date(2027, 1, 4), channel="email", purpose="sneaky",
                           status=status, created_at=ws.now()))
    assert _open(ws, data.contact_id) == []
    confirmed = confirm_reading(ws, me, again.id, not_opt_out="she meant the newsletter")
    assert confirmed.followups and not broken_promises(ws)


def test_a_plan_toward_others_is_made_once_when_they_are_as_it_read_them(
        ws: Any, me: Any, data: Seed, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plan of a no that reaches the account's other people is made once: locking them
    shows them as the plan read them (it was made under the account's lock), so it is not
    made again (it was, every time: about a third of a logged no's time)."""
    from notnow.services.capture.log import log_rejection
    from notnow.services.followups import planning

    made: list[Any] = []
    real = planning.make_plan
    monkeypatch.setattr(planning, "make_plan", lambda *a, **k: made.append(1) or real(*a, **k))
    done = log_rejection(ws, me, {"label": "not_now"}, contact=data.contact_id)
    assert any(f.contact_id == data.other_contact_id for f in done.followups)
    assert len(made) == 1
    assert not broken_promises(ws)


def test_a_person_changed_before_their_lock_is_planned_for_again(
        ws: Any, me: Any, data: Seed, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another person the plan reaches changes between the plan and their lock (here: they
    opt out, written straight to their row, as a writer that does not hold the account's lock
    could): their row as locked is not what the plan read, so the plan is made again from it,
    and nothing is planned for them — the no is still logged."""
    from notnow.services.capture.log import log_rejection
    from notnow.services.followups import planning
    from notnow.storage.tables import Contact

    real = planning.lock_contacts

    def changed_first(s: Any, ids: Any) -> Any:
        s.execute(update(Contact).where(Contact.id == data.other_contact_id)
                  .values(dnc_at=ws.now(), dnc_source="prospect"))
        return real(s, ids)

    monkeypatch.setattr(planning, "lock_contacts", changed_first)
    done = log_rejection(ws, me, {"label": "not_now"}, contact=data.contact_id)
    assert done.followups and all(f.contact_id == data.contact_id for f in done.followups)
    assert _open(ws, data.other_contact_id) == []
