"""Backoffice clients: create, edit with contact keys kept consistent, view with history, who sees what."""
from __future__ import annotations

import json
from datetime import timedelta

from chalicelib.domain.principal import Level
from tests.api.helpers import booking_body, error, post

DESK = Level.RECEPTION_FULL


def patch(client, path, body, headers):
    return client.http.patch(path, body=json.dumps(body), headers={"Content-Type": "application/json", **headers})


def new_client(client, headers, **fields):
    body = {"first_name": "José", "last_name": "Álvarez", **fields}
    response = post(client, "/admin/clients", body, headers)
    assert response.status_code == 201, response.body
    return response.json_body


def test_staff_register_a_client_with_normalised_details(client, login):
    created = new_client(client, login(DESK), email="Jose.Alvarez@Example.COM", phone="+34 611 222 333",
                         mobile="0034 622 333 444", fiscal_code="12345678-z", notes="Prefiere mañanas")
    assert created["email"] == "jose.alvarez@example.com"
    assert (created["phone"], created["mobile"]) == ("+34611222333", "+34622333444")
    assert created["fiscal_code"] == "12345678Z"
    shown = client.http.get(f"/admin/clients/{created['id']}", headers=login(DESK)).json_body
    assert shown["notes"] == "Prefiere mañanas" and shown["history"] == []
    assert created["id"].startswith("cli_") and len(created["id"]) > 12


def test_bad_client_details_are_400_naming_the_field(client, login):
    for body, field in (({"last_name": "X"}, "first_name"), ({"first_name": "A", "email": "nope"}, "email"),
                        ({"first_name": "A", "phone": "12"}, "phone"), ({"first_name": "A", "mobile": "abc"}, "mobile"),
                        ({"first_name": "A", "fiscal_code": "?"}, "fiscal_code"),
                        ({"first_name": "A", "vip": True}, "vip"), ({"first_name": 3}, "first_name")):
        response = post(client, "/admin/clients", body, login(DESK))
        assert response.status_code == 400, body
        assert error(response)["field"] == field


def test_an_email_or_number_another_client_holds_is_refused_with_409(client, login, seeded):
    for field, value in (("email", seeded["client_email"]), ("phone", seeded["client_phone"]),
                         ("mobile", seeded["client_phone"])):
        response = post(client, "/admin/clients", {"first_name": "Otra", field: value}, login(DESK))
        assert response.status_code == 409, field
        assert error(response) | {"message": ""} == {"code": "contact_in_use", "field": field, "message": ""}


def test_changing_an_email_moves_its_key(client, login, seeded):
    headers = login(DESK)
    created = new_client(client, headers, email="old@example.com", phone="+34611000001")
    response = patch(client, f"/admin/clients/{created['id']}", {"email": "new@example.com"}, headers)
    assert response.status_code == 200, response.body
    assert response.json_body["email"] == "new@example.com" and response.json_body["phone"] == "+34611000001"
    # the old email is free again, the new one is taken
    assert post(client, "/admin/clients", {"first_name": "B", "email": "old@example.com"}, headers).status_code == 201
    assert post(client, "/admin/clients", {"first_name": "C", "email": "new@example.com"}, headers).status_code == 409
    # an online booking with the new email is recognised as this returning client
    booked = post(client, "/public/salon/bookings",
                  booking_body("2026-03-24T12:00:00+01:00", staff="stf_ana", email="new@example.com", phone=None))
    assert booked.status_code == 201, booked.body
    from chalicelib import wiring

    assert wiring.store().appointment(booked.json_body["reference"]).client_id == created["id"]


def test_taking_another_clients_email_on_edit_is_409_and_changes_nothing(client, login, seeded):
    headers = login(DESK)
    created = new_client(client, headers, email="mine@example.com")
    response = patch(client, f"/admin/clients/{created['id']}",
                     {"first_name": "Renamed", "email": seeded["client_email"]}, headers)
    assert response.status_code == 409 and error(response)["code"] == "contact_in_use"
    shown = client.http.get(f"/admin/clients/{created['id']}", headers=headers).json_body
    assert (shown["first_name"], shown["email"]) == ("José", "mine@example.com")
    assert post(client, "/admin/clients", {"first_name": "D", "email": "mine@example.com"}, headers).status_code == 409


def test_clearing_a_phone_frees_it_and_first_name_cannot_be_cleared(client, login):
    headers = login(DESK)
    created = new_client(client, headers, phone="+34611000002")
    cleared = patch(client, f"/admin/clients/{created['id']}", {"phone": None}, headers)
    assert cleared.status_code == 200 and cleared.json_body["phone"] is None
    assert post(client, "/admin/clients", {"first_name": "E", "phone": "+34611000002"}, headers).status_code == 201
    response = patch(client, f"/admin/clients/{created['id']}", {"first_name": ""}, headers)
    assert response.status_code == 400 and error(response)["field"] == "first_name"


def test_a_client_is_shown_with_their_history_newest_first(client, login, seeded):
    later = post(client, "/public/salon/bookings",
                 booking_body("2026-03-25T11:00:00+01:00", staff="stf_ana", email=seeded["client_email"]))
    assert later.status_code == 201
    shown = client.http.get(f"/admin/clients/{seeded['client']}", headers=login(DESK)).json_body
    assert [h["reference"] for h in shown["history"]] == [later.json_body["reference"], seeded["reference"]]
    assert shown["history"][1] | {"start": seeded["start"]} == shown["history"][1]
    assert shown["history"][1]["service_name"] == "Corte" and shown["history"][1]["status"] == "confirmed"


def test_unknown_clients_are_404(client, login, backoffice):
    response = client.http.get("/admin/clients/cli_nope", headers=login(DESK))
    assert response.status_code == 404 and error(response)["code"] == "not_found"
    assert patch(client, "/admin/clients/cli_nope", {"first_name": "X"}, login(DESK)).status_code == 404


def test_level_6_never_receives_email_or_phone(client, login, seeded):
    headers = login(Level.PROFESSIONAL_NO_CONTACTS)
    responses = [
        client.http.get(f"/admin/clients/{seeded['client']}", headers=headers),
        client.http.get("/admin/clients?q=eva", headers=headers),
        client.http.get("/admin/clients", headers=headers),
        client.http.get(f"/admin/appointments/{seeded['reference']}", headers=headers),
        client.http.get("/admin/agenda?view=week&date=2026-03-24", headers=headers),
    ]
    for response in responses:
        assert response.status_code == 200, response.body
        raw = response.body.decode() if isinstance(response.body, bytes) else str(response.body)
        assert "eva.private" not in raw and "699111222" not in raw and '"email"' not in raw, raw
    assert responses[1].json_body["clients"][0]["id"] == seeded["client"]
    # ...nor can they find a client by those details
    for q in (seeded["client_email"], "699 111 222"):
        found = client.http.get(f"/admin/clients?q={q}", headers=headers).json_body["clients"]
        assert found == []


def test_level_6_and_7_cannot_edit_clients(client, login, seeded):
    for level in (Level.PROFESSIONAL_NO_CONTACTS, Level.PROFESSIONAL_OWN):
        response = patch(client, f"/admin/clients/{seeded['client']}", {"first_name": "X"}, login(level))
        assert response.status_code == 403


def test_level_7_sees_only_clients_of_its_own_appointments(client, login, seeded):
    cris = login(Level.PROFESSIONAL_OWN)
    assert client.http.get(f"/admin/clients/{seeded['client']}", headers=cris).status_code == 404
    assert client.http.get("/admin/clients?q=eva", headers=cris).json_body["clients"] == []
    own = post(client, "/public/salon/bookings",
               booking_body("2026-03-24T15:00:00+01:00", staff="stf_cris", email=seeded["client_email"]))
    assert own.status_code == 201, own.body
    shown = client.http.get(f"/admin/clients/{seeded['client']}", headers=cris)
    assert shown.status_code == 200
    assert [h["reference"] for h in shown.json_body["history"]] == [own.json_body["reference"]]
    assert [c["id"] for c in client.http.get("/admin/clients?q=eva", headers=cris).json_body["clients"]] == [seeded["client"]]
    listing = client.http.get("/admin/clients", headers=cris)
    assert listing.status_code == 400 and error(listing)["field"] == "q"


def test_client_changes_are_audited_with_the_fields_that_changed(client, login, clock):
    created = new_client(client, login(DESK), email="audit@example.com")
    clock["value"] += timedelta(minutes=1)
    patch(client, f"/admin/clients/{created['id']}", {"notes": "Prefiere tardes", "email": "otro@example.com"},
          login(DESK))
    log = client.http.get("/admin/audit", headers=login(Level.ADMIN)).json_body["entries"]
    assert [e["action"] for e in log[:2]] == ["client.update", "client.create"]
    assert log[0]["before"] == {"email": "audit@example.com", "notes": ""}
    assert log[0]["after"] == {"email": "otro@example.com", "notes": "Prefiere tardes"}
    assert log[1]["after"]["first_name"] == "José" and log[1]["target"] == {"kind": "client", "id": created["id"]}


def test_ids_that_cannot_be_keys_are_404_not_500(client, login, seeded):
    headers = login(DESK)
    long_id = "c" * 2000
    for path in (f"/admin/clients/{long_id}", f"/admin/appointments/{long_id}", "/admin/clients/cli%20x"):
        response = client.http.get(path, headers=headers)
        assert response.status_code == 404, (path[:40], response.status_code)
    from chalicelib.domain.search import encode_cursor

    for after in ("x" * 2000, 7, ["a"]):
        response = client.http.get(f"/admin/clients?q=eva&cursor={encode_cursor({'q': ['eva'], 'after': after})}",
                                   headers=headers)
        assert response.status_code == 400, after
