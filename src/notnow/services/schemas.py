"""What goes in and comes out of the services: Pydantic models shared by CLI, API and web.

Pattern: ``XCreate`` validates input, ``XPublic`` is what is shown. Validation errors become
`InvalidInput` naming the field, through `validate()`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from notnow.core.model import (
    Channel,
    DealStatus,
    Direction,
    DncSource,
    FollowUpStatus,
    Label,
    Role,
    SignalKind,
    Stage,
)
from notnow.errors import InvalidInput
from notnow.settings import check_timezone

M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], data: dict[str, Any]) -> M:
    """Build `model` from `data`; the first problem becomes an InvalidInput naming its field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or None
        msg = err["msg"]
        if err["type"] == "enum":
            allowed = err.get("ctx", {}).get("expected", "")
            msg = f"unknown value {err.get('input')!r}; expected {allowed}"
        raise InvalidInput(msg, field=field) from None


def _blank_to_none(v: Any) -> Any:
    if isinstance(v, str):
        v = v.strip()
        return v or None
    return v


def _vocab(v: Any) -> Any:
    if isinstance(v, str):
        return v.strip().lower().replace("-", "_").replace(" ", "_")
    return v


def _tz(v: str | None) -> str | None:
    return None if v is None else check_timezone(v, field="timezone")


def _country(v: str | None) -> str | None:
    if v is None:
        return None
    code = v.upper()
    if code == "UK":
        code = "GB"
    if len(code) != 2 or not code.isalpha():
        raise ValueError("use a two-letter ISO country code such as US, GB, FR")
    return code


Text = Annotated[str | None, BeforeValidator(_blank_to_none)]
Name = Annotated[str, BeforeValidator(_blank_to_none), Field(min_length=1, max_length=300)]
TimeZone = Annotated[str | None, BeforeValidator(_blank_to_none), AfterValidator(_tz)]
Country = Annotated[str | None, BeforeValidator(_blank_to_none), AfterValidator(_country)]
Email = Annotated[
    Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320)]
    | None,
    BeforeValidator(_blank_to_none),
]


def V(enum: type[Any]) -> Any:  # noqa: N802 - reads as a type
    return Annotated[enum, BeforeValidator(_vocab)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --- accounts --------------------------------------------------------------------------------


class AccountCreate(_In):
    name: Name
    domain: Text = None
    website: Text = None
    industry: Text = None
    employees: int | None = Field(default=None, ge=1)
    country: Country = None
    region: Text = None
    city: Text = None
    timezone: TimeZone = None
    fiscal_year_start: int | None = Field(default=None, ge=1, le=12)
    rapport_notes: Text = None


class AccountPublic(_Out):
    id: int
    name: str
    domain: str | None
    website: str | None
    industry: str | None
    employees: int | None
    country: str | None
    region: str | None
    city: str | None
    timezone: str | None
    fiscal_year_start: int | None
    rapport_notes: str | None
    owner_id: int | None = None
    created_at: datetime


# --- contacts --------------------------------------------------------------------------------


class ContactCreate(_In):
    name: Name
    account_id: int
    title: Text = None
    role: V(Role) = Role.OTHER  # type: ignore[valid-type]
    department: Text = None
    location: Text = None
    email: Email = None
    phone: Text = None
    linkedin: Text = None
    timezone: TimeZone = None


class ContactPublic(_Out):
    id: int
    account_id: int
    account_name: str | None = None
    name: str
    title: str | None
    role: Role
    department: str | None
    location: str | None
    email: str | None
    phone: str | None
    linkedin: str | None
    timezone: str | None
    do_not_contact: bool = False
    dnc_at: datetime | None
    dnc_reason: str | None
    dnc_source: DncSource | None
    owner_id: int | None = None
    created_at: datetime
    email_bounced_at: datetime | None = None
    found_in_mail: bool = False


# --- deals -----------------------------------------------------------------------------------


class DealCreate(_In):
    account_id: int
    contact_id: int | None = None
    offer: Name
    value: Decimal | None = Field(default=None, ge=0)
    currency: str = Field(default="USD", pattern=r"^[A-Za-z]{3}$")
    stage: V(Stage) = Stage.COLD_CALL  # type: ignore[valid-type]
    status: V(DealStatus) = DealStatus.OPEN  # type: ignore[valid-type]


class DealPublic(_Out):
    id: int
    account_id: int
    account_name: str | None = None
    contact_id: int | None
    offer: str
    value: Decimal | None
    currency: str
    stage: Stage
    status: DealStatus
    owner_id: int | None = None
    created_at: datetime
    closed_at: datetime | None


# --- rejections and touches ------------------------------------------------------------------


class EvidenceOut(BaseModel):
    start: int
    end: int
    text: str
    label: str | None = None


class RejectionCreate(_In):
    contact_id: int
    deal_id: int | None = None
    at: datetime | None = None
    stage: V(Stage) | None = None  # type: ignore[valid-type]
    channel: V(Channel) | None = None  # type: ignore[valid-type]
    text: Text = None
    label: V(Label) | None = None  # type: ignore[valid-type]
    also: list[V(Label)] = Field(default_factory=list)  # type: ignore[valid-type]
    checkback: date | None = None
    competitor: Text = None
    capability: Text = None
    referral: Text = None
    notes: Text = None
    feelings: Text = None


class RejectionPublic(_Out):
    id: int
    contact_id: int | None
    contact_name: str | None = None
    account_id: int | None
    account_name: str | None = None
    deal_id: int | None
    at: datetime
    stage: Stage | None
    channel: Channel | None
    text: str | None
    label: Label
    also: list[Label]
    confidence: float | None
    label_source: str
    evidence: list[EvidenceOut]
    checkback: date | None
    checkback_phrase: str | None
    granularity: str | None
    return_date: date | None
    competitor: str | None
    capability: str | None
    referral: dict[str, Any] | None
    notes: str | None
    feelings: str | None = Field(description="How it felt: shown only to who wrote it.")
    language: str | None = None
    review: str | None = Field(default=None, description="'pending': the reading waits for a "
                               "person's check; nothing is scheduled until then.")
    override_reason: str | None = None
    followups: list[FollowUpPublic] = Field(default_factory=list)
    from_mail: dict[str, Any] | None = Field(
        default=None, description="Logged from mail: the message it was read from (its id in "
        "/api/v1/mail/messages, where it was — mailbox, folder and UID, or file and message "
        "number —, its subject and Message-ID).")


class TouchCreate(_In):
    contact_id: int
    channel: V(Channel)  # type: ignore[valid-type]
    direction: V(Direction) = Direction.OUTBOUND  # type: ignore[valid-type]
    outcome: Text = None
    at: datetime | None = None
    deal_id: int | None = None


class TouchPublic(_Out):
    id: int
    contact_id: int
    account_id: int
    channel: Channel
    direction: Direction
    outcome: str | None
    at: datetime
    over_cap: str | None = Field(default=None, description="The cap this outbound touch "
                                 "broke, if it broke one (it is recorded: it happened).")


class SignalCreate(_In):
    contact_id: int
    kind: V(SignalKind)  # type: ignore[valid-type]
    note: Text = None
    at: datetime | None = None


class FollowUpPublic(_Out):
    id: int
    contact_id: int
    account_id: int
    deal_id: int | None
    rejection_id: int | None
    due: date
    channel: Channel
    purpose: str
    why: str | None
    status: FollowUpStatus
    rule: str | None


class AgendaItem(BaseModel):
    followup_id: int
    due: date
    overdue_days: int
    contact_id: int
    contact_name: str
    contact_role: Role
    account_id: int
    account_name: str
    channel: Channel
    purpose: str
    why: str | None
    label: Label | None = None
    score: float | None = None
    ripeness: str | None = None  # the one-line why of the score
    last_touch: datetime | None = None


class DncPublic(BaseModel):
    contact_id: int
    contact_name: str
    account_name: str
    email: str | None
    since: datetime
    reason: str | None
    source: DncSource
    cancelled_followups: int = 0


RejectionPublic.model_rebuild()
