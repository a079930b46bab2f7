"""The demo's present: quiet contacts still being worked, and a day with the right amount to do."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from notnow.core.businessdays import is_business_day, previous_business_day
from notnow.core.playbook import Settings
from notnow.services.demo.data.catalogue import TODAY_TASKS
from notnow.services.demo.data.plan import SILENT_CADENCE, Person
from notnow.services.demo.data.schedule import Scheduler

AGENDA_MIN, AGENDA_MAX = 10, 15
SIGNAL_TASKS = 4  # at least this many of today's items come from fresh signals or the day's plan
NEXT_DAYS, PER_NEXT_DAY = 10, 4


def silent(sc: Scheduler) -> None:
    """Contacts who never answered: attempts so far, and the next one in the cadence."""
    pl = sc.pl
    for p in pl.people:
        if p.replies or p.idx in sc.pending or p.dnc:
            continue
        count = sc.rng.randint(2, 8)
        last = pl.past_bday(sc.rng.randint(3, 40), p.account)
        pl.attempts(p, last + timedelta(days=1), None, count)
        channel = SILENT_CADENCE[count % len(SILENT_CADENCE)]
        due = pl.bday(sc.today + timedelta(days=sc.rng.randint(-4, 12)), p.account)
        rule = Settings().silence  # the demo's team keeps the default playbook
        sc.followup(p, due, channel, f"Attempt {count + 1}: {channel.replace('_', ' ')}",
                    f"no reply after {count} attempts is not a no — silence counts only after "
                    f"{rule.attempts} attempts on {rule.channels} channels",
                    "cadence.prospecting")


def _due_now(sc: Scheduler) -> list[int]:
    rows = sc.pl.plan.followups
    return [i for i, f in enumerate(rows) if f["status"] == "due" and f["due"] <= sc.today]


def _work_day(sc: Scheduler, p: Person) -> date:
    """Today for the contact, or their last business day when today is a day off there."""
    country = sc.pl.accts[p.account].country
    if is_business_day(sc.today, country):
        return sc.today
    return previous_business_day(sc.today, country)


def _fits(sc: Scheduler, fit: str, p: Person) -> bool:
    if p.dnc or any(sc.pl.plan.followups[i]["due"] <= sc.today + timedelta(days=7)
                    for i in sc.pending.get(p.idx, [])):
        return False
    if fit == "gatekeeper":
        return p.role == "gatekeeper"
    if p.role == "gatekeeper":
        return False
    if fit == "referral":
        return p.referred_by is not None
    if p.replies and p.replies[-1].label == "auto_reply":
        return False  # wait for them to be back, or for the replacement
    if fit.startswith("cap:"):
        last = p.replies[-1] if p.replies else None
        return last is not None and (last.capability or "").lower().startswith(fit[4:])
    return True


def balance(sc: Scheduler) -> None:
    """Between AGENDA_MIN and AGENDA_MAX follow-ups due today or overdue."""
    pl = sc.pl
    target = sc.rng.randint(AGENDA_MIN + 1, AGENDA_MAX - 1)
    due_now = _due_now(sc)
    keep = target - SIGNAL_TASKS
    if len(due_now) > keep:
        rules = pl.plan.followups
        order = {"nurture.gentle": 0, "cadence.prospecting": 1}
        ranked = sorted(due_now, key=lambda i: (order.get(rules[i]["rule"], 2), sc.rng.random()))
        for i in sorted(ranked[:len(due_now) - keep]):
            row = pl.plan.followups[i]
            p = pl.people[row["_contact"]]
            row["status"] = "done"
            row["closed_at"] = pl.at(min(row["due"], sc.today), p.account)
            pl.touch(p.idx, p.account, row["channel"], row["closed_at"],
                     f"done: {row['purpose'][:120]}")
            sc.pending[p.idx].remove(i)
            sc.chain(p, sc.today + timedelta(days=sc.rng.randint(21, 60)),
                     sc.nurture(p, sc._label(row["_rejection"])), row["_rejection"])
    tasks = list(TODAY_TASKS)
    sc.rng.shuffle(tasks)
    while tasks and len(_due_now(sc)) < target:
        seen = {pl.plan.followups[i]["channel"] for i in _due_now(sc)}
        # specific tasks first while people fit them, and channels the day does not have yet
        tasks.sort(key=lambda t: (t[1] in seen, t[0] == "any"))
        fit, channel, purpose, why, kind, note = tasks.pop(0)
        people = [p for p in pl.people if _fits(sc, fit, p)]
        if not people:
            continue
        p = sc.rng.choice(people)
        day = _work_day(sc, p)
        if sc.rng.random() < 0.3:
            day = previous_business_day(day - timedelta(days=sc.rng.randint(1, 3)),
                                        pl.accts[p.account].country)
        last = _last_rejection(sc, p.idx)
        if kind is not None:
            active = kind not in ("ignored", "unopened")
            pl.signal(p.idx, p.account, kind, active,
                      pl.at(day - timedelta(days=1), p.account), note)
        referrer = pl.people[p.referred_by].name if p.referred_by is not None else ""
        purpose, why = (t.format(first=p.first, referrer=referrer) for t in (purpose, why))
        sc.followup(p, day, channel, purpose, why, f"signal.{kind}" if kind else "manual",
                    rejection=last, created=pl.at(day - timedelta(days=1), p.account))


def _last_rejection(sc: Scheduler, contact: int) -> int | None:
    rows = sc.pl.plan.rejections
    found = [i for i, r in enumerate(rows) if r["_contact"] == contact]
    return found[-1] if found else None


def next_days(sc: Scheduler) -> None:
    """The days after today have work too: a few gentle touches where a day looks empty."""
    pl = sc.pl
    day = sc.today
    for _ in range(NEXT_DAYS):
        day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        have = sum(1 for f in pl.plan.followups if f["status"] == "due" and f["due"] == day)
        free = [p for p in pl.people if not p.dnc and p.role != "gatekeeper"
                and not _near(sc, p.idx, day)]
        sc.rng.shuffle(free)
        for p in free:
            if have >= PER_NEXT_DAY:
                break
            if not is_business_day(day, pl.accts[p.account].country):
                continue
            last = _last_rejection(sc, p.idx)
            ch, purpose, why, rule = sc.nurture(p, sc._label(last))
            sc.followup(p, day, ch, purpose, why, rule, rejection=last)
            have += 1


def _near(sc: Scheduler, contact: int, day: date) -> bool:
    rows: list[dict[str, Any]] = sc.pl.plan.followups
    return any(abs((rows[i]["due"] - day).days) < 25 for i in sc.pending.get(contact, []))
