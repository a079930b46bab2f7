"""Parsing real-looking mail: charsets that lie, raw 8-bit headers, encoded words, line ends,
HTML-only bodies, forwards, winmail.dat, bounces, and hostile input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from mailcorpus import MESSAGES, crlf

from notnow.errors import MailError
from notnow.mail import parse_message
from notnow.mail.charsets import decode_bytes, header_text
from notnow.mail.parse import MAX_MESSAGE_BYTES, message_id_hash


def parsed(name: str):  # type: ignore[no-untyped-def]
    return parse_message(MESSAGES[name], source=f"{name}.eml", number=1)


def test_gmail_reply_threading_addresses_and_own_words() -> None:
    m = parsed("gmail_de")
    assert m.message_id == "CAKjonas-reply-1@mail.gmail.com"
    assert m.in_reply_to == "CAB0ut0ne-1@mail.vendor.io"
    assert m.references == ("CAB0ut0ne-1@mail.vendor.io",)
    assert m.from_ is not None and m.from_.email == "jonas.kaeufer@kaeufer.de"
    assert m.from_.name == "Jonas Käufer"
    assert [a.email for a in m.to] == ["sam@vendor.io"]
    assert m.date == datetime(2026, 11, 3, 9, 20, 1, tzinfo=UTC)
    assert m.subject == "Re: Kurze Frage zu Ihrem Einkauf"
    assert not m.html_only  # the text/plain alternative was read
    assert m.own_words == ("Vielen Dank, aber wir haben aktuell kein Budget dafür. Melden Sie "
                           "sich\nbitte im Frühjahr wieder.")
    assert m.fingerprint == message_id_hash("<CAKjonas-reply-1@mail.gmail.com>")


def test_latin1_label_on_windows_1252_bytes_reads_curly_quotes_and_euro() -> None:
    m = parsed("outlook_cp1252")
    assert "We’ve decided to go with Acme – their price was € 2,000 lower." in m.text
    assert "“final”" in m.own_words
    assert "Dana, any news" not in m.own_words  # the Outlook header block is history
    assert [a.email for a in m.cc] == ["procurement@buyer.com"]


def test_html_only_body_becomes_text_without_the_quoted_part() -> None:
    m = parsed("html_only_fr")
    assert m.html_only
    assert m.subject == "Réponse à votre message"
    assert "recontactez-moi en septembre, merci à vous" in m.own_words
    assert "auriez-vous" not in m.own_words
    assert "<p>" not in m.text and "margin" not in m.text


def test_raw_8bit_headers_are_read_as_utf8() -> None:
    m = parsed("raw_8bit_headers")
    assert m.subject == "Sv: Snabb fråga om leverantör"
    assert m.from_ is not None and m.from_.name == "Erik Köpare"
    assert m.own_words == "Vi har redan en leverantör, tack. Hör av dig efter sommaren."


def test_broken_encoded_words_are_decoded_where_possible_and_left_otherwise() -> None:
    m = parsed("broken_encoded_words")
    # unknown charset, missing padding, adjacent words joined, the broken one left as it is
    assert m.subject.startswith("Nu niet, misschien volgend jaar één keer")
    assert m.from_ is not None and m.from_.name == "Daan Koper"
    assert m.text.strip() == "Nu niet, misschien volgend jaar. Groetjes — Daan"


def test_unknown_8bit_charset_falls_back_to_windows_1252() -> None:
    m = parsed("unknown_charset_latin")
    assert m.text.strip() == "Gracias, pero no tenemos presupuesto este año. “Quizás” en marzo."


@pytest.mark.parametrize("variant", ["lf", "crlf", "cr"])
def test_line_endings_do_not_change_what_is_read(variant: str) -> None:
    base = MESSAGES["cr_only"].replace(b"\r", b"\n")
    data = {"lf": base, "crlf": crlf(base), "cr": MESSAGES["cr_only"]}[variant]
    m = parse_message(data)
    assert m.subject == "Re: Ping"
    assert m.date == datetime(2026, 11, 9, 14, 0, tzinfo=UTC)
    assert m.own_words == "Not now. Ping me in Q2."


def test_forwarded_message_is_read_one_level_deep() -> None:
    m = parsed("forward_rfc822")
    assert m.own_words == "FYI: see below, she said no for now."
    (fwd,) = m.forwarded
    assert fwd.from_ is not None and fwd.from_.email == "priya@buyer.com"
    assert fwd.subject == "Re: Demo next week?"
    assert fwd.text.strip() == "We're mid-migration. Come back in February, please."
    assert "mid-migration" not in m.text  # the forward is not the sender's own text


def test_winmail_dat_is_ignored_and_said_when_it_holds_the_only_body() -> None:
    assert parsed("winmail").own_words == "We have no budget left this year, sorry."
    only = parsed("winmail_only")
    assert only.text == ""
    assert any("winmail.dat" in p for p in only.problems)


def test_dsn_lists_failed_and_delayed_recipients_with_status_codes() -> None:
    m = parsed("dsn_postfix")
    assert m.is_bounce
    assert [(f.email, f.status, f.action, f.permanent) for f in m.failed_recipients] == [
        ("old.contact@buyer.com", "5.1.1", "failed", True),
        ("slow@kaeufer.de", "4.4.1", "delayed", False)]
    assert "User unknown" in (m.failed_recipients[0].diagnostic or "")


def test_bounces_without_a_dsn_part() -> None:
    qmail = parsed("bounce_qmail")
    assert qmail.is_bounce
    assert [(f.email, f.status) for f in qmail.failed_recipients] == [("gone@koper.nl", "5.1.1")]
    exim = parsed("bounce_exim")
    assert exim.is_bounce and [f.email for f in exim.failed_recipients] == [
        "nobody@acheteuse.fr"]


def test_auto_reply_and_list_headers_are_read() -> None:
    de = parsed("autoreply_de")
    assert de.auto_submitted == "auto-replied" and de.precedence == "bulk"
    assert de.understand_headers()["auto-submitted"] == "auto-replied"
    assert parsed("autoreply_exchange").auto_reply_headers == (
        "x-auto-response-suppress: All",)
    nl = parsed("newsletter")
    assert nl.list_id == "Buyer Weekly <weekly.buyerweekly.com>"
    assert nl.list_unsubscribe and "mailto:unsub@buyerweekly.com" in nl.list_unsubscribe


def test_duplicate_headers_first_wins_and_missing_date_comes_from_received() -> None:
    m = parsed("duplicate_headers")
    assert m.subject == "First subject" and m.message_id == "dup-1@buyer.com"
    assert m.date == datetime(2026, 11, 20, 15, 16, 17, tzinfo=UTC)
    assert len(m.problems) == 2


def test_a_message_without_message_id_gets_a_content_fingerprint() -> None:
    a = parsed("no_message_id")
    assert a.message_id is None and a.fingerprint.startswith("c:")
    assert parse_message(MESSAGES["no_message_id"]).fingerprint == a.fingerprint
    assert parse_message(MESSAGES["no_message_id"] + b"x").fingerprint != a.fingerprint


def test_message_id_hash_ignores_brackets_and_case() -> None:
    assert message_id_hash("<ABC@x.io>") == message_id_hash("abc@X.IO")


def test_every_corpus_message_reads_the_same_with_crlf() -> None:
    for name, data in MESSAGES.items():
        a, b = parse_message(data), parse_message(crlf(data))
        assert (a.subject, a.own_words, a.from_) == (b.subject, b.own_words, b.from_), name


@pytest.mark.parametrize(("data", "why"), [
    (b"", "empty message"),
    (b"   \n\n", "empty message"),
    (b"just some words without any header line at all", "no headers"),
])
def test_unreadable_messages_raise_mail_error_with_where_and_why(data: bytes, why: str) -> None:
    with pytest.raises(MailError) as info:
        parse_message(data, source="inbox.mbox", number=7)
    assert info.value.source == "inbox.mbox" and info.value.number == 7
    assert str(info.value).startswith("inbox.mbox, message 7: ") and why in str(info.value)


def test_too_large_message_is_refused_before_parsing() -> None:
    with pytest.raises(MailError, match="too large"):
        parse_message(b"Subject: x\n\n" + b"a" * (MAX_MESSAGE_BYTES + 1), source="big.eml")


def test_hostile_headers_and_nesting_are_bounded() -> None:
    many_to = b"To: " + b", ".join(b"u%d@x.io" % i for i in range(5000)) + b"\n"
    words = b"Subject: " + b" ".join([b"=?utf-8?B?w6k=?="] * 20000) + b"\n"
    nested = b"Content-Type: multipart/mixed; boundary=b0\n\n"
    for depth in range(1, 60):
        nested += b"--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n" % (depth - 1, depth)
    data = b"From: a@b.io\n" + many_to + words + b"Message-ID: <h@x>\n" + nested
    m = parse_message(data)
    assert len(m.to) == 500 and any("more than 500" in p for p in m.problems)
    assert m.subject.startswith("éé") and len(m.subject) <= 64 * 1024
    assert any("nesting" in p for p in m.problems)


def test_control_characters_and_header_injection_never_reach_the_text() -> None:
    data = (b"From: \"Eve\x00\x1b[31m\" <eve@x.io>\nSubject: =?utf-8?Q?hi=0D=0ABcc:_x@y.io?=\n"
            b"Message-ID: <e@x>\n\nhello\x00\x07 world\n")
    m = parse_message(data)
    assert "\r" not in m.subject and "\n" not in m.subject
    assert m.from_ is not None and "\x00" not in m.from_.name and "\x1b" not in m.from_.name
    assert "\x00" not in m.text and "\x07" not in m.text


def test_not_bytes_is_refused() -> None:
    with pytest.raises(MailError, match="not bytes"):
        parse_message("a string")  # type: ignore[arg-type]


@pytest.mark.parametrize(("data", "charset", "text"), [
    (b"caf\xc3\xa9", "iso-8859-1", "café"),          # a latin-1 label on UTF-8 bytes
    (b"\x93hi\x94", "us-ascii", "“hi”"),             # an ascii label on windows-1252
    (b"caf\xe9", "utf-8", "café"),                   # a utf-8 label on latin-1 bytes
    (b"caf\xc3\xa9 \xff", "utf-8", "café \ufffd"),   # mostly UTF-8 with one bad byte
    (b"\x8e\xa4", "base64_codec", "Ž¤"),              # not a text encoding
    (b"\xa4", "iso-8859-15", "€"),                   # an honest label is believed
])
def test_decode_bytes_when_labels_lie(data: bytes, charset: str, text: str) -> None:
    assert decode_bytes(data, charset) == text


def test_header_text_unfolds_and_joins_adjacent_encoded_words() -> None:
    assert header_text("=?utf-8?Q?a?=\r\n =?utf-8?Q?b?=") == "ab"
    assert header_text("plain\n\tfolded") == "plain folded"


def test_address_headers_that_break_the_address_parser_are_dropped_not_fatal(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Deeply nested comments are refused before the standard library's parser, which reads
    each level by calling itself: run to the recursion limit, it made whatever else ran at
    that depth fail (a finalizer called by the collector failed this test now and then)."""
    from email.utils import getaddresses as real

    read: list[str] = []

    def recording(fields: list[str]) -> list[tuple[str, str]]:
        read.extend(fields)
        return real(fields)

    monkeypatch.setattr("notnow.mail.parse.getaddresses", recording)
    m = parse_message(b"From: a@b.io\nTo: " + b"(" * 60000 + b"\nMessage-ID: <p@x>\n\nhi\n")
    assert m.to == () and any("To: cannot be read" in p for p in m.problems)
    assert m.from_ is not None and m.text.strip() == "hi"
    assert all(len(f) < 1000 for f in read)  # the deep header never reached the parser
    nested = parse_message(b"From: a@b.io\nTo: Dana (sales (EMEA (north))) <dana@acme.io>, "
                           b"x@y.io " + b"(" * 32 + b")" * 32 + b"\n\nhi\n")  # 32: read
    assert [a.email for a in nested.to] == ["dana@acme.io", "x@y.io"]


def test_a_part_bomb_is_refused_before_parsing() -> None:
    bomb = b"From: a@b.io\nContent-Type: multipart/mixed; boundary=a\n\n" + b"--a\n\n" * 30000
    with pytest.raises(MailError, match="MIME boundary lines"):
        parse_message(bomb, source="bomb.eml", number=1)


def test_a_nesting_bomb_is_a_clear_error() -> None:
    data = b"From: a@b.io\nContent-Type: message/rfc822\n\n" * 3000
    with pytest.raises(MailError, match="nested too deeply"):
        parse_message(data, source="nest.eml", number=2)
