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
    field_validator,
)
from pydantic_core import PydanticCustomError

from notnow.core import limits
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


def _sane_day(v: Any) -> Any:
    try:
        limits.check_day(v, field="date")
    except InvalidInput:
        raise PydanticCustomError(
            "date_out_of_range", "{day} is out of range: use a date between {first} and "
            "{last}", {"day": (v.date() if isinstance(v, datetime) else v).isoformat(),
                       "first": limits.FIRST_DAY.isoformat(),
                       "last": limits.LAST_DAY.isoformat()}) from None
    return v


_blank = BeforeValidator(_blank_to_none)
Text = Annotated[Annotated[str, StringConstraints(max_length=limits.NOTE)] | None, _blank]
"""A free text a person typed (a note); the aliases below say how long each kind may be."""
Line = Annotated[Annotated[str, StringConstraints(max_length=limits.LINE)] | None, _blank]
Place = Annotated[Annotated[str, StringConstraints(max_length=limits.PLACE)] | None, _blank]
Title = Annotated[Annotated[str, StringConstraints(max_length=limits.NAME)] | None, _blank]
Url = Annotated[Annotated[str, StringConstraints(max_length=limits.URL)] | None, _blank]
Phone = Annotated[Annotated[str, StringConstraints(max_length=limits.PHONE)] | None, _blank]
Reason = Annotated[Annotated[str, StringConstraints(max_length=limits.REASON)] | None, _blank]
Remark = Annotated[Annotated[str, StringConstraints(max_length=limits.REMARK)] | None, _blank]
Words = Annotated[Annotated[str, StringConstraints(max_length=limits.WORDS)] | None, _blank]
Domain = Annotated[Annotated[str, StringConstraints(max_length=limits.DOMAIN)] | None, _blank]
Name = Annotated[Annotated[str, StringConstraints(min_length=1, max_length=limits.NAME)],
                 _blank]
TimeZone = Annotated[Annotated[str, StringConstraints(max_length=limits.TIMEZONE)] | None,
                     BeforeValidator(_blank_to_none), AfterValidator(_tz)]
Country = Annotated[str | None, BeforeValidator(_blank_to_none), AfterValidator(_country)]
Email = Annotated[
    Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                                     max_length=limits.EMAIL)]
    | None,
    BeforeValidator(_blank_to_none),
]
Id = Annotated[int, Field(ge=1, le=limits.MAX_ID)]
"""A record's id: 1 … 2^31-1 (beyond, it names nothing and overflows PostgreSQL's integer)."""
Count = Annotated[int, Field(ge=1, le=limits.MAX_COUNT)]
Day = Annotated[date, AfterValidator(_sane_day)]
"""A date from 1900 to 2100 (9999-12-31 is a typing mistake and overflows date arithmetic)."""
Moment = Annotated[datetime, AfterValidator(_sane_day)]
Amount = Annotated[Decimal, Field(ge=0, lt=limits.MAX_AMOUNT)]


def V(enum: type[Any]) -> Any:  # noqa: N802 - reads as a type
    return Annotated[enum, BeforeValidator(_vocab)]


def _nul_free(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" not in value
    if isinstance(value, dict):
        return all(_nul_free(k) and _nul_free(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(_nul_free(v) for v in value)
    return True


class Input(BaseModel):
    """Every input model's base: no text in it may hold a NUL character (PostgreSQL cannot
    store one), refused naming the field. The web API's request bodies derive from it too."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if not _nul_free(value):
            raise PydanticCustomError("nul_character", "must not contain a NUL character")
        return value


class _In(Input):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True, defer_build=True)


# The models here are built when first used (``defer_build``): a command uses two or three of
# them, and building all of them took 20 ms of each command's start. The web app builds them
# all before it reads its routes (`build_all`).


# --- accounts --------------------------------------------------------------------------------


class AccountCreate(_In):
    name: Name
    domain: Domain = None
    website: Url = None
    industry: Place = None
    employees: Count | None = None
    country: Country = None
    region: Place = None
    city: Place = None
    timezone: TimeZone = None
    fiscal_year_start: int | None = Field(default=None, ge=1, le=12)
    rapport_notes: Text = None


class AccountUpdate(_In):
    """The fields to change (only those given; an empty text clears one)."""

    name: Name | None = None
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
    account_id: Id
    title: Title = None
    role: V(Role) = Role.OTHER  # type: ignore[valid-type]
    department: Line = None
    location: Line = None
    email: Email = None
    phone: Phone = None
    linkedin: Url = None
    timezone: TimeZone = None


class ContactUpdate(_In):
    """The fields to change (only those given; an empty text clears one)."""

    name: Name | None = None
    title: Text = None
    role: V(Role) | None = None  # type: ignore[valid-type]
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
    account_id: Id
    contact_id: Id | None = None
    offer: Name
    value: Amount | None = None
    currency: str = Field(default="USD", pattern=r"^[A-Za-z]{3}$")
    stage: V(Stage) = Stage.COLD_CALL  # type: ignore[valid-type]
    status: V(DealStatus) = DealStatus.OPEN  # type: ignore[valid-type]


class DealUpdate(_In):
    """The fields to change (only those given). The status changes with won / lost / reopen."""

    offer: Name | None = None
    value: Decimal | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, pattern=r"^[A-Za-z]{3}$")
    stage: V(Stage) | None = None  # type: ignore[valid-type]
    contact_id: int | None = None


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
    lost_reason: str | None = None


# --- rejections and touches ------------------------------------------------------------------


class EvidenceOut(BaseModel):
    model_config = ConfigDict(defer_build=True)

    start: int
    end: int
    text: str
    label: str | None = None


class RejectionCreate(_In):
    contact_id: Id
    deal_id: Id | None = None
    at: Moment | None = None
    stage: V(Stage) | None = None  # type: ignore[valid-type]
    channel: V(Channel) | None = None  # type: ignore[valid-type]
    text: Words = None
    label: V(Label) | None = None  # type: ignore[valid-type]
    also: list[V(Label)] = Field(default_factory=list, max_length=20)  # type: ignore[valid-type]
    checkback: Day | None = None
    competitor: Line = None
    capability: Title = None
    referral: Title = None
    notes: Remark = None
    feelings: Remark = None


class RejectionUpdate(_In):
    """What may be corrected on a logged "no" (only the fields given). The reading itself is
    corrected with ``notnow confirm``."""

    at: datetime | None = None
    stage: V(Stage) | None = None  # type: ignore[valid-type]
    channel: V(Channel) | None = None  # type: ignore[valid-type]
    competitor: Text = None
    capability: Text = None
    notes: Text = None
    deal_id: int | None = None


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
    contact_id: Id
    channel: V(Channel)  # type: ignore[valid-type]
    direction: V(Direction) = Direction.OUTBOUND  # type: ignore[valid-type]
    outcome: Line = None
    at: Moment | None = None
    deal_id: Id | None = None


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
    contact_id: Id
    kind: V(SignalKind)  # type: ignore[valid-type]
    note: Text = None
    at: Moment | None = None


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


class DncPublic(BaseModel):
    model_config = ConfigDict(defer_build=True)

    contact_id: int
    contact_name: str
    account_name: str
    email: str | None
    since: datetime
    reason: str | None
    source: DncSource
    cancelled_followups: int = 0


def build_all() -> None:
    """Build every model of this module now, and build what derives from them at once (the
    web app: before FastAPI reads them — its request bodies are adapters that would otherwise
    be built at the first request, and built wrongly — and before requests in several
    threads could build one at once)."""
    for value in list(globals().values()):
        if isinstance(value, type) and issubclass(value, BaseModel) \
                and value.__module__ == __name__:
            if not value.__pydantic_complete__:
                value.model_rebuild()
            value.model_config["defer_build"] = False
