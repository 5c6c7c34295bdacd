"""Desks: wash basins, colour stations, a clinic's rooms, a public office's counters.

A desk is the engine's second kind of resource (`Resource("desk", ...)`), not a special case: a service
that requires one gets a second pool, and the booking claims the desk's time in the same transaction
as the professional's (its lock units and busy-day entries are filed under kind "desk").

A desk with an operator (one of the staff) is free only when its operator is: its pool member carries
the operator's hours, time off and busy time as well as its own.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Mapping, Sequence

from ..errors import NotFoundError
from .availability import Minutes, Resource
from .calendar import Interval, WeeklyHours, intersect_day, local_instant

if TYPE_CHECKING:
    from .model import Appointment, Catalog, ResourceRef, Service

DESK = "desk"
ANY_DESK = "any"


@dataclass(frozen=True, order=True)
class Holiday:
    """Days a desk is closed, first to last included; `yearly` repeats them every year (25 Dec - 6 Jan)."""

    first: date
    last: date
    yearly: bool = False

    def occurrences(self, first: date, last: date) -> list[tuple[date, date]]:
        """The (first, last) day pairs of this holiday that touch [first, last]."""
        if not self.yearly:
            return [(self.first, self.last)] if self.first <= last and first <= self.last else []
        found = []
        for year in range(first.year - 1, last.year + 1):
            start = _same_day(self.first, year)
            end = _same_day(self.last, year + (self.last.year - self.first.year))
            if start <= last and first <= end:
                found.append((start, end))
        return found

    def covers(self, day: date) -> bool:
        return bool(self.occurrences(day, day))

    def to_json(self) -> dict:
        return {"first": self.first.isoformat(), "last": self.last.isoformat(), "yearly": self.yearly}


def _same_day(day: date, year: int) -> date:
    """The day in another year (29 February becomes the 28th where there is none)."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


@dataclass(frozen=True)
class Desk:
    id: str
    number: int  # unique in the business; "anyone" takes the free desk with the lowest number
    service_ids: frozenset[str]
    hours: WeeklyHours
    operator_id: str | None = None  # a staff id: the desk works when they do
    description: str = ""  # what a desk without an operator is ("wash basin by the window")
    open: bool = True  # a closed desk takes no appointments
    holidays: tuple[Holiday, ...] = ()

    def performs(self, service_id: str) -> bool:
        return service_id in self.service_ids

    @property
    def label(self) -> str:
        """How people call it: "3 · Colour station"."""
        return f"{self.number} · {self.description}" if self.description else str(self.number)

    def closed_on(self, day: date) -> bool:
        return any(h.covers(day) for h in self.holidays)


def seated(appointment: "Appointment", catalog: "Catalog", desk_id: str | None) -> "Appointment":
    """The appointment at `desk_id` (None: at no desk), holding the desk's operator's time as well when
    another professional works there: the one place an appointment's desk is set."""
    desk = catalog.desk(desk_id)
    operator = desk.operator_id if desk is not None and desk.operator_id != appointment.staff_id else None
    return replace(appointment, desk_id=desk_id, operator_id=operator)


def compatible_desks(catalog: "Catalog", service: "Service", desk_id: str | None = None) -> tuple[Desk, ...]:
    """The open desks that can take the service, lowest number first; one named (`desk_id`), or all."""
    able = tuple(d for d in catalog.desks if d.open and d.performs(service.id))
    if desk_id in (None, ANY_DESK):
        return able
    chosen = tuple(d for d in able if d.id == desk_id)
    if not chosen:
        raise NotFoundError("no such open desk for this service", field="desk")
    return chosen


def desk_pool(catalog: "Catalog", desks: Sequence[Desk], busy: Mapping["ResourceRef", Sequence[Minutes]],
              first_day: date, last_day: date) -> list[Resource]:
    """The engine's pool of desks, lowest number first: each desk's hours within the business's, its
    holidays as time off over the range, and (with an operator) the operator's hours, time off and busy time."""
    from .model import ResourceRef

    business, special = catalog.business, catalog.special_days
    around = (first_day - timedelta(days=1), last_day + timedelta(days=1))  # the engine looks a day either side
    pool = []
    for desk in desks:
        hours, time_off = desk.hours.intersect(business.opening_hours), list(holiday_intervals(desk, business.tz,
                                                                                              first_day, last_day))
        held = list(busy.get(ResourceRef(DESK, desk.id), ()))
        days = special.overrides(DESK, desk.id, desk.hours, business.opening_hours, *around)
        operator = catalog.member(desk.operator_id) if desk.operator_id else None
        if desk.operator_id and operator is None:
            continue  # its operator left the team: nobody works it
        if operator is not None:
            hours = hours.intersect(operator.hours)
            time_off += operator.time_off
            held += busy.get(ResourceRef("staff", operator.id), ())
            days = _both(days, special.overrides("staff", operator.id, operator.hours, business.opening_hours,
                                                 *around), desk.hours, operator.hours)
        pool.append(Resource(DESK, desk.id, hours, tuple(sorted(time_off)), tuple(held), days))
    return pool


def _both(desk_days, operator_days, desk_hours: WeeklyHours, operator_hours: WeeklyHours):
    """Special dates of a desk and of its operator, together: on each, the time both work."""
    mine, theirs = dict(desk_days), dict(operator_days)
    return tuple((day, intersect_day(mine.get(day, desk_hours.on(day)), theirs.get(day, operator_hours.on(day))))
                 for day in sorted(set(mine) | set(theirs)))


def holiday_intervals(desk: Desk, tz, first_day: date, last_day: date) -> list[Interval]:
    """A desk's holidays touching the range (a day either side), as instants from local midnight to midnight."""
    wide_first, wide_last = first_day - timedelta(days=1), last_day + timedelta(days=1)
    return [Interval(local_instant(a, 0, tz), local_instant(b + timedelta(days=1), 0, tz))
            for h in desk.holidays for a, b in h.occurrences(wide_first, wide_last)]
