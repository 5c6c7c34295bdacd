"""The monitor: the day's bookings as a planning by time slot, with reference and check-in state."""
from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.domain.principal import Level
from tests.api.helpers import error, post

DESK = Level.RECEPTION_FULL


def monitor(client, headers, query=""):
    response = client.http.get(f"/admin/monitor?{query}", headers=headers)
    assert response.status_code == 200, response.body
    return response.json_body


def test_the_day_by_time_slot_with_check_in_state(client, login, seeded, clock):
    headers = login(DESK)
    bea = post(client, "/admin/appointments", {"client": seeded["client"], "service": "svc_cut", "staff": "stf_bea",
                                               "start": "2026-03-24T10:00:00+01:00"}, headers).json_body["reference"]
    clock["value"] = datetime.fromisoformat(seeded["start"]) - timedelta(minutes=10)  # check-in a little early
    post(client, f"/admin/appointments/{seeded['reference']}/check-in", {}, headers)
    day = monitor(client, headers, "date=2026-03-24")
    assert (day["date"], day["step_minutes"], day["timezone"]) == ("2026-03-24", 15, "Europe/Madrid")
    times = [s["time"] for s in day["slots"]]
    assert times[0] == "09:00" and times[-1] == "19:45" and len(times) == 44  # opening hours, 15-minute slots
    ten = next(s for s in day["slots"] if s["time"] == "10:00")
    assert ten["start"] == "2026-03-24T10:00:00+01:00"
    states = {b["reference"]: b["check_in"] for b in ten["bookings"]}
    assert states == {seeded["reference"]: "arrived", bea: "expected"}
    assert day["totals"]["arrived"] == 1 and day["totals"]["expected"] == 1
    assert all(s["bookings"] == [] for s in day["slots"] if s["time"] != "10:00")


def test_filtered_by_staff(client, login, seeded):
    day = monitor(client, login(DESK), "date=2026-03-24&staff=stf_bea")
    assert [s["id"] for s in day["staff"]] == ["stf_bea"]
    assert all(s["bookings"] == [] for s in day["slots"])


def test_today_by_default_and_a_closed_day_has_no_slots(client, login, seeded):
    assert monitor(client, login(DESK))["date"] == "2026-03-23"
    assert monitor(client, login(DESK), "date=2026-03-29")["slots"] == []  # Sunday


def test_only_reception_full_and_up_see_the_monitor(client, login, seeded):
    for level in Level:
        response = client.http.get("/admin/monitor?date=2026-03-24", headers=login(level))
        expected = 200 if level <= Level.RECEPTION_FULL else 403
        assert response.status_code == expected, level
        if expected == 403:
            assert error(response)["code"] == "forbidden"


def test_the_columns_are_the_people_who_take_appointments_not_the_owner_and_reception(client, login, seeded):
    for path in ("/admin/monitor?date=2026-03-24", "/admin/agenda?view=day&date=2026-03-24"):
        columns = [s["id"] for s in client.http.get(path, headers=login(DESK)).json_body["staff"]]
        assert {"stf_ana", "stf_bea", "stf_cris"} <= set(columns), path
        assert not {"stf_owner", "stf_manager", "stf_desk", "stf_phone", "stf_leaver"} & set(columns), path


def test_naming_a_member_without_services_still_shows_their_column(client, login, seeded):
    day = monitor(client, login(DESK), "date=2026-03-24&staff=stf_owner,stf_ana")
    assert [s["id"] for s in day["staff"]] == ["stf_owner", "stf_ana"]


def test_a_professional_whose_services_were_taken_away_keeps_a_column_while_they_have_bookings(client, login, seeded):
    changed = client.http.patch("/admin/staff/stf_ana", body='{"services": []}',
                                headers={**login(Level.MANAGER), "Content-Type": "application/json"})
    assert changed.status_code == 200, changed.body
    columns = [s["id"] for s in monitor(client, login(DESK), "date=2026-03-24")["staff"]]
    assert "stf_ana" in columns  # seeded["reference"] is hers that day
    assert "stf_ana" not in [s["id"] for s in monitor(client, login(DESK), "date=2026-03-25")["staff"]]
