"""The comeback through the CLI, on a real database: plan, accept, follow-ups, signals, replies,
tone, calendar and the team playbook."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from actors import owner_of
from notnow.core.businessdays import is_business_day

Cli = Any


@pytest.fixture
def seeded(cli: Cli) -> Cli:
    cli("account", "add", "Acme Corp", "--country", "US", "--timezone", "America/New_York",
        "--employees", "30", "--industry", "logistics")
    cli("contact", "add", "Dana Ruiz", "--account", "acme", "--email", "dana@acme.com",
        "--role", "user")
    cli("contact", "add", "Owen Boss", "--account", "acme", "--email", "owen@acme.com",
        "--role", "executive")
    cli("contact", "add", "Lee Park", "--account", "acme", "--email", "lee@acme.com",
        "--role", "gatekeeper")
    return cli


def _log(cli: Cli, label: str, *extra: str, who: str = "dana@acme.com") -> int:
    rej = cli("log", "--contact", who, "--label", label, "--channel", "email",
              "--when", "2026-11-23T08:00", "--yes", "--json", *extra).json()
    return int(rej["id"])


def test_plan_shows_rules_and_evidence_and_accept_schedules(seeded: Cli) -> None:
    rid = _log(seeded, "not_interested", "--stage", "proposal")
    shown = seeded("plan", str(rid))
    assert shown.code == 0
    assert "thank-and-keep-door-open" in shown.out and "evidence:" in shown.out
    assert "--accept" in shown.out
    plan = seeded("plan", str(rid), "--json").json()
    kinds = [s["kind"] for s in plan["steps"]]
    assert {"cooling_off", "thank", "ask_why", "journal", "autopsy", "checkback"} <= set(kinds)
    top = [s for s in plan["steps"] if s["rule"] == "top-of-small-company"]
    assert top and top[0]["contact_name"] == "Owen Boss"
    assert plan["followups"] == []
    accepted = seeded("plan", str(rid), "--accept", "--json").json()
    stored = accepted["followups"]
    assert len(stored) == sum(1 for s in accepted["steps"] if s["scheduled"]) >= 3
    assert all(is_business_day(date.fromisoformat(f["due"]), "US") for f in stored)
    assert {f["rule"] for f in stored} >= {"check-back", "thank-and-keep-door-open"}
    seeded("skip", str(stored[0]["id"]))
    again = seeded("plan", str(rid), "--accept", "--json").json()
    # Accepting again changes nothing: no doubles, and a skipped follow-up does not come back.
    assert [f["id"] for f in again["followups"]] == [f["id"] for f in stored[1:]]
    agenda = seeded("agenda", "--date", "2027-12-31", "--json").json()
    assert {a["followup_id"] for a in agenda} == {f["id"] for f in stored[1:]}


def test_capture_checkback_is_replaced_by_the_plan_and_storage_still_guards(ws: Any) -> None:
    from sqlalchemy import func, select

    from notnow.errors import DoNotContact
    from notnow.services.capture.log import log_rejection
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.followups.planning import accept_plan
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.storage.tables import FollowUp

    add_account(ws, owner_of(ws), {"name": "Acme", "country": "US", "timezone": "America/New_York"})
    add_contact(ws, owner_of(ws), {"name": "Dana Ruiz"}, account="Acme")
    me = owner_of(ws)
    first = log_rejection(ws, me, {"label": "not_now", "checkback": date(2027, 3, 1)},
                          contact="Dana")
    checkback = [f for f in first.followups if f.rule == "check-back"]
    assert [f.due for f in checkback] == [date(2027, 3, 1)]  # logged and planned in one step
    # their next answer replaces that plan: no second check-back on the same day
    rej = log_rejection(ws, me, {"label": "not_now", "checkback": date(2027, 3, 1)},
                        contact="Dana", schedule=False)
    assert rej.followups == []
    plan = accept_plan(ws, me, rej.id)
    assert [f.due for f in plan.followups if f.rule == "check-back"] == [date(2027, 3, 1)]
    with ws.db.read() as s:
        old = s.get(FollowUp, checkback[0].id)
        assert old is not None and old.status == "cancelled"
    # Once opted out, what was scheduled is cancelled and planning yields only "stop"…
    mark_dnc(ws, me, rej.contact_id, reason="asked on the phone")
    with ws.db.read() as s:
        assert s.scalar(select(func.count()).select_from(FollowUp).where(
            FollowUp.contact_id == rej.contact_id, FollowUp.status == "due")) == 0
    again = accept_plan(ws, me, rej.id)
    assert [st.kind.value for st in again.steps] == ["stop"] and again.followups == []
    # …and storage's own guard stands behind the core for any other path.
    with pytest.raises(DoNotContact), ws.db.write() as s:
        s.add(FollowUp(contact_id=rej.contact_id, account_id=rej.account_id, due=date(2027, 3, 1),
                       channel="email", purpose="sneaky", status="due", created_at=ws.now()))


def test_opt_out_plans_only_stop_and_nothing_is_scheduled(seeded: Cli) -> None:
    rid = _log(seeded, "do_not_contact")
    plan = seeded("plan", str(rid), "--accept", "--json").json()
    assert [s["kind"] for s in plan["steps"]] == ["stop"] and plan["followups"] == []
    other = _log(seeded, "not_now")  # a later "no" from the same, opted-out contact
    plan = seeded("plan", str(other), "--accept", "--json").json()
    assert [s["kind"] for s in plan["steps"]] == ["stop"] and plan["followups"] == []
    result = seeded("reply", str(other))
    assert result.code == 1 and "do-not-contact" in result.err


def test_followup_transitions(seeded: Cli) -> None:
    rid = _log(seeded, "not_now", "--stage", "cold_call")
    stored = seeded("plan", str(rid), "--accept", "--json").json()["followups"]
    first, second = stored[0]["id"], stored[-1]["id"]
    done = seeded("done", str(first), "--json").json()
    assert done["status"] == "done"
    again = seeded("done", str(first))
    assert again.code == 1 and "already done" in again.err
    snoozed = seeded("snooze", str(second), "--until", "2027-07-04", "--json").json()
    # 4 July 2027 is a Sunday; Monday the 5th is the observed holiday.
    assert snoozed["status"] == "snoozed" and snoozed["due"] == "2027-07-06"
    moved = seeded("reschedule", str(second), "--to", "2027-08-02", "--json").json()
    assert moved["status"] == "due" and moved["due"] == "2027-08-02"
    assert seeded("skip", str(second), "--json").json()["status"] == "skipped"
    bad = seeded("reschedule", "999999", "--to", "2027-08-02")
    assert bad.code == 1 and "no follow-up" in bad.err


def test_snooze_into_a_cap_is_refused(seeded: Cli) -> None:
    rid = _log(seeded, "no_need")
    stored = seeded("plan", str(rid), "--accept", "--json").json()["followups"]
    nurture = [f for f in stored if f["rule"] == "gentle-nurture"]
    check = next(f for f in stored if f["rule"] == "check-back")
    assert nurture, stored
    # Moving the check-back next to a nurture touch would break the nurture cap (1 per 30
    # days); the thank-you does not count there, it answers their own message.
    near = date.fromisoformat(nurture[0]["due"]) + timedelta(days=1)
    while not is_business_day(near, "US"):
        near += timedelta(days=1)
    result = seeded("reschedule", str(check["id"]), "--to", near.isoformat())
    assert result.code == 1 and "nurture cap" in result.err


def test_signals(seeded: Cli) -> None:
    assert "visited (active)" in seeded("signal", "dana", "visited").err
    assert "ignored (passive)" in seeded("signal", "dana", "ignored").err
    bad = seeded("signal", "dana", "waved")
    assert bad.code == 1 and "expected one of" in bad.err
    rid = _log(seeded, "not_now")
    seeded("plan", str(rid), "--accept")
    out = seeded("signal", "dana", "unsubscribed", "--json").json()
    assert out["opted_out"] and out["cancelled_followups"] >= 1
    assert all(a["contact_name"] != "Dana Ruiz"
               for a in seeded("agenda", "--date", "2027-12-31", "--json").json())
    touch = seeded("touch", "dana", "--channel", "email")
    assert touch.code == 1 and "do-not-contact" in touch.err


def test_reply_draft_cooling_off_and_sent(seeded: Cli) -> None:
    rej = seeded("log", "--contact", "dana", "--label", "competitor_chosen", "--yes", "--json",
                 "--channel", "email").json()  # logged now: cooling off has just begun
    draft = seeded("reply", str(rej["id"]), "--sender", "Sam Lee", "--json").json()
    assert "Dana" in draft["body"] and "Sam Lee" in draft["body"] and draft["tone"]["calm"]
    early = seeded("reply", str(rej["id"]), "--sent")
    assert early.code == 1 and "cooling off" in early.err
    rid = _log(seeded, "not_interested")  # logged at 08:00, now is 09:30
    assert seeded("reply", str(rid), "--sent").code == 0


def test_tone(cli: Cli) -> None:
    flagged = cli("tone", "This is your LAST CHANCE, you should have signed!!")
    assert flagged.code == 0 and "pressuring" in flagged.out and "blaming" in flagged.out
    report = cli("tone", "Thanks for letting me know.", "--json").json()
    assert report == {"calm": True, "findings": []}
    piped = cli("tone", "-", "--json", stdin="Good luck with that.").json()
    assert piped["findings"][0]["quote"] == "Good luck with that"


def test_calendar_export(seeded: Cli, tmp_path: Path) -> None:
    rid = _log(seeded, "not_now")
    stored = seeded("plan", str(rid), "--accept", "--json").json()["followups"]
    ics = tmp_path / "f.ics"
    result = seeded("calendar", "export", str(ics), "--days", "400")
    assert result.code == 0 and f"Wrote {len(stored)} follow-up" in result.err
    cal = Calendar.from_ical(ics.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(stored)
    assert all(str(e.decoded("dtstart").tzinfo) == "America/New_York" for e in events)
    assert all("Why:" in str(e.get("description")) for e in events)
    first = [str(e.get("uid")) for e in events]
    seeded("calendar", "export", str(ics), "--days", "400")
    assert [str(e.get("uid")) for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")] \
        == first
    bad = seeded("calendar", "export", str(tmp_path / "nope" / "x.ics"))
    assert bad.code == 1 and "cannot write" in bad.err


def test_playbook_show_check_edit(seeded: Cli, tmp_path: Path) -> None:
    shown = seeded("playbook", "show")
    assert "rules:" in shown.out and "attempts: 9" in shown.out
    bad = tmp_path / "bad.yaml"
    bad.write_text("settings:\n  silence:\n    atempts: 3\n")
    result = seeded("playbook", "check", str(bad))
    assert result.code == 1 and f"{bad}, line 3" in result.err and "atempts" in result.err
    assert seeded("playbook", "edit", "--from", str(bad)).code == 1
    good = tmp_path / "team.yaml"
    good.write_text("rules:\n  - {id: top-of-small-company, enabled: false}\n"
                    "settings:\n  silence: {attempts: 12}\n")
    assert "valid" in seeded("playbook", "check", str(good)).err
    assert seeded("playbook", "edit", "--from", str(good)).code == 0
    assert "attempts: 12" in seeded("playbook", "show").out
    rid = _log(seeded, "not_interested")
    rules = {s["rule"] for s in seeded("plan", str(rid), "--json").json()["steps"]}
    assert "top-of-small-company" not in rules and "check-back" in rules


def test_agenda_is_ranked_by_ripeness(seeded: Cli) -> None:
    for label, who in (("not_now", "dana@acme.com"), ("not_interested", "lee@acme.com")):
        _log(seeded, label, who=who)
    for rid in (1, 2):
        seeded("plan", str(rid), "--accept")
    items = seeded("agenda", "--date", "2027-12-31", "--json").json()
    scores = [i["score"] for i in items]
    assert scores == sorted(scores, reverse=True) and len(items) >= 4
    assert all(i["ripeness"] and "overdue" in i["ripeness"] for i in items)


def test_cadence_counts_attempts_and_schedules_the_next(seeded: Cli) -> None:
    for when, channel in (("2026-11-16T10:00", "call"), ("2026-11-17T10:00", "voicemail")):
        seeded("touch", "dana", "--channel", channel, "--when", when)
    out = seeded("cadence", "dana", "--json").json()
    assert out["attempts"] == 2 and out["channels"] == ["call", "voicemail"]
    assert "silence is not a rejection yet" in out["silence"]
    assert out["channel"] == "email" and out["followup_id"] is None
    scheduled = seeded("cadence", "dana", "--schedule", "--json").json()
    assert scheduled["followup_id"] is not None
    assert is_business_day(date.fromisoformat(scheduled["day"]), "US")
    # asking again used to add one more attempt each time
    again = seeded("cadence", "dana", "--schedule", "--json").json()
    assert again["followup_id"] == scheduled["followup_id"] and again["day"] == scheduled["day"]
    listed = seeded("agenda", "--date", "2027-12-31", "--json").json()
    assert sum(1 for i in listed if i["followup_id"] == scheduled["followup_id"]) == 1
    assert sum(1 for i in listed if "Attempt" in (i.get("purpose") or "")) == 1
