"""The offer settings (mode, hold minutes 5-120, fallback, the booking page's form) and the offer log with
its figures: fill rate and median time to fill per period."""
from __future__ import annotations

import json
from datetime import timedelta

from chalicelib.domain.principal import Level
from tests.api.helpers import error, post
from tests.factories import NOW
from tests.waitlist.offer_helpers import answer, booked, free, join, release_holds

ADMIN, DESK = Level.ADMIN, Level.RECEPTION_FULL


def patch(client, body, headers):
    return client.http.patch("/admin/waitlist-settings", body=json.dumps(body),
                             headers={"Content-Type": "application/json", **headers})


def test_settings_default_to_one_at_a_time_for_15_minutes_and_are_checked(client, login):
    assert client.http.get("/admin/waitlist-settings", headers=login(DESK)).json_body == {
        "mode": "one_at_a_time", "hold_minutes": 15, "fallback": "release", "public_join": True}
    for body, field in (({"hold_minutes": 4}, "hold_minutes"), ({"hold_minutes": 121}, "hold_minutes"),
                        ({"hold_minutes": "15"}, "hold_minutes"), ({"mode": "lottery"}, "mode"),
                        ({"fallback": "nobody"}, "fallback"), ({"public_join": "yes"}, "public_join"),
                        ({"rounds": 3}, "rounds")):
        response = patch(client, body, login(ADMIN))
        assert response.status_code == 400 and error(response)["field"] == field, body
    assert patch(client, {"hold_minutes": 30}, login(DESK)).status_code == 403  # managers and administrators
    changed = patch(client, {"hold_minutes": 30, "mode": "everyone", "public_join": False}, login(ADMIN))
    assert changed.json_body == {"mode": "everyone", "hold_minutes": 30, "fallback": "release", "public_join": False}


def test_a_business_that_closes_the_form_refuses_joins_from_the_booking_page(client, login):
    assert client.http.get("/public/salon/waitlist").json_body == {"open": True}
    patch(client, {"public_join": False}, login(ADMIN))
    assert client.http.get("/public/salon/waitlist").json_body == {"open": False}
    response = post(client, "/public/salon/waitlist", {"service": "svc_cut", "windows": [
        {"from": "2026-03-24"}], "client": {"first_name": "A", "email": "a@example.com"}})
    assert response.status_code == 403 and error(response)["code"] == "waitlist_closed"


def test_the_offer_log_shows_every_round_and_the_periods_fill_rate_and_median_time(client, login, store, clock):
    headers = login(DESK)
    first = booked(client)  # Tuesday 11:00, filled after 6 minutes
    second = booked(client, start="2026-03-24T12:00:00+01:00", email="b@example.com")  # nobody takes it
    waiting = join(client, 1)
    free(client, store, first, NOW)
    clock["value"] = NOW + timedelta(minutes=6)
    assert answer(client, waiting).status_code == 201
    other = join(client, 2)
    free(client, store, second, clock["value"])
    clock["value"] = NOW + timedelta(minutes=30)
    release_holds(client)
    log = client.http.get("/admin/waitlist-offers?from=2026-03-23&to=2026-03-23", headers=headers).json_body
    assert log["figures"] == {"openings": 2, "filled": 1, "fill_rate": 0.5, "median_minutes_to_fill": 6.0}
    assert [o["status"] for o in log["offers"]] == ["released", "filled"]  # newest first
    assert [(r["request"], r["outcome"]) for r in log["offers"][0]["rounds"]] == [(other, "expired")]
    history = client.http.get(f"/admin/waitlist/{other}", headers=headers).json_body["offers"]
    assert [(h["round"], h["outcome"]) for h in history] == [(1, "expired")]
    empty = client.http.get("/admin/waitlist-offers?from=2026-04-01&to=2026-04-30", headers=headers).json_body
    assert empty["figures"] == {"openings": 0, "filled": 0, "fill_rate": None, "median_minutes_to_fill": None}
    bad = client.http.get("/admin/waitlist-offers?from=2026-04-01&to=2026-03-01", headers=headers)
    assert bad.status_code == 400 and error(bad)["field"] == "to"
