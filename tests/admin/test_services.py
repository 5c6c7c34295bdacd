"""Services from the backoffice: create, edit, status, who performs them; the public page follows."""
from __future__ import annotations

import json

import pytest

from chalicelib.domain.principal import Level
from tests.api.helpers import error


def send(client, method, path, body, headers):
    return client.http.request(method, path, body=json.dumps(body), headers={**headers, "Content-Type": "application/json"})


def test_reception_creates_a_service_with_its_staff_and_clients_can_book_it(client, login):
    desk = login(Level.RECEPTION_FULL)
    response = send(client, "POST", "/admin/services", {
        "name": "Peinado", "duration_minutes": 45, "price": "22.50", "category": "Pelo",
        "buffer_after_minutes": 5, "staff": ["stf_ana"]}, desk)
    assert response.status_code == 201, response.body
    created = response.json_body
    assert created["id"].startswith("svc_") and created["price"] == "22.50" and created["staff"] == ["stf_ana"]
    assert created["status"] == "active"
    public = client.http.get("/public/salon/services").json_body["services"]
    assert any(s["id"] == created["id"] for s in public)
    staff = client.http.get(f"/public/salon/staff?service={created['id']}").json_body["staff"]
    assert [s["id"] for s in staff] == ["stf_ana"]


def test_changing_who_performs_a_service_updates_both_sides(client, login):
    desk = login(Level.RECEPTION_FULL)
    response = send(client, "PATCH", "/admin/services/svc_color", {"staff": ["stf_bea"]}, desk)
    assert response.status_code == 200 and response.json_body["staff"] == ["stf_bea"]
    ana = client.http.get("/admin/staff/stf_ana", headers=desk).json_body
    bea = client.http.get("/admin/staff/stf_bea", headers=desk).json_body
    assert "svc_color" not in ana["services"] and "svc_color" in bea["services"]


@pytest.mark.parametrize("status, listed", [("internal", False), ("disabled", False), ("active", True)])
def test_status_decides_whether_the_public_page_lists_it(client, login, status, listed):
    desk = login(Level.RECEPTION_FULL)
    assert send(client, "PATCH", "/admin/services/svc_cut", {"status": status}, desk).status_code == 200
    public = [s["id"] for s in client.http.get("/public/salon/services").json_body["services"]]
    assert ("svc_cut" in public) is listed
    assert client.http.get("/admin/services/svc_cut", headers=desk).json_body["status"] == status


@pytest.mark.parametrize("body, field, code", [
    ({"duration_minutes": 33}, "duration_minutes", "invalid"),
    ({"duration_minutes": 0}, "duration_minutes", "invalid"),
    ({"duration_minutes": 200, "buffer_before_minutes": 30, "buffer_after_minutes": 30}, "duration_minutes", "invalid"),
    ({"price": 25.5}, "price", "wrong_type"),
    ({"price": "25.555"}, "price", "invalid_price"),
    ({"price": "-1"}, "price", "invalid_price"),
    ({"price": "NaN"}, "price", "invalid_price"),
    ({"price": "1000000000"}, "price", "invalid_price"),
    ({"status": "archived"}, "status", "invalid_choice"),
    ({"staff": "stf_ana"}, "staff", "wrong_type"),
    ({"name": "x" * 121}, "name", "too_long"),
    ({"colour": "red"}, "colour", "unknown_field"),
])
def test_bad_service_edits_are_refused_and_nothing_changes(client, login, body, field, code):
    desk = login(Level.RECEPTION_FULL)
    before = client.http.get("/admin/services/svc_cut", headers=desk).json_body
    response = send(client, "PATCH", "/admin/services/svc_cut", body, desk)
    assert response.status_code == 400, response.body
    assert (error(response)["field"], error(response)["code"]) == (field, code)
    assert client.http.get("/admin/services/svc_cut", headers=desk).json_body == before


def test_a_new_service_needs_a_name_a_duration_and_a_price(client, login):
    response = send(client, "POST", "/admin/services", {"name": "X", "price": "1"}, login(Level.ADMIN))
    assert response.status_code == 400 and error(response)["field"] == "duration_minutes"


def test_unknown_staff_and_services_are_404(client, login):
    admin = login(Level.ADMIN)
    assert send(client, "PATCH", "/admin/services/svc_cut", {"staff": ["stf_nobody"]}, admin).status_code == 404
    assert send(client, "PATCH", "/admin/services/svc_nope", {"name": "Y"}, admin).status_code == 404
    assert client.http.get("/admin/services/svc_nope", headers=admin).status_code == 404


def test_services_list_shows_every_status_with_its_performers(client, login):
    found = {s["id"]: s for s in client.http.get("/admin/services", headers=login(Level.PROFESSIONAL)).json_body["services"]}
    assert set(found) >= {"svc_cut", "svc_color", "svc_private", "svc_old"}
    assert found["svc_old"]["status"] == "disabled"
    assert found["svc_cut"]["staff"] == ["stf_ana", "stf_bea", "stf_cris"]


def test_a_service_edit_is_audited(client, login):
    admin = login(Level.ADMIN)
    send(client, "PATCH", "/admin/services/svc_cut", {"price": "27", "staff": ["stf_ana"]}, admin)
    entry = client.http.get("/admin/audit", headers=admin).json_body["entries"][0]
    assert entry["action"] == "service.update" and entry["target"] == {"kind": "service", "id": "svc_cut"}
    assert entry["before"] == {"price": "25.00", "staff": ["stf_ana", "stf_bea", "stf_cris"]}
    assert entry["after"] == {"price": "27.00", "staff": ["stf_ana"]}


def test_two_edits_from_the_same_reading_cannot_both_land(login, seeded):
    """Optimistic concurrency: a record written meanwhile makes the later write fail whole."""
    from chalicelib.domain.principal import Principal
    from chalicelib.errors import ConflictError
    from chalicelib.repositories import catalog_admin
    from chalicelib.services import audit
    from dataclasses import replace
    from datetime import datetime, timezone

    principal = Principal("biz_salon", "stf_owner", Level.ADMIN)
    now = datetime(2026, 3, 23, 7, tzinfo=timezone.utc)
    read = catalog_admin.service("biz_salon", "svc_cut")
    first = replace(read.value, name="First")
    second = replace(read.value, name="Second")
    catalog_admin.save("biz_salon", [catalog_admin.Versioned(first, read.revision)],
                       audit.entry(principal, "service.update", "service", "svc_cut", {}, {}, now))
    with pytest.raises(ConflictError):
        catalog_admin.save("biz_salon", [catalog_admin.Versioned(second, read.revision)],
                           audit.entry(principal, "service.update", "service", "svc_cut", {}, {}, now))
    assert catalog_admin.service("biz_salon", "svc_cut").value.name == "First"


@pytest.mark.parametrize("price, status", [("2500", 200), ("2500.00", 200), ("2500.50", 400), ("25.5", 400),
                                           ("150000", 200)])  # a treatment priced in yen or won
def test_a_salon_in_a_currency_without_cents_sets_whole_prices(client, login, store, price, status):
    """Sign-up opens any currency in use: a JPY salon's ¥25.50 would be shown as ¥26 and charged otherwise."""
    from dataclasses import replace

    store.save_business(replace(store.catalog("biz_salon").business, currency="JPY"))
    response = send(client, "PATCH", "/admin/services/svc_cut", {"price": price}, login(Level.ADMIN))
    assert response.status_code == status, response.body
    if status == 400:
        assert error(response) == {"code": "invalid_price", "message": "JPY prices have no decimals", "field": "price"}
