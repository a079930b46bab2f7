"""What the demo's past teaches: deal outcomes, opt-outs, capabilities asked for, references,
the salesperson's journal and autopsies. Also `build_plan`, the whole demo in one call."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from notnow.core.capabilities import capability_key
from notnow.core.labels import deal_status_after
from notnow.core.model import Label
from notnow.services.demo.data.catalogue import (
    AUTOPSIES,
    JOURNAL,
    REFERENCES,
    SHIPPED_CAPABILITY,
)
from notnow.services.demo.data.plan import SEED, Plan, Planner
from notnow.services.demo.data.schedule import Scheduler
from notnow.services.demo.data.today import balance, next_days, silent


def deal_states(pl: Planner) -> None:
    for d in pl.plan.deals:
        last = d.pop("_last", None)
        d.pop("_locked", None)
        if last is None:
            continue
        reply, at = last
        d["stage"] = reply.stage
        new = deal_status_after(Label(reply.label))
        if reply.capability == "On-premises deployment":
            new = "walked_away"  # an honest walk-away: we are not the right fit
        if new is not None:
            d["status"] = new
            d["closed_at"] = at if new in ("lost", "walked_away") else None


def opt_outs(pl: Planner) -> None:
    for row in pl.plan.rejections:
        if row["label"] != "do_not_contact":
            continue
        words = next(e["text"] for e in row["evidence"] if e["label"] == "do_not_contact")
        # marked as the call that brought it ends: the call itself came before the opt-out
        pl.plan.dnc.append(dict(_contact=row["_contact"], dnc_at=row["at"] + timedelta(minutes=1),
                                dnc_reason=f"“{words}”", dnc_source="prospect"))


def capabilities(pl: Planner, shipped: datetime) -> None:
    keys: dict[str, int] = {}
    for ri, row in enumerate(pl.plan.rejections):
        name = row["capability"]
        if not name:
            continue
        key = capability_key(name) or name.lower()
        if key not in keys:
            keys[key] = len(pl.plan.capabilities)
            done = name == SHIPPED_CAPABILITY
            pl.plan.capabilities.append(dict(
                name=name, key=key, status="shipped" if done else "requested",
                shipped_at=shipped if done else None, created_at=row["at"]))
        pl.plan.requests.append(dict(_capability=keys[key], _rejection=ri))


def references(pl: Planner) -> None:
    for name, country, region, employees, industry, offer, may_name, note in REFERENCES:
        pl.plan.references.append(dict(
            _account=None, name=name, country=country, region=region, employees=employees,
            industry=industry, offer=offer, may_name=may_name, note=note,
            created_at=pl.now - timedelta(days=300)))
    for d in pl.plan.deals:
        if d["status"] != "won":
            continue
        a = pl.accts[d["_account"]]
        pl.plan.references.append(dict(
            _account=d["_account"], name=a.name, country=a.country, region=a.region,
            employees=a.employees, industry=a.industry, offer=d["offer"], may_name=False,
            note="Won after an earlier 'not now'. Ask before naming them.",
            created_at=d["closed_at"]))


def _find(rows: list[dict[str, Any]], **want: Any) -> int | None:
    for i, r in enumerate(rows):
        if all((r.get(k) == v) if not callable(v) else v(r.get(k)) for k, v in want.items()):
            return i
    return None


def journal_and_autopsies(pl: Planner) -> None:
    rej = pl.plan.rejections
    orbitask = _find(rej, label="competitor_chosen", text=lambda t: "board chose" in t)
    pushed = _find(rej, label="bad_experience", text=lambda t: "fifth email" in t)
    kestrel = _find(rej, label="competitor_chosen", text=lambda t: "coffee" in t)
    links = [None, None, orbitask, _find(rej, label="gatekeeper")]
    for (text, feelings, reflect_in), ri in zip(JOURNAL, links, strict=True):
        when = rej[ri]["at"] + timedelta(hours=6) if ri is not None else (
            pl.now - timedelta(days=pl.rng.randint(3, 40)))
        when = min(when, pl.now - timedelta(hours=1))
        pl.plan.journal.append(dict(
            author_id=pl.user_id, _account=rej[ri]["_account"] if ri is not None else None,
            _contact=rej[ri]["_contact"] if ri is not None else None, _rejection=ri,
            text=text, feelings=feelings,
            reflect_on=(when.date() + timedelta(days=reflect_in)) if reflect_in else None,
            created_at=when))
    for fields, ri in zip(AUTOPSIES, (orbitask, pushed, kestrel), strict=True):
        if ri is None:
            continue
        listened, timing, follow, events, aggressive, winner, why, differently = fields
        at = min(rej[ri]["at"] + timedelta(days=2), pl.now - timedelta(hours=1))
        pl.plan.autopsies.append(dict(
            _rejection=ri, _deal=rej[ri]["_deal"], author_id=pl.user_id,
            listened_to_need=listened, missed_timing=timing, missed_follow_up=follow,
            missed_events=events, too_aggressive=aggressive, winner=winner,
            winner_why=why, do_differently=differently, created_at=at))


def build_plan(*, today: date, now: datetime, user_id: int, seed: int = SEED) -> Plan:
    """The whole demo as plain rows, the same for the same `today`, `now` and `seed`."""
    pl = Planner(today=today, now=now, user_id=user_id, seed=seed)
    pl.accounts()
    pl.contacts()
    pl.deals()
    pl.assign()
    sc = Scheduler(pl)
    for p in pl.people:
        sc.person(p)
    silent(sc)
    balance(sc)
    next_days(sc)
    deal_states(pl)
    opt_outs(pl)
    capabilities(pl, pl.at(sc.shipped, 0, hour=12))
    references(pl)
    journal_and_autopsies(pl)
    return pl.plan
