"""The sender's own words, on replies written as mail clients in 11 languages write them."""

from __future__ import annotations

import pytest
from reply_cases import CASES

from notnow.mail import own_words


@pytest.mark.parametrize(("name", "body", "expected"), CASES, ids=[c[0] for c in CASES])
def test_own_words(name: str, body: str, expected: str) -> None:
    assert own_words(body) == expected


@pytest.mark.parametrize("body", [
    "On Monday we decided against it. Try again in May.",
    "Thanks!",
    "Best",
    "From: the board's point of view, this is not a priority.",
])
def test_words_that_look_like_markers_are_kept(body: str) -> None:
    assert own_words(body) == body


def test_crlf_and_cr_bodies() -> None:
    body = "No budget.\r\n\r\nOn Tue, Nov 3, 2026 Sam <s@v.io> wrote:\r\n> hi\r\n"
    assert own_words(body) == "No budget."
    assert own_words(body.replace("\r\n", "\r")) == "No budget."


def test_a_bare_forward_yields_the_forwarded_words() -> None:
    body = ("---------- Forwarded message ---------\nFrom: Dana <dana@buyer.com>\n"
            "Date: Tue, Nov 3, 2026\nSubject: Re: Hi\nTo: Sam <sam@vendor.io>\n\n"
            "We chose another vendor.\n")
    assert own_words(body) == "We chose another vendor."


def test_hostile_body_is_bounded() -> None:
    body = ("On " + "x" * 100_000 + "\n") * 3 + ("> q\n" * 50_000) + "own"
    assert own_words(body).startswith("On xxx")
    assert own_words("") == ""
