"""Busy time as availability reads it: each resource's busy minutes, per UTC day, per appointment.

The store keeps one small item per resource and UTC day with one entry per appointment (its busy
minutes, buffers included), written in the change's own transaction. Availability then reads a month
of a fifty-professional salon in one query page, not every appointment with everything it carries.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

from .availability import DAY, Minutes, epoch_minute
from .events import held_time
from .model import Appointment, ResourceRef

EPOCH_DAY = date(1970, 1, 1)


@dataclass(frozen=True)
class BusyMark:
    """One appointment's busy time on one resource, filed under the UTC day it starts."""

    resource: ResourceRef
    reference: str
    start: int  # epoch minutes, UTC
    end: int

    @property
    def day(self) -> date:
        return EPOCH_DAY + timedelta(days=self.start // DAY)

    @property
    def place(self) -> tuple[ResourceRef, date]:
        """Which resource-day item holds it."""
        return self.resource, self.day


def busy_marks(appointment: Appointment | None) -> dict[tuple[ResourceRef, date], BusyMark]:
    """The marks an appointment leaves in its current state (none once it no longer holds time), by place."""
    marks = (BusyMark(resource, appointment.reference, epoch_minute(busy.start), epoch_minute(busy.end))
             for resource, busy in held_time(appointment).items())
    return {mark.place: mark for mark in marks}


def busy_by_resource(appointments: Iterable[Appointment]) -> dict[ResourceRef, list[Minutes]]:
    """What each resource's appointments keep it busy for: the engine's input, from whole appointments."""
    busy: dict[ResourceRef, list[Minutes]] = {}
    for appointment in appointments:
        for mark in busy_marks(appointment).values():
            busy.setdefault(mark.resource, []).append((mark.start, mark.end))
    return busy


def day_start(day: date) -> int:
    """The epoch minute of a UTC day's midnight: marks are stored as minutes after it."""
    return (day - EPOCH_DAY).days * DAY
