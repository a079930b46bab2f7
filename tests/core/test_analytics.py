"""The pure loss analytics, on records whose right figures are known by construction."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from notnow.core import analytics as A

D0 = date(2026, 1, 5)
AS_OF = date(2026, 11, 23)


def no(rid: int, day: date, label: str = "not_now", *, account: int | None = 1,
       who: str | None = "Ana", stage: str | None = "proposal", channel: str | None = "email",
       employees: int | None = 40, region: str | None = "West",
       industry: str | None = "retail", competitor: str | None = None) -> A.NoRow:
    return A.NoRow(rid, day, label, stage, channel, employees, region, industry, competitor,
                   who, account)


@pytest.mark.parametrize(("employees", "band"), [
    (None, "unknown"), (0, "unknown"), (1, "1-10"), (10, "1-10"), (11, "11-50"),
    (50, "11-50"), (51, "51-200"), (1000, "201-1000"), (1001, "1001+"),
])
def test_size_bands_have_inclusive_tops(employees: int | None, band: str) -> None:
    assert A.size_band(employees) == band


@pytest.mark.parametrize(("days", "bucket"), [
    (0, "within 3 months"), (90, "within 3 months"), (91, "3-6 months"),
    (180, "3-6 months"), (181, "6-12 months"), (365, "6-12 months"), (366, "after 12 months"),
])
def test_delay_buckets(days: int, bucket: str) -> None:
    assert A.delay_bucket(days) == bucket


def test_a_no_followed_by_a_win_on_the_account_is_won_back() -> None:
    wins = A.Wins([A.WinRow(1, D0 + timedelta(days=40), "Ana"),
                   A.WinRow(1, D0 + timedelta(days=400), "Ana")])
    tally = A.LossTally(wins).add_all([
        no(1, D0, "no_budget"),  # first win after it: 40 days
        no(2, D0 + timedelta(days=41), "price"),  # next win: 400 - 41 = 359 days
        no(3, D0 + timedelta(days=401), "price"),  # no win after it
        no(4, D0, "price", account=2),  # another account, never won
        no(5, D0, "price", account=None),  # no account at all
    ])
    assert tally.total == 5
    assert tally.won_back == 2
    assert sorted(tally.days_to_deal) == [40, 359]
    assert tally.median_days_to_deal() == (40 + 359) / 2
    assert dict((r[0], r[1:]) for r in tally.winback_by_label()) == {
        "no_budget": (1, 1, 1.0), "price": (4, 1, 0.25)}
    by_delay = {r[0]: r[1] for r in tally.winback_by_delay()}
    assert by_delay == {"within 3 months": 1, "3-6 months": 0, "6-12 months": 1,
                        "after 12 months": 0}
    assert tally.winback_by_delay()[-1][3] == pytest.approx(0.4)  # cumulative share


def test_a_win_on_the_day_of_the_no_counts_and_one_before_does_not() -> None:
    wins = A.Wins([A.WinRow(1, D0, None), A.WinRow(2, D0 - timedelta(days=1), None)])
    tally = A.LossTally(wins).add_all([no(1, D0), no(2, D0, account=2)])
    assert tally.won_back == 1
    assert tally.days_to_deal == [0]


def test_every_dimension_counts_each_no_once_and_unknowns_are_named() -> None:
    rows = [no(1, D0, "price", stage="closing", channel="call", employees=5, region="East",
               industry="finance", competitor="Rival", who="Ben"),
            no(2, D0, "price", stage=None, channel=None, employees=None, region=None,
               industry=None, competitor=None, who=None),
            no(3, D0, "no_need", stage="closing", channel="call", employees=5000)]
    tally = A.LossTally(A.Wins([])).add_all(rows)
    for dim in A.DIMENSIONS:
        assert sum(tally.by[dim].values()) == 3, dim
    assert tally.by["stage"] == {"closing": 2, "unknown": 1}
    assert tally.by["size"] == {"1-10": 1, "unknown": 1, "1001+": 1}
    assert tally.by["competitor"] == {"Rival": 1, "unknown": 2}
    assert tally.by["salesperson"] == {"Ben": 1, "unknown": 1, "Ana": 1}
    assert tally.label_stage[("price", "closing")] == 1
    assert tally.label_stage[("price", "unknown")] == 1
    assert [s for s, _ in tally.top("size")] == ["1-10", "1001+", "unknown"]


def test_trend_has_every_month_between_first_and_last_and_folds_rare_labels() -> None:
    labels = ["a", "b", "c", "d", "e", "f"]
    rows = [no(i, date(2026, 1, 10), label) for i, label in enumerate(labels)]
    rows += [no(10, date(2026, 4, 2), "a"), no(11, date(2026, 4, 3), "a")]
    months, series = A.LossTally(A.Wins([])).add_all(rows).trend(top_labels=2)
    assert months == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert series["a"] == [1, 0, 0, 2]
    assert list(series) == ["a", "b", "other"]
    assert series["other"] == [4, 0, 0, 0]


def test_proof_per_salesperson_counts_wins_in_the_period_only() -> None:
    wins = A.Wins([A.WinRow(1, date(2026, 3, 1), "Ana"), A.WinRow(9, date(2025, 3, 1), "Ana"),
                   A.WinRow(8, date(2026, 5, 1), "Ben")], since=date(2026, 1, 1))
    tally = A.LossTally(wins).add_all([
        no(1, date(2026, 1, 1), who="Ana"), no(2, date(2026, 1, 2), who="Ana", account=3),
        no(3, date(2026, 1, 3), who="Ana", account=3),
        no(4, date(2026, 1, 3), who="Ben", account=5)])
    proofs = {p.salesperson: p for p in tally.proofs()}
    ana, ben = proofs["Ana"], proofs["Ben"]
    assert (ana.rejections, ana.won_back, ana.wins) == (3, 1, 1)  # the 2025 win is not counted
    assert ana.later_yes_rate == pytest.approx(1 / 3, abs=1e-4)
    assert ana.median_days_to_deal == (date(2026, 3, 1) - date(2026, 1, 1)).days
    assert ana.rejections_per_win == 3.0
    assert (ben.rejections, ben.won_back, ben.wins, ben.rejections_per_win) == (1, 0, 1, 1.0)
    assert tally.rejections_per_win() == 2.0  # 4 nos, 2 wins in the period


def test_wins_of_one_salesperson_only() -> None:
    wins = A.Wins([A.WinRow(1, D0, "Ana"), A.WinRow(2, D0, "Ben")], salesperson="Ben")
    assert wins.total == 1
    assert wins.first_after(1, D0) == D0  # every win is still looked up


# --- check-backs and capability gaps ---------------------------------------------------------


def cb(due: date, status: str = "done", *, answered: bool = False, another_no: bool = False,
       account: int = 1, label: str = "not_now") -> A.CheckbackRow:
    return A.CheckbackRow(1, due, status, account, label, answered, another_no)


@pytest.mark.parametrize(("row", "outcome"), [
    (cb(date(2026, 3, 1)), "won"),  # account 1 wins on 2026-04-01
    (cb(date(2026, 3, 1), "skipped"), "won"),
    (cb(date(2026, 5, 1), answered=True, another_no=True), "answered"),
    (cb(date(2026, 5, 1), another_no=True), "another no"),
    (cb(date(2026, 5, 1)), "no answer yet"),
    (cb(date(2026, 5, 1), "due"), "not done yet"),
    (cb(date(2026, 5, 1), "cancelled", answered=True), "skipped"),
    (cb(date(2027, 1, 4), "due"), "upcoming"),
])
def test_checkback_outcomes(row: A.CheckbackRow, outcome: str) -> None:
    wins = A.Wins([A.WinRow(1, date(2026, 4, 1), None)])
    assert A.checkback_outcome(row, wins, AS_OF) == outcome
    assert A.checkback_outcomes([row], wins, AS_OF)["all"] == {outcome: 1}  # the fast path


def test_checkback_outcomes_are_counted_per_label() -> None:
    rows = [cb(date(2026, 5, 1), label="price"), cb(date(2026, 5, 1), "skipped", label="price"),
            cb(date(2026, 5, 1), answered=True, label="no_need")]
    counts = A.checkback_outcomes(rows, A.Wins([]), AS_OF)
    assert counts["all"] == {"no answer yet": 1, "skipped": 1, "answered": 1}
    assert counts["price"] == {"no answer yet": 1, "skipped": 1}


def test_capability_gaps_fold_wordings_count_deals_once_and_skip_won_deals() -> None:
    rows = [A.CapabilityRow("SSO", 1, 10, 1000.0, "lost"),
            A.CapabilityRow("single sign-on", 2, 10, 1000.0, "lost"),  # same deal again
            A.CapabilityRow("SAML SSO", 3, 11, 500.0, "won"),  # won since: not lost
            A.CapabilityRow("on-prem", 4, 12, 3000.0, "nurturing"),
            A.CapabilityRow("self hosted", 5, None, None, None),
            A.CapabilityRow("!!", 6, 13, 99.0, "lost")]  # no capability in it
    gaps = A.capability_gaps(rows)
    assert [(g.key, g.requests, g.deals_lost, g.lost_value) for g in gaps] == [
        ("on-prem", 2, 1, 3000.0), ("sso", 3, 1, 1000.0)]
    assert gaps[1].variants == ("SAML SSO", "SSO", "single sign-on")


def test_capability_gaps_never_add_currencies() -> None:
    rows = [A.CapabilityRow("SSO", 1, 10, 1000.0, "lost", "USD"),
            A.CapabilityRow("SSO", 2, 11, 5_000_000.0, "lost", "JPY"),
            A.CapabilityRow("on-prem", 3, 12, 2000.0, "lost", "usd"),
            A.CapabilityRow("audit log", 4, 13, 9000.0, "lost", None)]  # no currency: the main
    gaps = {g.key: g for g in A.capability_gaps(rows, currency="USD")}
    assert gaps["sso"].lost_value == 1000.0
    assert gaps["sso"].other_currencies == (("JPY", 5_000_000.0),)
    assert gaps["sso"].describe_others() == "JPY 5,000,000"
    assert [g.key for g in A.capability_gaps(rows)] == ["audit-log", "on-prem", "sso"]
