"""Calm replies to a rejection: the cooling-off rule and a draft per label.

Drafts come from ``reply_templates/<label>.txt`` (package data, written for notnow): a
``Subject:`` first line, then the body, using ``string.Template`` placeholders —
``$first_name $name $account $sender $competitor $capability $checkback_when $referral_line``.
They thank, keep the door open and ask why where it fits; they never guilt-trip, and every
rendered draft goes through the tone check. An opt-out gets no draft at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from string import Template

from notnow.core.model import AccountFacts, ContactFacts, Label, RejectionFacts
from notnow.core.tone import ToneReport, check_tone
from notnow.errors import CoolingOff, DoNotContact

PLACEHOLDERS = frozenset({"first_name", "name", "account", "sender", "competitor", "capability",
                          "checkback_when", "referral_line", "until_then"})


def can_send_reply(rejected_at: datetime, now: datetime, minutes: int) -> None:
    """Raise :class:`~notnow.errors.CoolingOff` until ``minutes`` after the rejection."""
    ends = _aware(rejected_at) + timedelta(minutes=minutes)
    current = _aware(now)
    if current < ends:
        left = ends - current
        mins = max(1, int(-(-left.total_seconds() // 60)))
        raise CoolingOff(
            f"cooling off: a reply can be sent from {ends.isoformat(timespec='minutes')} "
            f"(in {mins} minute{'s' if mins != 1 else ''}); step back before you answer",
            ends_at=ends.isoformat(),
        )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Draft:
    label: Label
    subject: str
    body: str
    tone: ToneReport


@lru_cache(maxsize=32)
def template_text(label: Label) -> str:
    """The shipped template for ``label`` (package data)."""
    from importlib import resources

    path = resources.files("notnow.core").joinpath("reply_templates", f"{label.value}.txt")
    return path.read_text("utf-8")


def _when(checkback: date | None, today: date | None) -> str:
    if checkback is None:
        return "in a few months"
    if today is not None and checkback.year == today.year:
        return f"around {checkback.strftime('%B')}"
    return f"around {checkback.strftime('%B %Y')}"


def render_reply(label: Label, *, contact: ContactFacts, account: AccountFacts, sender: str,
                 rejection: RejectionFacts | None = None, checkback: date | None = None,
                 today: date | None = None, template: str | None = None,
                 nurture: bool = False) -> Draft:
    """A draft reply for ``label`` filled with the contact's details, with its tone report.

    ``checkback`` (else the rejection's) says when you will be back; ``nurture`` says whether
    the plan sends anything before then, so the draft promises what will happen
    (``$until_then``); ``template`` replaces the shipped text (same placeholders). An opt-out
    gets no reply: that would be one more touch.
    """
    if label == Label.DO_NOT_CONTACT or contact.dnc is not None:
        mark = contact.dnc
        raise DoNotContact(contact.name, since=mark.since.date().isoformat() if mark else None,
                           reason=mark.reason if mark else "they asked to stop",
                           source=mark.source.value if mark else None, action="draft a reply")
    r = rejection
    when = checkback or (r.checkback if r else None)
    referral = r.referral if r and r.referral else None
    values = {
        "first_name": contact.name.split()[0] if contact.name.strip() else "there",
        "name": contact.name,
        "account": account.name,
        "sender": sender,
        "competitor": (r.competitor if r and r.competitor else "your choice"),
        "capability": (r.capability if r and r.capability else "what you described"),
        "checkback_when": _when(when, today),
        "until_then": ("Until then I may send the odd note I think you would genuinely find "
                       "useful, nothing more." if nurture else
                       "Until then you will not hear from me."),
        "referral_line": (f"I will get in touch with {referral}, as you suggested." if referral
                          else "If you can tell me who looks after this, I will contact them "
                               "directly and leave you in peace."),
    }
    text = Template(template if template is not None else template_text(label)).safe_substitute(
        values)
    first, _, rest = text.partition("\n")
    if first.lower().startswith("subject:"):
        subject, body = first.split(":", 1)[1].strip(), rest.lstrip("\n")
    else:
        subject, body = "Thank you", text
    body = body.rstrip() + "\n"
    return Draft(label, subject, body, check_tone(body))
