"""The fields a column can be read into, named `<kind>.<field>` (`deal.lost_reason`).

This is the vocabulary of `--map column=field` and of the header sets in `profiles`: each field
says how its cells are read (`parse`), whether several columns may feed it (`many`: the
emails of Pipedrive's Work/Home/Other columns), and how long a value may be — the storage
limit of the column it ends in, so an import never fails half-way on a value too long.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from notnow.crm.records import Kind


class Parse(StrEnum):
    TEXT = "text"
    ID = "id"
    EMAIL = "email"
    PHONE = "phone"
    BOOL = "bool"
    DATE = "date"
    TIME = "time"
    AMOUNT = "amount"
    CURRENCY = "currency"
    INT = "int"
    OWNER = "owner"
    COUNTRY = "country"
    STATUS = "status"
    ROLE = "role"
    CHANNEL = "channel"
    DIRECTION = "direction"
    DONE = "done"
    UNSUBSCRIBED = "unsubscribed"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    key: str
    kind: Kind
    name: str
    parse: Parse
    help: str
    limit: int = 300
    many: bool = False


ID_LIMIT = 255
"""Length of a CRM id (the `external_ids.external_id` column)."""

_SPECS: list[tuple[Kind, str, Parse, str, int, bool]] = [
    # kind, name, parse, help, limit, many
    (Kind.ACCOUNT, "id", Parse.ID, "the account's id in the CRM", ID_LIMIT, False),
    (Kind.ACCOUNT, "name", Parse.TEXT, "the company's name", 300, False),
    (Kind.ACCOUNT, "domain", Parse.TEXT, "its web domain (example.com)", 255, False),
    (Kind.ACCOUNT, "website", Parse.TEXT, "its website", 500, False),
    (Kind.ACCOUNT, "industry", Parse.TEXT, "its industry", 120, False),
    (Kind.ACCOUNT, "employees", Parse.INT, "number of employees", 12, False),
    (Kind.ACCOUNT, "country", Parse.COUNTRY, "country (code or name)", 120, False),
    (Kind.ACCOUNT, "region", Parse.TEXT, "state or region", 120, False),
    (Kind.ACCOUNT, "city", Parse.TEXT, "city", 120, False),
    (Kind.ACCOUNT, "owner", Parse.OWNER, "the CRM user who owns it (name or email)", 320, False),
    (Kind.ACCOUNT, "owner_id", Parse.ID, "the owner's user id in the CRM", ID_LIMIT, False),
    (Kind.CONTACT, "id", Parse.ID, "the contact's id in the CRM", ID_LIMIT, False),
    (Kind.CONTACT, "name", Parse.TEXT, "full name", 300, False),
    (Kind.CONTACT, "first_name", Parse.TEXT, "first name", 150, False),
    (Kind.CONTACT, "last_name", Parse.TEXT, "last name", 150, False),
    (Kind.CONTACT, "email", Parse.EMAIL, "email address(es)", 320, True),
    (Kind.CONTACT, "phone", Parse.PHONE, "phone number(s)", 60, True),
    (Kind.CONTACT, "title", Parse.TEXT, "job title", 300, False),
    (Kind.CONTACT, "role", Parse.ROLE, "buying / contact role", 120, False),
    (Kind.CONTACT, "account_id", Parse.ID, "the company's id in the CRM", ID_LIMIT, False),
    (Kind.CONTACT, "account", Parse.TEXT, "the company's name", 300, False),
    (Kind.CONTACT, "owner", Parse.OWNER, "the CRM user who owns the contact", 320, False),
    (Kind.CONTACT, "owner_id", Parse.ID, "the owner's user id in the CRM", ID_LIMIT, False),
    (Kind.CONTACT, "email_opt_out", Parse.BOOL, "opted out of email (yes/no)", 12, True),
    (Kind.CONTACT, "do_not_call", Parse.BOOL, "do not call (yes/no)", 12, True),
    (Kind.CONTACT, "consent_withdrawn", Parse.UNSUBSCRIBED,
     "marketing consent: 'withdrawn' / 'revoked' is an opt-out", 120, True),
    (Kind.CONTACT, "unsubscribed", Parse.UNSUBSCRIBED,
     "marketing status: 'unsubscribed' (or yes) is an opt-out", 120, True),
    (Kind.DEAL, "id", Parse.ID, "the deal's id in the CRM", ID_LIMIT, False),
    (Kind.DEAL, "title", Parse.TEXT, "the deal's name", 300, False),
    (Kind.DEAL, "account_id", Parse.ID, "the company's id in the CRM", ID_LIMIT, False),
    (Kind.DEAL, "account", Parse.TEXT, "the company's name", 300, False),
    (Kind.DEAL, "contact_id", Parse.ID, "the contact's id in the CRM", ID_LIMIT, False),
    (Kind.DEAL, "contact", Parse.TEXT, "the contact's name", 300, False),
    (Kind.DEAL, "contact_email", Parse.EMAIL, "the contact's email", 320, False),
    (Kind.DEAL, "owner", Parse.OWNER, "the CRM user who owns the deal", 320, False),
    (Kind.DEAL, "owner_id", Parse.ID, "the owner's user id in the CRM", ID_LIMIT, False),
    (Kind.DEAL, "status", Parse.STATUS, "open / won / lost", 40, False),
    (Kind.DEAL, "stage", Parse.TEXT, "the CRM's stage name", 200, False),
    (Kind.DEAL, "is_closed", Parse.BOOL, "closed (yes/no)", 12, False),
    (Kind.DEAL, "is_won", Parse.BOOL, "won (yes/no)", 12, False),
    (Kind.DEAL, "value", Parse.AMOUNT, "amount", 60, False),
    (Kind.DEAL, "currency", Parse.CURRENCY, "currency code", 40, False),
    (Kind.DEAL, "close_date", Parse.DATE, "close date (expected or actual)", 60, False),
    (Kind.DEAL, "lost_date", Parse.DATE, "when it was lost", 60, False),
    (Kind.DEAL, "won_date", Parse.DATE, "when it was won", 60, False),
    (Kind.DEAL, "lost_reason", Parse.TEXT, "why it was lost, in the CRM's words", 100_000,
     True),
    (Kind.ACTIVITY, "id", Parse.ID, "the activity's id in the CRM", ID_LIMIT, False),
    (Kind.ACTIVITY, "type", Parse.CHANNEL, "call / email / meeting / task…", 120, False),
    (Kind.ACTIVITY, "date", Parse.DATE, "when it happened (date or date and time)", 60, False),
    (Kind.ACTIVITY, "time", Parse.TIME, "time of day, when apart from the date", 20, False),
    (Kind.ACTIVITY, "direction", Parse.DIRECTION, "inbound / outbound", 40, False),
    (Kind.ACTIVITY, "done", Parse.DONE, "done (yes/no)", 40, False),
    (Kind.ACTIVITY, "subject", Parse.TEXT, "subject", 500, False),
    (Kind.ACTIVITY, "contact_id", Parse.ID, "the contact's id in the CRM", ID_LIMIT, False),
    (Kind.ACTIVITY, "contact", Parse.TEXT, "the contact's name", 300, False),
    (Kind.ACTIVITY, "contact_email", Parse.EMAIL, "the contact's email", 320, False),
    (Kind.ACTIVITY, "account_id", Parse.ID, "the company's id in the CRM", ID_LIMIT, False),
    (Kind.ACTIVITY, "account", Parse.TEXT, "the company's name", 300, False),
    (Kind.ACTIVITY, "deal_id", Parse.ID, "the deal's id in the CRM", ID_LIMIT, False),
    (Kind.ACTIVITY, "deal", Parse.TEXT, "the deal's name", 300, False),
    (Kind.ACTIVITY, "owner", Parse.OWNER, "the CRM user who logged it", 320, False),
    (Kind.ACTIVITY, "owner_id", Parse.ID, "the owner's user id in the CRM", ID_LIMIT, False),
]

FIELDS: dict[str, FieldSpec] = {
    f"{kind.value}.{name}": FieldSpec(f"{kind.value}.{name}", kind, name, parse, help_, limit,
                                      many)
    for kind, name, parse, help_, limit, many in _SPECS
}
"""Every field a column can be read into, by key."""

IGNORE = "-"
"""`--map "Column=-"`: do not read this column."""


def describe_fields() -> str:
    """The vocabulary in words, for an error or `--help`."""
    lines = []
    for kind in Kind:
        names = [f.name for f in FIELDS.values() if f.kind == kind]
        lines.append(f"{kind.value}.{{{','.join(names)}}}")
    return "; ".join(lines)
