"""Professionals' working time over a period, for utilisation = hours booked / working hours.

Computed from the catalog, never stored: each local day's weekly hours turned into instants in the
business's time zone (so a day with a DST change has its real length), minus the professional's time off.
The weekly hours used are today's: a past period is measured against the hours in force now.
"""
from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from .calendar import Interval, local_instant
from .model import Staff


def working_minutes(member: Staff, first: date, last: date, tz: ZoneInfo) -> int:
    """Minutes the professional works on the local days first..last (both included), time off taken out."""
    total = 0
    day = first
    while day <= last:
        for start, end in member.hours.on(day):
            pieces = [Interval(local_instant(day, start, tz), local_instant(day, end, tz))]
            for hole in member.time_off:
                pieces = [part for piece in pieces for part in piece.minus(hole)]
            total += sum(piece.minutes for piece in pieces)
        day += timedelta(days=1)
    return total
