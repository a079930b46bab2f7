"""`analyze`: the taxonomy's rules, evidence true to the original text, slots, bad input."""

from __future__ import annotations

from datetime import date

import pytest

from notnow.core.model import Label
from notnow.errors import InvalidInput
from notnow.understand import analyze

TODAY = date(2026, 11, 22)

JSON_KEYS = {"label", "also", "confidence", "evidence", "checkback", "checkback_phrase",
             "granularity", "return_date", "referral", "competitor", "capability",
             "language", "needs_review", "review_reason", "opt_out_suspected"}


def test_json_has_exactly_the_contract_keys() -> None:
    body = analyze("Not interested, thanks.", today=TODAY).to_json()
    assert set(body) == JSON_KEYS
    assert isinstance(body["also"], list) and isinstance(body["evidence"], list)
    assert 0.0 <= body["confidence"] <= 1.0


@pytest.mark.parametrize("text", [
    "We went with another vendor. Also, please remove me from your list.",
    "Budget is gone this year — and stop emailing me.",
    "Interesting product, but unsubscribe me please.",
    "Bitte keine weiteren E-Mails, wir haben schon eine Lösung.",
])
def test_an_opt_out_phrase_wins_over_everything(text: str) -> None:
    result = analyze(text, today=TODAY)
    assert result.label is Label.DO_NOT_CONTACT
    assert result.checkback is None  # never scheduled again
    assert any(e.label == "do_not_contact" for e in result.evidence)


def test_opt_out_keeps_the_other_reason_as_secondary() -> None:
    result = analyze("We signed with HubSpot last week. Please take me off your mailing list.",
                     today=TODAY)
    assert result.label is Label.DO_NOT_CONTACT
    assert Label.COMPETITOR_CHOSEN in result.also


@pytest.mark.parametrize("text", [
    "Thank you for your email. I am out of the office until 14 December with limited access "
    "to email. I'm not interested in anything new right now anyway.",
    "Delivery Status Notification (Failure)\nAddress not found: 550 5.1.1 user unknown",
    "Anna Schmidt no longer works at Grünwald GmbH. Please contact Tom Baker at tom@gw.example.",
])
def test_auto_replies_are_never_rejections(text: str) -> None:
    result = analyze(text, today=TODAY)
    assert result.label is Label.AUTO_REPLY
    assert all(label in (Label.DO_NOT_CONTACT,) for label in result.also)


def test_rfc_3834_headers_make_an_auto_reply() -> None:
    text = "Thanks for your message, we will answer soon."
    plain = analyze(text, today=TODAY)
    headed = analyze(text, today=TODAY, headers={"Auto-Submitted": "auto-replied"})
    assert headed.label is Label.AUTO_REPLY
    assert plain.label is not Label.AUTO_REPLY or plain.confidence < headed.confidence
    assert analyze(text, today=TODAY, headers={"Auto-Submitted": "no"}).label == plain.label
    assert analyze(text, today=TODAY, headers={"Precedence": "bulk"}).label is Label.AUTO_REPLY


def test_a_human_who_was_out_of_the_office_is_not_an_auto_reply() -> None:
    result = analyze("Sorry, I was out of the office last week. We're not interested though.",
                     today=TODAY)
    assert result.label is not Label.AUTO_REPLY


def test_two_reasons_give_a_secondary_label_and_a_competitor() -> None:
    result = analyze("We went with Acme Analytics, and anyway the budget is gone.", today=TODAY)
    assert {result.label, *result.also} >= {Label.COMPETITOR_CHOSEN, Label.NO_BUDGET}
    assert result.competitor == "Acme Analytics"


def test_generic_words_are_not_a_competitor() -> None:
    result = analyze("We decided to go with another provider.", today=TODAY)
    assert result.label is Label.COMPETITOR_CHOSEN
    assert result.competitor is None


def test_evidence_offsets_index_the_original_email() -> None:
    email = ("Hi Sam,\r\n\r\nThanks for the note. Our CFO won't approve it this year.\r\n\r\n"
             "Best regards,\r\nDana Ruiz\r\nVP Finance\r\n+1 (555) 014-2231\r\n\r\n"
             "On Tue, 3 Nov 2026 at 09:12, Sam <sam@example.com> wrote:\r\n"
             "> Please remove any doubt: we are the best. Unsubscribe link below.\r\n")
    result = analyze(email, today=TODAY)
    assert result.label is not Label.DO_NOT_CONTACT  # the quoted "unsubscribe" is ours
    assert result.evidence
    for ev in result.evidence:
        assert email[ev.start:ev.end] == ev.text
        assert ev.start < email.index("Best regards")


def test_html_bodies_are_read_and_offsets_point_into_the_html() -> None:
    html = ("<html><body><div>Hi&nbsp;Sam,</div><p>Please <b>remove me</b> from your list."
            "</p><blockquote>We help teams sell more. Interested?</blockquote></body></html>")
    result = analyze(html, today=TODAY)
    assert result.label is Label.DO_NOT_CONTACT
    ev = next(e for e in result.evidence if e.label == "do_not_contact")
    assert html[ev.start:ev.end] == ev.text and "remove me" in ev.text


def test_referral_to_a_named_person_in_a_department() -> None:
    result = analyze("Not my department — try Dana in Ops.", today=TODAY)
    assert result.label is Label.WRONG_PERSON
    assert result.referral is not None
    assert (result.referral.name, result.referral.role) == ("Dana", "Ops")
    assert result.referral.evidence is not None and result.referral.evidence.text.startswith(
        "Dana")


def test_departed_contact_gives_the_replacement() -> None:
    result = analyze("Anna no longer works here, please contact Tom Baker at tom@acme.example.",
                     today=TODAY)
    assert result.label is Label.AUTO_REPLY
    assert result.referral is not None
    assert result.referral.name == "Tom Baker" and result.referral.email == "tom@acme.example"


def test_role_referral() -> None:
    result = analyze("I don't handle this, talk to our CFO.", today=TODAY)
    assert result.label is Label.WRONG_PERSON
    assert result.referral is not None and result.referral.role == "CFO"


@pytest.mark.parametrize(("text", "capability"), [
    ("Without SSO it's a non-starter.", "SSO"),
    ("We need it on-prem.", "on-prem"),
    ("It doesn't integrate with Salesforce, so we can't use it.", "integration with Salesforce"),
])
def test_missing_capability_slot(text: str, capability: str) -> None:
    result = analyze(text, today=TODAY)
    assert Label.MISSING_CAPABILITY in {result.label, *result.also}
    assert result.capability == capability


def test_time_hint_becomes_a_checkback_with_its_phrase() -> None:
    text = "Not right now — try me again next quarter."
    result = analyze(text, today=TODAY)
    assert result.label is Label.NOT_NOW
    assert result.checkback is not None and result.checkback > TODAY
    assert result.checkback_phrase is not None and result.checkback_phrase in text
    assert result.granularity


def test_no_budget_next_fiscal_year_uses_the_fiscal_year_start() -> None:
    text = "No budget left; come back next fiscal year."
    april = analyze(text, today=TODAY, fiscal_year_start=4)
    assert april.label is Label.NO_BUDGET
    assert april.checkback is not None and april.checkback.month == 4
    unknown = analyze(text, today=TODAY)
    assert unknown.checkback is not None and unknown.checkback.month == 1


def test_out_of_office_return_date() -> None:
    result = analyze("I'm out of the office until 14 December with no access to email.",
                     today=TODAY)
    assert result.label is Label.AUTO_REPLY
    assert result.return_date is not None and result.return_date >= date(2026, 12, 14)


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text_is_a_clear_error(text: str) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        analyze(text, today=TODAY)


def test_binary_junk_is_a_clear_error() -> None:
    junk = bytes(range(256)).decode("latin-1") * 10
    with pytest.raises(InvalidInput, match="binary"):
        analyze(junk, today=TODAY)


def test_a_megabyte_of_text_gives_a_result() -> None:
    big = "We are not interested at the moment, thanks for asking. " * 18_000
    assert len(big) > 1_000_000
    result = analyze(big, today=TODAY)
    assert result.label is Label.NOT_INTERESTED
    for ev in result.evidence:
        assert big[ev.start:ev.end] == ev.text


def test_an_opt_out_at_the_end_of_a_long_email_still_counts() -> None:
    long = "We have looked at the numbers again this month and again last month. " * 120
    text = long + "\nAnyway, please unsubscribe me."
    result = analyze(text, today=TODAY)
    assert result.label is Label.DO_NOT_CONTACT
    ev = next(e for e in result.evidence if e.label == "do_not_contact")
    assert text[ev.start:ev.end] == ev.text and ev.start > len(long)


@pytest.mark.parametrize("text", [
    "今は結構です。来年またご連絡ください。",
    "Нам это сейчас не интересно.",
    "🙂🙂🙂",
])
def test_non_english_text_gives_a_result(text: str) -> None:
    result = analyze(text, today=TODAY)
    assert isinstance(result.label, Label)
    assert 0.0 <= result.confidence <= 1.0


def test_non_string_is_refused() -> None:
    with pytest.raises(InvalidInput):
        analyze(b"not interested", today=TODAY)  # type: ignore[arg-type]
