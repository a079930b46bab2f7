"""The agenda's rows rendered one by one and reused while their item is unchanged
(`web.pages.agenda.agenda_rows`) are the rows the whole template renders."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notnow.core.model import Channel, Label, Role
from notnow.services.followups.item import AgendaItem
from notnow.web.agenda_view import make_view
from notnow.web.followup_actions import SNOOZE_CHOICES

TODAY = date(2026, 12, 7)
words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                max_size=40)
items = st.builds(
    AgendaItem, followup_id=st.integers(1, 50), due=st.dates(TODAY - timedelta(days=30),
                                                              TODAY + timedelta(days=7)),
    overdue_days=st.integers(-7, 30), contact_id=st.integers(1, 9), contact_name=words,
    contact_role=st.sampled_from(Role), account_id=st.integers(1, 5), account_name=words,
    channel=st.sampled_from(Channel), purpose=words, why=st.none() | words,
    label=st.none() | st.sampled_from(Label), score=st.none() | st.floats(0, 100),
    ripeness=st.none() | words,
    last_touch=st.none() | st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 6),
                                        timezones=st.just(UTC)))


def _whole(env: Any, shown_items: list[AgendaItem]) -> str:
    return str(env.get_template("_agenda_rows.html").render(
        items=shown_items, today=TODAY, snooze_choices=SNOOZE_CHOICES, groups=None))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=st.lists(items, max_size=8), second=st.lists(items, max_size=8),
       keep=st.integers(0, 8))
def test_rows_one_by_one_are_the_whole_template(first: list[AgendaItem],
                                                second: list[AgendaItem], keep: int) -> None:
    from notnow.web.app import HERE
    from notnow.web.pages.agenda import agenda_rows
    from notnow.web.render import make_templates

    env = make_templates(HERE / "templates", team=False).env
    shown = make_view(TODAY)
    assert str(agenda_rows(env, first, shown)) == _whole(env, first)
    again = first[:keep] + second  # some rows reused, some new
    assert str(agenda_rows(env, again, shown)) == _whole(env, again)
