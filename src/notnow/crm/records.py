"""The neutral records a CRM export is read into, whichever CRM wrote it.

Every record keeps the CRM's own id (`crm_id`) and where it came from (`origin`: file and
physical line), so an import can update what it imported before and report any row by its line.
Links to other records (`Ref`) carry whatever the export gives: the linked record's CRM id,
its name, its email — the importer resolves them, id first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from notnow.core.model import Channel, DealStatus, Direction, Role, Stage


class Source(StrEnum):
    """Which CRM wrote a file; `csv` is any other spreadsheet, read with a confirmed mapping."""

    HUBSPOT = "hubspot"
    PIPEDRIVE = "pipedrive"
    SALESFORCE = "salesforce"
    CSV = "csv"


class Kind(StrEnum):
    """What one row of an export is mainly about."""

    ACCOUNT = "account"
    CONTACT = "contact"
    DEAL = "deal"
    ACTIVITY = "activity"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record was read: the file's name as the person gave it, and the physical line
    (1-based, counting the header) on which its row starts."""

    file: str
    line: int


@dataclass(frozen=True, slots=True)
class Ref:
    """A link to another record of the same CRM, as much of it as the export names."""

    crm_id: str | None = None
    name: str | None = None
    email: str | None = None

    def __bool__(self) -> bool:
        return bool(self.crm_id or self.name or self.email)

    def describe(self) -> str:
        return self.name or self.email or (f"#{self.crm_id}" if self.crm_id else "?")


@dataclass(frozen=True, slots=True)
class CrmAccount:
    source: Source
    crm_id: str | None
    name: str
    origin: Origin
    domain: str | None = None
    website: str | None = None
    industry: str | None = None
    employees: int | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 when the export's value could be read as one
    country_name: str | None = None  # the export's own words when they could not
    region: str | None = None
    city: str | None = None
    owner: Ref | None = None

    kind = Kind.ACCOUNT


@dataclass(frozen=True, slots=True)
class CrmContact:
    source: Source
    crm_id: str | None
    name: str
    origin: Origin
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    title: str | None = None
    role: Role | None = None  # notnow's role, read from the CRM's buying/contact role
    crm_role: str | None = None  # the CRM's own words for it
    account: Ref | None = None
    owner: Ref | None = None
    # opt-outs, each as the CRM records it; any one of them puts the contact on the suppression list
    email_opt_out: bool = False
    do_not_call: bool = False
    consent_withdrawn: bool = False
    unsubscribed: bool = False

    kind = Kind.CONTACT

    @property
    def email(self) -> str | None:
        return self.emails[0] if self.emails else None

    @property
    def phone(self) -> str | None:
        return self.phones[0] if self.phones else None

    @property
    def opt_outs(self) -> tuple[str, ...]:
        """The opt-out flags that are set, in words (empty when none is)."""
        flags = (("email opt-out", self.email_opt_out), ("do not call", self.do_not_call),
                 ("marketing consent withdrawn", self.consent_withdrawn),
                 ("unsubscribed", self.unsubscribed))
        return tuple(name for name, on in flags if on)

    @property
    def opted_out(self) -> bool:
        return bool(self.email_opt_out or self.do_not_call or self.consent_withdrawn
                    or self.unsubscribed)


@dataclass(frozen=True, slots=True)
class CrmDeal:
    source: Source
    crm_id: str | None
    title: str
    origin: Origin
    status: DealStatus = DealStatus.OPEN  # open, won or lost: what the CRM says
    stage: Stage | None = None  # notnow's stage, read from the CRM's stage where it can be
    crm_stage: str | None = None  # the CRM's own stage name
    account: Ref | None = None
    contact: Ref | None = None
    owner: Ref | None = None
    value: Decimal | None = None
    currency: str | None = None  # ISO 4217
    close_date: date | None = None  # expected or actual close
    lost_date: date | None = None
    won_date: date | None = None
    lost_reason: str | None = None  # the CRM's words for why it was lost

    kind = Kind.DEAL

    @property
    def lost_on(self) -> date | None:
        """When the deal was lost, as near as the export says."""
        return self.lost_date or self.close_date if self.status == DealStatus.LOST else None


@dataclass(frozen=True, slots=True)
class CrmActivity:
    """A call, email, meeting… the CRM logged. `channel` is None for what is not a touch
    (a task, a deadline); `done` is False for one only planned."""

    source: Source
    crm_id: str | None
    origin: Origin
    channel: Channel | None = None
    crm_type: str | None = None
    on: date | None = None
    at: datetime | None = None  # naive when the export gives no zone: local time of the CRM user
    direction: Direction | None = None
    done: bool | None = None
    subject: str | None = None
    contact: Ref | None = None
    account: Ref | None = None
    deal: Ref | None = None
    owner: Ref | None = None

    kind = Kind.ACTIVITY

    @property
    def is_touch(self) -> bool:
        """Counts as a touch: a call, email, meeting… that happened, on a known day."""
        return self.channel is not None and self.done is not False and self.on is not None


CrmRecord = CrmAccount | CrmContact | CrmDeal | CrmActivity


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row (or one value in it) that could not be read: never stops the rows after it."""

    file: str
    line: int
    why: str
    column: str | None = None
    value: str | None = None  # the offending value, shortened and made printable

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        shown = f" (value {self.value!r})" if self.value is not None else ""
        return f"{where}: {self.why}{shown}"


@dataclass(slots=True)
class Tally:
    """What reading one file came to: rows read, records made per kind, problems, lines skipped."""

    rows: int = 0
    records: dict[str, int] = field(default_factory=dict)
    problems: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.records[kind] = self.records.get(kind, 0) + 1

    def skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1
