"""A reply draft, threaded to the prospect's message, for the person to review and send.

notnow never sends: `build_draft` makes the bytes that `imap.ImapClient.append_draft` places in
the Drafts folder. Every header value is checked for line breaks (header injection: a name or a
subject taken from a hostile message must not add a Bcc), and all of it is encoded by the
standard library's ``policy.SMTP``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from notnow.errors import InvalidInput
from notnow.mail.parse import normalise_address

MAX_BODY_CHARS = 100_000
MAX_REFERENCES = 20
_RE_PREFIX = re.compile(r"^\s*(?:(?:re|aw|sv|vs|antw|rif|r|ref|res|odp|vá)\s*(?:\[\d+\])?\s*:\s*)+",
                        re.IGNORECASE)
_ID = re.compile(r"^[^<>\s]{1,900}$")


@dataclass(frozen=True)
class DraftAddress:
    email: str
    name: str = ""


def reply_subject(subject: str) -> str:
    """"Re: " once, whatever prefixes the original carried (Re:, AW:, SV:, Antw:, RE[2]:)."""
    base = _RE_PREFIX.sub("", _one_line(subject, "subject")).strip()
    return f"Re: {base}" if base else "Re:"


def build_draft(
    *,
    from_: DraftAddress,
    to: DraftAddress,
    body: str,
    subject: str,
    in_reply_to: str | None = None,
    references: tuple[str, ...] = (),
    domain: str | None = None,
    now: datetime | None = None,
) -> EmailMessage:
    """A plain-text reply draft. `subject` is the original's subject (we add "Re: ");
    `in_reply_to`/`references` are the original's Message-ID and References, without <>."""
    if not isinstance(body, str) or not body.strip():
        raise InvalidInput("the draft has no text", field="body")
    if len(body) > MAX_BODY_CHARS:
        raise InvalidInput(f"the draft is longer than {MAX_BODY_CHARS} characters",
                           field="body")
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = _address(from_, "from")
    msg["To"] = _address(to, "to")
    msg["Subject"] = reply_subject(subject)
    when = now or datetime.now(UTC)
    msg["Date"] = format_datetime(when if when.tzinfo else when.replace(tzinfo=UTC))
    sender_domain = domain or from_.email.rsplit("@", 1)[-1]
    msg["Message-ID"] = make_msgid(domain=_one_line(sender_domain, "domain"))
    thread: list[str] = [_msg_id(r, "references") for r in references][-MAX_REFERENCES:]
    if in_reply_to:
        parent = _msg_id(in_reply_to, "in_reply_to")
        msg["In-Reply-To"] = f"<{parent}>"
        if parent not in thread:
            thread.append(parent)
        thread = thread[-MAX_REFERENCES:]
    if thread:
        msg["References"] = " ".join(f"<{r}>" for r in thread)
    msg["X-Notnow-Draft"] = "yes"
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    return msg


def _address(addr: DraftAddress, field: str) -> HeaderAddress:
    email = normalise_address(_one_line(addr.email, field))
    if email is None:
        raise InvalidInput(f"{addr.email!r} is not an email address", field=field)
    local, domain = email.split("@")
    return HeaderAddress(display_name=_one_line(addr.name, field).strip(), username=local,
                         domain=domain)


def _one_line(value: str, field: str) -> str:
    if any(ch in value for ch in "\r\n\x00") or any(ord(ch) < 32 and ch != "\t" for ch in value):
        raise InvalidInput("line breaks and control characters are not allowed in a header",
                           field=field)
    return value


def _msg_id(value: str, field: str) -> str:
    value = _one_line(value, field).strip().strip("<>")
    if not _ID.match(value):
        raise InvalidInput(f"{value[:80]!r} is not a Message-ID", field=field)
    return value
