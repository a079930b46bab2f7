"""`notnow import` as a service: CRM exports into notnow through the guarded write paths, safe to
run again, one unit (dry run, refused file, bad row, undo), owners and rights."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from actors import as_id, owner_of, user
from notnow.errors import InvalidInput, NotFound
from notnow.services.crm.imports import ImportFile, import_files
from notnow.services.crm.undo import undo_import
from notnow.storage.tables import (
    Account,
    Contact,
    Deal,
    ExternalId,
    FollowUp,
    ImportBatch,
    Rejection,
    Suppression,
    Touch,
)

FIXTURES = Path(__file__).parents[1] / "crm" / "fixtures"
HUBSPOT = [FIXTURES / n for n in ("hubspot-deals.csv", "hubspot-contacts.csv",
                                  "hubspot-companies.csv", "hubspot-calls.csv")]
TABLES = (Account, Contact, Deal, Rejection, Touch, FollowUp, ExternalId, ImportBatch,
          Suppression)


def sizes(ws: Any) -> dict[str, int]:
    with ws.db.read() as s:
        return {t.__tablename__: int(s.scalar(select(func.count()).select_from(t)) or 0)
                for t in TABLES}


def test_hubspot_history_comes_in_and_a_second_run_doubles_nothing(ws: Any) -> None:
    ada = owner_of(ws)
    ana = user(ws, "Ana")
    with ws.db.write() as s:  # the CRM names her "Ana Ruiz"
        from notnow.storage.tables import User

        u = s.get(User, ana.id)
        assert u is not None
        u.name = "Ana Ruiz"
    report = import_files(ws, ada, HUBSPOT)
    assert report.counts["account"] == {"created": 4}
    assert report.counts["contact"]["created"] == 5
    assert report.counts["deal"]["created"] == 5
    assert report.counts["rejection"]["created"] == 3  # three lost deals with a reason
    assert report.counts["touch"]["created"] == 3  # the queued call is not a touch
    assert report.unknown_owners == {"Ben Osei": 7, "nobody@unknown.example": 1}
    assert report.owners["Ana Ruiz"] == 9
    lines = {(p.file, p.line) for p in report.problems}
    assert ("hubspot-deals.csv", 7) in lines and ("hubspot-contacts.csv", 8) in lines
    with ws.db.read() as s:
        lost = s.scalars(select(Rejection).order_by(Rejection.id)).all()
        assert [r.label for r in lost] == ["competitor_chosen", "no_budget", "do_not_contact"]
        assert lost[0].text == "We went with Trackwell, they were already on site."
        assert lost[0].at.date().isoformat() == "2024-06-28"  # when the deal was lost
        maren = s.scalars(select(Contact).where(Contact.email.like("maren%"))).one()
        assert maren.owner_id == ana.id and maren.role == "decision_maker"
        assert lost[0].contact_id == maren.id
        priya = s.scalars(select(Contact).where(Contact.email.like("priya%"))).one()
        assert priya.dnc_at is not None and priya.owner_id == ada.id  # unsubscribed
        assert s.scalar(select(func.count()).select_from(Suppression)) >= 1
        deal = s.scalars(select(Deal).where(Deal.offer == "Quaywise pilot")).one()
        assert deal.status == "open" and str(deal.value) == "4200.50"
        won = s.scalars(select(Deal).where(Deal.offer.like("Nordlys%"))).one()
        assert won.status == "won"
    before = sizes(ws)
    again = import_files(ws, ada, HUBSPOT)
    assert all("created" not in counts for counts in again.counts.values()), again.counts
    assert again.counts["contact"] == {"unchanged": 5}
    after = sizes(ws)
    assert after["import_batches"] == before["import_batches"] + 1
    assert {k: v for k, v in after.items() if k != "import_batches"} == \
        {k: v for k, v in before.items() if k != "import_batches"}


def test_a_newer_export_updates_and_says_what_changed(ws: Any, tmp_path: Path) -> None:
    ada = owner_of(ws)
    import_files(ws, ada, [FIXTURES / "hubspot-deals.csv"])
    newer = tmp_path / "deals.csv"
    text = (FIXTURES / "hubspot-deals.csv").read_text(encoding="utf-8")
    newer.write_text(text.replace("Quaywise pilot,Contract Sent,Sales Pipeline,4200.5",
                                  "Quaywise pilot,Closed Won,Sales Pipeline,5100"),
                     encoding="utf-8")
    report = import_files(ws, ada, [newer])
    assert report.counts["deal"]["updated"] == 1
    assert report.changed["deal"] == {"value": 1, "status": 1, "closed_at": 1}
    with ws.db.read() as s:
        deal = s.scalars(select(Deal).where(Deal.offer == "Quaywise pilot")).one()
        assert deal.status == "won" and str(deal.value) == "5100.00"


def test_a_dry_run_stores_nothing_and_reports_the_same(ws: Any) -> None:
    ada = owner_of(ws)
    before = sizes(ws)
    dry = import_files(ws, ada, HUBSPOT, dry_run=True)
    assert sizes(ws) == before
    assert dry.batch_id is None and dry.dry_run
    real = import_files(ws, ada, HUBSPOT)
    assert dry.counts == real.counts and dry.problem_count == real.problem_count


def test_a_refused_file_refuses_the_import(ws: Any, tmp_path: Path) -> None:
    binary = tmp_path / "deals.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary zip")
    before = sizes(ws)
    with pytest.raises(InvalidInput) as err:
        import_files(ws, owner_of(ws), [FIXTURES / "hubspot-contacts.csv", binary])
    assert "deals.csv" in err.value.message
    assert sizes(ws) == before


def test_a_record_that_cannot_be_whole_is_not_written_and_the_rest_go_on(
        ws: Any, tmp_path: Path) -> None:
    deals = tmp_path / "deals.csv"
    deals.write_text(
        "Record ID,Deal Name,Deal Stage,Amount,Close Date,Closed Lost Reason,Associated Company\n"
        "1,Lonely loss,Closed Lost,100,2024-01-05,Too expensive for us,Nobody Known Ltd\n"
        "2,Open one,Appointment Scheduled,200,2024-02-05,,Nobody Known Ltd\n",
        encoding="utf-8")
    report = import_files(ws, owner_of(ws), [deals])
    assert [(p.line, p.column) for p in report.problems] == [(2, "lost reason")]
    assert report.counts["deal"] == {"created": 1, "skipped": 1}
    with ws.db.read() as s:
        assert s.scalars(select(Deal.offer)).all() == ["Open one"]  # no lost deal without
        assert s.scalar(select(func.count()).select_from(Rejection)) == 0  # its reason
        assert s.scalar(select(func.count()).select_from(ExternalId).where(
            ExternalId.external_id == "1")) == 0


def test_an_activity_to_a_do_not_contact_contact_is_refused_and_reported(ws: Any) -> None:
    report = import_files(ws, owner_of(ws), [FIXTURES / "hubspot-contacts.csv",
                                             FIXTURES / "hubspot-calls.csv"])
    refused = [p for p in report.problems if p.file == "hubspot-calls.csv"]
    # Priya unsubscribed: her inbound call is history (inbound is not refused)
    assert refused == []
    with ws.db.read() as s:
        priya = s.scalars(select(Contact).where(Contact.email.like("priya%"))).one()
        assert s.scalars(select(Touch.direction).where(Touch.contact_id == priya.id)).all() \
            == ["inbound"]


def test_an_outbound_activity_after_the_opt_out_is_refused(ws: Any, clock: Any,
                                                           tmp_path: Path) -> None:
    ada = owner_of(ws)
    import_files(ws, ada, [FIXTURES / "salesforce-contacts.csv"])  # Hollis: DoNotCall
    clock.advance(days=2)
    calls = tmp_path / "calls.csv"
    calls.write_text(
        "Record ID,Activity date,Call title,Call direction,Call status,Associated Contact\n"
        "1,2026-11-24 10:00,Tried again,OUTBOUND,COMPLETED,Hollis Grange\n"
        "2,2026-11-24 11:00,Chat,OUTBOUND,COMPLETED,Rex Ito\n", encoding="utf-8")
    report = import_files(ws, ada, [calls])
    assert len(report.problems) == 1 and report.problems[0].line == 2
    assert "do-not-contact" in report.problems[0].why
    assert report.counts["touch"] == {"created": 1, "skipped": 1}


def test_a_salesperson_imports_into_their_own_records_only(ws: Any) -> None:
    boss = user(ws, "Mona", role="manager")
    sara = user(ws, "Sara", manager=boss)
    tom = user(ws, "Tom")
    boss = as_id(ws, boss.id)  # now with Sara on the team
    with pytest.raises(NotFound) as other:
        import_files(ws, sara, [FIXTURES / "hubspot-companies.csv"], owner=tom.email)
    with pytest.raises(NotFound) as nobody:
        import_files(ws, sara, [FIXTURES / "hubspot-companies.csv"], owner="nobody@x.example")
    assert other.value.message.replace(tom.email, "X") == \
        nobody.value.message.replace("nobody@x.example", "X")
    report = import_files(ws, sara, [FIXTURES / "hubspot-companies.csv"])
    assert report.unknown_owners == {"Ana Ruiz": 2, "Ben Osei": 2}
    with ws.db.read() as s:
        assert set(s.scalars(select(Account.owner_id))) == {sara.id}
    mine = import_files(ws, boss, [FIXTURES / "salesforce-accounts.csv"], owner=sara.email)
    assert mine.owner_for_unknown == "Sara"
    with pytest.raises(NotFound):
        import_files(ws, boss, [FIXTURES / "salesforce-accounts.csv"], owner=tom.email)


def test_another_persons_record_is_not_changed_by_a_re_import(ws: Any) -> None:
    tom = user(ws, "Tom")
    sara = user(ws, "Sara")
    import_files(ws, tom, [FIXTURES / "hubspot-companies.csv"])
    report = import_files(ws, sara, [FIXTURES / "hubspot-companies.csv"])
    assert report.counts["account"] == {"skipped": 4}
    assert all("not among the records you may change" in p.why for p in report.problems
               if p.column is None)
    with ws.db.read() as s:
        assert set(s.scalars(select(Account.owner_id))) == {tom.id}


def test_an_import_is_undone_as_one_unit_and_opt_outs_stay(ws: Any) -> None:
    ada = owner_of(ws)
    before = sizes(ws)
    report = import_files(ws, ada, HUBSPOT)
    assert report.batch_id is not None
    done = undo_import(ws, ada, report.batch_id)
    assert done.deleted["contact"] == 5 and done.opt_outs_kept >= 1
    after = sizes(ws)
    assert after["suppressions"] >= 1  # an opt-out is final
    for table in ("accounts", "contacts", "deals", "rejections", "touches", "followups",
                  "external_ids"):
        assert after[table] == before[table], table
    again = import_files(ws, ada, HUBSPOT)  # the CRM ids were forgotten: all comes back
    assert again.counts["contact"]["created"] == 5
    with ws.db.read() as s:  # Priya is do-not-contact from her first moment
        priya = s.scalars(select(Contact).where(Contact.email.like("priya%"))).one()
        assert priya.dnc_at is not None
    with pytest.raises(NotFound):
        undo_import(ws, user(ws, "Sara"), report.batch_id)


def test_a_mapping_is_used_and_remembered(ws: Any, tmp_path: Path) -> None:
    ada = owner_of(ws)
    path = tmp_path / "verloren.csv"
    shutil.copy(FIXTURES / "generic-losses.csv", path)
    options = ["Kunde=account.name", "ansprechpartner=contact.name", "E-Mail=email",
               "Projekt=deal.title", "Ergebnis=deal.status", "Warum verloren=lost_reason",
               "Datum=deal.close_date", "Summe=deal.value"]
    with pytest.raises(InvalidInput, match="--map"):
        import_files(ws, ada, [path], dry_run=True)
    report = import_files(ws, ada, [ImportFile(path, "verloren.csv")], columns=options)
    assert report.counts["rejection"]["created"] == 1
    again = import_files(ws, ada, [path], dry_run=True)  # remembered: no --map needed
    assert again.counts["deal"] == {"unchanged": 2}


def _fuzzed(tmp_path: Path) -> list[Path]:
    good = (FIXTURES / "hubspot-contacts.csv").read_bytes()
    files = {
        "truncated.csv": good[: len(good) // 2] + b'"unterminated',
        "cp1252.csv": good.decode("utf-8").encode("cp1252", errors="replace"),
        "extra-and-missing.csv": good.replace(b"Ana Ruiz,", b"Ana Ruiz,extra,", 1)
        .replace(b",Influencer;End user", b"", 1),
        "formulas.csv": good.replace(b"Maren", b"=cmd|' /C calc'!A0", 1),
        "huge-field.csv": good.replace(b"Head of Procurement",
                                       b'"' + b"x" * (10 * 1024 * 1024) + b'"', 1),
        "newlines.csv": good.replace(b"CFO", b'"C\r\nF\nO"', 1),
        "empty.csv": b"",
        "header-only.csv": good.split(b"\n", 1)[0] + b"\n",
        "binary.csv": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
    }
    out = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        out.append(tmp_path / name)
    return out


def test_fuzzed_files_are_refused_or_reported_never_half_stored(ws: Any, tmp_path: Path) -> None:
    ada = owner_of(ws)
    for path in _fuzzed(tmp_path):
        before = sizes(ws)
        try:
            report = import_files(ws, ada, [path])
        except InvalidInput as exc:  # refused whole: nothing of it is stored
            assert path.name in exc.message or exc.field is not None, path.name
            assert sizes(ws) == before, path.name
            continue
        if path.name != "header-only.csv":
            assert report.problem_count >= 1 or path.name in ("formulas.csv",
                                                               "newlines.csv",
                                                               "cp1252.csv"), path.name
        assert all(p.line >= 1 and p.why for p in report.problems), path.name


KILLER = """
import os, signal, sys
from datetime import UTC, datetime
from pathlib import Path
from notnow import settings
from notnow.core.clock import FixedClock
from notnow.services.crm.imports import import_files
from notnow.services.team.acting import actor_for
from notnow.services.workspace import open_workspace

ws = open_workspace(settings.load({"NOTNOW_HOME": sys.argv[1], "NOTNOW_DATABASE_URL": sys.argv[2]}),
                    clock=FixedClock(datetime(2026, 11, 23, 9, 30, tzinfo=UTC)))
calls = []

def die(done, total):  # once the first file is written into the transaction: kill -9
    calls.append(done)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGKILL)

import_files(ws, actor_for(ws, ws.owner_id), sys.argv[3:], progress=die)
"""


@pytest.mark.slow
def test_killed_mid_import_nothing_is_kept_and_running_it_again_completes_it(
        ws: Any, config: Any, tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    files = [str(p) for p in HUBSPOT]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    before = sizes(ws)
    proc = subprocess.run([sys.executable, "-c", KILLER, str(config.home), config.database_url,
                           *files], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    assert sizes(ws) == before  # nothing half-written
    report = import_files(ws, owner_of(ws), HUBSPOT)
    assert report.counts["contact"]["created"] == 5 and report.counts["deal"]["created"] == 5
