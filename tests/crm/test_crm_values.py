"""The values exports write: dates, amounts, currencies, yes/no, and the CRMs' words."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from notnow.core.model import Channel, DealStatus, Direction, Role, Stage
from notnow.crm import values as v
from notnow.crm.rows import salesforce_id18

DMY, MDY = v.DateOrder.DMY, v.DateOrder.MDY


@pytest.mark.parametrize(("text", "order", "day", "at"), [
    ("2024-03-05", MDY, date(2024, 3, 5), None),
    ("2024-03-05 14:22", MDY, date(2024, 3, 5), datetime(2024, 3, 5, 14, 22)),
    ("2024-03-05 14:22:10", MDY, date(2024, 3, 5), datetime(2024, 3, 5, 14, 22, 10)),
    ("2024-03-05T14:22:00.000+0000", MDY, date(2024, 3, 5),
     datetime(2024, 3, 5, 14, 22, tzinfo=UTC)),
    ("2024-03-05T16:22:00+02:00", MDY, date(2024, 3, 5),
     datetime(2024, 3, 5, 14, 22, tzinfo=UTC)),
    ("2024-03-05T14:22:00Z", MDY, date(2024, 3, 5), datetime(2024, 3, 5, 14, 22, tzinfo=UTC)),
    ("03/05/2024", MDY, date(2024, 3, 5), None),
    ("03/05/2024", DMY, date(2024, 5, 3), None),
    ("3/5/24 2:07 PM", MDY, date(2024, 3, 5), datetime(2024, 3, 5, 14, 7)),
    ("05.03.2024", MDY, date(2024, 3, 5), None),  # dots are always day first
    ("05.03.2024 09:30", MDY, date(2024, 3, 5), datetime(2024, 3, 5, 9, 30)),
    ("2024/03/05", DMY, date(2024, 3, 5), None),
    ("Mar 5, 2024", DMY, date(2024, 3, 5), None),
    ("5 March 2024", MDY, date(2024, 3, 5), None),
    ("05-Mar-2024", MDY, date(2024, 3, 5), None),
    ("5. März 2024", MDY, date(2024, 3, 5), None),
    ("12 déc. 2024", MDY, date(2024, 12, 12), None),
    ("45356", MDY, date(2024, 3, 5), None),  # an Excel serial day
    ("1709648520000", MDY, date(2024, 3, 5), datetime(2024, 3, 5, 14, 22, tzinfo=UTC)),
])
def test_dates_in_export_spellings(text: str, order: v.DateOrder, day: date,
                                   at: datetime | None) -> None:
    assert v.parse_datetime(text, order) == (day, at)


@pytest.mark.parametrize("text", ["31/02/2024", "2024-13-01", "soon", "12-03-26", "Q3", "13"])
def test_what_is_not_a_date(text: str) -> None:
    with pytest.raises(ValueError, match="not a"):
        v.parse_date(text, DMY)


def test_date_order_evidence() -> None:
    assert v.slash_date_evidence("25/03/2024") is DMY
    assert v.slash_date_evidence("03/25/2024") is MDY
    assert v.slash_date_evidence("03/04/2024") is None
    assert v.slash_date_evidence("25.03.2024") is None  # dots settle nothing: always DMY


@pytest.mark.parametrize(("text", "comma", "amount", "currency"), [
    ("1234", False, "1234.00", None),
    ("1,234.56", False, "1234.56", None),
    ("1.234,56", False, "1234.56", None),
    ("1 234,56", False, "1234.56", None),
    ("1\u202f234,56", False, "1234.56", None),
    ("1'234.50", False, "1234.50", None),
    ("12,5", False, "12.50", None),
    ("1,234", False, "1234.00", None),  # ambiguous: the file's decimal mark decides
    ("1,234", True, "1.23", None),
    ("1.234", True, "1234.00", None),
    ("1,234,567", True, "1234567.00", None),
    ("$1,200", False, "1200.00", "USD"),
    ("€ 1.200,00", False, "1200.00", "EUR"),
    ("EUR 1.200,00", False, "1200.00", "EUR"),
    ("USD 36,000.00", False, "36000.00", "USD"),
    ("1200 CHF", False, "1200.00", "CHF"),
    ("4200.5", False, "4200.50", None),
])
def test_amounts(text: str, comma: bool, amount: str, currency: str | None) -> None:
    assert v.parse_amount(text, comma) == (Decimal(amount), currency)


@pytest.mark.parametrize("text", ["TBD", "-5", "1.2.3,4,5x", "12 apples", "9" * 14])
def test_what_is_not_an_amount(text: str) -> None:
    with pytest.raises(ValueError):
        v.parse_amount(text)


def test_currencies() -> None:
    assert [v.parse_currency(c) for c in ("eur", "USD", "€", "£", "Euro", "Euro (EUR)")] == [
        "EUR", "USD", "EUR", "GBP", "EUR", "EUR"]
    with pytest.raises(ValueError, match="not a currency"):
        v.parse_currency("shells")


def test_yes_no_in_several_languages() -> None:
    assert [v.parse_bool(b) for b in ("true", "1", "Yes", "ja", "oui", "sí", "X")] == [True] * 7
    assert [v.parse_bool(b) for b in ("false", "0", "No", "nein", "non", "falso")] == [False] * 6
    with pytest.raises(ValueError):
        v.parse_bool("maybe")


def test_deal_statuses_and_stages() -> None:
    assert [v.parse_status(s) for s in ("Won", "verloren", "Perdu", "Abierto", "closedlost")] == [
        DealStatus.WON, DealStatus.LOST, DealStatus.LOST, DealStatus.OPEN, DealStatus.LOST]
    assert v.status_from_stage("Closed Lost") is DealStatus.LOST
    assert v.status_from_stage("closedwon") is DealStatus.WON
    assert v.status_from_stage("Contract Sent") is None
    assert v.notnow_stage("Contract Sent") is Stage.CLOSING
    assert v.notnow_stage("Negotiation/Review") is Stage.CLOSING
    assert v.notnow_stage("Proposal/Price Quote") is Stage.PROPOSAL
    assert v.notnow_stage("Angebot gemacht") is Stage.PROPOSAL
    assert v.notnow_stage("Qualified To Buy") is Stage.COLD_CALL
    assert v.notnow_stage("Closed Lost") is None
    assert v.notnow_stage("Stage 7") is None


def test_roles_channels_directions() -> None:
    assert v.parse_role("Decision maker;Influencer") is Role.DECISION_MAKER
    assert v.parse_role("BUDGET_HOLDER") is Role.EXECUTIVE
    assert v.parse_role("End user") is Role.USER
    assert v.parse_role("Executive assistant") is Role.GATEKEEPER
    assert v.parse_role("Chief of fun") is Role.OTHER
    assert [v.parse_channel(t) for t in ("Call", "Email", "Meeting", "Lunch", "LinkedIn InMail",
                                         "Voicemail", "Task", "Deadline")] == [
        Channel.CALL, Channel.EMAIL, Channel.MEETING, Channel.MEETING, Channel.LINKEDIN,
        Channel.VOICEMAIL, None, None]
    with pytest.raises(ValueError):
        v.parse_channel("Carrier pigeon")
    assert v.parse_direction("OUTBOUND") is Direction.OUTBOUND
    assert v.parse_direction("Inbound") is Direction.INBOUND
    assert v.parse_direction("Internal") is None
    assert v.parse_done("NO_ANSWER") and not v.parse_done("QUEUED") and v.parse_done("Done")


def test_owners_emails_countries() -> None:
    assert v.parse_owner("Ana Ruiz (ana@x.example)") == ("Ana Ruiz", "ana@x.example")
    assert v.parse_owner("Ana Ruiz <Ana@X.example>") == ("Ana Ruiz", "ana@x.example")
    assert v.parse_owner("ana@x.example") == (None, "ana@x.example")
    assert v.parse_owner("Ana  Ruiz") == ("Ana Ruiz", None)
    assert v.parse_emails("a@x.example; b@y.example") == ["a@x.example", "b@y.example"]
    with pytest.raises(ValueError):
        v.parse_emails("not-an-email")
    assert [v.parse_country(c) for c in ("Germany", "de", "UK", "États-Unis", "Atlantis")] == [
        "DE", "DE", "GB", "US", None]


def test_opt_out_words() -> None:
    assert v.means_unsubscribed("Unsubscribed")
    assert v.means_unsubscribed("Consent withdrawn")
    assert not v.means_unsubscribed("No consent")  # never given is not an opt-out
    assert not v.means_unsubscribed("Subscribed")


def test_salesforce_ids_get_their_18_character_form() -> None:
    assert salesforce_id18("001A0000006Vm9r") == "001A0000006Vm9rIAC"
    assert salesforce_id18("001A0000006Vm9rIAC") == "001A0000006Vm9rIAC"
    assert salesforce_id18("12345") == "12345"
