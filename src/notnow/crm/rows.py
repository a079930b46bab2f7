"""One row of an export → the neutral records it holds, or the problems that refused it.

A row yields its main record (a deal in a deals export) and, when the row also carries columns
of other kinds (a Pipedrive deals export with the person's and the organisation's columns),
those records too, linked to it. A value that cannot be read is reported with its column:
in a column the record cannot do without (its id, its name) it refuses the row; elsewhere the
value is left out and the rest of the row is read (`RowProblem.why` says which).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from notnow.core.model import DealStatus
from notnow.crm import values as v
from notnow.crm.fields import FIELDS, ID_LIMIT, FieldSpec, Parse
from notnow.crm.records import (
    CrmAccount,
    CrmActivity,
    CrmContact,
    CrmDeal,
    CrmRecord,
    Kind,
    Origin,
    Ref,
    RowProblem,
    Source,
)
from notnow.crm.textfile import printable

IGNORED = " — the value is left out, the rest of the row is read"
_EXCEL_NUMBER = re.compile(r"\d(?:\.\d+)?E\+\d+", re.I)
_SF_ID = re.compile(r"[a-zA-Z0-9]{15}")
_SF_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def salesforce_id18(value: str) -> str:
    """The 18-character form of a 15-character Salesforce id (reports export 15, Data Loader
    18): one record keeps one external id whichever file it came from."""
    if not _SF_ID.fullmatch(value):
        return value
    suffix = ""
    for block in range(3):
        bits = 0
        for i, ch in enumerate(value[block * 5:block * 5 + 5]):
            if "A" <= ch <= "Z":
                bits |= 1 << i
        suffix += _SF_SUFFIX[bits]
    return value + suffix


class _Bad(Exception):
    """A value that cannot be read: `why` for the person."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


@dataclass
class _Settings:
    order: v.DateOrder
    decimal_comma: bool
    source: Source


def _text(spec: FieldSpec) -> Callable[[str], Any]:
    limit = spec.limit

    def read(s: str) -> str:
        if "\n" in s or "\r" in s:  # kept as lines, \n only
            s = s.replace("\r\n", "\n").replace("\r", "\n").strip()
        else:
            s = v.squash(s)
        if len(s) > limit:
            raise _Bad(f"longer than {limit:,} characters")
        return s
    return read


def _id(spec: FieldSpec, salesforce: bool) -> Callable[[str], Any]:
    def read(s: str) -> str:
        s = s.strip()
        first = re.split(r"[;,]\s*", s, maxsplit=1)[0] if (";" in s or "," in s) else s
        if _EXCEL_NUMBER.fullmatch(first):
            raise _Bad("the id was turned into a rounded number (by Excel?): re-export the "
                       "file without opening it in a spreadsheet")
        if first.endswith(".0") and first[:-2].isdigit():
            first = first[:-2]
        if len(first) > ID_LIMIT:
            raise _Bad(f"an id longer than {ID_LIMIT} characters")
        return salesforce_id18(first) if salesforce else first
    return read


def _converter(spec: FieldSpec, cfg: _Settings) -> Callable[[str], Any]:
    p = spec.parse
    if p is Parse.TEXT:
        return _text(spec)
    if p is Parse.ID:
        return _id(spec, cfg.source is Source.SALESFORCE)
    if p is Parse.DATE:
        order = cfg.order
        return lambda s: v.parse_datetime(s, order)
    if p is Parse.AMOUNT:
        comma = cfg.decimal_comma
        return lambda s: v.parse_amount(s, comma)
    simple: dict[Parse, Callable[[str], Any]] = {
        Parse.EMAIL: v.parse_emails, Parse.PHONE: v.parse_phones, Parse.BOOL: v.parse_bool,
        Parse.TIME: v.parse_time, Parse.CURRENCY: v.parse_currency, Parse.INT: v.parse_int,
        Parse.OWNER: v.parse_owner, Parse.COUNTRY: lambda s: (v.parse_country(s), v.squash(s)),
        Parse.STATUS: _status, Parse.ROLE: lambda s: (v.parse_role(s), v.squash(s)[:120]),
        Parse.CHANNEL: lambda s: (v.parse_channel(s), v.squash(s)[:120]),
        Parse.DIRECTION: v.parse_direction, Parse.DONE: v.parse_done,
        Parse.UNSUBSCRIBED: _unsubscribed,
    }
    return simple[p]


def _status(s: str) -> DealStatus | None:
    if s.strip().lower() in v.DELETED:
        return None  # a deleted deal: the row is skipped
    return v.parse_status(s)


def _unsubscribed(s: str) -> bool:
    if v.means_unsubscribed(s):
        return True
    try:
        return v.parse_bool(s)  # a yes/no column ("Unsubscribed: yes")
    except ValueError:
        return False  # "Subscribed", "No consent": not an opt-out


_ESSENTIAL = frozenset({"account.id", "account.name", "contact.id", "deal.id", "deal.title",
                        "activity.id"})


@dataclass(frozen=True)
class _Column:
    index: int
    header: str


class RowMapper:
    """Turns the rows of one file into records, with the file's mapping and locale settled."""

    def __init__(self, *, name: str, source: Source, kind: Kind, headers: Sequence[str],
                 columns: Mapping[str, Sequence[int]], defaults: Mapping[str, str],
                 order: v.DateOrder, decimal_comma: bool) -> None:
        self.name = name
        self.source = source
        self.kind = kind
        self.width = len(headers)
        cfg = _Settings(order, decimal_comma, source)
        self.plan: dict[Kind, list[tuple[str, FieldSpec, tuple[_Column, ...],
                                         Callable[[str], Any]]]] = {}
        for key, idxs in columns.items():
            spec = FIELDS[key]
            cols = tuple(_Column(i, headers[i]) for i in idxs)
            self.plan.setdefault(spec.kind, []).append((spec.name, spec, cols,
                                                        _converter(spec, cfg)))
        self.defaults = {FIELDS[k].name: (FIELDS[k], d) for k, d in defaults.items()
                         if FIELDS[k].kind == kind}
        self.default_converters = {name: _converter(spec, cfg)
                                   for name, (spec, _) in self.defaults.items()}
        self.skipped: dict[str, int] = {}
        self._seen: set[tuple[str, str]] = set()

    # --- reading values -------------------------------------------------------------------

    def _values(self, kind: Kind, cells: Sequence[str], line: int,
                problems: list[RowProblem]) -> dict[str, Any] | None:
        """Field name → value for one kind; None when a value the record needs is unreadable."""
        out: dict[str, Any] = {}
        for fname, spec, cols, conv in self.plan.get(kind, ()):
            if spec.many:
                found: list[Any] = []
                for col in cols:
                    raw = cells[col.index]
                    if not raw or v.is_empty(raw):
                        continue
                    try:
                        got = conv(raw)
                    except (ValueError, _Bad, ArithmeticError) as exc:
                        problems.append(self._bad(line, col, raw, exc, fatal=False))
                        continue
                    if isinstance(got, list):
                        found.extend(got)
                    else:
                        found.append(got)
                if found:
                    out[fname] = found
                continue
            for col in cols:
                raw = cells[col.index]
                if not raw or (spec.parse is not Parse.TEXT and v.is_empty(raw)):
                    continue
                if spec.parse is Parse.TEXT and not raw.strip():
                    continue
                try:
                    out[fname] = conv(raw)
                except (ValueError, _Bad, ArithmeticError) as exc:
                    fatal = spec.key in _ESSENTIAL
                    problems.append(self._bad(line, col, raw, exc, fatal=fatal))
                    if fatal:
                        return None
                    continue
                break
        for fname, (spec, default) in self.defaults.items():
            if fname not in out and kind == spec.kind:
                out[fname] = self.default_converters[fname](default)
        return out

    def _bad(self, line: int, col: _Column, raw: str, exc: Exception, *,
             fatal: bool) -> RowProblem:
        why = exc.why if isinstance(exc, _Bad) else (str(exc) or "cannot be read")
        why += " — the row is skipped" if fatal else IGNORED
        return RowProblem(self.name, line, why, col.header, printable(raw))

    # --- building records -----------------------------------------------------------------

    def map(self, line: int, cells: Sequence[str]) -> list[CrmRecord | RowProblem]:
        n = len(cells)
        if n != self.width:
            if n > self.width and not any(c.strip() for c in cells[self.width:]):
                cells = cells[:self.width]
            else:
                what = "more" if n > self.width else "fewer"
                return [RowProblem(self.name, line, f"the row has {n} values, {what} than the "
                                   f"{self.width} columns of the header (a stray quote, a "
                                   "delimiter inside a value, or a line cut short?)")]
        problems: list[RowProblem] = []
        origin = Origin(self.name, line)
        values: dict[Kind, dict[str, Any]] = {}
        for kind in self.plan:
            got = self._values(kind, cells, line, problems)
            if got is None:
                if kind == self.kind:
                    return list(problems)
                continue
            if got:
                values[kind] = got
        main = values.get(self.kind, {})
        out: list[CrmRecord | RowProblem] = list(problems)
        account = self._account(values.get(Kind.ACCOUNT), origin, out,
                                main=self.kind is Kind.ACCOUNT)
        if self.kind is Kind.ACCOUNT:
            if account is not None:
                out.append(account)
            return out
        people = values.get(Kind.CONTACT)
        if people is not None and self.kind in (Kind.DEAL, Kind.ACTIVITY):
            # the person's columns of a deal row: the deal names them and their company
            if main.get("contact") and not people.get("name"):
                people["name"] = main["contact"]
            if main.get("account") and not people.get("account"):
                people["account"] = main["account"]
        contact = self._contact(people, origin, out, account, main=self.kind is Kind.CONTACT)
        if self.kind is Kind.CONTACT:
            if account is not None and self._first(account):
                out.insert(len(problems), account)
            if contact is not None:
                out.append(contact)
            return out
        for secondary in (account, contact):
            if secondary is not None and self._first(secondary):
                out.insert(len(problems), secondary)
        if self.kind == Kind.DEAL:
            deal = self._deal(main, origin, out, account, contact)
            if deal is not None:
                out.append(deal)
        else:
            activity = self._activity(main, origin, account, contact)
            if activity.crm_id or activity.on or activity.subject or activity.contact:
                out.append(activity)
            else:
                self._missing(out, origin, "activity date, subject or contact")
        return out

    def _first(self, record: CrmAccount | CrmContact) -> bool:
        """A record carried by a row of another kind is yielded once per file."""
        key = record.crm_id or (record.name.casefold() if isinstance(record, CrmAccount)
                                else (record.email or record.name).casefold())
        mark = (record.kind.value, key)
        if mark in self._seen:
            return False
        self._seen.add(mark)
        return True

    def _missing(self, out: list[CrmRecord | RowProblem], origin: Origin, what: str) -> None:
        out.append(RowProblem(self.name, origin.line, f"no {what} — the row is skipped"))

    def _account(self, f: dict[str, Any] | None, origin: Origin,
                 out: list[CrmRecord | RowProblem], *, main: bool) -> CrmAccount | None:
        if not f:
            if main:
                self._missing(out, origin, "company name")
            return None
        name = f.get("name")
        if not name:
            if main:
                self._missing(out, origin, "company name")
            return None
        country, country_name = f.get("country", (None, None))
        return CrmAccount(
            source=self.source, crm_id=f.get("id"), name=name, origin=origin,
            domain=f.get("domain"), website=f.get("website"), industry=f.get("industry"),
            employees=f.get("employees"), country=country,
            country_name=None if country else country_name, region=f.get("region"),
            city=f.get("city"), owner=_owner(f))

    def _contact(self, f: dict[str, Any] | None, origin: Origin,
                 out: list[CrmRecord | RowProblem], account: CrmAccount | None, *,
                 main: bool) -> CrmContact | None:
        if not f:
            if main:
                self._missing(out, origin, "name or email for the contact")
            return None
        emails = tuple(dict.fromkeys(e.lower() for e in f.get("email", ())))
        name = f.get("name") or " ".join(p for p in (f.get("first_name"), f.get("last_name"))
                                         if p)
        if not name:
            name = emails[0] if emails else ""
        if not name:
            if main:
                self._missing(out, origin, "name or email for the contact")
            return None
        role, crm_role = f.get("role", (None, None))
        ref = _account_ref(f, account)
        return CrmContact(
            source=self.source, crm_id=f.get("id"), name=name[:300], origin=origin,
            emails=emails, phones=tuple(dict.fromkeys(f.get("phone", ()))), title=f.get("title"),
            role=role, crm_role=crm_role, account=ref, owner=_owner(f),
            email_opt_out=any(f.get("email_opt_out", ())),
            do_not_call=any(f.get("do_not_call", ())),
            consent_withdrawn=any(f.get("consent_withdrawn", ())),
            unsubscribed=any(f.get("unsubscribed", ())))

    def _deal(self, f: dict[str, Any], origin: Origin, out: list[CrmRecord | RowProblem],
              account: CrmAccount | None, contact: CrmContact | None) -> CrmDeal | None:
        title = f.get("title")
        if not title:
            self._missing(out, origin, "deal name")
            return None
        if "status" in f and f["status"] is None:
            self.skipped["deleted deals"] = self.skipped.get("deleted deals", 0) + 1
            return None
        crm_stage = f.get("stage")
        status = f.get("status") or _status_from(f.get("is_won"), f.get("is_closed"))
        if status is None and crm_stage:
            status = v.status_from_stage(crm_stage)
        value, currency = f.get("value", (None, None))
        currency = f.get("currency") or currency
        reasons = f.get("lost_reason")
        return CrmDeal(
            source=self.source, crm_id=f.get("id"), title=title, origin=origin,
            status=status or DealStatus.OPEN,
            stage=v.notnow_stage(crm_stage) if crm_stage else None, crm_stage=crm_stage,
            account=_account_ref(f, account), contact=_contact_ref(f, contact),
            owner=_owner(f), value=value, currency=currency,
            close_date=_day(f.get("close_date")), lost_date=_day(f.get("lost_date")),
            won_date=_day(f.get("won_date")),
            lost_reason=" — ".join(dict.fromkeys(reasons)) if reasons else None)

    def _activity(self, f: dict[str, Any], origin: Origin, account: CrmAccount | None,
                  contact: CrmContact | None) -> CrmActivity:
        channel, crm_type = f.get("type", (None, None))
        day: date | None = None
        at: datetime | None = None
        if "date" in f:
            day, at = f["date"]
            if at is None and "time" in f and day is not None:
                at = datetime.combine(day, f["time"])
        deal_id = f.get("deal_id")
        account_id = f.get("account_id")
        if deal_id and self.source is Source.SALESFORCE and deal_id.startswith("001"):
            account_id, deal_id = account_id or deal_id, None  # WhatId names an account
        deal = Ref(deal_id, f.get("deal"))
        acc = Ref(account_id, _first(f.get("account"))) or (_account_ref({}, account) or Ref())
        return CrmActivity(
            source=self.source, crm_id=f.get("id"), origin=origin, channel=channel,
            crm_type=crm_type, on=day, at=at, direction=f.get("direction"),
            done=f.get("done"), subject=f.get("subject"),
            contact=_contact_ref(f, contact) or None, account=acc or None,
            deal=deal or None, owner=_owner(f))


def _first(name: str | None) -> str | None:
    """The first of several associated names ("Ann Lee;Bo Yu"), as HubSpot joins them."""
    if name and ";" in name:
        return name.split(";", 1)[0].strip() or None
    return name


def _day(value: tuple[date, datetime | None] | None) -> date | None:
    return value[0] if value else None


def _status_from(is_won: bool | None, is_closed: bool | None) -> DealStatus | None:
    if is_won:
        return DealStatus.WON
    if is_closed is True:
        return DealStatus.LOST
    if is_closed is False:
        return DealStatus.OPEN
    return None


def _owner(f: Mapping[str, Any]) -> Ref | None:
    name, email = f.get("owner", (None, None))
    ref = Ref(f.get("owner_id"), name, email)
    return ref or None


def _account_ref(f: Mapping[str, Any], account: CrmAccount | None) -> Ref | None:
    ref = Ref(f.get("account_id") or (account.crm_id if account else None),
              _first(f.get("account")) or (account.name if account else None))
    return ref or None


def _contact_ref(f: Mapping[str, Any], contact: CrmContact | None) -> Ref | None:
    emails = f.get("contact_email") or ()
    ref = Ref(f.get("contact_id") or (contact.crm_id if contact else None),
              _first(f.get("contact")) or (contact.name if contact else None),
              (emails[0].lower() if emails else None) or (contact.email if contact else None))
    return ref or None

