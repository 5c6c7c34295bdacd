"""A change that covers existing appointments: a closure, special hours, a desk closed or on holiday.

Such a change takes working time away from some resources (the whole business, or one resource of any
kind: a professional, a desk). The appointments still holding time there are *affected*: the change is
refused with their list unless the request says what to do with them (`on_conflict`). Nothing is ever
silently left in time that is no longer worked. This module is the pure part: which appointments, and
how the list reads; services/covering.py reads the agenda and applies the chosen strategy.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable, Mapping
from zoneinfo import ZoneInfo

from ..errors import ConflictError
from .calendar import DAY_MINUTES, Interval, local_instant
from .model import Appointment, ResourceRef

REFUSE = "refuse"  # the default: answer 409 with the list, change nothing
AFFECTED = "appointments_affected"  # the stable code of that 409


@dataclass(frozen=True)
class Covering:
    """Who stops working when: `resources` None is the whole business (every professional and desk)."""

    periods: tuple[Interval, ...]  # UTC, the time that stops being working time
    resources: frozenset[ResourceRef] | None = None

    def concerns(self, appointment: Appointment) -> bool:
        return self.resources is None or any(r in self.resources for r in appointment.resources)

    def affects(self, appointment: Appointment, now: datetime) -> bool:
        """A live appointment (holding time, not over yet) of a concerned resource that overlaps a period.
        The appointment itself, not its buffers: buffers may reach outside working hours anyway."""
        if not appointment.status.holds_time or appointment.end <= now or not self.concerns(appointment):
            return False
        span = Interval(appointment.start, appointment.end)
        return any(span.overlaps(period) for period in self.periods)


def whole_days(days: Iterable[date], tz: ZoneInfo) -> tuple[Interval, ...]:
    """Local days as UTC intervals, from midnight to the next midnight (23 or 25 hours on a DST day);
    consecutive days are one interval."""
    found: list[Interval] = []
    for day in sorted(set(days)):
        start, end = local_instant(day, 0, tz), local_instant(day, DAY_MINUTES, tz)
        if found and found[-1].end == start:
            found[-1] = Interval(found[-1].start, end)
        else:
            found.append(Interval(start, end))
    return tuple(found)


def outside(day: date, hours: Iterable[tuple[int, int]], tz: ZoneInfo) -> tuple[Interval, ...]:
    """The parts of a local day outside the given open intervals (minutes after midnight): what special
    hours take away from whatever was worked that day."""
    gaps, at = [], 0
    for start, end in sorted(hours):
        if start > at:
            gaps.append((at, start))
        at = max(at, end)
    if at < DAY_MINUTES:
        gaps.append((at, DAY_MINUTES))
    return tuple(Interval(local_instant(day, a, tz), local_instant(day, b, tz)) for a, b in gaps)


def affected(covering: Covering, appointments: Iterable[Appointment], now: datetime) -> list[Appointment]:
    """The appointments the covering would leave in time nobody works, once each, in time order."""
    unique = {a.reference: a for a in appointments if covering.affects(a, now)}
    return sorted(unique.values(), key=lambda a: (a.start, a.reference))


def listed(appointment: Appointment, client_name: str, names: Mapping[ResourceRef, str], tz: ZoneInfo) -> dict:
    """One affected appointment as the 409 (and the cancellation report) lists it."""
    return {
        "reference": appointment.reference,
        "start": appointment.start.astimezone(tz).isoformat(),
        "end": appointment.end.astimezone(tz).isoformat(),
        "status": appointment.status.value,
        "client": client_name,
        "resources": [{"kind": r.kind, "id": r.id, "name": names.get(r, "")} for r in appointment.resources],
    }


class AppointmentsAffectedError(ConflictError):
    """409: the change would leave these appointments in time nobody works; say `on_conflict` to proceed."""

    code = AFFECTED

    def __init__(self, appointments: list[dict], choices: Iterable[str]) -> None:
        options = ", ".join(f'"{c}"' for c in choices)
        super().__init__(f"{len(appointments)} appointment(s) fall in that time; send \"on_conflict\" "
                         f"({options}) to proceed", field="on_conflict")
        self.details = {"appointments": appointments}
