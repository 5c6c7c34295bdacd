"""Clients cancel and reschedule from the link in their messages, within the business's policy."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chalicelib.domain.model import AppointmentStatus, BookingRules, ClientChanges
from chalicelib.repositories import codecs
from chalicelib.repositories.tables import AppointmentItem
from tests import factories
from tests.api.helpers import booking_body, error, post

TUESDAY_11 = "2026-03-24T11:00:00+01:00"


def book(client, start=TUESDAY_11, **kw) -> dict:
    made = post(client, "/public/salon/bookings", booking_body(start, **{"staff": "stf_ana", **kw}))
    assert made.status_code == 201, made.body
    return made.json_body


def manage(client, booking: dict, action: str, body: dict | None = None, token: str | None = None):
    token = token or booking["manage_token"]
    return post(client, f"/public/bookings/{booking['reference']}/{action}?token={token}", body or {})


def test_the_manage_view_says_until_when_the_client_may_change_it(client, salon):
    made = book(client)
    shown = client.http.get(f"/public/bookings/{made['reference']}?token={made['manage_token']}").json_body
    assert shown["change_until"] == "2026-03-23T11:00:00+01:00"  # 24 hours before, the default
    assert shown["business_phone"] == "+34910000000"


def test_a_client_cancels_and_the_time_is_free_again(client, salon, store):
    made = book(client)
    cancelled = manage(client, made, "cancel")
    assert cancelled.status_code == 200 and cancelled.json_body["status"] == "cancelled"
    assert cancelled.json_body["change_until"] is None
    assert book(client, email="next@example.com")["staff"] == "stf_ana"
    events = codecs.events(AppointmentItem.get(f"APPT#{made['reference']}", "APPT"))
    assert [(e.name.value, e.by) for e in events] == [("appointment_cancelled", "client"), ("time_freed", "client")]
    freed = events[1]
    assert (freed.resource.kind, freed.resource.id) == ("staff", "stf_ana")
    assert freed.interval.start == datetime.fromisoformat(made["start"])  # a cut has no buffers
    assert freed.interval.end == datetime.fromisoformat(made["end"])


def test_a_cancelled_booking_cannot_be_changed_again(client, salon):
    made = book(client)
    assert manage(client, made, "cancel").status_code == 200
    again = manage(client, made, "cancel")
    assert again.status_code == 409 and error(again)["code"] == "booking_closed"
    moved = manage(client, made, "reschedule", {"start": "2026-03-25T11:00:00+01:00"})
    assert moved.status_code == 409 and error(moved)["code"] == "booking_closed"


def test_a_checked_in_booking_cannot_be_changed_online(client, salon, store, clock):
    made = book(client)
    booked = store.appointment(made["reference"])
    factories.change(store, booked, booked.with_status(AppointmentStatus.ARRIVED, clock["value"]))
    response = manage(client, made, "cancel")
    assert response.status_code == 409 and error(response)["code"] == "booking_closed"
    assert store.appointment(made["reference"]).status is AppointmentStatus.ARRIVED


def test_a_past_booking_cannot_be_changed(client, salon, clock):
    made = book(client)
    clock["value"] += timedelta(days=2)
    response = manage(client, made, "cancel")
    assert response.status_code == 409 and error(response)["code"] == "booking_closed"


def test_without_the_token_nothing_happens(client, salon, store):
    made = book(client)
    assert manage(client, made, "cancel", token="wrong").status_code == 404
    assert store.appointment(made["reference"]).status.value == "confirmed"


@pytest.mark.parametrize("policy, hours_before, status, code", [
    (ClientChanges.OFF, 48, 403, "online_changes_off"),
    (ClientChanges.UNTIL, 25, 200, None),
    (ClientChanges.UNTIL, 23, 409, "too_late_to_change"),
    (ClientChanges.ANYTIME, 1, 200, None),
])
def test_the_cancellation_policy_decides(client, store, clock, policy, hours_before, status, code):
    factories.seed(store, factories.salon(rules=BookingRules(client_changes=policy, horizon_days=60)))
    made = book(client)
    clock["value"] = store.appointment(made["reference"]).start - timedelta(hours=hours_before)
    response = manage(client, made, "cancel")
    assert response.status_code == status, response.body
    if code:
        assert error(response)["code"] == code
    if policy is ClientChanges.OFF:
        assert "+34910000000" in error(response)["message"]


def test_a_client_reschedules_to_a_free_slot_and_the_old_time_is_released(client, salon, store):
    made = book(client)
    moved = manage(client, made, "reschedule", {"start": "2026-03-24T11:15:00+01:00"})
    assert moved.status_code == 200, moved.body
    assert moved.json_body["start"] == "2026-03-24T11:15:00+01:00" and moved.json_body["reference"] == made["reference"]
    # 11:15-11:45 is held now, and 11:00-11:15 is not: 10:45-11:15 and 11:45-12:15 both fit around it.
    for start, status in (("11:00", 409), ("10:45", 201), ("11:45", 201)):
        other = booking_body(f"2026-03-24T{start}:00+01:00", staff="stf_ana", email=f"{start[:2]}{start[3:]}@example.com")
        assert post(client, "/public/salon/bookings", other).status_code == status, start


def test_rescheduling_onto_a_taken_slot_is_refused_and_changes_nothing(client, salon, store):
    made = book(client)
    book(client, "2026-03-25T11:00:00+01:00", email="other@example.com")
    moved = manage(client, made, "reschedule", {"start": "2026-03-25T11:00:00+01:00"})
    assert moved.status_code == 409 and error(moved)["code"] == "slot_unavailable"
    assert store.appointment(made["reference"]).start.isoformat() == "2026-03-24T10:00:00+00:00"
    assert post(client, "/public/salon/bookings",
                booking_body(TUESDAY_11, staff="stf_ana", email="z@example.com")).status_code == 409


def test_rescheduling_to_another_professional(client, salon):
    made = book(client)
    moved = manage(client, made, "reschedule", {"start": "2026-03-25T12:00:00+01:00", "staff": "stf_bea"})
    assert moved.status_code == 200 and moved.json_body["staff"] == "stf_bea"
    assert book(client, email="again@example.com")["staff"] == "stf_ana"  # Ana's 11:00 is free again


@pytest.mark.parametrize("body, status, code, field", [
    ({}, 400, "required", "start"),
    ({"start": "soon"}, 400, "invalid_datetime", "start"),
    ({"start": "2026-03-24T11:07:00+01:00"}, 422, "not_a_slot", "start"),
    ({"start": "2026-03-23T08:30:00+01:00"}, 400, "too_soon", "start"),
    ({"start": "2026-03-25T11:00:00+01:00", "staff": 3}, 400, "wrong_type", "staff"),
    ({"start": "2026-03-25T11:00:00+01:00", "staff": "stf_nobody"}, 404, "not_found", "staff"),
])
def test_bad_reschedules(client, salon, store, body, status, code, field):
    made = book(client)
    response = manage(client, made, "reschedule", body)
    assert response.status_code == status and error(response)["code"] == code and error(response)["field"] == field
    assert store.appointment(made["reference"]).start.isoformat() == "2026-03-24T10:00:00+00:00"
