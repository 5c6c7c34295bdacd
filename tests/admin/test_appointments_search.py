"""Agenda search (`GET /admin/appointments?q=`): appointments by the start of any word of their client's
name, surname, fiscal code or phone, their notes and their status; accents and case folded; the status
follows every change in the change's own transaction; level 6 never by phone; one business only."""
from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest

from chalicelib.domain.principal import Level
from tests.api.helpers import booking_body, error, post

DESK = Level.RECEPTION_FULL


def search(client, headers, q, **params):
    query = "&".join([f"q={quote(q)}"] + [f"{k}={quote(str(v))}" for k, v in params.items()])
    return client.http.get(f"/admin/appointments?{query}", headers=headers)


def references(client, headers, q):
    response = search(client, headers, q)
    assert response.status_code == 200, response.body
    return {a["reference"] for a in response.json_body["appointments"]}


@pytest.fixture
def booked(client, login, seeded):
    """José's appointment with Ana (notes about a dye allergy) and Mario's with Cris; Eva's online one."""
    headers = login(DESK)
    made = {"eva": seeded["reference"]}
    for key, person, staff, start, notes in (
        ("jose", {"first_name": "José María", "last_name": "Álvarez", "phone": "+34 611 222 333",
                  "fiscal_code": "X1234567L"}, "stf_ana", "2026-03-25T10:00:00+01:00", "Alergia al TINTE amoniacal"),
        ("mario", {"first_name": "Mario", "last_name": "Martínez"}, "stf_cris", "2026-03-25T11:00:00+01:00", ""),
    ):
        registered = post(client, "/admin/clients", person, headers)
        assert registered.status_code == 201, registered.body
        response = post(client, "/admin/appointments", {"client": registered.json_body["id"], "service": "svc_cut",
                                                        "staff": staff, "start": start, "notes": notes}, headers)
        assert response.status_code == 201, response.body
        made[key] = response.json_body["reference"]
    return made


@pytest.mark.parametrize("q", ["jose", "JOSÉ", "jos", "álvarez", "alv", "maria alv", "x1234567l", "X12",
                               "611 22", "+34 611 222 333", "0034611222333", "alergia", "TINT", "tinte jose"])
def test_client_words_notes_and_phone_find_the_appointment(client, login, booked, q):
    assert references(client, login(DESK), q) == {booked["jose"]}


def test_every_word_must_start_one_of_the_appointments_words(client, login, booked):
    headers = login(DESK)
    assert references(client, headers, "mart") == {booked["mario"]}
    assert references(client, headers, "tinte mario") == set()
    assert references(client, headers, "nobody") == set()


def test_the_status_follows_the_appointment(client, login, booked):
    # given three confirmed appointments
    headers = login(DESK)
    assert references(client, headers, "confirmed") == set(booked.values())
    assert references(client, headers, "cancel") == set()

    # when José's is cancelled
    cancelled = post(client, f"/admin/appointments/{booked['jose']}/cancel", {}, headers)
    assert cancelled.status_code == 200, cancelled.body

    # then it is found by its new status at once, and no longer by the old one
    assert references(client, headers, "cancelled") == {booked["jose"]} == references(client, headers, "jose canc")
    assert references(client, headers, "confirmed") == {booked["eva"], booked["mario"]}


def test_an_online_booking_and_its_new_client_are_found_by_what_the_client_typed(client, login, booked):
    made = post(client, "/public/salon/bookings",
                booking_body("2026-03-24T12:00:00+01:00", staff="stf_ana", email="zoe@example.com", phone=None,
                             client={"first_name": "Zoë", "last_name": "Ñúñez", "email": "zoe@example.com",
                                     "notes": "Primera visita"}))
    assert made.status_code == 201, made.body
    headers = login(DESK)
    assert references(client, headers, "zoe nunez") == {made.json_body["reference"]}
    clients = client.http.get("/admin/clients?q=zoe%20nun", headers=headers).json_body["clients"]
    assert [(c["first_name"], c["last_name"]) for c in clients] == [("Zoë", "Ñúñez")]
    assert references(client, headers, "primera vis") == {made.json_body["reference"]}
    assert references(client, headers, "eva ruiz") == {booked["eva"]}


def test_level_6_never_finds_an_appointment_by_phone(client, login, booked):
    headers = login(Level.PROFESSIONAL_NO_CONTACTS)
    assert references(client, headers, "611 22") == set() == references(client, headers, "+34611222333")
    assert references(client, headers, "jose") == {booked["jose"]}
    found = search(client, headers, "jose").json_body["appointments"][0]
    assert "phone" not in str(found.get("client"))


def test_level_7_finds_only_its_own_appointments(client, login, booked):
    headers = login(Level.PROFESSIONAL_OWN)  # Cris
    assert references(client, headers, "confirmed") == {booked["mario"]}
    assert references(client, headers, "jose") == set()


def test_another_business_never_finds_these_appointments(client, login, booked):
    headers = login(Level.ADMIN, business="biz_other")
    for q in ("jose", "confirmed", "611 22", "alergia"):
        assert references(client, headers, q) == set()


def test_results_come_a_page_at_a_time(client, login, booked):
    headers = login(DESK)
    first = search(client, headers, "confirmed", limit=2).json_body
    rest = search(client, headers, "confirmed", limit=2, cursor=first["cursor"]).json_body
    assert len(first["appointments"]) == 2 and rest["cursor"] is None
    assert {a["reference"] for a in first["appointments"] + rest["appointments"]} == set(booked.values())


@pytest.mark.parametrize("path, code", [("/admin/appointments?q=j", "query_too_short"),
                                        ("/admin/appointments", "required"),
                                        ("/admin/appointments?q=%20", "required"),
                                        ("/admin/appointments?q=jose&cursor=garbage!", "invalid_cursor"),
                                        ("/admin/appointments?q=jose&limit=0", "out_of_range")])
def test_bad_searches_are_400(client, login, booked, path, code):
    response = client.http.get(path, headers=login(DESK))
    assert response.status_code == 400 and error(response)["code"] == code


def forged_cursor(words, after):
    """A cursor as the API encodes one, around a sort key nobody returned."""
    raw = json.dumps({"after": after, "q": words}, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("path", ["/admin/appointments", "/admin/clients"])
@pytest.mark.parametrize("after", ["jose" + "x" * 1100, "jose\ud800", "jose#" + "é" * 600])
def test_a_forged_cursor_whose_key_no_search_returns_is_400_not_a_database_error(client, login, booked, path, after):
    """DynamoDB refuses a start key over 1024 bytes or not UTF-8: the cursor is refused before it is asked."""
    response = client.http.get(f"{path}?q=jose&cursor={forged_cursor(['jose'], after)}", headers=login(DESK))
    assert response.status_code == 400 and error(response) == {
        "code": "invalid_cursor", "message": "not a cursor this API returned", "field": "cursor"}


@pytest.mark.parametrize("path", ["/admin/appointments?q=jose&", "/admin/clients?q=jose&", "/admin/clients?"])
def test_a_cursor_nesting_thousands_deep_is_400_not_a_crash(client, login, booked, path):
    cursor = base64.urlsafe_b64encode(b"[" * 3000 + b"]" * 3000).decode()
    response = client.http.get(f"{path}cursor={cursor}", headers=login(DESK))
    assert response.status_code == 400 and error(response)["code"] == "invalid_cursor"
