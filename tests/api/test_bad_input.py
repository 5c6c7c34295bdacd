"""Bad input gets a clear 4xx with a stable code and the field, never a 500 or a half-written record."""
from __future__ import annotations

import json

import pytest

from tests.api.helpers import JSON, booking_body, error, post

GOOD = booking_body("2026-03-24T11:00:00+01:00", staff="stf_ana")


def with_client(**changes):
    body = json.loads(json.dumps(GOOD))
    body["client"].update(changes)
    return {k: v for k, v in body.items()}


def without(*keys, client_keys=()):
    body = json.loads(json.dumps(GOOD))
    for k in keys:
        body.pop(k)
    for k in client_keys:
        body["client"].pop(k)
    return body


BOOKINGS = [
    ("not json", "{'service':", 400, "malformed_json", None),
    ("a list", [1, 2], 400, "malformed_json", None),
    ("no client", without("client"), 400, "required", "client"),
    ("no service", without("service"), 400, "required", "service"),
    ("service not a string", {**GOOD, "service": 7}, 400, "wrong_type", "service"),
    ("staff not a string", {**GOOD, "staff": ["stf_ana"]}, 400, "wrong_type", "staff"),
    ("unknown staff", {**GOOD, "staff": "stf_nobody"}, 404, "not_found", "staff"),
    ("staff who does not do it", {**GOOD, "service": "svc_color", "staff": "stf_bea"}, 404, "not_found", "staff"),
    ("no start", without("start"), 400, "required", "start"),
    ("start not a date", {**GOOD, "start": "tomorrow"}, 400, "invalid_datetime", "start"),
    ("start without offset", {**GOOD, "start": "2026-03-24T11:00:00"}, 400, "invalid_datetime", "start"),
    ("start in the past", {**GOOD, "start": "2026-03-20T11:00:00+01:00"}, 400, "start_in_past", "start"),
    ("start too soon", {**GOOD, "start": "2026-03-23T08:30:00+01:00"}, 400, "too_soon", "start"),
    ("start beyond horizon", {**GOOD, "start": "2026-06-24T11:00:00+02:00"}, 400, "beyond_horizon", "start"),
    ("start off the grid", {**GOOD, "start": "2026-03-24T11:07:00+01:00"}, 422, "not_a_slot", "start"),
    ("start outside hours", {**GOOD, "start": "2026-03-24T21:00:00+01:00"}, 422, "not_a_slot", "start"),
    ("start on a closed day", {**GOOD, "start": "2026-03-29T11:00:00+02:00"}, 422, "not_a_slot", "start"),
    ("no first name", without(client_keys=("first_name",)), 400, "required", "client.first_name"),
    ("no contact", without(client_keys=("email", "phone")), 400, "required", "client.phone"),
    ("bad email", with_client(email="eva@"), 400, "invalid_email", "client.email"),
    ("bad phone", with_client(phone="12345"), 400, "invalid_phone", "client.phone"),
    ("name too long", with_client(first_name="E" * 101), 400, "too_long", "client.first_name"),
    ("name not a string", with_client(last_name={"x": 1}), 400, "wrong_type", "client.last_name"),
]


@pytest.mark.parametrize("case, body, status, code, field", BOOKINGS, ids=[c[0] for c in BOOKINGS])
def test_bad_bookings_are_refused_and_nothing_is_stored(client, salon, store, case, body, status, code, field):
    response = post(client, "/public/salon/bookings", body)
    assert response.status_code == status, response.body
    assert error(response)["code"] == code
    assert error(response).get("field") == field
    assert error(response)["message"]
    _nothing_stored(store)


def test_a_body_over_64_kb_gets_413(client, salon, store):
    body = with_client(notes="x" * (65 * 1024))
    response = post(client, "/public/salon/bookings", body)
    assert response.status_code == 413 and error(response)["code"] == "payload_too_large"
    _nothing_stored(store)


def test_an_unknown_business_gets_404_everywhere(client, salon):
    for path in ("/public/nope", "/public/nope/services", "/public/nope/staff?service=svc_cut",
                 "/public/nope/availability?service=svc_cut&from=2026-03-24&to=2026-03-24"):
        response = client.http.get(path)
        assert response.status_code == 404 and error(response) == {
            "code": "not_found", "message": "no such business", "field": "business"}
    assert post(client, "/public/nope/bookings", GOOD).status_code == 404


AVAILABILITY = [
    ("service=svc_cut&from=2026-03-24", 400, "required", "to"),
    ("from=2026-03-24&to=2026-03-24", 400, "required", "service"),
    ("service=svc_cut&from=24/03/2026&to=2026-03-24", 400, "invalid_date", "from"),
    ("service=svc_cut&from=2026-03-25&to=2026-03-24", 400, "invalid", "to"),
    ("service=svc_cut&from=2026-03-01&to=2026-04-01", 400, "range_too_long", "to"),
    ("service=svc_nope&from=2026-03-24&to=2026-03-24", 404, "not_found", "service"),
    ("service=svc_private&from=2026-03-24&to=2026-03-24", 404, "not_found", "service"),
    ("service=svc_cut&staff=stf_x&from=2026-03-24&to=2026-03-24", 404, "not_found", "staff"),
]


@pytest.mark.parametrize("params, status, code, field", AVAILABILITY, ids=[a[0] for a in AVAILABILITY])
def test_bad_availability_queries(client, salon, params, status, code, field):
    response = client.http.get(f"/public/salon/availability?{params}")
    assert response.status_code == status and error(response)["code"] == code and error(response)["field"] == field


def test_thirty_one_days_is_allowed(client, salon):
    response = client.http.get("/public/salon/availability?service=svc_cut&from=2026-03-01&to=2026-03-31")
    assert response.status_code == 200


def _nothing_stored(store):
    from chalicelib.repositories.tables import Item

    kinds = {type(item).__name__ for item in Item.scan()}
    assert kinds <= {"BusinessItem", "SlugItem", "StaffItem", "ServiceItem", "ThrottleItem"}, kinds


# -- sign-up's slug check: any address typed is an answer, never an error --------------------------------
SLUGS = [
    ("Salone-Rosa", "salone-rosa", True, None),  # read lower-cased
    ("-salone", "-salone", False, "invalid"),
    ("salone-", "salone-", False, "invalid"),
    ("sa--lone", "sa--lone", False, "invalid"),
    ("ab", "ab", False, "invalid"),
    ("a" * 1000, "a" * 1000, False, "invalid"),
    ("ADMIN-APP", "admin-app", False, "reserved"),
    ("salon", "salon", False, "taken"),
]


@pytest.mark.parametrize("typed, slug, available, reason", SLUGS, ids=[s[0][:12] for s in SLUGS])
def test_any_slug_typed_gets_an_answer_saying_why_not(client, salon, typed, slug, available, reason):
    response = client.http.get(f"/public/slugs/{typed}")
    assert response.status_code == 200, response.body
    assert {k: response.json_body[k] for k in ("slug", "available", "reason")} == \
        {"slug": slug, "available": available, "reason": reason}


@pytest.mark.parametrize("typed", ["%C3%B1and%C3%BA", "%D1%81%D0%B0%D0%BB%D0%BE%D0%BD", "a%00b", "a%2Fb"])
def test_a_slug_outside_a_z_is_invalid_not_an_error(client, salon, typed):
    response = client.http.get(f"/public/slugs/{typed}")
    assert response.status_code == 200 and response.json_body["reason"] == "invalid", response.body


@pytest.mark.parametrize("path", ["/public/salon/bookings", "/public/signup", "/auth/login", "/auth/refresh",
                                  "/auth/password/forgot"])
def test_a_body_nested_thousands_deep_is_a_400_not_a_crash(client, salon, store, path):
    """Under the 64 KB limit JSON can nest 30,000 deep, past the parser's recursion limit."""
    deep = '{"email": ' + "[" * 30000 + "]" * 30000 + "}"
    response = client.http.post(path, body=deep, headers=JSON)
    assert response.status_code == 400, response.body
    assert error(response) == {"code": "malformed_json", "message": "the body is not valid JSON"}
    _nothing_stored(store)
