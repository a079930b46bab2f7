"""The demo's follow-ups: what came after each "no", and a believable agenda for today.

Past follow-ups are done (with the touch that did them) or skipped; each contact who may still be
contacted ends with one follow-up due, and the day's agenda is balanced to 10–15 items.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from notnow.core.businessdays import previous_business_day
from notnow.services.demo.data import Reply
from notnow.services.demo.data.accounts import HOOKS
from notnow.services.demo.data.catalogue import NURTURE, REFERENCES, WARM
from notnow.services.demo.data.markup import add_months, hint_date, next_month_start
from notnow.services.demo.data.plan import WIN_STORIES, Person, Planner

SHIPPED_DAYS_AGO = 20
OVERDUE_WINDOW = 8  # older due dates were done (or skipped) in the demo's past
AIM_SHARE = 0.25  # share of contacts whose last check-back falls due about now

DEFAULTS: dict[str, tuple[str, str, str]] = {
    # label: (channel, purpose, why); timing follows the default playbook
    "not_interested": ("linkedin", "Check in with a new angle — no pitch",
                       "no reason given; 90 days have passed"),
    "not_now": ("call", "Ask whether the timing is better now",
                "they said not now; three months on"),
    "no_budget": ("email", "Check in as the new budget year opens",
                  "no budget last time; the budget year turns"),
    "price": ("email", "Come back with the smaller package",
              "price was the objection; six months on"),
    "competitor_chosen": ("call", "Ask how it's going with {competitor}",
                          "they chose {competitor}; six months in is when gaps show"),
    "has_solution": ("email", "Get in before their renewal",
                     "they have a tool under contract; renewal season"),
    "no_need": ("linkedin", "Share what similar teams changed this year",
                "they saw no need; six months on"),
    "missing_capability": ("email", "Update them honestly on {capability}",
                           "they need {capability}; not shipped yet"),
    "no_authority": ("email", "Offer to help build the case for the approver",
                     "the decision sits above {first}"),
    "bad_experience": ("note", "Gentle check-in: acknowledge last time, ask for nothing",
                       "they felt pushed; a long pause first"),
    "gatekeeper": ("call", "Friendly call to {first} at the front desk",
                   "gatekeeper conversation {n} of 6 — a familiar voice, not a pitch"),
}


def _wait(label: str, said_on: date, fiscal: int | None) -> date:
    if label == "not_interested":
        return said_on + timedelta(days=90)
    if label in ("not_now", "no_authority"):
        return add_months(said_on, 3)
    if label == "no_budget":
        return next_month_start(said_on, fiscal or 1)
    if label == "has_solution":
        return add_months(said_on, 9)
    if label == "bad_experience":
        return add_months(said_on, 9)
    if label == "gatekeeper":
        return said_on + timedelta(days=14)
    return add_months(said_on, 6)


class Scheduler:
    def __init__(self, pl: Planner) -> None:
        self.pl = pl
        self.rng = pl.rng
        self.today = pl.today
        self.shipped = pl.past_bday(SHIPPED_DAYS_AGO, 0)
        self.pending: dict[int, list[int]] = {}
        self.gk_talks: dict[int, int] = {}

    # --- rows -----------------------------------------------------------------------------
    def followup(self, p: Person, due: date, channel: str, purpose: str, why: str, rule: str,
                 *, status: str = "due", rejection: int | None = None,
                 created: datetime | None = None, closed: datetime | None = None) -> None:
        pl = self.pl
        row: dict[str, Any] = dict(
            _contact=p.idx, _account=p.account, _deal=pl.main_deal[p.account],
            _rejection=rejection, due=due, channel=channel, purpose=purpose, why=why,
            status=status, rule=rule, owner_id=pl.user_id,
            created_at=created or pl.at(due - timedelta(days=30), p.account), closed_at=None)
        if created is None and rejection is not None:  # planned when the no was logged, or later
            row["created_at"] = max(row["created_at"], pl.plan.rejections[rejection]["created_at"])
        row["created_at"] = min(row["created_at"], pl.now - timedelta(hours=2))
        if status == "done":
            row["closed_at"] = closed or pl.at(due, p.account)
            pl.touch(p.idx, p.account, channel, row["closed_at"], f"done: {purpose[:120]}")
        elif status == "skipped":
            row["closed_at"] = closed
        if status == "due":
            self.pending.setdefault(p.idx, []).append(len(pl.plan.followups))
        pl.plan.followups.append(row)

    def nurture(self, p: Person, label: str | None = None) -> tuple[str, str, str, str]:
        """The next gentle step for a contact, fitting who they are and what they last said."""
        if p.role == "gatekeeper":
            n = self.gk_talks[p.idx] = self.gk_talks.get(p.idx, 1) + 1
            ch, purpose, why = DEFAULTS["gatekeeper"]
            return ch, purpose.format(first=p.first), why.format(n=min(n, 6)), "gatekeeper.friendly"
        if label == "interested":
            return (*self.rng.choice(WARM), "interested.keep_warm")
        a = self.pl.accts[p.account]
        refs = [r[0] for r in REFERENCES if r[1] == a.country]
        choices = [t for t in NURTURE if refs or "{reference}" not in t[1]]
        ch, purpose, why = self.rng.choice(choices)
        purpose = purpose.format(reference=refs[0] if refs else "", hook=HOOKS[a.domain])
        return ch, purpose, why, "nurture.gentle"

    def chain(self, p: Person, due: date, step: tuple[str, str, str, str],
              rejection: int | None) -> None:
        """Follow-ups from `due` on: the past ones done, the first one still ahead left due."""
        while True:
            due = self.pl.bday(due, p.account)
            ch, purpose, why, rule = step
            if due > self.today or (self.today - due).days <= OVERDUE_WINDOW:
                self.followup(p, due, ch, purpose, why, rule, rejection=rejection)
                return
            self.followup(p, due, ch, purpose, why, rule, status="done", rejection=rejection)
            gap = (40, 90) if p.role == "gatekeeper" else (30, 75)
            due = due + timedelta(days=self.rng.randint(*gap))
            step = self.nurture(p, self._label(rejection))

    def _label(self, rejection: int | None) -> str | None:
        return None if rejection is None else self.pl.plan.rejections[rejection]["label"]

    # --- after each reply -------------------------------------------------------------------
    def first_step(self, p: Person, r: Reply, row: dict[str, Any],
                   said_on: date) -> tuple[Person, date, tuple[str, str, str, str]] | None:
        pl = self.pl
        ref = pl.people[row["referral"]["_contact"]] if row["referral"] else None
        soon = said_on + timedelta(days=self.rng.randint(1, 3))
        if r.label == "do_not_contact":
            return None
        if r.label == "interested":
            return p, soon, ("email", "Send what they asked for and propose two times",
                             "they asked for it — answer the same week", "interested.respond")
        if r.label == "auto_reply":
            if row["return_date"]:
                return p, row["return_date"] + timedelta(days=1), (
                    "email", f"Try again now that {p.first} is back",
                    f"out of office until {row['return_date']:%d %b}", "auto_reply.return")
            if ref is not None and not ref.dnc:
                return ref, soon, ("email", f"Write to {ref.first}, who took over from "
                                   f"{p.first}", "the auto-reply named a replacement",
                                   "auto_reply.replacement")
            return p, soon, ("linkedin", "Find a working address — try LinkedIn",
                             "the email did not reach a person", "auto_reply.bounce")
        if r.label == "wrong_person" and ref is not None and not ref.dnc:
            return ref, soon, ("call", f"Reach {ref.name} — {p.first} suggested you",
                               f"referral from {p.first} ({p.title})", "referral.named")
        if r.capability == "Salesforce integration" and said_on < self.shipped:
            return p, self.shipped + timedelta(days=2), (
                "email", "Tell them the Salesforce integration has shipped",
                "they said no because it was missing", "capability.shipped")
        channel = r.channel if r.channel in ("call", "email", "linkedin") else "email"
        if row["checkback"] is not None:
            return p, row["checkback"], (channel, "Check back as agreed",
                                         f"they said when to return (“{row['checkback_phrase']}”)",
                                         "checkback.time_hint")
        ch, purpose, why = DEFAULTS.get(r.label, DEFAULTS["not_now"])
        if r.label == "gatekeeper":
            self.gk_talks[p.idx] = self.gk_talks.get(p.idx, 0) + 1
        values = dict(first=p.first, competitor=r.competitor or "the other vendor",
                      capability=r.capability or "what they need",
                      n=min(self.gk_talks.get(p.idx, 1), 6))
        fiscal = pl.accts[p.account].fiscal_year_start
        return p, _wait(r.label, said_on, fiscal), (ch, purpose.format(**values),
                                                    why.format(**values),
                                                    f"checkback.default.{r.label}")

    def aim(self, p: Person, r: Reply, offsets: list[int]) -> int:
        """A day for the last reply whose natural check-back falls in the last few days."""
        fiscal = self.pl.accts[p.account].fiscal_year_start
        low = offsets[-2] - 21 if len(offsets) > 1 else 340
        hits = []
        for ago in range(20, max(20, low)):
            said_on = self.pl.past_bday(ago, p.account)
            if r.hint is not None and r.hint[0] in ("days", "weeks", "months"):
                due = hint_date(r.hint, said_on, fiscal)
            elif r.hint is None and r.label in DEFAULTS and r.label != "gatekeeper":
                due = _wait(r.label, said_on, fiscal)
            else:
                return offsets[-1]
            if 0 <= (self.today - self.pl.bday(due, p.account)).days <= 4:
                hits.append(ago)
        return self.rng.choice(hits) if hits else offsets[-1]

    def person(self, p: Person) -> None:
        pl = self.pl
        done: list[tuple[Reply, int, dict[str, Any], date]] = []
        prev: date | None = None
        offsets = pl.days_ago_for(p)
        if p.replies and p.story is None and not p.dnc and self.rng.random() < AIM_SHARE:
            offsets[-1] = self.aim(p, p.replies[-1], offsets)
        for r, ago in zip(p.replies, offsets, strict=True):
            said_on = pl.past_bday(ago, p.account)
            if prev is not None and said_on <= prev:
                said_on = pl.bday(prev + timedelta(days=1), p.account)
            early = r.stage in ("cold_call", "email_prospecting")
            tries = (self.rng.randint(0, 1) if prev is not None  # after a no, gently
                     else self.rng.randint(2, 5) if early else self.rng.randint(0, 2))
            pl.attempts(p, said_on, prev, tries)
            row = pl.rejection(r, p, said_on)
            pl.reply_event(r, p, row)
            done.append((r, len(pl.plan.rejections) - 1, row, said_on))
            prev = said_on
        if p.story is not None:
            self.story(p, done)
            return
        for k, (r, ri, row, said_on) in enumerate(done):
            step = self.first_step(p, r, row, said_on)
            if step is None:
                continue
            target, due, what = step
            nxt = done[k + 1][3] if k + 1 < len(done) else None
            if nxt is None or target is not p:
                self.chain(target, due, what, ri)
            elif pl.bday(due, p.account) <= nxt:
                self.followup(p, pl.bday(due, p.account), *what, status="done", rejection=ri)
            else:
                ch, purpose, why, rule = what
                self.followup(p, pl.bday(due, p.account), ch, purpose,
                              why + " — a newer conversation came first", rule,
                              status="skipped", rejection=ri, closed=pl.at(nxt, p.account))

    def story(self, p: Person, done: list[tuple[Reply, int, dict[str, Any], date]]) -> None:
        """A no that became a yes: the check-back that worked, then the deal."""
        pl = self.pl
        (_, no_ri, _, _), (_, yes_ri, yes_row, yes_day) = done
        revived = p.story == len(WIN_STORIES) - 1
        country = pl.accts[p.account].country
        back = (self.shipped + timedelta(days=2) if revived
                else previous_business_day(yes_day - timedelta(days=3), country))
        purpose = ("Tell them the Salesforce integration has shipped" if revived
                   else "Check back as agreed")
        self.followup(p, back, "email" if revived else "call", purpose,
                      "their reason for saying no has changed", "checkback.time_hint",
                      status="done", rejection=no_ri)
        deal = pl.plan.deals[pl.main_deal[p.account]]
        if revived:
            deal.update(stage="proposal", status="open", _last=None, _locked=True)
            self.chain(p, yes_day + timedelta(days=2), (
                "email", "Book the demo they asked for — offer two slots",
                "they came back once Salesforce sync shipped", "interested.respond"), yes_ri)
            return
        self.followup(p, pl.bday(yes_day + timedelta(days=1), p.account), "email",
                      "Send the proposal they asked for", "they said yes at the check-back",
                      "interested.respond", status="done", rejection=yes_ri)
        won = min(yes_day + timedelta(days=self.rng.randint(20, 40)),
                  self.today - timedelta(days=3))
        for days, outcome in ((6, "demo"), (12, "pricing review")):
            day = min(yes_day + timedelta(days=days), won)
            pl.touch(p.idx, p.account, "meeting", pl.at(day, p.account), outcome,
                     deal=pl.main_deal[p.account])
        closed = pl.at(won, p.account)
        pl.signal(p.idx, p.account, "meeting_accepted", True, closed, "signed the order form")
        deal.update(stage="closing", status="won", closed_at=closed, _last=None,
                    _locked=True)
        self.chain(p, won + timedelta(days=self.rng.randint(30, 50)), (
            "call", "Check in on the rollout — ask about a reference",
            "a new customer who once said no", "customer.check_in"), yes_ri)
