"""`--map column=field`: reading it, checking it, using it, and remembering it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from notnow.core.model import DealStatus
from notnow.crm import (
    ColumnMap,
    CrmAccount,
    CrmContact,
    CrmDeal,
    MappingMemory,
    NeedsMapping,
    Source,
    open_export,
    parse_map,
    read_all,
    signature,
)
from notnow.errors import InvalidInput

HEADERS = ["Kunde", "Ansprechpartner", "E-Mail", "Projekt", "Ergebnis", "Warum verloren",
           "Datum", "Summe"]
OPTIONS = ["Kunde=account.name", "ansprechpartner=contact.name", "E-Mail=email",
           "Projekt=deal.title", "Ergebnis=deal.status", "Warum verloren=lost_reason",
           "Datum=deal.close_date", "Summe=deal.value"]
NOW = datetime(2026, 12, 6, 9, tzinfo=UTC)


def test_a_mapping_is_read_against_the_headers() -> None:
    columns = parse_map(OPTIONS, HEADERS)
    assert columns.as_dict()["Warum verloren"] == "deal.lost_reason"  # bare name, one kind
    assert columns.as_dict()["E-Mail"] == "contact.email"
    assert columns.as_dict()["Ansprechpartner"] == "contact.name"  # case of the header
    assert columns.options()[0] == "Kunde=account.name"


@pytest.mark.parametrize(("option", "message"), [
    ("Kunde", "is not column=field"),
    ("Kundin=account.name", "has no column 'Kundin'; did you mean 'Kunde'"),
    ("Kunde=account.nam", "did you mean account.name"),
    ("Kunde=name", "a field of several kinds"),
    ("Kunde=salary", "unknown field 'salary'"),
])
def test_a_wrong_mapping_says_what_is_wrong(option: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as err:
        parse_map([option], HEADERS)
    assert err.value.field == "--map"


def test_a_field_given_twice_and_a_column_mapped_twice_are_refused() -> None:
    with pytest.raises(InvalidInput, match="deal.title is given twice"):
        parse_map(["Projekt=deal.title", "Kunde=deal.title"], HEADERS)
    with pytest.raises(InvalidInput, match="mapped twice"):
        parse_map(["Projekt=deal.title", "projekt=-"], HEADERS)
    both = parse_map(["E-Mail=contact.email", "Kunde=contact.email"], HEADERS)  # many: fine
    assert len(both.entries) == 2


def test_a_mapped_spreadsheet_is_read(fixtures: Path) -> None:
    path = fixtures / "generic-losses.csv"
    records, problems = read_all(path, columns=parse_map(OPTIONS, HEADERS))
    assert problems == []
    lost = next(r for r in records if isinstance(r, CrmDeal))
    assert lost.source is Source.CSV and lost.status is DealStatus.LOST
    assert lost.lost_reason.startswith("Zu teuer")  # type: ignore[union-attr]
    assert lost.value == Decimal("18400.00") and lost.currency == "EUR"
    assert lost.account is not None and lost.account.name == "Fenstermann KG"
    assert lost.contact is not None and lost.contact.email == "ute@fenstermann.example"
    assert any(isinstance(r, CrmAccount) for r in records)
    assert any(isinstance(r, CrmContact) for r in records)


def test_a_mapping_adds_a_custom_field_to_a_recognised_export(tmp_path: Path) -> None:
    path = tmp_path / "opps.csv"
    path.write_text("Id,Name,StageName,IsClosed,IsWon,Why_We_Lost__c\n"
                    "0065g00000AbCdE,Lost one,Closed Lost,true,false,Chose a cheaper tool\n")
    columns = parse_map(["Why_We_Lost__c=deal.lost_reason"], ["Id", "Name", "StageName",
                                                             "IsClosed", "IsWon",
                                                             "Why_We_Lost__c"])
    [deal] = read_all(path, columns=columns)[0]
    assert isinstance(deal, CrmDeal) and deal.source is Source.SALESFORCE
    assert deal.lost_reason == "Chose a cheaper tool"


def test_a_column_can_be_left_out(fixtures: Path) -> None:
    headers = ["Record ID", "Deal Name", "Deal Stage", "Pipeline", "Amount", "Close Date",
               "Deal owner", "Closed Lost Reason", "Closed Won Reason", "Associated Company",
               "Associated Contact", "Create Date"]
    columns = parse_map(["Closed Lost Reason=-"], headers)
    records, _ = read_all(fixtures / "hubspot-deals.csv", columns=columns)
    assert all(r.lost_reason is None for r in records if isinstance(r, CrmDeal))


def test_a_confirmed_mapping_is_remembered_for_the_same_headers(fixtures: Path,
                                                                 tmp_path: Path) -> None:
    memory = MappingMemory.in_folder(tmp_path)
    columns = parse_map(OPTIONS, HEADERS)
    memory.remember(HEADERS, Source.CSV, columns, NOW)
    again = MappingMemory.in_folder(tmp_path).recall(HEADERS)
    assert again is not None and again.columns == columns and again.source is Source.CSV
    assert MappingMemory.in_folder(tmp_path).recall(HEADERS[:-1]) is None
    with open_export(fixtures / "generic-losses.csv", memory=memory) as f:
        assert any("mapping remembered from 2026-12-06" in n for n in f.notes)
        assert sum(isinstance(r, CrmDeal) for r in f) == 2


def test_a_damaged_or_stale_memory_is_ignored_with_a_note(tmp_path: Path) -> None:
    memory = MappingMemory.in_folder(tmp_path)
    memory.path.write_text("{not json")
    assert memory.recall(HEADERS) is None and "cannot be read" in memory.notes[0]
    memory.path.write_text(json.dumps({"version": 1, "mappings": {
        signature(HEADERS): {"source": "csv", "map": [["Gone", "deal.title"]]}}}))
    assert memory.recall(HEADERS) is None and "no longer fits" in memory.notes[-1]
    memory.path.write_text(json.dumps(["a list"]))
    assert memory.recall(HEADERS) is None


def test_signatures_ignore_case_and_spacing() -> None:
    assert signature(["Deal - Title", "Deal - Value"]) == signature(["deal -  title",
                                                                     "DEAL – Value"])
    assert signature(["A", "B"]) != signature(["B", "A"])


def test_a_mapping_that_reads_nothing_of_its_kind_is_refused(fixtures: Path) -> None:
    with pytest.raises(InvalidInput, match="reads no column"):
        open_export(fixtures / "generic-losses.csv",
                    columns=parse_map(["Kunde=-"], HEADERS))
    assert not ColumnMap(())


def test_the_suggestion_proposes_fields_for_familiar_headers(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Full name,Company,Email address,Lost reason,Amount\nA,B,a@b.example,x,1\n")
    with pytest.raises(NeedsMapping) as err:
        open_export(path)
    assert err.value.suggestion == {"Full name": "contact.name", "Company": "account.name",
                                    "Email address": "contact.email",
                                    "Lost reason": "deal.lost_reason", "Amount": "deal.value"}


def test_map_options_can_be_given_as_typed(fixtures: Path, tmp_path: Path) -> None:
    with open_export(fixtures / "generic-losses.csv", columns=OPTIONS) as f:
        assert f.column_map == parse_map(OPTIONS, HEADERS)
        assert sum(isinstance(r, CrmDeal) for r in f) == 2
        MappingMemory.in_folder(tmp_path).remember(f.headers, f.source, f.column_map, NOW)
    with pytest.raises(InvalidInput, match="no column 'Nope'"):
        open_export(fixtures / "generic-losses.csv", columns=["Nope=deal.title"])


def test_several_associated_names_link_to_the_first(tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text("Record ID,Deal Name,Associated Contact,Associated Contact IDs\n"
                    "1,A,Ann Lee;Bo Yu,11;12\n")
    [deal] = read_all(path)[0]
    assert isinstance(deal, CrmDeal) and deal.contact is not None
    assert (deal.contact.name, deal.contact.crm_id) == ("Ann Lee", "11")


def test_a_remembered_mapping_also_extends_a_recognised_export(tmp_path: Path) -> None:
    path = tmp_path / "opps.csv"
    path.write_text("Id,Name,StageName,IsClosed,IsWon,Why_We_Lost__c\n"
                    "0065g00000AbCdE,Lost one,Closed Lost,true,false,Chose a cheaper tool\n")
    with open_export(path, columns=["Why_We_Lost__c=lost_reason"]) as f:
        assert f.column_map is not None
        MappingMemory.in_folder(tmp_path).remember(f.headers, f.source, f.column_map, NOW)
    with open_export(path, memory=MappingMemory.in_folder(tmp_path)) as f:
        assert f.source is Source.SALESFORCE
        [deal] = list(f)
    assert isinstance(deal, CrmDeal) and deal.lost_reason == "Chose a cheaper tool"
