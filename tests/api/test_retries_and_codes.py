"""Retried requests, secret codes and the wrong-code throttle."""
from __future__ import annotations

from datetime import timedelta

from tests import factories
from tests.api.helpers import booking_body, cancel, error, post

SLOT = "2026-03-24T11:00:00+01:00"


def stored_appointments(store, business_id="biz_salon"):
    from datetime import datetime

    from chalicelib.domain.calendar import UTC

    return store.appointments_between(business_id, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC))


def test_a_retried_booking_with_the_same_key_returns_the_same_booking_and_creates_nothing(client, salon, store):
    key = {"Idempotency-Key": "retry-0001-abcdef"}
    first = post(client, "/public/salon/bookings", booking_body(SLOT, staff="stf_ana"), key)
    second = post(client, "/public/salon/bookings", booking_body(SLOT, staff="stf_ana"), key)
    assert first.status_code == second.status_code == 201
    assert second.json_body == first.json_body
    assert len(stored_appointments(store)) == 1


def test_a_reused_key_with_a_different_body_gets_422(client, salon, store):
    key = {"Idempotency-Key": "retry-0002-abcdef"}
    assert post(client, "/public/salon/bookings", booking_body(SLOT, staff="stf_ana"), key).status_code == 201
    other = post(client, "/public/salon/bookings", booking_body("2026-03-24T12:00:00+01:00", staff="stf_ana"), key)
    assert other.status_code == 422 and error(other)["code"] == "idempotency_key_reused"
    assert len(stored_appointments(store)) == 1


def test_keys_are_per_business(client, salon, store):
    factories.seed(store, factories.salon(id="biz_other", slug="other"))
    key = {"Idempotency-Key": "shared-key-123456"}
    assert post(client, "/public/salon/bookings", booking_body(SLOT, staff="stf_ana"), key).status_code == 201
    made = post(client, "/public/other/bookings", booking_body(SLOT, staff="stf_ana"), key)
    assert made.status_code == 201 and len(stored_appointments(store, "biz_other")) == 1


def test_a_failed_booking_is_not_remembered_so_a_retry_can_succeed(client, salon, store, clock):
    key = {"Idempotency-Key": "retry-0003-abcdef"}
    blocker = post(client, "/public/salon/bookings", booking_body(SLOT, staff="stf_ana", email="b@example.com"))
    assert post(client, "/public/salon/bookings", booking_body(SLOT, staff="stf_ana"), key).status_code == 409
    cancel(store, blocker.json_body["reference"], clock["value"])
    assert post(client, "/public/salon/bookings", booking_body(SLOT, staff="stf_ana"), key).status_code == 201


def test_a_too_short_key_is_refused(client, salon):
    response = post(client, "/public/salon/bookings", booking_body(SLOT), {"Idempotency-Key": "abc"})
    assert response.status_code == 400 and error(response)["field"] == "Idempotency-Key"


# --- secret codes -------------------------------------------------------------------------------------


def coded_salon(store):
    members = factories.staff()
    from dataclasses import replace

    members[1] = replace(members[1], secret_code="7788")
    return factories.seed(store, factories.salon(secret_code="202611"), members=members)


def test_a_business_code_is_needed_and_checked(client, store):
    coded_salon(store)
    assert client.http.get("/public/salon").json_body["requires_code"] is True
    missing = post(client, "/public/salon/bookings", booking_body(SLOT, staff="stf_ana"))
    assert missing.status_code == 403 and error(missing) == {
        "code": "code_required", "message": "a code is needed to book here", "field": "code"}
    wrong = post(client, "/public/salon/bookings", booking_body(SLOT, staff="stf_ana", code="guess"))
    assert wrong.status_code == 403 and error(wrong)["code"] == "invalid_code"
    right = post(client, "/public/salon/bookings", booking_body(SLOT, staff="stf_ana", code="202611"))
    assert right.status_code == 201


def test_a_personal_code_unlocks_only_that_professional(client, store):
    coded_salon(store)
    assert client.http.get("/public/salon/staff?service=svc_cut&code=7788").json_body == {
        "staff": [{"id": "stf_bea", "name": "Bea"}]}
    refused = post(client, "/public/salon/bookings", booking_body(SLOT, staff="stf_ana", code="7788"))
    assert refused.status_code == 403 and error(refused)["code"] == "code_required"
    anyone = post(client, "/public/salon/bookings", booking_body(SLOT, code="7788"))
    assert anyone.status_code == 201 and anyone.json_body["staff"] == "stf_bea"


def test_the_services_listed_with_a_personal_code_are_that_professionals(client, store):
    """Bea (personal code 7788) only cuts: a client holding her code is not offered colour, a dead end."""
    coded_salon(store)
    listed = lambda query: [s["id"] for s in client.http.get(f"/public/salon/services{query}").json_body["services"]]
    assert listed("?code=7788") == ["svc_cut"]
    assert listed("?code=202611") == listed("") == ["svc_color", "svc_cut"]
    wrong = client.http.get("/public/salon/services?code=0000")
    assert wrong.status_code == 403 and error(wrong) == {
        "code": "invalid_code", "message": "that code is not valid", "field": "code"}


def test_a_professional_with_a_personal_code_is_hidden_from_clients_without_it(client, store):
    from dataclasses import replace

    members = factories.staff()
    members[1] = replace(members[1], secret_code="7788")
    factories.seed(store, members=members)
    assert client.http.get("/public/salon/staff?service=svc_cut").json_body == {
        "staff": [{"id": "stf_ana", "name": "Ana"}]}
    slots = client.http.get("/public/salon/availability?service=svc_cut&from=2026-03-24&to=2026-03-24").json_body
    assert all(s["staff"] == ["stf_ana"] for s in slots["slots"])
    assert post(client, "/public/salon/bookings", booking_body(SLOT, staff="stf_bea")).status_code == 403


def test_five_wrong_codes_in_fifteen_minutes_lock_the_address_until_the_window_passes(client, store, clock):
    coded_salon(store)
    start = clock["value"]
    for minute in range(5):
        clock["value"] = start + timedelta(minutes=minute)
        assert post(client, "/public/salon/bookings", booking_body(SLOT, code=f"guess{minute}")).status_code == 403
    clock["value"] = start + timedelta(minutes=6)
    locked = post(client, "/public/salon/bookings", booking_body(SLOT, code="202611"))
    assert locked.status_code == 429 and error(locked)["code"] == "too_many_attempts"
    assert locked.headers["Retry-After"] == str(9 * 60 + 1)
    assert client.http.get("/public/salon/staff?service=svc_cut&code=202611").status_code == 429
    clock["value"] = start + timedelta(minutes=15, seconds=1)
    assert post(client, "/public/salon/bookings", booking_body(SLOT, code="202611")).status_code == 201


def test_codes_are_not_needed_where_nothing_is_locked(client, salon):
    assert post(client, "/public/salon/bookings", booking_body(SLOT, code="anything")).status_code == 201
