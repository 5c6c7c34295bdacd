"""Retention: a business may have clients who were not seen for more than N months pseudonymised.

"Seen" is a client's latest appointment start (a future booking keeps them active), or when they were
registered if they never booked. Months are calendar months counted back from today in UTC: on 31 May,
"3 months" means since 28 (or 29) February, the last day that month has.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime

from ..errors import ValidationError

MIN_MONTHS, MAX_MONTHS = 6, 240  # under half a year would erase seasonal clients; 20 years is "keep"


@dataclass(frozen=True)
class ClientSeen:
    """A client seen at `at` (written with a new client: the stream raises it with each appointment)."""

    business_id: str
    client_id: str
    at: datetime


def checked_months(value: object) -> int | None:
    """The setting as sent: null (off) or whole months between MIN_MONTHS and MAX_MONTHS."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("a whole number of months, or null for off", field="retention_months",
                              code="invalid_number")
    if not MIN_MONTHS <= value <= MAX_MONTHS:
        raise ValidationError(f"between {MIN_MONTHS} and {MAX_MONTHS} months", field="retention_months",
                              code="out_of_range")
    return value


def cutoff(now: datetime, months: int) -> datetime:
    """The instant `months` calendar months before `now`: clients last seen before it are idle."""
    total = now.year * 12 + now.month - 1 - months
    year, month = divmod(total, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def last_seen(created_at: datetime | None, starts: list[datetime]) -> datetime | None:
    """When a client was last seen, from their registration and their appointments' starts."""
    found = [t for t in [created_at, *starts] if t is not None]
    return max(found) if found else None
