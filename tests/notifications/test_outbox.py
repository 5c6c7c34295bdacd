"""Which change causes which message (one pure function), and the transaction that carries it."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from bench.counting import counting_dynamodb_calls
from chalicelib.domain.booking import MAX_BUSY_MINUTES
from chalicelib.domain.calendar import UTC, Interval
from chalicelib.domain.model import Appointment, AppointmentStatus as S, Service, Source
from chalicelib.domain.messages import MessageKind as K
from chalicelib.notifications.outbox import kind_for, needs_outbox, reminder_due
from chalicelib.repositories.tables import OutboxItem
from tests import factories
from tests.api.helpers import post
from tests.notifications.delivery_helpers import book

T0 = datetime(2026, 3, 24, 10, tzinfo=UTC)


def appointment(status=S.CONFIRMED, source=Source.ONLINE, start=T0, staff="stf_ana") -> Appointment:
    return Appointment("REF", "biz", "cli", "svc", staff, start, start + timedelta(minutes=30),
                       Interval(start, start + timedelta(minutes=30)), status, source, Decimal("10"), "EUR", T0, T0)


@pytest.mark.parametrize("before, after, kind", [
    (None, appointment(S.PENDING), K.PENDING),  # booked online, manual approval
    (None, appointment(S.CONFIRMED), K.CONFIRMED),  # booked online, automatic approval
    (None, appointment(S.CONFIRMED, Source.BACKOFFICE), K.CONFIRMED),  # made in the backoffice
    (appointment(S.PENDING), appointment(S.CONFIRMED), K.CONFIRMED),  # approved by staff
    (appointment(S.PENDING), appointment(S.REJECTED), K.REJECTED),
    (appointment(S.PENDING), appointment(S.CANCELLED), K.CANCELLED),
    (appointment(S.CONFIRMED), appointment(S.CANCELLED), K.CANCELLED),  # by the client or the business
    (appointment(S.ARRIVED), appointment(S.CANCELLED), K.CANCELLED),
    (appointment(), appointment(start=T0 + timedelta(days=1)), K.RESCHEDULED),
    (appointment(S.PENDING), appointment(S.PENDING, start=T0 + timedelta(hours=1)), K.RESCHEDULED),
    (appointment(), appointment(staff="stf_bea"), K.RESCHEDULED),
    (appointment(), appointment(S.ARRIVED), None),  # check-in
    (appointment(S.ARRIVED), appointment(S.COMPLETED), None),
    (appointment(), appointment(S.NO_SHOW), None),
    (appointment(), replace(appointment(), notes="colour 5.1"), None),
    (appointment(S.CANCELLED), appointment(S.CANCELLED), None),
    (None, appointment(S.CONFIRMED, Source.BACKOFFICE, start=T0 - timedelta(days=2)), None),  # recorded past
])
def test_each_change_causes_its_message(before, after, kind):
    assert kind_for(before, after) is kind


def test_a_past_appointment_recorded_in_the_backoffice_arms_no_reminder():
    past = appointment(S.CONFIRMED, Source.BACKOFFICE, start=T0 - timedelta(hours=3))
    assert kind_for(None, past) is None
    assert reminder_due(past.start, [timedelta(hours=24), timedelta(hours=2)], past.updated_at) is None


def test_a_confirmed_appointment_changed_silently_still_gets_an_outbox_item_to_reschedule_reminders():
    assert needs_outbox(appointment(), replace(appointment(), notes="x"))
    assert not needs_outbox(appointment(), appointment(S.ARRIVED))


def test_the_longest_service_rescheduled_to_a_disjoint_time_still_fits_one_transaction(client, store, clock):
    # given a service that keeps its professional busy for the longest time allowed (240 minutes = 48 units)
    longest = Service("svc_long", "Mechas completas", MAX_BUSY_MINUTES - 20, Decimal("120.00"),
                      buffer_before_minutes=10, buffer_after_minutes=10)
    members = [replace(m, service_ids=m.service_ids | {"svc_long"}) for m in factories.staff()]
    factories.seed(store, offered=factories.services() + [longest], members=members)
    made = book(client, start="2026-03-24T09:00:00+01:00", service="svc_long")

    # when the client moves it to another day (48 units released, 48 claimed, the appointment,
    # the outbox item and both days' busy-day entries: 100 of DynamoDB's 100)
    with counting_dynamodb_calls() as calls:
        moved = post(client, f"/public/bookings/{made['reference']}/reschedule?token={made['manage_token']}",
                     {"start": "2026-03-25T09:00:00+01:00"})

    # then it commits in one transaction, with its message
    assert moved.status_code == 200, moved.body
    [transaction] = [c for c in calls if c.operation == "TransactWriteItems"]
    assert transaction.items == 100 and transaction.error is None
    assert sorted(i.message_kind for i in OutboxItem.scan() if i.reference == made["reference"]) == [
        "confirmed", "rescheduled"]
