"""Booking rules: turn a catalog and the appointments already held into free slots, and check that a
requested start is one of them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable, Mapping, Sequence

from ..errors import NotFoundError, UnprocessableError, ValidationError
from .availability import Minutes, Resource, Slot, SlotQuery, free_slots
from .busy import busy_by_resource
from .calendar import UTC, Interval, local_instant
from .desks import Desk, compatible_desks, desk_pool
from .model import Appointment, Business, Catalog, ResourceRef, Service, ServiceStatus, Staff

ANY = "any"
LOCK_UNIT_MINUTES = 5  # every start, duration and buffer is a multiple of this
MAX_BUSY_MINUTES = 240  # buffers included: one appointment's locks fit a single transaction twice over
MAX_RANGE_DAYS = 31


@dataclass(frozen=True)
class Offer:
    """Where a requested booking can go: the slot and the professionals (and desks) free for it, best first."""

    service: Service
    slot: Slot
    staff_ids: tuple[str, ...]
    desk_ids: tuple[str, ...] = ()  # for a service that requires a desk: lowest number first


def bookable_service(catalog: Catalog, service_id: str, *, backoffice: bool = False) -> Service:
    service = catalog.service(service_id)
    allowed = (ServiceStatus.ACTIVE, ServiceStatus.INTERNAL) if backoffice else (ServiceStatus.ACTIVE,)
    if service is None or service.status not in allowed:
        raise NotFoundError("no such service", field="service")
    return service


def candidates(catalog: Catalog, service: Service, staff_id: str) -> tuple[Staff, ...]:
    """The professionals a client may get: one named, or everyone who performs the service."""
    performers = catalog.performers(service.id)
    if staff_id == ANY:
        return performers
    chosen = tuple(s for s in performers if s.id == staff_id)
    if not chosen:
        raise NotFoundError("no such professional for this service", field="staff")
    return chosen


def horizon_end(business: Business, now: datetime) -> datetime:
    """Where "clients may book N days ahead" stops: the end of the N-th local day after today, the
    whole day whatever the time of day the client looks (an instant: no start at or after it)."""
    today = now.astimezone(business.tz).date()
    return local_instant(today + timedelta(days=business.rules.horizon_days + 1), 0, business.tz)


def slots(
    catalog: Catalog,
    service: Service,
    staff: Sequence[Staff],
    appointments: Iterable[Appointment],
    first_day: date,
    last_day: date,
    now: datetime,
    *,
    online: bool = True,
    desks: Sequence[Desk] | None = None,
) -> list[Slot]:
    """Free slots for `service` with any of `staff`, honouring notice and horizon when `online`."""
    return slots_around(catalog, service, staff, busy_by_resource(appointments), first_day, last_day, now,
                        online=online, desks=desks)


def slots_around(
    catalog: Catalog,
    service: Service,
    staff: Sequence[Staff],
    busy: Mapping[ResourceRef, Sequence[Minutes]],
    first_day: date,
    last_day: date,
    now: datetime,
    *,
    online: bool = True,
    desks: Sequence[Desk] | None = None,
) -> list[Slot]:
    """The same, around the busy time each resource already holds (as the store's busy days give it).
    A service that requires a desk adds the pool of its compatible open desks (or of `desks`)."""
    business = catalog.business
    rules = business.rules
    pool = [staff_resource(catalog, member, busy, first_day, last_day) for member in staff]
    pools = [pool]
    if service.requires_desk:
        chosen = compatible_desks(catalog, service) if desks is None else desks
        pools.append(desk_pool(catalog, chosen, busy, first_day, last_day))
        if not pools[1]:
            return []
    far = timedelta(days=3650)
    query = SlotQuery(
        tz=business.tz,
        first_day=first_day,
        last_day=last_day,
        duration_minutes=service.duration_minutes,
        buffer_before_minutes=service.buffer_before_minutes,
        buffer_after_minutes=service.buffer_after_minutes,
        step_minutes=rules.slot_step_minutes if online else LOCK_UNIT_MINUTES,
        earliest=now + timedelta(minutes=rules.min_notice_minutes) if online else now - far,
        latest=horizon_end(business, now) if online else now + far,
        pools=pools,
        ignore_busy=online and rules.total_availability,
    )
    return free_slots(query)


def staff_resource(catalog: Catalog, member: Staff, busy: Mapping[ResourceRef, Sequence[Minutes]],
                   first_day: date, last_day: date) -> Resource:
    """A professional as the engine sees them: their week within the opening hours, time off, busy time,
    and the special days of local days `first_day`..`last_day` (and one either side, as the engine looks)."""
    business = catalog.business
    around = (first_day - timedelta(days=1), last_day + timedelta(days=1))
    return Resource("staff", member.id, member.hours.intersect(business.opening_hours), member.time_off,
                    tuple(busy.get(ResourceRef("staff", member.id), ())),
                    catalog.special_days.overrides("staff", member.id, member.hours, business.opening_hours, *around))


def offer_for(catalog: Catalog, service: Service, staff: Sequence[Staff], start: datetime, now: datetime,
              desks: Sequence[Desk] | None = None) -> Offer:
    """The slot starting at `start` as far as hours, time off, notice and horizon go, or why not.

    Whether the professionals are still free is for the lock items to say, at write time.
    """
    if start <= now:
        raise ValidationError("that time has already passed", field="start", code="start_in_past")
    rules = catalog.business.rules
    if start >= horizon_end(catalog.business, now):
        raise ValidationError("that time is beyond how far ahead bookings are taken", field="start",
                              code="beyond_horizon")
    if start < now + timedelta(minutes=rules.min_notice_minutes):
        raise ValidationError("that time is too soon to book online", field="start", code="too_soon")
    day = start.astimezone(catalog.business.tz).date()
    found = next((s for s in slots(catalog, service, staff, (), day, day, now, desks=desks) if s.start == start),
                 None)
    if found is None:
        raise UnprocessableError("there is no slot at that time", field="start", code="not_a_slot")
    return Offer(service, found, found.staff, found.free.get("desk", ()))


def lock_units(busy: Interval) -> list[datetime]:
    """The lock-unit starts a busy interval covers: one lock item each makes overlaps impossible."""
    unit = timedelta(minutes=LOCK_UNIT_MINUTES)
    first = busy.start.astimezone(UTC)
    epoch_minutes = int(first.timestamp() // 60)
    first -= timedelta(minutes=epoch_minutes % LOCK_UNIT_MINUTES, seconds=first.second,
                       microseconds=first.microsecond)
    units = []
    while first < busy.end:
        units.append(first)
        first += unit
    return units


def check_service_shape(duration: int, before: int, after: int, *, field: str = "duration_minutes") -> None:
    """Durations and buffers are whole lock units, and one appointment's locks fit one transaction."""
    for name, value in (("duration_minutes", duration), ("buffer_before_minutes", before),
                        ("buffer_after_minutes", after)):
        if value % LOCK_UNIT_MINUTES or value < 0:
            raise ValidationError(f"must be a multiple of {LOCK_UNIT_MINUTES} minutes", field=name)
    if duration <= 0:
        raise ValidationError("a service takes some time", field=field)
    if duration + before + after > MAX_BUSY_MINUTES:
        raise ValidationError(f"a service with its buffers may take at most {MAX_BUSY_MINUTES} minutes", field=field)
