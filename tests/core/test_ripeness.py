"""Ripeness: the agenda's ranking, with its components and a one-line why."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from comeback_facts import TODAY, signal
from notnow.core.model import (
    Channel,
    FollowUpFacts,
    FollowUpStatus,
    Label,
    SignalFacts,
    SignalKind,
)
from notnow.core.ripeness import ranked, ripeness, scores


def fu(fid: int, due: date) -> FollowUpFacts:
    return FollowUpFacts(fid, 1, due, Channel.EMAIL, "check back", FollowUpStatus.DUE)


def test_components_add_up_and_explain() -> None:
    r = ripeness(fu(1, TODAY - timedelta(days=3)), today=TODAY, label=Label.NOT_NOW,
                 dated_checkback=True, signals=[signal(TODAY, SignalKind.REPLIED)],
                 last_touch=TODAY - timedelta(days=30))
    assert r.score == round(sum(r.components().values()), 3)
    assert r.why == ("3 days overdue; 1 active, 0 passive signals lately; last touch 30 days ago;"
                     " not now with a dated check-back")


def test_overdue_is_riper_than_due_later() -> None:
    late = ripeness(fu(1, TODAY - timedelta(days=5)), today=TODAY)
    today = ripeness(fu(2, TODAY), today=TODAY)
    future = ripeness(fu(3, TODAY + timedelta(days=4)), today=TODAY)
    assert late.score > today.score > future.score
    assert future.why.startswith("due in 4 days")


def test_label_dated_not_now_beats_not_interested() -> None:
    dated = ripeness(fu(1, TODAY), today=TODAY, label=Label.NOT_NOW, dated_checkback=True)
    bare = ripeness(fu(2, TODAY), today=TODAY, label=Label.NOT_INTERESTED)
    assert dated.label > bare.label and dated.score > bare.score


def test_signals_warm_and_cool_and_fade() -> None:
    warm = ripeness(fu(1, TODAY), today=TODAY, signals=[signal(TODAY, SignalKind.VISITED)])
    cold = ripeness(fu(1, TODAY), today=TODAY, signals=[signal(TODAY, SignalKind.IGNORED)])
    faded = ripeness(fu(1, TODAY), today=TODAY,
                     signals=[signal(TODAY - timedelta(days=90), SignalKind.VISITED)])
    assert warm.warmth > 0 > cold.warmth and faded.warmth == 0


def test_recent_touch_lowers_ripeness() -> None:
    fresh = ripeness(fu(1, TODAY), today=TODAY, last_touch=TODAY - timedelta(days=1))
    rested = ripeness(fu(1, TODAY), today=TODAY, last_touch=TODAY - timedelta(days=45))
    assert rested.rest > fresh.rest


def test_rank_is_deterministic() -> None:
    rows = [(i, (TODAY - timedelta(days=i % 3), None, False, None, ())) for i in range(1, 7)]
    once = ranked(TODAY, rows)
    assert ranked(TODAY, list(reversed(rows))) == once
    assert [fid for _, fid in once][:2] == [2, 5]  # 2 days overdue, then by id
    assert [s for s, _ in once] == sorted((s for s, _ in once), reverse=True)


_DAYS = st.integers(min_value=-400, max_value=400)


@given(late=_DAYS, label=st.none() | st.sampled_from(list(Label)), dated=st.booleans(),
       touched=st.none() | _DAYS,
       signals=st.lists(st.tuples(st.sampled_from(list(SignalKind)), _DAYS), max_size=6))
def test_score_alone_equals_the_explained_score(
        late: int, label: Label | None, dated: bool, touched: int | None,
        signals: list[tuple[SignalKind, int]]) -> None:
    """The agenda ranks every row by `scores` and explains only the rows shown with
    `ripeness`: the two must never disagree."""
    due = TODAY - timedelta(days=late)
    facts = [SignalFacts(kind, datetime.combine(TODAY - timedelta(days=ago), time(10), UTC))
             for kind, ago in signals]
    last = None if touched is None else TODAY - timedelta(days=touched)
    explained = ripeness(fu(1, due), today=TODAY, label=label, dated_checkback=dated,
                         signals=facts, last_touch=last)
    assert scores(TODAY, [(due, label, dated, last, facts)]) == [explained.score]

