"""What each message is, from headers and addresses: the whole corpus, and the edge cases."""

from __future__ import annotations

import pytest
from mailcorpus import EXPECTED_KIND, MESSAGES, OWNER_ALIASES

from notnow.mail import MessageKind, Owner, classify, parse_message

OWNER = Owner.of(OWNER_ALIASES)


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_corpus_kinds(name: str) -> None:
    result = classify(parse_message(MESSAGES[name]), OWNER)
    assert result.kind == EXPECTED_KIND[name], result.why


def test_counterparts_are_the_outside_people() -> None:
    sent = classify(parse_message(MESSAGES["sent_by_owner"]), OWNER)
    assert sent.counterparts == ("dana@buyer.com",)  # maria@vendor.io is a colleague
    bounce = classify(parse_message(MESSAGES["dsn_postfix"]), OWNER)
    assert bounce.counterparts == ("old.contact@buyer.com", "slow@kaeufer.de")
    assert "5.1.1" in bounce.why


def test_owner_on_a_public_domain_does_not_make_everyone_internal() -> None:
    owner = Owner.of(["sam.seller@gmail.com"])
    data = MESSAGES["internal"].replace(b"maria@vendor.io", b"maria@gmail.com")
    assert classify(parse_message(data), owner).kind is MessageKind.INBOUND
    assert Owner.of(["a@x.io"], ["@Y.io"]).domains == frozenset({"x.io", "y.io"})


@pytest.mark.parametrize("subject", [
    "Out of Office: Proposal", "Automatic reply: Proposal", "Automatische Antwort: Angebot",
    "Abwesenheitsnotiz: Angebot", "Réponse automatique : Offre", "Respuesta automática: Oferta",
    "Automatisch antwoord: Offerte", "Autosvar: Offert", "Fuori sede: Offerta",
    "Fraværende: Tilbud", "Resposta automática: Proposta",
])
def test_auto_reply_subjects_in_many_languages(subject: str) -> None:
    data = (f"From: p@buyer.com\nTo: sam@vendor.io\nSubject: {subject}\nMessage-ID: <o@x>\n\n"
            "Back on Monday.\n").encode()
    assert classify(parse_message(data), OWNER).kind is MessageKind.AUTO_REPLY


@pytest.mark.parametrize(("header", "kind"), [
    ("Precedence: list", MessageKind.BULK),
    ("Precedence: junk", MessageKind.BULK),
    ("Auto-Submitted: auto-generated", MessageKind.BULK),
    ("List-Unsubscribe: <mailto:u@buyer.com>", MessageKind.BULK),
    ("X-Autoreply: yes", MessageKind.AUTO_REPLY),
    ("Auto-Submitted: no", MessageKind.INBOUND),
])
def test_header_rules(header: str, kind: MessageKind) -> None:
    data = (f"From: p@buyer.com\nTo: sam@vendor.io\nSubject: Hello\n{header}\n"
            "Message-ID: <h@x>\n\nNot now.\n").encode()
    assert classify(parse_message(data), OWNER).kind is kind


@pytest.mark.parametrize("subject", [
    "Re: your out of office note", "Absence of budget this year", "Automatic replies are annoying",
    "Out of office hours support?",
])
def test_subjects_that_merely_mention_it_are_a_person_writing(subject: str) -> None:
    data = (f"From: p@buyer.com\nTo: sam@vendor.io\nSubject: {subject}\n"
            "Message-ID: <r@x>\n\nNo thanks.\n").encode()
    assert classify(parse_message(data), OWNER).kind is MessageKind.INBOUND


def test_outlook_mail_merge_suppression_header_is_not_an_auto_reply() -> None:
    data = (b"From: p@buyer.com\nTo: sam@vendor.io\nSubject: Re: Offer\nIn-Reply-To: <o@v>\n"
            b"X-Auto-Response-Suppress: DR, RN, NRN, OOF, AutoReply\nMessage-ID: <m@x>\n\n"
            b"No thanks.\n")
    assert classify(parse_message(data), OWNER).kind is MessageKind.INBOUND
