"""One change to the agenda as a plain value: everything it writes, decided before anything is written.

The use case builds it (`agenda_change`, then each feature adds its rows with `adding`); the store only
translates it into one transaction, all or nothing. Locks are per resource kind, so a second kind
(a desk) is one more entry in `Appointment.resources`, not a new write path.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from .booking import lock_units
from .events import Event, events_of, held_time
from .model import Appointment, Client, ResourceRef

MAX_TRANSACTION_ITEMS = 100  # DynamoDB's limit on one transaction


@dataclass(frozen=True, order=True)
class LockUnit:
    """One 5-minute unit of one resource's time: the store keeps one lock item per unit held."""

    resource_kind: str
    resource_id: str
    start: datetime  # UTC

    @property
    def resource(self) -> ResourceRef:
        return ResourceRef(self.resource_kind, self.resource_id)


@dataclass(frozen=True)
class Expected:
    """A row written with the change only if the stored row's `attribute` still equals `value` (a waiting-list
    request still waiting, a freed time still offered): otherwise the whole change is refused."""

    record: Any
    attribute: str
    value: Any


@dataclass(frozen=True)
class AgendaChange:
    before: Appointment | None  # None: a new appointment
    after: Appointment
    by: str  # "client", a staff id, or "system"
    events: tuple[Event, ...]
    claims: frozenset[LockUnit]  # units only `after` holds: taken, exclusively unless booked on top
    releases: frozenset[LockUnit]  # units only `before` held: given back
    new_client: Client | None = None  # registered with the booking (their contact keys are claimed)
    records: tuple[Any, ...] = ()  # rows that belong to the change, each new (outbox, audit, search...)
    removals: tuple[Any, ...] = ()  # rows the change makes stale
    expected: tuple[Expected, ...] = ()  # rows written only if still as read
    hold: str | None = None  # a hold (domain/openings.py) whose claimed units this appointment takes over

    @property
    def is_new(self) -> bool:
        return self.before is None

    @property
    def size(self) -> int:
        """How many items its transaction writes; DynamoDB takes at most 100 in one."""
        client = 0 if self.new_client is None else 1 + len([c for c in (self.new_client.email, self.new_client.phone) if c])
        return (1 + client + len(self.records) + len(self.removals) + len(self.expected) + len(self.claims)
                + len(self.releases))

    def adding(self, *records: Any) -> "AgendaChange":
        return replace(self, records=self.records + tuple(r for r in records if r is not None))

    def removing(self, *records: Any) -> "AgendaChange":
        return replace(self, removals=self.removals + tuple(records))


def agenda_change(before: Appointment | None, after: Appointment, *, by: str,
                  new_client: Client | None = None) -> AgendaChange:
    """The change from `before` to `after`: its events, and the lock units to claim and to release.
    Units both versions hold stay put."""
    held_before, held_after = held_units(before), held_units(after)
    return AgendaChange(before=before, after=after, by=by, events=events_of(before, after, by),
                        claims=frozenset(held_after - held_before), releases=frozenset(held_before - held_after),
                        new_client=new_client)


def held_units(appointment: Appointment | None) -> set[LockUnit]:
    """The lock units an appointment (or a hold seen as one) keeps in its current state."""
    return {LockUnit(resource.kind, resource.id, unit)
            for resource, busy in held_time(appointment).items() for unit in lock_units(busy)}
