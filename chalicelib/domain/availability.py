"""The availability engine: which start times can take a service, and who is free for each.

An appointment needs one free member of every *pool* of resources: today the pool of professionals
who perform the service; a service that also needs a desk, room or machine adds a second pool of
`Resource`s of another kind, and nothing here changes. A resource is free for a start time when the
appointment lies inside one of its working windows (weekly hours, opening hours, a date's special
hours or closure instead of the week's, minus time off;
windows that touch, such as Friday 20:00-24:00 and Saturday 00:00-02:00, are one) and its
busy interval (the appointment widened by the service's buffers) overlaps nothing already booked.

Slot starts sit on the business's local wall-clock grid (multiples of the slot step after local
midnight). All arithmetic on instants is done in UTC, so elapsed durations are exact across DST.

How it is fast: inside, an instant is a whole number of minutes since the Unix epoch (UTC), so every
comparison is on ints. Each resource is one sort-and-sweep: its windows and busy time sorted once,
its grid starts walked in order with a pointer into its busy time. A window with one UTC offset
throughout (all but the few that span a DST change) has its grid as plain arithmetic; only the rest
ask the time zone minute by minute. Cost: linear in resources x days, plus the busy intervals' sort.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from .calendar import UTC, Interval, WeeklyHours, days_between, local_instant

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Minutes = tuple[int, int]  # [start, end) in minutes since the epoch, UTC
DAY = 24 * 60


def epoch_minute(instant: datetime) -> int:
    """An aware instant as whole minutes since the epoch (seconds are dropped: the grid is in minutes)."""
    return int((instant - EPOCH).total_seconds()) // 60


def instant(minute: int) -> datetime:
    return datetime.fromtimestamp(minute * 60, UTC)


@dataclass(frozen=True)
class Resource:
    """Something an appointment needs free: a professional, a desk (domain/desks.py)."""

    kind: str
    id: str
    hours: WeeklyHours  # already narrowed to the business's opening hours
    time_off: tuple[Interval, ...] = ()
    busy: tuple[Minutes, ...] = ()  # busy time (buffers included) of what it already holds, epoch minutes
    # dates whose hours are not the week's (closures, special hours: domain/special_days.py), as
    # (date, that day's intervals in local minutes); () on a date is closed
    days: tuple[tuple[date, tuple[tuple[int, int], ...]], ...] = ()


class Slot:
    """A bookable start, and who of each kind is free for it. Equal when start and end are (the
    engine makes thousands: a plain class with slots costs a third of a frozen dataclass)."""

    __slots__ = ("start", "end", "free", "minutes")

    def __init__(self, start: datetime, end: datetime, free: dict[str, tuple[str, ...]],
                 minutes: Minutes | None = None) -> None:
        self.start, self.end = start, end
        self.free = free  # kind -> ids free at this start
        self.minutes = minutes  # (start, end) in epoch minutes, as the engine knows them: the answer is written from them

    @property
    def staff(self) -> tuple[str, ...]:
        return self.free.get("staff", ())

    @property
    def desks(self) -> tuple[str, ...]:
        return self.free.get("desk", ())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Slot) and (self.start, self.end) == (other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.start, self.end))

    def __repr__(self) -> str:
        return f"Slot({self.start.isoformat()}, {self.end.isoformat()}, {self.free})"


class LocalTimes:
    """Instants as ISO strings in a business's zone ('2026-03-24T10:00:00+01:00', as isoformat writes
    them), for thousands of slots. The zone is asked twice per UTC day (its offset at the day's first
    and last minute; a zone changes at most once a day, as `_grid` assumes too): a day with one offset
    throughout is arithmetic; a day with a change asks once per quarter hour of UTC (every transition
    in the tz database falls on one). Each instant's text is written once and kept in `texts`."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self.texts: dict[int, str] = {}  # epoch minute -> its text
        self._day_offsets: dict[int, tuple[int, str] | None] = {}  # UTC day -> its one offset, None if it changes
        self._offsets: dict[int, tuple[int, str]] = {}  # quarter hour -> offset, on days with a change
        self._days: dict[int, str] = {}  # local day (days since the epoch) -> '2026-03-24'

    def iso(self, moment: datetime) -> str:
        if moment.second or moment.microsecond:
            return moment.astimezone(self.tz).isoformat()
        return self.minute(epoch_minute(moment))

    def minute(self, minute: int) -> str:
        """An epoch minute's text."""
        text = self.texts.get(minute)
        if text is None:
            text = self.texts[minute] = self._write(minute)
        return text

    def _write(self, minute: int) -> str:
        offset = self._day_offset(minute // DAY)
        if offset is None:
            offset = self._offsets.get(minute // 15)
            if offset is None:
                offset = self._offsets[minute // 15] = self._offset(minute)
        day, clock = divmod(minute + offset[0], DAY)
        date_text = self._days.get(day)
        if date_text is None:
            date_text = self._days[day] = (EPOCH.date() + timedelta(days=day)).isoformat()
        return f"{date_text}T{CLOCK[clock]}:00{offset[1]}"

    def _day_offset(self, day: int) -> tuple[int, str] | None:
        if day not in self._day_offsets:
            first, last = self._offset(day * DAY), self._offset(day * DAY + DAY - 1)
            self._day_offsets[day] = first if first == last else None
        return self._day_offsets[day]

    def _offset(self, minute: int) -> tuple[int, str]:
        return _offset_text(instant(minute).astimezone(self.tz).utcoffset())


CLOCK = [f"{m // 60:02d}:{m % 60:02d}" for m in range(DAY)]  # minute of the day -> 'HH:MM'


def _offset_text(offset: timedelta) -> tuple[int, str]:
    minutes = int(offset.total_seconds()) // 60
    return minutes, f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


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
    frame = _Frame(query)
    free_by_pool = [_free_in_pool(pool, frame) for pool in query.pools]
    lead, others = free_by_pool[0], free_by_pool[1:]
    kinds = [pool[0].kind for pool in query.pools]
    duration = timedelta(minutes=query.duration_minutes)
    slots = []
    for start in sorted(lead):
        free = {kinds[0]: tuple(lead[start])}
        for kind, found in zip(kinds[1:], others):
            ids = found.get(start)
            if not ids:
                break
            free[kind] = tuple(ids)
        else:
            at = instant(start)
            slots.append(Slot(at, at + duration, free, (start, start + query.duration_minutes)))
    return slots


def working_time(resource: Resource, tz: ZoneInfo, first_day: date, last_day: date) -> list[Interval]:
    """A resource's working windows over local days `first_day`..`last_day` (a day either side too), time
    off taken out and busy time ignored: what a change of hours is compared by (domain/freed_time.py)."""
    query = SlotQuery(tz, first_day, last_day, 0, 0, 0, 1, EPOCH, EPOCH, ())
    return [Interval(instant(start), instant(end)) for start, end in _Frame(query)._windows(resource)]


class _Frame:
    """The query's range, grid and the service's shape in epoch minutes, and the grids it has worked
    out (professionals mostly share their hours: each distinct week is turned into starts once)."""

    def __init__(self, query: SlotQuery) -> None:
        self.query = query
        self.tz = query.tz
        self.first = epoch_minute(local_instant(query.first_day, 0, query.tz))  # local midnight, first day
        self.last = epoch_minute(local_instant(query.last_day, DAY, query.tz))  # local midnight after the last
        # a start is a whole minute: one at or after a notice ending mid-minute is the next minute
        self.earliest = _minute_at_or_after(query.earliest)
        self.latest = _minute_at_or_after(query.latest)  # no start at or after it
        self.duration, self.step = query.duration_minutes, query.step_minutes
        self.before, self.after = query.buffer_before_minutes, query.buffer_after_minutes
        self.ignore_busy = query.ignore_busy
        self._grids: dict[tuple, list[int]] = {}
        self._instants: dict[tuple[date, int], int] = {}

    def offset(self, minute: int) -> int:
        """The zone's UTC offset in minutes at an epoch minute."""
        return int(instant(minute).astimezone(self.tz).utcoffset().total_seconds()) // 60

    def grid(self, resource: Resource) -> list[int]:
        """The resource's starts, in order, as far as its windows, notice and horizon go."""
        key = (resource.hours, resource.time_off, resource.days)
        found = self._grids.get(key)
        if found is None:
            found = self._grids[key] = [s for s in _grid(self._windows(resource), self)
                                        if self.earliest <= s < self.latest]
        return found

    def _windows(self, resource: Resource) -> list[Minutes]:
        """The resource's working windows over the range, time off taken out, touching ones merged."""
        query = self.query
        windows = []
        special = dict(resource.days)
        # A day either side: a shift that ends at midnight goes on into the next day's 00:00 window,
        # and touching windows merge (below), so a service may run across midnight.
        for day in days_between(query.first_day - timedelta(days=1), query.last_day + timedelta(days=1)):
            for start, end in special.get(day, resource.hours.on(day)):
                windows.append((self._local(day, start), self._local(day, end)))
        if resource.time_off:
            holes = sorted((epoch_minute(t.start), epoch_minute(t.end)) for t in resource.time_off)
            windows = [piece for window in windows for piece in _minus(window, holes)]
        return _merge(windows)

    def _local(self, day: date, minute: int) -> int:
        found = self._instants.get((day, minute))
        if found is None:
            found = self._instants[(day, minute)] = epoch_minute(local_instant(day, minute, self.tz))
        return found


def _minute_at_or_after(moment: datetime) -> int:
    return epoch_minute(moment) + (1 if moment.second or moment.microsecond else 0)


def _free_in_pool(pool: Sequence[Resource], frame: _Frame) -> dict[int, list[str]]:
    """start minute -> ids of the pool's members free then, in the pool's order."""
    found: dict[int, list[str]] = {}
    for resource in pool:
        rid = resource.id
        for start in _free_starts(resource, frame):
            ids = found.get(start)
            if ids is None:
                found[start] = [rid]
            else:
                ids.append(rid)
    return found


def _free_starts(resource: Resource, frame: _Frame) -> list[int]:
    """One resource's sweep: its grid with the starts each busy interval rules out cut away.

    A start is ruled out by busy time [b0, b1) when its own busy time [start - before, start + duration
    + after) overlaps it: b0 - duration - after < start < b1 + before. The busy intervals are sorted
    and merged, so the ruled-out stretches of the grid come in order and two bisects find each."""
    grid = frame.grid(resource)
    if frame.ignore_busy or not resource.busy:
        return grid
    busy = _merge(list(resource.busy))
    reach_back, reach_on = frame.duration + frame.after, frame.before
    free: list[int] = []
    kept = 0  # grid[kept:] is not ruled out so far
    for start, end in busy:
        cut = bisect_right(grid, start - reach_back, kept)
        free += grid[kept:cut]
        kept = max(kept, bisect_left(grid, end + reach_on, cut))
    free += grid[kept:]
    return free


def _grid(windows: list[Minutes], frame: _Frame) -> Iterable[int]:
    """Starts on the local grid at which the service fits inside a window, in time order.

    Taken a day at a time (a zone changes its offset at most once a day): a day with one offset
    throughout is plain arithmetic, one with a change asks the zone at each step."""
    duration, step = frame.duration, frame.step
    for window_start, window_end in windows:
        start = max(window_start, frame.first)
        stop = min(window_end - duration, frame.last - 1)  # the last start allowed in this window
        while start <= stop:
            piece_stop = min(stop, start + DAY)
            offset = frame.offset(start)
            if offset == frame.offset(piece_stop):
                yield from range(start + (-(start + offset)) % step, piece_stop + 1, step)
            else:
                minute = _align_up(start, frame)
                while minute <= piece_stop:
                    yield minute
                    minute = _align_up(minute + step, frame)
            start = piece_stop + 1


def _align_up(minute: int, frame: _Frame) -> int:
    """The first minute at or after `minute` whose local wall-clock minute is a multiple of the step."""
    for _ in range(2):  # a second pass only when a DST change moved the grid under us
        late = (minute + frame.offset(minute)) % frame.step
        if not late:
            break
        minute += frame.step - late
    return minute


def _merge(intervals: list[Minutes]) -> list[Minutes]:
    intervals.sort()
    merged: list[Minutes] = []
    for start, end in intervals:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _minus(window: Minutes, holes: list[Minutes]) -> list[Minutes]:
    """The parts of a window outside every hole."""
    pieces = [window]
    for hole_start, hole_end in holes:
        pieces = [part for start, end in pieces
                  for part in ((start, min(end, hole_start)), (max(start, hole_end), end)) if part[0] < part[1]]
    return pieces
