"""Time a change of hours gives back, as `time_freed` events for the waiting list (domain/openings.py).

An appointment cancelled frees its busy time; a change to the calendar frees working time: time off
removed, weekly hours widened (a professional's, a desk's, the business's opening hours), a closure or
special hours removed or widened. What counts is only what is newly workable: each professional's and
desk's working windows as the availability engine sees them (week within the opening hours, special
days, time off, a desk's holidays and operator) after the change, minus the same before it, from now to
the end of the booking horizon (no request can be offered a time the booking page would not take).
Narrowing hours frees nothing. The events travel on the change's audit entry, written in the change's
own transaction, so the table's stream hands them to subscribers once the change has committed.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Iterable

from .audit import AuditEntry
from .availability import Resource, working_time
from .booking import horizon_end, staff_resource
from .calendar import Interval
from .desks import Desk, desk_pool
from .events import Event, EventName
from .model import Business, Catalog, ResourceRef, Staff
from .special_days import SpecialDays

MAX_FREED = 100  # intervals told per change, soonest first: each is looked up in the waiting list


def freed_time(before: Catalog, after: Catalog, now: datetime) -> list[tuple[ResourceRef, Interval]]:
    """(resource, interval) newly workable after the change, soonest first."""
    business = after.business
    tz = business.tz
    first, last = now.astimezone(tz).date(), horizon_end(business, now).astimezone(tz).date()
    span = Interval(now, horizon_end(business, now))
    was = _resources(before, first, last)
    found = []
    for ref, resource in _resources(after, first, last).items():
        if was.get(ref) == resource:
            continue  # the same week, time off and special days: nothing changed for it
        old = working_time(was[ref], tz, first, last) if ref in was else []
        for window in working_time(resource, tz, first, last):
            for piece in _outside(window, old):
                if piece.overlaps(span):
                    found.append((ref, Interval(max(piece.start, span.start), min(piece.end, span.end))))
    return sorted(found, key=lambda f: (f[1].start, f[0].kind, f[0].id))[:MAX_FREED]


def freed_events(before: Catalog, after: Catalog, entry: AuditEntry) -> AuditEntry:
    """The audit entry of a calendar change, carrying the `time_freed` events of the time it gives back."""
    reference = f"{entry.target_kind}:{entry.target_id}"
    events = tuple(Event(EventName.TIME_FREED, reference, entry.business_id, entry.at, entry.actor_id,
                         resource=ref, interval=interval)
                   for ref, interval in freed_time(before, after, entry.at))
    return replace(entry, events=events) if events else entry


def with_change(catalog: Catalog, value: Business | Staff | Desk | SpecialDays) -> Catalog:
    """The catalog with one record as a change leaves it (the business, a professional, a desk, the
    special days), to compare with the catalog as read."""
    if isinstance(value, Business):
        return replace(catalog, business=value)
    if isinstance(value, SpecialDays):
        return replace(catalog, special_days=value)
    name = "staff" if isinstance(value, Staff) else "desks"
    records = getattr(catalog, name)
    kept = tuple(value if r.id == value.id else r for r in records)
    return replace(catalog, **{name: kept if value in kept else kept + (value,)})


def _resources(catalog: Catalog, first, last) -> dict[ResourceRef, Resource]:
    staff = {ResourceRef("staff", m.id): staff_resource(catalog, m, {}, first, last) for m in catalog.staff}
    open_desks = [d for d in catalog.desks if d.open]
    desks = {ResourceRef(r.kind, r.id): r for r in desk_pool(catalog, open_desks, {}, first, last)}
    return staff | desks


def _outside(window: Interval, holes: Iterable[Interval]) -> list[Interval]:
    pieces = [window]
    for hole in holes:
        pieces = [part for piece in pieces for part in piece.minus(hole)]
    return pieces
