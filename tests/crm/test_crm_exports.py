"""Each CRM's exports, recognised by their headers and read into the neutral records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from notnow.core.model import Channel, DealStatus, Direction, Role, Stage
from notnow.crm import (
    CrmAccount,
    CrmActivity,
    CrmContact,
    CrmDeal,
    NeedsMapping,
    RowProblem,
    Source,
    open_export,
    read_all,
)
from notnow.errors import InvalidInput

RECOGNISED = {
    "hubspot-contacts.csv": "hubspot.contacts",
    "hubspot-companies.csv": "hubspot.companies",
    "hubspot-deals.csv": "hubspot.deals",
    "hubspot-calls.csv": "hubspot.calls",
    "pipedrive-deals.csv": "pipedrive.deals",
    "pipedrive-deals-de.csv": "pipedrive.deals",
    "pipedrive-deals-fr.csv": "pipedrive.deals",
    "pipedrive-deals-es.csv": "pipedrive.deals",
    "pipedrive-people.csv": "pipedrive.people",
    "pipedrive-activities.csv": "pipedrive.activities",
    "salesforce-opportunities.csv": "salesforce.opportunities",
    "salesforce-contacts.csv": "salesforce.contacts",
    "salesforce-accounts.csv": "salesforce.accounts",
    "salesforce-tasks.csv": "salesforce.tasks",
    "salesforce-opportunity-report.csv": "salesforce.opportunity_report",
    "salesforce-contact-report.csv": "salesforce.contact_report",
}


@pytest.mark.parametrize(("name", "profile"), sorted(RECOGNISED.items()))
def test_each_sample_export_is_recognised_without_a_hint(fixtures: Path, name: str,
                                                         profile: str) -> None:
    with open_export(fixtures / name) as f:
        assert f.profile is not None and f.profile.key == profile
        assert f.describe()[0] == f"{name}: {f.profile.title}"


def _deals(records: list) -> dict[str, CrmDeal]:  # type: ignore[type-arg]
    return {r.crm_id: r for r in records if isinstance(r, CrmDeal)}


def test_hubspot_deals_bring_status_value_and_the_lost_reason(fixtures: Path) -> None:
    records, problems = read_all(fixtures / "hubspot-deals.csv")
    deals = _deals(records)
    lost = deals["7001"]
    assert lost.status is DealStatus.LOST and lost.crm_stage == "Closed Lost"
    assert lost.lost_reason == "We went with Trackwell, they were already on site."
    assert lost.lost_on == date(2024, 6, 28)  # no lost date: the close date
    assert lost.value == Decimal("48000.00")
    assert lost.account is not None and lost.account.name == "Lindqvist Bau GmbH"
    assert lost.contact is not None and lost.contact.name == "Maren Okafor"
    assert lost.owner is not None and lost.owner.name == "Ana Ruiz"
    assert deals["7003"].status is DealStatus.OPEN and deals["7003"].stage is Stage.CLOSING
    assert deals["7004"].status is DealStatus.WON and deals["7004"].lost_reason is None
    assert [(p.line, p.column) for p in problems] == [(7, "Amount"), (7, None)]
    assert "no deal name" in problems[1].why


def test_hubspot_contacts_with_roles_companies_and_opt_outs(fixtures: Path) -> None:
    records, problems = read_all(fixtures / "hubspot-contacts.csv")
    by_id = {r.crm_id: r for r in records if isinstance(r, CrmContact)}
    maren = by_id["501"]
    assert maren.role is Role.DECISION_MAKER and maren.crm_role == "Decision maker"
    assert maren.account is not None and maren.account.crm_id == "9001"
    assert maren.email == "maren.okafor@lindqvist-bau.example"
    assert not maren.opted_out
    assert by_id["503"].email_opt_out and by_id["503"].opt_outs == ("email opt-out",)
    assert by_id["504"].name == 'O\'Brien "Sully" Declan'
    assert by_id["504"].title == '=HYPERLINK("http://evil.example")'  # kept as text
    assert by_id["505"].owner is not None and by_id["505"].owner.email == "nobody@unknown.example"
    assert [p.line for p in problems] == [8]


def test_hubspot_calls_are_touches_when_done(fixtures: Path) -> None:
    records, _ = read_all(fixtures / "hubspot-calls.csv")
    calls = [r for r in records if isinstance(r, CrmActivity)]
    assert [c.is_touch for c in calls] == [True, True, True, False]  # queued: not yet a touch
    assert calls[2].direction is Direction.INBOUND and calls[0].channel is Channel.CALL
    assert calls[0].contact is not None and calls[0].contact.crm_id == "501"


def test_pipedrive_deals_carry_their_person_and_organization(fixtures: Path) -> None:
    records, problems = read_all(fixtures / "pipedrive-deals.csv")
    deals = _deals(records)
    assert set(deals) == {"118", "119", "120", "122"}  # 121 was deleted
    ovens = deals["118"]
    assert ovens.status is DealStatus.LOST and ovens.lost_on == date(2024, 3, 14)
    assert ovens.value == Decimal("12500.50") and ovens.currency == "EUR"
    assert ovens.stage is Stage.PROPOSAL
    assert ovens.contact is not None and ovens.contact.email == "camille@boulangerie-fabre.example"
    assert deals["120"].currency == "USD" and deals["120"].won_date == date(2024, 4, 2)
    people = [r for r in records if isinstance(r, CrmContact)]
    assert [(p.name, p.consent_withdrawn) for p in people] == [("Camille Fabre", True),
                                                               ("Omar Haddad", False)]
    assert people[0].emails == ("camille@boulangerie-fabre.example",
                                "camille.fabre@home.example")
    orgs = [r for r in records if isinstance(r, CrmAccount)]
    assert [(o.name, o.country) for o in orgs] == [("Boulangerie Fabre", "FR"),
                                                   ("Kettle & Crumb", "US")]
    [bad_email] = problems
    assert (bad_email.line, bad_email.column) == (6, "Person - Email - Work")
    with open_export(fixtures / "pipedrive-deals.csv") as f:
        assert "Deal - Competitor" in f.unused  # a custom field, for --map
        list(f)
        assert f.tally.skipped == {"deleted deals": 1}


@pytest.mark.parametrize(("name", "reason", "lost", "value"), [
    ("pipedrive-deals-de.csv", "Kein Budget mehr für dieses Jahr, melden Sie sich im Januar",
     date(2024, 4, 3), Decimal("1250.00")),
    ("pipedrive-deals-fr.csv", "Nous avons choisi un autre fournisseur", date(2024, 4, 5),
     Decimal("12500.50")),
    ("pipedrive-deals-es.csv", "No es el momento, volved a llamar en septiembre",
     date(2024, 6, 12), Decimal("7300.00")),
])
def test_pipedrive_in_german_french_and_spanish(fixtures: Path, name: str, reason: str,
                                                lost: date, value: Decimal) -> None:
    records, problems = read_all(fixtures / name)
    assert problems == []
    deals = [r for r in records if isinstance(r, CrmDeal)]
    first = deals[0]
    assert first.status is DealStatus.LOST and first.lost_reason == reason
    assert first.lost_on == lost and first.value == value and first.currency == "EUR"
    assert deals[1].status is DealStatus.OPEN


def test_pipedrive_people_marketing_status(fixtures: Path) -> None:
    records, _ = read_all(fixtures / "pipedrive-people.csv")
    people = {r.crm_id: r for r in records if isinstance(r, CrmContact)}
    assert people["62"].unsubscribed and people["62"].opted_out
    assert people["62"].emails == ("omar@kettlecrumb.example", "o.haddad@kettlecrumb.example")
    assert not people["61"].opted_out and not people["63"].opted_out  # "No consent" is not one


def test_pipedrive_activities(fixtures: Path) -> None:
    records, problems = read_all(fixtures / "pipedrive-activities.csv")
    acts = [r for r in records if isinstance(r, CrmActivity)]
    assert [(a.crm_id, a.channel, a.is_touch) for a in acts] == [
        ("801", Channel.CALL, True), ("802", Channel.MEETING, True), ("803", None, False),
        ("804", Channel.EMAIL, True), ("805", None, False)]
    assert acts[0].on == date(2024, 2, 20)  # marked done, before the due date
    assert acts[0].deal is not None and acts[0].deal.name == "Bakery ovens for Rue Cler shop"
    assert [p.column for p in problems] == ["Activity - Type"]


def test_salesforce_api_files_and_report_agree_on_ids(fixtures: Path) -> None:
    api, _ = read_all(fixtures / "salesforce-opportunities.csv")
    report, problems = read_all(fixtures / "salesforce-opportunity-report.csv")
    assert problems == []
    assert set(_deals(report)) >= set(_deals(api)) - {"0065g00000AbCdFAAV"}
    lost = _deals(api)["0065g00000AbCdEAAV"]
    assert lost.status is DealStatus.LOST
    assert lost.lost_reason == "Competitor — They signed with MedSlot last week"
    assert lost.account is not None and lost.account.crm_id == "0015g00000XyZaBAAV"
    reported = _deals(report)["0065g00000AbCdEAAV"]
    assert reported.lost_reason == "Went with a competitor: MedSlot"
    assert reported.value == Decimal("36000.00") and reported.currency == "USD"
    assert reported.close_date == date(2024, 5, 31)


def test_salesforce_report_footer_is_skipped_not_reported(fixtures: Path) -> None:
    with open_export(fixtures / "salesforce-opportunity-report.csv") as f:
        items = list(f)
        assert not any(isinstance(i, RowProblem) for i in items)
        assert f.tally.skipped["report footer lines"] == 3
        assert f.tally.rows == 3


def test_salesforce_contacts_opt_outs(fixtures: Path) -> None:
    for name in ("salesforce-contacts.csv", "salesforce-contact-report.csv"):
        records, _ = read_all(fixtures / name)
        people = {r.crm_id: r for r in records if isinstance(r, CrmContact)}
        assert people["0035g00000CoNtAAAV"].do_not_call
        assert people["0035g00000CoNtBAAV"].email_opt_out
        assert people["0035g00000CoNtAAAV"].opt_outs == ("do not call",)


def test_salesforce_tasks_know_accounts_from_deals(fixtures: Path) -> None:
    records, _ = read_all(fixtures / "salesforce-tasks.csv")
    tasks = [r for r in records if isinstance(r, CrmActivity)]
    assert tasks[0].deal is not None and tasks[0].deal.crm_id == "0065g00000AbCdEAAV"
    assert tasks[1].deal is None  # its WhatId is an account (001…)
    assert tasks[1].account is not None and tasks[1].account.crm_id == "0015g00000XyZaCAAV"
    assert [t.is_touch for t in tasks] == [True, True, False]


def test_a_source_hint_that_contradicts_the_headers_is_refused(fixtures: Path) -> None:
    with pytest.raises(InvalidInput, match="HubSpot deals export, not of a pipedrive export"):
        open_export(fixtures / "hubspot-deals.csv", source="pipedrive")
    with open_export(fixtures / "hubspot-deals.csv", source=Source.HUBSPOT) as f:
        assert f.source is Source.HUBSPOT


def test_an_unknown_spreadsheet_needs_a_mapping_and_gets_a_suggestion(fixtures: Path) -> None:
    with pytest.raises(NeedsMapping) as err:
        open_export(fixtures / "generic-losses.csv")
    assert err.value.headers[0] == "Kunde"
    assert err.value.to_dict()["details"]["headers"][-1] == "Summe"
    with pytest.raises(NeedsMapping):
        open_export(fixtures / "hubspot-deals.csv", source="csv")


def test_dates_read_day_first_when_values_show_it(tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text("Record ID,Deal Name,Close Date\n1,A,03/04/2024\n2,B,25/04/2024\n")
    with open_export(path) as f:
        deals = [r for r in f if isinstance(r, CrmDeal)]
        assert any("day first" in n for n in f.notes)
    assert [d.close_date for d in deals] == [date(2024, 4, 3), date(2024, 4, 25)]


def test_ambiguous_dates_are_read_month_first_and_the_person_is_told(tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text("Record ID,Deal Name,Close Date\n1,A,03/04/2024\n")
    with open_export(path) as f:
        [deal] = list(f)
        assert any("--date-order dmy" in n for n in f.notes)
    assert deal.close_date == date(2024, 3, 4)  # type: ignore[union-attr]
    with open_export(path, date_order="dmy") as f:
        [deal] = list(f)
    assert deal.close_date == date(2024, 4, 3)  # type: ignore[union-attr]


def test_an_excel_rounded_id_refuses_the_row(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("Record ID,First Name,Email\n"
                    "1.23457E+11,Ann,ann@x.example\n7,Bo,bo@x.example\n")
    records, problems = read_all(path)
    assert [r.crm_id for r in records] == ["7"]
    assert problems[0].column == "Record ID" and "rounded number" in problems[0].why
