"""The domain vocabulary and plain records that the core rules work on.

No I/O and no ORM here: storage converts its rows into these records, and the rules in the
other core modules (playbook, cadence, caps, ripeness, analytics…) take them as arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Label(StrEnum):
    """The rejection taxonomy (../shared/TAXONOMY.md). Never rename a member."""

    NOT_INTERESTED = "not_interested"
    NOT_NOW = "not_now"
    NO_BUDGET = "no_budget"
    PRICE = "price"
    COMPETITOR_CHOSEN = "competitor_chosen"
    HAS_SOLUTION = "has_solution"
    NO_NEED = "no_need"
    MISSING_CAPABILITY = "missing_capability"
    WRONG_PERSON = "wrong_person"
    GATEKEEPER = "gatekeeper"
    NO_AUTHORITY = "no_authority"
    BAD_EXPERIENCE = "bad_experience"
    DO_NOT_CONTACT = "do_not_contact"
    AUTO_REPLY = "auto_reply"
    INTERESTED = "interested"


class Stage(StrEnum):
    COLD_CALL = "cold_call"
    EMAIL_PROSPECTING = "email_prospecting"
    PROPOSAL = "proposal"
    CLOSING = "closing"
    FOLLOW_UP = "follow_up"


class Channel(StrEnum):
    CALL = "call"
    VOICEMAIL = "voicemail"
    EMAIL = "email"
    LINKEDIN = "linkedin"
    NOTE = "note"
    PARCEL = "parcel"
    DROP_IN = "drop_in"
    REFERRAL = "referral"
    MEETING = "meeting"


class Role(StrEnum):
    DECISION_MAKER = "decision_maker"
    INFLUENCER = "influencer"
    USER = "user"
    GATEKEEPER = "gatekeeper"
    EXECUTIVE = "executive"
    OTHER = "other"


WAYS_IN = {"executive": 0, "decision_maker": 1, "influencer": 2, "user": 3, "gatekeeper": 4,
           "other": 5}
"""Roles by how good a way into an account they are: who an account's page lists first."""


class DealStatus(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"
    NURTURING = "nurturing"
    WALKED_AWAY = "walked_away"


class FollowUpStatus(StrEnum):
    DUE = "due"
    DONE = "done"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"
    CANCELLED = "cancelled"


class Direction(StrEnum):
    OUTBOUND = "outbound"
    INBOUND = "inbound"


class UserRole(StrEnum):
    SALESPERSON = "salesperson"
    MANAGER = "manager"
    ADMIN = "admin"


class DncSource(StrEnum):
    """Where a do-not-contact mark came from."""

    PROSPECT = "prospect"  # the prospect's own words
    MANUAL = "manual"  # marked by a salesperson
    IMPORT = "import"  # came in with an import
    SUPPRESSION = "suppression"  # an identity on the suppression list (an earlier opt-out)
    ERASURE = "erasure"  # their data was erased; only the suppression list remembers them


class SignalKind(StrEnum):
    """Things a prospect does (active) or does not do (passive)."""

    REPLIED = "replied"
    OPENED = "opened"
    CLICKED = "clicked"
    VISITED = "visited"
    REFERRED = "referred"
    ASKED_INFO = "asked_info"
    MEETING_ACCEPTED = "meeting_accepted"
    ASKED_TO_SLOW_DOWN = "asked_to_slow_down"
    IGNORED = "ignored"
    UNOPENED = "unopened"
    NO_SHOW = "no_show"
    BOUNCED = "bounced"
    UNSUBSCRIBED = "unsubscribed"


ACTIVE_SIGNALS: frozenset[SignalKind] = frozenset(
    {
        SignalKind.REPLIED,
        SignalKind.OPENED,
        SignalKind.CLICKED,
        SignalKind.VISITED,
        SignalKind.REFERRED,
        SignalKind.ASKED_INFO,
        SignalKind.MEETING_ACCEPTED,
    }
)
"""Signals that show the prospect acting; every other kind is passive."""

def is_active(kind: SignalKind) -> bool:
    return kind in ACTIVE_SIGNALS


# ---------------------------------------------------------------------------------------------
# Plain records: what the core rules read. Storage builds them from rows.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountFacts:
    id: int
    name: str
    industry: str | None = None
    employees: int | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    region: str | None = None
    city: str | None = None
    timezone: str | None = None  # IANA name
    fiscal_year_start: int | None = None  # month 1..12
    domain: str | None = None


@dataclass(frozen=True, slots=True)
class DncMark:
    since: datetime
    reason: str | None
    source: DncSource


@dataclass(frozen=True, slots=True)
class ContactFacts:
    id: int
    account_id: int
    name: str
    role: Role = Role.OTHER
    title: str | None = None
    department: str | None = None
    location: str | None = None
    email: str | None = None
    timezone: str | None = None
    dnc: DncMark | None = None
    hold: str | None = None
    """Why the contact is held (a possible opt-out waiting for a person's decision): nothing
    is scheduled for them meanwhile. None when not held."""
    email_bounced: bool = False
    """Mail to their address bounced for good: no email is planned to it
    (:func:`notnow.core.caps.channel_closed`)."""

    @property
    def do_not_contact(self) -> bool:
        return self.dnc is not None


@dataclass(frozen=True, slots=True)
class TouchFacts:
    contact_id: int
    account_id: int
    channel: Channel
    direction: Direction
    at: datetime
    outcome: str | None = None
    reply: bool = False
    """An answer to the prospect's own message (the thank-you after their no): it belongs to
    their conversation, so the nurture cap after a soft no does not count it."""
    id: int | None = None
    """The stored touch's id, where known: it orders touches made at the same moment."""
    author_id: int | None = None


@dataclass(frozen=True, slots=True)
class SignalFacts:
    kind: SignalKind
    at: datetime
    contact_id: int | None = None
    account_id: int | None = None

    @property
    def active(self) -> bool:
        return is_active(self.kind)


@dataclass(frozen=True, slots=True)
class FollowUpFacts:
    id: int
    contact_id: int
    due: date
    channel: Channel
    purpose: str
    status: FollowUpStatus
    rule: str | None = None
    deal_id: int | None = None
    why: str | None = None
    account_id: int | None = None
    kind: str | None = None
    """The plan step it came from (``thank``, ``checkback``, ``nurture``…), when known."""

    @property
    def reply(self) -> bool:
        """An answer to the prospect's own message: see :attr:`TouchFacts.reply`."""
        return self.kind in REPLY_KINDS


REPLY_KINDS = frozenset({"thank", "follow_up"})
"""Plan steps that answer the prospect's own message rather than reach out anew."""


@dataclass(frozen=True, slots=True, init=False)
class Evidence:
    """A span of the original text that carries a label or a slot."""

    start: int
    end: int
    text: str
    label: str | None = None

    def __init__(self, start: int, end: int, text: str, label: str | None = None) -> None:
        # What the generated __init__ does (four writes through object.__setattr__, since the
        # class is frozen), by each slot's own setter: cheaper, and `analyze` makes a few of
        # these for every reply.
        _SET_START(self, start)
        _SET_END(self, end)
        _SET_TEXT(self, text)
        _SET_LABEL(self, label)


_SET_START, _SET_END, _SET_TEXT, _SET_LABEL = (
    Evidence.__dict__[name].__set__ for name in ("start", "end", "text", "label"))


@dataclass(frozen=True, slots=True)
class RejectionFacts:
    id: int
    contact_id: int | None
    account_id: int | None
    at: datetime
    label: Label
    also: tuple[Label, ...] = ()
    stage: Stage | None = None
    channel: Channel | None = None
    text: str | None = None
    evidence: tuple[Evidence, ...] = ()
    checkback: date | None = None
    checkback_phrase: str | None = None
    competitor: str | None = None
    capability: str | None = None
    referral: str | None = None
    deal_id: int | None = None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class History:
    """Everything the rules may need to know about one contact's past."""

    touches: tuple[TouchFacts, ...] = ()
    signals: tuple[SignalFacts, ...] = ()
    rejections: tuple[RejectionFacts, ...] = ()
    followups: tuple[FollowUpFacts, ...] = field(default=())
