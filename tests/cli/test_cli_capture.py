"""Logging rejections, touches and do-not-contact through the CLI."""

from __future__ import annotations

import pytest


@pytest.fixture
def seeded(cli):  # type: ignore[no-untyped-def]
    cli("account", "add", "Acme Corp", "--country", "US", "--timezone", "America/New_York")
    cli("contact", "add", "Dana Ruiz", "--account", "acme", "--email", "dana@acme.com")
    cli("contact", "add", "Lee Park", "--account", "acme", "--email", "lee@acme.com",
        "--role", "gatekeeper")
    return cli


def test_log_with_label_and_checkback(seeded) -> None:  # type: ignore[no-untyped-def]
    cli = seeded
    rej = cli("log", "--contact", "dana@acme.com", "--label", "not_now", "--stage", "proposal",
              "--channel", "email", "--notes", "she was kind", "--feelings", "flat", "--yes",
              "--json").json()
    assert rej["label"] == "not_now" and rej["label_source"] == "manual"
    assert rej["stage"] == "proposal" and rej["notes"] == "she was kind"
    listed = cli("rejections", "--json").json()
    assert [r["id"] for r in listed] == [rej["id"]]


def test_log_reads_stdin(seeded) -> None:  # type: ignore[no-untyped-def]
    rej = seeded("log", "--contact", "dana", "--text", "-", "--label", "price", "--yes",
                 "--json", stdin="Way over what we can justify.\n").json()
    assert rej["text"].startswith("Way over")


@pytest.mark.parametrize(
    ("stdin", "message"),
    [("", "standard input is empty"), ("   \n", "standard input is empty"),
     (b"\x00\x01\x02binary", "looks binary"), (b"\xff\xfe\xfa", "not UTF-8")],
)
def test_log_rejects_bad_stdin(seeded, stdin, message) -> None:  # type: ignore[no-untyped-def]
    result = seeded("log", "--contact", "dana", "--text", "-", "--label", "price", "--yes",
                    stdin=stdin)
    assert result.code == 1 and message in result.err
    assert seeded("rejections", "--json").json() == []


def test_log_needs_words_or_label(seeded) -> None:  # type: ignore[no-untyped-def]
    result = seeded("log", "--contact", "dana", "--yes")
    assert result.code == 1 and "--text" in result.err
    assert seeded("log", "--yes", "--label", "price").code == 1


def test_log_unknown_label_stage_channel(seeded) -> None:  # type: ignore[no-untyped-def]
    for args, field in [(("--label", "maybe"), "label"), (("--stage", "demo"), "stage"),
                        (("--channel", "fax"), "channel"), (("--when", "yesterday"), "--when")]:
        result = seeded("log", "--contact", "dana", "--label", "price", *args, "--yes") \
            if args[0] != "--label" else seeded("log", "--contact", "dana", *args, "--yes")
        assert result.code == 1 and field in result.err, result.err
    assert seeded("rejections", "--json").json() == []


def test_opt_out_marks_dnc_and_blocks_everything(seeded) -> None:  # type: ignore[no-untyped-def]
    cli = seeded
    cli("log", "--contact", "dana", "--label", "not_now", "--yes")
    rej = cli("log", "--contact", "dana", "--label", "do_not_contact", "--text",
              "Remove me from your list.", "--yes", "--json").json()
    assert rej["label"] == "do_not_contact"
    contact = cli("contact", "show", "dana", "--json").json()
    assert contact["do_not_contact"] is True and contact["dnc_source"] == "prospect"
    refused = cli("touch", "dana", "--channel", "call")
    assert refused.code == 1
    assert "do-not-contact" in refused.err and "Remove me" in refused.err
    assert cli("touch", "dana", "--channel", "email", "--direction", "inbound").code == 0
    listed = cli("dnc", "--list", "--json").json()
    assert [d["contact_name"] for d in listed] == ["Dana Ruiz"]


def test_manual_dnc_needs_reason_and_cancels_followups(seeded) -> None:  # type: ignore[no-untyped-def]
    cli = seeded
    assert cli("dnc", "lee").code == 1
    assert cli("dnc").code == 1
    mark = cli("dnc", "lee", "--reason", "asked on the phone", "--json").json()
    assert mark["source"] == "manual" and mark["reason"] == "asked on the phone"
    again = cli("dnc", "lee", "--reason", "other", "--json").json()
    assert again["since"] == mark["since"] and again["reason"] == "asked on the phone"


def test_touch_records_and_validates(seeded) -> None:  # type: ignore[no-untyped-def]
    t = seeded("touch", "dana", "--channel", "voicemail", "--outcome", "left message",
               "--when", "2026-11-20T15:00", "--json").json()
    assert t["channel"] == "voicemail" and t["at"].startswith("2026-11-20T15:00")
    assert seeded("touch", "dana", "--channel", "pigeon").code == 1
    assert seeded("touch", "nobody", "--channel", "call").code == 1


def test_agenda_lists_due_followups(seeded) -> None:  # type: ignore[no-untyped-def]
    cli = seeded
    cli("log", "--contact", "dana", "--label", "not_now", "--yes", "--when", "2026-09-01")
    empty = cli("agenda", "--json")
    assert empty.code == 0 and isinstance(empty.json(), list)
    assert "Agenda for" in cli("agenda").out


def test_log_reads_the_words_plans_and_schedules(seeded) -> None:  # type: ignore[no-untyped-def]
    out = seeded("log", "--contact", "dana", "--text",
                 "Budget is gone for this year, try me in April.", "--yes", "--json").json()
    assert out["label"] == "no_budget" and out["label_source"] == "model"
    assert out["checkback"] == "2027-04-01"
    steps = out["plan"]["steps"]
    assert {s["kind"] for s in steps} >= {"thank", "checkback"}
    assert all(s["rule"] and s["why"] for s in steps)
    scheduled = {f["due"] for f in out["plan"]["followups"]}
    assert "2027-04-01" in scheduled
    agenda = seeded("agenda", "--date", "2027-04-01", "--json").json()
    assert any(a["contact_name"] == "Dana Ruiz" for a in agenda)


def test_log_without_yes_only_proposes_the_plan(seeded) -> None:  # type: ignore[no-untyped-def]
    result = seeded("log", "--contact", "dana", "--text", "Not interested, thanks.")
    assert result.code == 0
    assert "notnow plan" in result.out and "--accept" in result.out


def test_opt_out_words_mark_dnc_with_no_plan_but_stop(seeded) -> None:  # type: ignore[no-untyped-def]
    out = seeded("log", "--contact", "dana", "--text",
                 "Please stop emailing me and remove me from your list.", "--yes",
                 "--json").json()
    assert out["label"] == "do_not_contact"
    assert [s["kind"] for s in out["plan"]["steps"]] == ["stop"]
    assert out["plan"]["followups"] == []
    contact = seeded("contact", "show", "dana", "--json").json()
    assert contact["do_not_contact"] and "remove me" in contact["dnc_reason"].lower()


def test_words_from_an_opted_out_contact_are_kept_but_nothing_scheduled(seeded) -> None:  # type: ignore[no-untyped-def]
    seeded("dnc", "dana", "--reason", "asked on the phone")
    out = seeded("log", "--contact", "dana", "--text", "Try me again in April.", "--yes",
                 "--json").json()
    assert out["checkback"] == "2027-04-01"
    assert out["followups"] == [] and out["plan"]["followups"] == []
    assert [s["kind"] for s in out["plan"]["steps"]] == ["stop"]
