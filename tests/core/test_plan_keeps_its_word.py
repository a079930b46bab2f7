"""Behaviours that keep "never pester" honest: the thank-you is an answer, not nurture; a plan
that lets them rest sends nothing but the check-back, and its draft says so."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from comeback_facts import ACCOUNT, TODAY, contact, rejection, touch
from notnow.core.caps import Ledger
from notnow.core.model import (
    Channel,
    FollowUpFacts,
    FollowUpStatus,
    History,
    Label,
)
from notnow.core.plan import make_plan
from notnow.core.playbook import Settings, StepKind, default_playbook
from notnow.core.replies import render_reply

ANNA = contact()


def _plan(label: Label, history: History | None = None, **kw: object):  # type: ignore[no-untyped-def]
    r = rejection(label, **kw)  # type: ignore[arg-type]
    return make_plan(r, contact=ANNA, account=ACCOUNT, others=(), history=history or History(),
                     playbook=default_playbook(), today=TODAY)


def test_the_thank_you_does_not_push_the_check_back_out() -> None:
    """They asked for a call next week: the thank-you today must not cost them a month."""
    p = _plan(Label.NOT_NOW, checkback=TODAY + timedelta(days=3), checkback_phrase="Thursday")
    thank = [s for s in p.followups() if s.kind == StepKind.THANK]
    back = [s for s in p.followups() if s.kind == StepKind.CHECKBACK]
    assert thank and thank[0].due == TODAY
    assert back and back[0].due == TODAY + timedelta(days=3)


def test_a_plan_that_lets_them_rest_sends_no_nurture() -> None:
    earlier = (rejection(Label.NOT_NOW, rid=1, day=date(2026, 6, 1)),
               rejection(Label.NO_NEED, rid=2, day=date(2026, 9, 1)))
    p = _plan(Label.PRICE, History(rejections=earlier))
    assert StepKind.WALK_AWAY in {s.kind for s in p.steps}
    assert StepKind.NURTURE not in {s.kind for s in p.steps}
    assert [s.kind for s in p.followups() if s.kind == StepKind.CHECKBACK]
    without_rest = _plan(Label.PRICE)  # the same no, the first time: nurture is planned
    assert StepKind.NURTURE in {s.kind for s in without_rest.steps}


def test_the_draft_says_what_the_plan_will_do() -> None:
    quiet = render_reply(Label.NOT_NOW, contact=ANNA, account=ACCOUNT, sender="Max",
                         checkback=date(2027, 4, 1), today=TODAY, nurture=False)
    assert "you will not hear from me" in quiet.body
    nurturing = render_reply(Label.NOT_NOW, contact=ANNA, account=ACCOUNT, sender="Max",
                             checkback=date(2027, 4, 1), today=TODAY, nurture=True)
    assert "the odd note" in nurturing.body and "will not hear" not in nurturing.body


DAYS = st.integers(min_value=0, max_value=60)


@settings(max_examples=60, deadline=None)
@given(touches=st.lists(st.tuples(DAYS, st.booleans()), max_size=8), probe=DAYS)
def test_replies_count_for_the_contact_caps_not_for_the_nurture_cap(
        touches: list[tuple[int, bool]], probe: int) -> None:
    """The same history with the replies taken out gives the nurture cap's verdict; with them
    in, the contact caps still see every touch."""
    base = date(2026, 10, 1)
    soft = (rejection(Label.NOT_NOW, day=base - timedelta(days=1)),)
    cfg = Settings()
    made = tuple(replace(touch(base + timedelta(days=d), Channel.CALL), reply=r)
                 for d, r in touches)
    plain = tuple(t for t in made if not t.reply)
    day = base + timedelta(days=probe)
    with_replies = Ledger(ANNA, ACCOUNT, History(touches=made, rejections=soft), cfg)
    nurture_only = [c for c in with_replies.caps if c.name.startswith("nurture")]
    no_replies = Ledger(ANNA, ACCOUNT, History(touches=plain, rejections=soft), cfg)
    assert [c.broken_by(day) for c in nurture_only] == [
        c.broken_by(day) for c in no_replies.caps if c.name.startswith("nurture")]
    contact_caps = [c for c in with_replies.caps if c.name.startswith("contact")]
    assert all(len(c.days) == len(made) for c in contact_caps)


def test_a_planned_thank_you_is_a_reply() -> None:
    planned = FollowUpFacts(1, 1, TODAY, Channel.EMAIL, "thank", FollowUpStatus.DUE,
                            kind="thank")
    assert planned.reply and not replace(planned, kind="nurture").reply
