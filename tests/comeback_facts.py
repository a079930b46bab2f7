"""Small builders of core records for the comeback tests (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from notnow.core.model import (
    AccountFacts,
    Channel,
    ContactFacts,
    Direction,
    DncMark,
    DncSource,
    Label,
    RejectionFacts,
    Role,
    SignalFacts,
    SignalKind,
    TouchFacts,
)

TODAY = date(2026, 11, 23)  # a Monday
ACCOUNT = AccountFacts(1, "Acme GmbH", industry="logistics", employees=40, country="DE",
                       timezone="Europe/Berlin")
BIG = AccountFacts(2, "Globex", industry="retail", employees=5000, country="US",
                   timezone="America/New_York")


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def contact(cid: int = 1, name: str = "Anna Berg", *, account: AccountFacts = ACCOUNT,
            role: Role = Role.USER, dnc: bool = False, **kw: Any) -> ContactFacts:
    mark = DncMark(at(date(2026, 10, 1)), "asked to be removed", DncSource.PROSPECT)
    return ContactFacts(cid, account.id, name, role=role, dnc=mark if dnc else None, **kw)


def touch(day: date, channel: Channel = Channel.EMAIL, *, cid: int = 1, aid: int = 1,
          inbound: bool = False) -> TouchFacts:
    return TouchFacts(cid, aid, channel, Direction.INBOUND if inbound else Direction.OUTBOUND,
                      at(day))


def signal(day: date, kind: SignalKind, cid: int = 1) -> SignalFacts:
    return SignalFacts(kind, at(day), contact_id=cid, account_id=1)


def rejection(label: Label, *, rid: int = 10, cid: int = 1, day: date = TODAY,
              **kw: Any) -> RejectionFacts:
    return RejectionFacts(rid, cid, 1, at(day), label, **kw)
