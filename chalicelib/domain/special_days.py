"""Special days: the business's closures and the special opening hours of a date.

A *closure* (a national holiday, the salon's own days off) is one entry for the whole business: every
professional and every desk stops working on its days, with no entry per person. It is one date or a
range, optionally every year ("25 December", "24 December - 6 January"); a yearly closure on 29 February
happens in leap years only (it is that day that is closed, not "the last day of February").

*Special hours* replace the weekly hours on one date, for the business or for one resource (a
professional, a desk: any kind, by id): "open 10:00-14:00 on 24 December", several intervals, or none
(closed). A professional's time that day is their own hours (special if they have some, else weekly)
within the business's (special if it has some, else the opening hours); a closure wins over both.

These are stored with the catalog (repositories/special_days.py), so availability reads them with the
catalog's one query, and the engine gets them as date overrides of a resource's weekly hours.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from ..errors import ValidationError
from .calendar import WeeklyHours, days_between, intersect_day

BUSINESS = "business"  # the scope kind of an entry for the whole business
Hours = tuple[tuple[int, int], ...]  # one day's open intervals, minutes after local midnight
MAX_CLOSURE_DAYS = 366
MAX_ENTRIES = 500  # closures plus special hours per business: they ride on every availability read


@dataclass(frozen=True)
class Closure:
    """The business closed from `first_day` to `last_day` (both included), every year if `yearly`."""

    id: str
    name: str
    first_day: date
    last_day: date
    yearly: bool = False

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValidationError("the last day must not be before the first", field="last_day")
        if (self.last_day - self.first_day).days + 1 > (364 if self.yearly else MAX_CLOSURE_DAYS):
            raise ValidationError("a closure lasts less than a year", field="last_day", code="too_long")

    def covers(self, day: date) -> bool:
        if not self.yearly:
            return self.first_day <= day <= self.last_day
        start, end, at = _month_day(self.first_day), _month_day(self.last_day), _month_day(day)
        if self.first_day.year == self.last_day.year:
            return start <= at <= end
        return at >= start or at <= end  # the range runs over the new year: 24 Dec - 6 Jan

    def days(self, first: date, last: date) -> list[date]:
        """Its days within [first, last]."""
        return [day for day in days_between(first, last) if self.covers(day)]


@dataclass(frozen=True)
class SpecialHours:
    """The hours of one date for the business (`kind` "business") or one resource, replacing its week's."""

    id: str
    day: date
    hours: Hours  # () is closed
    kind: str = BUSINESS
    resource_id: str = ""
    name: str = ""

    @property
    def scope(self) -> tuple[str, str]:
        return self.kind, self.resource_id


@dataclass(frozen=True)
class SpecialDays:
    closures: tuple[Closure, ...] = ()
    hours: tuple[SpecialHours, ...] = ()

    @cached_property
    def _by_scope(self) -> dict[tuple[str, str], dict[date, SpecialHours]]:
        found: dict[tuple[str, str], dict[date, SpecialHours]] = {}
        for entry in self.hours:
            found.setdefault(entry.scope, {})[entry.day] = entry
        return found

    def closure_on(self, day: date) -> Closure | None:
        return next((c for c in self.closures if c.covers(day)), None)

    def special(self, day: date, kind: str = BUSINESS, resource_id: str = "") -> SpecialHours | None:
        return self._by_scope.get((kind, resource_id), {}).get(day)

    def business_hours(self, day: date, weekly: WeeklyHours) -> Hours:
        """The business's open intervals on a date: closed on a closure, else its special or weekly hours."""
        if self.closure_on(day) is not None:
            return ()
        special = self.special(day)
        return special.hours if special is not None else weekly.on(day)

    def overrides(self, kind: str, resource_id: str, own: WeeklyHours, opening: WeeklyHours, first: date,
                  last: date) -> tuple[tuple[date, Hours], ...]:
        """The dates in [first, last] on which a resource's time is not its own week within the opening
        hours, with its time then: what the availability engine takes as `Resource.days`."""
        if not self.closures and not self.hours:
            return ()
        mine = self._by_scope.get((kind, resource_id), {})
        found = []
        for day in days_between(first, last):
            closed = self.closure_on(day) is not None
            business = self.special(day)
            if not closed and business is None and day not in mine:
                continue
            if closed:
                found.append((day, ()))
                continue
            own_day = mine[day].hours if day in mine else own.on(day)
            business_day = business.hours if business is not None else opening.on(day)
            found.append((day, intersect_day(own_day, business_day)))
        return tuple(found)

    def closed_days(self, first: date, last: date, opening: WeeklyHours) -> list[tuple[date, str]]:
        """The dates in [first, last] the business does not open because of a closure or special hours
        (a weekday it never opens is not listed: the week says so), with the closure's name."""
        found = []
        for day in days_between(first, last):
            closure = self.closure_on(day)
            special = self.special(day)
            if closure is not None:
                found.append((day, closure.name))
            elif special is not None and not special.hours:
                found.append((day, special.name))
        return found


def _month_day(day: date) -> tuple[int, int]:
    return day.month, day.day


def lookahead(today: date, years: int) -> date:
    """How far ahead a yearly closure is checked against the agenda."""
    return today + timedelta(days=366 * years)
