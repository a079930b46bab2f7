"""Reply drafts: threaded, "Re:" once, and no header injection from hostile values."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from mailcorpus import MESSAGES

from notnow.errors import InvalidInput
from notnow.mail import DraftAddress, build_draft, parse_message, reply_subject

SAM = DraftAddress("sam@vendor.io", "Sam Seller")
DANA = DraftAddress("dana@buyer.com", "Dana Buyer")


def test_draft_threads_to_the_prospects_message_and_reads_back() -> None:
    original = parse_message(MESSAGES["outlook_cp1252"])
    assert original.message_id is not None
    draft = build_draft(from_=SAM, to=DANA, body="Thank you, Dana — may I ask why Acme won?",
                        subject=original.subject, in_reply_to=original.message_id,
                        references=original.references,
                        now=datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    back = parse_message(bytes(draft))
    assert back.subject == "Re: Proposal for Q1"
    assert back.in_reply_to == original.message_id
    assert back.references == ("proposal-42@vendor.io", original.message_id)
    assert back.from_ is not None and back.from_.email == "sam@vendor.io"
    assert [a.email for a in back.to] == ["dana@buyer.com"]
    assert back.text.strip() == "Thank you, Dana — may I ask why Acme won?"
    assert back.message_id and back.message_id.endswith("@vendor.io")
    assert back.date == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert b"\r\n" in bytes(draft)  # SMTP line ends, as IMAP APPEND expects


@pytest.mark.parametrize(("subject", "expected"), [
    ("Proposal", "Re: Proposal"), ("RE: Proposal", "Re: Proposal"),
    ("AW: Re: SV: Angebot", "Re: Angebot"), ("Re[2]: Ping", "Re: Ping"), ("", "Re:"),
])
def test_reply_subject(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected


@pytest.mark.parametrize("kwargs", [
    {"to": DraftAddress("dana@buyer.com\r\nBcc: all@x.io")},
    {"to": DraftAddress("dana@buyer.com", "Dana\nBcc: all@x.io")},
    {"subject": "Hi\r\nBcc: all@x.io"},
    {"in_reply_to": "<a@b>\r\nBcc: all@x.io"},
    {"to": DraftAddress("not an address")},
    {"body": "   "},
])
def test_hostile_or_empty_values_are_refused(kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"from_": SAM, "to": DANA, "body": "Thanks", "subject": "Hi"}
    args.update(kwargs)
    with pytest.raises(InvalidInput):
        build_draft(**args)  # type: ignore[arg-type]
