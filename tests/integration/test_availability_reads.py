"""Availability's DynamoDB budget against DynamoDB Local, at the largest agenda the API serves: 50
professionals fully booked for 31 days (29,700 appointments) still cost two calls, because availability
reads the busy days (repositories/busy_days.py), one query page, and not the appointments."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest

from bench.counting import counting_dynamodb_calls
from chalicelib.domain.availability import instant
from chalicelib.domain.calendar import UTC, WeeklyHours, days_between, local_instant
from chalicelib.domain.model import Appointment, AppointmentStatus, ResourceRef, Source, Staff, new_reference
from chalicelib.repositories import busy_days
from chalicelib.repositories.codecs import appointment_item
from chalicelib.repositories.tables import AppointmentItem, Item
from chalicelib.repositories.transactions import connection
from chalicelib.services import booking
from tests import factories
from tests.factories import NOW

pytestmark = pytest.mark.slow

FIRST = date(2026, 3, 24)
LAST = FIRST + timedelta(days=30)
CUT = factories.services()[0]  # 30 minutes, no buffers: 22 a day fill 09:00-20:00


def fully_booked(salon, members) -> list[Appointment]:
    tz = salon.tz
    return [
        Appointment(reference=new_reference(), business_id=salon.id, client_id="cli_x", service_id=CUT.id,
                    staff_id=member.id, start=span.start, end=span.end, busy=busy,
                    status=AppointmentStatus.CONFIRMED, source=Source.ONLINE, price=CUT.price, currency="EUR",
                    created_at=NOW, updated_at=NOW)
        for member in members for day in days_between(FIRST, LAST) if day.weekday() < 6
        for minute in range(9 * 60, 20 * 60, 30)
        for span, busy in [CUT.occupies(local_instant(day, minute, tz))]
    ]


def test_a_fully_booked_month_of_fifty_professionals_is_two_calls(store):
    # given 50 professionals with every half hour of 31 days booked (busy days written in batches)
    suffix = uuid.uuid4().hex[:8]
    hours = WeeklyHours.from_json(factories.WEEKDAYS_9_TO_8)
    members = [Staff(f"stf_{i:02d}", f"Pro {i:02d}", frozenset({CUT.id}), hours) for i in range(50)]
    salon = factories.seed(store, factories.salon(id=f"biz_{suffix}", slug=f"full-{suffix}"), members=members)
    booked = fully_booked(salon, members)
    assert len(booked) == 50 * 27 * 22  # 27 working days in the 31
    busy_days.put_all(connection().client, Item.Meta.table_name, busy_days.rebuilt(booked))
    ask = lambda: booking.availability(store, salon.slug, CUT.id, "any", FIRST, LAST, None, "127.0.0.1", NOW)  # noqa: E731
    ask()  # a warm function: the slug is cached

    # when a client asks for the whole month
    with counting_dynamodb_calls() as calls:
        _, slots = ask()

    # then nothing is free, and it took the catalog query and one page of busy days
    assert slots == []
    assert [c.operation for c in calls] == ["Query", "Query"], calls.detail()


def test_appointments_stored_before_busy_days_are_backfilled(store, salon):
    # given appointments written as before busy days existed (the appointment items only)
    stored = fully_booked(salon, factories.staff()[:1])[:3]
    with AppointmentItem.batch_write() as batch:
        for appointment in stored:
            batch.save(appointment_item(appointment))
    ana = [(a.busy.start, a.busy.end) for a in stored]
    since = datetime(2026, 3, 24, tzinfo=UTC)
    assert store.busy_between(salon.id, since, since + timedelta(days=1)) == {}

    # when the backfill runs from their day on
    assert busy_days.backfill(FIRST) >= 1

    # then availability sees them
    found = store.busy_between(salon.id, since, since + timedelta(days=1))
    assert sorted((instant(s), instant(e)) for s, e in found[ResourceRef("staff", "stf_ana")]) == ana
