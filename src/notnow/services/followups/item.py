"""One row of the agenda, as every interface shows it.

A plain dataclass rather than a Pydantic model: ``notnow agenda`` reads and prints the day's
rows without importing Pydantic (a fifth of the command's start-up), while the API and the
pages still serialise it as a field of their models (Pydantic reads dataclasses). The agenda
service builds it with the declared types; nothing coerces them afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

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
        return {
            "followup_id": self.followup_id, "due": self.due.isoformat(),
            "overdue_days": self.overdue_days, "contact_id": self.contact_id,
            "contact_name": self.contact_name, "contact_role": self.contact_role.value,
            "account_id": self.account_id, "account_name": self.account_name,
            "channel": self.channel.value, "purpose": self.purpose, "why": self.why,
            "label": self.label.value if self.label is not None else None,
            "score": self.score, "ripeness": self.ripeness,
            "last_touch": _moment(self.last_touch),
        }


def _moment(value: datetime | None) -> str | None:
    """A moment as Pydantic writes it in JSON (UTC as ``Z``)."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
