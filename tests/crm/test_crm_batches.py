"""An import writes in batches (services/crm/imports.py): a batch the bulk path cannot write
whole is written again record by record, so one bad row is reported with its file and line
and the rest of its batch still goes in; and what the bulk path writes is what the record by
record path writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from actors import owner_of
from notnow.services.crm.imports import import_files
from notnow.storage.tables import Contact, Deal, ExternalId, ImportChange, Rejection

CONTACTS = ("Record ID,First Name,Last Name,Email,Associated Company,"
            "Unsubscribed from all email\n"
            "11,Maren,Okafor,maren@quaywise.example,Quaywise,false\n"
            "12,Teodor,Vance,teodor@quaywise.example,Quaywise,true\n")
DEALS = ("Record ID,Deal Name,Deal Stage,Amount,Close Date,Closed Lost Reason,"
         "Associated Company,Associated Contact IDs\n"
         "1,Old loss,Closed Lost,100,1890-01-05,Too expensive for us,Quaywise,11\n"
         "2,Pilot,Closed Lost,200,2024-02-05,We went with another vendor,Quaywise,11\n"
         "3,Renewal,Appointment Scheduled,300,2025-02-05,,Quaywise,12\n")


def _files(tmp_path: Path) -> list[Path]:
    (tmp_path / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    (tmp_path / "deals.csv").write_text(DEALS, encoding="utf-8")
    return [tmp_path / "contacts.csv", tmp_path / "deals.csv"]


def test_a_bad_row_in_a_batch_is_reported_and_the_rest_of_the_batch_goes_in(
        ws: Any, tmp_path: Path) -> None:
    report = import_files(ws, owner_of(ws), _files(tmp_path))
    # a "no" said in 1890 is not one notnow can hold: its deal is not imported, by its line
    assert [(p.file, p.line) for p in report.problems] == [("deals.csv", 2)]
    assert report.counts["deal"] == {"created": 2, "skipped": 1}
    assert report.counts["contact"] == {"created": 2, "suppressed": 1}
    assert report.counts["rejection"]["created"] == 1
    with ws.db.read() as s:
        assert sorted(s.scalars(select(Deal.offer))) == ["Pilot", "Renewal"]
        assert s.scalar(select(func.count()).select_from(ExternalId).where(
            ExternalId.entity_kind == "deal", ExternalId.external_id == "1")) == 0
        teodor = s.scalars(select(Contact).where(Contact.email.like("teodor%"))).one()
        assert teodor.dnc_at is not None and teodor.dnc_source == "import"
        lost = s.scalars(select(Rejection)).one()
        assert lost.label == "competitor_chosen" and lost.at.year == 2024
        pilot = s.scalars(select(Deal).where(Deal.offer == "Pilot")).one()
        assert pilot.status == "lost" and lost.deal_id == pilot.id
        # one change a record for undo, each with its line
        changes = {(c.entity_kind, c.action, c.line) for c in s.scalars(select(ImportChange))}
        assert ("deal", "created", 3) in changes and ("contact", "suppressed", 3) in changes
    again = import_files(ws, owner_of(ws), _files(tmp_path))
    assert all("created" not in c for c in again.counts.values()), again.counts


SWITCHBOARD = ("Record ID,First Name,Last Name,Email,Phone Number,Associated Company\n"
               "21,Ada,Rix,ada@lumen.example,+49 40 3000000,Lumen\n"
               "22,Bo,Rix,bo@lumen.example,+49 40 3000000,Lumen\n"
               "23,Cy,Ode,cy@other.example,+49 40 3000001,Other\n")
SWITCHBOARD_DEALS = ("Record ID,Deal Name,Deal Stage,Amount,Close Date,Closed Lost Reason,"
                     "Associated Company,Associated Contact IDs\n"
                     "31,Suppressed first,Closed Lost,100,2024-03-05,Not a priority this year.,"
                     "Lumen,22\n"
                     "32,Lamps,Closed Lost,100,2024-04-05,Please remove me from your list.,"
                     "Lumen,21\n"
                     "33,Bulbs,Closed Lost,100,2024-05-05,\"Budget is frozen, try us in April.\","
                     "Lumen,22\n"
                     "34,Cables,Closed Lost,100,2024-05-05,Not a priority this year.,Other,23\n")


def test_an_opt_out_in_a_lost_reason_marks_the_persons_other_rows_in_the_same_batch(
        ws: Any, tmp_path: Path) -> None:
    """Two contacts share the company's switchboard number: the opt-out in Ada's lost reason
    marks Bo too (as logging it by hand would), also when Bo's own lost reasons are stored
    around it in the same batch."""
    (tmp_path / "contacts.csv").write_text(SWITCHBOARD, encoding="utf-8")
    (tmp_path / "deals.csv").write_text(SWITCHBOARD_DEALS, encoding="utf-8")
    report = import_files(ws, owner_of(ws), [tmp_path / "contacts.csv", tmp_path / "deals.csv"])
    assert report.problem_count == 0, report.problems
    assert report.counts["rejection"]["created"] == 4
    with ws.db.read() as s:
        people = {c.name: c for c in s.scalars(select(Contact))}
        assert people["Ada Rix"].dnc_source == "prospect"
        assert people["Bo Rix"].dnc_at is not None and people["Bo Rix"].dnc_source == "suppression"
        assert people["Bo Rix"].held_at is None
        assert people["Cy Ode"].dnc_at is None
        labels = {r.deal_id: r.label for r in s.scalars(select(Rejection))}
        offers = {d.id: d.offer for d in s.scalars(select(Deal))}
        assert {offers[k]: v for k, v in labels.items()} == {
            "Suppressed first": "no_need", "Lamps": "do_not_contact", "Bulbs": "no_budget",
            "Cables": "no_need"}
