"""Writing back: the files each CRM imports to update its own records."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from notnow.core.model import Channel, Direction
from notnow.crm import Kind, Source
from notnow.crm.writers import MAX_WORDS, Outcome, TouchOut, file_names, safe_cell, write_files
from notnow.errors import Conflict, InvalidInput

OUTCOMES = [
    Outcome(Kind.CONTACT, "501", "not_now", "Try us in April.", date(2027, 4, 1),
            last_touch=date(2026, 11, 2), touches=4),
    Outcome(Kind.CONTACT, "503", "do_not_contact", "=cmd|' /C calc'!A0 remove me",
            do_not_contact=True, dnc_since=date(2026, 10, 1)),
    Outcome(Kind.DEAL, "7001", "competitor_chosen", "We went with Trackwell,\nsorry.",
            date(2027, 5, 24)),
    Outcome(Kind.ACCOUNT, "9001", None, None, date(2027, 1, 4)),
]
TOUCHES = [
    TouchOut(41, "501", datetime(2026, 11, 2, 9, 30, tzinfo=UTC), Channel.CALL,
             Direction.OUTBOUND, "left voicemail", "7001"),
    TouchOut(42, "502", datetime(2026, 11, 3, 10, 0, tzinfo=UTC), Channel.EMAIL),
    TouchOut(43, "502", datetime(2026, 11, 4, 10, 0, tzinfo=UTC), Channel.LINKEDIN,
             Direction.INBOUND),
]


def rows(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.reader(fh))


def test_hubspot_files_update_records_by_record_id(tmp_path: Path) -> None:
    written = write_files("hubspot", OUTCOMES, TOUCHES, tmp_path)
    names = [w.path.name for w in written]
    assert names == ["hubspot-contacts.csv", "hubspot-deals.csv", "hubspot-companies.csv",
                     "hubspot-calls.csv", "hubspot-emails.csv", "hubspot-notes.csv"]
    contacts = rows(tmp_path / "hubspot-contacts.csv")
    assert contacts[0][:4] == ["Record ID", "notnow reason", "notnow prospect words",
                               "notnow next check-back"]
    assert contacts[1] == ["501", "not_now", "Try us in April.", "2027-04-01", "false", "",
                           "2026-11-02", "4"]
    assert contacts[2][2].startswith("'=cmd")  # a formula, neutralised
    assert rows(tmp_path / "hubspot-deals.csv")[1] == ["7001", "competitor_chosen",
                                                       "We went with Trackwell,\nsorry.",
                                                       "2027-05-24"]
    call = rows(tmp_path / "hubspot-calls.csv")[1]
    assert call[:4] == ["501", "2026-11-02T09:30:00+00:00", "OUTBOUND",
                        "call (outbound): left voicemail"]
    assert (tmp_path / "hubspot-calls.csv").read_bytes().startswith(b"Record ID")  # no BOM


def test_salesforce_opt_outs_are_set_in_a_file_of_their_own(tmp_path: Path) -> None:
    write_files(Source.SALESFORCE, OUTCOMES, TOUCHES, tmp_path)
    assert rows(tmp_path / "salesforce-contacts-opt-out.csv") == [
        ["Id", "HasOptedOutOfEmail", "DoNotCall"], ["503", "true", "true"]]
    contacts = rows(tmp_path / "salesforce-contacts.csv")
    assert "HasOptedOutOfEmail" not in contacts[0]  # never written as false elsewhere
    assert contacts[0][0] == "Id" and len(contacts) == 3
    tasks = rows(tmp_path / "salesforce-tasks.csv")
    assert tasks[0][:3] == ["Notnow_Touch_Id__c", "WhoId", "WhatId"]
    assert tasks[1] == ["notnow-41", "501", "7001", "call (outbound): left voicemail",
                        "2026-11-02", "Completed", "Call", "Outbound"]
    assert tasks[3][6:] == ["Other", ""]


def test_pipedrive_files_use_its_object_headers(tmp_path: Path) -> None:
    write_files("pipedrive", OUTCOMES, TOUCHES, tmp_path)
    people = rows(tmp_path / "pipedrive-people.csv")
    assert people[0][:2] == ["Person - ID", "Person - notnow reason"]
    assert rows(tmp_path / "pipedrive-deals.csv")[0][0] == "Deal - ID"
    assert rows(tmp_path / "pipedrive-organizations.csv")[1][0] == "9001"
    acts = rows(tmp_path / "pipedrive-activities.csv")
    assert acts[1][:5] == ["call (outbound): left voicemail", "Call", "2026-11-02", "09:30",
                           "Done"]


def test_plain_csv_has_a_bom_for_excel(tmp_path: Path) -> None:
    write_files("csv", OUTCOMES, TOUCHES, tmp_path)
    raw = (tmp_path / "notnow-results.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfkind,crm id")
    assert rows(tmp_path / "notnow-results.csv", "utf-8-sig")[2][:2] == ["contact", "503"]


def test_existing_files_are_kept_unless_asked(tmp_path: Path) -> None:
    write_files("hubspot", OUTCOMES, [], tmp_path)
    with pytest.raises(Conflict, match="already holds hubspot-contacts.csv"):
        write_files("hubspot", OUTCOMES, [], tmp_path)
    write_files("hubspot", OUTCOMES[:1], [], tmp_path, overwrite=True)
    assert len(rows(tmp_path / "hubspot-contacts.csv")) == 2


def test_a_symlink_in_the_folder_is_replaced_not_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "notnow-results.csv").symlink_to(victim)
    write_files("csv", OUTCOMES, [], out, overwrite=True)
    assert victim.read_text() == "keep me"
    assert not (out / "notnow-results.csv").is_symlink()


def test_nothing_is_left_behind_when_writing_fails(tmp_path: Path) -> None:
    def broken() -> object:
        yield OUTCOMES[0]
        raise RuntimeError("database went away")
    with pytest.raises(RuntimeError):
        write_files("hubspot", broken(), [], tmp_path)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InvalidInput, match="unknown CRM"):
        write_files("zoho", OUTCOMES, [], tmp_path)


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+49 30 1234", "'+49 30 1234"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("  =1+1", "'  =1+1"), ("＝1+1", "'＝1+1"),
    ("a=b", "a=b"), ("", ""), (None, ""), (True, "true"), (date(2027, 1, 4), "2027-01-04"),
    ("nul\x00byte", "nulbyte"),
])
def test_cells_are_safe_in_a_spreadsheet(value: object, cell: str) -> None:
    assert safe_cell(value) == cell


def test_long_words_are_cut_to_what_every_crm_holds(tmp_path: Path) -> None:
    long = Outcome(Kind.DEAL, "1", "price", "x" * (MAX_WORDS + 500))
    write_files("salesforce", [long], [], tmp_path)
    cell = rows(tmp_path / "salesforce-opportunities.csv")[1][2]
    assert len(cell) == MAX_WORDS and cell.endswith("…")


def test_file_names_are_fixed_not_taken_from_the_data() -> None:
    assert all("/" not in n and n.endswith(".csv") for s in Source for n in file_names(s))
