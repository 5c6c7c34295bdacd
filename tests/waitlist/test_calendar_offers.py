"""Working time a calendar change gives back reaches the waiting list, end to end on moto: the backoffice
change writes its `time_freed` events on its audit entry, the table's stream hands them to the offers, and a
waiting request the new time suits gets it held; narrowing hours offers nothing."""
from __future__ import annotations

import json
from datetime import timedelta

from chalicelib.domain.principal import Level
from chalicelib.repositories.tables import AuditItem
from tests.notifications.test_stream import on_table_change, record
from tests.waitlist.offer_helpers import SALON, join, opening_of, request
from tests.waitlist.test_offer_messages import offers

ANA_WEEK = {d: [["09:00", "13:00"], ["14:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
THURSDAY_MORNING = [{"from": "2026-03-26", "to": "2026-03-26", "start": "10:00", "end": "13:00"}]
TUESDAY_EVENING = [{"from": "2026-03-24", "to": "2026-03-24", "start": "18:00", "end": "19:00"}]


def send(client, method: str, path: str, body, headers):
    response = client.http.request(method, path, body=json.dumps(body) if body is not None else b"",
                                   headers={**headers, "Content-Type": "application/json"})
    assert response.status_code in (200, 201, 204), response.body
    return response


def stream_the_change(client, action: str) -> list[dict]:
    """The newest audit entry of `action` as the table's stream hands its INSERT record to `on_table_change`;
    returns the events it carried. (Entries of one frozen instant sort at random: tests tick the clock.)"""
    entry = max((e for e in AuditItem.query(f"BIZ#{SALON}#AUDIT") if e.action == action), key=lambda e: e.sk)
    on_table_change(client, [record(entry)])
    return entry.events or []


def test_removing_a_time_off_over_a_waiting_request_s_window_holds_the_time_for_it(client, salon, store, clock,
                                                                                      login):
    waiting = join(client, 1, staff="stf_bea", windows=THURSDAY_MORNING)  # Bea is off all Thursday
    send(client, "PATCH", "/admin/staff/stf_bea", {"time_off": []}, login(Level.MANAGER))
    [event] = stream_the_change(client, "staff.update")
    assert (event["reference"], event["resource"]) == ("staff:stf_bea", {"kind": "staff", "id": "stf_bea"})

    opening = opening_of(waiting)
    assert (opening.status.value, opening.holder, opening.staff_id) == ("held", waiting, "stf_bea")
    assert opening.start.isoformat() == "2026-03-26T09:00:00+00:00"  # 10:00 in Madrid, the window's start
    assert opening.freed_by == "staff:stf_bea" and request(waiting).status.value == "offered"
    assert offers() == [("offer", f"ofr_{opening.id}_1_{waiting}")]
    stream_the_change(client, "staff.update")  # the stream delivers at least once: still one offer
    assert offers() == [("offer", f"ofr_{opening.id}_1_{waiting}")]


def test_widening_weekly_hours_offers_the_new_hour(client, salon, store, clock, login):
    waiting = join(client, 1, windows=TUESDAY_EVENING)  # Ana ends at 18:00
    send(client, "PATCH", "/admin/staff/stf_ana", {"hours": {**ANA_WEEK, "tue": [["09:00", "13:00"], ["14:00", "19:00"]]}},
         login(Level.MANAGER))
    assert len(stream_the_change(client, "staff.update")) == 9  # every Tuesday 18:00-19:00 of the 60-day horizon
    opening = opening_of(waiting)
    assert opening.status.value == "held" and opening.start.isoformat() == "2026-03-24T17:00:00+00:00"


def test_narrowing_hours_or_removing_a_closure_no_request_wants_offers_nothing(client, salon, store, clock, login):
    waiting = join(client, 1)  # Tuesday morning with Ana
    send(client, "PATCH", "/admin/staff/stf_ana", {"hours": {**ANA_WEEK, "tue": [["09:00", "12:00"]]}},
         login(Level.MANAGER))
    assert stream_the_change(client, "staff.update") == []
    assert request(waiting).offers == () and offers() == []


def test_removing_a_closure_offers_the_day_back(client, salon, store, clock, login):
    manager = login(Level.MANAGER)
    made = send(client, "POST", "/admin/calendar/closures", {"name": "Fiesta", "first_day": "2026-03-26"}, manager)
    waiting = join(client, 1, staff="any", windows=THURSDAY_MORNING)
    send(client, "DELETE", f"/admin/calendar/closures/{made.json_body['id']}", None, manager)
    assert "stf_bea" not in {e["resource"]["id"] for e in stream_the_change(client, "calendar.closure.delete")}  # she is off that day anyway
    opening = opening_of(waiting)
    assert (opening.status.value, opening.staff_id, opening.start.isoformat()) == (
        "held", "stf_ana", "2026-03-26T09:00:00+00:00")


def test_wider_opening_hours_reach_the_waiting_list_too(client, salon, store, clock, login):
    waiting = join(client, 1, staff="stf_bea", windows=[
        {"from": "2026-03-24", "to": "2026-03-24", "start": "18:00", "end": "20:00"}])
    manager = login(Level.ADMIN)  # opening hours are a setting
    narrow = {d: [["09:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}
    send(client, "PATCH", "/admin/business", {"opening_hours": narrow}, manager)
    assert stream_the_change(client, "business.update") == []
    clock["value"] += timedelta(seconds=1)
    send(client, "PATCH", "/admin/business", {"opening_hours": {**narrow, "tue": [["09:00", "20:00"]]}}, manager)
    assert stream_the_change(client, "business.update")
    opening = opening_of(waiting)
    assert opening.staff_id == "stf_bea" and opening.start.isoformat() == "2026-03-24T17:00:00+00:00"


def test_wider_desk_hours_offer_a_service_that_needs_the_desk(client, salon, store, clock, login):
    admin = login(Level.ADMIN)
    afternoons = {d: [["14:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}
    station = send(client, "POST", "/admin/desks", {"number": 1, "services": ["svc_color"], "hours": afternoons,
                                                    "description": "Colour"}, admin).json_body
    send(client, "PATCH", "/admin/services/svc_color", {"requires_desk": True}, admin)
    waiting = join(client, 1, service="svc_color", windows=[
        {"from": "2026-03-24", "to": "2026-03-24", "start": "09:00", "end": "13:00"}])  # the desk opens at 14:00
    send(client, "PATCH", f"/admin/desks/{station['id']}", {"hours": {**afternoons, "tue": [["09:00", "20:00"]]}},
         admin)
    events = stream_the_change(client, "desk.update")  # Tuesdays 09:00-14:00
    assert len(events) == 9 and {e["resource"]["id"] for e in events} == {station["id"]}
    opening = opening_of(waiting)
    assert (opening.status.value, opening.service_id, opening.staff_id) == ("held", "svc_color", "stf_ana")
    assert opening.start.isoformat() == "2026-03-24T08:15:00+00:00"  # 09:15: Color's 10 minutes before
