"""Writing back: files each CRM's own importer takes to UPDATE the records notnow read from it.

`write_files(target, outcomes, touches, folder)` streams what notnow knows — per contact, deal
or company: the reason it was lost (taxonomy label and the prospect's words), the next
check-back, do-not-contact — and the touches notnow recorded, into one file per record type,
keyed by the CRM's own ids (HubSpot "Record ID", Pipedrive "<Object> - ID", Salesforce "Id"),
so importing them updates the right records and creates none. docs/crm.md gives the steps
in each CRM.

Cells are neutralised for spreadsheets by `notnow.render.spreadsheet.safe_cell` (the one function
every CSV notnow writes uses): one that starts like a formula (= + - @, a tab or a carriage
return) is prefixed with an apostrophe. CRM opt-out fields are only ever set, never
cleared: they go in a file of their own that holds the opted-out records alone.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from notnow.core.model import Channel, Direction
from notnow.crm.records import Kind, Source
from notnow.errors import Conflict, InvalidInput
from notnow.render.spreadsheet import safe_cell

MAX_WORDS = 32_000
"""The prospect's words are cut to this many characters: every CRM's long text field holds it
(Salesforce's default Long Text Area is 32,768)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What notnow knows about one record of the CRM, to send back to it."""

    kind: Kind  # contact, deal or account
    crm_id: str
    reason: str | None = None  # the taxonomy label, e.g. "competitor_chosen"
    words: str | None = None  # the prospect's own words
    next_checkback: date | None = None
    do_not_contact: bool = False
    dnc_since: date | None = None
    last_touch: date | None = None
    touches: int | None = None


@dataclass(frozen=True, slots=True)
class TouchOut:
    """A touch notnow recorded (never one it imported), to log as an activity in the CRM."""

    notnow_id: int
    contact_crm_id: str
    at: datetime
    channel: Channel
    direction: Direction = Direction.OUTBOUND
    outcome: str | None = None
    deal_crm_id: str | None = None


@dataclass(frozen=True, slots=True)
class WrittenFile:
    path: Path
    rows: int
    purpose: str


def _words(text: str | None) -> str | None:
    if text is None:
        return None
    return text if len(text) <= MAX_WORDS else text[:MAX_WORDS - 1] + "…"


@dataclass(frozen=True)
class _Sheet:
    name: str
    purpose: str
    header: tuple[str, ...]
    row: Callable[[Outcome], Sequence[object] | None]


@dataclass(frozen=True)
class _TouchSheet:
    name: str
    purpose: str
    header: tuple[str, ...]
    row: Callable[[TouchOut], Sequence[object] | None]


# --- HubSpot ------------------------------------------------------------------------------------

_HS_NOTNOW = ("notnow reason", "notnow prospect words", "notnow next check-back")
_HS_CONTACT_EXTRA = ("notnow do not contact", "notnow do not contact since", "notnow last touch",
                     "notnow touches")


def _common(o: Outcome) -> list[object]:
    return [o.crm_id, o.reason, _words(o.words), o.next_checkback]


def _contact_extra(o: Outcome) -> list[object]:
    return [o.do_not_contact, o.dnc_since, o.last_touch, o.touches]


def _only(kind: Kind, build: Callable[[Outcome], Sequence[object]]) -> Callable[
        [Outcome], Sequence[object] | None]:
    return lambda o: build(o) if o.kind is kind else None


def _hs_touch(channels: frozenset[Channel]) -> Callable[[TouchOut], Sequence[object] | None]:
    def row(t: TouchOut) -> Sequence[object] | None:
        if t.channel not in channels:
            return None
        return [t.contact_crm_id, t.at, t.direction.value.upper(), _touch_title(t),
                f"notnow-{t.notnow_id}", t.deal_crm_id]
    return row


def _touch_title(t: TouchOut) -> str:
    title = f"{t.channel.value.replace('_', ' ')} ({t.direction.value})"
    return f"{title}: {t.outcome}" if t.outcome else title


_HS_TOUCH_HEADER = ("Record ID", "Activity date", "Direction", "Title", "notnow touch id",
                    "Deal Record ID")
_HUBSPOT = (
    _Sheet("hubspot-contacts.csv", "HubSpot: update contacts (Record ID)",
           ("Record ID", *_HS_NOTNOW, *_HS_CONTACT_EXTRA),
           _only(Kind.CONTACT, lambda o: _common(o) + _contact_extra(o))),
    _Sheet("hubspot-deals.csv", "HubSpot: update deals (Record ID)",
           ("Record ID", *_HS_NOTNOW), _only(Kind.DEAL, _common)),
    _Sheet("hubspot-companies.csv", "HubSpot: update companies (Record ID)",
           ("Record ID", *_HS_NOTNOW), _only(Kind.ACCOUNT, _common)),
)
_HUBSPOT_TOUCHES = (
    _TouchSheet("hubspot-calls.csv", "HubSpot: log calls on contacts (Record ID)",
                _HS_TOUCH_HEADER, _hs_touch(frozenset({Channel.CALL, Channel.VOICEMAIL}))),
    _TouchSheet("hubspot-emails.csv", "HubSpot: log emails on contacts (Record ID)",
                _HS_TOUCH_HEADER, _hs_touch(frozenset({Channel.EMAIL}))),
    _TouchSheet("hubspot-meetings.csv", "HubSpot: log meetings on contacts (Record ID)",
                _HS_TOUCH_HEADER, _hs_touch(frozenset({Channel.MEETING, Channel.DROP_IN}))),
    _TouchSheet("hubspot-notes.csv", "HubSpot: log other touches as notes (Record ID)",
                _HS_TOUCH_HEADER,
                _hs_touch(frozenset({Channel.LINKEDIN, Channel.NOTE, Channel.PARCEL,
                                     Channel.REFERRAL}))),
)

# --- Pipedrive ----------------------------------------------------------------------------------


def _pd_header(obj: str, extra: Sequence[str] = ()) -> tuple[str, ...]:
    names = ("notnow reason", "notnow prospect words", "notnow next check-back", *extra)
    return (f"{obj} - ID", *(f"{obj} - {n}" for n in names))


_PD_TYPE = {Channel.CALL: "Call", Channel.VOICEMAIL: "Call", Channel.EMAIL: "Email",
            Channel.MEETING: "Meeting", Channel.DROP_IN: "Meeting"}


def _pd_touch(t: TouchOut) -> Sequence[object]:
    return [_touch_title(t), _PD_TYPE.get(t.channel, "Task"), t.at.date(),
            t.at.strftime("%H:%M"), "Done", f"notnow-{t.notnow_id}", t.contact_crm_id,
            t.deal_crm_id]


_PIPEDRIVE = (
    _Sheet("pipedrive-people.csv", "Pipedrive: update people (Person - ID)",
           _pd_header("Person", ("notnow do not contact", "notnow do not contact since",
                                 "notnow last touch", "notnow touches")),
           _only(Kind.CONTACT, lambda o: _common(o) + _contact_extra(o))),
    _Sheet("pipedrive-deals.csv", "Pipedrive: update deals (Deal - ID)",
           _pd_header("Deal"), _only(Kind.DEAL, _common)),
    _Sheet("pipedrive-organizations.csv", "Pipedrive: update organizations "
           "(Organization - ID)", _pd_header("Organization"), _only(Kind.ACCOUNT, _common)),
)
_PIPEDRIVE_TOUCHES = (
    _TouchSheet("pipedrive-activities.csv", "Pipedrive: add done activities to people",
                ("Activity - Subject", "Activity - Type", "Activity - Due date",
                 "Activity - Due time", "Activity - Done", "Activity - Note", "Person - ID",
                 "Deal - ID"), _pd_touch),
)

# --- Salesforce ---------------------------------------------------------------------------------

_SF_NOTNOW = ("Notnow_Reason__c", "Notnow_Prospect_Words__c", "Notnow_Next_Checkback__c")
_SF_CONTACT_EXTRA = ("Notnow_Do_Not_Contact__c", "Notnow_Do_Not_Contact_Since__c",
                     "Notnow_Last_Touch__c", "Notnow_Touches__c")
_SF_TYPE = {Channel.CALL: "Call", Channel.VOICEMAIL: "Call", Channel.EMAIL: "Email",
            Channel.MEETING: "Meeting", Channel.DROP_IN: "Meeting"}


def _sf_optout(o: Outcome) -> Sequence[object] | None:
    return [o.crm_id, True, True] if o.kind is Kind.CONTACT and o.do_not_contact else None


def _sf_touch(t: TouchOut) -> Sequence[object]:
    call_type = ({Direction.INBOUND: "Inbound", Direction.OUTBOUND: "Outbound"}[t.direction]
                 if t.channel in (Channel.CALL, Channel.VOICEMAIL) else None)
    return [f"notnow-{t.notnow_id}", t.contact_crm_id, t.deal_crm_id, _touch_title(t),
            t.at.date(), "Completed", _SF_TYPE.get(t.channel, "Other"), call_type]


_SALESFORCE = (
    _Sheet("salesforce-contacts.csv", "Salesforce Data Loader: Update Contact (Id)",
           ("Id", *_SF_NOTNOW, *_SF_CONTACT_EXTRA),
           _only(Kind.CONTACT, lambda o: _common(o) + _contact_extra(o))),
    _Sheet("salesforce-contacts-opt-out.csv", "Salesforce Data Loader: Update Contact (Id) — "
           "opt-outs only, never cleared", ("Id", "HasOptedOutOfEmail", "DoNotCall"),
           _sf_optout),
    _Sheet("salesforce-opportunities.csv", "Salesforce Data Loader: Update Opportunity (Id)",
           ("Id", *_SF_NOTNOW), _only(Kind.DEAL, _common)),
    _Sheet("salesforce-accounts.csv", "Salesforce Data Loader: Update Account (Id)",
           ("Id", *_SF_NOTNOW), _only(Kind.ACCOUNT, _common)),
)
_SALESFORCE_TOUCHES = (
    _TouchSheet("salesforce-tasks.csv", "Salesforce Data Loader: Upsert Task on "
                "Notnow_Touch_Id__c", ("Notnow_Touch_Id__c", "WhoId", "WhatId", "Subject",
                                       "ActivityDate", "Status", "Type", "CallType"),
                _sf_touch),
)

# --- any spreadsheet ----------------------------------------------------------------------------

_CSV = (
    _Sheet("notnow-results.csv", "notnow's results by CRM id, for any tool",
           ("kind", "crm id", "reason", "prospect words", "next check-back",
            "do not contact", "do not contact since", "last touch", "touches"),
           lambda o: [o.kind.value, o.crm_id, o.reason, _words(o.words), o.next_checkback,
                      o.do_not_contact, o.dnc_since, o.last_touch, o.touches]),
)
_CSV_TOUCHES = (
    _TouchSheet("notnow-touches.csv", "notnow's touches by contact CRM id",
                ("notnow touch id", "contact crm id", "deal crm id", "at", "channel",
                 "direction", "outcome"),
                lambda t: [t.notnow_id, t.contact_crm_id, t.deal_crm_id, t.at, t.channel.value,
                           t.direction.value, t.outcome]),
)

_LAYOUTS: dict[Source, tuple[tuple[_Sheet, ...], tuple[_TouchSheet, ...], str]] = {
    Source.HUBSPOT: (_HUBSPOT, _HUBSPOT_TOUCHES, "utf-8"),
    Source.PIPEDRIVE: (_PIPEDRIVE, _PIPEDRIVE_TOUCHES, "utf-8"),
    Source.SALESFORCE: (_SALESFORCE, _SALESFORCE_TOUCHES, "utf-8"),
    Source.CSV: (_CSV, _CSV_TOUCHES, "utf-8-sig"),  # with a BOM: Excel shows accents right
}


def file_names(target: Source | str) -> list[str]:
    """The files `write_files` may write for a target, in order."""
    sheets, touch_sheets, _ = _LAYOUTS[Source(target)]
    return [s.name for s in sheets] + [s.name for s in touch_sheets]


class _Out:
    """One file being written: to a temporary name in the folder, moved in place at the end."""

    def __init__(self, folder: Path, name: str, header: Sequence[str], encoding: str) -> None:
        self.final = folder / name
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
        self.tmp = Path(tmp)
        self.fh: TextIO = os.fdopen(fd, "w", encoding=encoding, newline="")
        self.writer = csv.writer(self.fh, lineterminator="\r\n")
        self.writer.writerow(header)
        self.rows = 0

    def write(self, row: Sequence[object]) -> None:
        self.writer.writerow([safe_cell(c) for c in row])
        self.rows += 1

    def finish(self) -> bool:
        self.fh.close()
        if not self.rows:
            self.tmp.unlink(missing_ok=True)
            return False
        os.replace(self.tmp, self.final)  # replaces a symlink, never writes through it
        return True

    def abandon(self) -> None:
        self.fh.close()
        self.tmp.unlink(missing_ok=True)


def write_files(target: Source | str, outcomes: Iterable[Outcome], touches: Iterable[TouchOut],
                folder: Path, *, overwrite: bool = False) -> list[WrittenFile]:
    """Write the files for `target` into `folder` (created if need be); a file with no row is
    not written. Refuses to replace existing files unless `overwrite`."""
    try:
        source = Source(target)
    except ValueError:
        raise InvalidInput(f"unknown CRM '{target}'; expected one of: "
                           f"{', '.join(s.value for s in Source)}", field="--for") from None
    sheets, touch_sheets, encoding = _LAYOUTS[source]
    folder.mkdir(parents=True, exist_ok=True)
    if not overwrite:
        existing = [n for n in file_names(source) if (folder / n).exists()]
        if existing:
            raise Conflict(f"{folder} already holds {', '.join(existing)}: choose another "
                           "folder, or replace them (--overwrite)")
    outs = [_Out(folder, s.name, s.header, encoding) for s in sheets]
    touch_outs = [_Out(folder, s.name, s.header, encoding) for s in touch_sheets]
    try:
        for o in outcomes:
            if o.kind not in (Kind.CONTACT, Kind.DEAL, Kind.ACCOUNT):
                raise InvalidInput(f"an outcome for a {o.kind.value} cannot be sent back",
                                   field="kind")
            for sheet, out in zip(sheets, outs, strict=True):
                row = sheet.row(o)
                if row is not None:
                    out.write(row)
        for t in touches:
            for tsheet, out in zip(touch_sheets, touch_outs, strict=True):
                row = tsheet.row(t)
                if row is not None:
                    out.write(row)
    except BaseException:
        for out in outs + touch_outs:
            out.abandon()
        raise
    written: list[WrittenFile] = []
    purposes = [s.purpose for s in sheets] + [s.purpose for s in touch_sheets]
    for out, purpose in zip(outs + touch_outs, purposes, strict=True):
        rows = out.rows
        if out.finish():
            written.append(WrittenFile(out.final, rows, purpose))
    return written
