"""Contacts counted from their records with the enforced rules: attempts, caps, opt-outs,
silence, giving up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from notnow.core import contact_stats as C
from notnow.core.caps import touches_over_caps
from notnow.core.model import (
    AccountFacts,
    Channel,
    ContactFacts,
    Direction,
    DncMark,
    DncSource,
    History,
    Label,
    RejectionFacts,
    TouchFacts,
)
from notnow.core.playbook import Settings

AS_OF = date(2026, 11, 23)
ACME = AccountFacts(id=1, name="Acme")
ANA, BEN = 1, 2


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def person(cid: int, *, dnc: date | None = None, timezone: str | None = None) -> ContactFacts:
    mark = DncMark(at(dnc), "remove me", DncSource.PROSPECT) if dnc else None
    return ContactFacts(id=cid, account_id=1, name=f"C{cid}", dnc=mark, timezone=timezone)


_ids = iter(range(1, 10_000))


def touch(cid: int, when: date | datetime, channel: str = "email", *, inbound: bool = False,
          who: int = ANA, reply: bool = False) -> TouchFacts:
    moment = when if isinstance(when, datetime) else at(when)
    return TouchFacts(cid, 1, Channel(channel),
                      Direction.INBOUND if inbound else Direction.OUTBOUND, moment,
                      reply=reply, id=next(_ids), author_id=who)


def no(cid: int, day: date, label: Label = Label.NOT_NOW, hour: int = 10) -> RejectionFacts:
    return RejectionFacts(id=next(_ids), contact_id=cid, account_id=1, at=at(day, hour),
                          label=label)


def tally(*contacts: tuple[ContactFacts, list[TouchFacts], list[RejectionFacts]],
          answered: set[int] | None = None, planned: set[int] | None = None) -> C.ContactTally:
    t = C.ContactTally(settings=Settings(), as_of=AS_OF)
    for contact, touches, nos in contacts:
        t.add_contact(contact, ACME, History(touches=tuple(touches), rejections=tuple(nos)),
                      answered=contact.id in (answered or set()),
                      planned=contact.id in (planned or set()))
    return t


def test_attempts_before_the_first_answer() -> None:
    day = date(2026, 3, 2)
    one = [touch(1, day + timedelta(days=3 * k), "call") for k in range(5)]
    one += [touch(1, day + timedelta(days=20), inbound=True),
            touch(1, day + timedelta(days=21))]  # after access: not counted
    two = [touch(2, day, inbound=True)]  # they wrote first: 0 attempts
    three = [touch(3, day), touch(3, day + timedelta(days=5), "call")]  # no answer yet
    t = tally((person(1), one, []), (person(2), two, []), (person(3), three, []))
    assert dict(t.attempts_before_access) == {5: 1, 0: 1}
    assert t.median_attempts_before_access() == 2.5
    hist = dict(t.access_histogram(top=4))
    assert hist == {"0": 1, "1": 0, "2": 0, "3": 0, "4+": 1}


def test_a_fourth_touch_in_seven_days_hits_the_contact_cap() -> None:
    day = date(2026, 6, 1)
    crowded = [touch(1, day + timedelta(days=k), who=BEN) for k in range(4)]
    spaced = [touch(2, day + timedelta(days=7 * k), who=ANA) for k in range(4)]
    t = tally((person(1), crowded, []), (person(2), spaced, []))
    assert t.cap_hits == {BEN: 1}
    assert t.outbound == {BEN: 4, ANA: 4}
    assert t.pesters() == [(BEN, 1, 0, 4, 0.25), (ANA, 0, 0, 4, 0.0)]


def test_the_contact_cap_counts_calendar_days_not_24_hour_windows() -> None:
    """Three touches on a Monday morning and one the next Monday at 8:00: less than 7×24 h
    after the first, but on the eighth calendar day — the caps allowed it."""
    monday = date(2026, 6, 1)
    touches = [touch(1, at(monday, h)) for h in (9, 10, 11)]
    touches.append(touch(1, at(monday + timedelta(days=7), 8)))
    verdicts = touches_over_caps(person(1), ACME, History(touches=tuple(touches)), Settings())
    assert [v.cap for v in verdicts] == [None, None, None, None]
    assert tally((person(1), touches, [])).cap_hits == {}


def test_calendar_days_are_the_contacts_own() -> None:
    """A fourth touch at 16:00 UTC on 7 June is on 8 June in Tokyo: a week after the first
    touch there, so within the cap; in UTC it would be the fourth in seven days."""
    start = date(2026, 6, 1)
    touches = [touch(1, at(start + timedelta(days=k), 10)) for k in range(3)]
    touches.append(touch(1, at(date(2026, 6, 7), 16)))
    history = History(touches=tuple(touches))
    tokyo = touches_over_caps(person(1, timezone="Asia/Tokyo"), ACME, history, Settings())
    utc = touches_over_caps(person(1), ACME, history, Settings())
    assert tokyo[-1].day == date(2026, 6, 8) and tokyo[-1].cap is None
    assert utc[-1].day == date(2026, 6, 7) and utc[-1].cap == "contact cap (3 per 7 days)"


def test_after_a_soft_no_two_touches_within_thirty_days_hit_the_nurture_cap() -> None:
    rows = [touch(1, date(2026, 1, 20)), touch(1, date(2026, 1, 25)),  # before the no: free
            touch(1, date(2026, 2, 10)),  # within 30 days of 25 January: a hit
            touch(1, date(2026, 3, 25)), touch(1, date(2026, 4, 1))]  # 7 days apart: a hit
    t = tally((person(1), rows, [no(1, date(2026, 2, 1))]))
    assert t.cap_hits == {ANA: 2}


def test_the_nurture_cap_follows_the_latest_no_and_skips_replies() -> None:
    """The product's nurture cap comes with the latest answer if it is a soft no: interest
    since lifts it; the thank-you reply to their no is not a nurture touch."""
    nos = [no(1, date(2026, 2, 1)), no(1, date(2026, 2, 5), Label.INTERESTED)]
    after_interest = [touch(1, date(2026, 2, 10)), touch(1, date(2026, 2, 20))]
    reply = [touch(2, date(2026, 2, 2), reply=True), touch(2, date(2026, 2, 20))]
    t = tally((person(1), after_interest, nos), (person(2), reply, [no(2, date(2026, 2, 1))]))
    assert t.cap_hits == {}
    # the reply itself counts for the contact caps (3 in 7 days)
    crowded = [touch(3, date(2026, 3, 2) + timedelta(days=k), reply=k == 2) for k in range(4)]
    assert tally((person(3), crowded, [])).cap_hits == {ANA: 1}


def test_a_touch_at_the_moment_of_the_no_is_not_held_to_the_nurture_cap() -> None:
    """The call in which they said no was made before the no was known."""
    day = date(2026, 5, 4)
    rows = [touch(1, date(2026, 4, 20)), touch(1, at(day, 10), "call")]
    verdicts = touches_over_caps(person(1), ACME, History(touches=tuple(rows),
                                                          rejections=(no(1, day),)),
                                 Settings())
    assert [v.cap for v in verdicts] == [None, None]


def test_touches_after_an_opt_out_are_counted_apart() -> None:
    rows = [touch(1, date(2026, 5, 1), who=BEN), touch(1, date(2026, 5, 20), who=BEN),
            touch(1, date(2026, 6, 20), who=BEN)]
    t = tally((person(1, dnc=date(2026, 5, 10)), rows, []))
    assert t.opted_out_attempts == {BEN: 2}
    assert t.cap_hits == {}
    assert t.gave_up_early == {}  # an opted-out contact was not given up on


def test_silence_rule_and_giving_up_early() -> None:
    start = date(2026, 3, 2)
    three = ["call", "email", "linkedin"]
    past = [touch(1, start + timedelta(days=7 * k), three[k % 3], who=BEN) for k in range(9)]
    two = [touch(2, start + timedelta(days=7 * k), three[k % 2]) for k in range(9)]
    few = [touch(3, date(2026, 8, 1)), touch(3, date(2026, 8, 9))]
    recent = [touch(4, AS_OF - timedelta(days=10))]  # not abandoned yet
    planned = [touch(5, date(2026, 8, 1))]  # something is planned
    answered = [touch(6, date(2026, 8, 1))]  # a logged no is an answer
    t = tally(*[(person(i + 1), rows, []) for i, rows in
                enumerate((past, two, few, recent, planned, answered))],
              planned={5}, answered={6})
    assert (t.replied, t.silent_past_rule, t.silent_under_rule) == (1, 1, 4)
    assert t.abandoned == {BEN: 1, ANA: 2}
    assert t.gave_up_early == {ANA: 2}  # 9 touches on 2 channels is still before the rule
    assert dict((r[0], r[1:]) for r in t.gives_up()) == {ANA: (2, 2, 1.0),
                                                         BEN: (1, 0, 0.0)}


def test_an_answer_makes_a_contact_answered() -> None:
    start = date(2026, 3, 2)
    rows = [touch(1, start + timedelta(days=k), ["call", "email", "note"][k % 3])
            for k in range(9)]
    rows.append(touch(1, start + timedelta(days=10), inbound=True))
    rows += [touch(1, start + timedelta(days=20 + k)) for k in range(2)]
    t = tally((person(1), rows, []))
    assert t.replied == 1 and t.silent_past_rule == 0


def test_grouped_figures_ask_the_same_silence_rule() -> None:
    t = C.ContactTally(settings=Settings(), as_of=AS_OF)
    t.add_contacts(3, access=False, before_access=0, answered=False, attempts=9, channels=3,
                   abandoned_by=BEN, abandoned=True)
    t.add_contacts(2, access=False, before_access=0, answered=False, attempts=12, channels=2,
                   abandoned_by=None, abandoned=True)
    assert (t.silent_past_rule, t.silent_under_rule) == (3, 2)
    assert t.gave_up_early == {"unknown": 2} and t.abandoned == {BEN: 3, "unknown": 2}
