"""The rules on replies met in the field: opt-outs in many forms (and boilerplate that only
looks like one), cues in any case, out-of-office, departure and bounce notices."""

from __future__ import annotations

from datetime import date

import pytest

from notnow.core.model import Label
from notnow.understand import analyze
from notnow.understand.rules import cue_hits, hard_hits

TODAY = date(2026, 11, 22)


def _dnc(text: str) -> bool:
    return any(h.label is Label.DO_NOT_CONTACT for h in hard_hits(text))


@pytest.mark.parametrize("text", [
    "Quit spamming me.", "Stop the spam.", "Stop with the emails.", "Drop me from your list.",
    "I've reported this as spam.", "Reported as spam.", "GDPR: delete my data.",
    "I request the deletion of my personal data.", "Never contact us again.",
    "Please take us off your outreach.", "Add me to your do not call list.",
    "Not interested – remove", "Not interested, stop.", "Stop, please. We use a tool already.",
    "I unsubscribed last week and still get these.", "unsuscribe", "I opted out already.",
    "Who gave you my email?", "I never asked for these emails.", "Please remove me from this.",
    "I'd like to be removed.", "Don’t contact me again.", "Don’t email me.",
    "Told me to stop calling.", "asked us not to contact them again", "Marked DNC.",
    "Bitte entfernen Sie mich aus Ihrem Verteiler.", "Ne m'envoyez plus rien.",
    "No quiero recibir más correos.", "Niet meer mailen aub.", "Non scrivermi più.",
    "Remova-me da lista.", "配信停止してください",
    "We ask that you no longer contact any of our staff.",
])
def test_more_opt_outs(text: str) -> None:
    assert _dnc(text)


@pytest.mark.parametrize("text", [
    "We are not interested.", "We're not interested at this time, thanks.",
    "Not interested.", "Subscribe me to the newsletter.", "I asked for a demo.",
    "Did you get my email?", "She asked me to stop sending PDFs and use the portal.",
    "We stopped the calls with that vendor.", "All correspondence goes to our main office.",
    "To unsubscribe from these emails click here.",
    "You are receiving this email because you signed up. Unsubscribe | Manage preferences",
    "If you no longer wish to receive our emails, you can unsubscribe at any time.",
    "Please drop by on Tuesday.",
])
def test_boilerplate_and_plain_noes_are_not_opt_outs(text: str) -> None:
    assert not _dnc(text)


@pytest.mark.parametrize("text", [
    # an unsubscribe footer in the sender's own signature
    "Hi Sam,\n\nLet's talk Tuesday.\n\nBest,\nJo\nAcme Ltd\n"
    "To unsubscribe from Acme news click here.",
    # our own opt-out line, quoted back
    "Sounds good, send times.\n\nOn Mon, 2 Nov 2026 at 10:00, Sam <sam@x.com> wrote:\n"
    "> Hi Jo\n> Reply STOP to opt out. Unsubscribe",
    # quoted lines without a header
    "Sure, Tuesday works.\n\nCheers\nJo\n> Remove me from your list",
    # a legal footer
    "Not right now, maybe in March.\n\nRegards,\nJo\n\n"
    "If you no longer wish to receive emails from us, unsubscribe here.",
])
def test_footers_and_quotes_do_not_make_an_opt_out(text: str) -> None:
    assert analyze(text, today=TODAY).label is not Label.DO_NOT_CONTACT


def test_an_opt_out_after_the_sign_off_still_counts() -> None:
    text = ("Hi Sam,\n\nWe went with another vendor.\n\nThanks,\nJo\n\n"
            "P.S. please take me off your mailing list.")
    result = analyze(text, today=TODAY)
    assert result.label is Label.DO_NOT_CONTACT
    assert any(e.text == "take me off your mailing" for e in result.evidence)
    assert all(text[e.start:e.end] == e.text for e in result.evidence)


def test_opt_out_wins_over_a_plain_no() -> None:
    result = analyze("Not interested, and please don't contact me again.", today=TODAY)
    assert result.label is Label.DO_NOT_CONTACT


@pytest.mark.parametrize(("text", "label"), [
    ("Too expensive for us.", Label.PRICE),  # cues read any case
    ("Not the right time, circle back in spring.", Label.NOT_NOW),
    ("We don't really need this.", Label.NO_NEED),
    ("Sounds interesting, can you send a deck?", Label.INTERESTED),
    ("She's in meetings all day, I'll pass your message along.", Label.GATEKEEPER),
])
def test_cues(text: str, label: Label) -> None:
    assert label in {h.label for h in cue_hits(text)}


@pytest.mark.parametrize("text", ["Try March, not now.", "Talk to me in September."])
def test_a_month_is_not_a_referral(text: str) -> None:
    assert Label.WRONG_PERSON not in {h.label for h in cue_hits(text)}


def _auto(text: str) -> bool:
    return any(h.label is Label.AUTO_REPLY for h in hard_hits(text))


@pytest.mark.parametrize("text", [
    "I'm travelling until Monday with limited access to email.", "OOO until 3/4",
    "This email account is not monitored.", "The email address you sent to is no longer active.",
    "Undelivered Mail Returned to Sender",
    "Delivery to the following recipient failed permanently: x@y.com",
    "Our office is closed until 2 January.", "I'm no longer with Acme.", "I'm off until Monday.",
    "Jane Doe left the company in May; please write to info@acme.example.",
])
def test_more_auto_replies(text: str) -> None:
    assert _auto(text)


@pytest.mark.parametrize("text", [
    "I'm off to a meeting, call me next week.", "I left you a voicemail.",
    "We're no longer working with that vendor.",
    "Our champion for this project left the company, so it's on hold.",
])
def test_not_auto_replies_either(text: str) -> None:
    assert not _auto(text)
