"""A request for several services done one after the other by one professional: kept and filtered with
the list's one Query, converted into one appointment per service in one transaction (all or none), and
offered a freed time only where the whole sequence fits."""
from __future__ import annotations

from datetime import datetime, timedelta

from bench.counting import counting_dynamodb_calls
from chalicelib.repositories import waitlist as repository
from chalicelib.repositories.tables import LockItem
from tests.api.helpers import booking_body, error, post
from tests.factories import NOW
from tests.waitlist.helpers import DESK, add_request, patch
from tests.waitlist.offer_helpers import SALON, answer, booked, free, join, opening_of, request

WEDNESDAY = {"from": "2026-03-25", "to": "2026-03-25", "start": "09:00", "end": "13:00"}
WEDNESDAY_9 = "2026-03-25T09:00:00+01:00"
BOTH = ["svc_cut", "svc_color"]


def wednesday(store) -> list:
    return store.appointments_between(SALON, datetime.fromisoformat("2026-03-25T00:00:00+01:00"),
                                      datetime.fromisoformat("2026-03-26T00:00:00+01:00"))


def test_a_request_keeps_its_services_in_order_and_answers_with_both_shapes(client, login):
    headers = login(DESK)
    created = add_request(client, headers, service=None, services=BOTH)
    assert (created["services"], created["service"]) == (BOTH, "svc_cut")
    stored = repository.get(SALON, created["id"])
    assert (stored.service_ids, stored.services_key) == (tuple(BOTH), "svc_cut+svc_color")
    edited = patch(client, f"/admin/waitlist/{created['id']}", {"services": ["svc_color", "svc_cut"]}, headers)
    assert edited.status_code == 200 and edited.json_body["services"] == ["svc_color", "svc_cut"], edited.body
    single = patch(client, f"/admin/waitlist/{created['id']}", {"service": "svc_cut"}, headers).json_body
    assert (single["services"], single["service"]) == (["svc_cut"], "svc_cut")
    kept = patch(client, f"/admin/waitlist/{created['id']}", {"notes": "x"}, headers).json_body
    assert kept["services"] == ["svc_cut"]


def test_bad_service_lists_are_refused_naming_the_place(client, login):
    headers = login(DESK)
    for changes, status, code, field in (
            ({"services": ["svc_cut", "svc_nope"]}, 404, "not_found", "services.1"),
            ({"services": ["svc_cut", "svc_cut"]}, 400, "duplicate", "services.1"),
            ({"services": ["svc_cut", "svc_color", "svc_private", "svc_old"]}, 400, "too_many", "services"),
            ({"services": BOTH, "staff": "stf_bea"}, 404, "not_found", "staff"),  # Bea does no colour
            ({"services": BOTH, "service": "svc_cut"}, 400, "ambiguous", "services")):
        response = post(client, "/admin/waitlist", {**_body(), "service": None, **changes}, headers)
        assert response.status_code == status, (changes, response.body)
        assert (error(response)["code"], error(response)["field"]) == (code, field), changes
    assert client.http.get("/admin/waitlist", headers=headers).json_body["requests"] == []


def test_the_service_filter_finds_a_request_holding_it_anywhere_old_ones_included(client, login, clock):
    headers = login(DESK)
    both = add_request(client, headers, service=None, services=BOTH)
    clock["value"] = NOW + timedelta(minutes=1)
    cut = add_request(client, headers, client={"first_name": "Luis", "phone": "+34611000333"})
    clock["value"] = NOW + timedelta(minutes=2)
    # a request stored before sequences: `service_id` only, no `service_ids`
    old = add_request(client, headers, client={"first_name": "Eva", "phone": "+34611000444"}, service="svc_color")
    item = repository.WaitlistRequestItem.get(repository.wait_pk(SALON), old["id"])
    item.service_ids = None
    item.save()
    assert repository.get(SALON, old["id"]).service_ids == ("svc_color",)

    def ids(service: str) -> list[str]:
        with counting_dynamodb_calls() as calls:
            response = client.http.get(f"/admin/waitlist?service={service}", headers=headers)
        assert response.status_code == 200, response.body
        assert calls.operations()["Query"] == 1 and "Scan" not in calls.operations(), calls.detail()
        return [r["id"] for r in response.json_body["requests"]]

    assert ids("svc_color") == [both["id"], old["id"]]
    assert ids("svc_cut") == [both["id"], cut["id"]]
    assert client.http.get(f"/admin/waitlist/{old['id']}", headers=headers).json_body["services"] == ["svc_color"]


def test_converting_books_every_service_back_to_back_in_one_transaction(client, login, seeded, store):
    headers = login(DESK)
    created = add_request(client, headers, service=None, services=BOTH, windows=[WEDNESDAY])
    with counting_dynamodb_calls() as calls:
        response = post(client, f"/admin/waitlist/{created['id']}/convert", {"start": WEDNESDAY_9,
                                                                            "staff": "stf_ana"}, headers)
    assert response.status_code == 201, response.body
    assert calls.operations()["TransactWriteItems"] == 1, calls.detail()
    made = response.json_body["appointments"]
    assert [(a["service"], a["start"], a["end"]) for a in made] == [
        ("svc_cut", "2026-03-25T08:00:00+00:00", "2026-03-25T08:30:00+00:00"),
        ("svc_color", "2026-03-25T08:40:00+00:00", "2026-03-25T10:10:00+00:00")]  # Color's 10 minutes before
    assert response.json_body["appointment"] == made[0]
    assert response.json_body["request"]["status"] == "booked"
    assert response.json_body["request"]["reference"] == made[0]["reference"]
    booked_ = [store.appointment(a["reference"]) for a in made]
    assert len({a.client_id for a in booked_}) == 1 and {a.staff_id for a in booked_} == {"stf_ana"}
    assert (booked_[0].notes, booked_[1].notes) == ("Mejor temprano", "")
    taken = post(client, "/public/salon/bookings", booking_body("2026-03-25T11:15:00+01:00", staff="stf_ana"))
    assert taken.status_code == 409  # inside Color's buffer after (until 11:25)


def test_when_one_services_time_is_taken_nothing_is_booked(client, login, seeded, store):
    headers = login(DESK)
    created = add_request(client, headers, service=None, services=BOTH, windows=[WEDNESDAY])
    other = post(client, "/public/salon/bookings", booking_body("2026-03-25T10:30:00+01:00", staff="stf_ana"))
    assert other.status_code == 201, other.body  # in the middle of where Color would go
    response = post(client, f"/admin/waitlist/{created['id']}/convert", {"start": WEDNESDAY_9, "staff": "stf_ana"},
                    headers)
    assert response.status_code == 409 and error(response)["code"] == "slot_unavailable", response.body
    assert [a.reference for a in wednesday(store)] == [other.json_body["reference"]]  # no cut at 9:00 either
    assert repository.get(SALON, created["id"]).status.value == "waiting"
    owners = {o for i in LockItem.query(f"LOCK#{SALON}#staff#stf_ana") if i.sk.startswith("2026-03-25")
              for o in i.owners or ()}
    assert owners == {other.json_body["reference"]}


def test_the_booking_page_join_form_takes_the_services_chosen(client, salon):
    body = {**_body(), "service": None, "services": BOTH, "staff": "any"}
    response = post(client, "/public/salon/waitlist", body)
    assert response.status_code == 201, response.body
    assert repository.get(SALON, response.json_body["id"]).service_ids == tuple(BOTH)
    internal = post(client, "/public/salon/waitlist", {**body, "services": ["svc_cut", "svc_private"]})
    assert internal.status_code == 404 and error(internal)["field"] == "services.1"


def test_a_freed_time_is_offered_where_the_whole_sequence_fits_and_accepting_books_both(client, salon, store):
    reference = booked(client)  # Ana, Tuesday 11:00-11:30: the morning has no 145 minutes in one piece
    morning = {"from": "2026-03-24", "to": "2026-03-24", "start": "09:00", "end": "13:00"}
    too_late = join(client, 1, services=BOTH, service=None, windows=[{**morning, "start": "11:00"}])
    fits = join(client, 2, services=BOTH, service=None, windows=[morning])
    free(client, store, reference, NOW)

    assert request(too_late).offers == ()  # from 11:00 Corte + Color would end at 13:10
    opening = opening_of(fits)
    assert (opening.holder, opening.service_id) == (fits, "svc_cut+svc_color")
    assert (opening.start.isoformat(), opening.end.isoformat(), opening.busy.end.isoformat()) == (
        "2026-03-24T08:00:00+00:00", "2026-03-24T10:10:00+00:00", "2026-03-24T10:25:00+00:00")
    view = client.http.get(f"/public/salon/offers/{opening.id}?request={fits}&round=1&token="
                           + _token(opening.id, fits)).json_body
    assert view["service_name"] == "Corte + Color"
    accepted = answer(client, fits)
    assert accepted.status_code == 201, accepted.body
    booked_ = sorted((a for a in store.appointments_between(SALON, opening.start, opening.end)
                      if a.status.value == "confirmed"), key=lambda a: a.start)
    assert [(a.service_id, a.start.isoformat()) for a in booked_] == [
        ("svc_cut", "2026-03-24T08:00:00+00:00"), ("svc_color", "2026-03-24T08:40:00+00:00")]
    assert request(fits).reference == booked_[0].reference == accepted.json_body["reference"]
    held = [i for i in LockItem.query(f"LOCK#{SALON}#staff#stf_ana") if i.held_by]
    assert held == []  # every unit of the hold taken over by one of the two


def _body() -> dict:
    from tests.waitlist.helpers import request_body

    return request_body()


def _token(opening_id: str, request_id: str) -> str:
    from chalicelib.config import settings
    from chalicelib.domain.openings import offer_token

    return offer_token(settings().signing_key, opening_id, request_id, 1)


def test_sequences_converted_at_once_into_overlapping_times_give_one_booking(client, login, seeded, store, clock,
                                                                            atomic_moto):
    from chalicelib.domain.principal import Level, Principal
    from chalicelib.errors import SlotUnavailableError
    from chalicelib.services import waitlist as use_case
    from tests.integration.test_races import run_together

    headers = login(DESK)
    made = [add_request(client, headers, service=None, services=BOTH, windows=[WEDNESDAY],
                        client={"first_name": f"C{n}", "phone": f"+3461100020{n}"}) for n in range(4)]
    principal = Principal(business_id=SALON, staff_id=login.staff_id(DESK), level=Level.RECEPTION_FULL,
                          email="desk@example.com")
    starts = ["2026-03-25T09:00:00+01:00", "2026-03-25T09:30:00+01:00", "2026-03-25T10:00:00+01:00",
              "2026-03-25T10:30:00+01:00"]  # each overlaps every other's 145 minutes
    outcomes = run_together(*[lambda r=r, s=s: use_case.convert(store, principal, r["id"], {"start": s,
                                                                                             "staff": "stf_ana"},
                                                                clock["value"]) for r, s in zip(made, starts)])
    won = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(won) == 1 and all(isinstance(o, SlotUnavailableError) for o in outcomes if o not in won), outcomes
    assert sorted(a.reference for a in wednesday(store)) == sorted(a.reference for a in won[0])
    assert sorted(repository.get(SALON, r["id"]).status.value for r in made) == ["booked"] + ["waiting"] * 3
