"""The bulk path's copies of storage's guard say what the guard says (docs/architecture.md: a
path that inserts contacts with Core keeps the keys and consults the suppression list itself).

On random contacts and suppression lists, on both backends: ``identity_values_many`` gives each
contact the normal forms and the do-not-contact mark (since when, why, from where) that the
session guard gives the same contact at its flush; ``suppressed_since_many`` is
``suppressed_since`` for each; ``check_row`` refuses what ``check_values`` refuses.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notnow.core.identity import digest, identities
from notnow.errors import InvalidInput
from notnow.storage import guards
from notnow.storage.tables import Account, Contact, Deal, Suppression

EMAILS = ["ana@acme.example", "Ana+news@ACME.example", "ben@acme.example", "not-an-address",
          "cleo@bäckerei.example", None]
PHONES = ["+49 30 1234567", "030 1234567", "+1 415 555 0100", "(415) 555-0100", "12", None]
LINKEDIN = ["https://www.linkedin.com/in/ana-ruiz/", "linkedin.com/in/Ana-Ruiz", "nope", None]
COUNTRIES = [None, "DE", "US", "FR"]
T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


@st.composite
def worlds(draw: Any) -> tuple[list[tuple[str, str, int]], list[dict[str, Any]]]:
    """Identities on the list (as a contact would give them, with a country and a day), and
    the contacts to add."""
    listed = draw(st.lists(st.tuples(st.sampled_from(EMAILS + PHONES + LINKEDIN),
                                     st.sampled_from(COUNTRIES), st.integers(0, 30)),
                           max_size=5))
    people = draw(st.lists(st.fixed_dictionaries({
        "email": st.sampled_from(EMAILS), "phone": st.sampled_from(PHONES),
        "linkedin": st.sampled_from(LINKEDIN), "country": st.sampled_from(COUNTRIES)}),
        min_size=1, max_size=6))
    return [(str(v), c or "", d) for v, c, d in listed if v is not None], people


def _suppress(s: Any, listed: list[tuple[str, str, int]]) -> None:
    key = guards.suppression_key(s, create=True)
    assert key is not None
    seen: set[tuple[str, str]] = set()
    for value, country, day in listed:
        for i in identities(email=value, phone=value, linkedin=value, country=country or None):
            d = digest(key, i)
            if (i.kind.value, d) not in seen:
                seen.add((i.kind.value, d))
                s.add(Suppression(kind=i.kind.value, digest=d, source="manual",
                                  created_at=T0 + timedelta(days=day)))
    s.flush()


class _Rollback(Exception):
    pass


def test_bulk_identity_marks_are_the_guards_on_random_contacts(ws: Any) -> None:
    @settings(max_examples=40, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(worlds())
    def check(world: tuple[list[tuple[str, str, int]], list[dict[str, Any]]]) -> None:
        listed, people = world
        try:
            with ws.db.write() as s:
                _suppress(s, listed)
                bulk = guards.identity_values_many(
                    s, [{k: p[k] for k in ("email", "phone", "linkedin")} for p in people],
                    [p["country"] for p in people])
                since = guards.suppressed_since_many(
                    s, [identities(email=p["email"], phone=p["phone"], linkedin=p["linkedin"],
                                   country=p["country"]) for p in people])
                for p, got, hit in zip(people, bulk, since, strict=True):
                    found = identities(email=p["email"], phone=p["phone"],
                                       linkedin=p["linkedin"], country=p["country"])
                    assert hit == guards.suppressed_since(s, found)
                    acc = Account(name="Acme", country=p["country"], created_at=T0)
                    c = Contact(name="Ana", email=p["email"], phone=p["phone"],
                                linkedin=p["linkedin"], account=acc, created_at=T0)
                    s.add(c)
                    s.flush()  # the guard: keys and the suppression list
                    stored = {"email_key": c.email_key, "phone_key": c.phone_key,
                              "linkedin_key": c.linkedin_key}
                    if c.dnc_at is not None:
                        stored.update(dnc_at=c.dnc_at, dnc_reason=c.dnc_reason,
                                      dnc_source=c.dnc_source, held_at=None, hold_reason=None)
                    if got.get("dnc_at") is not None:
                        got = {**got, "dnc_at": got["dnc_at"].astimezone(UTC)}
                        stored["dnc_at"] = stored["dnc_at"].astimezone(UTC)
                    assert got == stored, (p, listed)
                    s.delete(c)
                    s.delete(acc)
                    s.flush()
                raise _Rollback
        except _Rollback:
            pass

    check()


@pytest.mark.parametrize("model,values", [
    (Contact, {"name": "x" * 301}),
    (Contact, {"name": "Ana", "title": "a\x00b"}),
    (Contact, {"name": "Ana", "email": "ana@acme.example"}),
    (Deal, {"offer": "Pilot", "value": Decimal("1000000000000")}),
    (Deal, {"offer": "Pilot", "value": Decimal("999999999999.99")}),
    (Account, {"name": "Acme", "employees": 2**31}),
    (Account, {"name": "Acme", "employees": 2**31 - 1}),
])
def test_check_row_refuses_what_check_values_refuses(model: Any, values: dict[str, Any]) -> None:
    def outcome(fn: Any) -> str | None:
        try:
            fn()
        except InvalidInput as exc:
            return f"{exc.field}: {exc.message}"
        return None

    assert outcome(lambda: guards.check_row(model, values)) == \
        outcome(lambda: guards.check_values(model(**values)))
