"""Tone check: quotes the words found, says what kind of problem, offers calmer wording."""

from __future__ import annotations

import pytest

from notnow.core.tone import ToneIssue, check_tone


@pytest.mark.parametrize(
    ("text", "issue", "quote"),
    [
        ("Honestly this decision is ridiculous.", ToneIssue.HOSTILE, "ridiculous"),
        ("You wasted my time with this.", ToneIssue.HOSTILE, "wasted my time"),
        ("OK then. Thanks for nothing.", ToneIssue.SARCASTIC, "Thanks for nothing"),
        ("Oh great, another vendor.", ToneIssue.SARCASTIC, "Oh great"),
        ("Good luck with that vendor.", ToneIssue.SARCASTIC, "Good luck with that"),
        ("After all I've done for you?", ToneIssue.GUILT_TRIPPING, "After all I've done"),
        ("I spent hours on this proposal.", ToneIssue.GUILT_TRIPPING, "I spent hours"),
        ("This is your last chance to sign.", ToneIssue.PRESSURING, "last chance"),
        ("Please decide today.", ToneIssue.PRESSURING, "decide today"),
        ("You should have read the proposal.", ToneIssue.BLAMING, "You should have"),
        ("You'll regret this choice.", ToneIssue.BLAMING, "You'll regret"),
        ("Why WOULD YOU do that", ToneIssue.SHOUTING, "WOULD YOU"),
        ("Really?!", ToneIssue.SHOUTING, "?!"),
    ],
)
def test_flags_and_quotes(text: str, issue: ToneIssue, quote: str) -> None:
    report = check_tone(text)
    assert not report.calm
    hits = [f for f in report.findings if f.issue == issue]
    assert hits, report.summary()
    assert hits[0].quote == quote
    assert text[hits[0].start:hits[0].end] == quote
    assert hits[0].suggestion


def test_calm_text_passes() -> None:
    text = ("Thank you for letting me know, Anna. May I ask what made the difference? "
            "I will check back in March. We support SSO and GDPR requests via the API.")
    report = check_tone(text)
    assert report.calm and report.summary() == "calm: nothing to change"


def test_several_issues_are_listed_in_text_order() -> None:
    report = check_tone("Act now: it is your fault if you miss this LAST CHANCE!!")
    starts = [f.start for f in report.findings]
    assert starts == sorted(starts)
    assert {ToneIssue.PRESSURING, ToneIssue.BLAMING, ToneIssue.SHOUTING} <= set(report.issues)
