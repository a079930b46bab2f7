"""The taxonomy's labels, what they mean and the rules that bind them."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar

from notnow.core.model import Label
from notnow.errors import InvalidInput

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


SAID: dict[Label, str] = {
    Label.NOT_INTERESTED: "they are not interested",
    Label.NOT_NOW: "not now",
    Label.NO_BUDGET: "there is no budget",
    Label.PRICE: "the price is too high",
    Label.COMPETITOR_CHOSEN: "they chose another vendor",
    Label.HAS_SOLUTION: "they already have a solution",
    Label.NO_NEED: "they have no need for it",
    Label.MISSING_CAPABILITY: "something they need is missing",
    Label.WRONG_PERSON: "they are not the right person",
    Label.GATEKEEPER: "it is not for them to pass on",
    Label.NO_AUTHORITY: "it is not their decision",
    Label.BAD_EXPERIENCE: "they had a bad experience",
    Label.DO_NOT_CONTACT: "they do not want to be contacted",
    Label.AUTO_REPLY: "they are away",
    Label.INTERESTED: "they are interested",
}
"""A label as the end of "They said …" (the playbook's ``{label}``)."""


def said(label: Label) -> str:
    return SAID.get(label, label.value.replace("_", " "))


def deal_status_after(label: Label) -> str | None:
    """What a rejection does to its deal: lost is a state, reversible, and not the only one."""
    if label in (Label.INTERESTED, Label.AUTO_REPLY, Label.WRONG_PERSON, Label.GATEKEEPER):
        return None  # not a decision about the deal
    if label in (Label.DO_NOT_CONTACT, Label.COMPETITOR_CHOSEN):
        return "lost"
    return "nurturing"
