"""Time as a salon thinks of it: weekly hours in local wall-clock time, instants in UTC.

Every instant the domain stores or compares is an aware UTC datetime; local wall-clock time only
exists while turning a business's weekly hours into instants for one date (see `local_instant`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Mapping
from zoneinfo import ZoneInfo

from ..errors import ValidationError

UTC = timezone.utc
DAY_MINUTES = 24 * 60
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


@dataclass(frozen=True, order=True)
class Interval:
    """Half-open [start, end) between two aware instants."""

    start: datetime
    end: datetime

    def overlaps(self, other: "Interval") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Interval") -> bool:
        return self.start <= other.start and other.end <= self.end

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def minus(self, hole: "Interval") -> list["Interval"]:
        """The parts of this interval outside `hole` (none, one or two)."""
        if not self.overlaps(hole):
            return [self]
        parts = []
        if self.start < hole.start:
            parts.append(Interval(self.start, hole.start))
        if hole.end < self.end:
            parts.append(Interval(hole.end, self.end))
        return parts


def local_instant(day: date, minute_of_day: int, tz: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock minute on a local date (1440 is the next midnight).

    A wall time skipped by a DST change resolves with the offset in force before the change,
    so a shift "02:00-04:00" on a spring-forward night becomes 03:00-04:00 local.
    """
    wall = datetime.combine(day, time()) + timedelta(minutes=minute_of_day)
    return wall.replace(tzinfo=tz).astimezone(UTC)


def minute_of_day(instant: datetime, tz: ZoneInfo) -> int:
    local = instant.astimezone(tz)
    return local.hour * 60 + local.minute


def parse_clock(value: str, *, field: str) -> int:
    """'09:30' -> 570 minutes after midnight; '24:00' is allowed as the end of a day."""
    match = _CLOCK.match(value) if isinstance(value, str) else None
    minutes = int(match.group(1)) * 60 + int(match.group(2)) if match else -1
    if not match or minutes > DAY_MINUTES:
        raise ValidationError(f"{value!r} is not a time of day like '09:30'", field=field)
    return minutes


def parse_intervals(pairs: Iterable[Iterable[str]], *, field: str) -> tuple[tuple[int, int], ...]:
    """One day's open intervals, [['09:00', '13:00'], ['14:00', '18:00']], in order and apart."""
    if not isinstance(pairs, (list, tuple)):
        raise ValidationError("a day's hours are a list of pairs like ['09:00', '13:00']", field=field)
    intervals: list[tuple[int, int]] = []
    for i, pair in enumerate(pairs):
        where = f"{field}[{i}]"
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValidationError("an interval is a pair like ['09:00', '13:00']", field=where)
        start, end = parse_clock(pair[0], field=where), parse_clock(pair[1], field=where)
        if start >= end:
            raise ValidationError("an interval must end after it starts", field=where)
        if intervals and start < intervals[-1][1]:
            raise ValidationError("intervals must be in order and must not overlap", field=where)
        intervals.append((start, end))
    return tuple(intervals)


def intervals_json(intervals: Iterable[tuple[int, int]]) -> list[list[str]]:
    return [[format_clock(s), format_clock(e)] for s, e in intervals]


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class WeeklyHours:
    """Open intervals per weekday (0 = Monday), in minutes after local midnight.

    Breaks are the gaps between a day's intervals; a weekday with no intervals is a day off.
    """

    days: tuple[tuple[tuple[int, int], ...], ...] = ((),) * 7

    @classmethod
    def from_json(cls, data: Mapping[str, Iterable[Iterable[str]]], *, field: str = "hours") -> "WeeklyHours":
        if not isinstance(data, Mapping):
            raise ValidationError("weekly hours must be an object keyed by weekday", field=field)
        unknown = set(data) - set(WEEKDAYS)
        if unknown:
            raise ValidationError(f"unknown weekday {sorted(unknown)[0]!r}", field=field)
        return cls(tuple(parse_intervals(data.get(name) or (), field=f"{field}.{name}") for name in WEEKDAYS))

    def to_json(self) -> dict[str, list[list[str]]]:
        return {
            WEEKDAYS[i]: intervals_json(intervals)
            for i, intervals in enumerate(self.days)
            if intervals
        }

    def on(self, day: date) -> tuple[tuple[int, int], ...]:
        return self.days[day.weekday()]

    def intersect(self, other: "WeeklyHours") -> "WeeklyHours":
        return WeeklyHours(tuple(intersect_day(a, b) for a, b in zip(self.days, other.days)))


def intersect_day(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """The times open in both of two days' intervals."""
    out = []
    for s1, e1 in a:
        for s2, e2 in b:
            start, end = max(s1, s2), min(e1, e2)
            if start < end:
                out.append((start, end))
    return tuple(sorted(out))


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def subtract(hours: WeeklyHours, breaks: WeeklyHours) -> WeeklyHours:
    """Working hours with the breaks taken out (a break may also lie outside the hours: then it is moot)."""
    days = []
    for spans, gaps in zip(hours.days, breaks.days):
        pieces = list(spans)
        for gap_start, gap_end in gaps:
            pieces = [part for start, end in pieces for part in ((start, min(end, gap_start)), (max(start, gap_end), end))
                      if part[0] < part[1]]
        days.append(tuple(sorted(pieces)))
    return WeeklyHours(tuple(days))


def breaks_of(hours: WeeklyHours) -> dict[str, list[list[str]]]:
    """The gaps between a day's working intervals: the breaks, as the backoffice shows them."""
    return {
        WEEKDAYS[i]: [[format_clock(a[1]), format_clock(b[0])] for a, b in zip(spans, spans[1:])]
        for i, spans in enumerate(hours.days) if len(spans) > 1
    }
