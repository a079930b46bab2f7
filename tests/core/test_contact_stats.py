"""Contacts counted from their touches: attempts, caps, opt-outs, silence, giving up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from notnow.core import contact_stats as C
from notnow.core.playbook import Settings


def epoch(day: date, hour: int = 10) -> float:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC).timestamp()


def touch(cid: int, day: date, channel: str = "email", *, inbound: bool = False,
          who: str = "Ana") -> C.TouchRow:
    return C.TouchRow(cid, epoch(day), "inbound" if inbound else "outbound", channel, who)


AS_OF = date(2026, 11, 23)


def tally(rows: list[C.TouchRow], **kw: object) -> C.ContactTally:
    return C.ContactTally(settings=Settings(), as_of=AS_OF, **kw).add_all(  # type: ignore[arg-type]
        sorted(rows, key=lambda r: (r.contact_id, r.at)))


def test_attempts_before_the_first_answer() -> None:
    day = date(2026, 3, 2)
    rows = [touch(1, day + timedelta(days=3 * k), "call") for k in range(5)]
    rows += [touch(1, day + timedelta(days=20), inbound=True),
             touch(1, day + timedelta(days=21)),  # after access: not counted
             touch(2, day, inbound=True),  # they wrote first: 0 attempts
             touch(3, day), touch(3, day + timedelta(days=5), "call")]  # no answer yet
    t = tally(rows)
    assert dict(t.attempts_before_access) == {5: 1, 0: 1}
    assert t.median_attempts_before_access() == 2.5
    hist = dict(t.access_histogram(top=4))
    assert hist == {"0": 1, "1": 0, "2": 0, "3": 0, "4+": 1}


def test_a_fourth_touch_in_seven_days_hits_the_contact_cap() -> None:
    day = date(2026, 6, 1)
    crowded = [touch(1, day + timedelta(days=k), who="Ben") for k in range(4)]
    spaced = [touch(2, day + timedelta(days=7 * k), who="Ana") for k in range(4)]
    t = tally(crowded + spaced)
    assert t.cap_hits == {"Ben": 1}
    assert t.outbound == {"Ben": 4, "Ana": 4}
    assert t.pesters() == [("Ben", 1, 0, 4, 0.25), ("Ana", 0, 0, 4, 0.0)]


def test_after_a_soft_no_two_touches_within_thirty_days_hit_the_nurture_cap() -> None:
    no_day = date(2026, 2, 1)
    rows = [touch(1, date(2026, 1, 20)), touch(1, date(2026, 1, 25)),  # before the no: free
            touch(1, date(2026, 2, 10)), touch(1, date(2026, 2, 25)),  # 15 days apart: hit
            touch(1, date(2026, 4, 1))]  # 35 days later: fine
    t = tally(rows, soft_no={1: epoch(no_day)})
    assert t.cap_hits == {"Ana": 1}


def test_touches_after_an_opt_out_are_counted_apart() -> None:
    rows = [touch(1, date(2026, 5, 1), who="Ben"), touch(1, date(2026, 5, 20), who="Ben"),
            touch(1, date(2026, 6, 20), who="Ben")]
    t = tally(rows, opted_out={1: epoch(date(2026, 5, 10))})
    assert t.opted_out_attempts == {"Ben": 2}
    assert t.cap_hits == {}
    assert t.gave_up_early == {}  # an opted-out contact was not given up on


def test_silence_rule_and_giving_up_early() -> None:
    start = date(2026, 3, 2)
    three = ["call", "email", "linkedin"]
    past = [touch(1, start + timedelta(days=7 * k), three[k % 3], who="Ben") for k in range(9)]
    two = [touch(2, start + timedelta(days=7 * k), three[k % 2], who="Ana") for k in range(9)]
    few = [touch(3, date(2026, 8, 1), who="Ana"), touch(3, date(2026, 8, 9), who="Ana")]
    recent = [touch(4, AS_OF - timedelta(days=10), who="Ana")]  # not abandoned yet
    planned = [touch(5, date(2026, 8, 1), who="Ana")]  # something is planned
    answered = [touch(6, date(2026, 8, 1), who="Ana")]  # a logged no is an answer
    t = tally(past + two + few + recent + planned + answered, planned={5}, answered={6})
    assert (t.replied, t.silent_past_rule, t.silent_under_rule) == (1, 1, 4)
    assert t.abandoned == {"Ben": 1, "Ana": 2}
    assert t.gave_up_early == {"Ana": 2}  # 9 touches on 2 channels is still before the rule
    assert dict((r[0], r[1:]) for r in t.gives_up()) == {"Ana": (2, 2, 1.0),
                                                         "Ben": (1, 0, 0.0)}


def test_an_answer_resets_the_silence_count() -> None:
    start = date(2026, 3, 2)
    rows = [touch(1, start + timedelta(days=k), ["call", "email", "note"][k % 3])
            for k in range(9)]
    rows.append(touch(1, start + timedelta(days=10), inbound=True))
    rows += [touch(1, start + timedelta(days=20 + k)) for k in range(2)]
    t = tally(rows)
    assert t.replied == 1 and t.silent_past_rule == 0
