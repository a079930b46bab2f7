"""Who says what, and when: the demo's story, computed from a seed and the workspace's today.

The plan holds plain row dicts. Foreign keys are written as ``_account``, ``_contact``, ``_deal``,
``_rejection`` (indexes into the plan's own lists); the loader swaps them for database ids.
Everything random comes from one ``random.Random(seed)``, so the same today gives the same plan.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from notnow.core.businessdays import next_business_day, previous_business_day
from notnow.core.timehints import extract_return_date, extract_time_hint
from notnow.services.demo.data import Reply, all_replies
from notnow.services.demo.data.accounts import (
    ACCOUNTS,
    COUNTRY_NAMES,
    CURRENCIES,
    NAME_GROUP,
    NAMES,
    PHONE_PREFIX,
    SMALL_TITLES,
    TITLES,
    USD_RATE,
    DemoAccount,
)
from notnow.services.demo.data.catalogue import ME, OUTCOMES, PRODUCTS, VENDOR, Product
from notnow.services.demo.data.markup import GRANULARITY, Marked, hint_date, unmark

SEED = 20261122
STAGE_RANK = {"cold_call": 0, "email_prospecting": 1, "proposal": 2, "closing": 3, "follow_up": 4}
SHE = re.compile(r"\b(she|her|She|Her)\b")
HE = re.compile(r"\b(he|him|his|He|His)\b")
# soft no -> later yes: (words in the no, words in the yes); the last one is revived, not won yet
WIN_STORIES = [
    ("circle back next quarter", "at the agreed check-back"),
    ("budget for this year is already", "Funny timing"),
    ("CFO is not signing off", "ready to sign"),
    ("40% above our ceiling", "include the onboarding package"),
    ("sync with Salesforce", "Salesforce integration shipping"),
]
SILENT_CADENCE = ["call", "voicemail", "email", "linkedin", "call", "email", "note", "parcel",
                  "drop_in"]


@dataclass
class Person:
    idx: int
    account: int
    role: str
    female: bool
    first: str
    name: str
    department: str
    title: str
    replies: list[Reply] = field(default_factory=list)
    dnc: bool = False
    story: int | None = None  # index into WIN_STORIES
    referred_by: int | None = None


@dataclass
class Plan:
    accounts: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    deals: list[dict[str, Any]] = field(default_factory=list)
    rejections: list[dict[str, Any]] = field(default_factory=list)
    touches: list[dict[str, Any]] = field(default_factory=list)
    signals: list[dict[str, Any]] = field(default_factory=list)
    followups: list[dict[str, Any]] = field(default_factory=list)
    dnc: list[dict[str, Any]] = field(default_factory=list)
    capabilities: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    references: list[dict[str, Any]] = field(default_factory=list)
    journal: list[dict[str, Any]] = field(default_factory=list)
    autopsies: list[dict[str, Any]] = field(default_factory=list)


def ascii_slug(text: str, sep: str = "") -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    kept = "".join(ch for ch in folded if ch.isascii() and (ch.isalnum() or ch == " "))
    return sep.join(kept.lower().split())


class Planner:
    """Builds a `Plan`; `schedule.py` adds the follow-ups and balances the agenda."""

    def __init__(self, *, today: date, now: datetime, user_id: int, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.now = now
        self.user_id = user_id
        self.plan = Plan()
        self.accts: list[DemoAccount] = list(ACCOUNTS)
        self.people: list[Person] = []
        self.main_deal: dict[int, int] = {}
        self.products: dict[int, Product] = {}
        self._pronouns: dict[int, tuple[bool, bool]] = {}

    # --- time -----------------------------------------------------------------------------
    def at(self, day: date, account: int, hour: int | None = None) -> datetime:
        """A moment of `day` in the account's working hours, in UTC, never in the future."""
        acc = self.accts[account]
        h = hour if hour is not None else self.rng.randint(8, 16)
        local = datetime.combine(day, time(h, self.rng.randrange(0, 60, 5)),
                                 tzinfo=ZoneInfo(acc.timezone))
        moment = local.astimezone(UTC)
        return min(moment, self.now - timedelta(minutes=self.rng.randint(20, 240)))

    def bday(self, day: date, account: int) -> date:
        return next_business_day(day, self.accts[account].country)

    def past_bday(self, days_ago: int, account: int) -> date:
        return previous_business_day(self.today - timedelta(days=days_ago),
                                     self.accts[account].country)

    # --- accounts, people, deals ------------------------------------------------------------
    def accounts(self) -> None:
        for i, a in enumerate(self.accts):
            self.plan.accounts.append(dict(
                name=a.name, domain=a.domain, website=f"https://www.{a.domain}",
                industry=a.industry, employees=a.employees, country=a.country, region=a.region,
                city=a.city, timezone=a.timezone, fiscal_year_start=a.fiscal_year_start,
                rapport_notes=a.rapport, owner_id=self.user_id,
                created_at=self.now - timedelta(days=400 - i)))

    def _roles(self, employees: int) -> list[str]:
        if employees <= 50:
            return ["founder", "user"] + (["influencer"] if self.rng.random() < 0.5 else [])
        roles = ["decision_maker", "influencer"]
        if employees > 500 or self.rng.random() < 0.6:
            roles.insert(0, "gatekeeper")
        if employees > 200 or self.rng.random() < 0.5:
            roles.append("user")
        if employees >= 2000:
            roles.append("executive")
        return roles

    def contacts(self) -> None:
        used: set[str] = set()
        for ai, a in enumerate(self.accts):
            females, males, lasts = NAMES[NAME_GROUP[a.country]]
            families: set[str] = set()  # colleagues at one company do not share a family name
            for role in self._roles(a.employees):
                female = self.rng.random() < 0.5
                while True:
                    first = self.rng.choice(females if female else males)
                    last = self.rng.choice(lasts)
                    name = f"{first} {last}"
                    if name not in used and last not in families:
                        used.add(name)
                        families.add(last)
                        break
                dept, title = self.rng.choice(SMALL_TITLES if role == "founder" else TITLES[role])
                p = Person(len(self.people), ai, "decision_maker" if role == "founder" else role,
                           female, first, name, dept, title)
                self.people.append(p)
                local = ascii_slug(name, ".")
                digits = "".join(str(self.rng.randint(0, 9)) for _ in range(9))
                self.plan.contacts.append(dict(
                    _account=ai, name=name, title=title, role=p.role, department=dept,
                    location=a.city, email=f"{local}@{a.domain}",
                    phone=(PHONE_PREFIX[a.country] + f"{digits[:3]} {digits[3:6]} {digits[6:]}"
                           if self.rng.random() < 0.7 else None),
                    linkedin=(f"https://www.linkedin.com/in/{ascii_slug(name, '-')}-"
                              f"{self.rng.randrange(16**4):04x}"
                              if self.rng.random() < 0.6 else None),
                    timezone=a.timezone, owner_id=self.user_id,
                    created_at=self.now - timedelta(days=390 - ai)))

    def _value(self, product: Product, a: DemoAccount) -> Decimal:
        usd = min(max(a.employees * product.usd_per_employee, product.floor_usd),
                  product.ceiling_usd) * self.rng.uniform(0.85, 1.2)
        cur = CURRENCIES[a.country]
        step = 1000 if USD_RATE[cur] >= 50 else 100
        return Decimal(int(usd * USD_RATE[cur] / step) * step)

    def deals(self) -> None:
        for ai, a in enumerate(self.accts):
            small = a.employees < 300
            pick = [0, 1] if small else [0, 1, 4, 4]
            offers = [self.rng.choice(pick)]
            if a.employees >= 1000 and self.rng.random() < 0.6:
                offers.append(self.rng.choice([2, 3, 5]))
            dm = next(p.idx for p in self.people
                      if p.account == ai and p.role == "decision_maker")
            for n, o in enumerate(offers):
                if n == 0:
                    self.main_deal[ai] = len(self.plan.deals)
                self.products[len(self.plan.deals)] = PRODUCTS[o]
                self.plan.deals.append(dict(
                    _account=ai, _contact=dm, offer=PRODUCTS[o].name,
                    value=self._value(PRODUCTS[o], a), currency=CURRENCIES[a.country],
                    stage=self.rng.choice(["cold_call", "email_prospecting", "proposal"]),
                    status="open", owner_id=self.user_id,
                    created_at=self.now - timedelta(days=self.rng.randint(300, 380)), _last=None))

    # --- who said what ----------------------------------------------------------------------
    def _gender_ok(self, reply: Reply, p: Person) -> bool:
        """Pronouns in a reply that speak of the contact must fit the contact's name."""
        if reply.label == "gatekeeper":
            return True
        key = id(reply)
        if key not in self._pronouns:
            words = " ".join(t for t in (reply.text, reply.notes, reply.feelings) if t)
            self._pronouns[key] = (bool(SHE.search(words)), bool(HE.search(words)))
        she, he = self._pronouns[key]
        return not (she and not p.female) and not (he and p.female)

    def _roles_for(self, r: Reply) -> set[str]:
        if r.role:
            return {r.role}
        if r.label == "gatekeeper":
            return {"gatekeeper"}
        if r.label == "wrong_person":
            return {"user", "influencer"}
        if r.label == "auto_reply":
            return {"user", "influencer", "decision_maker", "executive"}
        return {"decision_maker", "influencer", "executive", "user"}

    def _pick(self, r: Reply, cap: int) -> Person | None:
        roles = self._roles_for(r)
        ok = [p for p in self.people if p.role in roles and not p.dnc and p.story is None
              and len(p.replies) < cap and self._gender_ok(r, p)]
        if not ok:
            return None
        low = min(len(p.replies) for p in ok)
        return self.rng.choice([p for p in ok if len(p.replies) == low])

    def assign(self) -> None:
        replies = all_replies()
        self.rng.shuffle(replies)
        stories: list[tuple[Reply, Reply]] = []
        for no_words, yes_words in WIN_STORIES:
            no = next(r for r in replies if no_words in r.text)
            yes = next(r for r in replies if yes_words in r.text)
            stories.append((no, yes))
        taken = {id(r) for pair in stories for r in pair}
        used_accounts: set[int] = set()
        for si, (no, yes) in enumerate(stories):
            ok = [p for p in self.people if p.role in ("decision_maker", "executive")
                  and p.account not in used_accounts and p.story is None
                  and self.accts[p.account].employees > 50
                  and self._gender_ok(no, p) and self._gender_ok(yes, p)]
            p = self.rng.choice(ok)
            p.story, p.replies = si, [no, yes]
            used_accounts.add(p.account)
        opt_outs_first = sorted(replies, key=lambda r: r.label != "do_not_contact")
        for r in opt_outs_first:
            if id(r) in taken:
                continue
            opt_out = r.label == "do_not_contact"
            who = self._pick(r, cap=1) if opt_out else (self._pick(r, cap=3)
                                                        or self._pick(r, cap=6))
            if who is None:
                raise RuntimeError(f"no contact can say: {r.text[:40]}")
            who.replies.append(r)
            who.dnc = opt_out
        for p in self.people:
            if p.story is None:
                p.replies.sort(key=lambda r: (r.label == "do_not_contact",
                                              STAGE_RANK[r.stage]))

    def referral_for(self, p: Person) -> Person:
        others = [q for q in self.people if q.account == p.account and q.idx != p.idx]
        best = [q for q in others if q.role in ("decision_maker", "executive") and not q.dnc]
        return self.rng.choice(best or [q for q in others if not q.dnc] or others)

    def days_ago_for(self, p: Person) -> list[int]:
        n = len(p.replies)
        if p.story is not None:
            if p.story == len(WIN_STORIES) - 1:  # revived by the shipped capability
                return [self.rng.randint(170, 230), self.rng.randint(6, 12)]
            return [self.rng.randint(220, 330), self.rng.randint(60, 120)]
        offsets = sorted(self.rng.sample(range(2, 340), n), reverse=True)
        for i in range(n - 2, -1, -1):
            offsets[i] = max(offsets[i], offsets[i + 1] + 21)
        return offsets

    # --- the rejections and what led to them -------------------------------------------------
    def fill(self, r: Reply, p: Person, ref: Person | None, said_on: date) -> dict[str, str]:
        a = self.accts[p.account]
        deal = self.main_deal[p.account]
        ret = said_on + timedelta(days=r.hint[1]) if r.hint and r.hint[0] == "return" else None
        return dict(first=p.first, name=p.name, title=p.title, company=a.name, me=ME,
                    vendor=VENDOR, product=self.products[deal].name, city=a.city,
                    country_name=COUNTRY_NAMES[a.country],
                    ref=ref.name if ref else "", ref_dept=ref.department if ref else "",
                    ret=f"{ret:%A} {ret.day} {ret:%B}" if ret else "")

    def read_hint(self, r: Reply, marked: Marked, said_on: date, a: DemoAccount
                  ) -> tuple[date | None, str | None, list[dict[str, Any]], str | None]:
        """The check-back from the prospect's words, read as notnow reads them (timehints);
        the demo's own reading of the hint stands in where that finds no date."""
        if r.hint is None:
            return None, None, marked.evidence, None
        try:
            if r.hint[0] == "return":
                found = extract_return_date(marked.text, today=said_on, country=a.country)
            else:
                found = extract_time_hint(marked.text, today=said_on, country=a.country,
                                          fiscal_year_start=a.fiscal_year_start,
                                          timezone=a.timezone)
        except Exception:  # noqa: BLE001 - a demo must load even if the reader trips
            found = None
        if found is None or found.checkback is None:
            day = next_business_day(hint_date(r.hint, said_on, a.fiscal_year_start), a.country)
            return day, GRANULARITY[r.hint[0]], marked.evidence, marked.phrase
        evidence = [e for e in marked.evidence if e["label"] != "time_hint"]
        evidence.append({"start": found.start, "end": found.end, "text": found.phrase,
                         "label": "time_hint"})
        evidence.sort(key=lambda e: (e["start"], e["end"]))
        return found.checkback, found.granularity, evidence, found.phrase

    def rejection(self, r: Reply, p: Person, said_on: date) -> dict[str, Any]:
        ref = self.referral_for(p) if "{ref" in r.text else None
        values = self.fill(r, p, ref, said_on)
        marked = unmark(r.text.format_map(values), r.label)
        a = self.accts[p.account]
        checkback, granularity, evidence, phrase = self.read_hint(r, marked, said_on, a)
        return_date = checkback if r.hint and r.hint[0] == "return" else None
        deal: int | None = self.main_deal[p.account]
        if STAGE_RANK[r.stage] < 2 and self.rng.random() < 0.5:
            deal = None
        if deal is not None and self.plan.deals[deal].get("_locked"):
            deal = None  # already won: this no is about something else
        at = self.at(said_on, p.account)
        row = dict(
            _contact=p.idx, _account=p.account, _deal=deal, at=at, stage=r.stage,
            channel=r.channel, text=marked.text, label=r.label, also=list(r.also),
            confidence=None, label_source="demo", evidence=evidence,
            checkback=checkback, checkback_phrase=phrase, granularity=granularity,
            return_date=return_date,
            competitor=r.competitor, capability=r.capability,
            referral=({"name": ref.name, "department": ref.department, "role": ref.role,
                       "_contact": ref.idx} if ref else None),
            notes=r.notes.format_map(values) if r.notes else None,
            feelings=r.feelings.format_map(values) if r.feelings else None,
            author_id=self.user_id,
            created_at=min(at + timedelta(minutes=self.rng.randint(2, 40)), self.now))
        if ref is not None:
            ref.referred_by = p.idx
        self.plan.rejections.append(row)
        if deal is not None:
            d = self.plan.deals[deal]
            d["_last"] = (r, at)
        return row

    def touch(self, p: int, account: int, channel: str, at: datetime, outcome: str | None,
              direction: str = "outbound", deal: int | None = None) -> None:
        self.plan.touches.append(dict(
            _contact=p, _account=account, _deal=deal, channel=channel, direction=direction,
            outcome=outcome, at=at, author_id=self.user_id, created_at=at))

    def signal(self, p: int | None, account: int, kind: str, active: bool, at: datetime,
               note: str | None = None) -> None:
        self.plan.signals.append(dict(_contact=p, _account=account, kind=kind, active=active,
                                      note=note, at=at, author_id=self.user_id))

    def attempts(self, p: Person, before: date, after: date | None, count: int) -> None:
        """Outbound attempts (and what the prospect did or did not do) leading up to a reply."""
        day = before
        for n in range(count):
            day = previous_business_day(day - timedelta(days=self.rng.randint(1, 4)),
                                        self.accts[p.account].country)
            if after is not None and day <= after:
                break
            channel = SILENT_CADENCE[(count - 1 - n) % len(SILENT_CADENCE)]
            at = self.at(day, p.account)
            self.touch(p.idx, p.account, channel, at, self.rng.choice(OUTCOMES[channel]))
            roll = self.rng.random()
            if (before - day).days <= 4:
                continue  # the reply came before anything else could be noticed
            if channel == "email" and roll < 0.4:
                self.signal(p.idx, p.account, "opened", True, at + timedelta(hours=3))
            elif channel in ("email", "linkedin") and roll < 0.6:
                self.signal(p.idx, p.account, "unopened" if channel == "email" else "ignored",
                            False, at + timedelta(days=4))
            elif channel == "call" and roll < 0.25:
                self.signal(p.idx, p.account, "ignored", False, at + timedelta(days=2))

    def reply_event(self, r: Reply, p: Person, row: dict[str, Any]) -> None:
        at, deal = row["at"], row["_deal"]
        short = r.label.replace("_", " ")
        if r.channel in ("email", "linkedin"):
            self.touch(p.idx, p.account, r.channel, at - timedelta(days=self.rng.randint(1, 5)),
                       "sent follow-up" if r.stage == "follow_up" else "sent intro", deal=deal)
            self.touch(p.idx, p.account, r.channel, at, f"reply: {short}", "inbound", deal)
            kind = {"do_not_contact": "unsubscribed", "interested": "replied",
                    "bad_experience": "asked_to_slow_down"}.get(r.label, "replied")
            if r.label == "auto_reply" and "not delivered" in r.text:
                kind = "bounced"
            self.signal(p.idx, p.account, kind, kind in ("replied",), at)
        elif r.channel == "voicemail":
            self.touch(p.idx, p.account, "voicemail", at - timedelta(days=2), "left voicemail",
                       deal=deal)
            self.touch(p.idx, p.account, "call", at, f"called back: {short}", "inbound", deal)
            self.signal(p.idx, p.account, "replied", True, at)
        else:
            self.touch(p.idx, p.account, r.channel, at, f"connected: {short}", deal=deal)
        if row["referral"]:
            self.signal(p.idx, p.account, "referred", True, at, row["referral"]["name"])
        if r.label == "interested":
            self.signal(p.idx, p.account, "asked_info", True, at)
