"""Client search: the start of any word of name, surname, fiscal code, phone, mobile or email (two characters
or more); case- and accent-insensitive; paged with an opaque cursor; one indexed query a page, never a scan."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from chalicelib.domain.principal import Level
from tests.api.helpers import error, post

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
        "lucia": {"first_name": "Lucía", "last_name": "Martínez"},
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


@pytest.mark.parametrize("q, who", [("jos", "jose"), ("JOS", "jose"), ("mart", "lucia"), ("Martí", "lucia"),
                                     ("maría lóp", "maria"), ("611 22", "jose"), ("+34 611 22", "jose"),
                                     ("0034 62233", "jose"), ("x123", "jose"), ("jm@corr", "jose")])
def test_the_start_of_a_word_is_enough(client, login, people, q, who):
    assert ids(client, login(DESK), q) == {people[who]}


def test_a_client_with_several_matching_words_is_listed_once(client, login, people):
    # "mar" starts María and Martínez of Lucía, and "María" of José María, "mario" of Mario
    assert sorted(c["id"] for c in found(client, login(DESK), "mar")["clients"]) == sorted(
        {people["jose"], people["maria"], people["mario"], people["lucia"]})


@pytest.mark.parametrize("q", ["j", "J", "é", " 6 "])
def test_one_character_is_not_a_search(client, login, people, q):
    response = client.http.get(f"/admin/clients?q={quote(q)}", headers=login(DESK))
    assert response.status_code == 400 and error(response) == {
        "code": "query_too_short", "message": "type at least 2 characters of a word", "field": "q"}


def test_a_short_word_beside_a_longer_one_narrows_the_search(client, login, people):
    assert ids(client, login(DESK), "lopez m") == {people["maria"], people["mario"]}
    assert ids(client, login(DESK), "lopez g") == {people["mario"]}


def test_level_6_never_finds_a_client_by_a_contact(client, login, people):
    headers = login(Level.PROFESSIONAL_NO_CONTACTS)
    assert ids(client, headers, "611 22") == set() == ids(client, headers, "jm@corr")
    assert ids(client, headers, "jos") == {people["jose"]}


def test_edits_move_the_words(client, login, people):
    headers = login(DESK)
    import json

    response = client.http.patch(f"/admin/clients/{people['mario']}", headers={**headers, "Content-Type": "application/json"},
                                 body=json.dumps({"last_name": "Fernández", "email": "mf@example.com"}))
    assert response.status_code == 200, response.body
    assert people["mario"] not in ids(client, headers, "garcia")
    assert ids(client, headers, "fernandez") == {people["mario"]} == ids(client, headers, "mf@example.com")
    assert ids(client, headers, "mario") == {people["mario"]}


def test_pages_follow_an_opaque_cursor_without_repeats(client, login, backoffice):
    headers = login(DESK)
    made = set()
    for n in range(7):
        response = post(client, "/admin/clients", {"first_name": f"Cliente{n}", "last_name": "Pérez"}, headers)
        made.add(response.json_body["id"])
    made.add(post(client, "/admin/clients", {"first_name": "Perezoso", "last_name": "Otro"}, headers).json_body["id"])
    post(client, "/admin/clients", {"first_name": "Pere", "last_name": "Otro"}, headers)  # "pere" does not start "perez"
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
    assert pages == 3 and len(seen) == 8 and set(seen) == made


def test_listing_without_a_query_pages_through_everyone(client, login, people):
    headers = login(DESK)
    first = client.http.get("/admin/clients?limit=2", headers=headers).json_body
    rest = client.http.get(f"/admin/clients?limit=10&cursor={first['cursor']}", headers=headers).json_body
    assert len(first["clients"]) == 2 and rest["cursor"] is None
    assert {c["id"] for c in first["clients"] + rest["clients"]} == set(people.values())


def test_bad_search_input_is_400(client, login, people):
    headers = login(DESK)
    for path, field in (("/admin/clients?q=ab&cursor=garbage!", "cursor"), ("/admin/clients?limit=0", "limit"),
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


@pytest.mark.parametrize("q", ["mar", "lopez ma", "611 22"])
def test_a_page_of_results_is_one_indexed_query(client, login, people, q):
    from bench.counting import counting_dynamodb_calls

    headers = login(DESK)
    first = found(client, headers, q, limit=1)
    assert first["clients"]
    with counting_dynamodb_calls() as calls:
        page = found(client, headers, q, limit=1, **({"cursor": first["cursor"]} if first["cursor"] else {}))
    operations = calls.operations()
    assert operations.get("Query") == 1 and "Scan" not in operations, calls.detail()
    assert set(operations) <= {"Query", "BatchGetItem", "GetItem"} and operations.get("BatchGetItem", 0) <= 1, \
        calls.detail()  # the page's clients in one batch; the GetItem is the sign-in's login
    if first["cursor"]:
        assert not {c["id"] for c in page["clients"]} & {c["id"] for c in first["clients"]}


def test_another_business_never_finds_these_clients(client, login, people):
    assert found(client, login(Level.ADMIN, business="biz_other"), "lopez")["clients"] == []


@pytest.mark.parametrize("path", ["/admin/clients?q=jo&", "/admin/appointments?q=jo&", "/admin/audit?",
                                  "/admin/clients/{eva}/messages?"])
@pytest.mark.parametrize("limit", ["abc", "-1", "1.5", "%D9%A1%D9%A2"])  # the last: Arabic-Indic "12"
def test_every_paged_list_refuses_a_limit_that_is_not_a_whole_number_the_same_way(client, login, people, path,
                                                                                   limit):
    response = client.http.get(path.format(eva=people["eva"]) + f"limit={limit}", headers=login(Level.ADMIN))
    assert response.status_code == 400, response.body
    assert (error(response)["code"], error(response)["field"]) == ("invalid_number", "limit")
