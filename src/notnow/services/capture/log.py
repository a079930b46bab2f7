"""Logging a "no": one service call, the same for the CLI, the pages, the API, mail and imports.

:func:`log_rejection` does the whole use case in one transaction, for one actor:

1. **understand** the prospect's words (before any lock is taken: reading is the slow part);
2. **lock** the contact (and its account) and read what is stored now;
3. **refuse a silent override**: words that read as an opt-out, logged with another label,
   need the salesperson's confirmation that they are not one, with a reason (recorded);
4. **store** the rejection, with the correction (if the salesperson changed the label) kept as
   a team example in the same transaction; an opt-out marks the contact do-not-contact and
   suppresses their identities;
5. **plan and schedule**: the prospect's latest word wins — what was still planned for the
   contact is replaced (:func:`notnow.services.followups.planning.replace_open`), whether or
   not this answer's plan is scheduled now — and every follow-up the plan schedules — the
   check-back included — is dated within do-not-contact, holds and every cap
   (:func:`notnow.services.followups.planning.schedule_plan`);
6. **audit** what happened.

A reading the reader is unsure of (``needs_review``) is stored but nothing is scheduled until
the salesperson confirms it; a suspected opt-out holds the contact the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from notnow.core.labels import deal_status_after, resolve_primary
from notnow.core.model import DncSource, Label
from notnow.core.policy import Actor, may_read_private
from notnow.errors import Conflict, InvalidInput
from notnow.services.capture.optout import apply_dnc
from notnow.services.lookup import get_deal, owned, rejection_clause, resolve_contact
from notnow.services.paging import Keyset, Listed
from notnow.services.reach import outbox
from notnow.services.schemas import (
    FollowUpPublic,
    RejectionCreate,
    RejectionPublic,
    validate,
)
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage.locks import lock_contact
from notnow.storage.tables import (
    Account,
    Contact,
    Deal,
    FollowUp,
    MailMessage,
    Rejection,
    TrainingExample,
)

MAX_TEXT = 1_000_000
FUTURE_SLACK = timedelta(minutes=5)
"""How far ahead of the clock a given time may be (clocks drift); later is refused."""


class OptOutDetected(Conflict):
    """The words read as an opt-out but another label was given, without a confirmation."""

    code = "opt_out_detected"


@dataclass(frozen=True)
class Reading:
    """What the reader made of the words, with the account it was read for."""

    understanding: Any  # notnow.understand.Understanding, or None when there are no words


def rejection_public(r: Rejection, contact: Contact | None, account: Account | None,
                     followups: list[FollowUp] | None = None, *,
                     actor: Actor | None = None) -> RejectionPublic:
    """The rejection as shown to ``actor``: the feelings only to the person who wrote them."""
    out = RejectionPublic.model_validate(r)
    private = actor is None or not may_read_private(actor, r.author_id)
    return out.model_copy(update={
        "contact_name": contact.name if contact else None,
        "account_name": account.name if account else None,
        "followups": [FollowUpPublic.model_validate(f) for f in followups or []],
        "feelings": None if private else r.feelings,
    })


def understand_text(ws: Workspace, text: str, *, today: date, account: Account,
                    headers: dict[str, str] | None = None) -> Any:
    """Run the understanding package on the prospect's words (with the workspace's own team
    model, in ``config.home / "model"``, when it has one); ``headers``: a message's (mail)."""
    from notnow.understand import analyze

    return analyze(text, today=today, timezone=account.timezone,
                   fiscal_year_start=account.fiscal_year_start, country=account.country,
                   headers=headers, team_dir=ws.config.home / "model")


def preview(ws: Workspace, actor: Actor, text: str, *, contact: str | int | None = None) -> Any:
    """What notnow reads in `text`, without storing anything."""
    if not text or not text.strip():
        raise InvalidInput("the prospect's words are empty", field="text")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"the text is {len(text):,} characters; the limit is {MAX_TEXT:,}",
                           field="text")
    with ws.db.read() as s:
        acc = resolve_contact(s, actor, contact).account if contact is not None else None
        tz = acc.timezone if acc else None
        return understand_text(ws, text, today=ws.today(tz), account=acc or Account(name="?"))


def _check_text(data: dict[str, Any]) -> None:
    text = data.get("text")
    if isinstance(text, str) and len(text) > MAX_TEXT:
        raise InvalidInput(f"the text is {len(text):,} characters; the limit is {MAX_TEXT:,}",
                           field="text")


def check_said_at(ws: Workspace, at: datetime, *, field: str = "at") -> None:
    """A "no" is logged when it was said: never in the future (a few minutes of clock skew
    aside)."""
    if at > ws.now() + FUTURE_SLACK:
        raise InvalidInput(f"{at.isoformat(timespec='minutes')} is in the future; log what "
                           "was said, when it was said", field=field)


_UNREAD: Any = object()


def log_rejection(ws: Workspace, actor: Actor, data: dict[str, Any], *, contact: str | int,
                  deal: str | int | None = None, schedule: bool = True,
                  not_opt_out: str | None = None, session: Session | None = None,
                  reading: Any = _UNREAD) -> RejectionPublic:
    """Log one "no" from ``contact``: understand, store, plan and schedule, in one transaction.

    ``data`` holds the fields of :class:`RejectionCreate` (without contact and deal). Without
    a label, the label is read from the text. ``not_opt_out`` is the salesperson's reason for
    logging words that read as an opt-out under another label. With ``schedule`` false the
    rejection is stored and planned later (``notnow plan N --accept``).

    ``session``: a write transaction of the caller's to join (a CRM import, a mail message
    recorded together with what it led to) instead of committing on its own; the caller
    commits or rolls back the whole. ``reading``: what was read in the text, when the caller
    read it already (outside its transaction: reading is the slow part), None for nothing.
    """
    from notnow.services.followups.planning import (
        later_answer,
        replace_open,
        schedule_replaced,
    )

    _check_text(data)
    now = ws.now()
    # 1. understand, outside the write transaction (unless the caller read it already)
    with _joined(session, ws.db.read) as s:
        c0 = resolve_contact(s, actor, contact, write=True)
        spec = validate(RejectionCreate, {**data, "contact_id": c0.id, "deal_id": None})
        if spec.label is None and not spec.text:
            raise InvalidInput("give the prospect's words (--text) or a label (--label)",
                               field="text")
        at = spec.at or now
        check_said_at(ws, at)
        acc0 = c0.account
        today = at.astimezone(ZoneInfo(acc0.timezone or ws.config.timezone)).date()
        if reading is not _UNREAD:
            u = reading
        else:
            u = understand_text(ws, spec.text, today=today, account=acc0) if spec.text else None
        contact_id = c0.id
    with _joined(session, ws.db.write) as s:
        # 2. lock, and read again what is stored now (in the caller's transaction the contact
        # was resolved a moment ago, in this same transaction)
        if session is None:
            resolve_contact(s, actor, contact_id, write=True)
        locked = lock_contact(s, contact_id)
        assert locked is not None
        c, acc = locked, locked.account
        deal_row = get_deal(s, actor, deal, write=True) if deal is not None else None
        if deal_row is not None and deal_row.account_id != c.account_id:
            raise InvalidInput(f"deal {deal_row.id} is at another account than {c.name}",
                               field="deal")
        spec = spec.model_copy(update={"deal_id": deal_row.id if deal_row else None})
        # 3. an opt-out in their words is never overridden silently
        opt_out = reads_as_opt_out(u)
        manual = spec.label
        reason = (not_opt_out or "").strip() or None
        if opt_out and reason is not None and manual is None \
                and labels_for(spec, u)[0] == Label.DO_NOT_CONTACT:
            raise InvalidInput("these words read as an opt-out and you say they are not one: "
                               "say what they are (the label)", field="label")
        if opt_out and manual is not None and manual != Label.DO_NOT_CONTACT and reason is None:
            raise OptOutDetected(
                f"these words read as an opt-out ({opt_out_quote(u)}): log them as "
                "do_not_contact, or confirm they are not an opt-out and say why",
                field="not_opt_out", label=manual.value)
        # 4. store
        row = build_row(spec, c, u, at=at, author=actor, now=now, deal=deal_row)
        if reason is not None and opt_out:
            row.override_reason = reason[:2000]
        doubt = needs_review(u, spec) and Label(row.label) != Label.DO_NOT_CONTACT
        if doubt:
            row.review = "pending"
        s.add(row)
        s.flush()
        label = Label(row.label)
        if manual is not None and u is not None and spec.text and manual != u.label:
            s.add(TrainingExample(text=spec.text[:20_000], label=manual.value,
                                  also=[a.value for a in spec.also], source="correction",
                                  author_id=actor.id, created_at=now))
        if label == Label.DO_NOT_CONTACT:
            apply_dnc(s, actor, c, reason=opt_out_words(row), source=DncSource.PROSPECT,
                      when=at)
        elif opt_out and reason is None and suspected_opt_out(u):
            c.held_at = now  # a possible opt-out: hold everything until a person decides
            c.hold_reason = f"possible opt-out: {opt_out_quote(u)}"
        if deal_row is not None and (new := deal_status_after(label)) is not None:
            deal_row.status = new
            if new == "lost":
                deal_row.closed_at = at
        record(s, actor, "rejection.logged", "rejection", row.id, at=now,
               account_id=c.account_id, contact_id=c.id, owner_id=c.owner_id,
               after={"label": row.label, "source": row.label_source, "checkback": row.checkback,
                      "review": row.review},
               note=(f"not an opt-out, says {actor.name}: {reason}"
                     if row.override_reason else None))
        outbox.rejection_logged(s, row, c, now)
        if manual is not None and u is not None and manual != u.label:
            record(s, actor, "rejection.label_corrected", "rejection", row.id, at=now,
                   account_id=c.account_id, contact_id=c.id, owner_id=c.owner_id,
                   before={"label": u.label.value}, after={"label": manual.value})
        s.flush()
        # 5. the latest word wins: what was planned before it goes, even when its own plan
        # waits (a doubtful reading, a held contact, --no-plan); then plan and schedule
        # (what schedule_plan would do again — lock, the latest word, replace — is done here
        # once, under the lock taken above: its second half schedules)
        followups: list[FollowUp] = []
        if c.dnc_at is None and later_answer(s, row) is None:
            replace_open(ws, s, actor, c, row, latest=True)
            if schedule and not doubt and c.held_at is None:
                followups = schedule_replaced(ws, s, actor, row, c)
        return rejection_public(row, c, acc, followups, actor=actor)


@contextmanager
def _joined(session: Session | None,
            opener: Callable[[], AbstractContextManager[Session]]) -> Iterator[Session]:
    """The caller's transaction when there is one, else a transaction of our own."""
    if session is not None:
        yield session
        return
    with opener() as s:
        yield s


def confirm_reading(ws: Workspace, actor: Actor, rejection: str | int, *,
                    label: str | None = None, not_opt_out: str | None = None,
                    opt_out: bool = False) -> RejectionPublic:
    """The salesperson decides on a doubtful reading or a held contact: confirm (or correct)
    the label — then the plan is scheduled — or say it was an opt-out after all."""
    from notnow.core.labels import parse_choice
    from notnow.services.followups.planning import schedule_plan
    from notnow.services.lookup import get_rejection

    now = ws.now()
    with ws.db.write() as s:
        row = get_rejection(s, actor, rejection, write=True)
        if row.contact_id is None:
            raise InvalidInput("this rejection has no contact", field="rejection")
        c = lock_contact(s, row.contact_id)
        assert c is not None
        if row.review != "pending" and c.held_at is None and not opt_out:
            raise Conflict(f"rejection {row.id} waits for no decision: its reading was "
                           "confirmed and its contact is not held", field="rejection")
        before = {"label": row.label, "review": row.review}
        if opt_out:
            row.label = Label.DO_NOT_CONTACT.value
            row.review = "confirmed"
            apply_dnc(s, actor, c, reason=opt_out_words(row), source=DncSource.PROSPECT,
                      when=now)
            record(s, actor, "rejection.confirmed", "rejection", row.id, at=now,
                   account_id=c.account_id, contact_id=c.id, owner_id=c.owner_id,
                   before=before, after={"label": row.label, "review": row.review})
            return rejection_public(row, c, c.account, [], actor=actor)
        if c.held_at is not None and not (not_opt_out or "").strip():
            raise OptOutDetected(f"{c.name} is held: {c.hold_reason}; say why it is not an "
                                 "opt-out", field="not_opt_out")
        if label is not None:
            chosen = parse_choice(Label, label, field="label")
            primary, also = resolve_primary(chosen, tuple(Label(a) for a in row.also or ()))
            row.label, row.also = primary.value, [a.value for a in also if a != primary]
            row.label_source = "manual"
        if c.held_at is not None:
            row.override_reason = (not_opt_out or "").strip()[:2000]
            c.held_at = None
            c.hold_reason = None
        row.review = "confirmed"
        s.flush()
        record(s, actor, "rejection.confirmed", "rejection", row.id, at=now,
               account_id=c.account_id, contact_id=c.id, owner_id=c.owner_id, before=before,
               after={"label": row.label, "review": row.review},
               note=row.override_reason or None)
        followups = [] if c.dnc_at is not None else schedule_plan(ws, s, actor, row)
        return rejection_public(row, c, c.account, followups, actor=actor)


def reads_as_opt_out(u: Any) -> bool:
    """Whether what was read (may be None) says opt-out: as the label, among the others, or
    as a suspicion."""
    if u is None:
        return False
    return bool(u.label == Label.DO_NOT_CONTACT or Label.DO_NOT_CONTACT in tuple(u.also)
                or getattr(u, "opt_out_suspected", False))


def suspected_opt_out(u: Any) -> bool:
    """An opt-out the reader is not sure of (rather than one it read plainly)."""
    return bool(getattr(u, "opt_out_suspected", False)) and u.label != Label.DO_NOT_CONTACT


def needs_review(u: Any, spec: RejectionCreate) -> bool:
    """A reading to check before acting: the reader says so, and no label was given."""
    return spec.label is None and u is not None and bool(getattr(u, "needs_review", False))


def opt_out_quote(u: Any) -> str:
    for e in getattr(u, "evidence", ()) or ():
        if getattr(e, "label", None) in (None, Label.DO_NOT_CONTACT, Label.DO_NOT_CONTACT.value):
            return f"“{e.text}”"
    return "the words as a whole"


def build_row(spec: RejectionCreate, c: Contact, u: Any, *, at: datetime, author: Actor,
              now: datetime, deal: Deal | None = None) -> Rejection:
    """The rejection row from the salesperson's input and what was read (`u`, may be None).

    What the salesperson said wins over what was read; the label follows the taxonomy's
    precedence. Not added to any session: a preview can plan it without storing it.
    """
    label, also = labels_for(spec, u)
    return Rejection(
        contact_id=c.id, account_id=c.account_id, deal_id=spec.deal_id, at=at,
        stage=spec.stage.value if spec.stage else (deal.stage if deal else None),
        channel=spec.channel.value if spec.channel else None, text=spec.text,
        label=label.value, also=[a.value for a in also],
        confidence=None if spec.label is not None or u is None else u.confidence,
        label_source="manual" if spec.label is not None else "model",
        evidence=[_ev(e) for e in (u.evidence if u else ())],
        checkback=spec.checkback or (u.checkback if u else None),
        checkback_phrase=u.checkback_phrase if u else None,
        granularity=u.granularity if u else None,
        return_date=u.return_date if u else None,
        competitor=spec.competitor or (u.competitor if u else None),
        capability=spec.capability or (u.capability if u else None),
        referral=({"name": spec.referral} if spec.referral else _referral(u)),
        notes=spec.notes, feelings=spec.feelings, author_id=author.id,
        language=getattr(u, "language", None) if u is not None else None,
        created_at=now,
    )


def labels_for(spec: RejectionCreate, u: Any) -> tuple[Label, tuple[Label, ...]]:
    if spec.label is not None:
        return resolve_primary(spec.label, spec.also)
    if u is None:  # nothing said and nothing read: a no with no reason given
        return Label.NOT_INTERESTED, tuple(spec.also)
    return resolve_primary(u.label, tuple(u.also) + tuple(spec.also))


def _ev(e: Any) -> dict[str, Any]:
    return {"start": e.start, "end": e.end, "text": e.text, "label": e.label}


def _referral(u: Any) -> dict[str, Any] | None:
    if u is None or u.referral is None:
        return None
    r = u.referral
    return {"name": r.name, "email": r.email, "role": r.role}


def opt_out_words(row: Rejection) -> str:
    for e in row.evidence or []:
        if e.get("label") in (None, Label.DO_NOT_CONTACT.value):
            return f"“{e['text']}”"
    return f"“{(row.text or '').strip()[:200]}”" if row.text else "opt-out logged"


NEWEST_FIRST = Keyset((Rejection.at, Rejection.id), descending=True)
"""The rejections' list order, most recent first: where a page ends
(:mod:`notnow.services.paging`)."""


def list_rejections(ws: Workspace, actor: Actor, *, contact: str | int | None = None,
                    limit: int = 100, offset: int = 0,
                    after: str | None = None) -> Listed[RejectionPublic]:
    """Rejections the actor may read, most recent first; from ``offset``, or after the
    position a page's token names (``NEWEST_FIRST``)."""
    start = NEWEST_FIRST.after(after, offset=offset)
    with ws.db.read() as s:
        q = (select(Rejection, Contact, Account)
             .outerjoin(Contact, Contact.id == Rejection.contact_id)
             .outerjoin(Account, Account.id == Rejection.account_id)
             .where(rejection_clause(actor))
             .order_by(*NEWEST_FIRST.order()))
        if start is not None:
            q = q.where(start)
        if contact is not None:
            q = q.where(Rejection.contact_id == resolve_contact(s, actor, contact).id)
        rows = [(rejection_public(r, c, a, actor=actor), r)
                for r, c, a in s.execute(q.limit(limit).offset(offset))]
        mails = _from_mail(s, actor, [r.id for r, _ in rows])
        return NEWEST_FIRST.listed(
            (r.model_copy(update={"from_mail": mails[r.id]}) if r.id in mails else r, row)
            for r, row in rows)


def _from_mail(s: Session, actor: Actor, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The message each of these rejections was read from (those logged from mail)."""
    if not ids:
        return {}
    rows = s.scalars(select(MailMessage).where(MailMessage.rejection_id.in_(ids),
                                               owned(actor, MailMessage.owner_id)))
    return {int(m.rejection_id): {
        "id": m.id, "mailbox_id": m.mailbox_id, "folder": m.folder, "uid": m.uid,
        "file": m.source, "number": m.number, "subject": m.subject,
        "message_id": m.message_id, "sent_at": m.sent_at} for m in rows if m.rejection_id}


def show_rejection(ws: Workspace, actor: Actor, ref: str | int) -> RejectionPublic:
    """One rejection with its open follow-ups."""
    from notnow.services.lookup import get_rejection

    with ws.db.read() as s:
        r = get_rejection(s, actor, ref)
        c = s.get(Contact, r.contact_id) if r.contact_id else None
        a = s.get(Account, r.account_id) if r.account_id else None
        fus = list(s.scalars(select(FollowUp).where(FollowUp.rejection_id == r.id,
                                                    FollowUp.status.in_(("due", "snoozed")))
                             .order_by(FollowUp.due, FollowUp.id)))
        out = rejection_public(r, c, a, fus, actor=actor)
        return out.model_copy(update={"from_mail": _from_mail(s, actor, [r.id]).get(r.id)})
