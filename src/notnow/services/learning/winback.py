"""Win-back: capabilities lost prospects asked for, what to do when one ships, and renewals.

`capability_list` gathers and de-duplicates what prospects asked for (every rejection with a
capability is linked to one capability row). `ship` marks one shipped, lists the lost deals
whose reason it addresses and schedules a gentle re-engagement for each contact — through the
same caps as every other touch: never for a do-not-contact contact, never above a cap.
`competitor_renewal` plans a check-back some weeks before a competitor's contract renews.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from notnow.core.analytics import CapabilityRow, capability_gaps
from notnow.core.capabilities import capability_key, display_name
from notnow.core.caps import earliest_allowed, ensure_schedulable
from notnow.core.model import (
    AccountFacts,
    Channel,
    ContactFacts,
    History,
    Label,
)
from notnow.core.playbook import Settings
from notnow.core.policy import Actor
from notnow.errors import CapExceeded, InvalidInput, NotFound
from notnow.services.facts import account_facts, account_history, contact_facts
from notnow.services.learning.reports import main_currency
from notnow.services.lookup import get_rejection, owned, rejection_clause
from notnow.services.playbook import team_settings
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage.locks import lock_contact, lock_contacts, lock_named
from notnow.storage.tables import (
    Account,
    Capability,
    CapabilityRequest,
    Contact,
    Deal,
    FollowUp,
    Rejection,
)

SHIP_RULE = "winback.capability_shipped"
RENEWAL_RULE = "winback.competitor_renewal"
CHANNELS = (Channel.EMAIL, Channel.LINKEDIN, Channel.CALL, Channel.NOTE)


# --- capabilities ----------------------------------------------------------------------------


class CapabilityPublic(BaseModel):
    id: int | None
    key: str
    name: str
    status: str
    requests: int
    deals_lost: int
    lost_value: float
    currency: str = "USD"
    lost_in_other_currencies: str = ""
    variants: list[str]
    shipped_at: datetime | None = None


def sync_capabilities(s: Session, now: datetime) -> int:
    """Link every rejection that names a capability to its (de-duplicated) capability row.

    One writer at a time (a named lock): two at once would each add the same new rows."""
    lock_named(s, "capabilities")
    linked = select(CapabilityRequest.rejection_id)
    rows = s.execute(select(Rejection.id, Rejection.capability)
                     .where(Rejection.capability.is_not(None), Rejection.id.not_in(linked))).all()
    if not rows:
        return 0
    caps = {c.key: c for c in s.scalars(select(Capability))}
    added = 0
    for rid, text in rows:
        key = capability_key(text or "")
        if not key:
            continue
        cap = caps.get(key)
        if cap is None:
            cap = Capability(name=display_name(key, [text or ""]), key=key, status="requested",
                             created_at=now)
            s.add(cap)
            s.flush()
            caps[key] = cap
        s.add(CapabilityRequest(capability_id=cap.id, rejection_id=rid))
        added += 1
    s.flush()
    return added


def capability_list(ws: Workspace, actor: Actor) -> list[CapabilityPublic]:
    """Requested capabilities, de-duplicated, ranked by the value of the deals lost without
    (counted over the rejections the actor may read)."""
    with ws.db.write() as s:
        sync_capabilities(s, ws.now())
        rows = s.execute(
            select(Rejection.capability, Rejection.id, Deal.id, Deal.value, Deal.status,
                   Deal.currency)
            .outerjoin(Deal, Deal.id == Rejection.deal_id)
            .where(Rejection.capability.is_not(None), rejection_clause(actor))).all()
        stored = {c.key: c for c in s.scalars(select(Capability))}
        currency = main_currency(s)
    gaps = capability_gaps((CapabilityRow(t or "", r, d, float(v) if v is not None else None,
                                          st, cur) for t, r, d, v, st, cur in rows), currency)
    out = []
    for g in gaps:
        c = stored.get(g.key)
        out.append(CapabilityPublic(
            id=c.id if c else None, key=g.key, name=c.name if c else g.name,
            status=c.status if c else "requested", requests=g.requests,
            deals_lost=g.deals_lost, lost_value=g.lost_value, currency=currency,
            lost_in_other_currencies=g.describe_others(), variants=list(g.variants),
            shipped_at=c.shipped_at if c else None))
    return out


class WinbackItem(BaseModel):
    rejection_id: int
    account: str
    contact: str
    contact_id: int
    said: str | None
    deal_value: float | None
    outcome: str  # "scheduled" | "do-not-contact" | "already won" | "already scheduled" | "cap"
    due: date | None = None
    channel: str | None = None
    why: str | None = None


class ShipResult(BaseModel):
    capability: str
    key: str
    shipped_at: datetime | None  # None: a dry run of a capability not marked shipped yet
    items: list[WinbackItem] = Field(default_factory=list)

    @property
    def scheduled(self) -> int:
        return sum(1 for i in self.items if i.outcome == "scheduled")


def ship(ws: Workspace, actor: Actor, name: str, *, schedule: bool = True,
         settings: Settings | None = None) -> ShipResult:
    """Mark a capability shipped; list the lost deals it answers that the actor may work on;
    plan gentle re-engagement (each contact locked, within do-not-contact and every cap)."""
    key = capability_key(name)
    if not key:
        raise InvalidInput("name the capability that shipped", field="name")
    cfg = settings or team_settings(ws)
    now = ws.now()
    with ws.db.write() as s:
        sync_capabilities(s, now)
        # only what lost prospects the actor may read asked for: another team's requests
        # (their words) are neither listed nor confirmed
        visible = (select(Capability).join(CapabilityRequest,
                                           CapabilityRequest.capability_id == Capability.id)
                   .join(Rejection, Rejection.id == CapabilityRequest.rejection_id)
                   .where(rejection_clause(actor)).distinct())
        cap = s.scalar(visible.where(Capability.key == key))
        if cap is None:
            known = sorted({c.name for c in s.scalars(visible)})
            hint = f"; requested ones: {', '.join(known[:10])}" if known else ""
            raise NotFound(f"no lost prospect asked for {name!r}{hint}", field="name")
        if schedule:  # a dry run changes nothing: the capability is not marked shipped
            cap.status = "shipped"
            cap.shipped_at = cap.shipped_at or now
        rows = s.execute(
            select(Rejection, Contact, Account, Deal)
            .join(CapabilityRequest, CapabilityRequest.rejection_id == Rejection.id)
            .join(Contact, Contact.id == Rejection.contact_id)
            .join(Account, Account.id == Contact.account_id)
            .outerjoin(Deal, Deal.id == Rejection.deal_id)
            .where(CapabilityRequest.capability_id == cap.id,
                   owned(actor, Contact.owner_id, write=True))
            .order_by(Rejection.at.desc(), Rejection.id.desc())).all()
        result = ShipResult(capability=cap.name, key=key, shipped_at=cap.shipped_at)
        if schedule:  # every account, then every contact, in id order: one lock order
            lock_contacts(s, [con.id for _, con, _, _ in rows])
        seen: set[int] = set()
        for rej, con, acc, deal in rows:
            item = WinbackItem(rejection_id=rej.id, account=acc.name, contact=con.name,
                               contact_id=con.id, said=rej.text,
                               deal_value=float(deal.value) if deal and deal.value else None,
                               outcome="scheduled")
            if con.id in seen:
                continue
            seen.add(con.id)
            result.items.append(_winback_one(ws, s, actor, item, rej, con, acc, cap.name,
                                             cfg, schedule))
        s.flush()
        return result


def _winback_one(ws: Workspace, s: Session, actor: Actor, item: WinbackItem, rej: Rejection,
                 con: Contact, acc: Account, cap_name: str, cfg: Settings,
                 schedule: bool) -> WinbackItem:
    if con.dnc_at is not None:
        return item.model_copy(update={"outcome": "do-not-contact",
                                       "why": "opted out: never contacted again"})
    if con.held_at is not None:
        return item.model_copy(update={"outcome": "held", "why": con.hold_reason})
    won = s.scalar(select(Deal.id).where(Deal.account_id == acc.id, Deal.status == "won",
                                         Deal.closed_at >= rej.at).limit(1))
    if won is not None:
        return item.model_copy(update={"outcome": "already won"})
    planned = s.scalar(select(FollowUp.id).where(
        FollowUp.contact_id == con.id, FollowUp.rule == SHIP_RULE,
        FollowUp.status.in_(("due", "snoozed"))).limit(1))
    if planned is not None:
        return item.model_copy(update={"outcome": "already scheduled"})
    first = ws.today(acc.timezone) + timedelta(days=1)
    preferred = [Channel(rej.channel)] if rej.channel in {c.value for c in CHANNELS} else []
    try:
        due, channel = _earliest(s, con, acc, first, preferred + list(CHANNELS), cfg)
    except CapExceeded as exc:
        return item.model_copy(update={"outcome": "cap", "why": exc.message})
    why = f"{cap_name} shipped: it was their reason to say no"
    if schedule:
        fu = FollowUp(contact_id=con.id, account_id=acc.id, deal_id=rej.deal_id,
                      rejection_id=rej.id, due=due, channel=channel.value,
                      purpose=f"gently tell them {cap_name} is now available", why=why,
                      status="due", rule=SHIP_RULE, owner_id=con.owner_id or actor.id,
                      created_at=ws.now())
        s.add(fu)
        s.flush()
        record(s, actor, "followup.scheduled", "followup", fu.id, at=ws.now(),
               account_id=acc.id, contact_id=con.id, owner_id=fu.owner_id,
               after={"due": due, "channel": channel.value, "rule": SHIP_RULE})
    return item.model_copy(update={"due": due, "channel": channel.value, "why": why,
                                   "outcome": "scheduled" if schedule else "would schedule"})


def _earliest(s: Session, con: Contact, acc: Account, after: date,
              channels: Sequence[Channel], cfg: Settings) -> tuple[date, Channel]:
    """The earliest (day, channel) the caps allow, trying the channels in order."""
    contact, account, history = facts_for_contact(s, con, acc)
    best: tuple[date, Channel] | None = None
    last_error: CapExceeded | None = None
    for channel in dict.fromkeys(channels):
        try:
            day = earliest_allowed(contact, account, after, channel, history, cfg)
        except CapExceeded as exc:
            last_error = exc
            continue
        if best is None or day < best[0]:
            best = (day, channel)
    if best is None:
        raise last_error or CapExceeded("no channel is free", cap="no free day")
    return best


def facts_for_contact(s: Session, con: Contact,
                      acc: Account) -> tuple[ContactFacts, AccountFacts, History]:
    """The plain records the caps need for one contact: the account's whole history."""
    return contact_facts(con), account_facts(acc), account_history(s, acc)


# --- a competitor's renewal ------------------------------------------------------------------


class RenewalPublic(BaseModel):
    followup_id: int
    contact: str
    account: str
    competitor: str | None
    renews_on: date
    due: date
    channel: str


def competitor_renewal(ws: Workspace, actor: Actor, rejection: str | int, renews_on: date, *,
                       weeks_before: int | None = None,
                       settings: Settings | None = None) -> RenewalPublic:
    """Plan a check-back some weeks before the winner's contract renews (caps respected)."""
    from notnow.core.cadence import renewal_checkback

    cfg = settings or team_settings(ws)
    weeks = weeks_before if weeks_before is not None else \
        cfg.checkback[Label.HAS_SOLUTION].weeks_before
    if not 0 <= weeks <= 52:
        raise InvalidInput("give between 0 and 52 weeks", field="weeks_before")
    with ws.db.write() as s:
        rej = get_rejection(s, actor, rejection, write=True)
        con = lock_contact(s, rej.contact_id) if rej.contact_id else None
        if con is None:
            raise InvalidInput("this rejection has no contact to come back to",
                               field="rejection")
        acc = con.account
        ensure_schedulable(contact_facts(con), action="plan a renewal check-back")
        today = ws.today(acc.timezone)
        if renews_on <= today:
            raise InvalidInput(f"the renewal date {renews_on} is not in the future",
                               field="renews_on")
        target = renewal_checkback(renews_on, weeks, acc.country, today)
        due, channel = _earliest(s, con, acc, target, [Channel.EMAIL, *CHANNELS], cfg)
        who = rej.competitor or "their current vendor"
        fu = FollowUp(contact_id=con.id, account_id=acc.id, deal_id=rej.deal_id,
                      rejection_id=rej.id, due=due, channel=channel.value,
                      purpose=f"check back before {who}'s contract renews on {renews_on}",
                      why=f"{who} renews on {renews_on}: approach {weeks} weeks before",
                      status="due", rule=RENEWAL_RULE, owner_id=con.owner_id or actor.id,
                      created_at=ws.now())
        s.add(fu)
        s.flush()
        record(s, actor, "followup.scheduled", "followup", fu.id, at=ws.now(),
               account_id=acc.id, contact_id=con.id, owner_id=fu.owner_id,
               after={"due": due, "channel": channel.value, "rule": RENEWAL_RULE})
        return RenewalPublic(followup_id=fu.id, contact=con.name, account=acc.name,
                             competitor=rej.competitor, renews_on=renews_on, due=due,
                             channel=channel.value)
