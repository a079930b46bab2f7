"""A small crafted team whose report figures are known by construction (see EXPECTED).

Today is 2026-11-23 (conftest.NOW). Two salespeople (Ana, Ben) who report to a manager
(Mia), each with their own accounts and contacts:

* rejections (6 counted, 1 auto-reply left out):
  r1 Ana 2026-01-10 no_budget / proposal / email at Acme, deal d1 — Acme wins d1 on
     2026-06-15: won back after 156 days.
  r2 Ana 2026-02-10 missing_capability "SAML SSO" / proposal / call at Beta, deal d2 (lost,
     20,000).
  r3 Ben 2026-03-05 competitor_chosen "Rival" / closing / email at Gamma, deal d3.
  r4 Ben 2026-03-20 missing_capability "single sign-on" / cold_call / call at Gamma, deal d3
     (nurturing, 5,000).
  r5 Ana 2026-04-01 not_interested / cold_call / call at Acme — won back after 75 days.
  r6 Ana 2026-05-01 auto_reply (not a rejection).
  r7 Ben 2026-05-02 do_not_contact at Beta (Dora opts out).
* touches: Eve (Beta, Ben) 4 calls on 4 days then answers: 4 attempts before access, the
  4th call breaks the 3-per-7-days cap. Finn (Gamma, Ana) 2 emails in August then nothing:
  Ana gave up early. Gus (Acme, Ben) 9 touches over 3 channels, weekly: past the rule,
  abandoned but not early. Carl (Acme, Ana) got 2 touches 14 days apart after his soft no:
  one nurture-cap hit for Ana.
* check-backs: won (r1), answered (r2), another no (r3), upcoming (r4), skipped (r5).
* autopsies: Ana on r2 (did not listen, too aggressive); Ben on r3 (listened, wrong timing,
  winner Rival) and r4 (did not listen, winner "rival ").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from notnow.storage.tables import (
    Account,
    Autopsy,
    Contact,
    Deal,
    FollowUp,
    Rejection,
    Touch,
    User,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)

EXPECTED: dict[str, Any] = {
    "rejections": 6,
    "won_back": 2,
    "median_days_to_deal": 115.5,
    "rejections_per_win": 6.0,
    "by_label": {"missing_capability": 2, "no_budget": 1, "competitor_chosen": 1,
                 "not_interested": 1, "do_not_contact": 1},
    "by_size": {"11-50": 2, "201-1000": 2, "1001+": 2},
    "ana": {"rejections": 3, "won_back": 2, "wins": 1},
    "ben": {"rejections": 3, "won_back": 0, "wins": 0},
    "sso_lost_value": 25000.0,
    "checkbacks": {"won": 1, "answered": 1, "another no": 1, "upcoming": 1, "skipped": 1},
}


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def build(ws: Any) -> dict[str, int]:
    """Insert the crafted team into the workspace; returns the ids by name."""
    ids: dict[str, int] = {}
    with ws.db.write() as s:
        def add(key: str, row: Any) -> Any:
            s.add(row)
            s.flush()
            ids[key] = row.id
            return row

        mia = add("mia", User(name="Mia", email="mia@us.test", role="manager",
                              created_at=T0))
        ana = add("ana", User(name="Ana", email="ana@us.test", role="salesperson",
                              manager_id=mia.id, created_at=T0))
        ben = add("ben", User(name="Ben", email="ben@us.test", role="salesperson",
                              manager_id=mia.id, created_at=T0))
        acme = add("acme", Account(name="Acme", employees=30, region="West", owner_id=ana.id,
                                   industry="retail", country="US", created_at=T0))
        beta = add("beta", Account(name="Beta", employees=500, region="East", owner_id=ana.id,
                                   industry="finance", country="US", created_at=T0))
        gamma = add("gamma", Account(name="Gamma", employees=5000, region="West",
                                     owner_id=ben.id, industry="finance", country="US",
                                     created_at=T0))

        def person(key: str, name: str, acc: Account, owner: User) -> Contact:
            return add(key, Contact(account_id=acc.id, name=name, email=f"{key}@x.test",
                                    owner_id=owner.id, created_at=T0))

        carl, cleo = person("carl", "Carl", acme, ana), person("cleo", "Cleo", beta, ana)
        cruz, dora = person("cruz", "Cruz", gamma, ben), person("dora", "Dora", beta, ben)
        eve, finn, gus = person("eve", "Eve", beta, ben), person("finn", "Finn", gamma, ana), \
            person("gus", "Gus", acme, ben)
        d1 = add("d1", Deal(account_id=acme.id, offer="Core", value=Decimal(10000),
                            status="won", owner_id=ana.id, created_at=T0,
                            closed_at=at(date(2026, 6, 15))))
        d2 = add("d2", Deal(account_id=beta.id, offer="Core", value=Decimal(20000),
                            status="lost", owner_id=ana.id, created_at=T0))
        d3 = add("d3", Deal(account_id=gamma.id, offer="Core", value=Decimal(5000),
                            status="nurturing", owner_id=ben.id, created_at=T0))

        def no(key: str, who: User, day: date, label: str, c: Contact, stage: str | None,
               channel: str | None, deal: Deal | None = None, **kw: Any) -> Rejection:
            return add(key, Rejection(
                contact_id=c.id, account_id=c.account_id, deal_id=deal.id if deal else None,
                at=at(day), label=label, stage=stage, channel=channel, author_id=who.id,
                created_at=at(day), **kw))

        r1 = no("r1", ana, date(2026, 1, 10), "no_budget", carl, "proposal", "email", d1)
        r2 = no("r2", ana, date(2026, 2, 10), "missing_capability", cleo, "proposal", "call",
                d2, capability="SAML SSO", text="Without SAML SSO we cannot go ahead.")
        r3 = no("r3", ben, date(2026, 3, 5), "competitor_chosen", cruz, "closing", "email",
                d3, competitor="Rival")
        r4 = no("r4", ben, date(2026, 3, 20), "missing_capability", cruz, "cold_call",
                "call", d3, capability="single sign-on")
        r5 = no("r5", ana, date(2026, 4, 1), "not_interested", carl, "cold_call", "call")
        no("r6", ana, date(2026, 5, 1), "auto_reply", carl, None, "email")
        no("r7", ben, date(2026, 5, 2), "do_not_contact", dora, "cold_call", "email")

        def touch(c: Contact, who: User, day: date, channel: str,
                  direction: str = "outbound") -> None:
            s.add(Touch(contact_id=c.id, account_id=c.account_id, channel=channel,
                        direction=direction, at=at(day), author_id=who.id, created_at=at(day)))

        for k in range(4):
            touch(eve, ben, date(2026, 9, 1) + timedelta(days=k), "call")
        touch(eve, ben, date(2026, 9, 5), "email", "inbound")
        touch(finn, ana, date(2026, 8, 1), "email")
        touch(finn, ana, date(2026, 8, 10), "email")
        for k, channel in enumerate(["call", "email", "linkedin"] * 3):
            touch(gus, ben, date(2026, 6, 1) + timedelta(days=7 * k), channel)
        touch(carl, ana, date(2026, 2, 1), "email")
        touch(carl, ana, date(2026, 2, 15), "call")
        touch(dora, ben, date(2026, 4, 20), "email")
        s.flush()
        dora.dnc_at = at(date(2026, 5, 2))
        dora.dnc_reason = "“remove me”"
        dora.dnc_source = "prospect"

        def checkback(key: str, r: Rejection, c: Contact, due: date, status: str) -> None:
            add(key, FollowUp(contact_id=c.id, account_id=c.account_id, rejection_id=r.id,
                              due=due, channel="email", purpose="check back", status=status,
                              rule="checkback.time_hint", owner_id=r.author_id,
                              created_at=r.at))

        checkback("f1", r1, carl, date(2026, 4, 1), "done")
        checkback("f2", r2, cleo, date(2026, 5, 4), "done")
        touch(cleo, ana, date(2026, 5, 6), "email", "inbound")
        checkback("f3", r3, cruz, date(2026, 3, 10), "done")
        checkback("f4", r4, cruz, date(2027, 1, 4), "due")
        checkback("f5", r5, carl, date(2026, 10, 1), "skipped")

        def autopsy(r: Rejection, who: User, **answers: Any) -> None:
            s.add(Autopsy(rejection_id=r.id, deal_id=r.deal_id, author_id=who.id,
                          created_at=r.at, **answers))

        autopsy(r2, ana, listened_to_need=False, too_aggressive=True)
        autopsy(r3, ben, listened_to_need=True, missed_timing=True, winner="Rival")
        autopsy(r4, ben, listened_to_need=False, winner="rival ")
        s.flush()
    return ids
