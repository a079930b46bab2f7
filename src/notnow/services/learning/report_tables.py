"""Turning the analytics' results into the report's figures and named tables.

Table names are stable: they are the CSV file names and the keys the charts and the dashboard
use. Rates are fractions (0.25), rendered as percentages by the HTML.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from notnow.core import analytics as A
from notnow.core import contact_stats as C
from notnow.core.autopsy import ThemeCount
from notnow.core.playbook import Settings

if TYPE_CHECKING:
    from notnow.services.learning.reports import Report

DIM_TITLES = {
    "label": ("by_label", "Rejections by reason"),
    "stage": ("by_stage", "Rejections by deal stage"),
    "channel": ("by_channel", "Rejections by channel"),
    "size": ("by_size", "Rejections by company size (employees)"),
    "region": ("by_region", "Rejections by region"),
    "industry": ("by_industry", "Rejections by industry"),
    "competitor": ("by_competitor", "Rejections by competitor named"),
    "salesperson": ("by_salesperson", "Rejections by salesperson"),
}
STAGES = ("cold_call", "email_prospecting", "proposal", "closing", "follow_up", A.UNKNOWN)


def pct(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:.0f}%"


def num(x: float | None, unit: str = "") -> str:
    if x is None:
        return "–"
    text = f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"
    return f"{text}{unit}"


def compact(x: float | None) -> str:
    """A large figure in few characters: 22.1M, 388k; smaller ones in full."""
    if x is None:
        return "–"
    if abs(x) >= 1_000_000:
        return f"{x / 1_000_000:.1f}M"
    if abs(x) >= 100_000:
        return f"{x / 1000:.0f}k"
    return num(x)


def fill(report: Report, *, currency: str, losses: A.LossTally, contacts: C.ContactTally,
         checkbacks: dict[str, Counter[str]], gaps: list[A.CapabilityGap],
         themes: list[ThemeCount], autopsies: int, winners: list[tuple[str, int]],
         settings: Settings) -> None:
    from notnow.services.learning.reports import Table

    total = losses.total
    report.kpis = [
        ("Rejections", compact(total) if total >= 1_000_000 else num(total),
         "every no in scope (auto-replies and interest excluded)"),
        ("Later became a yes", pct(A.ratio(losses.won_back, total)),
         f"{losses.won_back:,} of {total:,} were followed by a won deal on the account"),
        ("Median days from no to deal", num(losses.median_days_to_deal()),
         "for the no's that were won back"),
        ("Rejections per win", num(losses.rejections_per_win()),
         f"deals won in the period: {losses.wins.total:,}"),
        ("Attempts before first answer", num(contacts.median_attempts_before_access()),
         "median, over contacts who answered"),
        ("Lost value, top capability gap",
         f"{currency} {compact(gaps[0].lost_value)}" if gaps else "–",
         gaps[0].name if gaps else "no capability requested"),
    ]
    for dim, (name, title) in DIM_TITLES.items():
        rows = [[v, n, A.ratio(n, total)] for v, n in losses.top(dim)]
        report.add(Table(name, title, [dim, "rejections", "share"], rows))

    labels = [lbl for lbl, _ in losses.top("label")]
    report.add(Table("label_by_stage", "Reasons by deal stage", ["label", *STAGES],
                     [[lbl, *[losses.label_stage[lbl, st] for st in STAGES]] for lbl in labels]))
    report.add(Table("label_by_size", "Reasons by company size", ["label", *A.SIZE_ORDER],
                     [[lbl, *[losses.label_size[lbl, sz] for sz in A.SIZE_ORDER]]
                      for lbl in labels]))
    people = [p for p, _ in losses.top("salesperson", 12)]
    report.add(Table("label_by_salesperson", "Reasons by salesperson", ["label", *people],
                     [[lbl, *[losses.label_salesperson[lbl, p] for p in people]]
                      for lbl in labels]))
    months, series = losses.trend()
    names = list(series)
    report.add(Table("trend_monthly", "Rejections per month, by reason", ["month", *names],
                     [[m, *[series[n][i] for n in names]] for i, m in enumerate(months)]))
    report.add(Table("winback_by_label", "Won back later, by reason",
                     ["label", "rejections", "won_back", "rate"],
                     [list(r) for r in losses.winback_by_label()],
                     note="won back: a deal won on the same account on or after the no"))
    report.add(Table("winback_by_delay", "How long after the no the deal came",
                     ["delay", "won_back", "share_of_rejections", "cumulative_share"],
                     [list(r) for r in losses.winback_by_delay()]))
    report.add(Table("proof", "No → later yes, per salesperson",
                     ["salesperson", "rejections", "won_back", "later_yes_rate",
                      "median_days_to_deal", "wins", "rejections_per_win"],
                     [[p.salesperson, p.rejections, p.won_back, p.later_yes_rate,
                       p.median_days_to_deal, p.wins, p.rejections_per_win]
                      for p in losses.proofs()]))

    rule = settings.silence
    report.add(Table("attempts_before_access", "Attempts before the first answer",
                     ["attempts", "contacts"], [list(r) for r in contacts.access_histogram()],
                     note="outbound touches before a contact's first inbound one"))
    report.add(Table("silence_vs_reply", "Answered or silent", ["state", "contacts", "share"], [
        [state, n, A.ratio(n, contacts.contacts)] for state, n in (
            ("answered", contacts.replied),
            (f"silent, under {rule.attempts} attempts / {rule.channels} channels",
             contacts.silent_under_rule),
            ("silent past the rule", contacts.silent_past_rule))]))
    outcome_cols = [o for o in A.OUTCOMES]
    order = ["all"] + sorted(k for k in checkbacks if k != "all")
    report.add(Table("checkback_outcomes", "What happened after each check-back",
                     ["label", *outcome_cols, "total"],
                     [[k, *[checkbacks[k][o] for o in outcome_cols],
                       sum(checkbacks[k].values())] for k in order if k in checkbacks]))
    report.add(Table("capability_gaps", f"Capability gaps, by value lost ({currency})",
                     ["capability", "requests", "deals_lost", "lost_value",
                      "lost_in_other_currencies", "wordings"],
                     [[g.name, g.requests, g.deals_lost, g.lost_value, g.describe_others(),
                       "; ".join(g.variants[:6])] for g in gaps],
                     note=f"lost value in {currency}; other currencies are not converted"))
    report.add(Table("pesters", "Pestering: touches above the caps",
                     ["salesperson", "cap_hits", "opted_out_attempts", "outbound_touches",
                      "share"],
                     [list(r) for r in contacts.pesters()],
                     note="cap hit: a touch beyond a contact or nurture cap"))
    report.add(Table("gives_up_early", "Giving up before the silence rule",
                     ["salesperson", "abandoned_silent", "before_rule", "share"],
                     [list(r) for r in contacts.gives_up()],
                     note=f"abandoned: silent, nothing planned, last attempt over "
                          f"{contacts.idle_days} days ago; the rule is {rule.attempts} "
                          f"attempts across {rule.channels} channels"))
    report.add(Table("autopsy_themes", f"Autopsy themes ({autopsies:,} autopsies)",
                     ["theme", "count", "share"],
                     [[t.theme, t.count, t.share] for t in themes]))
    report.add(Table("autopsy_winners", "Who got the sale, by autopsy",
                     ["winner", "autopsies"], [list(w) for w in winners[:15]]))
