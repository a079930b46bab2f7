"""Time hints: check-back days from the prospect's words, and out-of-office return days.

Every expected day below was worked out by hand against a calendar, taking Sunday 2026-11-22 as
today and the US federal holidays (Thanksgiving 2026-11-26, Christmas 2026-12-25, New Year
2027-01-01, Presidents' Day 2027-02-15, Memorial Day 2027-05-31, Independence Day observed
2027-07-05, Labor Day 2027-09-06, New Year 2028 observed 2027-12-31).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notnow.core import businessdays
from notnow.core import timehints_lexicon as lex
from notnow.core.timehints import (
    TimeHint,
    extract_return_date,
    extract_time_hint,
    warm_up,
    within_tolerance,
)
from notnow.errors import InvalidInput

TODAY = date(2026, 11, 22)  # a Sunday


def checkback(text: str, **kwargs: object) -> date | None:
    hint = extract_time_hint(text, today=TODAY, **kwargs)  # type: ignore[arg-type]
    return None if hint is None else hint.checkback


# The examples of ../shared/TAXONOMY.md (a contract).
TAXONOMY = [
    ("try me next quarter", date(2027, 1, 4)),
    ("in six months", date(2027, 5, 24)),
    ("after our fiscal year starts in April", date(2027, 4, 1)),
    ("not before Q3 2027", date(2027, 7, 1)),
    ("maybe next year", date(2027, 1, 4)),
    ("in the new year", date(2027, 1, 4)),
    ("not this year", date(2027, 1, 4)),
]


@pytest.mark.parametrize(("text", "expected"), TAXONOMY)
def test_taxonomy_examples(text: str, expected: date) -> None:
    assert checkback(text) == expected


def test_taxonomy_renewal_comes_some_weeks_before_it() -> None:
    hint = extract_time_hint("our contract renews next September", today=TODAY)
    assert hint is not None and hint.checkback is not None
    assert hint.kind == "renewal"
    assert date(2027, 7, 1) <= hint.checkback < date(2027, 9, 1)
    assert hint.checkback == date(2027, 7, 21)  # 1 September minus six weeks, a Wednesday


def test_taxonomy_a_few_weeks_is_about_three_weeks() -> None:
    got = checkback("give it a few weeks")
    assert got is not None and abs((got - (TODAY + timedelta(weeks=3))).days) <= 2


# (phrase, expected check-back): spans, dates, periods, seasons, holidays, fiscal years,
# renewals, ranges; with typos, odd casing and longer surroundings.
PHRASES: list[tuple[str, date | None]] = [
    # relative spans
    ("In 90 days, please.", date(2027, 2, 22)),
    ("Let's do a couple of weeks from now", date(2026, 12, 7)),
    ("Ping me in a couple of months", date(2027, 1, 22)),
    ("Check back in Six Months.", date(2027, 5, 24)),
    ("lets reconnect in 6 mnths", date(2027, 5, 24)),
    ("We might be open to it in 2-3 years.", date(2028, 11, 22)),
    ("in two or three years", date(2028, 11, 22)),
    ("check back in twenty-four months", date(2028, 11, 22)),
    ("a week or two", date(2026, 11, 30)),
    ("Could you call me again in a week or so?", date(2026, 11, 30)),
    ("Talk to me in a year", date(2027, 11, 22)),
    ("a year from now", date(2027, 11, 22)),
    ("in 18 months", date(2028, 5, 22)),
    ("in a year and a half", date(2028, 5, 22)),
    ("in half a year", date(2027, 5, 24)),
    ("in two weeks' time", date(2026, 12, 7)),
    ("Try me back in 6 weeks", date(2027, 1, 4)),
    ("in 10 business days", date(2026, 12, 7)),
    ("Don't call me for 30 days", date(2026, 12, 22)),
    ("Maybe in a few months", date(2027, 2, 22)),
    ("Several months from now", date(2027, 2, 22)),
    ("We're locked into a contract for the next 2 years", date(2028, 11, 22)),
    ("this time next year", date(2027, 11, 22)),
    ("It may be a year before we look again", date(2027, 11, 22)),
    ("revisit in about six months", date(2027, 5, 24)),
    # days and weeks
    ("tomorrow", date(2026, 11, 23)),
    ("call me Monday", date(2026, 11, 23)),
    ("next Tuesday", date(2026, 11, 24)),
    ("Friday works", date(2026, 11, 27)),
    ("Sure, send times for next week.", date(2026, 11, 23)),
    ("Call me the week after next", date(2026, 11, 30)),
    ("on the 5th", date(2026, 12, 7)),
    ("ping me around the 20th", date(2026, 12, 21)),
    ("after the 15th", date(2026, 12, 16)),
    ("the 30th", date(2026, 11, 30)),
    # named months
    ("Let's talk in April", date(2027, 4, 1)),
    ("mid January works better", date(2027, 1, 15)),
    ("end of March", date(2027, 3, 25)),
    ("Check back in Febuary", date(2027, 2, 1)),
    ("mid-Feb", date(2027, 2, 16)),
    ("first week of February", date(2027, 2, 1)),
    ("call me in Jan", date(2027, 1, 4)),
    ("Spending freeze until April", date(2027, 4, 1)),
    ("Give me until the end of January", date(2027, 2, 1)),
    ("We'll be ready by May 2027", date(2027, 5, 3)),
    ("Check back March or April", date(2027, 3, 1)),
    ("Merry Christmas and talk in January", date(2027, 1, 4)),
    ("Call me next month.", date(2026, 12, 1)),
    ("by the end of the month", date(2026, 11, 24)),
    # dates
    ("Call me on 3/15", date(2027, 3, 15)),
    ("Let's talk 2027-02-10", date(2027, 2, 10)),
    ("We could meet on May 13th", date(2027, 5, 13)),
    ("Sept 2, 2027 is the earliest", date(2027, 9, 2)),
    # quarters and halves
    ("TRY ME NEXT QUARTER!!", date(2027, 1, 4)),
    ("Q3 2027", date(2027, 7, 1)),
    ("Call me in the 3rd quarter", date(2027, 7, 1)),
    ("end of the quarter", date(2026, 12, 17)),
    ("Circle back after Q1", date(2027, 4, 1)),
    ("Not until after Q1.", date(2027, 4, 1)),
    ("Try again in Q2", date(2027, 4, 1)),
    ("Q1 of next year", date(2027, 1, 4)),
    ("We're evaluating vendors again in Q2 next year", date(2027, 4, 1)),
    ("We'll revisit in Q3 or Q4", date(2027, 7, 1)),
    ("We'll know more by end of Q1 2027", date(2027, 3, 17)),
    ("H2 2027", date(2027, 7, 1)),
    ("Too much going on this quarter", date(2027, 1, 4)),
    # years
    ("maybe nex year", date(2027, 1, 4)),
    ("Not interested right now, maybe next year.", date(2027, 1, 4)),
    ("Could be interested, just not this year.", date(2027, 1, 4)),
    ("Budget is gone for this year", date(2027, 1, 4)),
    ("We don't have any budget/money this year", date(2027, 1, 4)),
    ("We're not planning to sell until 2027.", date(2027, 1, 4)),
    ("Check with us in 2028", date(2028, 1, 3)),
    ("Locked in with our vendor until 2028", date(2028, 1, 3)),
    ("We're in a contract till end of 2027", date(2028, 1, 3)),
    ("early next year", date(2027, 1, 4)),
    ("end of year", date(2026, 12, 17)),
    ("call me after the first of the year", date(2027, 1, 4)),
    ("Let's reconnect in mid-2027", date(2027, 7, 2)),
    ("later this year", date(2026, 12, 14)),
    # seasons and holidays
    ("after the holidays", date(2027, 1, 4)),
    ("we're slammed until after the hollidays", date(2027, 1, 4)),
    ("We're closed over the holidays", date(2027, 1, 4)),
    ("call me back after Christmas", date(2026, 12, 28)),
    ("before Christmas", date(2026, 12, 10)),
    ("after New Year's", date(2027, 1, 4)),
    ("after Thanksgiving", date(2026, 11, 30)),
    ("Reach out again after Easter", date(2027, 3, 30)),
    ("after Labor Day", date(2027, 9, 7)),
    ("Talk after the 4th of July", date(2027, 7, 6)),
    ("Let's revisit after tax season.", date(2027, 4, 16)),
    ("after summer", date(2027, 9, 1)),
    ("We may look at this again in the fall", date(2027, 9, 1)),
    ("Not until next fall", date(2027, 9, 1)),
    ("in the spring", date(2027, 3, 1)),
    ("next spring", date(2027, 3, 1)),
    ("in the winter", date(2026, 12, 1)),
    # fiscal years and budgets
    ("next fiscal year", date(2027, 1, 4)),
    ("after the new fiscal year in July", date(2027, 7, 1)),
    ("our FY starts July 1", date(2027, 7, 1)),
    ("after our fiscal year ends in June", date(2027, 7, 1)),
    ("FY27", date(2027, 1, 4)),
    ("FY2028", date(2028, 1, 3)),
    ("We're out of budget until the next budget cycle", date(2027, 1, 4)),
    # renewals: six weeks ahead, on a business day
    ("Our contract with them expires in June", date(2027, 4, 20)),
    ("Contract is up in March 2028", date(2028, 1, 19)),
    ("Our licence expires 30 June 2027", date(2027, 5, 19)),
    ("renewal is in Q2", date(2027, 2, 18)),
    ("We're on Salesforce until our renewal in October 2027", date(2027, 8, 20)),
    ("We just renewed with them for another 2 years", date(2028, 10, 11)),
    ("We're on a 3-year contract with them", date(2029, 10, 12)),
    # longer replies and looser wording
    ("Reach out in the new year and we can discuss.", date(2027, 1, 4)),
    ("We're in the middle of a reorg, ping me in Q2.", date(2027, 4, 1)),
    ("Timing isn't right. Let's reconnect after the summer.", date(2027, 9, 1)),
    ("Our budget resets in July.", date(2027, 7, 1)),
    ("Circle back in early spring.", date(2027, 3, 1)),
    ("Give us until mid-March.", date(2027, 3, 15)),
    ("We won't be making any decisions before the end of Q2.", date(2027, 6, 16)),
    ("Try back in the second half of next year.", date(2027, 7, 2)),
    ("We're heads-down until the end of the year.", date(2027, 1, 4)),
    ("Hit me up in a month or two.", date(2026, 12, 22)),
    ("Let's touch base in 3-4 months", date(2027, 2, 22)),
    ("Things should calm down by February.", date(2027, 2, 1)),
    ("We're revisiting vendors in fall 2027.", date(2027, 9, 1)),
    ("We close the books at year end; talk to me in February.", date(2027, 2, 1)),
    ("Try me again after the 1st.", date(2026, 12, 2)),
    ("We're reviewing proposals at the start of next quarter.", date(2027, 1, 4)),
    ("Contact me again in late January.", date(2027, 1, 21)),
    ("not for another year or so", date(2027, 11, 22)),
    ("Check in with me end of Jan", date(2027, 1, 25)),
    ("I'd say try again in Q1 '27", date(2027, 1, 4)),
    ("Reach out in 2 wks", date(2026, 12, 7)),
    ("we are booked solid thru March", date(2027, 4, 1)),
    ("Maybe around Thanksgiving next year", date(2027, 11, 29)),
    ("We'll have budget again in the new fiscal", date(2027, 1, 4)),
    ("Call me back in a fortnight", date(2026, 12, 7)),
    ("The decision will be made by the end of next month.", date(2026, 12, 28)),
    ("Nothing before September, sorry.", date(2027, 9, 1)),
    ("Would be good to talk mid next year", date(2027, 7, 2)),
    ("Ask me again at the beginning of December.", date(2026, 12, 1)),
    ("Please reach out again in Spring 2027 when our new budget is set", date(2027, 3, 1)),
    ("we just renewed our contract with Gong in August for 12 months", date(2027, 6, 21)),
    ("We plan to re-evaluate in the 2nd half of 2027", date(2027, 7, 2)),
    ("No budget until next year at the earliest.", date(2027, 1, 4)),
    ("Probably a year out", date(2027, 11, 22)),
    ("Reach out in 30-60 days", date(2026, 12, 22)),
    ("Circle back after the first of the month", date(2026, 12, 2)),
    ("first of next month", date(2026, 12, 1)),
    ("in a few days", date(2026, 11, 25)),
    ("maybe closer to the summer", date(2027, 6, 1)),
    # nothing about time, or only history
    ("Not interested, thanks.", None),
    ("Way over what we can justify.", None),
    ("Remove me from your list.", None),
    ("We signed with Acme last month", None),
    ("We've used them for 5 years", None),
    ("Happy New Year!", None),
    ("Prices fall every year", None),
    ("Talk to Jan in accounting", None),
    ("Need to wait for budgets to be approved", None),
    ("Not now—need to finish a few projects first.", None),
    ("Anna no longer works here", None),
    ("Nous ne sommes pas intéressés, merci.", None),
    ("We have 5 locations and about 200 employees.", None),
    ("Can you do a 10% discount?", None),
    ("Call me at 555-1234.", None),
    ("It took us 6 months to implement the last tool.", None),
    ("We've been burned by 3 vendors in 2 years.", None),
    ("Our Q3 results were great, thanks.", None),
    ("Thanks for the call on Monday.", None),
    ("We have 2 weeks of vacation per year.", None),
    ("24/7 support is a must.", None),
    ("We pay $50 a month for our current tool.", None),
    ("Our contract is month-to-month.", None),
    ("We moved to Salesforce in March.", None),
    ("I've been in this role for 3 years.", None),
    ("This email is confidential. © 2026 Acme Inc. All rights reserved.", None),
    ("Our office hours are Monday–Friday, 9am–5pm.", None),
    ("Once a quarter we review vendors.", None),
    ("Our fiscal discipline is strict.", None),
    ("Happy holidays from all of us!", None),
    ("May I ask what this is regarding?", None),
    ("We may consider it.", None),
    ("I spent 10 years at Oracle.", None),
    ("Our mid-year review went well.", None),
    ("We had a great summer.", None),
    ("Thanks for the Christmas card!", None),
]


@pytest.mark.parametrize(("text", "expected"), PHRASES)
def test_phrasings(text: str, expected: date | None) -> None:
    assert checkback(text) == expected


def test_phrasings_are_many_and_varied() -> None:
    assert len(PHRASES) + len(TAXONOMY) >= 80
    assert len({text.lower() for text, _ in PHRASES}) == len(PHRASES)


@pytest.mark.parametrize("text", [
    "later", "maybe someday", "not right now", "We might look at this down the road",
    "maybe in the future", "at some point", "some time down the line",
    "We're good right now but you can check back", "I'll call you back later.",
])
def test_vague_phrases_have_no_date_and_low_confidence(text: str) -> None:
    hint = extract_time_hint(text, today=TODAY)
    assert hint is not None
    assert hint.checkback is None
    assert hint.kind == "vague"
    assert hint.confidence < 0.5


@pytest.mark.parametrize("text", [
    "", "   ", "\x00\x01\x02\xff binary \ufffd junk", "Danke, kein Interesse.",
    "<html><body><p>No thanks</p></body></html>",
])
def test_text_without_hint_gives_none(text: str) -> None:
    assert extract_time_hint(text, today=TODAY) is None


def test_html_body_still_reads_the_hint() -> None:
    assert checkback("<p>Not now.</p><p>Try me <b>next quarter</b>.</p>") == date(2027, 1, 4)


def test_one_megabyte_of_text_is_read_without_hanging() -> None:
    big = "We will think about it and get back to you. " * 25_000
    assert len(big) > 1_000_000
    hint = extract_time_hint(big + " Try me in April.", today=TODAY)
    assert hint is None or hint.checkback is None  # the April is beyond the scanned part


# ---------------------------------------------------------------- the hint itself
def test_phrase_and_offsets_point_into_the_original_text() -> None:
    text = "Hi Sam,\n\nThanks. We're SLAMMED right now — Circle back after Q3 please.\n"
    hint = extract_time_hint(text, today=TODAY)
    assert hint is not None
    assert text[hint.start:hint.end] == hint.phrase == "after Q3"
    assert hint.checkback == date(2027, 10, 1)
    assert (hint.granularity, hint.kind) == ("quarter", "quarter")


def test_offsets_survive_characters_that_grow_when_lowered() -> None:
    text = "İİİ Straße — call me in April"
    hint = extract_time_hint(text, today=TODAY)
    assert hint is not None and text[hint.start:hint.end] == hint.phrase == "in April"


def test_the_most_specific_hint_wins() -> None:
    text = ("We don't have budget this year. Not a priority this quarter either, "
            "but try me in March when planning starts.")
    hint = extract_time_hint(text, today=TODAY)
    assert hint is not None and hint.checkback == date(2027, 3, 1)
    assert hint.phrase == "in March"


def test_whole_email_with_signature_and_quoted_history() -> None:
    text = (
        "Hi Sam,\n\nThanks for reaching out. We just signed a two-year deal with Acme in "
        "March, so we're set for now. Feel free to check back in early 2028.\n\nBest,\nDana\n"
        "VP Ops | +1 (555) 201-2027 | 12 Main St, Suite 2030\n\n"
        "On Mon, Nov 16, 2026 at 9:12 AM Sam <sam@example.com> wrote:\n"
        "> Could we talk next Tuesday? I'm around until December 18.\n"
    )
    hint = extract_time_hint(text, today=TODAY)
    assert hint is not None
    assert hint.checkback == date(2028, 1, 3)
    assert hint.phrase == "in early 2028"


def test_month_of_a_past_event_is_not_the_hint() -> None:
    text = "We chose another vendor in March. Maybe talk again next year."
    assert checkback(text) == date(2027, 1, 4)


def test_dates_are_never_in_the_past() -> None:
    for text in ("in April", "Monday", "the 5th", "in the spring", "after Easter", "Q1"):
        for offset in range(0, 365, 29):
            today = TODAY + timedelta(days=offset)
            hint = extract_time_hint(text, today=today)
            assert hint is not None and hint.checkback is not None, (text, today)
            assert hint.checkback > today, (text, today)
            assert businessdays.is_business_day(hint.checkback)


def test_a_past_explicit_date_is_history_not_a_hint() -> None:
    assert checkback("We had a bad time with you in 2022.") is None
    assert checkback("That was on 2026-03-02.") is None


def test_numeric_dates_follow_the_country() -> None:
    assert checkback("Call me on 03/04", country="US") == date(2027, 3, 4)
    assert checkback("Call me on 03/04", country="GB") == date(2027, 4, 5)  # 3 April: Saturday
    assert checkback("Please contact me on 15/03/2027", country="GB") == date(2027, 3, 15)


def test_holidays_of_the_country_are_skipped() -> None:
    # 2027-03-29 is Easter Monday: a public holiday in Germany, not in the US.
    assert checkback("let's talk on 29 March", country="US") == date(2027, 3, 29)
    assert checkback("let's talk on 29 March", country="DE") == date(2027, 3, 30)


def test_seasons_flip_south_of_the_equator() -> None:
    assert checkback("in the spring", country="AU") == date(2027, 9, 1)
    assert checkback("in the spring", country="US") == date(2027, 3, 1)


def test_tax_season_follows_the_country() -> None:
    assert checkback("after tax season", country="US") == date(2027, 4, 16)
    assert checkback("after tax season", country="CA") == date(2027, 5, 3)  # 1 May: Saturday


def test_fiscal_year_start_of_the_account() -> None:
    assert checkback("next fiscal year", fiscal_year_start=10) == date(2027, 10, 1)
    text = "Not a good time – budget freeze until next fiscal year"
    assert checkback(text, fiscal_year_start=7) == date(2027, 7, 1)
    assert checkback("No budget left this year", fiscal_year_start=4) == date(2027, 4, 1)
    with pytest.raises(InvalidInput):
        extract_time_hint("next fiscal year", today=TODAY, fiscal_year_start=13)


def test_warm_up_changes_no_answer() -> None:
    before = checkback("Check back in 6 months")
    warm_up(TODAY, country="GB")
    assert checkback("Check back in 6 months") == before == date(2027, 5, 24)


def test_non_string_input_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput):
        extract_time_hint(b"next year", today=TODAY)  # type: ignore[arg-type]


# ---------------------------------------------------------------- out of office
RETURNS = [
    ("back on the 13th May", date(2027, 5, 13)),
    ("I'm out 12–19 October", date(2027, 10, 20)),
    ("I'm out of office from 12 to 19 October.", date(2027, 10, 20)),
    ("I will be out until 14 July", date(2027, 7, 14)),
    ("I will be out of the office and returning next week.", date(2026, 11, 23)),
    ("I'm out of the office through Friday", date(2026, 11, 30)),
    ("I'm on holiday until Monday 30 November", date(2026, 11, 30)),
    ("I'm away from the office from 23 Dec to 4 Jan", date(2027, 1, 5)),
    ("Thanks for your email. I'm on annual leave and back on Monday.", date(2026, 11, 23)),
    ("I am out of the office on Dec 14", date(2026, 12, 15)),
    ("I am out of office until Sept 2 with limited access to email.", date(2027, 9, 2)),
    ("I'm on parental leave until March", date(2027, 3, 1)),
    ("Back in the office on Jan 11", date(2027, 1, 11)),
    ("OOO through 12/30", date(2026, 12, 31)),
    ("I'm travelling for two weeks with limited access to email.", date(2026, 12, 7)),
    ("I'll be on leave from December 18th through January 6th.", date(2027, 1, 7)),
    ("I'm out Monday and Tuesday", date(2026, 11, 25)),
    ("I am currently on leave, returning 3rd December", date(2026, 12, 3)),
    ("I'm out of the office until Tuesday, January 5th", date(2027, 1, 5)),
    ("I will be out of the office from Monday 21st December, returning on Monday 4th January.",
     date(2027, 1, 4)),
    ("Our office is closed for the holidays. We reopen on January 4.", date(2027, 1, 4)),
]


@pytest.mark.parametrize(("text", "expected"), RETURNS)
def test_return_dates(text: str, expected: date) -> None:
    hint = extract_return_date(text, today=TODAY)
    assert hint is not None
    assert hint.checkback == expected
    assert hint.kind == "return"
    assert text[hint.start:hint.end] == hint.phrase


def test_an_out_of_office_hint_is_also_the_time_hint() -> None:
    assert checkback("I will be out until 14 July") == date(2027, 7, 14)


def test_no_return_date_without_one() -> None:
    text = "I am currently out of the office with no access to email. I will respond when I return."
    assert extract_return_date(text, today=TODAY) is None
    assert extract_return_date("Try me next quarter.", today=TODAY) is None
    assert extract_return_date("", today=TODAY) is None


# ---------------------------------------------------------------- tolerance
@pytest.mark.parametrize(("expected", "got", "granularity", "ok"), [
    (date(2027, 1, 4), date(2027, 1, 6), "day", True),
    (date(2027, 1, 4), date(2027, 1, 7), "day", False),
    (date(2027, 1, 4), date(2027, 1, 11), "week", True),
    (date(2027, 1, 4), date(2026, 12, 27), "week", False),
    (date(2027, 1, 4), date(2027, 1, 14), "month", True),
    (date(2027, 1, 4), date(2027, 1, 15), "month", False),
    (date(2027, 1, 4), date(2027, 1, 19), "quarter", True),
    (date(2027, 1, 4), date(2026, 12, 20), "year", True),
    (date(2027, 1, 4), date(2026, 12, 19), "year", False),
    (None, None, None, True),
    (None, date(2027, 1, 4), None, False),
    (date(2027, 1, 4), None, "year", False),
    (date(2027, 1, 4), date(2027, 1, 6), None, True),
])
def test_within_tolerance(expected: date | None, got: date | None, granularity: str | None,
                          ok: bool) -> None:
    assert within_tolerance(expected, got, granularity) is ok


# ---------------------------------------------------------------- properties
@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 1)))
def test_any_text_gives_a_sound_hint_or_none(text: str, today: date) -> None:
    hint = extract_time_hint(text, today=today)
    if hint is not None:
        assert isinstance(hint, TimeHint)
        assert text[hint.start:hint.end] == hint.phrase
        assert 0.0 <= hint.confidence <= 1.0
        assert hint.granularity in {"day", "week", "month", "quarter", "year"}
        assert hint.checkback is None or hint.checkback > today


WORDS = ["in", "next", "the", "end", "of", "after", "until", "not", "this", "early", "mid",
         "2", "six", "a", "few", "couple", "weeks", "months", "year", "quarter", "Q3", "April",
         "Monday", "5th", "13", "May", "2027", "fiscal", "christmas", "holidays", "summer",
         "renews", "out", "back", "-", "or", ",", "."]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=12))
def test_time_words_in_any_order_never_crash_or_go_back(words: list[str]) -> None:
    text = " ".join(words)
    for extract in (extract_time_hint, extract_return_date):
        hint = extract(text, today=TODAY)
        if hint is not None:
            assert text[hint.start:hint.end] == hint.phrase
            assert hint.checkback is None or hint.checkback > TODAY


# ---------------------------------------------------------------- fast paths change nothing
def _plain_head_pattern(families: frozenset[str]) -> re.Pattern[str]:
    """The head pattern without its opening check (what `head_pattern` compiled before)."""
    parts = [part for name, part in zip(lex._HEAD_NAMES, lex.HEAD_PARTS, strict=True)
             if name in families]
    return re.compile(r"(?=[0-9a-z])\b(?:" + "|".join(parts) + ")", re.VERBOSE)


_FAMILY_SETS = sorted({lex.ALL_FAMILIES, lex.trigger_families("1"),
                       *lex.TRIGGER_FAMILIES.values()}, key=sorted)
_HEAD_TEXTS = [text for text, _ in TAXONOMY] + [
    "a couple of weeks, a few days, a handful of months, half a year, 2-3 years, 2weeks, aweek",
    "fewweeks oneday sixmonths twenty-four months 1.5 years 3 and a half weeks 10+ days",
    "q3 q 3 3q fy27 fy 2027 fye h1 h2 '26 2027-03-04 3/15 15.3.2027 the 5th of may 5-6 june",
    "mon, may 13 thursday 14th-15th march 2027 x-mas xmas holllidays the holidays 4th of july",
    "year-end yearend eoy eoq around this time next year same time next month labour day",
    "down the road in the near future not right now next time at this stage when the time is",
    "o'tuesday rock'n'roll ١٢ weeks ٣/٤ ﬁscal year İstanbul in march, Sept. 3rd; 2026 2031",
    "spring '27 summer break winter holidays autumn 2027 black friday new year's eve tmrw",
]


@pytest.mark.parametrize("families", _FAMILY_SETS, ids=lambda f: "+".join(sorted(f)))
def test_head_pattern_opening_check_changes_no_match(families: frozenset[str]) -> None:
    fast, plain = lex.head_pattern(families), _plain_head_pattern(families)
    assert "\\b(?=" in fast.pattern  # the check is there on this Python
    texts = _HEAD_TEXTS + [" ".join(WORDS), " ".join(reversed(WORDS))]
    for text in texts:
        low = text.lower()
        got = [(m.span(), m.lastgroup, m.groups()) for m in fast.finditer(low)]
        assert got == [(m.span(), m.lastgroup, m.groups()) for m in plain.finditer(low)], text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS + ["aweek", "q", "fy", "h1", "x-mas", "'27", "tmrw",
                                         "soon", "the", "/", "’"]), max_size=14),
       st.sampled_from(_FAMILY_SETS))
def test_head_pattern_opening_check_on_any_words(words: list[str],
                                                 families: frozenset[str]) -> None:
    low = " ".join(words).lower()
    fast, plain = lex.head_pattern(families), _plain_head_pattern(families)
    assert ([(m.span(), m.groups()) for m in fast.finditer(low)]
            == [(m.span(), m.groups()) for m in plain.finditer(low)])


def test_shipped_openings_are_read_from_the_patterns() -> None:
    """`timehints_openings` (written by scripts/gen_openings.py) holds what the patterns say
    now: rerun the script after changing a head pattern."""
    from notnow.core.timehints_openings import PART_OPENINGS

    assert PART_OPENINGS == {name: lex.part_openings(part)
                             for name, part in zip(lex._HEAD_NAMES, lex.HEAD_PARTS,
                                                   strict=True)}
    assert all(PART_OPENINGS.values())  # every head has a check on this Python


@settings(max_examples=100, deadline=None)
@given(st.sets(st.sampled_from(sorted(lex.ALL_FAMILIES)), min_size=1))
def test_the_check_made_from_each_head_is_the_check_read_from_them_all(
        families: set[str]) -> None:
    """`head_pattern` joins the heads' shipped openings; reading the joined pattern gives the
    same check."""
    parts = [part for name, part in zip(lex._HEAD_NAMES, lex.HEAD_PARTS, strict=True)
             if name in families]
    body = r"(?:" + "|".join(parts) + ")"
    check = lex._check_of(lex.part_openings(body))
    assert check
    assert lex.head_pattern(frozenset(families)).pattern == r"(?=[0-9a-z])\b" + check + body


def test_opening_check_gives_up_on_what_it_cannot_read() -> None:
    assert lex._check_of(lex.part_openings(r"(?:next|in)\s+week")) == "(?=(?:in|nex))"
    assert lex._check_of(lex.part_openings(r"(?:next|.)")) == ""  # any character opens it
    assert lex._check_of(lex.part_openings(r"(?:[^a]x|y)")) == ""
    assert lex._check_of(lex.part_openings(r"(?:\d+|x)")) == "(?=(?:0|1|2|3|4|5|6|7|8|9|x))"


@pytest.mark.parametrize("text", ["", "no boundary at all", "a. b! c? d\ne; f", ".....",
                                  "x" * 200 + ". next week please", "end;" + "y" * 300])
def test_sentence_bounds_match_the_plain_scan(text: str) -> None:
    from notnow.core.timehints_rules import _BOUNDARY, _sentence

    for start in range(0, len(text) + 1, 3):
        end = min(len(text), start + 4)
        lo = max(0, start - 160)
        left = -1
        for found in _BOUNDARY.finditer(text, lo, start):
            left = found.start()
        right = _BOUNDARY.search(text, end, min(len(text), end + 160))
        plain = ((left + 1 if left >= 0 else lo),
                 (right.start() if right else min(len(text), end + 160)))
        assert _sentence(text, start, end) == plain
