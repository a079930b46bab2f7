"""The playbook: the comeback practice as declarative, validated rules.

A playbook is YAML (the defaults ship as ``playbook_default.yaml`` next to this module; a team
file merges over them). It holds two things:

* ``settings`` — the numbers of the practice: the silence rule, gatekeeper patience, default
  check-backs per label, nurture caps, frequency caps, quiet periods, cooling-off, the
  prospecting cadence…
* ``rules`` — each rule has an ``id``, a ``when`` (labels, stage, channel, contact role, account
  size, signals, history, facts present) and the ``steps`` it yields. The plan engine
  (:mod:`notnow.core.plan`) turns steps into dated, explained plan steps.

Parsing works on text: reading files is the caller's business. Every validation error is a
:class:`~notnow.errors.PlaybookInvalid` naming the file, the line and what is wrong.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from notnow.core.labels import is_rejection
from notnow.core.model import Channel, Label, Role, SignalFacts, SignalKind, Stage


class StepKind(StrEnum):
    """What a plan step asks the salesperson to do."""

    COOLING_OFF = "cooling_off"  # wait before answering
    THANK = "thank"  # thank them and keep the door open
    ASK_WHY = "ask_why"  # ask what makes them say so
    JOURNAL = "journal"  # write it down, feelings included
    AUTOPSY = "autopsy"  # honest review of the loss
    CHECKBACK = "checkback"  # come back when the time is right
    NURTURE = "nurture"  # gentle, useful touch before the check-back
    ENTRY_POINT = "entry_point"  # another contact, department, or the top
    GATEKEEPER = "gatekeeper"  # a friendly conversation with the gatekeeper
    REFERRAL = "referral"  # the person they named
    OPPORTUNITY = "opportunity"  # another offer that fits the account today
    REFERENCE = "reference"  # a reference customer to mention
    REROUTE = "reroute"  # find another way into the account
    PAUSE = "pause"  # out of office: wait for the return date
    FOLLOW_UP = "follow_up"  # not a rejection: answer promptly
    PRODUCT_FEEDBACK = "product_feedback"  # tell the product team what was missing
    WALK_AWAY = "walk_away"  # honestly not the best fit
    STOP = "stop"  # opt-out: no contact, ever


OUTBOUND_KINDS: frozenset[StepKind] = frozenset(
    {
        StepKind.THANK,
        StepKind.CHECKBACK,
        StepKind.NURTURE,
        StepKind.ENTRY_POINT,
        StepKind.GATEKEEPER,
        StepKind.REFERRAL,
        StepKind.FOLLOW_UP,
    }
)
"""Steps that reach a person: they become follow-ups and count against the caps."""

Fact = Literal["checkback", "competitor", "capability", "referral", "other_contacts", "reason"]
Target = Literal["others", "decision_makers", "top", "referral"]

PLACEHOLDERS: frozenset[str] = frozenset(
    {"contact", "first_name", "account", "label", "competitor", "capability", "referral",
     "checkback", "offer", "reference", "target", "attempts", "limit", "minutes"}
)
"""Names a step's ``purpose`` or ``why`` may use as ``{name}``."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------------------------------------
# Settings
# ------------------------------------------------------------------------------------------


class Window(_Model):
    """At most ``touches`` touches in any ``days`` consecutive days."""

    touches: int = Field(ge=1)
    days: int = Field(ge=1)


class Silence(_Model):
    """No reply is not a rejection before this many attempts across this many channels."""

    attempts: int = Field(default=9, ge=1)
    channels: int = Field(default=3, ge=1)


class CheckbackDefault(_Model):
    """When to come back after a label, if the prospect gave no time hint.

    Exactly one of ``days``, ``months`` or ``at`` (``next_budget_year``: the start of the
    account's fiscal year; ``before_renewal``: ``weeks_before`` a known renewal;
    ``capability_ships``: when the missing capability ships). Without a known date the last two
    fall back to ``fallback_months``.
    """

    days: int | None = Field(default=None, ge=1)
    months: int | None = Field(default=None, ge=1)
    at: Literal["next_budget_year", "before_renewal", "capability_ships"] | None = None
    weeks_before: int = Field(default=8, ge=0)
    fallback_months: int = Field(default=6, ge=1)

    @model_validator(mode="after")
    def _exactly_one(self) -> CheckbackDefault:
        given = [n for n in ("days", "months", "at") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of days, months or at")
        return self


class Nurture(_Model):
    """Gentle nurture after a soft no."""

    touches: int = Field(default=1, ge=1)
    per_days: int = Field(default=30, ge=1)
    track_length: int = Field(default=2, ge=0)
    no_unanswered_repeat: bool = True
    signal_window_days: int = Field(default=90, ge=1)
    backoff_per_passive: float = Field(default=0.5, ge=0)
    backoff_max: float = Field(default=4.0, ge=1)
    speedup_per_active: float = Field(default=0.25, ge=0, le=1)
    speedup_floor: float = Field(default=0.5, gt=0, le=1)


_MONTH_DAY = re.compile(r"^(\d{4}-)?\d{2}-\d{2}$")


class QuietPeriod(_Model):
    """No touch in this period: ``MM-DD`` bounds recur every year, ``YYYY-MM-DD`` bounds don't."""

    name: str = Field(min_length=1)
    start: str
    end: str

    @field_validator("start", "end")
    @classmethod
    def _date_form(cls, value: str) -> str:
        if not _MONTH_DAY.match(value):
            raise ValueError("use MM-DD (every year) or YYYY-MM-DD")
        probe = value if len(value) == 10 else f"2024-{value}"
        try:
            date.fromisoformat(probe)
        except ValueError:
            raise ValueError(f"not a calendar date: {value}") from None
        return value

    @model_validator(mode="after")
    def _same_form(self) -> QuietPeriod:
        if len(self.start) != len(self.end):
            raise ValueError("start and end must both be MM-DD or both YYYY-MM-DD")
        return self

    def covers(self, day: date) -> bool:
        if len(self.start) == 10:
            return date.fromisoformat(self.start) <= day <= date.fromisoformat(self.end)
        key = day.strftime("%m-%d")
        if self.start <= self.end:
            return self.start <= key <= self.end
        return key >= self.start or key <= self.end  # wraps over the new year

    def last_day(self, day: date) -> date:
        """The last day of the period that covers ``day``."""
        if len(self.end) == 10:
            return date.fromisoformat(self.end)
        month, dom = int(self.end[:2]), int(self.end[3:])
        year = day.year if day.strftime("%m-%d") <= self.end else day.year + 1
        return date(year, month, min(dom, 28) if (month, dom) == (2, 29) else dom)


class CadenceStep(_Model):
    """One attempt of the prospecting cadence: a channel, ``gap_days`` business days later."""

    channel: Channel
    gap_days: int = Field(ge=0)


def _default_checkbacks() -> dict[Label, CheckbackDefault]:
    return {
        Label.NOT_INTERESTED: CheckbackDefault(days=90),
        Label.NOT_NOW: CheckbackDefault(months=3),
        Label.NO_BUDGET: CheckbackDefault(at="next_budget_year"),
        Label.PRICE: CheckbackDefault(months=6),
        Label.COMPETITOR_CHOSEN: CheckbackDefault(months=6),
        Label.HAS_SOLUTION: CheckbackDefault(at="before_renewal", fallback_months=9),
        Label.NO_NEED: CheckbackDefault(months=6),
        Label.MISSING_CAPABILITY: CheckbackDefault(at="capability_ships", fallback_months=6),
        Label.WRONG_PERSON: CheckbackDefault(months=6),
        Label.GATEKEEPER: CheckbackDefault(days=14),
        Label.NO_AUTHORITY: CheckbackDefault(months=3),
        Label.BAD_EXPERIENCE: CheckbackDefault(months=9),
    }


def _default_cadence() -> tuple[CadenceStep, ...]:
    plan = [("call", 0), ("voicemail", 1), ("email", 2), ("linkedin", 3), ("call", 4),
            ("email", 5), ("note", 7), ("parcel", 10), ("drop_in", 10), ("referral", 15)]
    return tuple(CadenceStep(channel=Channel(c), gap_days=g) for c, g in plan)


class Settings(_Model):
    """The numbers of the practice. The defaults here are PRODUCT.md's playbook defaults."""

    silence: Silence = Silence()
    gatekeeper_conversations: int = Field(default=6, ge=1)
    cooling_off_minutes: int = Field(default=10, ge=0)
    small_company_employees: int = Field(default=50, ge=1)
    checkback: dict[Label, CheckbackDefault] = Field(default_factory=_default_checkbacks)
    nurture: Nurture = Nurture()
    contact_caps: tuple[Window, ...] = (Window(touches=3, days=7),)
    account_caps: tuple[Window, ...] = (Window(touches=8, days=7),)
    quiet_periods: tuple[QuietPeriod, ...] = ()
    cadence: tuple[CadenceStep, ...] = Field(default_factory=_default_cadence, min_length=1)
    touch_hour: int = Field(default=10, ge=0, le=23)

    @field_validator("checkback")
    @classmethod
    def _no_checkback_for_non_rejections(
        cls, value: dict[Label, CheckbackDefault]
    ) -> dict[Label, CheckbackDefault]:
        for label in (Label.DO_NOT_CONTACT, Label.INTERESTED, Label.AUTO_REPLY):
            if label in value:
                raise ValueError(f"{label.value} never gets a check-back")
        return value

    def quiet_period_on(self, day: date) -> QuietPeriod | None:
        return next((p for p in self.quiet_periods if p.covers(day)), None)


# ------------------------------------------------------------------------------------------
# Rules
# ------------------------------------------------------------------------------------------


class Range(_Model):
    min: int | None = None
    max: int | None = None

    def holds(self, value: int | None) -> bool:
        if value is None:
            return self.min is None and self.max is None
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


class SignalCondition(_Model):
    """Signals seen within the last ``within_days`` days."""

    within_days: int = Field(default=90, ge=1)
    active_min: int | None = Field(default=None, ge=0)
    passive_min: int | None = Field(default=None, ge=0)
    kinds: tuple[SignalKind, ...] = ()


class HistoryCondition(_Model):
    """The contact's past: outbound attempts, earlier rejections and their labels."""

    attempts: Range | None = None
    rejections: Range | None = None
    previous_labels: tuple[Label, ...] = ()


class When(_Model):
    """All given conditions must hold; an empty list means "any"."""

    rejection: bool | None = None  # true: any rejection label; false: interested/auto_reply
    labels: tuple[Label, ...] = ()  # the primary label is one of these
    any_labels: tuple[Label, ...] = ()  # the primary or a secondary label is one of these
    stages: tuple[Stage, ...] = ()
    channels: tuple[Channel, ...] = ()
    roles: tuple[Role, ...] = ()
    employees: Range | None = None
    signals: SignalCondition | None = None
    history: HistoryCondition | None = None
    has: tuple[Fact, ...] = ()
    lacks: tuple[Fact, ...] = ()


def _check_placeholders(text: str) -> str:
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None and name not in PLACEHOLDERS:
            known = ", ".join(sorted(PLACEHOLDERS))
            raise ValueError(f"unknown placeholder {{{name}}}; known: {known}")
    return text


class StepTemplate(_Model):
    """A step a rule yields; the plan engine dates it and fills in the placeholders."""

    kind: StepKind
    purpose: str = Field(min_length=1)
    why: str = Field(min_length=1)
    channel: Channel | None = None
    after_days: int = Field(default=0, ge=0)  # business days after today (immediate steps: 0)
    target: Target | None = None  # entry points: whom to approach
    count: int = Field(default=1, ge=1, le=12)  # nurture: how many touches at most

    _placeholders = field_validator("purpose", "why")(_check_placeholders)

    @model_validator(mode="after")
    def _target_only_for_entry_points(self) -> StepTemplate:
        if self.target is not None and self.kind != StepKind.ENTRY_POINT:
            raise ValueError("'target' is only for entry_point steps")
        if self.kind == StepKind.ENTRY_POINT and self.target is None:
            raise ValueError("an entry_point step needs a 'target'")
        return self


class Rule(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)
    description: str = ""
    enabled: bool = True
    when: When = When()
    steps: tuple[StepTemplate, ...] = Field(min_length=1)

    def matches(self, situation: Situation) -> bool:
        return self.enabled and situation.satisfies(self.when)


# ------------------------------------------------------------------------------------------
# The situation a rule is matched against
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Situation:
    """What is known when a rejection is planned: the plan engine builds it."""

    today: date
    label: Label
    also: tuple[Label, ...] = ()
    stage: Stage | None = None
    channel: Channel | None = None
    role: Role | None = None
    employees: int | None = None
    signals: tuple[SignalFacts, ...] = ()
    attempts: int = 0
    previous_labels: tuple[Label, ...] = ()
    facts: frozenset[str] = field(default_factory=frozenset)

    def satisfies(self, when: When) -> bool:
        checks = (
            when.rejection is None or when.rejection == is_rejection(self.label),
            not when.labels or self.label in when.labels,
            not when.any_labels or bool({self.label, *self.also} & set(when.any_labels)),
            not when.stages or self.stage in when.stages,
            not when.channels or self.channel in when.channels,
            not when.roles or self.role in when.roles,
            when.employees is None or when.employees.holds(self.employees),
            all(f in self.facts for f in when.has),
            not any(f in self.facts for f in when.lacks),
            when.signals is None or self._signals_hold(when.signals),
            when.history is None or self._history_holds(when.history),
        )
        return all(checks)

    def _signals_hold(self, cond: SignalCondition) -> bool:
        since = datetime.combine(self.today - timedelta(days=cond.within_days), datetime.min.time())
        recent = [s for s in self.signals if s.at.replace(tzinfo=None) >= since]
        active = sum(1 for s in recent if s.active)
        passive = len(recent) - active
        return (
            (cond.active_min is None or active >= cond.active_min)
            and (cond.passive_min is None or passive >= cond.passive_min)
            and (not cond.kinds or any(s.kind in cond.kinds for s in recent))
        )

    def _history_holds(self, cond: HistoryCondition) -> bool:
        return (
            (cond.attempts is None or cond.attempts.holds(self.attempts))
            and (cond.rejections is None or cond.rejections.holds(len(self.previous_labels)))
            and (not cond.previous_labels
                 or any(lb in cond.previous_labels for lb in self.previous_labels))
        )


# ------------------------------------------------------------------------------------------
# The playbook
# ------------------------------------------------------------------------------------------


class PlaybookDocument(_Model):
    """The shape of a playbook file."""

    version: Literal[1] = 1
    settings: Settings = Settings()
    rules: tuple[Rule, ...] = ()

    @field_validator("rules")
    @classmethod
    def _unique_ids(cls, rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
        seen: set[str] = set()
        for rule in rules:
            if rule.id in seen:
                raise ValueError(f"rule id {rule.id!r} is used twice")
            seen.add(rule.id)
        return rules


@dataclass(frozen=True, slots=True)
class Playbook:
    """A validated playbook: settings and ordered rules, and the files it was read from."""

    settings: Settings
    rules: tuple[Rule, ...]
    files: tuple[str, ...] = ()

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def matching(self, situation: Situation) -> Iterable[Rule]:
        """Enabled rules whose ``when`` holds, in file order."""
        return (r for r in self.rules if r.matches(situation))

    def to_yaml(self) -> str:
        """The effective playbook (defaults with team overrides applied) as YAML."""
        import yaml

        doc = PlaybookDocument(settings=self.settings, rules=self.rules)
        data = doc.model_dump(mode="json", exclude_none=True)
        data["settings"]["checkback"] = {
            label.value: spec.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
            for label, spec in self.settings.checkback.items()
        }
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def parse_playbook(text: str, *, file: str = "<playbook>") -> Playbook:
    """Validate one complete playbook given as YAML text."""
    from notnow.core.playbook_loader import validate_sources

    return validate_sources([(text, file)])


def team_playbook(override: str | None, *, file: str = "<team playbook>",
                  base: str | None = None, base_file: str = "playbook_default.yaml") -> Playbook:
    """The default playbook (or ``base``) with a team file merged over it.

    In the team file, ``settings`` merge key by key; a rule with a known ``id`` replaces that
    rule (``{id: …, enabled: false}`` alone just disables it) and a new ``id`` is added.
    """
    from notnow.core.playbook_loader import validate_sources

    sources = [(base if base is not None else default_playbook_text(), base_file)]
    if override is not None and override.strip():
        sources.append((override, file))
    return validate_sources(sources)


def default_playbook_text() -> str:
    """The YAML of the playbook shipped with notnow (package data, not a user file)."""
    from importlib import resources

    return resources.files("notnow.core").joinpath("playbook_default.yaml").read_text("utf-8")


@lru_cache(maxsize=1)
def default_playbook() -> Playbook:
    """The shipped playbook, validated. Its data is read from ``playbook_default.json``,
    written from ``playbook_default.yaml`` by scripts/gen_shipped.py (tests/core pins the two
    to each other): a command that uses the defaults then imports and runs no YAML parser
    (11 ms of `notnow log`). A team's file is merged over the YAML itself
    (:func:`team_playbook`), so that its errors can name their lines."""
    import json
    from importlib import resources

    data = json.loads(resources.files("notnow.core").joinpath("playbook_default.json")
                      .read_text("utf-8"))
    doc = PlaybookDocument.model_validate(data)
    return Playbook(settings=doc.settings, rules=doc.rules, files=("playbook_default.yaml",))
