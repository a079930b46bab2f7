"""What else we could offer an account, and which customers could vouch for us.

Two plain records and two pure choices over them: :func:`fitting_offers` (a different
opportunity the account may have today) and :func:`closest_references` (reference customers of
the same region, similar size and the same industry, best first, each with its reasons).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from notnow.core.model import AccountFacts


@dataclass(frozen=True, slots=True)
class Offer:
    """Something we sell, and the accounts it fits (empty industries: any industry)."""

    name: str
    industries: tuple[str, ...] = ()
    min_employees: int | None = None
    max_employees: int | None = None
    description: str = ""

    def fits(self, account: AccountFacts) -> bool:
        industry = (account.industry or "").strip().lower()
        if self.industries and industry not in {i.strip().lower() for i in self.industries}:
            return False
        size = account.employees
        if size is None:
            return True
        return ((self.min_employees is None or size >= self.min_employees)
                and (self.max_employees is None or size <= self.max_employees))


def fitting_offers(account: AccountFacts, offers: Iterable[Offer],
                   exclude: Iterable[str] = ()) -> list[Offer]:
    """Offers that fit the account, leaving out those named in ``exclude`` (the one refused)."""
    refused = {name.strip().lower() for name in exclude}
    return [o for o in offers if o.name.strip().lower() not in refused and o.fits(account)]


@dataclass(frozen=True, slots=True)
class ReferenceCustomer:
    """A happy customer; ``may_name`` says whether we may say who they are."""

    name: str
    region: str | None = None
    country: str | None = None
    employees: int | None = None
    industry: str | None = None
    offer: str | None = None
    may_name: bool = True

    def mention(self) -> str:
        """How to mention them: their name, or a description when they may not be named."""
        if self.may_name:
            return self.name
        parts = []
        if self.industry:
            parts.append(self.industry)
        parts.append("company")
        parts.insert(0, article(parts[0]))
        if self.employees:
            parts.append(f"of about {self.employees} people")
        if self.region or self.country:
            parts.append(f"in {self.region or self.country}")
        return " ".join(parts)


_A_BEFORE = ("uni", "use", "usu", "uti", "eu", "one", "once")
_AN_BEFORE = ("hour", "honest", "honor", "honour", "heir")
_VOWEL_LETTERS = frozenset("AEFHILMNORSX")
"""Capital letters whose spoken name starts with a vowel sound (an IT firm, an HR team)."""


def article(word: str) -> str:
    """"a" or "an" before ``word``, by how it sounds: an energy company, a utility, an IT
    firm, a university."""
    w = word.strip()
    if not w:
        return "a"
    head = w.split()[0].strip("\"'(")
    if len(head) > 1 and head.isupper() and head.isalpha():  # an acronym, letter by letter
        return "an" if head[0] in _VOWEL_LETTERS else "a"
    low = head.lower()
    if low.startswith(_AN_BEFORE):
        return "an"
    if low.startswith(_A_BEFORE):
        return "a"
    return "an" if low[:1] in "aeiou" else "a"


@dataclass(frozen=True, slots=True)
class ScoredReference:
    reference: ReferenceCustomer
    score: float
    reasons: tuple[str, ...]


def _same(a: str | None, b: str | None) -> bool:
    if a is None or b is None or not a.strip():
        return False
    return a.strip().lower() == b.strip().lower()


def score_reference(account: AccountFacts, ref: ReferenceCustomer) -> ScoredReference:
    """Region (same country 3, same region 2), industry 3, size up to 3 (x10 apart: 0)."""
    score = 0.0
    reasons: list[str] = []
    if _same(account.country, ref.country):
        score += 3
        reasons.append(f"same country ({ref.country})")
    elif _same(account.region, ref.region):
        score += 2
        reasons.append(f"same region ({ref.region})")
    if _same(account.industry, ref.industry):
        score += 3
        reasons.append(f"same industry ({ref.industry})")
    if account.employees and ref.employees:
        gap = abs(math.log10(account.employees) - math.log10(ref.employees))
        closeness = max(0.0, 1 - gap)
        if closeness > 0:
            score += 3 * closeness
            reasons.append(f"similar size ({ref.employees} vs {account.employees} people)")
    return ScoredReference(ref, round(score, 3), tuple(reasons))


def closest_references(account: AccountFacts, refs: Sequence[ReferenceCustomer],
                       n: int = 3) -> list[ScoredReference]:
    """The ``n`` references most like the account (ties: by name), only those with a reason."""
    scored = [score_reference(account, r) for r in refs]
    scored = [s for s in scored if s.score > 0]
    scored.sort(key=lambda s: (-s.score, s.reference.name.lower()))
    return scored[:n]
