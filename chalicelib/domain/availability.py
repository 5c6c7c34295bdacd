"""The availability engine: which start times can take a service, and who is free for each.

An appointment needs one free member of every *pool* of resources: today the pool of professionals
who perform the service; a service that also needs a desk, room or machine adds a second pool of
`Resource`s of another kind, and nothing here changes. A resource is free for a start time when the
appointment lies inside one of its working windows (weekly hours, opening hours, minus time off;
windows that touch, such as Friday 20:00-24:00 and Saturday 00:00-02:00, are one) and its
busy interval (the appointment widened by the service's buffers) overlaps nothing already booked.

Slot starts sit on the business's local wall-clock grid (multiples of the slot step after local
midnight). All arithmetic on instants is done in UTC, so elapsed durations are exact across DST.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from .calendar import Interval, WeeklyHours, days_between, local_instant, minute_of_day


@dataclass(frozen=True)
class Resource:
    """Something an appointment needs free: a professional now; a desk or room later."""

    kind: str
    id: str
    hours: WeeklyHours  # already narrowed to the business's opening hours
    time_off: tuple[Interval, ...] = ()
    busy: tuple[Interval, ...] = ()  # busy intervals (buffers included) of what it already holds


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    free: dict[str, tuple[str, ...]] = field(compare=False)  # kind -> ids free at this start

    @property
    def staff(self) -> tuple[str, ...]:
        return self.free.get("staff", ())


@dataclass(frozen=True)
class SlotQuery:
    tz: ZoneInfo
    first_day: date
    last_day: date
    duration_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    step_minutes: int
    earliest: datetime  # now + minimum notice
    latest: datetime  # the end of the booking horizon: no start at or after it
    pools: Sequence[Sequence[Resource]]  # one free member of each pool is needed; the first leads
    ignore_busy: bool = False  # total availability: existing appointments do not block


def free_slots(query: SlotQuery) -> list[Slot]:
    """Every bookable start in the query's local date range, in time order."""
    if not query.pools or not query.pools[0]:
        return []
    calendars = [[_Calendar.of(r, query) for r in pool] for pool in query.pools]
    starts = sorted({s for cal in calendars[0] for s in cal.aligned_starts(query)})
    duration = timedelta(minutes=query.duration_minutes)
    before, after = timedelta(minutes=query.buffer_before_minutes), timedelta(minutes=query.buffer_after_minutes)
    slots = []
    for start in starts:
        if not query.earliest <= start < query.latest:
            continue
        appointment = Interval(start, start + duration)
        busy = Interval(start - before, appointment.end + after)
        free = {}
        for pool in calendars:
            ids = tuple(c.resource.id for c in pool if c.can_take(appointment, busy, query.ignore_busy))
            if not ids:
                break
            free[pool[0].resource.kind] = ids
        else:
            slots.append(Slot(appointment.start, appointment.end, free))
    return slots


@dataclass
class _Calendar:
    """One resource's working windows and busy time over the query's range, ready for bisecting."""

    resource: Resource
    windows: list[Interval]
    busy: list[Interval]

    @classmethod
    def of(cls, resource: Resource, query: SlotQuery) -> "_Calendar":
        windows = []
        # A day either side: a shift that ends at midnight goes on into the next day's 00:00 window,
        # and touching windows merge (below), so a service may run across midnight.
        for day in days_between(query.first_day - timedelta(days=1), query.last_day + timedelta(days=1)):
            for start, end in resource.hours.on(day):
                windows.append(Interval(local_instant(day, start, query.tz), local_instant(day, end, query.tz)))
        return cls(resource, _merge(_subtract(windows, resource.time_off)), _merge(resource.busy))

    def aligned_starts(self, query: SlotQuery) -> Iterable[datetime]:
        first = local_instant(query.first_day, 0, query.tz)
        last = local_instant(query.last_day, 24 * 60, query.tz)
        duration = timedelta(minutes=query.duration_minutes)
        for window in self.windows:
            start = _align_up(max(window.start, first), query.step_minutes, query.tz)
            while start + duration <= window.end and start < last:
                yield start
                start = _align_up(start + timedelta(minutes=query.step_minutes), query.step_minutes, query.tz)

    def can_take(self, appointment: Interval, busy: Interval, ignore_busy: bool) -> bool:
        i = bisect_right(self.windows, appointment.start, key=lambda w: w.start) - 1
        if i < 0 or self.windows[i].end < appointment.end:
            return False
        if ignore_busy:
            return True
        j = bisect_left(self.busy, busy.end, key=lambda b: b.start) - 1
        return j < 0 or self.busy[j].end <= busy.start


def _align_up(instant: datetime, step: int, tz: ZoneInfo) -> datetime:
    """The first instant at or after `instant` whose local wall-clock minute is a multiple of `step`."""
    instant = instant.replace(second=0, microsecond=0) + (
        timedelta(minutes=1) if instant.second or instant.microsecond else timedelta()
    )
    for _ in range(2):  # a second pass only when a DST change moved the grid under us
        late = minute_of_day(instant, tz) % step
        if not late:
            break
        instant += timedelta(minutes=step - late)
    return instant


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for iv in sorted(intervals):
        if merged and iv.start <= merged[-1].end:
            merged[-1] = Interval(merged[-1].start, max(merged[-1].end, iv.end))
        else:
            merged.append(iv)
    return merged


def _subtract(windows: list[Interval], holes: Sequence[Interval]) -> list[Interval]:
    out = []
    for window in windows:
        pieces = [window]
        for hole in holes:
            pieces = [p for piece in pieces for p in piece.minus(hole)]
        out.extend(pieces)
    return sorted(out)
