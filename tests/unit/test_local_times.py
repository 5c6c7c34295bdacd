"""Slot times are written through cached offsets (LocalTimes); they must read exactly as isoformat does,
across DST changes and in zones whose offsets are not whole hours."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.availability import LocalTimes


@pytest.mark.parametrize("zone, day", [
    ("Europe/Madrid", "2026-03-29"), ("Europe/Madrid", "2026-10-25"),
    ("Australia/Lord_Howe", "2026-04-05"),  # half-hour DST change
    ("Asia/Kathmandu", "2026-03-29"), ("America/St_Johns", "2026-11-01"), ("UTC", "2026-03-29"),
])
def test_every_quarter_hour_around_a_change_reads_as_isoformat(zone, day):
    tz = ZoneInfo(zone)
    local = LocalTimes(tz)
    start = datetime.fromisoformat(day).replace(tzinfo=timezone.utc) - timedelta(days=1)
    for step in range(3 * 24 * 12):
        moment = start + timedelta(minutes=5 * step)
        assert local.iso(moment) == moment.astimezone(tz).isoformat()


def test_an_instant_off_the_minute_is_written_whole():
    moment = datetime(2026, 3, 24, 9, 0, 30, tzinfo=timezone.utc)
    assert LocalTimes(ZoneInfo("Europe/Madrid")).iso(moment) == "2026-03-24T10:00:30+01:00"
