"""Plans: explainable steps from the playbook, the opt-out stop, dates within caps and calendars."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest

from comeback_facts import ACCOUNT, BIG, TODAY, contact, rejection, touch
from notnow.core.businessdays import is_business_day
from notnow.core.caps import check_touch_allowed
from notnow.core.model import (
    AccountFacts,
    Channel,
    ContactFacts,
    Evidence,
    FollowUpFacts,
    FollowUpStatus,
    History,
    Label,
    RejectionFacts,
    Role,
    Stage,
)
from notnow.core.offers import Offer, ReferenceCustomer, closest_references, fitting_offers
from notnow.core.plan import STOP_RULE, Plan, make_plan
from notnow.core.playbook import StepKind, default_playbook, team_playbook

ANNA = contact()
OWNER = contact(2, "Karl Kuehn", role=Role.EXECUTIVE)
DANA = contact(3, "Dana Ops", role=Role.DECISION_MAKER, department="Finance")
REFS = [ReferenceCustomer("Bauer AG", region="DACH", country="DE", employees=60,
                          industry="logistics"),
        ReferenceCustomer("Quiet Ltd", country="DE", employees=45, industry="logistics",
                          may_name=False),
        ReferenceCustomer("Far Inc", country="US", employees=9000, industry="banking")]
OFFERS = [Offer("Route audit", industries=("logistics",), max_employees=500),
          Offer("Enterprise suite", min_employees=1000), Offer("Core platform")]


def plan(r: RejectionFacts, *, who: ContactFacts = ANNA, account: AccountFacts = ACCOUNT,
         others: Sequence[ContactFacts] = (OWNER, DANA), history: History | None = None,
         **kw: Any) -> Plan:
    return make_plan(r, contact=who, account=account, others=others,
                     history=history or History(),
                     playbook=kw.pop("playbook", default_playbook()), today=TODAY,
                     offers=OFFERS, references=REFS, current_offer="Core platform", **kw)


def kinds(p: Plan) -> list[StepKind]:
    return [s.kind for s in p.steps]


def test_opt_out_yields_only_stop() -> None:
    r = rejection(Label.DO_NOT_CONTACT, evidence=(Evidence(0, 18, "remove me from your list"),))
    p = plan(r)
    assert kinds(p) == [StepKind.STOP] and p.stopped and not p.followups()
    assert p.steps[0].rule == STOP_RULE and "remove me" in p.steps[0].evidence


def test_a_contact_marked_dnc_gets_only_stop_whatever_the_label() -> None:
    for label in Label:
        p = plan(rejection(label), who=contact(dnc=True))
        assert kinds(p) == [StepKind.STOP]
        assert "opted out on 2026-10-01" in p.steps[0].evidence


def test_a_team_playbook_cannot_plan_contact_after_an_opt_out() -> None:
    team = team_playbook("rules:\n  - id: sneaky\n    when: {labels: [do_not_contact]}\n"
                         "    steps: [{kind: checkback, purpose: call, why: because}]\n")
    assert kinds(plan(rejection(Label.DO_NOT_CONTACT), playbook=team)) == [StepKind.STOP]


def test_unexplained_no_gets_the_immediate_steps() -> None:
    p = plan(rejection(Label.NOT_INTERESTED, stage=Stage.PROPOSAL, channel=Channel.EMAIL))
    first = [s.kind for s in p.steps if s.due == TODAY]
    for kind in (StepKind.COOLING_OFF, StepKind.THANK, StepKind.ASK_WHY, StepKind.JOURNAL):
        assert kind in first
    thank = next(s for s in p.steps if s.kind == StepKind.THANK)
    assert thank.channel == Channel.EMAIL and thank.contact_id == ANNA.id
    assert thank.rule == "thank-and-keep-door-open" and thank.why
    assert StepKind.AUTOPSY in kinds(p)


def test_checkback_default_per_label_and_evidence() -> None:
    p = plan(rejection(Label.NOT_INTERESTED))
    cb = next(s for s in p.steps if s.kind == StepKind.CHECKBACK)
    assert cb.due == date(2027, 2, 22) == p.checkback  # 90 days, Sunday 21 Feb -> Monday
    assert "90 days" in cb.evidence
    p = plan(rejection(Label.COMPETITOR_CHOSEN, competitor="Flexport"))
    assert p.checkback == date(2027, 5, 24)  # 6 months: 23 May 2027 is a Sunday
    p = plan(rejection(Label.NO_BUDGET))
    assert p.checkback == date(2027, 1, 4)  # next budget year, 1 Jan is a holiday
    fy = AccountFacts(1, "Acme GmbH", country="GB", fiscal_year_start=4, employees=40)
    assert plan(rejection(Label.NO_BUDGET), account=fy).checkback == date(2027, 4, 1)


def test_checkback_from_the_time_hint() -> None:
    r = rejection(Label.NOT_NOW, checkback=date(2027, 3, 1), checkback_phrase="try me in March")
    p = plan(r)
    cb = next(s for s in p.steps if s.kind == StepKind.CHECKBACK)
    assert cb.due == date(2027, 3, 1) and cb.evidence == 'time hint "try me in March"'


def test_nurture_fits_between_now_and_the_checkback_within_the_cap() -> None:
    p = plan(rejection(Label.NOT_NOW, checkback=date(2027, 5, 3)))
    nurture = [s for s in p.steps if s.kind == StepKind.NURTURE]
    assert len(nurture) == 2
    assert all(TODAY < s.due < date(2027, 5, 3) for s in nurture)
    touches = sorted(s.due for s in p.followups() if s.contact_id == ANNA.id)
    assert all((b - a).days >= 30 for a, b in zip(touches, touches[1:], strict=False))
    channels = [s.channel for s in sorted(p.followups(), key=lambda s: s.due)
                if s.contact_id == ANNA.id]
    assert all(a != b for a, b in zip(channels, channels[1:], strict=False))


def test_scheduled_steps_are_business_days_and_pass_the_caps() -> None:
    for label in Label:
        p = plan(rejection(label, referral="Dana", competitor="X", capability="SSO"))
        planned: list[FollowUpFacts] = []
        for s in p.followups():
            assert is_business_day(s.due, ACCOUNT.country), (label, s)
        for s in sorted(p.followups(), key=lambda s: s.due):
            who = {c.id: c for c in (ANNA, OWNER, DANA)}[s.contact_id or 0]
            assert s.channel is not None
            check_touch_allowed(who, ACCOUNT, s.due, s.channel,
                                History(rejections=(rejection(label),),
                                        followups=tuple(planned)), default_playbook().settings)
            planned.append(FollowUpFacts(len(planned) + 1, who.id, s.due, s.channel, "p",
                                         FollowUpStatus.DUE, account_id=ACCOUNT.id))


def test_entry_points_in_a_small_company_go_to_the_top() -> None:
    p = plan(rejection(Label.NOT_INTERESTED))
    top = [s for s in p.steps if s.rule == "top-of-small-company"]
    assert [s.contact_id for s in top] == [OWNER.id]
    assert "Karl Kuehn" in top[0].purpose and top[0].scheduled
    big = plan(rejection(Label.NOT_INTERESTED), account=BIG,
               others=[contact(5, "Bo", account=BIG, department="IT"),
                       contact(6, "Cy", account=BIG, department="HR", dnc=True)])
    assert not [s for s in big.steps if s.rule == "top-of-small-company"]
    depts = [s for s in big.steps if s.rule == "other-departments"]
    assert [s.contact_id for s in depts] == [5]  # never the opted-out colleague


def test_no_one_to_reach_becomes_a_task_to_find_them() -> None:
    p = plan(rejection(Label.NO_AUTHORITY), others=())
    step = next(s for s in p.steps if s.rule == "climb-to-decision")
    assert step.contact_id is None and not step.scheduled and "find who" in step.purpose


def test_named_referral_is_scheduled_when_known() -> None:
    p = plan(rejection(Label.WRONG_PERSON, referral="Dana"))
    ref = next(s for s in p.steps if s.kind == StepKind.REFERRAL)
    assert ref.contact_id == DANA.id and ref.evidence == 'they named "Dana"'
    unknown = plan(rejection(Label.WRONG_PERSON, referral="Mo Stranger"))
    ref = next(s for s in unknown.steps if s.kind == StepKind.REFERRAL)
    assert ref.contact_id is None and "Mo Stranger" in ref.purpose


def test_gatekeeper_then_reroute_after_six_conversations() -> None:
    gk = contact(role=Role.GATEKEEPER)
    p = plan(rejection(Label.GATEKEEPER), who=gk)
    chat = next(s for s in p.steps if s.kind == StepKind.GATEKEEPER)
    assert "conversation 1 of 6" in chat.why
    history = History(touches=tuple(touch(TODAY - timedelta(days=7 * i), Channel.CALL)
                                    for i in range(1, 7)))
    later = plan(rejection(Label.GATEKEEPER), who=gk, history=history)
    assert StepKind.GATEKEEPER not in kinds(later)
    reroute = next(s for s in later.steps if s.kind == StepKind.REROUTE)
    assert "6 friendly conversations" in reroute.why


def test_opportunities_and_references() -> None:
    p = plan(rejection(Label.PRICE))
    offers = [s.purpose for s in p.steps if s.kind == StepKind.OPPORTUNITY]
    assert offers == ["Consider offering Route audit, which fits Acme GmbH today."]
    refs = [s for s in p.steps if s.kind == StepKind.REFERENCE]
    # The closest may not be named: it is described instead.
    assert "a logistics company of about 45 people in DE" in refs[0].purpose
    assert "Bauer AG" in refs[1].purpose and "same country (DE)" in refs[1].why


def test_out_of_office_pauses_and_interest_is_answered() -> None:
    p = plan(rejection(Label.AUTO_REPLY, checkback=date(2026, 12, 24)))
    assert kinds(p) == [StepKind.PAUSE] and p.steps[0].due == date(2026, 12, 28)
    gone = plan(rejection(Label.AUTO_REPLY))
    assert kinds(gone) == [StepKind.REROUTE]
    hot = plan(rejection(Label.INTERESTED, channel=Channel.EMAIL))
    assert kinds(hot) == [StepKind.FOLLOW_UP] and hot.steps[0].due == TODAY


def test_missing_capability_tells_product_and_walks_away_when_repeated() -> None:
    r = rejection(Label.MISSING_CAPABILITY, capability="SSO")
    p = plan(r)
    fb = next(s for s in p.steps if s.kind == StepKind.PRODUCT_FEEDBACK)
    assert "SSO" in fb.purpose and fb.evidence == 'missing: "SSO"'
    assert StepKind.WALK_AWAY not in kinds(p)
    before = rejection(Label.MISSING_CAPABILITY, rid=3, day=TODAY - timedelta(days=200))
    again = plan(r, history=History(rejections=(before,)))
    assert StepKind.WALK_AWAY in kinds(again)


def test_every_step_names_rule_evidence_and_why() -> None:
    for label in Label:
        for s in plan(rejection(label, evidence=(Evidence(0, 4, "nope"),))).steps:
            assert s.rule and s.evidence and s.why and s.purpose, (label, s)
            assert "{" not in s.purpose + s.why


def test_offers_and_references_scoring() -> None:
    assert [o.name for o in fitting_offers(ACCOUNT, OFFERS)] == ["Route audit", "Core platform"]
    assert [o.name for o in fitting_offers(BIG, OFFERS)] == ["Enterprise suite", "Core platform"]
    ranked = closest_references(ACCOUNT, REFS)
    assert [s.reference.name for s in ranked] == ["Quiet Ltd", "Bauer AG"]
    assert ranked[0].score > ranked[1].score
    assert closest_references(BIG, REFS, n=1)[0].reference.name == "Far Inc"


@pytest.mark.parametrize("label", [Label.NOT_NOW, Label.PRICE, Label.NO_NEED])
def test_steps_are_in_date_order(label: Label) -> None:
    dues = [s.due for s in plan(rejection(label)).steps]
    assert dues == sorted(dues)


def test_the_words_of_a_plan_read_well() -> None:
    """Issue 14: no "(40 people) (find who)", no "They said has solution"."""
    p = plan(rejection(Label.HAS_SOLUTION))
    check = next(s for s in p.steps if s.rule == "check-back")
    assert "They said they already have a solution;" in (check.why or "")
    alone = plan(rejection(Label.NOT_INTERESTED), others=())
    top = next(s for s in alone.steps if s.rule == "top-of-small-company")
    assert "-person company (find who)" in top.purpose and "people)" not in top.purpose


@pytest.mark.parametrize(("word", "expected"), [
    ("Energy", "an"), ("Logistics", "a"), ("IT", "an"), ("HR", "an"), ("SaaS", "a"),
    ("Utilities", "a"), ("university", "a"), ("hour", "an"), ("Oil & gas", "an"),
    ("European retail", "a"), ("", "a")])
def test_a_or_an(word: str, expected: str) -> None:
    from notnow.core.offers import article

    assert article(word) == expected


def test_an_unnamed_reference_is_an_energy_company() -> None:
    ref = ReferenceCustomer(name="Secret", industry="Energy", employees=40, may_name=False)
    assert ref.mention() == "an Energy company of about 40 people"
