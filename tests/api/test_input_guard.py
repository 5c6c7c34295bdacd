"""Input no route may answer with a 500: dates far outside the calendar Turno keeps, odd manage tokens.

Each answer is the error contract, 400 naming the field (or the 404 any wrong token gets)."""
from __future__ import annotations

import pytest

from chalicelib.domain.principal import Level
from tests.api.helpers import booking_body, error, post

TUESDAY_11 = "2026-03-24T11:00:00+01:00"
FAR = ["9999-12-31", "0001-01-01", "0254-06-01", "1999-12-31", "2101-01-01"]


def book(client) -> dict:
    made = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff="stf_ana"))
    assert made.status_code == 201, made.body
    return made.json_body


def assert_refused(response, field: str) -> None:
    assert response.status_code == 400, response.body
    assert error(response)["code"] == "date_out_of_range"
    assert error(response)["field"] == field
    assert "2000-01-01" in error(response)["message"]


# -- dates: a documented window, 2000-01-01 to 2100-12-31 ----------------------------------------------

@pytest.mark.parametrize("day", FAR)
def test_availability_outside_the_window_is_a_400_naming_the_field(client, salon, day):
    response = client.http.get(f"/public/salon/availability?service=svc_cut&from={day}&to=2026-03-24")
    assert_refused(response, "from")
    response = client.http.get(f"/public/salon/availability?service=svc_cut&from=2026-03-24&to={day}")
    assert_refused(response, "to")


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_booking_starting_outside_the_window_is_a_400(client, salon, day):
    for start in (f"{day}T10:00:00+01:00", f"{day}T00:00:00+14:00", f"{day}T23:59:00-12:00"):
        response = post(client, "/public/salon/bookings", booking_body(start, staff="stf_ana"))
        assert_refused(response, "start")


def test_a_reschedule_outside_the_window_is_a_400(client, salon):
    made = book(client)
    response = post(client, f"/public/bookings/{made['reference']}/reschedule?token={made['manage_token']}",
                    {"start": "9999-12-31T10:00:00+00:00"})
    assert_refused(response, "start")


def test_the_window_edges_are_dates_like_any_other(client, salon):
    for day in ("2000-01-01", "2100-12-31"):
        response = client.http.get(f"/public/salon/availability?service=svc_cut&from={day}&to={day}")
        assert response.status_code == 200, response.body


@pytest.mark.parametrize("path, field", [
    ("/admin/monitor?date=0254-01-01", "date"),
    ("/admin/monitor?date=9999-12-31", "date"),
    ("/admin/agenda?date=0001-01-01", "date"),
    ("/admin/agenda?date=9999-12-31&view=month", "date"),
    ("/admin/reports/messages?from=0001-01-01&to=2026-03-24", "from"),
    ("/admin/reports/messages?from=2026-03-24&to=9999-12-31", "to"),
])
def test_backoffice_dates_outside_the_window_are_a_400(client, login, path, field):
    assert_refused(client.http.get(path, headers=login(Level.ADMIN)), field)


def test_a_backoffice_appointment_starting_outside_the_window_is_a_400(client, login, seeded):
    headers = login(Level.RECEPTION_FULL)
    body = {"client": seeded["client"], "service": "svc_cut", "staff": "stf_ana", "start": "9999-12-31T10:00"}
    assert_refused(post(client, "/admin/appointments", body, headers), "start")
    body["start"] = "9999-12-31T10:00:00+01:00"
    assert_refused(post(client, "/admin/appointments", body, headers), "start")
    moved = post(client, f"/admin/appointments/{seeded['reference']}/reschedule",
                 {"start": "0001-01-01T10:00:00+01:00"}, headers)
    assert_refused(moved, "start")


def test_time_off_outside_the_window_is_a_400(client, login):
    body = {"time_off": [{"start": "2026-03-31T10:00:00+02:00", "end": "9999-12-31T23:00:00+02:00"}]}
    response = client.http.patch("/admin/staff/stf_bea", body=__import__("json").dumps(body),
                                 headers={**login(Level.ADMIN), "Content-Type": "application/json"})
    assert_refused(response, "time_off[0].end")


# -- manage tokens: anything that is not the token is the same 404 -------------------------------------

@pytest.mark.parametrize("token", ["%C3%A9", "%E2%82%AC" * 11, "%00", "%F0%9F%98%80"])
def test_a_non_ascii_manage_token_is_the_404_of_any_wrong_token(client, salon, token):
    made = book(client)
    reference = made["reference"]
    answers = [
        client.http.get(f"/public/bookings/{reference}?token={token}"),
        post(client, f"/public/bookings/{reference}/cancel?token={token}", {}),
        post(client, f"/public/bookings/{reference}/reschedule?token={token}", {"start": TUESDAY_11}),
    ]
    for response in answers:
        assert response.status_code == 404, response.body
        assert error(response)["code"] == "not_found"
        assert token not in response.body.decode() and "é" not in response.body.decode()
    in_body = post(client, f"/public/bookings/{reference}/cancel", {"token": "é"})
    assert in_body.status_code == 404, in_body.body
    page = client.http.get(f"/b/salon/manage/{reference}?token={token}")
    assert page.status_code == 404, page.body
    still = client.http.get(f"/public/bookings/{reference}?token={made['manage_token']}")
    assert still.json_body["status"] == "confirmed"
