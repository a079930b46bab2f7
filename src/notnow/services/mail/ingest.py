"""What each message becomes, for the mail's owner — through the one guarded write path.

For every message read (from a file or a mailbox folder), in the owner's name:

    bounce       each address that failed for good (5.x.x) is marked not deliverable on the
                 owner's contacts (no email is planned to it: core.caps.channel_closed)
    auto_reply   read for its return date and logged as a pause (label auto_reply), unless
                 its words are an opt-out (that wins, as everywhere)
    inbound      read (understanding, time hint, slots) and logged by `log_rejection`: a no,
                 interest, an opt-out (do-not-contact at once) or a reading held for review
    sent         an outbound email touch per known recipient (`add_touch`: the caps count it;
                 refused for a do-not-contact contact), a reply when it answers their message
    bulk, internal  remembered and skipped

A sender or recipient is matched to the owner's contacts by address; a new address becomes a
contact (marked found in mail, under the owner) only at an account the owner may change whose
domain it shares — or at a new account when the mailbox reads "everything". An address on
the suppression list never becomes a contact again.

Each message is one transaction: it is remembered (`mail.state`, unique per owner and
fingerprint) together with what it led to and, for a mailbox, the folder position. A crash
leaves either all of it or none of it; the next run skips what is known. Skipped messages are
remembered in batches, always committed before any later message's position.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from notnow.core.identity import identities, normal_email
from notnow.core.model import Channel, Label
from notnow.core.policy import Actor, may_write
from notnow.errors import DoNotContact, NotnowError, StorageError
from notnow.mail.classify import Classification, MessageKind, Owner, classify, is_public_domain
from notnow.mail.parse import ParsedMessage
from notnow.mail.state import Origin, advance_folder, find_by_message_id, remember_message, seen
from notnow.mail.state import set_outcome as _set_outcome
from notnow.services.capture.log import log_rejection, understand_text
from notnow.services.capture.touches import add_touch
from notnow.services.lookup import account_clause, owned
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage import guards
from notnow.storage.tables import Account, Contact, Mailbox, MailMessage, Rejection, User

SKIP_BATCH = 200
"""Skipped messages remembered per transaction."""
MAX_RECIPIENTS = 20
"""Recipients of one sent message looked at (a mass mailing is not a touch per person)."""

Advance = tuple[int, str, int, int]
"""(mailbox id, folder, UIDVALIDITY, UID): the folder position a message's commit moves to."""


@dataclass(frozen=True)
class Problem:
    """A message that could not be read or used: where, which, why (shown to the person)."""

    source: str
    number: int | None
    why: str

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "number": self.number, "why": self.why}


@dataclass
class Tally:
    """What a run did, counted."""

    read: int = 0
    known: int = 0
    rejections: int = 0
    interest: int = 0
    pauses: int = 0
    opt_outs: int = 0
    held: int = 0
    touches: int = 0
    not_contacted: int = 0
    """Sent mail to a do-not-contact contact: no touch recorded."""
    bounces: int = 0
    contacts_created: int = 0
    accounts_created: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
               if f.name != "problems"}
        out["problems"] = [p.to_json() for p in self.problems[:200]]
        out["problem_count"] = len(self.problems)
        return out


@dataclass(frozen=True)
class Reader:
    """Whose mail is read, and how: the owner as the actor, their addresses and domains."""

    actor: Actor
    owner: Owner
    everything: bool = False
    mailbox_id: int | None = None


def reader_for(s: Session, actor: Actor, mailbox: Mailbox | None = None, *,
               everything: bool = False) -> Reader:
    """The owner's addresses: their login email, and those of their mailboxes."""
    addresses: list[str] = [a for a in (actor.email,) if a]
    boxes = [mailbox] if mailbox is not None else list(s.scalars(
        select(Mailbox).where(Mailbox.owner_id == actor.id)))
    for box in boxes:
        addresses += [str(a) for a in box.own_addresses or []]
        if "@" in box.username:
            addresses.append(box.username)
    user = s.get(User, actor.id)
    if user is not None and user.email:
        addresses.append(user.email)
    return Reader(actor, Owner.of(addresses),
                  everything or bool(mailbox is not None and mailbox.everything),
                  mailbox.id if mailbox is not None else None)


@dataclass(frozen=True)
class _Target:
    """Whom a message concerns: a known contact, or a new one to create."""

    email: str
    contact_id: int | None = None
    account_id: int | None = None
    new_name: str | None = None
    new_account: str | None = None
    """With "everything": the account to create (named after the domain)."""


@dataclass
class _Skip:
    message: ParsedMessage | None
    kind: str
    origin: Origin
    outcome: str
    advance: Advance | None


Item = tuple[ParsedMessage, Origin, "Advance | None"]


class Ingest:
    """Reads messages for one owner; `batch()` them in order, then `close()`."""

    def __init__(self, ws: Workspace, reader: Reader, tally: Tally | None = None, *,
                 sent_folder: str | None = None,
                 progress: Callable[[Tally], None] | None = None) -> None:
        self.ws = ws
        self.reader = reader
        self.actor = reader.actor
        self.tally = tally or Tally()
        self.sent_folder = sent_folder
        self.progress = progress
        self._pending: list[_Skip] = []

    # -- the driver's interface ---------------------------------------------------------------

    def batch(self, items: Sequence[Item]) -> None:
        """Read these messages, in order (the known ones are skipped cheaply)."""
        if not items:
            return
        with self.ws.db.read() as s:
            known = seen(s, self.actor.id, [m.fingerprint for m, _, _ in items])
        done: set[str] = set()
        for message, origin, advance in items:
            self.tally.read += 1
            if message.fingerprint in known or message.fingerprint in done:
                self.tally.known += 1
                if advance is not None:
                    self._skip(None, "", origin, "", advance)
            else:
                self._one(message, origin, advance)
                done.add(message.fingerprint)
            if self.progress is not None and self.tally.read % 250 == 0:
                self.progress(self.tally)

    def broken(self, origin: Origin, why: str, advance: Advance | None = None) -> None:
        """A message that cannot be read: reported, and passed by (its folder position too)."""
        where = origin.source or f"{origin.folder} (UID {origin.uid})"
        self.tally.problems.append(Problem(where, origin.number if origin.source else origin.uid,
                                           why))
        if advance is not None:
            self._skip(None, "", origin, "", advance)

    def close(self) -> Tally:
        self._flush()
        return self.tally

    # -- one message -------------------------------------------------------------------------

    def _one(self, m: ParsedMessage, origin: Origin, advance: Advance | None) -> None:
        c = classify(m, self.reader.owner)
        if (self.sent_folder is not None and origin.folder == self.sent_folder
                and c.kind not in (MessageKind.SENT, MessageKind.BOUNCE)):
            # in the Sent folder: the owner sent it, from an address we were not told of
            outside = tuple(a.email for a in m.recipients
                            if a.email not in self.reader.owner.addresses
                            and a.domain not in self.reader.owner.domains)
            c = Classification(MessageKind.SENT, f"in the Sent folder {origin.folder!r}",
                               outside)
        try:
            if c.kind in (MessageKind.INBOUND, MessageKind.AUTO_REPLY):
                self._inbound(m, c, origin, advance)
            elif c.kind == MessageKind.SENT:
                self._sent(m, c, origin, advance)
            elif c.kind == MessageKind.BOUNCE:
                self._bounce(m, c, origin, advance)
            else:
                self.tally.skipped += 1
                self._skip(m, c.kind.value, origin, "skipped", advance)
        except StorageError:
            raise
        except NotnowError as exc:  # this message only: reported, remembered, passed by
            self.broken(origin, exc.message)
            self._skip(m, c.kind.value, origin, "failed", advance)

    def _inbound(self, m: ParsedMessage, c: Classification, origin: Origin,
                 advance: Advance | None) -> None:
        actor, now = self.actor, self.ws.now()
        sender = c.counterparts[0] if c.counterparts else None
        with self.ws.db.read() as s:
            parent = (find_by_message_id(s, actor.id, m.in_reply_to)
                      if m.in_reply_to else None)
            target = self._whom(s, sender, m.from_.name if m.from_ else "",
                                parent_contact=parent.contact_id if parent else None)
            deal_id = _parent_deal(s, parent)
            acc = _reading_account(s, target)
        if target is None:
            self.tally.skipped += 1
            self._skip(m, c.kind.value, origin, "unknown sender", advance)
            return
        words = m.own_words.strip()
        if not words and c.kind == MessageKind.INBOUND:
            self.tally.skipped += 1
            self._skip(m, c.kind.value, origin, "no words", advance)
            return
        at = min(m.date or now, now)
        today = at.astimezone(ZoneInfo(acc.timezone or self.ws.config.timezone)).date()
        u = (understand_text(self.ws, words, today=today, account=acc,
                             headers=m.understand_headers()) if words else None)
        data: dict[str, Any] = {"text": words or None, "channel": Channel.EMAIL.value, "at": at}
        if c.kind == MessageKind.AUTO_REPLY:
            u = _as_pause(u)
            if u is None:
                data["label"] = Label.AUTO_REPLY.value
        self._flush()
        with self.ws.db.write() as s:
            row = remember_message(s, m, c.kind.value, origin, owner_id=actor.id, now=now)
            if row is None:
                self.tally.known += 1
            else:
                contact_id = self._contact(s, target)
                out = log_rejection(self.ws, actor, data, contact=contact_id, deal=deal_id,
                                    session=s, reading=u)
                outcome = self._count(out.label, out.review)
                _set_outcome(s, row, outcome, contact_id=contact_id, rejection_id=out.id)
            self._advance(s, advance, now)

    def _sent(self, m: ParsedMessage, c: Classification, origin: Origin,
              advance: Advance | None) -> None:
        actor, now = self.actor, self.ws.now()
        with self.ws.db.read() as s:
            parent = (find_by_message_id(s, actor.id, m.in_reply_to)
                      if m.in_reply_to else None)
            names = {a.email: a.name for a in m.recipients}
            targets = [t for t in (self._whom(s, email, names.get(email, ""))
                                   for email in dict.fromkeys(c.counterparts[:MAX_RECIPIENTS]))
                       if t is not None]
            reply = parent is not None and parent.kind in (MessageKind.INBOUND.value,
                                                           MessageKind.AUTO_REPLY.value)
        if not targets:
            self.tally.skipped += 1
            self._skip(m, c.kind.value, origin, "no known recipient", advance)
            return
        at = min(m.date or now, now)
        self._flush()
        with self.ws.db.write() as s:
            row = remember_message(s, m, c.kind.value, origin, owner_id=actor.id, now=now)
            if row is None:
                self.tally.known += 1
            else:
                first: tuple[int | None, int | None] = (None, None)
                refused = 0
                for target in targets:
                    contact = s.get(Contact, self._contact(s, target))
                    assert contact is not None
                    try:
                        touch, _over = add_touch(
                            s, actor, contact, channel=Channel.EMAIL, direction="outbound",
                            outcome=_cut(f"email: {m.subject}", 200), at=at, now=now,
                            reply=reply)
                    except DoNotContact:
                        refused += 1
                        continue
                    self.tally.touches += 1
                    if first[0] is None:
                        first = (contact.id, touch.id)
                self.tally.not_contacted += refused
                _set_outcome(s, row, "touch" if first[0] else "do_not_contact",
                             contact_id=first[0], touch_id=first[1])
            self._advance(s, advance, now)

    def _bounce(self, m: ParsedMessage, c: Classification, origin: Origin,
                advance: Advance | None) -> None:
        actor, now = self.actor, self.ws.now()
        failed = [f.email for f in m.failed_recipients
                  if f.permanent and f.email not in self.reader.owner.addresses]
        if not failed:
            self.tally.skipped += 1
            self._skip(m, c.kind.value, origin, "delayed, not bounced", advance)
            return
        at = min(m.date or now, now)
        self._flush()
        with self.ws.db.write() as s:
            row = remember_message(s, m, c.kind.value, origin, owner_id=actor.id, now=now)
            if row is None:
                self.tally.known += 1
            else:
                first = None
                for email in dict.fromkeys(failed):
                    key = normal_email(email)
                    if key is None:
                        continue
                    for contact in s.scalars(select(Contact).where(
                            Contact.email_key == key, Contact.email_bounced_at.is_(None),
                            owned(actor, Contact.owner_id, write=True))):
                        contact.email_bounced_at = at
                        record(s, actor, "contact.email_bounced", "contact", contact.id, at=now,
                               account_id=contact.account_id, contact_id=contact.id,
                               owner_id=contact.owner_id, note=c.why)
                        self.tally.bounces += 1
                        first = first or contact.id
                _set_outcome(s, row, "bounce", contact_id=first)
            self._advance(s, advance, now)

    # -- whom a message concerns -------------------------------------------------------------

    def _whom(self, s: Session, email: str | None, name: str, *,
              parent_contact: int | None = None) -> _Target | None:
        """The owner's contact with this address; else a new one at a known account of the
        same domain (or a new account, reading "everything"); else None."""
        actor = self.actor
        key = normal_email(email) if email else None
        if key is None:
            return None
        found = _by_address(s, actor, key)
        if found is None and parent_contact is not None:  # their reply from another address
            found = s.scalar(select(Contact.id).where(
                Contact.id == parent_contact, owned(actor, Contact.owner_id, write=True)))
        if found is not None:
            return _Target(key, contact_id=found)
        if guards.first_suppressed(s, identities(email=key)) is not None:
            return None  # an opt-out or an erasure: never a contact again
        domain = key.rsplit("@", 1)[1]
        person = (name or "").strip()[:300] or key.split("@", 1)[0]
        if not is_public_domain(domain):
            mine = case((Account.owner_id == actor.id, 0), else_=1)
            account = s.scalar(select(Account.id).where(
                account_clause(actor, write=True),
                or_(func.lower(Account.domain).in_((domain, f"www.{domain}")),
                    Account.id.in_(select(Contact.account_id).where(
                        Contact.email_key.endswith(f"@{domain}", autoescape=True)))))
                .order_by(mine, Account.id).limit(1))
            if account is not None:
                return _Target(key, account_id=account, new_name=person)
        if self.reader.everything:
            return _Target(key, new_name=person,
                           new_account=person if is_public_domain(domain) else domain)
        return None

    def _contact(self, s: Session, target: _Target) -> int:
        """The target's contact id, creating it (and its account) when new."""
        from notnow.services.records.accounts import create_account
        from notnow.services.records.contacts import create_contact

        if target.contact_id is not None:
            return target.contact_id
        now = self.ws.now()
        # created a moment ago by an earlier message of this run?
        again = [cid for cid, owner in s.execute(_ADDRESS, {"key": target.email})
                 if owner == self.actor.id]
        if again:
            return int(again[0])
        if target.account_id is not None:
            account = s.get(Account, target.account_id)
        else:
            domain = target.email.rsplit("@", 1)[1]
            account = s.scalar(select(Account).where(
                Account.owner_id == self.actor.id,
                func.lower(Account.domain) == domain).limit(1)) if not is_public_domain(
                    domain) else None
            if account is None:
                account = create_account(
                    s, self.actor, {"name": target.new_account or domain,
                                    "domain": None if is_public_domain(domain) else domain},
                    now=now, note="found in mail")
                self.tally.accounts_created += 1
        assert account is not None
        contact = create_contact(s, self.actor, account,
                                 {"name": target.new_name or target.email,
                                  "email": target.email},
                                 now=now, owner_id=self.actor.id, found_in_mail=True)
        self.tally.contacts_created += 1
        return contact.id

    # -- bookkeeping -------------------------------------------------------------------------

    def _count(self, label: Any, review: str | None) -> str:
        label = Label(label)
        if label == Label.DO_NOT_CONTACT:
            self.tally.opt_outs += 1
            return "opt_out"
        if review == "pending":
            self.tally.held += 1
        if label == Label.AUTO_REPLY:
            self.tally.pauses += 1
            return "pause"
        if label == Label.INTERESTED:
            self.tally.interest += 1
            return "interest"
        self.tally.rejections += 1
        return "rejection"

    def _skip(self, m: ParsedMessage | None, kind: str, origin: Origin, outcome: str,
              advance: Advance | None) -> None:
        self._pending.append(_Skip(m, kind, origin, outcome, advance))
        if len(self._pending) >= SKIP_BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        now = self.ws.now()
        with self.ws.db.write() as s:
            last: dict[tuple[int, str, int], int] = {}
            for item in pending:
                if item.message is not None:
                    remember_message(s, item.message, item.kind, item.origin,
                                     owner_id=self.actor.id, now=now, outcome=item.outcome)
                if item.advance is not None:
                    box, folder, validity, uid = item.advance
                    last[(box, folder, validity)] = max(uid, last.get((box, folder, validity), 0))
            for (box, folder, validity), uid in last.items():
                advance_folder(s, box, folder, validity, uid, now=now)

    @staticmethod
    def _advance(s: Session, advance: Advance | None, now: datetime) -> None:
        if advance is not None:
            box, folder, validity, uid = advance
            advance_folder(s, box, folder, validity, uid, now=now)


_ADDRESS = (select(Contact.id, Contact.owner_id).where(Contact.email_key == bindparam("key"))
            .order_by(Contact.id))
"""The contacts with an address (few), through its index: filtered by owner here, since
SQLite's planner would rather read every contact of the owner through theirs."""


def _by_address(s: Session, actor: Actor, key: str) -> int | None:
    """The contact with this address the actor may change — their own first, else the
    lowest id (`owned(…, write=True)`'s rule, as `policy.may_write`)."""
    rows = [(owner != actor.id, cid) for cid, owner in s.execute(_ADDRESS, {"key": key})
            if may_write(actor, owner)]
    return min(rows)[1] if rows else None


def _as_pause(u: Any) -> Any:
    """An automatic reply read as what it is — a pause until the return date — unless its
    words are an opt-out ("I have left; remove me from your list"), which wins."""
    if u is None or u.label == Label.DO_NOT_CONTACT:
        return u
    return dataclasses.replace(u, label=Label.AUTO_REPLY,
                               also=tuple(a for a in u.also if a == Label.DO_NOT_CONTACT),
                               needs_review=False, review_reason=None)


def _reading_account(s: Session, target: _Target | None) -> Account:
    """What the reader needs of the account (time zone, fiscal year, country), detached."""
    found = s.get(Account, target.account_id) if target and target.account_id else None
    if found is None:
        return Account(name=(target.new_account if target else None) or "?")
    return Account(name=found.name, timezone=found.timezone, country=found.country,
                   fiscal_year_start=found.fiscal_year_start)


def _parent_deal(s: Session, parent: MailMessage | None) -> int | None:
    if parent is None or parent.rejection_id is None:
        return None
    return s.scalar(select(Rejection.deal_id).where(Rejection.id == parent.rejection_id))


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"
