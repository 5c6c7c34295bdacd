"""The waiting list as staff keep it: requests oldest first, filters, one Query a page, validation, expiry."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bench.counting import counting_dynamodb_calls
from chalicelib.domain.principal import Level
from tests.api.helpers import error, post
from tests.factories import NOW
from tests.waitlist.helpers import DESK, TUESDAY_WINDOW, add_request, patch, request_body


def test_staff_add_requests_and_see_them_oldest_first(client, login, clock):
    headers = login(DESK)
    first = add_request(client, headers)
    clock["value"] = NOW + timedelta(minutes=5)
    second = add_request(client, headers, client={"first_name": "Luis", "phone": "+34611000333"})
    assert first["status"] == "waiting" and first["created_by"] == login.staff_id(DESK)
    assert first["client"] == {"id": None, "first_name": "Marta", "last_name": "Gil", "email": "marta@example.com",
                               "phone": "+34611000222"}
    assert first["windows"] == [TUESDAY_WINDOW]
    assert first["expires_at"] == "2026-03-24T12:00:00+00:00"  # 13:00 in Madrid
    listed = client.http.get("/admin/waitlist", headers=headers).json_body
    assert [r["id"] for r in listed["requests"]] == [first["id"], second["id"]]
    assert listed["cursor"] is None


def test_a_request_for_a_known_client_takes_their_details(client, login, seeded):
    created = add_request(client, login(DESK), client=None, client_id=seeded["client"])
    assert created["client"]["id"] == seeded["client"]
    assert created["client"]["email"] == seeded["client_email"]
    hidden = client.http.get(f"/admin/waitlist/{created['id']}", headers=login(Level.ADMIN)).json_body
    assert hidden["client"]["email"] == seeded["client_email"]


@pytest.mark.parametrize("changes, status, code, field", [
    ({"windows": []}, 400, "required", "windows"),
    ({"windows": [TUESDAY_WINDOW] * 6}, 400, "too_many", "windows"),
    ({"windows": [{**TUESDAY_WINDOW, "to": "2026-03-20"}]}, 400, "invalid_range", "windows.0.to"),
    ({"windows": [{**TUESDAY_WINDOW, "end": "08:00"}]}, 400, "invalid_range", "windows.0.end"),
    ({"windows": [{**TUESDAY_WINDOW, "start": "9h"}]}, 400, "invalid", "windows.0.start"),
    ({"windows": [{**TUESDAY_WINDOW, "from": "2026-03-01", "to": "2026-03-02"}]}, 400, "window_passed", "windows.0.to"),
    ({"windows": [{**TUESDAY_WINDOW, "from": "2026-03-24", "to": "2026-12-24"}]}, 400, "range_too_long", "windows.0.to"),
    ({"windows": [{**TUESDAY_WINDOW, "days": 3}]}, 400, "unknown_field", "windows.0.days"),
    ({"service": "svc_nope"}, 404, "not_found", "service"),
    ({"service": "svc_old"}, 404, "not_found", "service"),
    ({"staff": "stf_bea", "service": "svc_color"}, 404, "not_found", "staff"),
    ({"client": {"first_name": "A", "email": "nope"}}, 400, "invalid_email", "client.email"),
    ({"client": {"last_name": "A"}}, 400, "required", "client.first_name"),
    ({"client": None}, 400, "required", "client"),
    ({"client_id": "cli_missing", "client": None}, 404, "not_found", "client"),
    ({"vip": True}, 400, "unknown_field", "vip"),
    ({"notes": "a\x00b"}, 400, "control_character", "notes"),
])
def test_bad_requests_are_refused_naming_the_field_and_nothing_is_kept(client, login, changes, status, code, field):
    headers = login(DESK)
    response = post(client, "/admin/waitlist", request_body(**changes), headers)
    assert response.status_code == status, response.body
    assert error(response)["field"] == field
    assert error(response)["code"] == code
    assert client.http.get("/admin/waitlist", headers=headers).json_body["requests"] == []


def test_filters_by_service_professional_status_day_creation_and_text(client, login, clock):
    headers = login(DESK)
    marta = add_request(client, headers)
    clock["value"] = NOW + timedelta(days=1)
    luis = add_request(client, headers, client={"first_name": "Luis", "last_name": "Peña", "phone": "+34611000333"},
                       service="svc_color", staff="stf_ana", windows=[{**TUESDAY_WINDOW, "from": "2026-03-25",
                                                                      "to": "2026-03-27"}])
    clock["value"] = NOW + timedelta(days=1, hours=1)
    gone = add_request(client, headers, client={"first_name": "Eva", "phone": "+34611000444"},
                       windows=[{**TUESDAY_WINDOW, "from": "2026-03-30", "to": "2026-03-30"}])
    assert post(client, f"/admin/waitlist/{gone['id']}/cancel", {}, headers).status_code == 200
    clock["value"] = NOW.replace(day=24, hour=12)  # 13:00 in Madrid on Tuesday: Marta's only window is over

    def ids(query: str) -> list[str]:
        response = client.http.get(f"/admin/waitlist?{query}", headers=headers)
        assert response.status_code == 200, response.body
        return [r["id"] for r in response.json_body["requests"]]

    assert ids("service=svc_color") == [luis["id"]]
    assert ids("staff=stf_ana") == [luis["id"]]
    assert ids("status=cancelled") == [gone["id"]]
    assert ids("status=waiting") == [luis["id"]]  # Marta's window (Tuesday until 13:00) ended: expired
    assert ids("status=expired") == [marta["id"]]
    assert ids("day=2026-03-26") == [luis["id"]]
    assert ids("created_from=2026-03-24") == [luis["id"], gone["id"]]
    assert ids("created_to=2026-03-23") == [marta["id"]]
    assert ids("q=pena") == [luis["id"]]  # accents and case folded
    assert ids("q=marta%40example") == [marta["id"]]
    assert ids("q=611000444") == [gone["id"]]
    assert ids("q=nobody") == []
    response = client.http.get("/admin/waitlist?status=later", headers=headers)
    assert response.status_code == 400 and error(response)["field"] == "status"
    response = client.http.get("/admin/waitlist?sort=new", headers=headers)
    assert response.status_code == 400 and error(response)["field"] == "sort"
    response = client.http.get("/admin/waitlist?cursor=APPT%23x", headers=headers)
    assert response.status_code == 400 and error(response)["code"] == "invalid_cursor"


def test_pages_follow_the_cursor_and_each_is_one_query(client, login, clock):
    headers = login(DESK)
    made = []
    for n in range(5):
        clock["value"] = NOW + timedelta(minutes=n)
        made.append(add_request(client, headers, client={"first_name": f"C{n}", "phone": f"+3461100010{n}"})["id"])
    seen, cursor = [], None
    while True:
        path = "/admin/waitlist?limit=2&q=c" + (f"&cursor={cursor}" if cursor else "")
        with counting_dynamodb_calls() as calls:
            page = client.http.get(path, headers=headers).json_body
        # one Query of the list (the other call is the staff authorizer's GetItem of the login)
        assert calls.operations()["Query"] == 1 and "Scan" not in calls.operations(), calls.detail()
        seen += [r["id"] for r in page["requests"]]
        cursor = page["cursor"]
        if not cursor:
            break
    assert seen == made


def test_a_request_expires_by_itself_after_its_last_window(client, login, clock):
    headers = login(DESK)
    created = add_request(client, headers)
    clock["value"] = NOW.replace(day=24, hour=11, minute=59)  # 12:59 in Madrid: still waiting
    assert client.http.get(f"/admin/waitlist/{created['id']}", headers=headers).json_body["status"] == "waiting"
    clock["value"] = NOW.replace(day=24, hour=12)  # 13:00: the window's end, inclusive
    assert client.http.get(f"/admin/waitlist/{created['id']}", headers=headers).json_body["status"] == "expired"
    response = patch(client, f"/admin/waitlist/{created['id']}", {"notes": "x"}, headers)
    assert response.status_code == 409 and error(response)["code"] == "request_expired"


def test_edit_and_cancel(client, login, clock):
    headers = login(DESK)
    created = add_request(client, headers)
    clock["value"] = NOW + timedelta(minutes=1)
    edited = patch(client, f"/admin/waitlist/{created['id']}", {
        "staff": "stf_ana", "windows": [{"from": "2026-03-25", "to": "2026-03-26", "start": "16:00", "end": "18:00"}]},
        headers)
    assert edited.status_code == 200, edited.body
    body = edited.json_body
    assert body["staff"] == "stf_ana" and body["expires_at"] == "2026-03-26T17:00:00+00:00"
    assert body["notes"] == "Mejor temprano" and body["created_at"] == created["created_at"]
    bad = patch(client, f"/admin/waitlist/{created['id']}", {"windows": [{"from": "x"}]}, headers)
    assert bad.status_code == 400 and error(bad)["field"] == "windows.0.from"
    assert post(client, f"/admin/waitlist/{created['id']}/cancel", {}, headers).json_body["status"] == "cancelled"
    again = post(client, f"/admin/waitlist/{created['id']}/cancel", {}, headers)
    assert again.status_code == 409 and error(again)["code"] == "request_cancelled"
    assert client.http.get("/admin/waitlist/wl_000000000000ffffffffffff", headers=headers).status_code == 404


def test_another_business_never_sees_the_salons_requests(client, login):
    created = add_request(client, login(DESK))
    from tests.backoffice_world import OTHER

    other = login(DESK, OTHER)
    assert client.http.get(f"/admin/waitlist/{created['id']}", headers=other).status_code == 404
    assert client.http.get("/admin/waitlist", headers=other).json_body["requests"] == []
