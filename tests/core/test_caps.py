"""Caps: do-not-contact, quiet periods, contact/account/nurture caps, the same-channel rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comeback_facts import ACCOUNT, TODAY, contact, rejection, signal, touch
from notnow.core.businessdays import is_business_day
from notnow.core.caps import check_touch_allowed, earliest_allowed
from notnow.core.model import (
    Channel,
    FollowUpFacts,
    FollowUpStatus,
    History,
    Label,
    SignalKind,
)
from notnow.core.playbook import QuietPeriod, Settings, Window
from notnow.errors import CapExceeded, DoNotContact

S = Settings()
ANNA = contact()


def test_do_not_contact_names_when_why_and_source() -> None:
    with pytest.raises(DoNotContact) as caught:
        check_touch_allowed(contact(dnc=True), ACCOUNT, TODAY, Channel.EMAIL, History(), S)
    message = str(caught.value)
    assert "Anna Berg is do-not-contact since 2026-10-01" in message
    assert "asked to be removed" in message and "prospect" in message
    with pytest.raises(DoNotContact):
        earliest_allowed(contact(dnc=True), ACCOUNT, TODAY, Channel.CALL, History(), S)


def test_contact_cap_counts_every_touch_and_says_when_next() -> None:
    settings = Settings(contact_caps=(Window(touches=2, days=7),))
    history = History(touches=(touch(TODAY - timedelta(days=3), Channel.CALL),
                               touch(TODAY - timedelta(days=1), Channel.EMAIL)))
    with pytest.raises(CapExceeded) as caught:
        check_touch_allowed(ANNA, ACCOUNT, TODAY, Channel.LINKEDIN, history, settings)
    assert "contact cap (2 per 7 days)" in str(caught.value)
    # The touch of 3 days ago leaves the 7-day window on day +4.
    assert caught.value.details["next_allowed"] == (TODAY + timedelta(days=4)).isoformat()
    check_touch_allowed(ANNA, ACCOUNT, TODAY + timedelta(days=4), Channel.LINKEDIN, history,
                        settings)


def test_planned_follow_ups_count_too() -> None:
    settings = Settings(contact_caps=(Window(touches=1, days=7),))
    planned = FollowUpFacts(5, ANNA.id, TODAY + timedelta(days=2), Channel.CALL, "check",
                            FollowUpStatus.DUE, account_id=ACCOUNT.id)
    history = History(followups=(planned,))
    with pytest.raises(CapExceeded):
        check_touch_allowed(ANNA, ACCOUNT, TODAY, Channel.EMAIL, history, settings)
    done = History(followups=(FollowUpFacts(5, ANNA.id, TODAY, Channel.CALL, "x",
                                            FollowUpStatus.SKIPPED),))
    check_touch_allowed(ANNA, ACCOUNT, TODAY, Channel.EMAIL, done, settings)


def test_nurture_cap_after_a_soft_no() -> None:
    history = History(touches=(touch(TODAY - timedelta(days=10), Channel.EMAIL),),
                      rejections=(rejection(Label.NOT_NOW, day=TODAY - timedelta(days=12)),))
    with pytest.raises(CapExceeded) as caught:
        check_touch_allowed(ANNA, ACCOUNT, TODAY, Channel.CALL, history, S)
    assert "nurture cap" in str(caught.value)
    assert caught.value.details["next_allowed"] == (TODAY + timedelta(days=20)).isoformat()
    # No soft no (a gatekeeper's answer is routing, not the prospect's no): contact caps only.
    routed = History(touches=history.touches,
                     rejections=(rejection(Label.GATEKEEPER, day=TODAY - timedelta(days=12)),))
    check_touch_allowed(ANNA, ACCOUNT, TODAY, Channel.CALL, routed, S)


def test_an_out_of_office_after_a_soft_no_keeps_the_nurture_cap() -> None:
    """It used to lift it: the latest rejection was the auto-reply, not a soft no."""
    away = rejection(Label.AUTO_REPLY, rid=11, day=TODAY - timedelta(days=5))
    history = History(touches=(touch(TODAY - timedelta(days=10), Channel.EMAIL),),
                      rejections=(rejection(Label.NOT_NOW, day=TODAY - timedelta(days=12)),
                                  away))
    with pytest.raises(CapExceeded, match="nurture cap"):
        check_touch_allowed(ANNA, ACCOUNT, TODAY, Channel.CALL, history, S)


def test_account_cap_counts_all_contacts() -> None:
    settings = Settings(account_caps=(Window(touches=3, days=7),))
    others = tuple(touch(TODAY - timedelta(days=1), Channel.CALL, cid=c) for c in (2, 3, 4))
    with pytest.raises(CapExceeded) as caught:
        check_touch_allowed(ANNA, ACCOUNT, TODAY, Channel.EMAIL, History(touches=others),
                            settings)
    assert "account cap" in str(caught.value) and "Acme GmbH" in str(caught.value)


def test_quiet_period_blocks_and_wraps_the_new_year() -> None:
    settings = Settings(quiet_periods=(QuietPeriod(name="year end", start="12-24",
                                                   end="01-01"),))
    with pytest.raises(CapExceeded) as caught:
        check_touch_allowed(ANNA, ACCOUNT, date(2026, 12, 30), Channel.EMAIL, History(),
                            settings)
    assert "year end" in str(caught.value)
    assert caught.value.details["next_allowed"] == "2027-01-02"
    day = earliest_allowed(ANNA, ACCOUNT, date(2026, 12, 23), Channel.EMAIL, History(), settings)
    assert day == date(2026, 12, 23)
    day = earliest_allowed(ANNA, ACCOUNT, date(2026, 12, 24), Channel.EMAIL, History(), settings)
    assert day == date(2027, 1, 4)  # 2 and 3 January are a weekend


def test_never_two_unanswered_touches_in_a_row_on_one_channel() -> None:
    history = History(touches=(touch(TODAY - timedelta(days=8), Channel.EMAIL),))
    with pytest.raises(CapExceeded) as caught:
        check_touch_allowed(ANNA, ACCOUNT, TODAY, Channel.EMAIL, history, S)
    assert "unanswered" in str(caught.value)
    check_touch_allowed(ANNA, ACCOUNT, TODAY, Channel.CALL, history, S)
    answered = History(touches=history.touches + (touch(TODAY - timedelta(days=2),
                                                        Channel.EMAIL, inbound=True),))
    check_touch_allowed(ANNA, ACCOUNT, TODAY, Channel.EMAIL, answered, S)
    clicked = History(touches=history.touches,
                      signals=(signal(TODAY - timedelta(days=1), SignalKind.REPLIED),))
    check_touch_allowed(ANNA, ACCOUNT, TODAY, Channel.EMAIL, clicked, S)
    with pytest.raises(CapExceeded):
        earliest_allowed(ANNA, ACCOUNT, TODAY, Channel.EMAIL, history, S)


def test_earliest_allowed_is_a_business_day_in_the_contacts_country() -> None:
    # 2026-12-24..26 in Germany: Christmas Eve is a weekday, 25/26 are public holidays.
    day = earliest_allowed(ANNA, ACCOUNT, date(2026, 12, 25), Channel.CALL, History(), S)
    assert day == date(2026, 12, 28)
    assert is_business_day(day, "DE")
    # Saturday -> Monday
    assert earliest_allowed(ANNA, ACCOUNT, date(2026, 11, 28), Channel.CALL, History(),
                            S) == date(2026, 11, 30)


def test_earliest_allowed_waits_for_the_cap() -> None:
    history = History(touches=(touch(TODAY, Channel.CALL),),
                      rejections=(rejection(Label.NO_NEED, day=TODAY),))
    day = earliest_allowed(ANNA, ACCOUNT, TODAY, Channel.EMAIL, history, S)
    assert day == next_weekday(TODAY + timedelta(days=30))


def next_weekday(day: date) -> date:
    while not is_business_day(day, "DE"):
        day += timedelta(days=1)
    return day


_touches = st.lists(st.tuples(st.integers(-40, 60), st.sampled_from(list(Channel)),
                              st.booleans()), max_size=12)


@settings(max_examples=150, deadline=None)
@given(_touches, st.sampled_from(list(Channel)), st.integers(1, 3), st.integers(1, 20),
       st.booleans())
def test_earliest_allowed_is_the_first_allowed_business_day(
        touches: list[tuple[int, Channel, bool]], channel: Channel, limit: int, days: int,
        soft_no: bool) -> None:
    """The search's shortcuts never skip a day that a plain day-by-day check would allow."""
    settings_ = Settings(contact_caps=(Window(touches=limit, days=days),),
                         quiet_periods=(QuietPeriod(name="q", start="12-24", end="12-31"),))
    past = tuple(touch(TODAY + timedelta(days=d), ch) for d, ch, planned in touches
                 if d <= 0 or not planned)
    planned = tuple(FollowUpFacts(i, ANNA.id, TODAY + timedelta(days=d), ch, "p",
                                  FollowUpStatus.DUE, account_id=ACCOUNT.id)
                    for i, (d, ch, p) in enumerate(touches) if d > 0 and p)
    history = History(touches=past, followups=planned,
                      rejections=(rejection(Label.NOT_NOW, day=TODAY - timedelta(days=50)),)
                      if soft_no else ())
    expected = None
    for offset in range(0, 400):
        day = TODAY + timedelta(days=offset)
        if not is_business_day(day, "DE"):
            continue
        try:
            check_touch_allowed(ANNA, ACCOUNT, day, channel, history, settings_)
        except CapExceeded:
            continue
        expected = day
        break
    try:
        found = earliest_allowed(ANNA, ACCOUNT, TODAY, channel, history, settings_,
                                 until=TODAY + timedelta(days=399))
    except CapExceeded:
        found = None
    assert found == expected
