"""Holidays worked out once are kept in the workspace folder and read back in later runs.

Importing `holidays` and working out a country's first year cost a `notnow log` about 0.1 s;
a run that finds them kept does neither. What is read back must be exactly what `holidays`
says, and a damaged or foreign file must never change a business day.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notnow.core import businessdays as bd


@pytest.fixture
def kept(tmp_path: Path) -> Iterator[Path]:
    before = bd._kept["folder"]
    bd._calendar.cache_clear()
    bd.keep_calendars_in(tmp_path)
    yield tmp_path
    bd._calendar.cache_clear()
    bd.keep_calendars_in(before)


def _file(folder: Path) -> Path:
    [path] = folder.glob("holidays-*.json")
    return path


PLACES = [("US", None), ("DE", "BY"), ("GB", None), ("UK", None), ("JP", None), ("FR", None),
          ("IN", None), ("ZZ", None), ("US", "XX"), ("us", None)]


@settings(max_examples=25, deadline=None)
@given(place=st.sampled_from(PLACES), year=st.integers(min_value=2020, max_value=2035))
def test_a_kept_calendar_is_the_one_worked_out(tmp_path_factory: pytest.TempPathFactory,
                                               place: tuple[str, str | None],
                                               year: int) -> None:
    """Read back from the file by a process that has not worked it out, a calendar is the
    same set of days as `holidays` gives (unknown countries and subdivisions included)."""
    folder = tmp_path_factory.mktemp("kept")
    before = bd._kept["folder"]
    try:
        bd._calendar.cache_clear()
        bd.keep_calendars_in(folder)
        worked_out = bd._calendar(place[0], place[1], year)
        assert worked_out == bd._work_out(place[0], place[1], year)
        bd._calendar.cache_clear()  # as a new run: only the file holds it
        bd.keep_calendars_in(None)
        bd.keep_calendars_in(folder)
        assert bd._calendar(place[0], place[1], year) == worked_out
    finally:
        bd._calendar.cache_clear()
        bd.keep_calendars_in(before)


def test_a_later_run_reads_the_file_and_not_holidays(tmp_path: Path) -> None:
    code = ("import sys\nfrom datetime import date\nfrom pathlib import Path\n"
            "from notnow.core import businessdays as bd\n"
            f"bd.keep_calendars_in(Path({str(tmp_path)!r}))\n"
            "print(bd.is_business_day(date(2026, 12, 25), 'DE'), "
            "bd.is_business_day(date(2026, 12, 28), 'DE'), 'holidays' in sys.modules)\n")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.split()
    assert first == ["False", "True", "True"]
    assert os.stat(_file(tmp_path)).st_mode & 0o077 == 0  # only its owner reads it
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    assert second == ["False", "True", "False"]


@pytest.mark.parametrize("content", [
    "{not json", "[]", '{"[\\"DE\\", null, 2026]": "2026-12-28"}',
    '{"[\\"DE\\", null, 2026]": ["2026-12-28", 5]}', '{"[\\"DE\\", null, 2026]": ["soon"]}'])
def test_a_damaged_file_is_ignored_and_written_again(kept: Path, content: str) -> None:
    bd.is_business_day(date(2026, 1, 5), "US")  # makes the file
    _file(kept).write_text(content)
    bd.keep_calendars_in(None)
    bd.keep_calendars_in(kept)
    bd._calendar.cache_clear()
    assert not bd.is_business_day(date(2026, 12, 25), "DE")
    assert bd.is_business_day(date(2026, 12, 28), "DE")
    written = json.loads(_file(kept).read_text())
    assert "2026-12-25" in written[json.dumps(["DE", None, 2026])]


def test_an_unwritable_folder_only_costs_time(tmp_path: Path) -> None:
    missing = tmp_path / "gone" / "cache"
    before = bd._kept["folder"]
    try:
        bd._calendar.cache_clear()
        bd.keep_calendars_in(missing)
        assert not bd.is_business_day(date(2026, 7, 3), "US")  # Independence Day, observed
        assert not missing.exists()
    finally:
        bd._calendar.cache_clear()
        bd.keep_calendars_in(before)


def test_the_workspace_keeps_them_in_its_own_folder(ws) -> None:  # type: ignore[no-untyped-def]
    folder = ws.config.home / "cache"
    assert bd._kept["folder"] == folder
    assert folder.is_dir() and folder.stat().st_mode & 0o077 == 0


def test_threads_working_calendars_out_at_once_keep_them_all(
        kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server's threads work out calendars at the same time: none fails, and the kept file
    ends up holding every one of them (the writes take turns, each holding all that was
    known before it; on a slow disk an earlier write could otherwise land last)."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    replace, calls = os.replace, []

    def slow_replace(src: str, dst: Path) -> None:
        calls.append(src)
        if len(calls) == 1:  # the first write is slow: the others are done before it lands
            time.sleep(0.2)
        replace(src, dst)

    monkeypatch.setattr(os, "replace", slow_replace)

    places = [(c, y) for c in ("US", "DE", "FR", "GB", "JP", "IT", "ES", "NL") for y in
              range(2024, 2030)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda p: bd._calendar(p[0], None, p[1]), places))
    assert all(got)
    written = json.loads(_file(kept).read_text())
    assert {json.dumps([c, None, y]) for c, y in places} <= set(written)
