"""What a message is, from its headers and addresses only (never from its words).

The words themselves are read by `notnow.understand.analyze`; here we only decide which
messages reach it, and which never should:

    bounce        a delivery failure report (DSN, or a bounce without one)
    auto_reply    RFC 3834 Auto-Submitted: auto-replied, X-Autoreply, "Out of office" subjects
    sent          written by the mailbox owner (From is one of the owner's addresses)
    bulk          newsletters and notifications: List-Id, List-Unsubscribe, Precedence
                  bulk/list/junk, Auto-Submitted: auto-generated, no-reply senders
    internal      from a colleague: the sender's domain is one of the owner's domains
    inbound       a person's message to the owner: the one kind whose words are read

The order matters and is the order above: a bounce is also automatic, an out-of-office is
often sent with Precedence: bulk, the owner's own newsletter is still the owner's.
An auto-reply (out of office) is read by phase 2 for its return date; bulk and internal mail
are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from notnow.mail.parse import ParsedMessage, is_no_reply_address, normalise_address


class MessageKind(StrEnum):
    BOUNCE = "bounce"
    AUTO_REPLY = "auto_reply"
    SENT = "sent"
    BULK = "bulk"
    INTERNAL = "internal"
    INBOUND = "inbound"


_AUTO_SUBJECT = re.compile(
    r"^\s*\[?(?:auto(?:matic|matische|matisch|matique|mático|matico|matiskt|matisk)?"
    r"[-\s]?(?:reply|response|antwort|antwoord|réponse|respuesta|svar|risposta|resposta)"
    r"|out\s+of\s+(?:the\s+)?office|ooo|away\s+from\s+(?:the\s+)?office|on\s+vacation"
    r"|abwesenheit\w*|abwesend|außer\s+haus|nicht\s+im\s+büro"
    r"|absence|absente?|réponse\s+automatique|en\s+congés?"
    r"|respuesta\s+automática|fuera\s+de\s+(?:la\s+)?oficina|ausente"
    r"|afwezig|niet\s+aanwezig|buiten\s+kantoor|automatisch\s+antwoord"
    r"|frånvaro|frånvarande|autosvar|automatiskt\s+svar|fraværende|fravær|ikke\s+til\s+stede"
    r"|fuori\s+(?:sede|ufficio)|risposta\s+automatica|assente"
    r"|ausência|fora\s+do\s+escritório|resposta\s+automática)"
    # the words must be a prefix ("Out of office: …", "[Auto-Reply] …"), not a topic
    # ("Absence of budget" is a person writing)
    r"\]?\s*(?:[:\-–(]|$)",
    re.IGNORECASE)


@dataclass(frozen=True)
class Owner:
    """The mailbox owner: their addresses (any alias) and their organisation's domains."""

    addresses: frozenset[str]
    domains: frozenset[str]

    @classmethod
    def of(cls, addresses: Iterable[str], domains: Iterable[str] = ()) -> Owner:
        emails = frozenset(e for e in (normalise_address(a) for a in addresses) if e)
        doms = {d.strip().lower().lstrip("@") for d in domains if d.strip()}
        doms |= {e.rsplit("@", 1)[1] for e in emails if not _is_public_domain(e)}
        return cls(emails, frozenset(doms))


@dataclass(frozen=True)
class Classification:
    kind: MessageKind
    why: str
    """Which header or address decided, in plain words (shown to the person)."""
    counterparts: tuple[str, ...]
    """The outside people concerned: the sender of an inbound message or auto-reply, the
    outside recipients of a sent one, the failed recipients of a bounce."""


_PUBLIC_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
    "yahoo.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com",
    "gmx.de", "gmx.net", "web.de", "t-online.de", "orange.fr", "free.fr", "laposte.net",
    "libero.it", "yandex.ru", "mail.ru", "zoho.com", "fastmail.com", "hey.com",
})


def _is_public_domain(email: str) -> bool:
    return email.rsplit("@", 1)[-1] in _PUBLIC_DOMAINS


def is_public_domain(domain: str) -> bool:
    """A free mail provider's domain (gmail.com…): it names no organisation."""
    return domain.strip().lower() in _PUBLIC_DOMAINS


def classify(message: ParsedMessage, owner: Owner) -> Classification:
    """The kind of `message` for `owner`, and why."""
    sender = message.from_.email if message.from_ else None
    outside = tuple(a.email for a in message.recipients
                    if a.email not in owner.addresses and a.domain not in owner.domains)
    if message.is_bounce:
        failed = tuple(f.email for f in message.failed_recipients
                       if f.email not in owner.addresses)
        return Classification(MessageKind.BOUNCE, _bounce_why(message), failed)
    if sender is not None and sender in owner.addresses:
        return Classification(MessageKind.SENT, f"sent from {sender}, the owner's address",
                              outside)
    who = (sender,) if sender else ()
    if message.auto_submitted == "auto-replied" or message.auto_reply_headers:
        why = (f"Auto-Submitted: {message.auto_submitted}" if message.auto_submitted
               else message.auto_reply_headers[0])
        return Classification(MessageKind.AUTO_REPLY, why, who)
    if _AUTO_SUBJECT.match(message.subject) and not message.list_id:
        return Classification(MessageKind.AUTO_REPLY, f"subject {message.subject[:60]!r}", who)
    if message.list_id:
        return Classification(MessageKind.BULK, f"mailing list ({message.list_id[:80]})", who)
    if message.precedence in ("bulk", "list", "junk"):
        return Classification(MessageKind.BULK, f"Precedence: {message.precedence}", who)
    if message.auto_submitted:  # auto-generated, auto-notified
        return Classification(MessageKind.BULK, f"Auto-Submitted: {message.auto_submitted}",
                              who)
    if message.list_unsubscribe:
        return Classification(MessageKind.BULK, "has List-Unsubscribe", who)
    if sender is not None and is_no_reply_address(sender):
        return Classification(MessageKind.BULK, f"sent from {sender}, which takes no replies",
                              who)
    if sender is None:
        return Classification(MessageKind.BULK, "no sender address", ())
    if sender.rsplit("@", 1)[1] in owner.domains:
        return Classification(MessageKind.INTERNAL, f"from {sender}, the owner's organisation",
                              who)
    return Classification(MessageKind.INBOUND, f"from {sender}", who)


def _bounce_why(message: ParsedMessage) -> str:
    codes = sorted({f.status for f in message.failed_recipients if f.status})
    what = "delivery status report" if any(f.action for f in message.failed_recipients) \
        else "delivery failure"
    return what + (f" ({', '.join(codes)})" if codes else "")
