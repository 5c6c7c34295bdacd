"""Text a person typed is kept as text: control characters are refused (400 naming the field), the rest is
stored in Unicode NFC, so "José" typed on any keyboard is one name; search queries have a length limit."""
from __future__ import annotations

import json

import pytest

from chalicelib.domain.principal import Level
from tests.api.helpers import booking_body, error, post

TUESDAY_11 = "2026-03-24T11:00:00+01:00"
NFD_JOSE = "Jose\u0301"  # "José" with a combining accent, as some keyboards send it


def assert_control_refused(response, field: str) -> None:
    assert response.status_code == 400, response.body
    assert error(response)["code"] == "control_character" and error(response)["field"] == field


@pytest.mark.parametrize("name", ["A\u0000\u0007", "Eva\u001b[31m", "Eva\nRuiz", "Eva\u0085", "\ud800Eva",
                                  "Eva\u202etxt.exe", "Eva\u2066Ruiz\u2069"])
def test_a_name_with_control_characters_is_refused_and_nothing_is_booked(client, salon, name):
    body = booking_body(TUESDAY_11, staff="stf_ana")
    body["client"]["first_name"] = name
    assert_control_refused(post(client, "/public/salon/bookings", body), "client.first_name")
    slots = client.http.get("/public/salon/availability?service=svc_cut&staff=stf_ana&from=2026-03-24&to=2026-03-24")
    assert TUESDAY_11 in {s["start"] for s in slots.json_body["slots"]}


def test_notes_keep_their_line_breaks_but_not_other_control_characters(client, salon):
    body = booking_body(TUESDAY_11, staff="stf_ana")
    body["client"]["notes"] = "Alergia al tinte\u0000"
    assert_control_refused(post(client, "/public/salon/bookings", body), "client.notes")
    body["client"]["notes"] = "Alergia al tinte.\r\nPrefiere\tpor la mañana"
    assert post(client, "/public/salon/bookings", body).status_code == 201


def test_the_backoffice_stores_names_in_nfc_and_refuses_control_characters(client, login):
    headers = login(Level.RECEPTION_FULL)
    made = post(client, "/admin/clients", {"first_name": NFD_JOSE, "last_name": "Martínez", "phone": "+34611223344"},
                headers)
    assert made.status_code == 201, made.body
    assert made.json_body["first_name"] == "José" and len(made.json_body["first_name"]) == 4
    found = client.http.get("/admin/clients?q=jos%C3%A9", headers=headers).json_body["clients"]
    assert made.json_body["id"] in {c["id"] for c in found}
    refused = post(client, "/admin/clients", {"first_name": "Ana\u0007", "phone": "+34611223355"}, headers)
    assert_control_refused(refused, "first_name")


def test_a_staff_name_with_a_control_character_is_refused(client, login):
    response = client.http.patch("/admin/staff/stf_bea", body=json.dumps({"name": "Bea\u0000"}),
                                 headers={**login(Level.ADMIN), "Content-Type": "application/json"})
    assert_control_refused(response, "name")


def test_a_client_search_is_at_most_100_characters(client, login):
    headers = login(Level.RECEPTION_FULL)
    response = client.http.get("/admin/clients?q=" + "a" * 101, headers=headers)
    assert response.status_code == 400, response.body
    assert error(response)["code"] == "too_long" and error(response)["field"] == "q"
    assert client.http.get("/admin/clients?q=" + "a" * 100, headers=headers).status_code == 200
    assert_control_refused(client.http.get("/admin/clients?q=eva%00", headers=headers), "q")
