"""Availability engine CPU time: a busy salon's slots for "any" professional, pure Python, no I/O."""
from __future__ import annotations

import random
import statistics
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

from chalicelib.domain.booking import ANY, candidates, slots
from chalicelib.domain.calendar import UTC, WeeklyHours, days_between, local_instant
from chalicelib.domain.model import (
    Appointment,
    AppointmentStatus,
    BookingRules,
    Business,
    Catalog,
    Service,
    Source,
    Staff,
)

FIRST_DAY = date(2026, 3, 23)  # a Monday; the range crosses the 29 March DST change in Madrid
HOURS = {d: [["09:00", "14:00"], ["15:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}


def scenario(days: int, staff_count: int, appointment_count: int, seed: int = 7):
    """A catalog of `staff_count` professionals and `appointment_count` non-overlapping 30-minute
    appointments at random free half hours of the range's working time."""
    business = Business(
        id="biz_bench", slug="bench", name="Bench", timezone="Europe/Madrid", locale="es", currency="EUR",
        opening_hours=WeeklyHours.from_json({d: [["09:00", "20:00"]] for d in HOURS}),
        rules=BookingRules(slot_step_minutes=15, min_notice_minutes=60, horizon_days=60),
    )
    hours = WeeklyHours.from_json(HOURS)
    service = Service("svc_cut", "Corte", 30, Decimal("25.00"), buffer_after_minutes=5)
    staff = tuple(Staff(f"stf_{i:02d}", f"Pro {i:02d}", frozenset({service.id}), hours) for i in range(staff_count))
    catalog = Catalog(business, staff, (service,))
    last_day = FIRST_DAY + timedelta(days=days - 1)
    half_hours = [
        (member.id, local_instant(day, minute, business.tz))
        for member in staff
        for day in days_between(FIRST_DAY, last_day)
        for start, end in hours.on(day)
        for minute in range(start, end - 29, 30)
    ]
    if appointment_count > len(half_hours):
        raise ValueError("more appointments than free half hours")
    created = datetime(2026, 3, 1, tzinfo=UTC)
    appointments = []
    for n, (staff_id, start) in enumerate(random.Random(seed).sample(half_hours, appointment_count)):
        span, busy = service.occupies(start)
        appointments.append(Appointment(
            reference=f"REF{n:06d}", business_id=business.id, client_id=f"cli_{n}", service_id=service.id,
            staff_id=staff_id, start=span.start, end=span.end, busy=busy, status=AppointmentStatus.CONFIRMED,
            source=Source.ONLINE, price=service.price, currency="EUR", created_at=created, updated_at=created,
        ))
    now = local_instant(FIRST_DAY, 0, business.tz) - timedelta(hours=2)
    return catalog, service, appointments, last_day, now


def measure(days: int, staff_count: int, appointment_count: int, repeats: int) -> dict:
    catalog, service, appointments, last_day, now = scenario(days, staff_count, appointment_count)
    found = []
    times = []
    for _ in range(repeats + 1):  # the first run warms caches (zoneinfo, bytecode) and is dropped
        began = time.process_time()
        found = slots(catalog, service, candidates(catalog, service, ANY), appointments, FIRST_DAY, last_day, now)
        times.append(time.process_time() - began)
    times = sorted(times[1:])
    return {
        "days": days, "staff": staff_count, "appointments": appointment_count, "repeats": repeats,
        "min_ms": times[0] * 1000,
        "median_ms": statistics.median(times) * 1000,
        "p90_ms": times[min(len(times) - 1, round(0.9 * (len(times) - 1)))] * 1000,
        "slots": len(found),
        "staff_slots": sum(len(s.staff) for s in found),
    }


CASES = [
    (14, 10, 500),  # the case the issue asks about
    (14, 10, 0),
    (31, 10, 1100),  # the longest range the API serves, at about the same occupancy
    (14, 1, 50),
]


def run(repeats: int = 30) -> list[dict]:
    return [measure(days, staff, appointments, repeats) for days, staff, appointments in CASES]
