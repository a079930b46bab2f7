"""Loss analytics over plain records: what the "no"s say, and what became of them.

Everything here is pure and works in one pass over streams of small records, so that storage
can feed 100,000 rejections straight from a cursor. Definitions (also shown in the report):

* **Won back**: a rejection whose account has a deal won on or after the day of the no.
  The delay is the days from the no to that first win.
* **Check-back outcome**: what followed a check-back (:data:`OUTCOMES`).
* **Capability gap**: requests folded into one capability, ranked by the value lost.

Contacts (attempts, silence, pestering, giving up) are counted in
:mod:`notnow.core.contact_stats`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import compress
from statistics import median
from typing import Any, NamedTuple

from notnow.core.capabilities import capability_key, display_name

UNKNOWN = "unknown"
SIZE_BANDS: tuple[tuple[int, str], ...] = (
    (10, "1-10"), (50, "11-50"), (200, "51-200"), (1000, "201-1000"),
)
SIZE_ORDER: tuple[str, ...] = ("1-10", "11-50", "51-200", "201-1000", "1001+", UNKNOWN)
DELAY_BUCKETS: tuple[tuple[int, str], ...] = (
    (90, "within 3 months"), (180, "3-6 months"), (365, "6-12 months"),
)
DELAY_ORDER: tuple[str, ...] = ("within 3 months", "3-6 months", "6-12 months",
                                "after 12 months")
DIMENSIONS: tuple[str, ...] = ("label", "stage", "channel", "size", "region", "industry",
                               "competitor", "salesperson")


def size_band(employees: int | None) -> str:
    if employees is None or employees <= 0:
        return UNKNOWN
    for top, name in SIZE_BANDS:
        if employees <= top:
            return name
    return "1001+"


def delay_bucket(days: int) -> str:
    for top, name in DELAY_BUCKETS:
        if days <= top:
            return name
    return "after 12 months"


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def ratio(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


# ------------------------------------------------------------------------------------------
# Rejections and what became of them
# ------------------------------------------------------------------------------------------


class _Memo(dict[Any, str]):
    """A function's results, remembered: ``map(memo.__getitem__, values)`` runs in C."""

    def __init__(self, fn: Callable[[Any], str]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, key: Any) -> str:
        value = self[key] = self.fn(key)
        return value


class NoRow(NamedTuple):
    """One rejection, flattened for counting."""

    id: int
    day: date
    label: str
    stage: str | None
    channel: str | None
    employees: int | None
    region: str | None
    industry: str | None
    competitor: str | None
    salesperson: str | None
    account_id: int | None


class WinRow(NamedTuple):
    """A won deal."""

    account_id: int
    day: date
    salesperson: str | None
    value: float | None = None
    counted: bool = True
    """Whether it is one of the report's people's wins (another team's win still answers
    "was this no followed by a yes?", but is not counted as theirs)."""


class Wins:
    """Won deals by account, to answer "was this no followed by a yes?" quickly."""

    def __init__(self, wins: Iterable[WinRow], *, since: date | None = None,
                 salesperson: str | None = None) -> None:
        """Every win is looked up; only those since ``since`` (and of ``salesperson``, when
        given) are counted as the period's wins."""
        days: dict[int, list[date]] = defaultdict(list)
        self.by_salesperson: Counter[str] = Counter()
        self.total = 0
        for w in wins:
            days[w.account_id].append(w.day)
            who = w.salesperson or UNKNOWN
            if w.counted and (since is None or w.day >= since) and salesperson in (None, who):
                self.by_salesperson[who] += 1
                self.total += 1
        self.days_by_account: dict[int, list[date]] = {k: sorted(v) for k, v in days.items()}

    def first_after(self, account_id: int | None, day: date) -> date | None:
        """The first win on the account on or after ``day``."""
        if account_id is None:
            return None
        days = self.days_by_account.get(account_id)
        if not days:
            return None
        i = bisect_left(days, day)
        return days[i] if i < len(days) else None


@dataclass
class Proof:
    """One salesperson's figures: how often a no later became a yes."""

    salesperson: str
    rejections: int = 0
    won_back: int = 0
    wins: int = 0
    days_to_deal: list[int] = field(default_factory=list)

    @property
    def later_yes_rate(self) -> float:
        return ratio(self.won_back, self.rejections)

    @property
    def median_days_to_deal(self) -> float | None:
        return float(median(self.days_to_deal)) if self.days_to_deal else None

    @property
    def rejections_per_win(self) -> float | None:
        return round(self.rejections / self.wins, 2) if self.wins else None


class LossTally:
    """Counts rejections along every dimension, and their win-backs, in one pass."""

    def __init__(self, wins: Wins) -> None:
        self.wins = wins
        self.total = 0
        self.by: dict[str, Counter[str]] = {d: Counter() for d in DIMENSIONS}
        self.label_stage: Counter[tuple[str, str]] = Counter()
        self.label_size: Counter[tuple[str, str]] = Counter()
        self.label_salesperson: Counter[tuple[str, str]] = Counter()
        self.monthly: Counter[tuple[str, str]] = Counter()
        self.won_back_by_label: Counter[str] = Counter()
        self.won_back_by_delay: Counter[str] = Counter()
        self.days_to_deal: list[int] = []
        self.proof: dict[str, Proof] = {}
        self.first_day: date | None = None
        self.last_day: date | None = None

    def add(self, row: NoRow) -> None:
        self.add_all((row,))

    def add_all(self, rows: Iterable[NoRow]) -> LossTally:
        """Count every row (see :meth:`add_columns`)."""
        batch = list(rows)
        if not batch:
            return self
        (_ids, days, labels, stages, channels, employees, regions, industries, competitors,
         people, accounts) = zip(*batch, strict=True)
        return self.add_columns(days, labels, stages, channels, employees, regions, industries,
                                competitors, people, accounts)

    def add_columns(self, days: Sequence[date], labels: Sequence[str | None],
                    stages: Sequence[str | None], channels: Sequence[str | None],
                    employees: Sequence[int | None], regions: Sequence[str | None],
                    industries: Sequence[str | None], competitors: Sequence[str | None],
                    people: Sequence[str | None],
                    accounts: Sequence[int | None]) -> LossTally:
        """Count rejections given column by column (the i-th of each is one rejection), so
        that the counting runs in C: this is the hot path over 100,000s of rejections."""
        if not days:
            return self
        label_col: list[str] = [v or UNKNOWN for v in labels]
        stage_col: list[str] = [v or UNKNOWN for v in stages]
        people_col: list[str] = [v or UNKNOWN for v in people]
        sizes = list(map(_Memo(size_band).__getitem__, employees))
        months = list(map(_Memo(month_of).__getitem__, days))
        by = self.by
        by["label"].update(label_col)
        by["stage"].update(stage_col)
        by["size"].update(sizes)
        by["salesperson"].update(people_col)
        for dim, values in (("channel", channels), ("region", regions),
                            ("industry", industries), ("competitor", competitors)):
            value: str | None
            for value, n in Counter(values).items():
                by[dim][(value or "").strip() or UNKNOWN] += n
        self.label_stage.update(zip(label_col, stage_col, strict=True))
        self.label_size.update(zip(label_col, sizes, strict=True))
        self.label_salesperson.update(zip(label_col, people_col, strict=True))
        self.monthly.update(zip(months, label_col, strict=True))
        first, last = min(days), max(days)
        self.first_day = first if self.first_day is None else min(first, self.first_day)
        self.last_day = last if self.last_day is None else max(last, self.last_day)
        who: str
        for who, n in Counter(people_col).items():
            proof = self.proof.get(who)
            if proof is None:
                proof = self.proof[who] = Proof(who, wins=self.wins.by_salesperson.get(who, 0))
            proof.rejections += n
        win_days = self.wins.days_by_account
        for i in compress(range(len(accounts)), map(win_days.__contains__, accounts)):
            wins, day = win_days[accounts[i]], days[i]  # type: ignore[index]
            k = bisect_left(wins, day)
            if k < len(wins):
                delay = (wins[k] - day).days
                self.won_back_by_label[label_col[i]] += 1
                self.won_back_by_delay[delay_bucket(delay)] += 1
                self.days_to_deal.append(delay)
                proof = self.proof[people_col[i]]
                proof.won_back += 1
                proof.days_to_deal.append(delay)
        self.total += len(days)
        return self

    # --- grouped counts (the report's database path) -----------------------------------------

    def _proof(self, who: str) -> Proof:
        proof = self.proof.get(who)
        if proof is None:
            proof = self.proof[who] = Proof(who, wins=self.wins.by_salesperson.get(who, 0))
        return proof

    def add_groups(self, rows: Iterable[tuple[str | None, str | None, str | None, str, int]],
                   *, first: date | None, last: date | None) -> LossTally:
        """Rejections counted by the database per (label, stage, salesperson, month): the
        totals, the label, stage and salesperson counts, their crossings and the trend.
        ``first`` and ``last``: the days of the first and the last rejection."""
        by = self.by
        for label, stage, who, month, n in rows:
            lbl, stg, person = label or UNKNOWN, stage or UNKNOWN, who or UNKNOWN
            by["label"][lbl] += n
            by["stage"][stg] += n
            by["salesperson"][person] += n
            self.label_stage[lbl, stg] += n
            self.label_salesperson[lbl, person] += n
            self.monthly[month, lbl] += n
            self._proof(person).rejections += n
            self.total += n
        if first is not None:
            self.first_day = first if self.first_day is None else min(first, self.first_day)
        if last is not None:
            self.last_day = last if self.last_day is None else max(last, self.last_day)
        return self

    def add_account_groups(self, rows: Iterable[tuple[str | None, int | None, str | None,
                                                      str | None, int]]) -> LossTally:
        """Rejections per (label, employees, region, industry) of their account."""
        band = _Memo(size_band)
        for label, employees, region, industry, n in rows:
            size = band[employees]
            self.by["size"][size] += n
            self.label_size[label or UNKNOWN, size] += n
            self.by["region"][(region or "").strip() or UNKNOWN] += n
            self.by["industry"][(industry or "").strip() or UNKNOWN] += n
        return self

    def add_channel_groups(self, rows: Iterable[tuple[str | None, str | None, int]]
                           ) -> LossTally:
        """Rejections per (channel, competitor named)."""
        for channel, competitor, n in rows:
            self.by["channel"][(channel or "").strip() or UNKNOWN] += n
            self.by["competitor"][(competitor or "").strip() or UNKNOWN] += n
        return self

    def add_won_back(self, rows: Iterable[tuple[str | None, str | None, int, int]]
                     ) -> LossTally:
        """Rejections won back per (label, salesperson, days from the no to the first win on
        the account on or after its day)."""
        for label, who, delay, n in rows:
            self.won_back_by_label[label or UNKNOWN] += n
            self.won_back_by_delay[delay_bucket(delay)] += n
            self.days_to_deal.extend([delay] * n)
            proof = self._proof(who or UNKNOWN)
            proof.won_back += n
            proof.days_to_deal.extend([delay] * n)
        return self

    # --- results ---------------------------------------------------------------------------

    @property
    def won_back(self) -> int:
        return sum(self.won_back_by_label.values())

    def top(self, dim: str, n: int | None = None) -> list[tuple[str, int]]:
        items = sorted(self.by[dim].items(), key=lambda kv: (-kv[1], kv[0]))
        if dim == "size":
            items = sorted(items, key=lambda kv: SIZE_ORDER.index(kv[0]))
        return items if n is None else items[:n]

    def winback_by_label(self) -> list[tuple[str, int, int, float]]:
        """(label, rejections, won back, rate), highest rate first."""
        rows = [(label, n, self.won_back_by_label[label], ratio(self.won_back_by_label[label], n))
                for label, n in self.by["label"].items()]
        return sorted(rows, key=lambda r: (-r[3], -r[1], r[0]))

    def winback_by_delay(self) -> list[tuple[str, int, float, float]]:
        """(delay, won back in it, share of all rejections, cumulative share)."""
        out = []
        running = 0
        for name in DELAY_ORDER:
            n = self.won_back_by_delay[name]
            running += n
            out.append((name, n, ratio(n, self.total), ratio(running, self.total)))
        return out

    def median_days_to_deal(self) -> float | None:
        return float(median(self.days_to_deal)) if self.days_to_deal else None

    def rejections_per_win(self) -> float | None:
        return round(self.total / self.wins.total, 2) if self.wins.total else None

    def months(self) -> list[str]:
        """Every month from the first to the last rejection, gaps included."""
        if self.first_day is None or self.last_day is None:
            return []
        out = []
        y, m = self.first_day.year, self.first_day.month
        while (y, m) <= (self.last_day.year, self.last_day.month):
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def trend(self, top_labels: int = 5) -> tuple[list[str], dict[str, list[int]]]:
        """Months and, per series (the most frequent labels, then "other"), counts."""
        months = self.months()
        keep = [label for label, _ in self.top("label", top_labels)]
        series: dict[str, list[int]] = {label: [0] * len(months) for label in keep}
        other = [0] * len(months)
        index = {m: i for i, m in enumerate(months)}
        for (month, label), n in self.monthly.items():
            i = index[month]
            if label in series:
                series[label][i] += n
            else:
                other[i] += n
        if any(other):
            series["other"] = other
        return months, series

    def proofs(self) -> list[Proof]:
        return sorted(self.proof.values(), key=lambda p: (-p.later_yes_rate, p.salesperson))


# ------------------------------------------------------------------------------------------
# Check-backs and capability gaps
# ------------------------------------------------------------------------------------------


class CheckbackRow(NamedTuple):
    id: int
    due: date
    status: str
    account_id: int
    label: str | None  # the label of the no it followed
    answered: bool  # an inbound touch on or after the due day
    another_no: bool  # a rejection on or after the due day


OUTCOMES: tuple[str, ...] = ("won", "answered", "another no", "no answer yet", "not done yet",
                             "skipped", "upcoming")


def outcome_of(status: str, *, later: bool, won: bool, answered: bool,
               another_no: bool) -> str:
    """What happened after one check-back (the first that applies, in OUTCOMES order):
    ``later`` — it falls due after today; ``won`` — a deal was won on the account on or
    after its day; ``answered`` — an inbound touch on or after it; ``another_no`` — a
    rejection on or after it."""
    if later and status in ("due", "snoozed"):
        return "upcoming"
    if won:
        return "won"
    if status in ("skipped", "cancelled"):
        return "skipped"
    if answered:
        return "answered"
    if another_no:
        return "another no"
    if status in ("due", "snoozed"):
        return "not done yet"
    return "no answer yet"


def checkback_outcome(row: CheckbackRow, wins: Wins, as_of: date) -> str:
    """What happened after one check-back (:func:`outcome_of`)."""
    return outcome_of(row.status, later=row.due > as_of,
                      won=wins.first_after(row.account_id, row.due) is not None,
                      answered=row.answered, another_no=row.another_no)


def checkback_outcomes(rows: Iterable[CheckbackRow], wins: Wins,
                       as_of: date) -> dict[str, Counter[str]]:
    """Outcome counts per label of the original no (key "all" for every check-back)."""
    return count_outcomes((row.label, checkback_outcome(row, wins, as_of), 1) for row in rows)


def count_outcomes(rows: Iterable[tuple[str | None, str, int]]) -> dict[str, Counter[str]]:
    """(label, outcome, n) -> outcome counts per label, and for "all"."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for label, outcome, n in rows:
        out["all"][outcome] += n
        out[label or UNKNOWN][outcome] += n
    return dict(out)


class CapabilityRow(NamedTuple):
    text: str
    rejection_id: int
    deal_id: int | None
    value: float | None
    deal_status: str | None
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class CapabilityGap:
    key: str
    name: str
    requests: int
    deals_lost: int
    lost_value: float  # in the main currency
    variants: tuple[str, ...]
    other_currencies: tuple[tuple[str, float], ...] = ()  # lost in other currencies

    def describe_others(self) -> str:
        return "; ".join(f"{cur} {value:,.0f}" for cur, value in self.other_currencies)


def capability_gaps(rows: Iterable[CapabilityRow],
                    currency: str = "USD") -> list[CapabilityGap]:
    """Requested capabilities, ranked by the value of the deals lost without them.

    A deal counts once per capability however many times it was asked; a deal won since
    is not lost. Values are never added across currencies: ``lost_value`` is in
    ``currency`` (the team's main one), other currencies are listed apart.
    """
    requests: Counter[str] = Counter()
    variants: dict[str, set[str]] = defaultdict(set)
    deals: dict[str, dict[int, tuple[str, float]]] = defaultdict(dict)
    for r in rows:
        key = capability_key(r.text)
        if not key:
            continue
        requests[key] += 1
        variants[key].add(r.text.strip())
        if r.deal_id is not None and r.deal_status != "won":
            deals[key][r.deal_id] = ((r.currency or currency).upper(), float(r.value or 0))
    gaps = []
    for k, n in requests.items():
        by_currency: dict[str, float] = defaultdict(float)
        for cur, value in deals[k].values():
            by_currency[cur] += value
        main = round(by_currency.pop(currency.upper(), 0.0), 2)
        gaps.append(CapabilityGap(
            key=k, name=display_name(k, variants[k]), requests=n, deals_lost=len(deals[k]),
            lost_value=main, variants=tuple(sorted(variants[k])),
            other_currencies=tuple(sorted((c, round(v, 2)) for c, v in by_currency.items()))))
    return sorted(gaps, key=lambda g: (-g.lost_value, -g.deals_lost, -g.requests, g.name))
