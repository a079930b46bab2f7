"""Text preparation: the prospect's own words, with a map back to the original."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notnow.understand.textprep import prepare

REPLY = "Not for us right now, try me in Q3."


@pytest.mark.parametrize("tail", [
    "\n\nOn Mon, Nov 2, 2026 at 9:00 AM Bob <bob@x.example> wrote:\n> Hi,\n> a demo?\n",
    "\n\nOn Mon, Nov 2, 2026 at 9:00 AM Bob Smith <\nbob@x.example> wrote:\n> Hi\n",
    "\n\n-----Original Message-----\nFrom: Bob\nSent: Monday\nTo: Jane\nSubject: demo\n\nHi",
    "\n\nFrom: Bob <bob@x.example>\nSent: Monday, 2 November 2026\nTo: Jane\nSubject: Re: x\n\nHi",
    "\n\n________________________________\nFrom: Bob\nSent: Monday\n",
    "\n> quoted line one\n> quoted line two",
    "\n\nBest regards,\nJane Doe\nVP Operations\nHarbor Freight Logistics\n+1 (555) 014-2231",
    "\n--\nJane\nCONFIDENTIALITY NOTICE: this e-mail is confidential.",
    "\n\nThis email and any attachments are confidential and intended solely for the addressee.",
    "\n\nSent from my iPhone",
    "\n\nAm 02.11.2026 um 09:00 schrieb Bob <bob@x.example>:\n> Hallo",
])
def test_history_signatures_and_footers_are_removed(tail: str) -> None:
    assert prepare(REPLY + tail).text == REPLY


def test_forwarded_message_keeps_the_forwarded_body() -> None:
    raw = ("---------- Forwarded message ---------\nFrom: Jane <j@x.example>\nDate: Mon\n"
           "Subject: Re: hi\nTo: Bob\n\nPlease remove me from your list.\n\n"
           "On Sun, Bob wrote:\n> hi")
    assert prepare(raw).text == "Please remove me from your list."


def test_sign_off_inside_a_sentence_is_kept() -> None:
    raw = "Thanks, but we went with another vendor.\nCheers, and good luck."
    assert prepare(raw).text == raw


def test_html_becomes_text_without_quotes_scripts_or_entities() -> None:
    html = ("<html><head><style>p{color:red}</style></head><body><div>Hi&nbsp;Bob,</div>"
            "<p>We&#39;re locked in with Acme &amp; Co until 2028.</p>"
            "<div class=\"gmail_quote\">On Mon wrote:<blockquote>old</blockquote></div>"
            "<script>alert(1)</script></body></html>")
    prep = prepare(html)
    assert prep.text == "Hi Bob,\nWe're locked in with Acme & Co until 2028."
    start = prep.text.index("Acme")
    a, b = prep.to_original(start, start + len("Acme & Co"))
    assert html[a:b] == "Acme &amp; Co"


def test_everything_quoted_falls_back_to_the_text() -> None:
    raw = "> only a quote\n> nothing else"
    assert "only a quote" in prepare(raw).text


@given(st.lists(st.sampled_from([
    "We are fine.", "", "> old", "Best regards,", "Dana", "On Mon, Bob wrote:",
    "Tel: +1 555 010 2000", "<p>Hi &amp; bye</p>", "  spaced  ", "Budget is gone.\r",
]), min_size=1, max_size=12))
def test_every_clean_span_maps_to_the_same_words_in_the_original(lines: list[str]) -> None:
    raw = "\n".join(lines)
    prep = prepare(raw)
    for word_start in range(len(prep.text)):
        if prep.text[word_start].isalpha() and (word_start == 0
                                                or not prep.text[word_start - 1].isalpha()):
            end = word_start
            while end < len(prep.text) and prep.text[end].isalpha():
                end += 1
            a, b = prep.to_original(word_start, end)
            assert raw[a:b] == prep.text[word_start:end]
