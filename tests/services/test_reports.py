"""The loss report on a crafted team (figures known by construction) and on the demo."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from actors import as_id, owner_of
from learning_facts import EXPECTED, build
from notnow.errors import InvalidInput, NotFound, PermissionDenied
from notnow.render import report_html
from notnow.services.learning import reports


def rows(rep: reports.Report, name: str) -> dict[str, list[Any]]:
    return {r[0]: r[1:] for r in rep.tables[name].rows}


def test_team_report_figures(ws: Any) -> None:
    build(ws)
    rep = reports.report(ws, owner_of(ws))  # the owner is an admin: the whole team by default
    assert rep.scope.team
    kpis = {label: value for label, value, _ in rep.kpis}
    assert kpis["Rejections"] == str(EXPECTED["rejections"])
    assert kpis["Later became a yes"] == "33%"
    assert kpis["Median days from no to deal"] == "115.5"
    assert kpis["Rejections per win"] == "6"
    assert {k: v[0] for k, v in rows(rep, "by_label").items()} == EXPECTED["by_label"]
    assert {k: v[0] for k, v in rows(rep, "by_size").items()} == EXPECTED["by_size"]
    proof = rows(rep, "proof")
    assert proof["Ana"][:2] == [3, 2] and proof["Ana"][4] == 1
    assert proof["Ana"][3] == 115.5 and proof["Ana"][5] == 3.0
    assert proof["Ben"][:2] == [3, 0] and proof["Ben"][3] is None
    assert rows(rep, "capability_gaps")["Single sign-on (SSO)"][2] == EXPECTED["sso_lost_value"]
    outcomes = dict(zip(rep.tables["checkback_outcomes"].columns[1:],
                        rep.tables["checkback_outcomes"].rows[0][1:], strict=True))
    assert outcomes["total"] == 5
    assert {k: v for k, v in outcomes.items() if v and k != "total"} == EXPECTED["checkbacks"]
    assert rows(rep, "label_by_stage")["missing_capability"][:3] == [1, 0, 1]
    assert rep.tables["label_by_salesperson"].columns == ["label", "Ana", "Ben"]
    assert rows(rep, "label_by_salesperson")["competitor_chosen"] == [0, 1]


def test_contacts_figures(ws: Any) -> None:
    build(ws)
    rep = reports.report(ws, owner_of(ws), team=True)
    assert rows(rep, "attempts_before_access")["4"] == [1]
    assert rows(rep, "attempts_before_access")["0"] == [1]  # Cleo wrote first
    silence = [r[1] for r in rep.tables["silence_vs_reply"].rows]
    assert silence == [4, 1, 1]
    assert rows(rep, "pesters") == {"Ana": [1, 0, 4, 0.25], "Ben": [1, 0, 14, 0.0714]}
    assert rows(rep, "gives_up_early") == {"Ana": [1, 1, 1.0], "Ben": [1, 0, 0.0]}
    themes = rows(rep, "autopsy_themes")
    assert themes["did not listen to the need"][0] == 2
    assert themes["wrong timing"][0] == 1
    assert rows(rep, "autopsy_winners") == {"Rival": [2]}


def test_one_salesperson_and_a_period(ws: Any) -> None:
    ids = build(ws)
    ana = reports.report(ws, owner_of(ws), for_user="Ana")
    assert not ana.scope.team and ana.scope.user_name == "Ana"
    assert sum(r[1] for r in ana.tables["by_label"].rows) == EXPECTED["ana"]["rejections"]
    assert rows(ana, "proof")["Ana"][:2] == [3, 2]
    assert "Ben" not in rows(ana, "pesters")
    since = reports.report(ws, owner_of(ws), since=date(2026, 3, 1))
    assert sum(r[1] for r in since.tables["by_label"].rows) == 4  # r3, r4, r5, r7
    assert reports.proof_for(ws, owner_of(ws), user_id=ids["ben"])["won_back"] == 0


def test_who_may_see_what(ws: Any) -> None:
    ids = build(ws)
    me = as_id(ws, ids["ana"])
    assert reports.report(ws, me).scope.user_name == "Ana"  # a salesperson: own figures
    with pytest.raises(PermissionDenied):
        reports.report(ws, me, team=True)
    with pytest.raises(NotFound):  # another person's figures: not even that they exist
        reports.report(ws, me, for_user="Ben")
    me = as_id(ws, ids["mia"])  # a manager
    assert reports.report(ws, me).scope.team
    assert reports.report(ws, me, for_user="ben@us.test").scope.user_name == "Ben"
    with pytest.raises(InvalidInput):
        reports.report(ws, me, for_user="Ben", team=True)
    with pytest.raises(InvalidInput):
        reports.report(ws, me, since=date(2030, 1, 1))


def test_html_is_self_contained_with_charts_and_no_journal_text(ws: Any, tmp_path: Path) -> None:
    from notnow.services.learning.journal import add_entry

    ids = build(ws)
    me = as_id(ws, ids["ana"])
    add_entry(ws, me, "SECRET-FEELINGS about Acme", account="Acme")
    me = as_id(ws, ids["mia"])
    path = report_html.write_html(reports.report(ws, me), tmp_path / "r.html")
    page = path.read_text()
    assert page.count("<svg") >= 12
    assert "SECRET-FEELINGS" not in page
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    assert "<script" not in page
    assert "Coaching the team" in page and "Single sign-on (SSO)" in page


def test_csv_exports_every_table(ws: Any, tmp_path: Path) -> None:
    build(ws)
    rep = reports.report(ws, owner_of(ws))
    files = report_html.write_csv(rep, tmp_path / "out")
    assert {f.stem for f in files} == set(rep.tables) | {"summary"}
    with (tmp_path / "out" / "by_label.csv").open() as fh:
        data = list(csv.reader(fh))
    assert data[0] == ["label", "rejections", "share"]
    assert sum(int(r[1]) for r in data[1:]) == EXPECTED["rejections"]


def test_dashboard_and_fragment(ws: Any) -> None:
    build(ws)
    data = report_html.dashboard(reports.report(ws, owner_of(ws), team=True))
    assert {"by_label", "trend_monthly", "capability_gaps"} <= set(data["charts"])
    assert data["kpis"][0]["value"] == "6"
    html = report_html.render_fragment(data)
    assert html.count("<svg") >= 10 and "<html" not in html


def test_cli_report(cli: Any, tmp_path: Path) -> None:
    from notnow.services.workspace import open_workspace

    ws = open_workspace()
    try:
        build(ws)
    finally:
        ws.close()
    r = cli("report")
    assert r.code == 0 and "Later became a yes" in r.out
    out = tmp_path / "r.html"
    r = cli("report", "--team", "--since", "2026-01-01", "--html", str(out), "--csv",
            str(tmp_path / "csv"))
    assert r.code == 0, r.err
    assert out.exists() and (tmp_path / "csv" / "proof.csv").exists()
    assert cli("report", "--json").json()["kpis"][0]["value"] == "6"  # type: ignore[index]
    r = cli("report", "--html", str(tmp_path / "missing" / "r.html"))
    assert r.code == 1 and "does not exist" in r.err
    assert cli("report", "--since", "yesterday").code == 1
    r = cli("proof", "--json")
    assert r.code == 0 and r.json()["rejections"] == 0  # type: ignore[index]


def test_report_on_the_demo(ws: Any) -> None:
    demo = pytest.importorskip("notnow.services.demo.load")
    counts = demo.load_demo(ws, owner_of(ws))
    rep = reports.report(ws, owner_of(ws), team=True)
    total = sum(r[1] for r in rep.tables["by_label"].rows)
    assert total > 0
    for name in ("by_stage", "by_channel", "by_size", "by_salesperson"):
        assert sum(r[1] for r in rep.tables[name].rows) == total, name
    assert total <= counts["rejections"]
    assert rep.tables["capability_gaps"].rows, "the demo's lost prospects asked for things"
    assert sum(r[-1] for r in rep.tables["checkback_outcomes"].rows[:1]) > 0
    page = report_html.render_html(rep)
    assert page.count("<svg") >= 12



def test_a_managers_team_report_counts_only_the_teams_wins(ws: Any) -> None:
    from actors import user
    from notnow.services.records.deals import add_deal, set_deal_status
    from web_support import seed

    boss = user(ws, "Max", "manager")
    sara, tom = user(ws, "Sara", manager=boss), user(ws, "Tom")
    for who, wins in ((sara, 1), (tom, 3)):
        data = seed(ws, who, name=f"{who.name}'s account")
        for n in range(wins):
            deal = add_deal(ws, who, {"offer": f"Deal {n}"}, account=data.account_id)
            set_deal_status(ws, who, deal.id, "won")
    boss = as_id(ws, boss.id)
    kpis = {label: hint for label, _, hint in reports.report(ws, boss).kpis}
    assert kpis["Rejections per win"] == "deals won in the period: 1"  # Sara's, not Tom's
    kpis = {label: hint for label, _, hint in reports.report(ws, owner_of(ws)).kpis}
    assert kpis["Rejections per win"] == "deals won in the period: 4"


def test_the_report_does_not_blame_a_touch_the_product_allowed(ws: Any) -> None:
    """Ana's touches to Lena, each recorded through the product, which named no cap: three on
    a Monday morning and one the next Monday (under 7×24 hours after the first, but on the
    eighth calendar day); after Lena's "not now", the thank-you the next day (a reply: not
    nurture) and a call two weeks later (the only nurture touch in 30 days). The report used
    to count two cap hits (a rolling 24-hour window; the nurture cap counting the reply)."""
    from datetime import UTC, datetime, timedelta

    from actors import user
    from notnow.core.clock import FixedClock
    from notnow.services.capture.log import log_rejection
    from notnow.services.capture.touches import record_touch
    from notnow.services.followups.replies import mark_reply_sent
    from notnow.services.records.contacts import add_contact
    from web_support import seed

    clock = ws.clock
    assert isinstance(clock, FixedClock)
    ana = user(ws, "Ana")
    lena = add_contact(ws, ana, {"name": "Lena"}, account=seed(ws, ana).account_id).id
    made: list[str | None] = []

    def touch(when: datetime, channel: str) -> None:
        clock.instant = when
        made.append(record_touch(ws, ana, {"channel": channel, "at": when.isoformat()},
                                 contact=lena).over_cap)

    monday = datetime(2026, 6, 1, 14, tzinfo=UTC)
    for h, channel in enumerate(["email", "call", "linkedin"]):
        touch(monday + timedelta(hours=h), channel)
    touch(monday + timedelta(days=7, hours=-1), "call")
    clock.instant = datetime(2026, 7, 20, 15, tzinfo=UTC)
    no = log_rejection(ws, ana, {"label": "not_now", "channel": "email"}, contact=lena,
                       schedule=False)
    clock.instant = datetime(2026, 7, 21, 15, tzinfo=UTC)
    made.append(mark_reply_sent(ws, ana, no.id).over_cap)
    touch(datetime(2026, 8, 4, 15, tzinfo=UTC), "call")
    assert made == [None] * 6, made  # the product allowed every one
    clock.instant = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    pesters = rows(reports.report(ws, ana), "pesters")
    assert pesters == {"Ana": [0, 0, 6, 0.0]}


def test_the_same_report_whether_its_figures_are_kept_or_worked_out(ws: Any,
                                                                      monkeypatch: Any) -> None:
    """The first report keeps its figures; the next ones count what is kept. A report whose
    kept figures could not be brought up to date (the database refused the write) works them
    out itself, and says the same."""
    from notnow.errors import DatabaseLocked
    from notnow.services.learning import report_facts

    build(ws)
    first = reports.report(ws, owner_of(ws), team=True)  # works out and keeps
    again = reports.report(ws, owner_of(ws), team=True)  # counts what is kept
    assert again.kpis == first.kpis
    assert {n: t.rows for n, t in again.tables.items()} == \
        {n: t.rows for n, t in first.tables.items()}

    def refused(*_: Any) -> None:
        raise DatabaseLocked("the database is locked")

    monkeypatch.setattr(report_facts, "refresh", refused)
    from sqlalchemy import select

    from notnow.services.capture.touches import record_touch
    from notnow.storage.tables import Contact

    with ws.db.read() as s:
        contact = s.scalars(select(Contact.id).order_by(Contact.id)).first()
    record_touch(ws, owner_of(ws), {"channel": "call", "direction": "inbound"},
                 contact=contact)
    marked = reports.report(ws, owner_of(ws), team=True)
    monkeypatch.undo()
    worked_out = reports.report(ws, owner_of(ws), team=True)
    assert marked.kpis == worked_out.kpis
    assert {n: t.rows for n, t in marked.tables.items()} == \
        {n: t.rows for n, t in worked_out.tables.items()}
