"""The autopsy: a short, honest review after a loss, whose answers can be counted.

Five yes/no questions (each a possible theme of the loss), who got the sale and why, and what
to do differently next time. :func:`validate_answers` reads what a person typed (``yes``,
``n``, ``true``…) and names the field when something is wrong; :func:`count_themes` counts
themes over many autopsies, which is all a manager sees of them. Pure: no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from notnow.errors import InvalidInput

Kind = Literal["yes_no", "text"]


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    prompt: str
    kind: Kind
    theme: str | None = None  # the theme a "bad" answer counts towards
    bad_answer: bool = True  # which yes/no answer counts towards the theme


QUESTIONS: tuple[Question, ...] = (
    Question("listened_to_need", "Did I really listen to what they needed?", "yes_no",
             theme="did not listen to the need", bad_answer=False),
    Question("missed_timing", "Did I come at the wrong moment for them?", "yes_no",
             theme="wrong timing"),
    Question("missed_follow_up", "Did I let the follow-up slip?", "yes_no",
             theme="follow-up slipped"),
    Question("missed_events", "Did I miss a market or competitor event that mattered?",
             "yes_no", theme="missed market or competitor events"),
    Question("too_aggressive", "Was I too pushy?", "yes_no", theme="too aggressive"),
    Question("winner", "Who got the sale (a competitor, in-house, nobody)?", "text"),
    Question("winner_why", "Why did they win, as far as you can tell?", "text"),
    Question("do_differently", "What will I do differently next time?", "text"),
)

QUESTION_KEYS: tuple[str, ...] = tuple(q.key for q in QUESTIONS)
THEMES: tuple[str, ...] = tuple(q.theme for q in QUESTIONS if q.theme)
MAX_TEXT = 4000

_YES = frozenset({"y", "yes", "true", "1", "oui", "t"})
_NO = frozenset({"n", "no", "false", "0", "non", "f"})


@dataclass(frozen=True, slots=True)
class Answers:
    listened_to_need: bool | None = None
    missed_timing: bool | None = None
    missed_follow_up: bool | None = None
    missed_events: bool | None = None
    too_aggressive: bool | None = None
    winner: str | None = None
    winner_why: str | None = None
    do_differently: str | None = None

    def as_dict(self) -> dict[str, bool | str | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def answered(self) -> int:
        return sum(1 for v in self.as_dict().values() if v is not None)

    def themes(self) -> tuple[str, ...]:
        """The themes these answers point to, in question order."""
        out = []
        for q in QUESTIONS:
            value = getattr(self, q.key)
            if q.theme and value is not None and value == q.bad_answer:
                out.append(q.theme)
        return tuple(out)


def parse_yes_no(value: Any, *, field: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("", "skip", "-", "?", "unsure", "dont know", "don't know"):
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise InvalidInput(f"answer yes or no, not {value!r}", field=field)


def validate_answers(data: Mapping[str, Any], *, base: Answers | None = None) -> Answers:
    """Answers from raw input; keys not given keep ``base``'s values (for editing later)."""
    unknown = sorted(set(data) - set(QUESTION_KEYS))
    if unknown:
        raise InvalidInput(f"unknown question {unknown[0]!r}; the questions are "
                           f"{', '.join(QUESTION_KEYS)}", field=unknown[0])
    values = (base or Answers()).as_dict()
    for q in QUESTIONS:
        if q.key not in data:
            continue
        raw = data[q.key]
        if q.kind == "yes_no":
            values[q.key] = parse_yes_no(raw, field=q.key)
        else:
            text = None if raw is None else str(raw).strip() or None
            if text is not None and len(text) > MAX_TEXT:
                raise InvalidInput(f"{len(text):,} characters; keep it under {MAX_TEXT:,}",
                                   field=q.key)
            values[q.key] = text
    answers = Answers(**values)  # type: ignore[arg-type]
    if answers.answered == 0:
        raise InvalidInput("answer at least one question", field=QUESTION_KEYS[0])
    return answers


@dataclass(frozen=True, slots=True)
class ThemeCount:
    theme: str
    count: int
    share: float  # of the autopsies that answered that question


def count_themes(all_answers: Iterable[Answers]) -> list[ThemeCount]:
    """How often each theme came up, most frequent first (only answered questions count)."""
    return count_theme_groups((a.as_dict(), 1) for a in all_answers)


def count_theme_groups(groups: Iterable[tuple[Mapping[str, Any], int]]) -> list[ThemeCount]:
    """:func:`count_themes` of alike autopsies counted together: (their answers to the themed
    questions, how many), as a report's database groups them."""
    hits: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    for answers, n in groups:
        for q in QUESTIONS:
            if not q.theme:
                continue
            value = answers.get(q.key)
            if value is None:
                continue
            asked[q.theme] += n
            if value == q.bad_answer:
                hits[q.theme] += n
    out = [ThemeCount(t, hits[t], round(hits[t] / asked[t], 4) if asked[t] else 0.0)
           for t in THEMES]
    return sorted(out, key=lambda t: (-t.count, THEMES.index(t.theme)))


def count_winners(winners: Iterable[str | None]) -> list[tuple[str, int]]:
    """Who got the sale, names folded case-insensitively, most frequent first."""
    return count_winner_groups((w, 1) for w in winners)


def count_winner_groups(groups: Iterable[tuple[str | None, int]]) -> list[tuple[str, int]]:
    """:func:`count_winners` of names counted together: (name as written, how many). Of the
    ways one name is written, the most written is shown (of those written as often, the first
    in sort order), whatever order the names come in."""
    written: dict[str, Counter[str]] = {}
    for w, n in groups:
        if not w or not w.strip():
            continue
        key = " ".join(w.lower().split())
        written.setdefault(key, Counter())[w.strip()] += n
    counts = {min(ways, key=lambda way: (-ways[way], way)): ways.total()
              for ways in written.values()}
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


THEMED = tuple(q.key for q in QUESTIONS if q.theme)
"""The questions whose answers :func:`count_theme_groups` reads."""


LOSS_LABELS = frozenset({"competitor_chosen", "price", "missing_capability", "no_budget",
                         "has_solution", "no_need", "not_interested", "bad_experience",
                         "no_authority", "not_now"})
"""Labels after which an autopsy is suggested (a decision against us, not routing noise)."""


def autopsy_suggested(label: str, deal_status: str | None) -> bool:
    """Whether `notnow log` should suggest an autopsy for this rejection."""
    return label in LOSS_LABELS or deal_status == "lost"
