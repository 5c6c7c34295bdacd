"""Desks in availability: 10 desks x 20 professionals x 31 days with 2,000 appointments.

Engine CPU for a service that requires a desk against the same service without one (the same
appointments): desks are a second pool of the same sweep, so they must not double the engine's cost.
Then the DynamoDB calls of the warm public request under moto: the desks' busy time lives in the same
busy-day items and the desks in the catalog's partition, so the count stays what it was.
"""
from __future__ import annotations

import random
import statistics
import time
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

DESKS, STAFF, DAYS, APPOINTMENTS = 10, 20, 31, 2000
RATIO_GOAL = 2.0  # desks must not double the engine's cost
NOW = datetime(2026, 3, 23, 7, 0, tzinfo=timezone.utc)  # Monday 08:00 in Madrid
FIRST_DAY = date(2026, 3, 24)
HOURS = {d: [["09:00", "14:00"], ["15:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}


def scenario(desks: int = DESKS, staff_count: int = STAFF, appointment_count: int = APPOINTMENTS, seed: int = 12):
    """(business, service, staff, desks, appointments): 30-minute appointments at random free half hours,
    each at the free desk with the lowest number then (no desk holds two at once)."""
    from chalicelib.domain.calendar import UTC, WeeklyHours, local_instant
    from chalicelib.domain.desks import Desk
    from chalicelib.domain.model import Appointment, AppointmentStatus, BookingRules, Business, Service, Source, Staff

    business = Business(
        id="biz_desks", slug="desks", name="Desks", timezone="Europe/Madrid", locale="es", currency="EUR",
        opening_hours=WeeklyHours.from_json({d: [["09:00", "20:00"]] for d in HOURS}),
        rules=BookingRules(slot_step_minutes=15, min_notice_minutes=60, horizon_days=60),
    )
    hours = WeeklyHours.from_json(HOURS)
    service = Service("svc_wash", "Lavado", 30, Decimal("15.00"), buffer_after_minutes=5, requires_desk=True)
    staff = tuple(Staff(f"stf_{i:02d}", f"Pro {i:02d}", frozenset({service.id}), hours) for i in range(staff_count))
    found_desks = tuple(Desk(f"dsk_{n:02d}", n, frozenset({service.id}), hours, description=f"Basin {n}")
                        for n in range(1, desks + 1))
    cells = [(member.id, local_instant(FIRST_DAY + timedelta(days=d), minute, business.tz))
             for member in staff for d in range(DAYS) if (FIRST_DAY + timedelta(days=d)).weekday() < 6
             for start, end in hours.on(FIRST_DAY + timedelta(days=d)) for minute in range(start, end - 29, 30)]
    taken: dict[datetime, int] = {}
    created = datetime(2026, 3, 1, tzinfo=UTC)
    appointments = []
    for staff_id, start in random.Random(seed).sample(cells, len(cells)):
        if len(appointments) == appointment_count:
            break
        desk_number = taken.get(start, 0) + 1
        if desk_number > desks:
            continue
        taken[start] = desk_number
        span, busy = service.occupies(start)
        appointments.append(Appointment(
            reference=f"DSK{len(appointments):07d}", business_id=business.id, client_id="cli_bench",
            service_id=service.id, staff_id=staff_id, start=span.start, end=span.end, busy=busy,
            status=AppointmentStatus.CONFIRMED, source=Source.ONLINE, price=service.price, currency="EUR",
            created_at=created, updated_at=created, desk_id=found_desks[desk_number - 1].id))
    return business, service, staff, found_desks, appointments


def engine(repeats: int) -> dict:
    """CPU of slots_around with the desk pool and without it (the same busy time), median of `repeats`."""
    from chalicelib.domain.booking import slots_around
    from chalicelib.domain.busy import busy_by_resource
    from chalicelib.domain.model import Catalog

    business, service, staff, desks, appointments = scenario()
    plain = replace(service, requires_desk=False)
    catalog = Catalog(business, staff, (service,), desks=desks)
    busy = busy_by_resource(appointments)
    last = FIRST_DAY + timedelta(days=DAYS - 1)
    with_desks, without = [], []
    for _ in range(repeats + 1):  # the first run warms caches and is dropped
        began = time.process_time()
        found = slots_around(catalog, service, staff, busy, FIRST_DAY, last, NOW)
        with_desks.append(time.process_time() - began)
        began = time.process_time()
        alone = slots_around(catalog, plain, staff, busy, FIRST_DAY, last, NOW)
        without.append(time.process_time() - began)
    desk_ms, staff_ms = statistics.median(with_desks[1:]) * 1000, statistics.median(without[1:]) * 1000
    return {"appointments": len(appointments), "desk_ms": desk_ms, "staff_ms": staff_ms, "ratio": desk_ms / staff_ms,
            "slots": len(found), "slots_without": len(alone)}


def seed(store, business, service, staff, desks, appointments) -> None:
    """The business in moto, its appointments written in batches with their busy days (as bench/calls.py)."""
    from chalicelib.repositories import busy_days
    from chalicelib.repositories.codecs import appointment_item
    from chalicelib.repositories.tables import AppointmentItem
    from chalicelib.repositories.transactions import connection

    store.save_business(business)
    store.save_service(business.id, service)
    for member in staff:
        store.save_staff(business.id, member)
    for desk in desks:
        store.save_desk(business.id, desk)
    with AppointmentItem.batch_write() as batch:
        for appointment in appointments:
            batch.save(appointment_item(appointment))
    busy_days.put_all(connection().client, AppointmentItem.Meta.table_name, busy_days.rebuilt(appointments))


def availability_path(slug: str, days: int) -> str:
    last = FIRST_DAY + timedelta(days=days - 1)
    return f"/public/{slug}/availability?service=svc_wash&staff=any&from={FIRST_DAY}&to={last}"


def calls() -> list[dict]:
    """Warm availability requests under moto, counted: 1, 7 and 31 days, the full salon and one with a
    single desk and professional."""
    from chalice.test import Client

    from .counting import counting_dynamodb_calls
    from .world import moto_store

    rows = []
    with moto_store(NOW) as store:
        business, service, staff, desks, appointments = scenario()
        seed(store, business, service, staff, desks, appointments)
        small = replace(business, id="biz_desk1", slug="desk1")
        seed(store, small, service, staff[:1], desks[:1], [])
        from app import app

        with Client(app, stage_name="dev") as client:
            for slug, label in (("desks", f"{DESKS} desks, {STAFF} staff"), ("desk1", "1 desk, 1 staff")):
                client.http.get(availability_path(slug, 1))  # warm: the slug is cached
                for days in (1, 7, 31):
                    with counting_dynamodb_calls() as counted:
                        response = client.http.get(availability_path(slug, days))
                    rows.append({"case": f"{label}, {days} days", "status": response.status_code,
                                 "calls": len(counted), "slots": len(response.json_body.get("slots", [])),
                                 "detail": "; ".join(str(c) for c in counted)})
    return rows
