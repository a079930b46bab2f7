"""One row of the agenda, as every interface shows it.

A plain dataclass rather than a Pydantic model: ``notnow agenda`` reads and prints the day's
rows without importing Pydantic (a fifth of the command's start-up), while the API and the
pages still serialise it as a field of their models (Pydantic reads dataclasses). The agenda
service builds it with the declared types; nothing coerces them afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from enum import Enum

from notnow.core.model import Channel, Label, Role


@dataclass
class AgendaItem:
    followup_id: int
    due: date
    overdue_days: int
    contact_id: int
    contact_name: str
    contact_role: Role
    account_id: int
    account_name: str
    channel: Channel
    purpose: str
    why: str | None
    label: Label | None = None
    score: float | None = None
    ripeness: str | None = None  # the one-line why of the score
    last_touch: datetime | None = None

    def to_json(self) -> dict[str, object]:
        """The row as JSON values, as the API gives it (Pydantic's serialisation of this class,
        which a property test pins this to)."""
        return {f.name: _json(getattr(self, f.name)) for f in fields(self)}


def _json(value: object) -> object:
    """A field's value as Pydantic writes it in JSON: enums by value, days and moments in ISO
    form (UTC as ``Z``)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, date):
        return value.isoformat()
    return value
