"""The public booking API end to end: chalice.test.Client -> services -> DynamoDB (moto)."""
from __future__ import annotations

import random

from chalicelib.domain.model import Approval, BookingRules
from tests import factories
from tests.api.helpers import booking_body, cancel, error, post

TUESDAY_11 = "2026-03-24T11:00:00+01:00"


def test_profile_shows_the_public_rules_and_whether_a_code_is_needed(client, salon):
    body = client.http.get("/public/salon").json_body
    assert body == {
        "slug": "salon", "name": "Salón Lucía", "timezone": "Europe/Madrid", "locale": "es", "currency": "EUR",
        "requires_code": False,
        "booking_rules": {"slot_step_minutes": 15, "min_notice_minutes": 60, "horizon_days": 60,
                          "approval": "automatic"},
    }


def test_services_lists_only_active_ones_with_decimal_prices(client, salon):
    services = client.http.get("/public/salon/services").json_body["services"]
    assert [s["id"] for s in services] == ["svc_color", "svc_cut"]
    assert services[0] == {"id": "svc_color", "name": "Color", "description": "", "category": "Pelo",
                           "duration_minutes": 90, "price": "60.50", "currency": "EUR"}


def test_staff_lists_who_performs_a_service_without_contact_details(client, salon):
    assert client.http.get("/public/salon/staff?service=svc_cut").json_body == {
        "staff": [{"id": "stf_ana", "name": "Ana"}, {"id": "stf_bea", "name": "Bea"}]}
    assert client.http.get("/public/salon/staff?service=svc_color").json_body == {
        "staff": [{"id": "stf_ana", "name": "Ana"}]}


def test_availability_gives_local_times_with_offsets_and_who_is_free(client, salon):
    body = client.http.get("/public/salon/availability?service=svc_cut&staff=any&from=2026-03-24&to=2026-03-24").json_body
    assert body["timezone"] == "Europe/Madrid"
    first = body["slots"][0]
    assert first == {"start": "2026-03-24T09:00:00+01:00", "end": "2026-03-24T09:30:00+01:00", "staff": ["stf_ana"]}
    eleven = next(s for s in body["slots"] if s["start"] == TUESDAY_11)
    assert eleven["staff"] == ["stf_ana", "stf_bea"]


def test_a_booked_slot_disappears_for_that_professional_and_nothing_about_it_is_shown(client, salon):
    made = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff="stf_ana"))
    assert made.status_code == 201
    slots = client.http.get("/public/salon/availability?service=svc_cut&staff=any&from=2026-03-24&to=2026-03-24")
    eleven = next(s for s in slots.json_body["slots"] if s["start"] == TUESDAY_11)
    assert eleven["staff"] == ["stf_bea"]
    assert "Eva" not in slots.body.decode() and made.json_body["reference"] not in slots.body.decode()


def test_booking_returns_the_contract_and_the_manage_link_shows_it(client, salon):
    made = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff="stf_bea"))
    assert made.status_code == 201, made.body
    body = made.json_body
    assert {k: body[k] for k in ("status", "start", "end", "service", "staff")} == {
        "status": "confirmed", "start": TUESDAY_11, "end": "2026-03-24T11:30:00+01:00",
        "service": "svc_cut", "staff": "stf_bea"}
    assert len(body["reference"]) == 12 and body["price"] == "25.00"
    shown = client.http.get(f"/public/bookings/{body['reference']}?token={body['manage_token']}")
    assert shown.status_code == 200 and shown.json_body["start"] == TUESDAY_11
    assert "manage_token" not in shown.json_body
    forged = body["manage_token"][:-1] + ("1" if body["manage_token"].endswith("0") else "0")
    for token in ("", "?token=wrong", f"?token={forged}"):
        denied = client.http.get(f"/public/bookings/{body['reference']}{token}")
        assert denied.status_code == 404 and error(denied)["code"] == "not_found"


def test_the_same_slot_twice_gets_409_and_any_moves_to_a_free_colleague(client, salon):
    assert post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff="stf_ana")).status_code == 201
    taken = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff="stf_ana", email="x@example.com"))
    assert taken.status_code == 409 and error(taken) == {
        "code": "slot_unavailable", "message": "that time is no longer available", "field": "start"}
    anyone = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, email="y@example.com"))
    assert anyone.status_code == 201 and anyone.json_body["staff"] == "stf_bea"
    third = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, email="z@example.com"))
    assert third.status_code == 409


def test_buffers_block_an_overlapping_slot_at_the_database(client, salon, store):
    assert post(client, "/public/salon/bookings",
                booking_body("2026-03-24T10:00:00+01:00", service="svc_color", staff="stf_ana")).status_code == 201
    # 11:30 is on the grid and inside Ana's hours, but the colour's 15-minute after-buffer runs to 11:45.
    late = post(client, "/public/salon/bookings",
                booking_body("2026-03-24T11:30:00+01:00", staff="stf_ana", email="o@example.com"))
    assert late.status_code == 409


def test_cancelling_frees_the_time_again(client, salon, store, clock):
    made = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff="stf_ana")).json_body
    cancel(store, made["reference"], clock["value"])
    again = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff="stf_ana", email="n@example.com"))
    assert again.status_code == 201


def test_a_returning_client_is_matched_by_email_or_phone(client, salon, store):
    first = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff="stf_ana")).json_body
    by_email = post(client, "/public/salon/bookings",
                    booking_body("2026-03-25T11:00:00+01:00", email="EVA@example.com", phone="+34699999999")).json_body
    by_phone = post(client, "/public/salon/bookings",
                    booking_body("2026-03-26T11:00:00+01:00", email="other@example.com",
                                 phone="+34 612 34 56 78")).json_body
    clients = {store.appointment(b["reference"]).client_id for b in (first, by_email, by_phone)}
    assert len(clients) == 1


def test_manual_approval_leaves_online_bookings_pending_and_holding_the_time(client, store):
    factories.seed(store, factories.salon(rules=BookingRules(approval=Approval.MANUAL)))
    made = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff="stf_ana"))
    assert made.json_body["status"] == "pending"
    assert post(client, "/public/salon/bookings",
                booking_body(TUESDAY_11, staff="stf_ana", email="q@example.com")).status_code == 409


def test_total_availability_lets_online_bookings_land_on_taken_slots(client, store):
    factories.seed(store, factories.salon(rules=BookingRules(total_availability=True)))
    for email in ("a@example.com", "b@example.com"):
        made = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff="stf_ana", email=email))
        assert made.status_code == 201


def test_internal_and_disabled_services_cannot_be_booked_online(client, salon):
    for service in ("svc_private", "svc_old", "svc_missing"):
        refused = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, service=service, staff="stf_ana"))
        assert refused.status_code == 404 and error(refused)["field"] == "service"


def test_property_any_listed_slot_can_be_booked(client, salon):
    """Booking a returned slot always succeeds (seeded sample of the week's slots)."""
    week = client.http.get("/public/salon/availability?service=svc_color&staff=any&from=2026-03-23&to=2026-03-29")
    chooser = random.Random(20260323)
    for n in range(8):
        listed = client.http.get("/public/salon/availability?service=svc_color&staff=any"
                                 "&from=2026-03-23&to=2026-03-29").json_body["slots"]
        if not listed:
            break
        slot = chooser.choice(listed)
        made = post(client, "/public/salon/bookings",
                    booking_body(slot["start"], service="svc_color", email=f"p{n}@example.com"))
        assert made.status_code == 201, (slot, made.body)
        assert made.json_body["staff"] in slot["staff"]
    assert week.status_code == 200
