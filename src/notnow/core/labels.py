"""The taxonomy's labels, what they mean and the rules that bind them."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar

from notnow.core.model import Label
from notnow.errors import InvalidInput

DESCRIPTIONS: dict[Label, str] = {
    Label.NOT_INTERESTED: "a no with no reason given",
    Label.NOT_NOW: "timing: the need may exist, but not at this moment",
    Label.NO_BUDGET: "money for this is spent, frozen or not allocated",
    Label.PRICE: "too expensive, or not worth the price; someone is cheaper",
    Label.COMPETITOR_CHOSEN: "they picked another vendor for this deal",
    Label.HAS_SOLUTION: "they already have something that does this, often under contract",
    Label.NO_NEED: "they do not see the problem or it is not a priority",
    Label.MISSING_CAPABILITY: "they want something we cannot provide",
    Label.WRONG_PERSON: "not their area or decision; may name who to talk to",
    Label.GATEKEEPER: "an assistant, front desk or shared inbox blocks access",
    Label.NO_AUTHORITY: "the decision is stuck above or around them",
    Label.BAD_EXPERIENCE: "distrust: a past problem with us, or they feel pushed",
    Label.DO_NOT_CONTACT: "a hard opt-out: stop all contact",
    Label.AUTO_REPLY: "not a human decision: out of office, left the company, bounce",
    Label.INTERESTED: "not a rejection: they want to talk or ask for information",
}

NOT_REJECTIONS: frozenset[Label] = frozenset({Label.AUTO_REPLY, Label.INTERESTED})


def is_rejection(label: Label) -> bool:
    """`auto_reply` and `interested` are never rejections."""
    return label not in NOT_REJECTIONS


def resolve_primary(primary: Label, also: Iterable[Label]) -> tuple[Label, tuple[Label, ...]]:
    """Apply the taxonomy's precedence: one opt-out anywhere makes it the primary label."""
    rest = [label for label in also if label != primary]
    if primary != Label.DO_NOT_CONTACT and Label.DO_NOT_CONTACT in rest:
        rest.remove(Label.DO_NOT_CONTACT)
        rest.insert(0, primary)
        primary = Label.DO_NOT_CONTACT
    seen: list[Label] = []
    for label in rest:
        if label not in seen:
            seen.append(label)
    return primary, tuple(seen)


E = TypeVar("E", bound=StrEnum)


def parse_choice(enum: type[E], value: str, *, field: str) -> E:
    """Read one member of a vocabulary, or say which values are allowed."""
    cleaned = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return enum(cleaned)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise InvalidInput(f"unknown value {value!r}; expected one of: {allowed}",
                           field=field) from None


def parse_label(value: str, *, field: str = "label") -> Label:
    return parse_choice(Label, value, field=field)


def deal_status_after(label: Label) -> str | None:
    """What a rejection does to its deal: lost is a state, reversible, and not the only one."""
    if label in (Label.INTERESTED, Label.AUTO_REPLY, Label.WRONG_PERSON, Label.GATEKEEPER):
        return None  # not a decision about the deal
    if label in (Label.DO_NOT_CONTACT, Label.COMPETITOR_CHOSEN):
        return "lost"
    return "nurturing"
