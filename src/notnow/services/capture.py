"""Capturing a "no": the prospect's words, understood, stored, and acted on at once.

An opt-out marks the contact do-not-contact in the same transaction as the rejection.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from notnow.core.labels import deal_status_after, resolve_primary
from notnow.core.model import DncSource, Label
from notnow.errors import DoNotContact, InvalidInput
from notnow.services.contacts import apply_dnc
from notnow.services.lookup import get_deal, resolve_contact
from notnow.services.schemas import (
    FollowUpPublic,
    RejectionCreate,
    RejectionPublic,
    TouchCreate,
    TouchPublic,
    validate,
)
from notnow.services.workspace import Workspace
from notnow.storage.tables import Account, Contact, Deal, FollowUp, Rejection, Touch

MAX_TEXT = 1_000_000


def rejection_public(r: Rejection, contact: Contact | None, account: Account | None,
                     followups: list[FollowUp] | None = None) -> RejectionPublic:
    out = RejectionPublic.model_validate(r)
    return out.model_copy(update={
        "contact_name": contact.name if contact else None,
        "account_name": account.name if account else None,
        "followups": [FollowUpPublic.model_validate(f) for f in followups or []],
    })


def understand_text(text: str, *, today: date, account: Account,
                    team_dir: Path | None = None) -> Any:
    """Run the understanding package on the prospect's words (None when there are none);
    `team_dir` is the workspace's model folder (``config.home / "model"``)."""
    from notnow.understand import analyze

    return analyze(text, today=today, timezone=account.timezone,
                   fiscal_year_start=account.fiscal_year_start, country=account.country,
                   team_dir=team_dir)


def preview(ws: Workspace, text: str, *, contact: str | int | None = None) -> Any:
    """What notnow reads in `text`, without storing anything."""
    if not text or not text.strip():
        raise InvalidInput("the prospect's words are empty", field="text")
    with ws.db.read() as s:
        acc = resolve_contact(s, contact).account if contact is not None else None
        tz = acc.timezone if acc else None
        return understand_text(text, today=ws.today(tz), account=acc or Account(name="?"),
                               team_dir=ws.config.home / "model")


def log_rejection(ws: Workspace, data: dict[str, Any], *, contact: str | int,
                  deal: str | int | None = None, schedule: bool = True) -> RejectionPublic:
    """Store one rejection. Without a label, it is read from the text."""
    text = data.get("text")
    if isinstance(text, str) and len(text) > MAX_TEXT:
        raise InvalidInput(f"the text is {len(text):,} characters; the limit is {MAX_TEXT:,}",
                           field="text")
    with ws.db.write() as s:
        c = resolve_contact(s, contact)
        acc = c.account
        deal_row = get_deal(s, deal) if deal is not None else None
        spec = validate(RejectionCreate, {**data, "contact_id": c.id,
                                          "deal_id": deal_row.id if deal_row else None})
        if spec.label is None and not spec.text:
            raise InvalidInput("give the prospect's words (--text) or a label (--label)",
                               field="text")
        at = spec.at or ws.now()
        today = at.astimezone(ZoneInfo(acc.timezone or ws.config.timezone)).date()
        u = (understand_text(spec.text, today=today, account=acc,
                             team_dir=ws.config.home / "model") if spec.text else None)
        row = build_row(ws, spec, c, u, at=at, deal=deal_row)
        label = Label(row.label)
        s.add(row)
        if label == Label.DO_NOT_CONTACT:
            words = _opt_out_words(row)
            apply_dnc(s, c, reason=words, source=DncSource.PROSPECT, when=at)
        if deal_row is not None and (new := deal_status_after(label)) is not None:
            deal_row.status = new
            if new == "lost":
                deal_row.closed_at = at
        s.flush()
        followups = _schedule_checkback(s, row, c) if schedule else []
        return rejection_public(row, c, acc, followups)


def build_row(ws: Workspace, spec: RejectionCreate, c: Contact, u: Any, *, at: datetime,
              deal: Deal | None = None) -> Rejection:
    """The rejection row from the salesperson's input and what was read (`u`, may be None).

    What the salesperson said wins over what was read; the label follows the taxonomy's
    precedence. Not added to any session: a preview can plan it without storing it.
    """
    label, also = _labels(spec, u)
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
        notes=spec.notes, feelings=spec.feelings, author_id=ws.user_id,
        created_at=ws.now(),
    )


def _schedule_checkback(s: Any, row: Rejection, c: Contact) -> list[FollowUp]:
    """The check-back the prospect asked for, on the first business day it can happen."""
    from notnow.core.businessdays import next_business_day
    from notnow.core.labels import is_rejection

    label = Label(row.label)
    if row.checkback is None or label == Label.DO_NOT_CONTACT or not is_rejection(label):
        return []
    if c.dnc_at is not None:  # an opted-out contact's words are kept; nothing is scheduled
        return []
    due = next_business_day(row.checkback, c.account.country)
    phrase = f" (“{row.checkback_phrase}”)" if row.checkback_phrase else ""
    fu = FollowUp(contact_id=c.id, account_id=c.account_id, deal_id=row.deal_id,
                  rejection_id=row.id, due=due, channel=row.channel or "email",
                  purpose="check back as agreed", why=f"they said when to return{phrase}",
                  status="due", rule="checkback.time_hint", owner_id=row.author_id,
                  created_at=row.created_at)
    s.add(fu)
    s.flush()
    return [fu]


def _labels(spec: RejectionCreate, u: Any) -> tuple[Label, tuple[Label, ...]]:
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


def _opt_out_words(row: Rejection) -> str:
    for e in row.evidence or []:
        if e.get("label") in (None, Label.DO_NOT_CONTACT.value):
            return f"“{e['text']}”"
    return f"“{(row.text or '').strip()[:200]}”" if row.text else "opt-out logged"


def record_touch(ws: Workspace, data: dict[str, Any], *, contact: str | int) -> TouchPublic:
    """Record an attempt. Outbound touches to a do-not-contact contact are refused."""
    with ws.db.write() as s:
        c = resolve_contact(s, contact)
        spec = validate(TouchCreate, {**data, "contact_id": c.id})
        if spec.direction.value == "outbound" and c.dnc_at is not None:
            raise DoNotContact(c.name, since=c.dnc_at.date().isoformat(), reason=c.dnc_reason,
                               source=c.dnc_source, action="record an outbound touch")
        t = Touch(contact_id=c.id, account_id=c.account_id, deal_id=spec.deal_id,
                  channel=spec.channel.value, direction=spec.direction.value,
                  outcome=spec.outcome, at=spec.at or ws.now(), author_id=ws.user_id,
                  created_at=ws.now())
        s.add(t)
        s.flush()
        return TouchPublic.model_validate(t)


def list_rejections(ws: Workspace, *, contact: str | int | None = None, limit: int = 100,
                    offset: int = 0) -> list[RejectionPublic]:
    with ws.db.read() as s:
        q = (select(Rejection, Contact, Account)
             .outerjoin(Contact, Contact.id == Rejection.contact_id)
             .outerjoin(Account, Account.id == Rejection.account_id)
             .order_by(Rejection.at.desc(), Rejection.id.desc()))
        if contact is not None:
            q = q.where(Rejection.contact_id == resolve_contact(s, contact).id)
        return [rejection_public(r, c, a) for r, c, a in s.execute(q.limit(limit).offset(offset))]
