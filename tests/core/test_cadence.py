"""The follow-up engine: attempts, silence, pace, pauses, renewals, gatekeepers, transitions."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from comeback_facts import ACCOUNT, TODAY, contact, rejection, signal, touch
from notnow.core.cadence import (
    Action,
    attempts,
    gatekeeper_state,
    next_attempt,
    next_budget_year,
    pace,
    renewal_checkback,
    transition,
)
from notnow.core.model import (
    Channel,
    FollowUpFacts,
    FollowUpStatus,
    History,
    Label,
    Role,
    SignalKind,
)
from notnow.core.playbook import Settings
from notnow.errors import Conflict, DoNotContact, InvalidInput

S = Settings()
ANNA = contact()
CHANNELS = [Channel.CALL, Channel.VOICEMAIL, Channel.EMAIL, Channel.LINKEDIN, Channel.CALL,
            Channel.EMAIL, Channel.NOTE, Channel.PARCEL, Channel.DROP_IN]


def _tries(n: int, channels: list[Channel] = CHANNELS) -> History:
    return History(touches=tuple(touch(TODAY - timedelta(days=3 * (n - i)), channels[i])
                                 for i in range(n)))


def test_silence_is_not_a_rejection_before_nine_attempts_on_three_channels() -> None:
    eight = attempts(_tries(8), ANNA)
    assert eight.count == 8 and not eight.silence_means_no(S)
    assert "8 of 9 attempts" in eight.explain_silence(S)
    nine = attempts(_tries(9), ANNA)
    assert nine.silence_means_no(S)
    only_calls = attempts(_tries(9, [Channel.CALL, Channel.VOICEMAIL] * 5), ANNA)
    assert only_calls.count == 9 and not only_calls.silence_means_no(S)  # 2 channels only


def test_an_answer_resets_the_attempts() -> None:
    history = _tries(6)
    answered = History(touches=history.touches + (touch(TODAY, Channel.EMAIL, inbound=True),))
    assert attempts(answered, ANNA).count == 0


def test_pace_backs_off_on_passive_and_speeds_up_on_active_signals() -> None:
    n = S.nurture
    assert pace((), TODAY, n).factor == 1
    cold = pace(tuple(signal(TODAY - timedelta(days=i), SignalKind.IGNORED) for i in range(3)),
                TODAY, n)
    assert cold.factor == 2.5 and cold.stretch(10) == 25
    very_cold = pace(tuple(signal(TODAY, SignalKind.UNOPENED) for _ in range(20)), TODAY, n)
    assert very_cold.factor == n.backoff_max
    warm = pace((signal(TODAY, SignalKind.REPLIED), signal(TODAY, SignalKind.VISITED)), TODAY, n)
    assert warm.factor == 0.5 and "shorter" in warm.why
    stale = pace((signal(TODAY - timedelta(days=200), SignalKind.IGNORED),), TODAY, n)
    assert stale.factor == 1


def test_next_attempt_follows_the_cadence_and_stretches_gaps() -> None:
    first = next_attempt(ANNA, ACCOUNT, History(), S, TODAY)
    assert first is not None and (first.day, first.channel, first.attempt) == (TODAY,
                                                                                 Channel.CALL, 1)
    history = History(touches=(touch(TODAY, Channel.CALL),))
    second = next_attempt(ANNA, ACCOUNT, history, S, TODAY)
    assert second is not None and second.channel == Channel.VOICEMAIL
    assert second.day == date(2026, 11, 24)  # gap of 1 business day
    cold = History(touches=history.touches,
                   signals=tuple(signal(TODAY, SignalKind.IGNORED) for _ in range(2)))
    slower = next_attempt(ANNA, ACCOUNT, cold, S, TODAY)
    assert slower is not None and slower.day == date(2026, 11, 25)  # 1 x 2.0 = 2 days


def test_next_attempt_avoids_a_second_unanswered_touch_on_one_channel() -> None:
    history = History(touches=(touch(TODAY - timedelta(days=8), Channel.CALL),
                               touch(TODAY - timedelta(days=7), Channel.VOICEMAIL)))
    repeat = Settings(cadence=S.cadence[:2] + S.cadence[1:2])  # call, voicemail, voicemail
    nxt = next_attempt(ANNA, ACCOUNT, history, repeat, TODAY)
    assert nxt is not None and nxt.channel == Channel.CALL
    assert "call instead of an unanswered voicemail" in nxt.why


def test_cadence_ends() -> None:
    assert next_attempt(ANNA, ACCOUNT, _tries(9), Settings(cadence=S.cadence[:9]), TODAY) is None


def test_out_of_office_pauses_until_the_return_date() -> None:
    back = date(2026, 12, 24)
    history = History(rejections=(rejection(Label.AUTO_REPLY, checkback=back),))
    nxt = next_attempt(ANNA, ACCOUNT, history, S, TODAY)
    assert nxt is not None and nxt.day == date(2026, 12, 28)  # 25/26 Dec are holidays, 27 a Sunday
    assert "out of office until 2026-12-24" in nxt.why


def test_dnc_contact_gets_no_attempt() -> None:
    with pytest.raises(DoNotContact):
        next_attempt(contact(dnc=True), ACCOUNT, History(), S, TODAY)


def test_renewal_checkback_comes_before_the_renewal() -> None:
    day = renewal_checkback(date(2027, 9, 1), 8, "DE", TODAY)
    assert day == date(2027, 7, 7) and day < date(2027, 9, 1)
    assert renewal_checkback(date(2026, 12, 1), 8, "DE", TODAY) == date(2026, 11, 24)


def test_next_budget_year() -> None:
    assert next_budget_year(TODAY, None, "DE") == date(2027, 1, 4)
    assert next_budget_year(TODAY, 4, "GB") == date(2027, 4, 1)
    assert next_budget_year(date(2026, 3, 1), 4, "US") == date(2026, 4, 1)


def test_gatekeeper_gets_several_conversations() -> None:
    gk = contact(role=Role.GATEKEEPER)
    history = History(touches=tuple(touch(TODAY - timedelta(days=i * 3), Channel.CALL)
                                    for i in range(5)))
    state = gatekeeper_state(history, gk, S)
    assert state.conversations == 5 and not state.reroute
    more = History(touches=history.touches + (touch(TODAY + timedelta(days=1), Channel.CALL),))
    assert gatekeeper_state(more, gk, S).reroute


# --- the state machine -----------------------------------------------------------------------

DUE = FollowUpFacts(1, 1, TODAY, Channel.CALL, "check back", FollowUpStatus.DUE)


@pytest.mark.parametrize(("action", "status"), [(Action.DONE, FollowUpStatus.DONE),
                                                (Action.SKIP, FollowUpStatus.SKIPPED),
                                                (Action.CANCEL, FollowUpStatus.CANCELLED)])
def test_closing_transitions(action: Action, status: FollowUpStatus) -> None:
    after = transition(DUE, action, today=TODAY)
    assert after.status == status and after.due == DUE.due
    with pytest.raises(Conflict, match="already"):
        transition(after, Action.SNOOZE, today=TODAY, to=TODAY + timedelta(days=3))


def test_snooze_and_reschedule_land_on_business_days() -> None:
    snoozed = transition(DUE, Action.SNOOZE, today=TODAY, to=date(2026, 12, 25), country="DE")
    assert snoozed.status == FollowUpStatus.SNOOZED and snoozed.due == date(2026, 12, 28)
    default = transition(DUE, Action.SNOOZE, today=date(2026, 11, 27), country="DE")
    assert default.due == date(2026, 11, 30)  # Friday -> Monday
    again = transition(snoozed, Action.RESCHEDULE, today=TODAY, to=date(2027, 1, 5))
    assert again.status == FollowUpStatus.DUE and again.due == date(2027, 1, 5)
    assert transition(snoozed, Action.DONE, today=TODAY).status == FollowUpStatus.DONE


def test_bad_dates_are_refused() -> None:
    with pytest.raises(InvalidInput, match="only postpones"):
        transition(DUE, Action.SNOOZE, today=TODAY, to=TODAY)
    with pytest.raises(InvalidInput, match="after today"):
        transition(DUE, Action.RESCHEDULE, today=TODAY, to=TODAY)


def test_snooze_only_ever_postpones() -> None:
    """A check-back far ahead is not pulled in by a snooze: it counts from the due date."""
    far = dataclasses.replace(DUE, due=date(2028, 7, 10))
    assert transition(far, Action.SNOOZE, today=TODAY).due == date(2028, 7, 11)
    assert transition(far, Action.SNOOZE, today=TODAY,
                      to=date(2028, 7, 17)).due == date(2028, 7, 17)
    with pytest.raises(InvalidInput, match="only postpones"):
        transition(far, Action.SNOOZE, today=TODAY, to=date(2026, 12, 1))
    moved = transition(far, Action.RESCHEDULE, today=TODAY, to=date(2026, 12, 1))
    assert moved.due == date(2026, 12, 1)  # bringing it forward is a reschedule
    with pytest.raises(InvalidInput, match="needs a date"):
        transition(DUE, Action.RESCHEDULE, today=TODAY)
    with pytest.raises(InvalidInput, match="takes no date"):
        transition(DUE, Action.DONE, today=TODAY, to=TODAY)
