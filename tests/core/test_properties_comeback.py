"""Property tests over random histories: opt-outs, caps and calendars always hold.

For any history (touches either way, signals, earlier rejections, planned follow-ups), any
playbook caps and quiet periods, any label and time hint:

* nothing is ever scheduled for a do-not-contact contact, and an opt-out plans only "stop";
* no scheduled touch breaks a cap — checked by a brute-force count written here, independent of
  :mod:`notnow.core.caps` — nor is a second unanswered touch in a row on one channel;
* every scheduled touch falls on a business day of the contact's country, outside quiet periods.

The default run uses a few hundred examples; ``bench/bench_properties.py`` runs the same checks
over 10,000 histories and prints the counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notnow.core.businessdays import is_business_day
from notnow.core.cadence import next_attempt
from notnow.core.caps import NOT_SOFT
from notnow.core.labels import is_rejection
from notnow.core.model import (
    REPLY_KINDS,
    AccountFacts,
    Channel,
    ContactFacts,
    Direction,
    DncMark,
    DncSource,
    FollowUpFacts,
    FollowUpStatus,
    History,
    Label,
    RejectionFacts,
    Role,
    SignalFacts,
    SignalKind,
    TouchFacts,
)
from notnow.core.plan import Plan, PlanStep, make_plan
from notnow.core.playbook import Playbook, QuietPeriod, Settings, Window, default_playbook
from notnow.errors import CapExceeded, DoNotContact

COUNTS: Counter[str] = Counter()
"""What the checks saw (the bench prints it)."""

COUNTRIES = [("DE", "Europe/Berlin"), ("US", "America/New_York"), ("GB", "Europe/London"),
             ("FR", "Europe/Paris"), ("JP", "Asia/Tokyo"), ("BR", "America/Sao_Paulo")]
BASE = date(2026, 1, 1)
PROFILE_EXAMPLES = 150


@dataclass(frozen=True)
class Scenario:
    today: date
    account: AccountFacts
    contact: ContactFacts
    others: list[ContactFacts]
    history: History
    rejection: RejectionFacts
    settings: Settings


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


CHANNELS = list(Channel)
_touch = st.tuples(st.integers(0, 4), st.sampled_from(CHANNELS), st.integers(0, 3),
                   st.integers(0, 240), st.integers(0, 23))
_signal = st.tuples(st.sampled_from(list(SignalKind)), st.integers(0, 4), st.integers(0, 240))
_previous = st.tuples(st.integers(0, 4), st.integers(1, 400), st.sampled_from(list(Label)))
_planned = st.tuples(st.integers(0, 4), st.integers(-10, 120), st.sampled_from(CHANNELS),
                     st.sampled_from(list(FollowUpStatus)))
_person = st.tuples(st.sampled_from(list(Role)),
                    st.sampled_from([None, "IT", "Ops", "Finance"]), st.integers(0, 9))
_window = st.builds(Window, touches=st.integers(1, 4), days=st.integers(1, 30))
_QUIET = [QuietPeriod(name="year end", start="12-20", end="01-03"),
          QuietPeriod(name="summer", start="08-01", end="08-15")]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    country, zone = draw(st.sampled_from(COUNTRIES))
    today = BASE + timedelta(days=draw(st.integers(0, 700)))
    account = AccountFacts(1, "Acme", employees=draw(st.sampled_from([8, 40, 300, None])),
                           country=country, timezone=zone,
                           fiscal_year_start=draw(st.sampled_from([None, 1, 4, 7])))
    mark = DncMark(_at(today - timedelta(days=30), 9), "asked", DncSource.PROSPECT)
    people = [
        ContactFacts(i + 1, 1, f"Person {i + 1}", role=role, department=dept,
                     dnc=mark if dice == 0 else None)
        for i, (role, dept, dice) in enumerate(draw(st.lists(_person, min_size=1, max_size=5)))
    ]
    n = len(people)
    touches = tuple(
        TouchFacts(c % n + 1, 1, ch, Direction.INBOUND if d == 0 else Direction.OUTBOUND,
                   _at(today - timedelta(days=ago), hour))
        for c, ch, d, ago, hour in draw(st.lists(_touch, max_size=25)))
    signals = tuple(SignalFacts(kind, _at(today - timedelta(days=ago), 12),
                                contact_id=c % n + 1, account_id=1)
                    for kind, c, ago in draw(st.lists(_signal, max_size=8)))
    previous = tuple(RejectionFacts(100 + i, c % n + 1, 1, _at(today - timedelta(days=ago), 10),
                                    label)
                     for i, (c, ago, label) in enumerate(draw(st.lists(_previous, max_size=3))))
    followups = tuple(FollowUpFacts(500 + i, c % n + 1, today + timedelta(days=ahead), ch,
                                    "planned", status, account_id=1)
                      for i, (c, ahead, ch, status) in enumerate(
                          draw(st.lists(_planned, max_size=4))))
    hint = draw(st.one_of(st.none(), st.integers(-5, 500)))
    rejection = RejectionFacts(
        1, 1, 1, _at(today, 9), draw(st.sampled_from(list(Label))),
        checkback=today + timedelta(days=hint) if hint is not None else None,
        referral=draw(st.sampled_from([None, "Person 2", "Someone Else"])),
        competitor="Rival", capability="SSO",
    )
    quiet = list(draw(st.lists(st.sampled_from(_QUIET), max_size=2, unique=True)))
    if draw(st.booleans()):
        quiet.append(QuietPeriod(name="offsite", start=(today + timedelta(days=20)).isoformat(),
                                 end=(today + timedelta(days=34)).isoformat()))
    config = Settings(
        contact_caps=tuple(draw(st.lists(_window, max_size=2))),
        account_caps=tuple(draw(st.lists(_window, max_size=1))),
        quiet_periods=tuple(quiet),
        nurture=Settings().nurture.model_copy(update={
            "per_days": draw(st.integers(7, 45)), "touches": draw(st.integers(1, 2))}),
    )
    return Scenario(today, account, people[0], people[1:],
                    History(touches, signals, previous, followups), rejection, config)


# --- the independent oracle -------------------------------------------------------------------


def _local(moment: datetime, zone: str | None) -> date:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(zone or "UTC")).date()


def _window_ok(days: Sequence[date], new: date, window: Window) -> bool:
    """Brute force: every ``window.days``-long window holding ``new`` has at most the limit."""
    for offset in range(window.days):
        start = new - timedelta(days=offset)
        end = start + timedelta(days=window.days - 1)
        if sum(1 for d in days if start <= d <= end) > window.touches:
            return False
    return True


def check_plan(plan: Plan, s: Scenario) -> None:
    contact, others, account, history = s.contact, s.others, s.account, s.history
    config, rejection, today = s.settings, s.rejection, s.today
    people = {p.id: p for p in [contact, *others]}
    COUNTS["plans"] += 1
    if contact.do_not_contact or rejection.label == Label.DO_NOT_CONTACT:
        assert [st.kind.value for st in plan.steps] == ["stop"], plan.steps
        COUNTS["opt-outs: stop only"] += 1
        return
    scheduled = plan.followups()
    planned = [(st.contact_id, st.due, st.channel) for st in scheduled]
    replies = [(st.contact_id, st.due) for st in scheduled if st.kind.value in REPLY_KINDS]
    open_fu = [f for f in history.followups
               if f.status in (FollowUpStatus.DUE, FollowUpStatus.SNOOZED)]
    for step in scheduled:
        COUNTS["scheduled touches"] += 1
        person = people[step.contact_id or 0]
        assert not person.do_not_contact, f"touch scheduled for an opted-out contact: {step}"
        assert step.due >= today
        assert is_business_day(step.due, account.country), f"not a business day: {step}"
        assert config.quiet_period_on(step.due) is None, f"in a quiet period: {step}"
        _check_caps(step, person, account, history, open_fu, planned, config, rejection,
                    replies)


def _check_caps(step: PlanStep, person: ContactFacts, account: AccountFacts, history: History,
                open_fu: list[FollowUpFacts], planned: list[tuple[int | None, date,
                                                                   Channel | None]],
                config: Settings, rejection: RejectionFacts,
                replies: list[tuple[int | None, date]]) -> None:
    zone = account.timezone
    mine = ([_local(t.at, zone) for t in history.touches
             if t.contact_id == person.id and t.direction == Direction.OUTBOUND]
            + [f.due for f in open_fu if f.contact_id == person.id]
            + [d for c, d, _ in planned if c == person.id])
    # the nurture cap does not count answers to their own message (the thank-you)
    answers_to_them = [_local(t.at, zone) for t in history.touches
                       if t.contact_id == person.id and t.direction == Direction.OUTBOUND
                       and t.reply] + [f.due for f in open_fu
                                       if f.contact_id == person.id and f.reply] + [
        d for c, d in replies if c == person.id]
    nurtured = list(mine)
    for day in answers_to_them:
        nurtured.remove(day)
    for window in config.contact_caps:
        assert _window_ok(mine, step.due, window), f"contact cap {window} broken by {step}"
    own_rejections = [r for r in (*history.rejections, rejection) if r.contact_id == person.id]
    if own_rejections:
        last = max(own_rejections, key=lambda r: (r.at, r.id))
        if is_rejection(last.label) and last.label not in NOT_SOFT \
                and step.kind.value not in REPLY_KINDS:
            nurture = Window(touches=config.nurture.touches, days=config.nurture.per_days)
            assert _window_ok(nurtured, step.due, nurture), f"nurture cap broken by {step}"
    everyone = ([_local(t.at, zone) for t in history.touches
                 if t.direction == Direction.OUTBOUND]
                + [f.due for f in open_fu] + [d for _, d, _ in planned])
    for window in config.account_caps:
        assert _window_ok(everyone, step.due, window), f"account cap {window} broken by {step}"
    COUNTS["cap checks passed"] += 1
    # Never two unanswered touches in a row on one channel.
    done = [(_local(t.at, zone), t.channel) for t in history.touches
            if t.contact_id == person.id and t.direction == Direction.OUTBOUND]
    sequence = sorted(
        done
        + [(f.due, f.channel) for f in open_fu if f.contact_id == person.id]
        + [(d, c) for p, d, c in planned if p == person.id and c is not None]
    )
    assert step.channel is not None
    index = sequence.index((step.due, step.channel))
    if index > 0:
        before_day, before_channel = sequence[index - 1]
        answers = ([_local(t.at, zone) for t in history.touches
                    if t.contact_id == person.id and t.direction == Direction.INBOUND]
                   + [_local(s.at, zone) for s in history.signals
                      if s.active and s.contact_id == person.id]
                   + [_local(r.at, zone) for r in (*history.rejections, rejection)
                      if r.contact_id == person.id])
        # An answer on the day of a touch made answers it; a planned touch only later ones.
        made = (before_day, before_channel) in done
        answered = any((before_day <= a if made else before_day < a) and a <= step.due
                       for a in answers)
        assert before_channel != step.channel or answered, f"same channel twice: {step}"


def check_next_attempt(s: Scenario) -> None:
    contact, account, history, config, today = (s.contact, s.account, s.history, s.settings,
                                                s.today)
    try:
        nxt = next_attempt(contact, account, history, config, today)
    except DoNotContact:
        assert contact.do_not_contact
        COUNTS["attempts refused: opted out"] += 1
        return
    except CapExceeded:
        COUNTS["attempts refused: no allowed day"] += 1
        return
    assert not contact.do_not_contact
    if nxt is None:
        return
    COUNTS["next attempts"] += 1
    assert nxt.day >= today and is_business_day(nxt.day, account.country)
    assert config.quiet_period_on(nxt.day) is None


def run_scenario(s: Scenario) -> None:
    playbook = Playbook(settings=s.settings, rules=default_playbook().rules)
    plan = make_plan(s.rejection, contact=s.contact, account=s.account, others=s.others,
                     history=s.history, playbook=playbook, today=s.today)
    check_plan(plan, s)
    check_next_attempt(s)


@settings(max_examples=PROFILE_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios())
def test_random_histories_keep_opt_outs_caps_and_calendars(s: Scenario) -> None:
    run_scenario(s)
