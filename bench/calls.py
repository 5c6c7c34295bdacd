"""DynamoDB calls per public request, counted under moto through the real Chalice app.

Two businesses are seeded, "one" with a single professional and "ten" with ten professionals and
500 appointments over the 31 days measured. "Warm" means the function has already served the business
once, so its slug -> id lookup is cached, as on a warm Lambda.
"""
from __future__ import annotations

import json
import random
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Iterator

from .counting import Calls, counting_dynamodb_calls
from .world import moto_store

NOW = datetime(2026, 3, 23, 7, 0, tzinfo=timezone.utc)  # Monday 08:00 in Madrid
FIRST_DAY = date(2026, 3, 24)  # Tuesday, the day after "now"
BOOKING_DAY = "2026-04-27"  # a Monday after the seeded month: always free
HOURS = {d: [["09:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}
SEEDED_APPOINTMENTS = 500


@contextmanager
def _world() -> Iterator[tuple]:
    """moto, fresh tables, a frozen clock and two seeded businesses; yields (client, store, table names)."""
    from chalice.test import Client

    from chalicelib.config import settings

    with moto_store(NOW) as store:
        _seed(store, "one", 1, 0, NOW)
        _seed(store, "ten", 10, SEEDED_APPOINTMENTS, NOW)
        from app import app

        with Client(app, stage_name="dev") as client:
            yield client, store, settings().table_name, settings().idempotency_table_name


def _seed(store, slug: str, staff_count: int, appointment_count: int, now: datetime) -> None:
    from chalicelib.domain.calendar import WeeklyHours, local_instant
    from chalicelib.domain.model import (
        Appointment, AppointmentStatus, BookingRules, Business, Service, Source, Staff,
    )
    from chalicelib.repositories import busy_days
    from chalicelib.repositories.codecs import appointment_item
    from chalicelib.repositories.transactions import connection
    from chalicelib.repositories.tables import AppointmentItem

    business = Business(
        id=f"biz_{slug}", slug=slug, name=f"Salon {slug}", timezone="Europe/Madrid", locale="es", currency="EUR",
        opening_hours=WeeklyHours.from_json(HOURS),
        rules=BookingRules(slot_step_minutes=15, min_notice_minutes=60, horizon_days=60),
    )
    store.save_business(business)
    service = Service("svc_cut", "Corte", 30, Decimal("25.00"))
    store.save_service(business.id, service)
    hours = WeeklyHours.from_json(HOURS)
    staff = [Staff(f"stf_{i:02d}", f"Pro {i:02d}", frozenset({service.id}), hours) for i in range(staff_count)]
    for member in staff:
        store.save_staff(business.id, member)
    cells = [
        (member.id, local_instant(FIRST_DAY + timedelta(days=d), minute, business.tz))
        for member in staff for d in range(31) if (FIRST_DAY + timedelta(days=d)).weekday() < 6
        for minute in range(9 * 60, 20 * 60, 30)
    ]
    # Seeded with batch writes (appointments, then their busy days) rather than `store.book`: moto copies
    # the whole table for every transaction, so 500 bookings through the API would take minutes. Their
    # locks are not needed: bookings below go to a later, empty day.
    appointments = []
    for n, (staff_id, start) in enumerate(random.Random(11).sample(cells, appointment_count)):
        span, busy = service.occupies(start)
        appointments.append(Appointment(
            reference=f"SEED{n:08d}", business_id=business.id, client_id=f"cli_seed{n}", service_id=service.id,
            staff_id=staff_id, start=span.start, end=span.end, busy=busy, status=AppointmentStatus.CONFIRMED,
            source=Source.ONLINE, price=service.price, currency="EUR", created_at=now, updated_at=now,
        ))
    with AppointmentItem.batch_write() as batch:
        for appointment in appointments:
            batch.save(appointment_item(appointment))
    busy_days.put_all(connection().client, AppointmentItem.Meta.table_name, busy_days.rebuilt(appointments))


def _booking(start: str, email: str) -> str:
    return json.dumps({"service": "svc_cut", "staff": "any", "start": start,
                       "client": {"first_name": "Eva", "last_name": "Ruiz", "email": email}})


def run() -> list[dict]:
    rows = []
    with _world() as (client, store, table, idempotency_table):
        def measure(scenario: str, method: str, path: str, body: str | None = None,
                    headers: dict | None = None) -> None:
            with counting_dynamodb_calls() as calls:
                if method == "GET":
                    response = client.http.get(path)
                else:
                    response = client.http.post(path, body=body,
                                                headers={"Content-Type": "application/json", **(headers or {})})
            rows.append(_row(scenario, response.status_code, calls, table, idempotency_table))

        def availability(slug: str, days: int) -> str:
            last = FIRST_DAY + timedelta(days=days - 1)
            return f"/public/{slug}/availability?service=svc_cut&staff=any&from={FIRST_DAY}&to={last}"

        measure("availability, cold (slug not cached), 10 staff, 7 days", "GET", availability("ten", 7))
        client.http.get("/public/one")  # warm the other business too
        for staff, slug in ((1, "one"), (10, "ten")):
            for days in (1, 7, 31):
                measure(f"availability, warm, {staff} staff, {days} days", "GET", availability(slug, days))

        bookings = "/public/ten/bookings"
        measure("booking, new client", "POST", bookings, _booking(f"{BOOKING_DAY}T10:00:00+02:00", "new@example.com"))
        measure("booking, returning client", "POST", bookings,
                _booking(f"{BOOKING_DAY}T11:00:00+02:00", "new@example.com"))
        key = {"Idempotency-Key": "bench-key-0001"}
        first = _booking(f"{BOOKING_DAY}T12:00:00+02:00", "keyed@example.com")
        measure("booking, new client, Idempotency-Key", "POST", bookings, first, key)
        measure("booking, returning client, Idempotency-Key", "POST", bookings,
                _booking(f"{BOOKING_DAY}T13:00:00+02:00", "keyed@example.com"), {"Idempotency-Key": "bench-key-0002"})
        measure("booking, retry of a keyed request (replayed)", "POST", bookings, first, key)
        _forget_slugs(store)
        measure("booking, cold (slug not cached), new client", "POST", bookings,
                _booking(f"{BOOKING_DAY}T14:00:00+02:00", "cold@example.com"))
    return rows


def _forget_slugs(store) -> None:
    """Forget cached slugs, as a freshly started Lambda would."""
    store._slugs.clear()


def _row(scenario: str, status: int, calls: Calls, table: str, idempotency_table: str) -> dict:
    return {
        "scenario": scenario, "status": status, "calls": len(calls), "reads": len(calls.reads),
        "writes": len(calls.writes), "idempotency": len(calls.on(idempotency_table)),
        "detail": "; ".join(_short(c, table, idempotency_table) for c in calls),
    }


def _short(call, table: str, idempotency_table: str) -> str:
    """Table names shortened for the report (the idempotency table's name contains the main one's)."""
    return str(call).replace(idempotency_table, "idem").replace(table, "main")
