"""Capability requests folded into one name; shipping one re-engages lost deals gently."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from actors import owner_of
from learning_facts import build
from notnow.core.capabilities import addresses, capability_key, display_name, group_requests
from notnow.errors import NotFound
from notnow.storage.tables import Capability, FollowUp, Touch


@pytest.mark.parametrize("wording", ["SSO", "single sign-on", "Single Sign On", "SAML SSO",
                                     "saml", "They need SAML SSO for Okta", "S.S.O.",
                                     "sso support"])
def test_every_way_of_saying_sso_is_one_capability(wording: str) -> None:
    assert capability_key(wording) == "sso"


def test_different_capabilities_stay_apart() -> None:
    keys = {capability_key(w) for w in ["SSO", "SCIM provisioning", "on-prem", "audit log",
                                        "2FA", "EU data residency", "Salesforce integration"]}
    assert len(keys) == 7


def test_unknown_wordings_meet_on_their_meaningful_words() -> None:
    assert capability_key("Export to Excel") == capability_key("excel exports")
    assert capability_key("Gantt charts") == capability_key("a gantt chart feature")
    assert capability_key("Gantt charts") != capability_key("Excel export")
    assert capability_key("") == capability_key("the support") == ""


def test_names_and_groups() -> None:
    assert display_name("sso") == "Single sign-on (SSO)"
    assert display_name("excel export", ["excel export", "Excel export", "Excel export"]) \
        == "Excel export"
    groups = group_requests(["SSO", "on prem", "single sign-on", "self-hosted", "SAML", ""])
    assert [(g.key, g.count) for g in groups] == [("sso", 3), ("on-prem", 2)]
    assert groups[0].variants == ("SAML", "SSO", "single sign-on")
    assert addresses("SAML single sign-on", "SSO") and not addresses("SCIM", "SSO")


# --- the service -----------------------------------------------------------------------------


def test_capability_list_is_deduplicated_and_ranked_by_lost_value(ws: Any) -> None:
    from notnow.services.learning.winback import capability_list

    build(ws)
    rows = capability_list(ws, owner_of(ws))
    assert [(r.key, r.requests, r.deals_lost, r.lost_value) for r in rows] == [
        ("sso", 2, 2, 25000.0)]
    assert capability_list(ws, owner_of(ws))[0].id == rows[0].id  # linking twice adds nothing


def test_ship_schedules_gentle_winback_within_the_caps(ws: Any) -> None:
    from notnow.services.learning.winback import SHIP_RULE, ship

    ids = build(ws)
    yesterday = ws.now() - timedelta(days=1)
    with ws.db.write() as s:  # Cleo (soft no) was touched yesterday: nurture cap 1 per 30 days
        s.add(Touch(contact_id=ids["cleo"], account_id=ids["beta"], channel="email",
                    direction="outbound", at=yesterday, created_at=yesterday))
    result = ship(ws, owner_of(ws), "single sign on")
    assert result.key == "sso"
    by_contact = {i.contact: i for i in result.items}
    assert set(by_contact) == {"Cleo", "Cruz"}
    assert by_contact["Cruz"].outcome == "scheduled"
    assert by_contact["Cruz"].due is not None and by_contact["Cruz"].due > ws.today()
    cleo = by_contact["Cleo"]
    assert cleo.outcome == "scheduled" and cleo.due is not None
    assert cleo.due >= yesterday.date() + timedelta(days=30)
    with ws.db.read() as s:
        planned = s.query(FollowUp).filter(FollowUp.rule == SHIP_RULE).all()
        assert sorted(f.contact_id for f in planned) == sorted([ids["cleo"], ids["cruz"]])
    again = ship(ws, owner_of(ws), "SAML")
    assert {i.outcome for i in again.items} == {"already scheduled"}


def test_ship_never_reaches_an_opted_out_contact_nor_an_account_won_since(ws: Any) -> None:
    from notnow.services.learning.winback import ship

    ids = build(ws)
    with ws.db.write() as s:
        from notnow.storage.tables import Contact, Deal, Rejection

        s.get(Contact, ids["cleo"]).dnc_at = datetime(2026, 6, 1, tzinfo=UTC)
        s.get(Rejection, ids["r4"]).at = datetime(2026, 3, 20, tzinfo=UTC)
        s.add(Deal(account_id=ids["gamma"], offer="Core", status="won",
                   created_at=ws.now(), closed_at=datetime(2026, 9, 1, tzinfo=UTC)))
    result = ship(ws, owner_of(ws), "SSO")
    assert {i.contact: i.outcome for i in result.items} == {"Cleo": "do-not-contact",
                                                           "Cruz": "already won"}
    with ws.db.read() as s:
        assert s.query(FollowUp).filter(FollowUp.rule.like("winback%")).count() == 0


def test_ship_dry_run_and_unknown_capability(ws: Any) -> None:
    from notnow.services.learning.winback import ship

    build(ws)
    result = ship(ws, owner_of(ws), "sso", schedule=False)
    assert {i.outcome for i in result.items} == {"would schedule"}
    assert result.shipped_at is None  # nor does it say it shipped
    with ws.db.read() as s:  # a dry run used to mark the capability shipped
        cap = s.query(Capability).filter_by(key="sso").one()
        assert cap.status != "shipped" and cap.shipped_at is None
    with pytest.raises(NotFound, match="Single sign-on"):
        ship(ws, owner_of(ws), "Gantt charts")


def test_competitor_renewal_checks_back_weeks_before(ws: Any) -> None:
    from notnow.errors import DoNotContact, InvalidInput
    from notnow.services.learning.winback import competitor_renewal

    ids = build(ws)
    out = competitor_renewal(ws, owner_of(ws), ids["r3"], date(2027, 9, 1))
    assert out.competitor == "Rival"
    assert date(2027, 9, 1) - timedelta(weeks=9) < out.due <= date(2027, 9, 1) - timedelta(
        weeks=8)
    with pytest.raises(InvalidInput):
        competitor_renewal(ws, owner_of(ws), ids["r3"], date(2026, 1, 1))
    with pytest.raises(DoNotContact):
        competitor_renewal(ws, owner_of(ws), ids["r7"], date(2027, 9, 1))


def test_cli_capability_and_renewal(cli: Any) -> None:
    from notnow.services.workspace import open_workspace

    ws = open_workspace()
    try:
        ids = build(ws)
    finally:
        ws.close()
    r = cli("capability", "list", "--json")
    assert r.code == 0 and r.json()[0]["key"] == "sso"  # type: ignore[index]
    r = cli("capability", "ship", "SAML", "--dry-run")
    assert r.code == 0 and "Cleo" in r.out and "Dry run: nothing marked" in r.err
    r = cli("capability", "ship", "single sign-on", "--json")
    assert r.code == 0
    assert {i["outcome"] for i in r.json()["items"]} == {"scheduled"}  # type: ignore[index]
    r = cli("capability", "ship", "Gantt charts")
    assert r.code == 1 and "no lost prospect asked" in r.err
    r = cli("renewal", str(ids["r3"]), "--on", "2027-09-01")
    assert r.code == 0 and "Cruz" in r.err
    assert cli("renewal", str(ids["r3"]), "--on", "Sept").code == 1
