"""The agenda's row is a plain dataclass (so that `notnow agenda` needs no Pydantic): nothing
coerces its fields, so the service must build them with their declared types, and the CLI's
JSON of a row must be what the API (Pydantic) writes for it."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import UTC, timedelta, timezone
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from actors import owner_of
from notnow.core.model import Channel, Label, Role
from notnow.services.demo.load import load_demo
from notnow.services.followups.agenda import agenda
from notnow.services.followups.item import AgendaItem

ZONES = st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5,
                                                                               minutes=-30))])
TEXT = st.text(max_size=30)
ITEMS = st.builds(
    AgendaItem, followup_id=st.integers(1, 10**9), due=st.dates(),
    overdue_days=st.integers(-400, 400), contact_id=st.integers(1, 10**9), contact_name=TEXT,
    contact_role=st.sampled_from(Role), account_id=st.integers(0, 10**9), account_name=TEXT,
    channel=st.sampled_from(Channel), purpose=TEXT, why=st.none() | TEXT,
    label=st.none() | st.sampled_from(Label),
    score=st.none() | st.floats(allow_nan=False, allow_infinity=False, width=32),
    ripeness=st.none() | TEXT, last_touch=st.none() | st.datetimes(timezones=ZONES))


@given(ITEMS)
def test_a_rows_json_is_what_pydantic_writes_for_it(item: AgendaItem) -> None:
    assert item.to_json() == TypeAdapter(AgendaItem).dump_python(item, mode="json")


def _is(value: Any, hint: Any) -> bool:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return any(_is(value, h) for h in typing.get_args(hint))
    if hint is type(None):
        return value is None
    return isinstance(value, hint) and not (hint is int and isinstance(value, bool))


def test_the_agendas_rows_carry_their_declared_types(ws: Any) -> None:
    """On SQLite and PostgreSQL (raw values differ: ISO text, enums as text)."""
    owner = owner_of(ws)
    load_demo(ws, owner)
    items = agenda(ws, owner, ws.today())
    hints = typing.get_type_hints(AgendaItem)
    assert items
    for item in items:
        for f in dataclasses.fields(AgendaItem):
            value = getattr(item, f.name)
            assert _is(value, hints[f.name]), (f.name, value)
        assert item.last_touch is None or item.last_touch.utcoffset() == timedelta(0)
