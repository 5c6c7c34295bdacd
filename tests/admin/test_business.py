"""Business settings from the backoffice: booking rules, opening hours, codes, approval; validated,
audited, and felt by the public booking page."""
from __future__ import annotations

import base64
import json

import pytest

from chalicelib.domain.principal import Level
from tests.api.helpers import error


def patch(client, path, body, headers):
    return client.http.request("PATCH", path, body=json.dumps(body), headers={**headers, "Content-Type": "application/json"})


def test_an_administrator_changes_the_booking_rules_and_the_public_page_follows(client, login):
    admin = login(Level.ADMIN)
    response = patch(client, "/admin/business", {
        "booking_rules": {"approval": "manual", "min_notice_minutes": 120, "total_availability": True},
        "opening_hours": {"mon": [["10:00", "14:00"], ["15:00", "19:00"]]},
        "secret_code": "2604",
    }, admin)
    assert response.status_code == 200, response.body
    body = response.json_body
    assert body["booking_rules"]["approval"] == "manual" and body["booking_rules"]["min_notice_minutes"] == 120
    assert body["booking_rules"]["horizon_days"] == 60  # untouched rules stay
    assert body["opening_hours"] == {"mon": [["10:00", "14:00"], ["15:00", "19:00"]]}
    assert body["secret_code"] == "2604" and body["requires_code"] is True
    public = client.http.get("/public/salon").json_body
    assert public["requires_code"] is True and public["booking_rules"]["approval"] == "manual"


def test_the_secret_code_is_shown_only_to_the_front_desk_and_up(client, login):
    patch(client, "/admin/business", {"secret_code": "2604"}, login(Level.ADMIN))
    assert client.http.get("/admin/business", headers=login(Level.RECEPTION_FULL)).json_body["secret_code"] == "2604"
    seen = client.http.get("/admin/business", headers=login(Level.PROFESSIONAL)).json_body
    assert "secret_code" not in seen and seen["requires_code"] is True


def test_clearing_the_code_opens_booking_again(client, login):
    admin = login(Level.ADMIN)
    patch(client, "/admin/business", {"secret_code": "2604"}, admin)
    assert patch(client, "/admin/business", {"secret_code": None}, admin).json_body["requires_code"] is False
    assert client.http.get("/public/salon").json_body["requires_code"] is False


@pytest.mark.parametrize("body, field, code", [
    ({"booking_rules": {"slot_step_minutes": 7}}, "booking_rules.slot_step_minutes", "invalid"),
    ({"booking_rules": {"horizon_days": 0}}, "booking_rules.horizon_days", "out_of_range"),
    ({"booking_rules": {"horizon_days": "60"}}, "booking_rules.horizon_days", "wrong_type"),
    ({"booking_rules": {"approval": "sometimes"}}, "booking_rules.approval", "invalid_choice"),
    ({"booking_rules": {"total_availability": "yes"}}, "booking_rules.total_availability", "wrong_type"),
    ({"booking_rules": {"colour": 1}}, "booking_rules.colour", "unknown_field"),
    ({"booking_rules": []}, "booking_rules", "wrong_type"),
    ({"opening_hours": {"mon": [["14:00", "10:00"]]}}, "opening_hours.mon[0]", "invalid"),
    ({"opening_hours": {"funday": []}}, "opening_hours", "invalid"),
    ({"secret_code": "ab"}, "secret_code", "invalid_code_format"),
    ({"secret_code": "no spaces!"}, "secret_code", "invalid_code_format"),
    ({"secret_code": "Spring-26"}, "secret_code", "invalid_code_format"),  # the business code: 4 to 6 digits
    ({"secret_code": "123"}, "secret_code", "invalid_code_format"),
    ({"secret_code": "1234567"}, "secret_code", "invalid_code_format"),
    ({"phone": "12"}, "phone", "invalid_phone"),
    ({"name": ""}, "name", "required"),
    ({"slug": "mine"}, "slug", "unknown_field"),
])
def test_bad_settings_are_refused_with_the_field_and_nothing_is_stored(client, login, body, field, code):
    admin = login(Level.ADMIN)
    before = client.http.get("/admin/business", headers=admin).json_body
    response = patch(client, "/admin/business", body, admin)
    assert response.status_code == 400, response.body
    assert error(response)["field"] == field and error(response)["code"] == code
    assert client.http.get("/admin/business", headers=admin).json_body == before


def test_a_body_that_is_not_json_is_a_400(client, login):
    response = client.http.request("PATCH", "/admin/business", body=b"{nope",
                                   headers={**login(Level.ADMIN), "Content-Type": "application/json"})
    assert response.status_code == 400 and error(response)["code"] == "malformed_json"


def test_managers_cannot_change_business_settings(client, login):
    response = patch(client, "/admin/business", {"name": "Mine now"}, login(Level.MANAGER))
    assert response.status_code == 403


def test_every_settings_change_is_in_the_audit_log_with_only_the_changed_fields(client, login, clock):
    from datetime import timedelta

    admin = login(Level.ADMIN)
    patch(client, "/admin/business", {"booking_rules": {"horizon_days": 90}}, admin)
    clock["value"] += timedelta(minutes=1)
    patch(client, "/admin/business", {"name": "Salón Lucía & Co"}, admin)
    entries = client.http.get("/admin/audit", headers=admin).json_body["entries"]
    assert [e["action"] for e in entries] == ["business.update", "business.update"]
    newest, oldest = entries
    assert newest["before"] == {"name": "Salón Lucía"} and newest["after"] == {"name": "Salón Lucía & Co"}
    assert oldest["before"]["booking_rules"]["horizon_days"] == 60
    assert oldest["after"]["booking_rules"]["horizon_days"] == 90
    assert newest["actor"] == {"staff": "stf_owner", "email": login.email(Level.ADMIN), "level": 1}
    assert newest["at"] == "2026-03-23T07:01:00Z"


def test_the_audit_log_pages_with_a_cursor(client, login, clock):
    from datetime import timedelta

    admin = login(Level.ADMIN)
    for days in (30, 40, 50):
        clock["value"] += timedelta(minutes=1)
        patch(client, "/admin/business", {"booking_rules": {"horizon_days": days}}, admin)
    first = client.http.get("/admin/audit?limit=2", headers=admin).json_body
    assert [e["after"]["booking_rules"]["horizon_days"] for e in first["entries"]] == [50, 40]
    rest = client.http.get(f"/admin/audit?limit=2&cursor={first['next_cursor']}", headers=admin).json_body
    assert [e["after"]["booking_rules"]["horizon_days"] for e in rest["entries"]] == [30]
    assert client.http.get("/admin/audit?cursor=garbage!", headers=admin).status_code == 400
    assert client.http.get("/admin/audit?limit=0", headers=admin).status_code == 400


@pytest.mark.parametrize("raw", [json.dumps({"sk": "2026-03-23T07:01:00Z#" + "x" * 1100}),
                                 json.dumps({"sk": "2026-03-23\ud800"}), "[" * 3000 + "]" * 3000])
def test_a_forged_audit_cursor_that_no_page_gave_out_is_400_not_a_crash(client, login, raw):
    """DynamoDB refuses a start key over 1024 bytes or not UTF-8, and the JSON parser one nested thousands
    deep: the cursor is refused before anything is asked."""
    cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    response = client.http.get(f"/admin/audit?cursor={cursor}", headers=login(Level.ADMIN))
    assert response.status_code == 400 and response.json_body["error"]["code"] == "invalid_cursor"
