"""Client search: any word of name, surname, fiscal code, phone, mobile, email, appointment notes or
status; case- and accent-insensitive; paged with an opaque cursor; never a table scan."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from chalicelib.domain.principal import Level
from tests.api.helpers import booking_body, error, post

DESK = Level.RECEPTION_FULL


def found(client, headers, q, **params):
    query = "&".join([f"q={quote(q)}"] + [f"{k}={quote(str(v))}" for k, v in params.items()])
    response = client.http.get(f"/admin/clients?{query}", headers=headers)
    assert response.status_code == 200, response.body
    return response.json_body


def ids(client, headers, q):
    return {c["id"] for c in found(client, headers, q)["clients"]}


@pytest.fixture
def people(client, login, seeded):
    headers = login(DESK)
    made = {}
    for key, body in {
        "jose": {"first_name": "José María", "last_name": "Álvarez Núñez", "email": "jm@correo.es",
                 "phone": "+34 611 222 333", "mobile": "+34 622 333 444", "fiscal_code": "X1234567L"},
        "maria": {"first_name": "MARÍA", "last_name": "López", "email": "maria.lopez@example.com"},
        "mario": {"first_name": "Mario", "last_name": "Lopez Garcia"},
    }.items():
        response = post(client, "/admin/clients", body, headers)
        assert response.status_code == 201, response.body
        made[key] = response.json_body["id"]
    made["eva"] = seeded["client"]
    return made


@pytest.mark.parametrize("q", ["jose", "JOSÉ", "Jose", "álvarez", "ALVAREZ", "nunez", "Núñez", "josé maría"])
def test_names_match_whatever_the_case_and_accents(client, login, people, q):
    assert ids(client, login(DESK), q) == {people["jose"]}


@pytest.mark.parametrize("q", ["x1234567l", "jm@correo.es", "JM@Correo.ES", "611222333", "+34 611 222 333",
                               "0034622333444", "622 333 444"])
def test_fiscal_code_email_phone_and_mobile_match(client, login, people, q):
    assert ids(client, login(DESK), q) == {people["jose"]}


def test_every_word_must_match(client, login, people):
    headers = login(DESK)
    assert ids(client, headers, "lopez") == {people["maria"], people["mario"]}
    assert ids(client, headers, "maria lopez") == {people["maria"]}
    assert ids(client, headers, "lopez garcia") == {people["mario"]}
    assert ids(client, headers, "maria garcia") == set()
    assert ids(client, headers, "nobody") == set()


def test_appointment_notes_match_and_follow_the_appointment(client, login, people):
    headers = login(DESK)
    response = post(client, "/admin/appointments", {
        "client": people["mario"], "service": "svc_cut", "staff": "stf_ana", "start": "2026-03-25T10:00:00+01:00",
        "notes": "Alergia al TINTE amoniacal",
    }, headers)
    assert response.status_code == 201, response.body
    assert ids(client, headers, "alergia") == {people["mario"]}
    assert ids(client, headers, "tinte mario") == {people["mario"]}
    assert ids(client, headers, "tinte maria") == set()


def test_status_words_follow_the_appointment_state(client, login, people, seeded):
    headers = login(DESK)
    assert people["eva"] in ids(client, headers, "confirmed")
    assert ids(client, headers, "cancelled") == set()
    cancelled = post(client, f"/admin/appointments/{seeded['reference']}/cancel", {}, headers)
    assert cancelled.status_code == 200, cancelled.body
    assert ids(client, headers, "cancelled") == {people["eva"]}
    assert people["eva"] not in ids(client, headers, "confirmed")


def test_edits_move_the_words(client, login, people):
    headers = login(DESK)
    import json

    response = client.http.patch(f"/admin/clients/{people['mario']}", headers={**headers, "Content-Type": "application/json"},
                                 body=json.dumps({"last_name": "Fernández", "email": "mf@example.com"}))
    assert response.status_code == 200, response.body
    assert people["mario"] not in ids(client, headers, "garcia")
    assert ids(client, headers, "fernandez") == {people["mario"]} == ids(client, headers, "mf@example.com")
    assert ids(client, headers, "mario") == {people["mario"]}


def test_online_clients_are_found_too(client, login, people):
    booked = post(client, "/public/salon/bookings",
                  booking_body("2026-03-24T12:00:00+01:00", staff="stf_ana", email="zoe@example.com", phone=None,
                               client={"first_name": "Zoë", "last_name": "Ñúñez", "email": "zoe@example.com",
                                       "notes": "Primera visita"}))
    assert booked.status_code == 201, booked.body
    headers = login(DESK)
    zoe = ids(client, headers, "zoe nunez")
    assert len(zoe) == 1 and zoe == ids(client, headers, "primera visita")


def test_pages_follow_an_opaque_cursor_without_repeats(client, login, backoffice):
    headers = login(DESK)
    made = set()
    for n in range(7):
        response = post(client, "/admin/clients", {"first_name": f"Cliente{n}", "last_name": "Pérez"}, headers)
        made.add(response.json_body["id"])
    post(client, "/admin/clients", {"first_name": "Perezoso", "last_name": "Otro"}, headers)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = found(client, headers, "PEREZ", **params)
        pages += 1
        assert len(page["clients"]) <= 3
        seen += [c["id"] for c in page["clients"]]
        cursor = page["cursor"]
        if cursor is None:
            break
        assert "cli_" not in cursor  # opaque
    assert pages == 3 and len(seen) == 7 and set(seen) == made


def test_listing_without_a_query_pages_through_everyone(client, login, people):
    headers = login(DESK)
    first = client.http.get("/admin/clients?limit=2", headers=headers).json_body
    rest = client.http.get(f"/admin/clients?limit=10&cursor={first['cursor']}", headers=headers).json_body
    assert len(first["clients"]) == 2 and rest["cursor"] is None
    assert {c["id"] for c in first["clients"] + rest["clients"]} == set(people.values())


def test_bad_search_input_is_400(client, login, people):
    headers = login(DESK)
    for path, field in (("/admin/clients?q=a&cursor=garbage!", "cursor"), ("/admin/clients?limit=0", "limit"),
                        ("/admin/clients?limit=x", "limit"), ("/admin/clients?q=a+b+c+d+e+f", "q")):
        response = client.http.get(path, headers=headers)
        assert response.status_code == 400, path
        assert error(response)["field"] == field
    other = found(client, headers, "lopez", limit=1)["cursor"]
    response = client.http.get(f"/admin/clients?q=maria&cursor={other}", headers=headers)
    assert response.status_code == 400 and error(response)["code"] == "invalid_cursor"


def test_search_reads_the_index_and_never_scans(client, login, people, monkeypatch):
    from moto.dynamodb.models import DynamoDBBackend

    scans = []
    original = DynamoDBBackend.scan
    monkeypatch.setattr(DynamoDBBackend, "scan", lambda self, *a, **k: scans.append(a) or original(self, *a, **k))
    assert ids(client, login(DESK), "maria lopez") == {people["maria"]}
    assert scans == []


def test_another_business_never_finds_these_clients(client, login, people):
    assert found(client, login(Level.ADMIN, business="biz_other"), "lopez")["clients"] == []
