"""Appointment routes level by level, on a colleague's appointment and on one's own: the data rules the
generic matrix cannot see (5-7 write only their own agenda; 6 reads colleagues' without contacts; 7
sees nothing of colleagues')."""
from __future__ import annotations

import pytest

from chalicelib import wiring
from chalicelib.domain.principal import Level
from tests.admin import route_examples
from tests.api.helpers import error, post

ACTIONS = {"cancel": "confirmed", "check-in": "confirmed", "complete": "confirmed", "no-show": "confirmed",
           "approve": "pending", "reject": "pending"}
OWN_AGENDA = {Level.PROFESSIONAL: "stf_ana", Level.PROFESSIONAL_NO_CONTACTS: "stf_bea",
              Level.PROFESSIONAL_OWN: "stf_cris"}
RECEPTION_AND_UP = (Level.ADMIN, Level.MANAGER, Level.RECEPTION_FULL, Level.RECEPTION_CALENDAR)


def on_colleagues(level: Level, action: str) -> tuple[int, str | None]:
    """What `level` gets acting on Ana's appointment."""
    if action in ("approve", "reject") and level not in RECEPTION_AND_UP:
        return 403, "forbidden"
    if level <= Level.PROFESSIONAL:
        return 200, None
    return (403, "not_your_agenda") if level == Level.PROFESSIONAL_NO_CONTACTS else (404, "not_found")


@pytest.mark.parametrize("level", list(Level), ids=lambda level: level.label)
def test_status_actions_on_a_colleagues_and_on_ones_own_appointment(client, login, seeded, level):
    headers = login(level)
    problems = []
    for action, status in ACTIONS.items():
        started = action in route_examples.ATTENDANCE
        reference = route_examples._fresh_appointment(seeded, status, started=started)  # Ana's
        response = post(client, f"/admin/appointments/{reference}/{action}", {}, headers)
        expected = on_colleagues(level, action)
        got = (response.status_code, error(response)["code"] if response.status_code >= 400 else None)
        if got != expected:
            problems.append(("ana", action, got, expected))
        if level in OWN_AGENDA and action not in ("approve", "reject"):
            own = route_examples._fresh_appointment(seeded, status, staff=OWN_AGENDA[level], started=started)
            response = post(client, f"/admin/appointments/{own}/{action}", {}, headers)
            if response.status_code != 200:
                problems.append(("own", action, response.status_code, response.body[:120]))
    assert not problems, problems


@pytest.mark.parametrize("level", list(OWN_AGENDA), ids=lambda level: level.label)
def test_professionals_book_and_move_in_their_own_agenda_only(client, login, seeded, level):
    headers, own = login(level), OWN_AGENDA[level]
    friday = "2026-03-27T15:00:00+01:00"  # everyone works then
    booked = post(client, "/admin/appointments",
                  {"client": seeded["client"], "service": "svc_cut", "staff": own, "start": friday}, headers)
    assert booked.status_code == 201, booked.body
    reference = booked.json_body["reference"]
    moved = post(client, f"/admin/appointments/{reference}/reschedule", {"start": "2026-03-27T16:00:00+01:00"}, headers)
    assert moved.status_code == 200, moved.body
    colleague = "stf_cris" if own != "stf_cris" else "stf_ana"
    handed = post(client, f"/admin/appointments/{reference}/reschedule", {"staff": colleague}, headers)
    assert handed.status_code == 403 and error(handed)["code"] == "not_your_agenda"
    for_colleague = post(client, "/admin/appointments", {"client": seeded["client"], "service": "svc_cut",
                                                         "staff": colleague, "start": friday}, headers)
    assert for_colleague.status_code == 403
    assert wiring.store().appointment(reference).staff_id == own


@pytest.mark.parametrize("level", list(Level), ids=lambda level: level.label)
def test_viewing_an_appointment(client, login, seeded, level):
    response = client.http.get(f"/admin/appointments/{seeded['reference']}", headers=login(level))
    if level == Level.PROFESSIONAL_OWN:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    shown = response.json_body["client"]
    assert ("email" in shown) is (level != Level.PROFESSIONAL_NO_CONTACTS)
