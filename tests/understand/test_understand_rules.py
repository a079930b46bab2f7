"""The precise rules: opt-outs and auto-replies, and what must not trigger them."""

from __future__ import annotations

from datetime import date

import pytest

from notnow.core.model import Label
from notnow.understand import analyze
from notnow.understand.rules import cue_hits, hard_hits, header_auto_reply


def _labels(text: str) -> set[Label]:
    return {h.label for h in hard_hits(text)}


@pytest.mark.parametrize("text", [
    "Remove me from your list.", "Please unsubscribe me", "STOP", "Stop emailing me.",
    "Take us off your mailing list please", "Do not contact me again.", "Lose my number.",
    "I never want to hear from you again", "No more emails, please.", "opt me out",
    "Please don't call this number.", "I would prefer not to be contacted.",
    "Under GDPR, delete all my personal data.", "I'll report this as spam.",
    "Merci de ne plus me contacter.", "Bitte keine weiteren E-Mails.",
    "Por favor, no me contacte más.", "Please stop. We are not interested.",
])
def test_opt_outs(text: str) -> None:
    assert Label.DO_NOT_CONTACT in _labels(text)


@pytest.mark.parametrize("text", [
    "Please stop by our booth at the fair.", "We stopped using spreadsheets last year.",
    "Your rep kept calling us every day.", "Don't call me before 10am, I'm in meetings.",
    "We will stop the project in March.", "Not interested, thanks.",
    "We don't need any more tools.", "Remove the old logo from the deck, then send it.",
])
def test_not_opt_outs(text: str) -> None:
    assert Label.DO_NOT_CONTACT not in _labels(text)


@pytest.mark.parametrize("text", [
    "Please discontinue these emails.", "Discontinue contacting me.",
    "Kindly discontinue all further communication.", "Please discontinue contact with me.",
    "I'd like you to halt sending me these messages.", "Please halt all outreach.",
    "Can you please discontinue sending emails to me?", "Cease receiving? No: quit the calls.",
    "We ask that you discontinue contacting our staff.", "Please discontinue.",
    "I want to cease receiving your newsletters.", "Discontinue emailing us, thanks.",
    "I'd like these emails discontinued.", "We want the calls to be stopped.",
])
def test_discontinue_and_its_kin_are_opt_outs(text: str) -> None:
    assert Label.DO_NOT_CONTACT in _labels(text)


@pytest.mark.parametrize("text", [
    "We discontinued the calls with that vendor.",
    "We'd like to discontinue the calls with Acme.",
    "We plan to discontinue the product line next year.",
    "To discontinue receiving our newsletter click here.",
    "You may discontinue receiving these messages at any time.",
    "If you would like to discontinue receiving these emails, reply STOP.",
    "Don't discontinue the emails, I read them.",
    "We never discontinue contact with our clients.",
    "We'd like the old product discontinued.", "The calls were discontinued last year.",
])
def test_discontinue_in_reports_plans_and_footers_is_not_an_opt_out(text: str) -> None:
    assert Label.DO_NOT_CONTACT not in _labels(text)


@pytest.mark.parametrize("text", [
    # a footer in the sender's own signature
    "Hi Sam,\n\nLet's talk Tuesday.\n\nBest,\nJo\nAcme Ltd\n"
    "To discontinue receiving Acme news, click here.",
    # our own line, quoted back
    "Sounds good, send times.\n\nOn Mon, 2 Nov 2026 at 10:00, Sam <sam@x.com> wrote:\n"
    "> Hi Jo\n> Reply and we will discontinue these emails.",
    "Sure, Tuesday works.\n\nCheers\nJo\n> Please discontinue contacting me",
])
def test_discontinue_in_footers_and_quotes_is_not_an_opt_out(text: str) -> None:
    assert analyze(text, today=date(2026, 11, 22)).label is not Label.DO_NOT_CONTACT


def test_a_discontinue_request_decides_the_reply() -> None:
    text = "Not interested in the platform. Please discontinue these emails."
    result = analyze(text, today=date(2026, 11, 22))
    assert result.label is Label.DO_NOT_CONTACT
    assert "discontinue these emails" in [e.text for e in result.evidence]


@pytest.mark.parametrize("text", [
    "I am out of the office until 14 July.", "Automatic reply: on annual leave",
    "Delivery Status Notification (Failure)", "550 5.1.1 user unknown",
    "Dana has left the company.", "This mailbox is no longer monitored.",
    "Ich bin bis zum 5. Mai nicht im Büro.", "Je suis absent du bureau jusqu'au 3 mars.",
    "Estoy fuera de la oficina hasta el lunes.",
])
def test_auto_replies(text: str) -> None:
    assert Label.AUTO_REPLY in _labels(text)


@pytest.mark.parametrize("text", [
    "I was out of the office last week, sorry for the delay.",
    "We're away from anything new this year.",
])
def test_not_auto_replies(text: str) -> None:
    assert Label.AUTO_REPLY not in _labels(text)


@pytest.mark.parametrize(("headers", "expected"), [
    ({"Auto-Submitted": "auto-replied"}, "Auto-Submitted"),
    ({"auto-submitted": "auto-generated"}, "Auto-Submitted"),
    ({"Auto-Submitted": "no"}, None),
    ({"X-Autoreply": "yes"}, "x-autoreply"),
    ({"Precedence": "bulk"}, "Precedence"),
    ({"Precedence": "list"}, None),
    ({"Subject": "Automatic reply: Intro"}, "Subject"),
    ({"From": "MAILER-DAEMON@mx.example"}, "From"),
    ({}, None),
    (None, None),
])
def test_header_auto_reply(headers: dict[str, str] | None, expected: str | None) -> None:
    assert header_auto_reply(headers) == expected


def test_cues_carry_spans() -> None:
    text = "We went with Acme, and the budget is frozen."
    hits = {h.label: text[h.start:h.end] for h in cue_hits(text)}
    assert hits[Label.COMPETITOR_CHOSEN] == "went with"
    assert hits[Label.NO_BUDGET].startswith("budget is")


def test_referral_cue_needs_a_capitalised_name() -> None:
    assert Label.WRONG_PERSON in {h.label for h in cue_hits("Try Dana in Ops.")}
    assert Label.WRONG_PERSON not in {h.label for h in cue_hits("try again in a month")}
