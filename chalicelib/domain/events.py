"""What happened to the agenda, as facts other features react to.

A change to an appointment records its events (`events_of`); they travel on the appointment's own
item, so the table's stream carries them to subscribers (jobs/stream.py) exactly when the change
committed. Features subscribe to events instead of being called from the write path.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from .calendar import Interval
from .model import Appointment, AppointmentStatus as S, ResourceRef


class EventName(str, Enum):
    BOOKED = "appointment_booked"
    APPROVED = "appointment_approved"
    REJECTED = "appointment_rejected"
    CANCELLED = "appointment_cancelled"
    MOVED = "appointment_moved"  # another time, another professional, or both
    CHECKED_IN = "appointment_checked_in"
    COMPLETED = "appointment_completed"
    NO_SHOW = "appointment_no_show"
    TIME_FREED = "time_freed"  # a resource's busy time given back (cancelled, rejected, moved away), or working
    # time a calendar change opens (time off removed, hours widened: domain/freed_time.py)


# Status changes that are events of their own; moving and freeing time are found by comparing.
_BY_STATUS = {
    (S.PENDING, S.CONFIRMED): EventName.APPROVED,
    (S.PENDING, S.REJECTED): EventName.REJECTED,
    (S.CONFIRMED, S.ARRIVED): EventName.CHECKED_IN,
    (S.ARRIVED, S.COMPLETED): EventName.COMPLETED,
    (S.CONFIRMED, S.COMPLETED): EventName.COMPLETED,
    (S.CONFIRMED, S.NO_SHOW): EventName.NO_SHOW,
}


@dataclass(frozen=True)
class Event:
    name: EventName
    reference: str
    business_id: str
    at: datetime
    by: str  # "client", a staff id, or "system"
    resource: ResourceRef | None = None  # time_freed: whose time
    interval: Interval | None = None  # time_freed: the busy time given back

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name.value, "reference": self.reference,
                                "business_id": self.business_id, "at": self.at.isoformat(), "by": self.by}
        if self.resource is not None:
            data["resource"] = {"kind": self.resource.kind, "id": self.resource.id}
        if self.interval is not None:
            data["interval"] = [self.interval.start.isoformat(), self.interval.end.isoformat()]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Event":
        resource = data.get("resource")
        interval = data.get("interval")
        return cls(
            name=EventName(data["name"]), reference=data["reference"], business_id=data["business_id"],
            at=datetime.fromisoformat(data["at"]), by=data["by"],
            resource=ResourceRef(resource["kind"], resource["id"]) if resource else None,
            interval=Interval(*map(datetime.fromisoformat, interval)) if interval else None,
        )


def held_time(appointment: Appointment | None) -> dict[ResourceRef, Interval]:
    """The busy time (buffers included) each resource gives this appointment in its current state."""
    if appointment is None or not appointment.status.holds_time:
        return {}
    return {resource: appointment.busy for resource in appointment.resources}


def events_of(before: Appointment | None, after: Appointment, by: str) -> tuple[Event, ...]:
    """The events of one change, in the order they happened."""
    def event(name: EventName, **more) -> Event:
        return Event(name, after.reference, after.business_id, after.updated_at, by, **more)

    found: list[Event] = []
    if before is None:
        found.append(event(EventName.BOOKED))
    elif before.status is not after.status:
        if after.status is S.CANCELLED:
            found.append(event(EventName.CANCELLED))
        elif (before.status, after.status) in _BY_STATUS:
            found.append(event(_BY_STATUS[(before.status, after.status)]))
    if before is not None and after.status.holds_time and (
            before.start != after.start or before.resources != after.resources):
        found.append(event(EventName.MOVED))
    now_held = held_time(after)
    for resource, busy in held_time(before).items():
        for freed in busy.minus(now_held[resource]) if resource in now_held else [busy]:
            found.append(event(EventName.TIME_FREED, resource=resource, interval=freed))
    return tuple(found)
