"""One rule for request bodies on the public and sign-in routes: a field the route does not know is
refused (400 unknown_field naming it, dotted inside an object), a missing one is `required`."""
from __future__ import annotations

import pytest

from tests.api.helpers import booking_body, error, post

TUESDAY_11 = "2026-03-24T11:00:00+01:00"


def book(client) -> dict:
    made = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff="stf_ana"))
    assert made.status_code == 201, made.body
    return made.json_body


def assert_unknown(response, field: str) -> None:
    assert response.status_code == 400, response.body
    assert error(response)["code"] == "unknown_field" and error(response)["field"] == field


def test_a_booking_with_an_unknown_field_is_refused_and_nothing_is_booked(client, salon):
    assert_unknown(post(client, "/public/salon/bookings", booking_body(TUESDAY_11, surprise=1)), "surprise")
    body = booking_body(TUESDAY_11)
    body["client"]["birthday"] = "1990-01-01"
    assert_unknown(post(client, "/public/salon/bookings", body), "client.birthday")
    slots = client.http.get("/public/salon/availability?service=svc_cut&staff=stf_ana&from=2026-03-24&to=2026-03-24")
    assert TUESDAY_11 in {s["start"] for s in slots.json_body["slots"]}


def test_the_manage_routes_refuse_unknown_fields(client, salon):
    made = book(client)
    token = made["manage_token"]
    assert_unknown(post(client, f"/public/bookings/{made['reference']}/cancel?token={token}", {"why": "x"}), "why")
    moved = post(client, f"/public/bookings/{made['reference']}/reschedule?token={token}",
                 {"start": "2026-03-24T12:00:00+01:00", "surprise": True})
    assert_unknown(moved, "surprise")


@pytest.mark.parametrize("path, body", [
    ("/auth/login", {"email": "a@example.com", "password": "x" * 12}),
    ("/auth/refresh", {"refresh_token": "x"}),
    ("/auth/password/forgot", {"email": "a@example.com"}),
])
def test_the_sign_in_routes_refuse_unknown_fields(client, path, body):
    assert_unknown(post(client, path, {**body, "surprise": 1}), "surprise")


def test_a_missing_start_says_required(client, salon):
    body = booking_body(TUESDAY_11)
    del body["start"]
    response = post(client, "/public/salon/bookings", body)
    assert response.status_code == 400 and error(response)["code"] == "required" and error(response)["field"] == "start"
    made = book(client)
    moved = post(client, f"/public/bookings/{made['reference']}/reschedule?token={made['manage_token']}", {})
    assert moved.status_code == 400 and error(moved)["code"] == "required" and error(moved)["field"] == "start"
