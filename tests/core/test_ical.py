"""iCalendar export: stable UIDs, time zones, descriptions with the why; read back by parsers."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from notnow.core.ical import CalendarItem, event_uid, render_calendar
from notnow.core.model import Channel, FollowUpFacts, FollowUpStatus

STAMP = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
ITEMS = [
    CalendarItem(FollowUpFacts(7, 1, date(2026, 12, 1), Channel.EMAIL, "Check back with Anna",
                               FollowUpStatus.DUE, rule="check-back",
                               why="They said not now; time hint \"in December\""),
                 "Anna Berg", "Acme GmbH", "Europe/Berlin"),
    CalendarItem(FollowUpFacts(8, 2, date(2026, 12, 2), Channel.CALL, "Call Bo",
                               FollowUpStatus.DUE), "Bo", None, "America/New_York"),
]


def test_round_trip_through_the_icalendar_parser() -> None:
    data = render_calendar(ITEMS, workspace_id="ws-1", stamp=STAMP)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    cal = Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2
    first = events[0]
    start = first.decoded("dtstart")
    assert (start.hour, str(start.tzinfo)) == (10, "Europe/Berlin")
    assert start.date() == date(2026, 12, 1)
    assert "Why: They said not now" in str(first.get("description"))
    assert "Rule: check-back" in str(first.get("description"))
    assert str(first.get("summary")) == "Email: Anna Berg (Acme GmbH)"
    zones = {str(tz.get("tzid")) for tz in cal.walk("VTIMEZONE")}
    assert zones == {"Europe/Berlin", "America/New_York"}


def test_uids_are_stable_and_distinct() -> None:
    once = render_calendar(ITEMS, workspace_id="ws-1", stamp=STAMP)
    again = render_calendar(ITEMS, workspace_id="ws-1", stamp=STAMP)
    assert once == again
    assert event_uid("ws-1", 7) == event_uid("ws-1", 7) != event_uid("ws-2", 7)
    uids = [str(e.get("uid")) for e in Calendar.from_ical(once).walk("VEVENT")]
    assert uids == [event_uid("ws-1", 7), event_uid("ws-1", 8)]


KHAL_CONFIG = """[calendars]
[[notnow]]
path = {path}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = UTC
default_timezone = UTC
"""


@pytest.mark.skipif(shutil.which("khal") is None, reason="khal (a real calendar client) absent")
def test_khal_imports_the_file_and_shows_local_times(tmp_path: Path) -> None:
    ics = tmp_path / "followups.ics"
    ics.write_bytes(render_calendar(ITEMS, workspace_id="ws-1", stamp=STAMP))
    (tmp_path / "cal").mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(KHAL_CONFIG.format(path=tmp_path / "cal"))

    def khal(*args: str) -> str:
        done = subprocess.run(["khal", "-c", str(config), *args], capture_output=True,
                              text=True, check=True, timeout=60)
        return done.stdout

    assert "2 events found" in khal("printics", str(ics))
    khal("import", "--batch", "-a", "notnow", str(ics))
    shown = khal("list", "2026-12-01", "3d")
    # 10:00 in Berlin and in New York, shown in UTC by khal.
    assert "09:00-09:15 Email: Anna Berg (Acme GmbH)" in shown
    assert "15:00-15:15 Call: Bo" in shown
    assert "Why: They said not now" in shown
    # Importing the same export again updates the events rather than adding copies.
    khal("import", "--batch", "-a", "notnow", str(ics))
    assert len(list((tmp_path / "cal").iterdir())) == 2
