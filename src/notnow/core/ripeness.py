"""How ripe a follow-up is today: the agenda's ranking, explained.

The score is the sum of four components, each returned so the agenda can show its reasons:

* **due** — overdue work first (up to +5), not-yet-due work sinks (down to -5);
* **warmth** — recent active signals (replied, visited…) raise it, passive ones (ignored,
  unopened…) lower it, both fading over ``WARMTH_DAYS``;
* **rest** — time since the last touch: a contact touched yesterday is less ripe than one left
  alone for weeks;
* **label** — what they said: ``not_now`` with a dated check-back is riper than a bare
  ``not_interested``; interest is ripest.

Deterministic: the same facts give the same score; ties rank by due date, then id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import NamedTuple

from notnow.core.model import FollowUpFacts, Label, SignalFacts

WARMTH_DAYS = 60

LABEL_WEIGHT: dict[Label, float] = {
    Label.INTERESTED: 4.0,
    Label.NOT_NOW: 2.5,
    Label.NO_BUDGET: 2.0,
    Label.HAS_SOLUTION: 2.0,
    Label.COMPETITOR_CHOSEN: 1.5,
    Label.PRICE: 1.5,
    Label.NO_AUTHORITY: 1.5,
    Label.MISSING_CAPABILITY: 1.5,
    Label.AUTO_REPLY: 1.5,
    Label.WRONG_PERSON: 1.0,
    Label.GATEKEEPER: 1.0,
    Label.NO_NEED: 0.5,
    Label.NOT_INTERESTED: 0.5,
    Label.BAD_EXPERIENCE: 0.0,
    Label.DO_NOT_CONTACT: -100.0,  # never ranked: such follow-ups cannot exist
}
DATED_CHECKBACK_BONUS = 1.0
_SAID = {label: label.value.replace("_", " ") for label in Label}


class Ripeness(NamedTuple):  # a tuple: built for every row shown, ten times cheaper
    score: float
    due: float
    warmth: float
    rest: float
    label: float
    why: str

    def components(self) -> dict[str, float]:
        return {"due": self.due, "warmth": self.warmth, "rest": self.rest, "label": self.label}


def due_points(late: int) -> float:
    """Overdue by ``late`` days (negative: not yet due)."""
    if late > 0:
        return min(5.0, 2.0 + 0.1 * late)
    if late == 0:
        return 2.0
    return max(-5.0, 0.5 * late)


def warmth_points(today: date, signals: Iterable[SignalFacts]) -> tuple[float, int, int]:
    """The signals' warmth (clamped), and how many active and passive ones counted."""
    total, active, passive = 0.0, 0, 0
    for s in signals:
        age = (today - s.at.date()).days
        if age < 0 or age > WARMTH_DAYS:
            continue
        fade = 1 - age / WARMTH_DAYS
        if s.active:
            total += 1.5 * fade
            active += 1
        else:
            total -= 0.5 * fade
            passive += 1
    return max(-3.0, min(5.0, total)), active, passive


def rest_points(days: int | None) -> float:
    """``days`` since the last touch (None: never touched)."""
    if days is None:
        return 1.0
    if days <= 2:
        return -2.0
    return round(2.0 * min(days, 60) / 60, 3)


def label_points(label: Label | None, dated_checkback: bool) -> float:
    if label is None:
        return 1.0
    weight = LABEL_WEIGHT.get(label, 1.0)
    if dated_checkback and label != Label.DO_NOT_CONTACT:
        weight += DATED_CHECKBACK_BONUS
    return weight


ScoreFacts = tuple[date, Label | None, bool, date | None, Sequence[SignalFacts]]
"""due, label, dated check-back, last touch, signals: what `scores` reads of one row."""


def scores(today: date, rows: Iterable[ScoreFacts]) -> list[float]:
    """The score of each row, in order, without its reasons: always ``ripeness(...).score``
    for the same facts (a property test checks it), cheap enough to run on every follow-up
    due (the agenda ranks them all and explains only those it shows)."""
    day = today.toordinal()
    out: list[float] = []
    append = out.append
    for due, label, dated, last_touch, signals in rows:
        warmth = warmth_points(today, signals)[0] if signals else 0.0
        rest = rest_points(None if last_touch is None else day - last_touch.toordinal())
        append(round(due_points(day - due.toordinal()) + warmth + rest
                     + label_points(label, dated), 3))
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def ripeness(followup: FollowUpFacts, *, today: date, label: Label | None = None,
             dated_checkback: bool = False, signals: Sequence[SignalFacts] = (),
             last_touch: date | None = None) -> Ripeness:
    """Score one follow-up and say why; ``label`` is the rejection it comes from, if any."""
    return explain(today, followup.due, label=label, dated_checkback=dated_checkback,
                   signals=signals, last_touch=last_touch)


def explain(today: date, due_on: date, *, label: Label | None = None,
            dated_checkback: bool = False, signals: Sequence[SignalFacts] = (),
            last_touch: date | None = None) -> Ripeness:
    """`ripeness` of a follow-up due on ``due_on``, from the facts alone."""
    late = (today - due_on).days
    due = due_points(late)
    if late > 0:
        due_why = f"{_plural(late, 'day')} overdue"
    elif late == 0:
        due_why = "due today"
    else:
        due_why = f"due in {_plural(-late, 'day')}"
    warmth, active, passive = warmth_points(today, signals)
    if not active and not passive:
        warmth, warmth_why = 0.0, "no recent signals"
    else:
        warmth_why = f"{active} active, {_plural(passive, 'passive signal')} lately"
    days = None if last_touch is None else (today - last_touch).days
    rest = rest_points(days)
    if days is None:
        rest_why = "never touched"
    elif days <= 2:
        rest_why = f"touched {_plural(days, 'day')} ago"
    else:
        rest_why = f"last touch {days} days ago"
    weight = label_points(label, dated_checkback)
    label_why = _SAID[label] if label is not None else "no rejection"
    if dated_checkback and label is not None and label != Label.DO_NOT_CONTACT:
        label_why += " with a dated check-back"
    total = round(due + warmth + rest + weight, 3)
    why = "; ".join((due_why, warmth_why, rest_why, label_why))
    return Ripeness(total, round(due, 3), round(warmth, 3), rest, weight, why)


def order(score: float, due: date, key: int) -> tuple[float, date, int]:
    """Where a scored row stands on the agenda: ripest first; ties by due date, then id."""
    return (-score, due, key)


def ranked(today: date, rows: Sequence[tuple[int, ScoreFacts]]) -> list[tuple[float, int]]:
    """``(score, id)`` of rows given as ``(id, facts)``, in :func:`order`."""
    found = sorted(order(s, facts[0], key)
                   for s, (key, facts) in zip(scores(today, [f for _, f in rows]), rows,
                                              strict=True))
    return [(-neg, key) for neg, _, key in found]
