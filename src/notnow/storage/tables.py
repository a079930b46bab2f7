"""SQLAlchemy 2 typed tables. Changes here need an Alembic revision (a test compares them).

The annotations here are evaluated as the classes are made (no ``from __future__ import
annotations``): SQLAlchemy then reads ``Mapped[...]`` as it is instead of evaluating 400
strings, a seventh of this module's import, paid by every command. A class named before it is
defined is written as a string (``Mapped[list["Contact"]]``).
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    FetchedValue,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from notnow.core import limits
from notnow.core.identity import fold

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Instants stored as UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def name_key(name: str | None) -> str:
    """What a name is compared and ordered by (``name_key``): folded
    (:func:`notnow.core.identity.fold`), at most 300 characters. Every writer keeps it so."""
    return fold(name or "")[:300]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: UTCDateTime}


def limited_text(length: int) -> Text:
    """A free text of at most `length` characters (`notnow.core.limits`): VARCHAR(length) on
    PostgreSQL, which enforces it; TEXT on SQLite, which ignores a VARCHAR's length anyway.
    The schemas and the flush guard (`storage.guards.check_values`) refuse longer text first."""
    return Text().with_variant(String(length), "postgresql")


def _ts() -> Mapped[datetime]:
    return mapped_column(UTCDateTime)


class Meta(Base):
    """Key/value facts about the workspace (its id, when it was created)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="salesperson")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_owner: Mapped[bool] = mapped_column(Boolean, default=False)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = _ts()


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = _ts()
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


OPEN_FOLLOWUP = text("status IN ('due', 'snoozed')")
"""The open follow-ups' partial indexes' condition; a query must say it in these very words to
use them."""


def partial(where: Any) -> dict[str, Any]:
    """An index's condition, for a partial index: kept in the index's ``info``.

    The migrations create the index with its condition, on SQLite and PostgreSQL alike
    (tests/storage pins each database's index to this). Written as SQLAlchemy's dialect
    options (``postgresql_where=``) instead, the condition would make every process import
    both dialects as the tables are defined: 16 ms of each command, for a clause only the
    migrations use."""
    return {"info": {"where": where}}


DNC_CONTACT = text("dnc_at IS NOT NULL")
"""The opt-outs' partial index's condition (the do-not-contact list reads it in order)."""


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (
        # lists are in (name, id) order: read from the index, not sorted (0028)
        Index("ix_accounts_name_key", "name_key", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    name_key: Mapped[str] = mapped_column(String(300), default="")
    """The name folded (lower case, no accents): what lookups compare (0004)."""
    domain: Mapped[str | None] = mapped_column(String(255), index=True)
    website: Mapped[str | None] = mapped_column(String(500))
    industry: Mapped[str | None] = mapped_column(String(120))
    employees: Mapped[int | None] = mapped_column(Integer)
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(120))
    city: Mapped[str | None] = mapped_column(String(120))
    timezone: Mapped[str | None] = mapped_column(String(64))
    fiscal_year_start: Mapped[int | None] = mapped_column(Integer)
    rapport_notes: Mapped[str | None] = mapped_column(limited_text(limits.NOTE))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = _ts()

    contacts: Mapped[list["Contact"]] = relationship(back_populates="account")

    @validates("name")
    def _keep_name_key(self, _key: str, value: str) -> str:
        self.name_key = name_key(value)
        return value


class Contact(Base):
    __tablename__ = "contacts"
    __table_args__ = (
        # lists are in (name, id) order, everyone's or one owner's; opt-outs newest first:
        # each read from an index, not sorted (0028)
        Index("ix_contacts_name_key", "name_key", "id"),
        Index("ix_contacts_owner_name", "owner_id", "name_key", "id"),
        Index("ix_contacts_dnc", "dnc_at", "id", **partial(DNC_CONTACT)),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    name_key: Mapped[str] = mapped_column(String(300), default="")
    """The name folded (lower case, no accents): what lookups compare (0004)."""
    title: Mapped[str | None] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(30), default="other")
    department: Mapped[str | None] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    phone: Mapped[str | None] = mapped_column(String(60))
    linkedin: Mapped[str | None] = mapped_column(String(500))
    email_key: Mapped[str | None] = mapped_column(String(320), index=True)
    """The identities in normal form (:mod:`notnow.core.identity`), kept by the storage guard
    on every write: an opt-out finds the person's other contact rows by them (trust_race)."""
    phone_key: Mapped[str | None] = mapped_column(String(40), index=True)
    linkedin_key: Mapped[str | None] = mapped_column(String(500), index=True)
    timezone: Mapped[str | None] = mapped_column(String(64))
    dnc_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dnc_reason: Mapped[str | None] = mapped_column(limited_text(limits.REASON))
    dnc_source: Mapped[str | None] = mapped_column(String(20))
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Set while a possible opt-out waits for a person's decision: nothing is scheduled."""
    hold_reason: Mapped[str | None] = mapped_column(String(2000))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = _ts()
    email_bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When mail to the address bounced for good (5.x.x): no email is planned to it (0013)."""
    found_in_mail: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Created by notnow from a message in the owner's mail, not by a person (0013)."""

    account: Mapped[Account] = relationship(back_populates="contacts")

    @validates("name")
    def _keep_name_key(self, _key: str, value: str) -> str:
        self.name_key = name_key(value)
        return value


class Deal(Base):
    __tablename__ = "deals"
    __table_args__ = (
        # what we sell: the offers on deals of two accounts or more, counted in order (0027)
        Index("ix_deals_offer", "offer", "account_id", "owner_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    offer: Mapped[str] = mapped_column(String(300))
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    stage: Mapped[str] = mapped_column(String(30), default="cold_call")
    status: Mapped[str] = mapped_column(String(20), default="open")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = _ts()
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lost_reason: Mapped[str | None] = mapped_column(String(2000))
    """Why it was lost, in the salesperson's words (0015)."""


class Rejection(Base):
    __tablename__ = "rejections"
    __table_args__ = (
        # the loss report reads these columns only: an index that covers them (0002)
        Index("ix_rejections_report", "at", "label", "stage", "channel", "author_id",
              "account_id", "competitor"),
        Index("ix_rejections_contact_at", "contact_id", "at", "id", "label"),  # (0024)
        Index("ix_rejections_capability", "capability"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    stage: Mapped[str | None] = mapped_column(String(30))
    channel: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(limited_text(limits.WORDS))
    label: Mapped[str] = mapped_column(String(30), index=True)
    also: Mapped[list[Any]] = mapped_column(JSON, default=list)
    confidence: Mapped[float | None]
    label_source: Mapped[str] = mapped_column(String(20), default="manual")
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    checkback: Mapped[date | None] = mapped_column(Date)
    checkback_phrase: Mapped[str | None] = mapped_column(Text)
    granularity: Mapped[str | None] = mapped_column(String(10))
    return_date: Mapped[date | None] = mapped_column(Date)
    competitor: Mapped[str | None] = mapped_column(String(200), index=True)
    capability: Mapped[str | None] = mapped_column(String(300))
    referral: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    notes: Mapped[str | None] = mapped_column(limited_text(limits.REMARK))
    feelings: Mapped[str | None] = mapped_column(limited_text(limits.REMARK))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = _ts()
    language: Mapped[str | None] = mapped_column(String(8))
    review: Mapped[str | None] = mapped_column(String(20))
    """'pending' while a doubtful reading waits for the salesperson; 'confirmed' after."""
    override_reason: Mapped[str | None] = mapped_column(String(2000))
    """Why the salesperson says words read as an opt-out are not one (required to log them)."""


class Touch(Base):
    __tablename__ = "touches"
    __table_args__ = (
        Index("ix_touches_contact_at", "contact_id", "at"),
        # the loss report reads each contact's touches in (time, id) order, these columns
        # only: an index that holds both (0002, 0024)
        Index("ix_touches_report", "contact_id", "at", "id", "direction", "channel",
              "author_id", "reply"),
        # a person's (or a team's) report finds the contacts they touched in the period
        # from their own touches, not from everyone's (0029)
        Index("ix_touches_author", "author_id", "at", "contact_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"))
    channel: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(10), default="outbound")
    outcome: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = _ts()
    reply: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """An answer to the prospect's own message (not nurture: see core.caps)."""


RANK_COLUMNS = (
    "contact_id", "label", "dated_checkback", "last_touch_at", "last_signal_at", "account_id")
"""What the agenda ranks by, after owner, due and id, and whose account it is (to bring a
ranking up to date after writes to some accounts): in its index, so the ranking never reads
the table."""
class FollowUp(Base):
    __tablename__ = "followups"
    __table_args__ = (
        Index("ix_followups_owner_status_due", "owner_id", "status", "due"),
        Index("ix_followups_status_due", "status", "due"),
        # the agenda's ranking reads one range of these, in order, and nothing else
        # (storage/derived.py); partial, so their statistics describe open work only
        Index("ix_followups_open_agenda", "owner_id", "due", "id", *RANK_COLUMNS,
              **partial(OPEN_FOLLOWUP)),
        Index("ix_followups_open_agenda_all", "due", "id", *RANK_COLUMNS,
              **partial(OPEN_FOLLOWUP)),
    )
    # the kept columns are read after the write, not returned by it: SQLite's RETURNING shows
    # the row before its AFTER INSERT trigger filled them
    __mapper_args__ = {"eager_defaults": False}
    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"))
    rejection_id: Mapped[int | None] = mapped_column(ForeignKey("rejections.id"), index=True)
    due: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(Text)
    why: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="due")
    rule: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[str | None] = mapped_column(String(20))
    """The plan step it came from (thank, checkback, nurture…)."""
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = _ts()
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # kept by database triggers, never written by the ORM (storage/derived.py)
    label: Mapped[str | None] = mapped_column(
        String(40), server_default=FetchedValue(), server_onupdate=FetchedValue())
    dated_checkback: Mapped[bool] = mapped_column(
        Boolean, server_default=false(), server_onupdate=FetchedValue())
    last_touch_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, server_default=FetchedValue(), server_onupdate=FetchedValue())
    last_signal_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, server_default=FetchedValue(), server_onupdate=FetchedValue())


class Signal(Base):
    __tablename__ = "signals"
    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(limited_text(limits.NOTE))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class JournalEntry(Base):
    """Private to its author: no query path shows it to anyone else."""

    __tablename__ = "journal_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    rejection_id: Mapped[int | None] = mapped_column(ForeignKey("rejections.id"))
    text: Mapped[str] = mapped_column(limited_text(limits.REMARK))
    feelings: Mapped[str | None] = mapped_column(limited_text(limits.REMARK))
    reflect_on: Mapped[date | None] = mapped_column(Date)
    reflection: Mapped[str | None] = mapped_column(limited_text(limits.REMARK))
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Autopsy(Base):
    __tablename__ = "autopsies"
    id: Mapped[int] = mapped_column(primary_key=True)
    rejection_id: Mapped[int | None] = mapped_column(ForeignKey("rejections.id"), index=True)
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    listened_to_need: Mapped[bool | None]
    missed_timing: Mapped[bool | None]
    missed_follow_up: Mapped[bool | None]
    missed_events: Mapped[bool | None]
    too_aggressive: Mapped[bool | None]
    winner: Mapped[str | None] = mapped_column(String(200))
    winner_why: Mapped[str | None] = mapped_column(limited_text(limits.NOTE))
    do_differently: Mapped[str | None] = mapped_column(limited_text(limits.NOTE))
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Capability(Base):
    __tablename__ = "capabilities"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="requested")
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = _ts()


class CapabilityRequest(Base):
    __tablename__ = "capability_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    capability_id: Mapped[int] = mapped_column(ForeignKey("capabilities.id"), index=True)
    rejection_id: Mapped[int] = mapped_column(ForeignKey("rejections.id"), index=True)


class ReferenceCustomer(Base):
    __tablename__ = "reference_customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(120))
    employees: Mapped[int | None] = mapped_column(Integer)
    industry: Mapped[str | None] = mapped_column(String(120))
    offer: Mapped[str | None] = mapped_column(String(300))
    may_name: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(limited_text(limits.NOTE))
    created_at: Mapped[datetime] = _ts()


class TrainingExample(Base):
    """A team's own labeled example (from `notnow teach` or a correction in `notnow log`)."""

    __tablename__ = "training_examples"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(limited_text(limits.REMARK))
    label: Mapped[str] = mapped_column(String(30))
    also: Mapped[list[Any]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(50), default="teach")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = _ts()


class Suppression(Base):
    """The workspace-wide do-not-contact list: a keyed hash of each opted-out identity (an
    email address, a phone number, a profile), never the identity itself. Kept after a contact
    is erased, so they are never re-imported or contacted."""

    __tablename__ = "suppressions"
    __table_args__ = (Index("ux_suppressions_kind_digest", "kind", "digest", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    digest: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = _ts()


class Trash(Base):
    """A deleted record with everything deleted with it, kept until ``purge_after`` so that
    it can be restored (0015). The rows are gone from their tables: no read path sees them."""

    __tablename__ = "trash"
    __table_args__ = (Index("ix_trash_entity_entity_id", "entity", "entity_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(Integer)
    contact_id: Mapped[int | None] = mapped_column(Integer)
    rows: Mapped[list[Any]] = mapped_column(JSON)
    """[table, row] pairs, parents first, as JSON-ready values."""
    links: Mapped[list[Any]] = mapped_column(JSON)
    """[table, id, column, value]: references that were cleared, set again on restore."""
    deleted_at: Mapped[datetime] = _ts()
    deleted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    purge_after: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class InsightFigures(Base):
    """The insights page as last computed for one scope, and the data version it was computed
    at (:mod:`notnow.services.learning.insights`): shown at once, refreshed by the worker
    when the data has changed since (0020)."""

    __tablename__ = "insight_figures"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    version: Mapped[str] = mapped_column(String(400))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seconds: Mapped[float] = mapped_column(Float)
    """How long computing it took."""
    scope: Mapped[str] = mapped_column(String(400))
    body: Mapped[str] = mapped_column(Text)
    """The rendered figures (an HTML fragment)."""


class AuditEvent(Base):
    """Every change of state, appended: who, when, what, before and after."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_contact", "contact_id", "id"),
                      Index("ix_audit_events_account", "account_id", "id"),
                      Index("ix_audit_events_entity", "entity", "entity_id", "id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    account_id: Mapped[int | None] = mapped_column(Integer)
    contact_id: Mapped[int | None] = mapped_column(Integer)
    owner_id: Mapped[int | None] = mapped_column(Integer)
    """Whose record it was (who may read the event follows from it)."""
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(String(2000))


class WebSession(Base):
    """A signed-in browser. The cookie holds a random id; only its hash is stored, so that
    signing out or disabling the user ends it at once."""

    __tablename__ = "web_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = _ts()
    last_seen_at: Mapped[datetime] = _ts()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    client: Mapped[str | None] = mapped_column(String(64))


class LoginFailure(Base):
    """A failed sign-in, kept a while: the limiter counts these (shared by every worker)."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_email_at", "email_key", "at"),
                      Index("ix_login_failures_client_at", "client", "at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    email_key: Mapped[str] = mapped_column(String(64))
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = _ts()


class IdempotencyKey(Base):
    """The answer to a create request sent with an ``Idempotency-Key``: a retry gets it again
    instead of recording twice (`notnow.services.idempotency`). One row per person and key (a
    unique index: two copies of a request sent at once cannot both record); ``route`` is the
    method and path, ``fingerprint`` a SHA-256 of route and body; ``status_code`` is empty
    while the first copy runs. Rows expire after 24 hours."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (Index("ux_idempotency_keys_actor_key", "actor_id", "key", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(200))
    route: Mapped[str] = mapped_column(String(300), server_default="")
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


# --- CRM imports (issue 13) ---------------------------------------------------------------------


class ImportBatch(Base):
    """One run of `notnow import`: what it read, who ran it, what it came to. Undone as one."""

    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))  # hubspot, pipedrive, salesforce, csv
    # one entry per file: name, sha256, bytes, what it was read as, encoding, delimiter
    files: Mapped[list[Any]] = mapped_column(JSON, default=list)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # --owner: who gets the records whose CRM owner matches no notnow user
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default="running")  # running/done/failed/undone
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = _ts()
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ExternalId(Base):
    """A notnow record's id in a CRM: re-importing the same record updates it, never doubles it.
    `entity_kind` is account, contact, deal, touch or rejection (a lost deal's reason)."""

    __tablename__ = "external_ids"
    __table_args__ = (
        UniqueConstraint("source", "entity_kind", "external_id",
                         name="uq_external_ids_source_kind_external_id"),
        Index("ix_external_ids_entity", "entity_kind", "entity_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    entity_kind: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(Integer)
    external_id: Mapped[str] = mapped_column(String(255))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    last_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    created_at: Mapped[datetime] = _ts()


class ImportChange(Base):
    """What one batch did to one record, in order: enough to undo it. `before` holds the
    changed columns' earlier values (for `updated`); `file`/`line` say where the row was."""

    __tablename__ = "import_changes"
    __table_args__ = (
        Index("ix_import_changes_batch", "batch_id", "id"),
        Index("ix_import_changes_entity", "entity_kind", "entity_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))
    entity_kind: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))  # created, updated, suppressed, linked
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    file: Mapped[str | None] = mapped_column(String(255))
    line: Mapped[int | None] = mapped_column(Integer)

class Mailbox(Base):
    """An IMAP mailbox notnow reads for its owner. The secret itself is never stored: only
    where to find it (``env:VARIABLE`` or ``keyring:SERVICE/USERNAME``)."""

    __tablename__ = "mailboxes"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    host: Mapped[str] = mapped_column(String(255))
    port: Mapped[int] = mapped_column(Integer)
    security: Mapped[str] = mapped_column(String(10), default="tls")
    username: Mapped[str] = mapped_column(String(320))
    auth_kind: Mapped[str] = mapped_column(String(10), default="password")
    secret_ref: Mapped[str] = mapped_column(String(300))
    own_addresses: Mapped[list[Any]] = mapped_column(JSON, default=list)
    folder: Mapped[str] = mapped_column(String(255), default="INBOX")
    sent_folder: Mapped[str | None] = mapped_column(String(255))
    drafts_folder: Mapped[str | None] = mapped_column(String(255))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = _ts()
    everything: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Read mail from anyone, creating accounts for unknown domains (else: known accounts
    only)."""
    last_summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """What the last sync did, counted (shown on the mail page)."""


class MailFolderState(Base):
    """How far a folder has been read: its UIDVALIDITY and the highest UID done. A new
    UIDVALIDITY means the server renumbered the folder: read it again from UID 0 (the
    Message-ID de-duplication keeps that from doubling anything)."""

    __tablename__ = "mail_folders_state"
    __table_args__ = (UniqueConstraint("mailbox_id", "folder",
                                       name="uq_mail_folders_state_mailbox_folder"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox_id: Mapped[int] = mapped_column(ForeignKey("mailboxes.id", ondelete="CASCADE"))
    folder: Mapped[str] = mapped_column(String(255))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MailMessage(Base):
    """One message notnow has seen, from a mailbox or a file, and what it became. The
    fingerprint (the Message-ID's hash, else the content's) is unique per owner: a message read
    twice, from two folders or a file and a mailbox, or after a crash, is recorded once."""

    __tablename__ = "mail_messages"
    __table_args__ = (Index("ix_mail_messages_mailbox_folder_uid", "mailbox_id", "folder",
                            "uid"),
                      UniqueConstraint("owner_id", "fingerprint",
                                       name="uq_mail_messages_owner_fingerprint"))
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    """Whose mail it is: the same message in two people's mail is each one's (0013)."""
    fingerprint: Mapped[str] = mapped_column(String(80))
    message_id: Mapped[str | None] = mapped_column(String(998))
    mailbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("mailboxes.id", ondelete="SET NULL"))
    folder: Mapped[str | None] = mapped_column(String(255))
    uid: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str | None] = mapped_column(String(1000))
    number: Mapped[int | None] = mapped_column(Integer)
    sender: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(String(300))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(30))
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    rejection_id: Mapped[int | None] = mapped_column(
        ForeignKey("rejections.id", ondelete="SET NULL"), index=True)
    touch_id: Mapped[int | None] = mapped_column(ForeignKey("touches.id", ondelete="SET NULL"))
    seen_at: Mapped[datetime] = _ts()


ACTIVE_JOB = text("status IN ('pending', 'running')")
"""The partial unique index's condition: at most one live job per (kind, key)."""


class Job(Base):
    """A unit of background work (mail sync, a draft, later feeds and webhooks): claimed by
    one worker at a time (notnow.worker), retried with back-off, released when its lock
    expires."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_status_run_at", "status", "run_at"),
        Index("uq_jobs_active_kind_key", "kind", "key", unique=True,
              **partial(ACTIVE_JOB)),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    key: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    every_seconds: Mapped[int | None] = mapped_column(Integer)
    locked_by: Mapped[str | None] = mapped_column(String(200))
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _ts()
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

# --- reach: calendar feed, CalDAV push, morning mail, webhooks (notnow/reach/) -----------------
# No secret is ever stored in plain text: a feed token only as its SHA-256, a password or
# webhook secret only as the name of an environment variable, a keyring reference, or sealed
# with the workspace key (reach/secrets.py).


class CalendarFeed(Base):
    """A person's private iCalendar URL: the token is shown once and kept only as a hash."""

    __tablename__ = "calendar_feeds"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = _ts()
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CalendarEvent(Base):
    """What a person's calendar was last shown of one follow-up: its version (SEQUENCE,
    LAST-MODIFIED) and, once it left the calendar, when — so it is kept as CANCELLED a while."""

    __tablename__ = "calendar_events"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    followup_id: Mapped[int] = mapped_column(ForeignKey("followups.id", ondelete="CASCADE"),
                                             primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(32))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    modified_at: Mapped[datetime] = _ts()
    due: Mapped[date] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64))
    gone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CaldavAccount(Base):
    """A person's calendar server. The password is never stored: an env var name or keyring
    reference (``env:NAME`` / ``keyring:SERVICE``) says where to read it."""

    __tablename__ = "caldav_accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    url: Mapped[str] = mapped_column(String(1000))
    username: Mapped[str] = mapped_column(String(320))
    secret_ref: Mapped[str] = mapped_column(String(200))
    calendar: Mapped[str] = mapped_column(String(300), default="notnow")
    created_at: Mapped[datetime] = _ts()
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class CaldavEvent(Base):
    """One follow-up as written to a calendar server: where (href) and which version (etag)."""

    __tablename__ = "caldav_events"
    account_id: Mapped[int] = mapped_column(ForeignKey("caldav_accounts.id", ondelete="CASCADE"),
                                            primary_key=True)
    followup_id: Mapped[int] = mapped_column(primary_key=True)  # no FK: outlives an erasure
    href: Mapped[str] = mapped_column(String(1000))
    etag: Mapped[str | None] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(32))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    synced_at: Mapped[datetime] = _ts()


class SmtpSettings(Base):
    """The workspace's outgoing mail server (one row). The password: an env var's name."""

    __tablename__ = "smtp_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    port: Mapped[int] = mapped_column(Integer, default=587)
    security: Mapped[str] = mapped_column(String(10), default="starttls")
    username: Mapped[str | None] = mapped_column(String(320))
    password_env: Mapped[str | None] = mapped_column(String(100))
    from_address: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[datetime] = _ts()


class DigestPref(Base):
    """A person's morning mail: opt-in, at a local time of day in their IANA zone."""

    __tablename__ = "digest_prefs"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    send_at: Mapped[str] = mapped_column(String(5), default="07:30")  # HH:MM, local
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    weekly_note: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = _ts()


class DigestLog(Base):
    """One row per mail per person per local day (or week): never twice."""

    __tablename__ = "digest_log"
    __table_args__ = (
        Index("uq_digest_log_once", "user_id", "kind", "local_date", unique=True),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # daily | weekly
    local_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))  # sending | sent | failed
    items: Mapped[int] = mapped_column(Integer, default=0)
    attempted_at: Mapped[datetime] = _ts()
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)


class Webhook(Base):
    """A subscriber: a URL, the events it wants, and where its signing secret is.

    The secret is needed to sign, so it cannot be a hash: it is either read from an env var
    (``secret_env``) or sealed with the workspace key (``secret_sealed``). For a Slack target the
    URL itself is the secret: ``url`` then shows it redacted and the real one is sealed."""

    __tablename__ = "webhooks"
    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    kind: Mapped[str] = mapped_column(String(10), default="standard")  # standard | slack
    events: Mapped[list[Any]] = mapped_column(JSON, default=list)
    secret_env: Mapped[str | None] = mapped_column(String(100))
    secret_sealed: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = _ts()
    owner_id: Mapped[int | None] = mapped_column(Integer, index=True)  # users.id
    """None: the workspace's (admins manage it, every event goes to it); else one person's
    own target (a personal Slack channel): only events about records they may read."""


class WebhookDelivery(Base):
    """One event for one webhook: the exact body, its attempts and what came of the last one."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("uq_webhook_deliveries_event", "webhook_id", "event_id", unique=True),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(60))
    contact_id: Mapped[int | None] = mapped_column(Integer)  # asked again before each attempt
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending|delivered|failed
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    status_code: Mapped[int | None] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _ts()


class ReportStale(Base):
    """A contact whose kept report facts (:class:`CapHit`, :class:`ContactFact`) may be
    out of date: marked by database triggers whenever its touches, its rejections, its time
    zone or its account's change (``storage.report_stale``), whatever writes them. ``n`` grows
    with every mark, so that the refresh lets go only of the marks it has read
    (``services.learning.report_facts``)."""

    __tablename__ = "report_stale"
    contact_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(BigInteger)


class CapHit(Base):
    """An outbound touch that broke a cap (``core.caps.touches_over_caps``'s verdict over its
    contact's whole history), as the loss report last worked it out; only for the contacts
    not in :class:`ReportStale`, and only while :class:`ReportBasis` names the caps they were
    worked out with. Derived data: rebuilt, never edited."""

    __tablename__ = "cap_hits"
    touch_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    contact_id: Mapped[int] = mapped_column(Integer, index=True)
    author_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class ContactFact(Base):
    """What the loss report counts of a contact over its whole history
    (``report_sql.FACTS``), as it last worked it out; only for the contacts not in
    :class:`ReportStale`. Derived data: rebuilt, never edited."""

    __tablename__ = "contact_facts"
    contact_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    first_in: Mapped[datetime | None] = mapped_column(UTCDateTime)
    n_out: Mapped[int | None] = mapped_column(Integer)
    n_ch: Mapped[int | None] = mapped_column(Integer)
    last_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: no touch
    answered: Mapped[int] = mapped_column(Integer)
    before: Mapped[int] = mapped_column(Integer)
    who: Mapped[int | None] = mapped_column(Integer)
    last_in: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_no: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReportBasis(Base):
    """What the kept report facts were worked out with (``name``: what they are; ``basis``:
    the rules and settings, ``report_sql.verdict_basis``). None kept, or another basis: none
    of them is used."""

    __tablename__ = "report_basis"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    basis: Mapped[str] = mapped_column(Text)
