"""The sign-in limiter: failed sign-ins counted in the database, so every worker shares them.

Each failure is a row of ``login_failures`` (a hash of the email typed, the client address,
when). Three counts over the last `Limits.window` decide, each for its own threat:

* **one account from one address** (`Limits.pair`): someone guessing one person's password —
  that pair is locked, nobody else is;
* **one address, any accounts** (`Limits.address`): password spraying from one machine — set
  well above what an office behind one address makes by mistake (a person's own typos lock
  their pair after `pair` failures and stop adding to it);
* **one account, any addresses** (`Limits.account`): distributed guessing — this one locks the
  account for everyone for a while, the price of stopping it.

A sign-in refused by the limiter is not checked and not counted. A successful sign-in clears
the failures of its pair. Rows older than the window are purged as new failures come in.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, func, or_, select
from sqlalchemy.orm import Session

from notnow.errors import RateLimited
from notnow.storage.tables import LoginFailure


@dataclass(frozen=True)
class Limits:
    pair: int = 5
    address: int = 50
    account: int = 20
    window: timedelta = timedelta(minutes=15)


LIMITS = Limits()


def email_key(email: str) -> str:
    """What is stored of the email typed: a hash (a password typed there is never kept)."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def client_key(client: str | None) -> str:
    return (client or "?")[:64]


def check(s: Session, key: str, client: str, now: datetime, limits: Limits = LIMITS) -> None:
    """Raise RateLimited when one of the three counts has reached its limit."""
    since = now - limits.window
    pair = and_(LoginFailure.email_key == key, LoginFailure.client == client)
    counts = s.execute(
        select(func.coalesce(func.sum(case((pair, 1), else_=0)), 0),
               func.coalesce(func.sum(case((LoginFailure.client == client, 1), else_=0)), 0),
               func.coalesce(func.sum(case((LoginFailure.email_key == key, 1), else_=0)), 0))
        .where(LoginFailure.at > since,
               or_(LoginFailure.email_key == key, LoginFailure.client == client))).one()
    rules = ((pair, limits.pair), (LoginFailure.client == client, limits.address),
             (LoginFailure.email_key == key, limits.account))
    for count, (which, limit) in zip(counts, rules, strict=True):
        if int(count) >= limit:
            rows = select(LoginFailure.at).where(LoginFailure.at > since, which)
            oldest = s.scalar(rows.order_by(LoginFailure.at.desc()).offset(limit - 1).limit(1))
            wait = max(1, math.ceil(((oldest or now) + limits.window - now).total_seconds()))
            raise RateLimited(f"too many failed sign-ins; try again in {wait} s",
                              retry_after=wait)


def failed(s: Session, key: str, client: str, now: datetime, limits: Limits = LIMITS) -> None:
    """Count a failure (and forget those older than the window)."""
    s.execute(delete(LoginFailure).where(LoginFailure.at <= now - limits.window))
    s.add(LoginFailure(email_key=key, client=client, at=now))


def succeeded(s: Session, key: str, client: str) -> None:
    """A right password clears its pair's failures (not the address's or the account's)."""
    s.execute(delete(LoginFailure).where(LoginFailure.email_key == key,
                                         LoginFailure.client == client))
