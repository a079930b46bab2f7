"""A person's identities — email addresses, phone numbers, LinkedIn profiles — in one normal
form, so that an opt-out given under one spelling holds under every other.

``Dana.Ruiz@ACME.com `` and ``dana.ruiz@acme.com`` are one address; ``+33 1 23 45 67 89`` and
``01 23 45 67 89`` (in France) are one number; ``https://www.linkedin.com/in/dana-ruiz/`` and
``linkedin.com/in/Dana-Ruiz`` are one profile. The suppression list keeps a keyed hash of each
normal form (:func:`digest`), never the value itself.

The normal forms err on the side of the person who opted out: an address's sub-address
(``dana+news@acme.com``) is the same mailbox as ``dana@acme.com``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import unquote

_SPACE = re.compile(r"\s+")
_LINKEDIN = re.compile(r"^(?:https?://)?(?:[a-z0-9-]+\.)*linkedin\.com/(in|pub|company)/([^/?#]+)",
                       re.IGNORECASE)


class IdentityKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    LINKEDIN = "linkedin"


@dataclass(frozen=True, slots=True)
class Identity:
    kind: IdentityKind
    value: str  # the normal form

    def key(self) -> str:
        return f"{self.kind.value}:{self.value}"


def fold(text: str) -> str:
    """Lower case without accents, spaces collapsed: how names are compared ("Lucía" and
    "lucia" are one name)."""
    decomposed = unicodedata.normalize("NFKD", " ".join(text.split()).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normal_email(raw: str | None) -> str | None:
    """Lower case, no spaces, no sub-address (``+tag``), the domain in its ASCII (IDNA) form;
    ``mailto:`` and a display name (``Dana <dana@acme.com>``) dropped; None if not an
    address."""
    if not raw:
        return None
    text = unicodedata.normalize("NFKC", _SPACE.sub("", raw)).lower()
    if "<" in text and text.endswith(">"):
        text = text[text.rindex("<") + 1:-1]
    if text.startswith("mailto:"):
        text = text[len("mailto:"):]
    text = text.split("?", 1)[0]  # mailto:dana@acme.com?subject=…
    local, sep, domain = text.rpartition("@")
    local = local.split("+", 1)[0]
    if not sep or not local or "." not in domain or "@" in local:
        return None
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return f"{local}@{domain.rstrip('.')}"


def normal_phone(raw: str | None, country: str | None = None) -> str | None:
    """E.164 (``+33123456789``) when the number can be read for ``country`` (ISO code), else
    its digits (with a leading + kept); None when there are fewer than 6 digits."""
    if not raw:
        return None
    digits = re.sub(r"\D", "", raw)
    if len(digits) < 6:
        return None
    parsed = _parse_phone(raw, country)
    if parsed is not None:
        return parsed
    plus = raw.strip().startswith("+") or raw.strip().startswith("00")
    if raw.strip().startswith("00"):
        digits = digits[2:]
    return ("+" if plus else "") + digits


def _parse_phone(raw: str, country: str | None) -> str | None:
    try:
        import phonenumbers
    except ImportError:  # pragma: no cover - a dependency; digits still work
        return None
    region = (country or "").upper() or None
    if region == "UK":
        region = "GB"
    text = raw.strip()
    if text.startswith("00"):  # the international prefix of most of the world, wherever the
        try:  # account is (in Australia or the US it is another, but people write 00 too)
            number: Any = phonenumbers.parse("+" + text[2:], None)
            if phonenumbers.is_valid_number(number):
                return str(phonenumbers.format_number(number,
                                                      phonenumbers.PhoneNumberFormat.E164))
        except phonenumbers.NumberParseException:
            pass
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def normal_linkedin(raw: str | None) -> str | None:
    """``in/<handle>`` (or ``company/<handle>``) in lower case; None if not a profile URL."""
    if not raw:
        return None
    m = _LINKEDIN.match(raw.strip())
    if m is None:
        return None
    kind = "in" if m.group(1).lower() in ("in", "pub") else "company"
    handle = unicodedata.normalize("NFKC", unquote(m.group(2))).strip().lower()
    return f"{kind}/{handle}" if handle else None


def identities(*, email: str | None = None, phone: str | None = None,
               linkedin: str | None = None, country: str | None = None) -> tuple[Identity, ...]:
    """Every identity of a person that can be normalised, each once."""
    out: list[Identity] = []
    for kind, value in ((IdentityKind.EMAIL, normal_email(email)),
                        (IdentityKind.PHONE, normal_phone(phone, country)),
                        (IdentityKind.LINKEDIN, normal_linkedin(linkedin))):
        if value is not None:
            out.append(Identity(kind, value))
    return tuple(out)


def digest(key: bytes, identity: Identity) -> str:
    """The keyed hash (HMAC-SHA256) the suppression list keeps instead of the identity."""
    return hmac.new(key, identity.key().encode(), hashlib.sha256).hexdigest()
