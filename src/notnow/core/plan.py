"""The comeback plan for one rejection: dated, explained steps from the playbook.

:func:`make_plan` matches the playbook's rules against the situation (label, stage, channel,
role, account size, signals, history) and turns each step a rule yields into a
:class:`PlanStep` with a due date, a channel, a purpose, the rule's id, the evidence that
triggered it and a one-line why.

Two things are fixed, whatever a playbook says: an opt-out (``do_not_contact`` or a contact
already marked so) yields the single step ``stop``; and every step that reaches a person is
dated through :func:`notnow.core.caps.earliest_allowed` — a business day of the contact's
country, outside quiet periods, within every cap, counting the plan's own earlier steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from notnow.core.businessdays import add_business_days, next_business_day
from notnow.core.cadence import (
    after_months,
    attempts,
    gatekeeper_state,
    next_budget_year,
    pace,
)
from notnow.core.caps import Ledger, earliest_allowed
from notnow.core.labels import is_rejection, said
from notnow.core.model import (
    REPLY_KINDS,
    AccountFacts,
    Channel,
    ContactFacts,
    FollowUpFacts,
    FollowUpStatus,
    History,
    Label,
    RejectionFacts,
    Role,
)
from notnow.core.offers import Offer, ReferenceCustomer, closest_references, fitting_offers
from notnow.core.playbook import (
    OUTBOUND_KINDS,
    Playbook,
    Rule,
    Situation,
    StepKind,
    StepTemplate,
)
from notnow.errors import CapExceeded

STOP_RULE = "core.do-not-contact"
KIND_ORDER = {kind: i for i, kind in enumerate(StepKind)}
SCHEDULED_KINDS = OUTBOUND_KINDS | {StepKind.PAUSE}
"""Steps that become follow-ups: they reach a person (a pause resumes contact when it ends)."""

REPLY_CHANNELS = (Channel.EMAIL, Channel.CALL, Channel.LINKEDIN, Channel.NOTE)
DECIDERS = (Role.EXECUTIVE, Role.DECISION_MAKER)


@dataclass(frozen=True, slots=True)
class PlanStep:
    kind: StepKind
    due: date
    purpose: str
    why: str
    rule: str
    evidence: str
    channel: Channel | None = None
    contact_id: int | None = None  # the person it reaches; None for your own tasks

    @property
    def scheduled(self) -> bool:
        """Whether this step becomes a follow-up (it reaches a known person)."""
        return self.kind in SCHEDULED_KINDS and self.contact_id is not None


@dataclass(frozen=True, slots=True)
class Plan:
    rejection_id: int
    label: Label
    steps: tuple[PlanStep, ...]
    checkback: date | None = None

    @property
    def stopped(self) -> bool:
        return any(s.kind == StepKind.STOP for s in self.steps)

    def followups(self) -> tuple[PlanStep, ...]:
        return tuple(s for s in self.steps if s.scheduled)


def make_plan(rejection: RejectionFacts, *, contact: ContactFacts, account: AccountFacts,
              others: Sequence[ContactFacts], history: History, playbook: Playbook,
              today: date, offers: Sequence[Offer] = (),
              references: Sequence[ReferenceCustomer] = (), current_offer: str | None = None,
              others_history: History | None = None) -> Plan:
    """Plan the comeback after ``rejection`` from ``contact`` at ``account``.

    ``others`` are the account's other contacts, ``history`` the contact's past (touches of the
    whole account may be included: the account cap counts them), ``others_history`` the other
    contacts' touches and follow-ups when known.
    """
    if contact.do_not_contact or rejection.label == Label.DO_NOT_CONTACT:
        return Plan(rejection.id, rejection.label, (_stop(rejection, contact, today),))
    builder = _Builder(rejection, contact, account, others, history, playbook, today,
                       offers, references, current_offer, others_history or History())
    return builder.build()


def _stop(rejection: RejectionFacts, contact: ContactFacts, today: date) -> PlanStep:
    if contact.dnc is not None:
        mark = contact.dnc
        evidence = (f"opted out on {mark.since.date().isoformat()} (source: {mark.source.value}"
                    + (f"; {mark.reason})" if mark.reason else ")"))
    else:
        quoted = [_quote(e.text) for e in rejection.evidence
                  if e.label in (None, Label.DO_NOT_CONTACT.value)]
        evidence = ", ".join(quoted) or "labelled do_not_contact"
    return PlanStep(StepKind.STOP, today, f"Stop all contact with {contact.name}, for good.",
                    "A clear opt-out is final: no follow-up, touch or import, ever.",
                    STOP_RULE, evidence)


def _quote(text: str) -> str:
    return '"' + text.strip().strip('"\u201c\u201d') + '"'


class _Context(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


class _Builder:
    """Holds one planning run: the situation, the steps so far and the touches they plan."""

    def __init__(self, rejection: RejectionFacts, contact: ContactFacts, account: AccountFacts,
                 others: Sequence[ContactFacts], history: History, playbook: Playbook,
                 today: date, offers: Sequence[Offer], references: Sequence[ReferenceCustomer],
                 current_offer: str | None, others_history: History) -> None:
        self.r, self.contact, self.account = rejection, contact, account
        self.others = [o for o in others if o.id != contact.id and not o.do_not_contact
                       and o.hold is None]
        if all(x.id != rejection.id for x in history.rejections):  # the no being planned
            history = History(history.touches, history.signals,
                              history.rejections + (rejection,), history.followups)
        self.history, self.others_history = history, others_history
        self.playbook, self.settings, self.today = playbook, playbook.settings, today
        self.offers, self.references, self.current_offer = offers, references, current_offer
        self.country = account.country
        self.steps: list[PlanStep] = []
        self.planned: list[FollowUpFacts] = []
        self.checkback: date | None = None
        self.checkback_note = ""
        self.ctx = _Context(
            contact=contact.name, first_name=contact.name.split()[0] if contact.name else "",
            account=account.name, label=said(rejection.label),
            competitor=rejection.competitor or "the other vendor",
            capability=rejection.capability or "what was missing",
            referral=rejection.referral or "", minutes=str(self.settings.cooling_off_minutes),
        )

    # -- situation ---------------------------------------------------------------------------
    def situation(self) -> Situation:
        own = self.contact.id
        facts = {name for name, present in (
            ("checkback", self.r.checkback is not None), ("competitor", bool(self.r.competitor)),
            ("capability", bool(self.r.capability)), ("referral", bool(self.r.referral)),
            ("other_contacts", bool(self.others)),
            ("reason", self.r.label != Label.NOT_INTERESTED)) if present}
        previous = tuple(x.label for x in self.history.rejections
                         if x.contact_id == own and x.id != self.r.id and x.at <= self.r.at)
        return Situation(
            today=self.today, label=self.r.label, also=self.r.also, stage=self.r.stage,
            channel=self.r.channel, role=self.contact.role, employees=self.account.employees,
            signals=tuple(s for s in self.history.signals if s.contact_id in (own, None)),
            attempts=attempts(self.history, self.contact, self.account).count,
            previous_labels=previous, facts=frozenset(facts),
        )

    def build(self) -> Plan:
        matched = list(self.playbook.matching(self.situation()))
        pairs = [(rule, t) for rule in matched for t in rule.steps]
        if any(t.kind == StepKind.WALK_AWAY for _, t in pairs):
            # a plan that lets them rest keeps its word: the check-back, but no nurture
            pairs = [(rule, t) for rule, t in pairs if t.kind != StepKind.NURTURE]
        # Immediate steps first, then the check-back (the promise), then nurture around them.
        order = sorted(pairs, key=lambda p: (p[1].kind == StepKind.NURTURE,
                                             p[1].kind == StepKind.CHECKBACK, p[1].after_days))
        for rule, template in order:
            self.expand(rule, template)
        steps = sorted(self.steps, key=lambda s: (s.due, KIND_ORDER[s.kind]))
        return Plan(self.r.id, self.r.label, tuple(steps), self.checkback)

    # -- helpers -----------------------------------------------------------------------------
    def text(self, template: str, **extra: str) -> str:
        return template.format_map(_Context({**self.ctx, **extra}))

    def evidence(self, kind: StepKind) -> str:
        r = self.r
        if kind == StepKind.CHECKBACK:
            return (f'time hint "{r.checkback_phrase}"' if r.checkback_phrase
                    else self.checkback_note)
        if kind == StepKind.REFERRAL and r.referral:
            return f'they named "{r.referral}"'
        if kind == StepKind.PRODUCT_FEEDBACK and r.capability:
            return f'missing: "{r.capability}"'
        if kind == StepKind.PAUSE and r.checkback:
            phrase = f' ("{r.checkback_phrase}")' if r.checkback_phrase else ""
            return f"back on {r.checkback.isoformat()}{phrase}"
        quoted = [_quote(e.text) for e in r.evidence][:3]
        base = f"labelled {r.label.value}" + (f" ({r.confidence:.0%})" if r.confidence else "")
        return base + (": " + ", ".join(quoted) if quoted else "")

    def start(self, template: StepTemplate) -> date:
        return next_business_day(add_business_days(self.today, template.after_days,
                                                   self.country), self.country)

    def reply_channel(self, template: StepTemplate) -> Channel:
        if template.channel is not None:
            return template.channel
        return self.r.channel if self.r.channel in REPLY_CHANNELS else Channel.EMAIL

    def schedule(self, person: ContactFacts, after: date, channels: Sequence[Channel],
                 until: date | None = None,
                 kind: StepKind | None = None) -> tuple[date, Channel] | None:
        """The first allowed (day, channel) for ``person`` from ``after``, counting the plan."""
        h, o = self.history, self.others_history
        past = History(h.touches + o.touches, h.signals + o.signals, h.rejections + o.rejections,
                       h.followups + o.followups + tuple(self.planned))
        ledger = Ledger(person, self.account, past, self.settings,
                        reply=kind is not None and kind.value in REPLY_KINDS)
        best: tuple[date, Channel] | None = None
        for channel in dict.fromkeys(channels):
            limit = until if best is None else best[0] - timedelta(days=1)
            if limit is not None and limit < after:
                break
            try:
                day = earliest_allowed(person, self.account, after, channel, past,
                                       self.settings, ledger=ledger, until=limit)
            except CapExceeded:
                continue
            best = (day, channel)  # the search stopped before any earlier day
        if best is not None:
            self.planned.append(FollowUpFacts(
                id=-len(self.planned) - 1, contact_id=person.id, due=best[0],
                channel=best[1], purpose="planned", status=FollowUpStatus.DUE,
                account_id=self.account.id, kind=kind.value if kind else None))
        return best

    def add(self, rule: Rule, template: StepTemplate, due: date, *, person: ContactFacts | None,
            channel: Channel | None, note: str = "", **extra: str) -> None:
        why = self.text(template.why, **extra) + (f" ({note})" if note else "")
        self.steps.append(PlanStep(
            template.kind, due, self.text(template.purpose, **extra), why, rule.id,
            self.evidence(template.kind), channel, person.id if person else None))

    def reach(self, rule: Rule, template: StepTemplate, person: ContactFacts, after: date,
              channels: Sequence[Channel], note: str = "", **extra: str) -> date | None:
        if any(s.kind == template.kind and s.contact_id == person.id for s in self.steps):
            return None  # one entry point per person, one check-back per contact…
        found = self.schedule(person, after, channels, kind=template.kind)
        if found is None:
            return None
        day, channel = found
        if day != after and not note:
            note = f"moved from {after.isoformat()} by the caps and the calendar"
        self.add(rule, template, day, person=person, channel=channel, note=note, **extra)
        return day

    # -- one template -> steps ---------------------------------------------------------------
    def expand(self, rule: Rule, t: StepTemplate) -> None:
        kind = t.kind
        if kind == StepKind.CHECKBACK:
            self.plan_checkback(rule, t)
        elif kind == StepKind.NURTURE:
            self.plan_nurture(rule, t)
        elif kind in (StepKind.THANK, StepKind.FOLLOW_UP):
            self.reach(rule, t, self.contact, self.start(t),
                       [self.reply_channel(t), *REPLY_CHANNELS])
        elif kind == StepKind.PAUSE and self.r.checkback is not None:
            back = next_business_day(self.r.checkback + timedelta(days=1), self.country)
            self.ctx["checkback"] = self.r.checkback.isoformat()
            self.reach(rule, t, self.contact, max(back, self.start(t)),
                       [self.reply_channel(t), *REPLY_CHANNELS])
        elif kind == StepKind.ENTRY_POINT:
            self.plan_entry_points(rule, t)
        elif kind == StepKind.REFERRAL:
            self.plan_referral(rule, t)
        elif kind == StepKind.GATEKEEPER:
            self.plan_gatekeeper(rule, t)
        elif kind == StepKind.OPPORTUNITY:
            for offer in fitting_offers(self.account, self.offers,
                                        [self.current_offer] if self.current_offer else [])[:2]:
                self.add(rule, t, self.start(t), person=None, channel=None, offer=offer.name)
        elif kind == StepKind.REFERENCE:
            for scored in closest_references(self.account, self.references, n=2):
                self.add(rule, t, self.start(t), person=None, channel=None,
                         reference=scored.reference.mention(), note=", ".join(scored.reasons))
        elif kind != StepKind.STOP:
            self.add(rule, t, self.start(t), person=None, channel=t.channel)

    def default_checkback(self) -> date:
        label = self.r.label
        spec = self.settings.checkback.get(label)
        if spec is None:
            self.checkback_note = f"no time hint; {label.value} has no default: 3 months"
            return after_months(self.today, 3, self.country)
        if spec.days is not None:
            self.checkback_note = f"no time hint; playbook default for {label.value}: " \
                                  f"{spec.days} days"
            return next_business_day(self.today + timedelta(days=spec.days), self.country)
        if spec.months is not None:
            self.checkback_note = f"no time hint; playbook default for {label.value}: " \
                                  f"{spec.months} months"
            return after_months(self.today, spec.months, self.country)
        if spec.at == "next_budget_year":
            start = next_budget_year(self.today, self.account.fiscal_year_start, self.country)
            known = "the account's" if self.account.fiscal_year_start else "January (assumed)"
            self.checkback_note = f"no time hint; next budget year starts {start.isoformat()} " \
                                  f"({known} fiscal year start)"
            return start
        what = "the renewal" if spec.at == "before_renewal" else "the capability ships"
        self.checkback_note = (f"no date for when {what}; review after {spec.fallback_months} "
                               "months")
        return after_months(self.today, spec.fallback_months, self.country)

    def plan_checkback(self, rule: Rule, t: StepTemplate) -> None:
        if not is_rejection(self.r.label) or self.checkback is not None:
            return
        wanted = self.r.checkback if self.r.checkback else self.default_checkback()
        wanted = next_business_day(max(wanted, self.today + timedelta(days=1)), self.country)
        self.ctx["checkback"] = wanted.isoformat()
        channel = self.reply_channel(t)
        day = self.reach(rule, t, self.contact, wanted, [channel, *REPLY_CHANNELS])
        self.checkback = day

    def plan_nurture(self, rule: Rule, t: StepTemplate) -> None:
        nurture = self.settings.nurture
        count = min(t.count, nurture.track_length)
        end = self.checkback or (self.today + timedelta(days=nurture.per_days * (count + 1)))
        speed = pace(self.situation().signals, self.today, nurture)
        span = (end - self.today).days
        gap = max(speed.stretch(span // (count + 1)), 1)
        first = self.start(t) if t.after_days else self.today + timedelta(days=gap)
        after = first
        channels = [t.channel] if t.channel else [Channel.EMAIL, Channel.LINKEDIN, Channel.NOTE]
        for _ in range(count):
            if after >= end:
                break
            found = self.schedule(self.contact, after, channels, until=end - timedelta(days=1),
                                  kind=t.kind)
            if found is None:
                break
            day, channel = found
            note = "" if speed.factor == 1 else speed.why
            self.steps.append(PlanStep(t.kind, day, self.text(t.purpose),
                                       self.text(t.why) + (f" ({note})" if note else ""),
                                       rule.id, self.evidence(t.kind), channel, self.contact.id))
            after = day + timedelta(days=gap)

    def plan_entry_points(self, rule: Rule, t: StepTemplate) -> None:
        after = self.start(t)
        if t.target == "top":
            size = self.account.employees
            if size is None or size > self.settings.small_company_employees:
                return
            if self.contact.role == Role.EXECUTIVE:
                return
            people = [o for o in self.others if o.role == Role.EXECUTIVE] or \
                     [o for o in self.others if o.role == Role.DECISION_MAKER]
            label = f"the owner of this {size}-person company"
        elif t.target == "decision_makers":
            people = [o for o in self.others if o.role in DECIDERS]
            label = "the decision maker"
        else:
            seen = {self.contact.department}
            people = []
            for o in self.others:
                if o.department not in seen or o.department is None:
                    people.append(o)
                    seen.add(o.department)
            label = "another team"
        if not people:
            self.add(rule, t, after, person=None, channel=None, target=f"{label} (find who)")
            return
        for person in people[:3]:
            who = person.name + (f", {person.department}" if person.department else "")
            self.reach(rule, t, person, after, [t.channel or Channel.EMAIL, *REPLY_CHANNELS],
                       target=who)

    def plan_referral(self, rule: Rule, t: StepTemplate) -> None:
        name = (self.r.referral or "").strip()
        match = [o for o in self.others if name and name.lower() in o.name.lower()]
        channels = [t.channel or Channel.EMAIL, *REPLY_CHANNELS]
        if len(match) == 1:
            self.reach(rule, t, match[0], self.start(t), channels)
        else:
            self.add(rule, t, self.start(t), person=None, channel=t.channel,
                     note="add them as a contact to schedule it")

    def plan_gatekeeper(self, rule: Rule, t: StepTemplate) -> None:
        state = gatekeeper_state(self.history, self.contact, self.settings)
        limit = str(state.limit)
        if state.reroute:
            reroute = StepTemplate(
                kind=StepKind.REROUTE, purpose="Find another way into {account}: another "
                "contact, a drop-in, or a referral.",
                why="{first_name} has had {attempts} friendly conversations (limit {limit}).")
            self.add(rule, reroute, self.start(t), person=None, channel=None,
                     attempts=str(state.conversations), limit=limit)
            return
        self.reach(rule, t, self.contact, self.start(t),
                   [t.channel or Channel.CALL, Channel.EMAIL, Channel.DROP_IN, Channel.NOTE],
                   attempts=str(state.conversations + 1), limit=limit)
