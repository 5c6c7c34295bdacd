"""Converting a request: staff book it into a free time through the ordinary booking, which marks it
`booked` in the same transaction; a taken time leaves both the agenda and the request as they were."""
from __future__ import annotations

from datetime import datetime

from chalicelib.repositories import waitlist as repository
from chalicelib.services import waitlist as use_case
from chalicelib.errors import SlotUnavailableError
from tests.api.helpers import booking_body, error, post
from tests.integration.test_races import run_together
from tests.waitlist.helpers import DESK, add_request

TUESDAY_10 = "2026-03-24T11:00:00+01:00"  # (10:00 is the seeded booking)


def test_converting_books_the_time_and_marks_the_request_booked(client, login, seeded, store):
    headers = login(DESK)
    created = add_request(client, headers)
    response = post(client, f"/admin/waitlist/{created['id']}/convert", {"start": TUESDAY_10, "staff": "stf_ana"},
                    headers)
    assert response.status_code == 201, response.body
    body = response.json_body
    reference = body["appointment"]["reference"]
    assert body["request"]["status"] == "booked" and body["request"]["reference"] == reference
    booked = store.appointment(reference)
    assert (booked.staff_id, booked.start.isoformat(), booked.status.value) == (
        "stf_ana", "2026-03-24T10:00:00+00:00", "confirmed")
    client_ = store.client("biz_salon", booked.client_id)  # a new client, registered with the booking
    assert (client_.first_name, client_.email) == ("Marta", "marta@example.com")
    again = post(client, f"/admin/waitlist/{created['id']}/convert", {"start": "2026-03-24T12:00:00+01:00",
                                                                     "staff": "stf_ana"}, headers)
    assert again.status_code == 409 and error(again)["code"] == "request_booked"


def test_a_known_client_is_booked_as_themselves(client, login, seeded, store):
    headers = login(DESK)
    created = add_request(client, headers, client=None, client_id=seeded["client"])
    response = post(client, f"/admin/waitlist/{created['id']}/convert", {"start": TUESDAY_10, "staff": "stf_ana"},
                    headers)
    assert response.status_code == 201, response.body
    assert store.appointment(response.json_body["appointment"]["reference"]).client_id == seeded["client"]


def test_a_taken_time_is_409_and_the_request_still_waits(client, login, seeded, store):
    headers = login(DESK)
    created = add_request(client, headers)
    taken = post(client, "/public/salon/bookings", booking_body(TUESDAY_10, staff="stf_ana"))
    assert taken.status_code == 201, taken.body
    response = post(client, f"/admin/waitlist/{created['id']}/convert", {"start": TUESDAY_10, "staff": "stf_ana"},
                    headers)
    assert response.status_code == 409 and error(response) | {"message": ""} == {
        "code": "slot_unavailable", "field": "start", "message": ""}
    assert client.http.get(f"/admin/waitlist/{created['id']}", headers=headers).json_body["status"] == "waiting"


def test_bad_conversions_name_the_field(client, login, seeded):
    headers = login(DESK)
    created = add_request(client, headers, staff="stf_bea")
    path = f"/admin/waitlist/{created['id']}/convert"
    for body, status, code, field in (
            ({"start": TUESDAY_10}, 400, "required", "staff"),  # "anyone" asked: staff choose
            ({"start": TUESDAY_10, "staff": "stf_ana"}, 400, "not_wished", "staff"),
            ({"start": "2026-03-24T08:00:00+01:00", "staff": "stf_bea"}, 422, "outside_hours", "start"),
            ({"start": "2026-03-20T10:00:00+01:00", "staff": "stf_bea"}, 400, "start_in_past", "start"),
            ({"start": "tomorrow", "staff": "stf_bea"}, 400, "invalid_datetime", "start"),
            ({"start": TUESDAY_10, "staff": "stf_bea", "price": 1}, 400, "unknown_field", "price")):
        if body.get("staff") is None:
            created_any = add_request(client, headers)
            response = post(client, f"/admin/waitlist/{created_any['id']}/convert", body, headers)
        else:
            response = post(client, path, body, headers)
        assert response.status_code == status, (body, response.body)
        assert (error(response)["code"], error(response)["field"]) == (code, field), body


def test_two_requests_converted_into_one_time_at_once_give_one_appointment(client, login, seeded, store, clock,
                                                                           atomic_moto):
    headers = login(DESK)
    made = [add_request(client, headers, client={"first_name": f"C{n}", "phone": f"+3461100020{n}"})
            for n in range(6)]
    from chalicelib.domain.principal import Level, Principal

    principal = Principal(business_id="biz_salon", staff_id=login.staff_id(DESK), level=Level.RECEPTION_FULL,
                          email="desk@example.com")
    calls = [lambda r=r: use_case.convert(store, principal, r["id"], {"start": TUESDAY_10, "staff": "stf_ana"},
                                          clock["value"]) for r in made]
    outcomes = run_together(*calls)
    won = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(won) == 1, outcomes
    assert all(isinstance(o, SlotUnavailableError) for o in outcomes if o not in won), outcomes
    statuses = sorted(repository.get("biz_salon", r["id"]).status.value for r in made)
    assert statuses == ["booked"] + ["waiting"] * 5
    day = store.appointments_between("biz_salon", datetime.fromisoformat("2026-03-24T00:00:00+01:00"),
                                     datetime.fromisoformat("2026-03-25T00:00:00+01:00"))
    assert [a.reference for a in day if a.start.isoformat() == "2026-03-24T10:00:00+00:00"] == [won[0][0].reference]


def test_a_service_that_needs_a_desk_takes_a_free_one_and_never_a_taken_one(client, login, seeded, store):
    """Converting books the desk as a booking does: a free one, its lock units in the transaction. With the
    only open basin taken by another professional's booking, the same time is 409 for anyone else."""
    from dataclasses import replace

    from tests.factories import desks, seed_last_desk

    for desk in desks():
        store.save_desk("biz_salon", replace(desk, open=False))
    seed_last_desk(store, "biz_salon", professionals=2)  # Corte now needs the one open basin, dsk_only
    headers = login(DESK)
    taken = post(client, "/public/salon/bookings", booking_body(TUESDAY_10, staff="stf_p00"))
    assert taken.status_code == 201, taken.body
    assert store.appointment(taken.json_body["reference"]).desk_id == "dsk_only"
    created = add_request(client, headers)
    response = post(client, f"/admin/waitlist/{created['id']}/convert", {"start": TUESDAY_10, "staff": "stf_p01"},
                    headers)
    assert response.status_code == 409 and error(response)["code"] == "slot_unavailable", response.body
    assert client.http.get(f"/admin/waitlist/{created['id']}", headers=headers).json_body["status"] == "waiting"
    later = post(client, f"/admin/waitlist/{created['id']}/convert",
                 {"start": "2026-03-24T12:00:00+01:00", "staff": "stf_p01"}, headers)
    assert later.status_code == 201, later.body
    assert store.appointment(later.json_body["appointment"]["reference"]).desk_id == "dsk_only"
