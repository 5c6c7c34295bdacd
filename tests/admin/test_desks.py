"""Desks through the HTTP API (moto): CRUD with a race-safe unique number, the service setting, and desks
in availability, bookings, the agenda and the monitor."""
from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.domain.principal import Level, Principal
from chalicelib.errors import ConflictError
from chalicelib.services import desks
from tests import factories
from tests.factories import NOW
from tests.api.helpers import booking_body, post

HOURS = {d: [["09:00", "13:00"], ["14:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}


def send(client, method, path, body, headers):
    return client.http.request(method, path, body=json.dumps(body),
                               headers={**headers, "Content-Type": "application/json"})


def desk(client, headers, number, **fields):
    body = {"number": number, "services": ["svc_color"], "hours": HOURS, **fields}
    if "operator" not in body and "description" not in body:
        body["description"] = f"Station {number}"
    return send(client, "POST", "/admin/desks", body, headers)


@pytest.fixture
def manager(client, login):
    return login(Level.MANAGER)


def test_a_manager_creates_edits_closes_and_lists_desks(client, manager):
    created = desk(client, manager, 3, description="Colour station",
                   holidays=[{"first": "2026-12-25", "yearly": True}, {"first": "2026-08-10", "last": "2026-08-21"}])
    assert created.status_code == 201, created.body
    body = created.json_body
    assert body["id"].startswith("dsk_") and body["name"] == "3 · Colour station"
    assert body["holidays"] == [{"first": "2026-08-10", "last": "2026-08-21", "yearly": False},
                                {"first": "2026-12-25", "last": "2026-12-25", "yearly": True}]
    assert body["hours"]["mon"] == [["09:00", "13:00"], ["14:00", "20:00"]]  # several intervals a day
    changed = send(client, "PATCH", f"/admin/desks/{body['id']}", {"operator": "stf_ana", "description": ""}, manager)
    assert changed.status_code == 200 and changed.json_body["operator"] == "stf_ana", changed.body
    closed = send(client, "PATCH", f"/admin/desks/{body['id']}", {"open": False}, manager)
    assert closed.status_code == 200 and closed.json_body["open"] is False
    listed = client.http.get("/admin/desks", headers=manager).json_body["desks"]
    assert [(d["number"], d["open"]) for d in listed] == [(3, False)]


def test_a_number_is_unique_and_renumbering_frees_the_old_one(client, manager):
    first = desk(client, manager, 1).json_body
    taken = desk(client, manager, 1)
    assert taken.status_code == 409 and error(taken) == ("desk_number_taken", "number")
    assert send(client, "PATCH", f"/admin/desks/{first['id']}", {"number": 2}, manager).status_code == 200
    assert desk(client, manager, 1).status_code == 201  # number 1 is free again
    clash = send(client, "PATCH", f"/admin/desks/{first['id']}", {"number": 1}, manager)
    assert clash.status_code == 409 and error(clash) == ("desk_number_taken", "number")


def test_ten_concurrent_creations_of_one_number_make_one_desk(atomic_moto, salon):
    """The use case itself, from ten threads (as tests/admin/test_appointments_race.py races staff)."""
    barrier = threading.Barrier(10)
    manager = Principal("biz_salon", "stf_manager", Level.MANAGER)

    def attempt(n):
        barrier.wait(timeout=30)
        try:
            return desks.create(manager, {"number": 5, "description": f"Basin {n}"}, NOW)
        except Exception as refused:  # every outcome is reported
            return refused

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(attempt, range(10)))
    made = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(made) == 1, outcomes
    assert all(isinstance(o, ConflictError) and o.code == "desk_number_taken" for o in outcomes if o not in made)
    assert [d.number for d in desks.desks(manager)] == [5]


@pytest.mark.parametrize("body, code, field", [
    ({"number": 1, "services": []}, "operator_or_description", "operator"),
    ({"number": 1, "operator": "stf_ana", "description": "Both"}, "operator_or_description", "operator"),
    ({"number": 0, "description": "x"}, "out_of_range", "number"),
    ({"description": "x"}, "required", "number"),
    ({"number": 1, "description": "x", "operator": "stf_nobody"}, "not_found", "operator"),
    ({"number": 1, "description": "x", "services": ["svc_nope"]}, "not_found", "services"),
    ({"number": 1, "description": "x", "holidays": [{"first": "2026-08-10", "last": "2026-08-01"}]},
     "ends_before_start", "holidays[0].last"),
    ({"number": 1, "description": "x", "holidays": [{"first": "10 August"}]}, "invalid_date", "holidays[0].first"),
    ({"number": 1, "description": "x", "hours": {"mon": [["13:00", "09:00"]]}}, "invalid", "hours.mon[0]"),
    ({"number": 1, "description": "x", "open": "yes"}, "wrong_type", "open"),
    ({"number": 1, "description": "x", "colour": "red"}, "unknown_field", "colour"),
])
def test_bad_input_names_the_field_and_writes_nothing(client, manager, body, code, field):
    response = send(client, "POST", "/admin/desks", body, manager)
    assert response.status_code in (400, 404) and error(response) == (code, field), response.body
    assert client.http.get("/admin/desks", headers=manager).json_body["desks"] == []


def test_reception_reads_desks_but_may_not_change_them(client, login, manager):
    created = desk(client, manager, 1).json_body
    reception = login(Level.RECEPTION_FULL)
    assert client.http.get(f"/admin/desks/{created['id']}", headers=reception).status_code == 200
    assert send(client, "PATCH", f"/admin/desks/{created['id']}", {"open": False}, reception).status_code == 403
    assert client.http.get("/admin/desks/dsk_0000000000000000", headers=reception).status_code == 404


def test_a_service_that_requires_a_desk_books_the_lowest_free_one_and_every_view_shows_it(client, manager, login):
    admin = login(Level.ADMIN)
    station_a = desk(client, manager, 2, description="Colour A").json_body
    station_b = desk(client, manager, 1, description="Colour B").json_body
    assert send(client, "PATCH", "/admin/services/svc_color", {"requires_desk": True}, admin).json_body["requires_desk"]
    assert send(client, "PATCH", "/admin/business", {"booking_rules": {"show_desk": True}}, admin).status_code == 200
    slots = client.http.get("/public/salon/availability?service=svc_color&from=2026-03-24&to=2026-03-24").json_body
    first = slots["slots"][0]
    assert first["desks"] == [station_b["id"], station_a["id"]]  # lowest number first
    booked = post(client, "/public/salon/bookings", booking_body(first["start"], service="svc_color"))
    assert booked.status_code == 201, booked.body
    assert booked.json_body["desk"] == {"id": station_b["id"], "number": 1, "name": "1 · Colour B"}
    reference = booked.json_body["reference"]
    view = client.http.get(f"/admin/appointments/{reference}", headers=admin).json_body
    assert (view["desk"], view["desk_number"], view["desk_name"]) == (station_b["id"], 1, "1 · Colour B")
    agenda = client.http.get(f"/admin/agenda?date=2026-03-24&desk={station_b['id']}", headers=admin).json_body
    assert [a["reference"] for a in agenda["appointments"]] == [reference]
    assert [d["id"] for d in agenda["desks"]] == [station_b["id"]]
    other = client.http.get(f"/admin/agenda?date=2026-03-24&desk={station_a['id']}", headers=admin).json_body
    assert other["appointments"] == []
    both = client.http.get(f"/admin/monitor?date=2026-03-24&desk={station_a['id']},{station_b['id']}",
                           headers=admin).json_body
    assert [b["reference"] for s in both["slots"] for b in s["bookings"]] == [reference]
    assert [d["number"] for d in both["desks"]] == [1, 2]
    missing = client.http.get("/admin/agenda?date=2026-03-24&desk=dsk_nope", headers=admin)
    assert missing.status_code == 404 and error(missing) == ("not_found", "desk")
    # moved by the backoffice to a named desk: the desk's time moves with it
    moved = send(client, "POST", f"/admin/appointments/{reference}/reschedule", {"desk": station_a["id"]}, admin)
    assert moved.status_code == 200 and moved.json_body["desk"] == station_a["id"], moved.body


def error(response) -> tuple[str, str | None]:
    body = response.json_body["error"]
    return body["code"], body.get("field")


# -- closing a desk, holidays over appointments -------------------------------------------------------------
COLOUR_AT_11 = "2026-03-24T11:00:00+01:00"


def two_stations_and_a_colour_booking(client, admin, manager):
    """Colour needs a desk; stations 1 and 2 perform it; a client books 11:00 on Tuesday (station 1)."""
    first = desk(client, manager, 1, description="Colour A").json_body
    second = desk(client, manager, 2, description="Colour B").json_body
    assert send(client, "PATCH", "/admin/services/svc_color", {"requires_desk": True}, admin).status_code == 200
    booked = post(client, "/public/salon/bookings", booking_body(COLOUR_AT_11, service="svc_color", staff="stf_ana"))
    assert booked.status_code == 201, booked.body
    reference = booked.json_body["reference"]
    return first, second, reference


def stored_desk(client, admin, reference):
    body = client.http.get(f"/admin/appointments/{reference}", headers=admin).json_body
    return body["status"], body.get("desk")


def test_closing_a_desk_over_appointments_lists_them_and_changes_nothing(client, manager, login):
    admin = login(Level.ADMIN)
    first, _, reference = two_stations_and_a_colour_booking(client, admin, manager)
    refused = send(client, "PATCH", f"/admin/desks/{first['id']}", {"open": False}, manager)
    assert refused.status_code == 409, refused.body
    body = refused.json_body["error"]
    assert body["code"] == "appointments_affected" and [a["reference"] for a in body["appointments"]] == [reference]
    assert {"kind": "desk", "id": first["id"], "name": "1 · Colour A"} in body["appointments"][0]["resources"]
    assert client.http.get(f"/admin/desks/{first['id']}", headers=manager).json_body["open"] is True
    assert stored_desk(client, admin, reference) == ("confirmed", first["id"])


def test_closing_with_move_puts_each_appointment_on_another_free_desk(client, manager, login):
    admin = login(Level.ADMIN)
    first, second, reference = two_stations_and_a_colour_booking(client, admin, manager)
    moved = send(client, "PATCH", f"/admin/desks/{first['id']}", {"open": False, "on_conflict": "move"}, manager)
    assert moved.status_code == 200, moved.body
    assert moved.json_body["open"] is False and [a["reference"] for a in moved.json_body["appointments"]] == [reference]
    assert stored_desk(client, admin, reference) == ("confirmed", second["id"])
    # the closed desk's time is free, the other's taken: a new colour booking at 11:00 finds no desk
    slots = client.http.get("/public/salon/availability?service=svc_color&staff=stf_ana&from=2026-03-24&to=2026-03-24")
    assert COLOUR_AT_11 not in [s["start"] for s in slots.json_body["slots"]]


def test_move_with_nowhere_to_go_is_refused_before_anything_is_written(client, manager, login):
    admin = login(Level.ADMIN)
    first, second, reference = two_stations_and_a_colour_booking(client, admin, manager)
    assert send(client, "PATCH", f"/admin/desks/{second['id']}", {"holidays": [{"first": "2026-03-24"}]},
                manager).status_code == 200  # station 2 is off that day: nowhere to move to
    refused = send(client, "PATCH", f"/admin/desks/{first['id']}", {"open": False, "on_conflict": "move"}, manager)
    assert refused.status_code == 409 and refused.json_body["error"]["code"] == "appointments_affected"
    assert client.http.get(f"/admin/desks/{first['id']}", headers=manager).json_body["open"] is True
    assert stored_desk(client, admin, reference) == ("confirmed", first["id"])


def test_a_holiday_over_an_appointment_with_cancel_cancels_it_and_tells_the_client(client, manager, login):
    from chalicelib.repositories.tables import OutboxItem

    admin = login(Level.ADMIN)
    first, _, reference = two_stations_and_a_colour_booking(client, admin, manager)
    holiday = {"holidays": [{"first": "2026-03-23", "last": "2026-03-25"}]}
    refused = send(client, "PATCH", f"/admin/desks/{first['id']}", holiday, manager)
    assert refused.status_code == 409 and refused.json_body["error"]["appointments"][0]["reference"] == reference
    done = send(client, "PATCH", f"/admin/desks/{first['id']}", {**holiday, "on_conflict": "cancel"}, manager)
    assert done.status_code == 200 and [a["reference"] for a in done.json_body["appointments"]] == [reference]
    assert stored_desk(client, admin, reference) == ("cancelled", first["id"])
    assert (reference, "cancelled") in {(o.reference, o.message_kind) for o in OutboxItem.scan()}
    bad = send(client, "PATCH", f"/admin/desks/{first['id']}", {"open": False, "on_conflict": "ignore"}, manager)
    assert bad.status_code == 400 and bad.json_body["error"]["field"] == "on_conflict"


def test_the_demo_salon_gets_two_basins_and_a_colour_station_once(aws, store):
    from infra.local import demo_desks
    from infra.local.devstack import demo_salon

    # given the demo salon, when the desks step runs at a first start and again with the data kept
    business, services, staff = demo_salon(NOW.date())
    factories.seed(store, business, members=staff, offered=services)
    first, again = demo_desks.provision({}), demo_desks.provision({})

    # then three desks exist once, colour services need the colour station, and the page shows the desk
    catalog = store.catalog(business.id)
    assert first and again == []
    assert [d.label for d in catalog.desks] == ["1 · Lavacabezas", "2 · Lavacabezas junto a la ventana",
                                                "3 · Puesto de color"]
    assert {s.id for s in catalog.services if s.requires_desk} == {"svc_color", "svc_highlights"}
    assert catalog.business.rules.show_desk


def test_the_backoffice_books_moves_hands_over_and_cancels_with_the_desk(client, login, seeded):
    """Reception books colour at the free station with the lowest number (or the one named); handing over
    to a colleague keeps the desk, moving takes the desk's time along, cancelling frees it."""
    admin, reception = login(Level.ADMIN), login(Level.RECEPTION_FULL)
    first = desk(client, admin, 5, description="Colour A").json_body  # the seeded salon has a basin, number 1
    second = desk(client, admin, 6, description="Colour B").json_body
    assert send(client, "PATCH", "/admin/services/svc_color", {"requires_desk": True}, admin).status_code == 200
    body = {"client": seeded["client"], "service": "svc_color", "staff": "stf_ana", "start": COLOUR_AT_11}
    made = post(client, "/admin/appointments", body, reception)
    assert made.status_code == 201 and made.json_body["desk"] == first["id"], made.body
    named = post(client, "/admin/appointments", {**body, "start": "2026-03-24T15:00:00+01:00", "desk": second["id"]},
                 reception)
    assert named.status_code == 201 and named.json_body["desk"] == second["id"], named.body
    reference = made.json_body["reference"]
    # both stations at 11:00? Station 1 is taken, so a second colour at 11:00 gets station 2
    other = post(client, "/admin/appointments", {**body, "staff": "stf_ana", "start": COLOUR_AT_11,
                                                 "override_reason": "Ana takes two"}, reception)
    assert other.status_code == 201 and other.json_body["desk"] == second["id"], other.body
    cancelled = post(client, f"/admin/appointments/{other.json_body['reference']}/cancel", {}, reception)
    assert cancelled.status_code == 200
    # moved to 16:00 (station 1 is free then): it keeps station 1
    moved = send(client, "POST", f"/admin/appointments/{reference}/reschedule",
                 {"start": "2026-03-25T16:00:00+01:00"}, reception)
    assert moved.status_code == 200 and moved.json_body["desk"] == first["id"], moved.body
    slots = client.http.get("/public/salon/availability?service=svc_color&staff=stf_ana&from=2026-03-24&to=2026-03-24")
    at_11 = next(s for s in slots.json_body["slots"] if s["start"] == COLOUR_AT_11)
    assert at_11["desks"] == [first["id"], second["id"]]  # both free again at 11:00
    cancel = post(client, f"/admin/appointments/{reference}/cancel", {}, reception)
    assert cancel.status_code == 200 and cancel.json_body["desk"] == first["id"]
    # a desk named for a service that takes none is a mistake, not ignored
    haircut = post(client, "/admin/appointments", {**body, "service": "svc_cut", "desk": first["id"]}, reception)
    assert haircut.status_code == 400 and error(haircut) == ("no_desk_needed", "desk")
