"""The precise rules: opt-outs and auto-replies, and what must not trigger them."""

from __future__ import annotations

import pytest

from notnow.core.model import Label
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
