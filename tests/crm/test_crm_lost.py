"""An import's lost reasons in bulk (``services/crm/lost.py``) are stored exactly as
``log_rejection(..., schedule=False, reading=…)`` stores them one by one.

On random lost reasons (real readings: opt-outs, suspected ones, doubtful ones, check-backs,
competitors), contacts (some already do-not-contact, some whose address is on the suppression
list) and deals, on both backends: the same rejections, the same marks and holds on the
contacts, the same deal statuses, the same suppression list and the same audit trail.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from actors import owner_of
from notnow.core.identity import digest, identities
from notnow.services.capture.log import log_rejection, understand_text
from notnow.services.crm.lost import Lost, OptOuts, Person, sharing_identities, store_lost
from notnow.storage import guards
from notnow.storage.tables import Account, AuditEvent, Contact, Deal, Rejection, Suppression

TEXTS = [
    "We went with another vendor, they were already on site.",
    "Budget is frozen until the next fiscal year, try us in April.",
    "Please remove me from your list.",
    "Stop.",
    "Don't email me again about this, but maybe next year.",
    "Not a priority this year.",
    "Without SSO it's a non-starter for our security team.",
    "hmm",
    "Our CFO won't sign off on it.",
    "Is this spam? Under GDPR tell me where you got my data.",  # a suspected opt-out: held
    "Hmm, data protection officer will reply",  # an auto-reply, suspected too
    "Wir haben kein Budget dieses Jahr.",
]
STAGES = [None, "proposal", "closing", "follow_up"]
NOW = datetime(2026, 12, 6, 9, tzinfo=UTC)


@st.composite
def worlds(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 3))
    contacts = [{"dnc": draw(st.sampled_from([None, "import", "suppressed"])),
                 "country": draw(st.sampled_from([None, "DE", "US"])),
                 "zone": draw(st.sampled_from([None, "America/New_York", "Asia/Tokyo"]))}
                for _ in range(n)]
    items = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, len(TEXTS) - 1),
                                    st.integers(0, 900), st.sampled_from(STAGES)),
                          min_size=1, max_size=6))
    return {"contacts": contacts, "items": items}


def _setup(s: Any, world: dict[str, Any], owner: int) -> tuple[list[int], list[int]]:
    key = guards.suppression_key(s, create=True)
    assert key is not None
    cids: list[int] = []
    for n, spec in enumerate(world["contacts"]):
        acc = Account(name=f"Acme {n}", country=spec["country"], timezone=spec["zone"],
                      owner_id=owner, created_at=NOW)
        email = f"person{n}@acme{n}.example"
        if spec["dnc"] == "suppressed":
            for i in identities(email=email):
                s.add(Suppression(kind=i.kind.value, digest=digest(key, i), source="manual",
                                  created_at=NOW - timedelta(days=40)))
            s.flush()
        c = Contact(name=f"Person {n}", email=email, phone=f"+1 415 555 01{n:02d}",
                    account=acc, owner_id=owner, created_at=NOW)
        if spec["dnc"] == "import":
            c.dnc_at, c.dnc_reason, c.dnc_source = NOW, "hubspot export: unsubscribed", "import"
        s.add(c)
        s.flush()
        cids.append(c.id)
    dids: list[int] = []
    for n, (who, _text, _day, stage) in enumerate(world["items"]):
        c = s.get(Contact, cids[who])
        d = Deal(offer=f"Deal {n}", account_id=c.account_id, contact_id=c.id, owner_id=owner,
                 status="lost", created_at=NOW, **({"stage": stage} if stage else {}))
        s.add(d)
        s.flush()
        dids.append(d.id)
    return cids, dids


def _at(day: int) -> datetime:
    return min(datetime.combine((NOW - timedelta(days=day)).date(), time(12), tzinfo=UTC), NOW)


def _state(s: Any, cids: list[int], dids: list[int]) -> dict[str, Any]:
    cix = {c: n for n, c in enumerate(cids)}
    dix = {d: n for n, d in enumerate(dids)}
    rejections = s.scalars(select(Rejection).where(Rejection.contact_id.in_(cids))
                           .order_by(Rejection.id)).all()
    rix = {r.id: n for n, r in enumerate(rejections)}
    skip = {"id", "contact_id", "deal_id", "account_id"}
    cols = [c.key for c in Rejection.__table__.columns if c.key not in skip]
    out: dict[str, Any] = {
        "rejections": [(cix[r.contact_id], dix[r.deal_id], {k: getattr(r, k) for k in cols})
                       for r in rejections],
        "contacts": [(c.dnc_at, c.dnc_reason, c.dnc_source, c.held_at, c.hold_reason)
                     for c in (s.get(Contact, i, populate_existing=True) for i in cids)],
        "deals": [(d.status, d.closed_at)
                  for d in (s.get(Deal, i, populate_existing=True) for i in dids)],
        "suppressions": sorted((x.kind, x.digest, x.source, x.created_at.astimezone(UTC))
                               for x in s.scalars(select(Suppression))),
        "audit": [(a.action, a.entity,
                   rix.get(a.entity_id) if a.entity == "rejection" else cix.get(a.entity_id),
                   a.at, a.after, a.note)
                  for a in s.scalars(select(AuditEvent).order_by(AuditEvent.id))
                  if a.contact_id in cix],
    }
    return out


class _Rollback(Exception):
    pass


def test_bulk_lost_reasons_are_log_rejection_on_random_histories(ws: Any) -> None:
    global NOW
    NOW = ws.now()
    owner = owner_of(ws)
    with ws.db.write() as s:  # one key for the list's hashes in both runs
        guards.suppression_key(s, create=True)
    readings: dict[tuple[Any, ...], Any] = {}

    def reading(s: Any, cid: int, text: str, at: datetime) -> Any:
        from zoneinfo import ZoneInfo

        acc = s.get(Contact, cid).account
        today = at.astimezone(ZoneInfo(acc.timezone or ws.config.timezone)).date()
        key = (text, today, acc.timezone, acc.country)
        if key not in readings:
            readings[key] = understand_text(ws, text, today=today, account=acc)
        return readings[key]

    def run(world: dict[str, Any], bulk: bool) -> dict[str, Any]:
        got: dict[str, Any] = {}
        try:
            with ws.db.write() as s:
                cids, dids = _setup(s, world, owner.id)
                items = [(cids[who], dids[n], TEXTS[t], _at(day))
                         for n, (who, t, day, _stage) in enumerate(world["items"])]
                if bulk:
                    people = {}
                    for cid in cids:
                        c = s.get(Contact, cid)
                        people[cid] = Person(
                            id=c.id, account_id=c.account_id, owner_id=c.owner_id, name=c.name,
                            email=c.email, phone=c.phone, linkedin=c.linkedin,
                            country=c.account.country, dnc_at=c.dnc_at,
                            dnc_reason=c.dnc_reason, dnc_source=c.dnc_source,
                            held_at=c.held_at, hold_reason=c.hold_reason)
                    assert not sharing_identities(s, list(people.values()))
                    opt_outs = OptOuts(s, owner)
                    store_lost(s, owner, [
                        Lost(person=people[cid], deal_id=did,
                             deal_stage=s.get(Deal, did).stage, text=text, at=at,
                             reading=reading(s, cid, text, at))
                        for cid, did, text, at in items], now=NOW, opt_outs=opt_outs)
                    opt_outs.write(list(people.values()))
                    s.flush()
                else:
                    for cid, did, text, at in items:
                        log_rejection(ws, owner, {"text": text, "at": at}, contact=cid,
                                      deal=did, session=s, schedule=False,
                                      reading=reading(s, cid, text, at))
                    s.flush()
                got = _state(s, cids, dids)
                raise _Rollback
        except _Rollback:
            pass
        return got

    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(worlds())
    @example({"contacts": [{"dnc": None, "country": "DE", "zone": None}],
              "items": [(0, 2, 10, None), (0, 3, 5, "closing"), (0, 1, 1, None)]})
    @example({"contacts": [{"dnc": "suppressed", "country": None, "zone": "Asia/Tokyo"},
                           {"dnc": "import", "country": "US", "zone": None}],
              "items": [(0, 3, 0, None), (1, 2, 0, None), (0, 7, 3, "proposal")]})
    @example({"contacts": [{"dnc": None, "country": None, "zone": None}],
              "items": [(0, 9, 3, None), (0, 10, 2, None), (0, 1, 1, None), (0, 2, 0, None)]})
    def check(world: dict[str, Any]) -> None:
        assert run(world, bulk=True) == run(world, bulk=False)

    check()
