"""Closures and special hours over HTTP (moto): the backoffice sets them, the 409 lists what they cover,
"cancel" cancels through the ordinary path, and the public availability honours them at once."""
from __future__ import annotations

import json

from chalicelib.domain.principal import Level
from chalicelib.repositories.tables import OutboxItem
from tests.api.helpers import booking_body, error, post


def send(client, method, path, body, headers):
    return client.http.request(method, path, body=json.dumps(body) if body is not None else b"",
                               headers={**headers, "Content-Type": "application/json"})


def book(client, start: str, email: str = "eva@example.com", staff: str = "any") -> str:
    made = post(client, "/public/salon/bookings", booking_body(start, email=email, phone=None, staff=staff))
    assert made.status_code == 201, made.body
    return made.json_body["reference"]


def availability(client, day: str, staff: str = "any") -> dict:
    return client.http.get(f"/public/salon/availability?service=svc_cut&staff={staff}&from={day}&to={day}").json_body


def test_a_closure_over_bookings_is_refused_with_the_list_then_cancels_them_when_asked(client, login):
    # given two bookings on Tuesday 24 March
    references = sorted([book(client, "2026-03-24T10:00:00+01:00"),
                         book(client, "2026-03-24T12:00:00+01:00", email="leo@example.com")])
    manager = login(Level.MANAGER)

    # when a manager closes the salon that day without saying what to do with them
    closure = {"name": "San José", "first_day": "2026-03-24"}
    refused = send(client, "POST", "/admin/calendar/closures", closure, manager)

    # then 409 lists both, with times, the client's name and the professional; nothing was saved
    assert refused.status_code == 409
    body = error(refused)
    assert body["code"] == "appointments_affected" and body["field"] == "on_conflict"
    assert sorted(a["reference"] for a in body["appointments"]) == references
    assert {a["client"] for a in body["appointments"]} == {"Eva Ruiz"}
    assert body["appointments"][0]["start"] == "2026-03-24T10:00:00+01:00"
    assert body["appointments"][0]["resources"][0]["kind"] == "staff"
    assert send(client, "GET", "/admin/calendar", None, manager).json_body["closures"] == []
    assert availability(client, "2026-03-24")["slots"]

    # when it says "cancel"
    done = send(client, "POST", "/admin/calendar/closures", {**closure, "on_conflict": "cancel"}, manager)

    # then the closure exists, both are cancelled with their clients' message, and nobody can book that day
    assert done.status_code == 201, done.body
    assert sorted(a["reference"] for a in done.json_body["cancelled"]) == references
    assert {(o.reference, o.message_kind) for o in OutboxItem.scan()} >= {(r, "cancelled") for r in references}
    day = availability(client, "2026-03-24")
    assert day["slots"] == [] and day["closed_days"] == [{"date": "2026-03-24", "name": "San José"}]
    late = post(client, "/public/salon/bookings", booking_body("2026-03-24T16:00:00+01:00"))
    assert late.status_code == 422 and error(late)["code"] == "not_a_slot"

    # and removing the closure opens the day again
    [listed] = send(client, "GET", "/admin/calendar", None, manager).json_body["closures"]
    assert send(client, "DELETE", f"/admin/calendar/closures/{listed['id']}", None, manager).status_code == 204
    assert availability(client, "2026-03-24")["slots"]


def test_special_hours_for_the_business_narrow_the_day_and_list_what_they_drop(client, login):
    early = book(client, "2026-03-24T09:00:00+01:00", staff="stf_ana")
    book(client, "2026-03-24T11:00:00+01:00", staff="stf_ana", email="leo@example.com")
    manager = login(Level.MANAGER)
    special = {"date": "2026-03-24", "hours": [["10:00", "14:00"]], "name": "Half day"}

    refused = send(client, "PUT", "/admin/calendar/special-hours", special, manager)
    assert refused.status_code == 409 and [a["reference"] for a in error(refused)["appointments"]] == [early]

    done = send(client, "PUT", "/admin/calendar/special-hours", {**special, "on_conflict": "cancel"}, manager)
    assert done.status_code == 200, done.body
    assert done.json_body["hours"] == [["10:00", "14:00"]] and done.json_body["resource"] is None
    starts = {s["start"][11:16] for s in availability(client, "2026-03-24")["slots"]}
    assert min(starts) == "10:00" and max(starts) == "13:30"


def test_special_hours_for_one_professional_and_their_removal(client, login):
    # given Ana's booking at 15:00 on Tuesday
    booked = book(client, "2026-03-24T15:00:00+01:00", staff="stf_ana")
    manager = login(Level.MANAGER)

    # when Ana works only 09:00-12:00 that day (Bea untouched)
    ana = {"date": "2026-03-24", "hours": [["09:00", "12:00"]], "resource": {"kind": "staff", "id": "stf_ana"}}
    refused = send(client, "PUT", "/admin/calendar/special-hours", ana, manager)
    assert [a["reference"] for a in error(refused)["appointments"]] == [booked]
    saved = send(client, "PUT", "/admin/calendar/special-hours", {**ana, "on_conflict": "cancel"}, manager)
    assert saved.status_code == 200 and saved.json_body["resource"]["id"] == "stf_ana"
    assert max(s["start"][11:16] for s in availability(client, "2026-03-24", "stf_ana")["slots"]) == "11:30"
    assert max(s["start"][11:16] for s in availability(client, "2026-03-24", "stf_bea")["slots"]) == "18:30"

    # then removing them gives her the week's hours back
    removed = send(client, "DELETE", f"/admin/calendar/special-hours/{saved.json_body['id']}", None, manager)
    assert removed.status_code == 200 and removed.json_body == {"cancelled": []}
    assert max(s["start"][11:16] for s in availability(client, "2026-03-24", "stf_ana")["slots"]) == "17:30"


def test_bad_input_names_its_field(client, login):
    manager = login(Level.MANAGER)
    cases = [
        ("POST", "/admin/calendar/closures", {"first_day": "2026-12-25"}, 400, "required", "name"),
        ("POST", "/admin/calendar/closures", {"name": "X", "first_day": "2026-12-25", "last_day": "2026-12-01"},
         400, "invalid", "last_day"),
        ("POST", "/admin/calendar/closures", {"name": "X", "first_day": "2026-12-25", "yearly": "yes"},
         400, "wrong_type", "yearly"),
        ("POST", "/admin/calendar/closures", {"name": "X", "first_day": "2026-12-25", "on_conflict": "ignore"},
         400, "invalid_choice", "on_conflict"),
        ("POST", "/admin/calendar/closures", {"name": "X", "first_day": "2026-12-25", "colour": 1},
         400, "unknown_field", "colour"),
        ("PUT", "/admin/calendar/special-hours", {"date": "2026-12-24"}, 400, "required", "hours"),
        ("PUT", "/admin/calendar/special-hours", {"date": "2026-12-24", "hours": [["14:00", "10:00"]]},
         400, "invalid", "hours[0]"),
        ("PUT", "/admin/calendar/special-hours", {"date": "2026-12-24", "hours": [],
                                                  "resource": {"kind": "room", "id": "r1"}},
         400, "invalid_choice", "resource.kind"),
        ("PUT", "/admin/calendar/special-hours", {"date": "2026-12-24", "hours": [],
                                                  "resource": {"kind": "staff", "id": "stf_nobody"}},
         404, "not_found", "resource.id"),
        ("DELETE", "/admin/calendar/closures/clo_nothere", None, 404, "not_found", "closure"),
        ("DELETE", "/admin/calendar/special-hours/sph_nothere", None, 404, "not_found", "special_hours"),
    ]
    for method, path, body, status, code, field in cases:
        answer = send(client, method, path, body, manager)
        assert (answer.status_code, error(answer)["code"], error(answer).get("field")) == (status, code, field), \
            (path, body, answer.body)


def test_a_desk_scope_names_an_existing_desk(client, login):
    manager = login(Level.MANAGER)
    desk = send(client, "POST", "/admin/desks", {"number": 1, "description": "Basin"}, manager).json_body
    answer = send(client, "PUT", "/admin/calendar/special-hours",
                  {"date": "2026-12-24", "hours": [], "resource": {"kind": "desk", "id": desk["id"]}}, manager)
    assert answer.status_code == 200 and answer.json_body["resource"]["id"] == desk["id"]
    listed = send(client, "GET", "/admin/calendar", None, manager).json_body["special_hours"]
    assert listed[0]["resource"] == {"kind": "desk", "id": desk["id"], "name": "1 · Basin"}
    unknown = send(client, "PUT", "/admin/calendar/special-hours",
                   {"date": "2026-12-24", "hours": [], "resource": {"kind": "desk", "id": "dsk_1"}}, manager)
    assert unknown.status_code == 404 and unknown.json_body["error"]["field"] == "resource.id"


def test_the_calendar_is_read_by_every_level_and_written_by_management_only(client, login):
    body = {"name": "Navidad", "first_day": "2026-12-25", "yearly": True}
    assert send(client, "POST", "/admin/calendar/closures", body, login(Level.RECEPTION_FULL)).status_code == 403
    assert send(client, "POST", "/admin/calendar/closures", body, login(Level.ADMIN)).status_code == 201
    seen = send(client, "GET", "/admin/calendar", None, login(Level.PROFESSIONAL_OWN))
    assert seen.status_code == 200 and seen.json_body["closures"][0]["yearly"] is True


def test_the_demo_salon_gets_its_special_days_once(aws, store):
    from chalicelib.repositories import special_days
    from infra.local import demo_special_days

    # given the step ran at a first start, when the stack starts again with the data kept
    first = demo_special_days.provision({})
    again = demo_special_days.provision({})

    # then Christmas and New Year's Day are closed every year and Christmas Eve is a half day, once each
    assert first and again == []
    found = special_days.read("biz_demo")
    assert sorted((c.name, c.yearly) for c in found.closures) == [("Año Nuevo", True), ("Navidad", True)]
    [eve] = found.hours
    assert (eve.day.month, eve.day.day, eve.hours, eve.kind) == (12, 24, ((600, 840),), "business")


def test_availability_still_reads_twice_with_closures_and_special_hours_stored(client, login):
    from bench.counting import counting_dynamodb_calls

    # given a yearly closure and special hours for the business and for Ana, in the range asked
    manager = login(Level.MANAGER)
    assert send(client, "POST", "/admin/calendar/closures", {"name": "Fiesta", "first_day": "2026-03-25",
                                                             "yearly": True}, manager).status_code == 201
    for resource in (None, {"kind": "staff", "id": "stf_ana"}):
        assert send(client, "PUT", "/admin/calendar/special-hours", {"date": "2026-03-26", "hours": [["10:00", "12:00"]],
                                                                     "resource": resource}, manager).status_code == 200
    path = "/public/salon/availability?service=svc_cut&staff=any&from=2026-03-24&to=2026-04-23"
    assert client.http.get(path).status_code == 200  # warm: the slug is cached

    # when a client asks for 31 days
    with counting_dynamodb_calls() as calls:
        answer = client.http.get(path).json_body

    # then the catalog query brought the special days along: still two reads, and they are honoured
    assert len(calls) == 2 and calls == calls.reads, calls.detail()
    assert {"date": "2026-03-25", "name": "Fiesta"} in answer["closed_days"]
    assert not [s for s in answer["slots"] if s["start"].startswith("2026-03-25")]
    assert {s["start"][11:16] for s in answer["slots"] if s["start"].startswith("2026-03-26")} <= {
        "10:00", "10:15", "10:30", "10:45", "11:00", "11:15", "11:30"}


def test_new_time_off_over_a_booking_gets_the_same_answer(client, login):
    # given Bea's booking on Tuesday at 11:00
    booked = book(client, "2026-03-24T11:00:00+01:00", staff="stf_bea")
    manager = login(Level.MANAGER)
    off = {"time_off": [{"start": "2026-03-24T00:00:00+01:00", "end": "2026-03-25T00:00:00+01:00"}]}

    # when a manager gives her the day off: first refused with the list, then with "cancel"
    refused = send(client, "PATCH", "/admin/staff/stf_bea", off, manager)
    assert refused.status_code == 409 and [a["reference"] for a in error(refused)["appointments"]] == [booked]
    kept = send(client, "GET", "/admin/staff/stf_bea", None, manager).json_body["time_off"]
    assert kept == [{"start": "2026-03-26T00:00:00Z", "end": "2026-03-27T00:00:00Z"}]  # as before
    done = send(client, "PATCH", "/admin/staff/stf_bea", {**off, "on_conflict": "cancel"}, manager)

    # then the time off is stored and the booking cancelled; changing something else later checks nothing
    assert done.status_code == 200 and [a["reference"] for a in done.json_body["cancelled"]] == [booked]
    assert done.json_body["time_off"] == [{"start": "2026-03-23T23:00:00Z", "end": "2026-03-24T23:00:00Z"}]
    assert "cancelled" not in send(client, "PATCH", "/admin/staff/stf_bea", {"phone": "+34611223344"}, manager).json_body
