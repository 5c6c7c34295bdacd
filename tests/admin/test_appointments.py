"""Appointments from the backoffice: book (internal services, overrides), move, hand over, and every
state change, with the same lock units as online bookings and 409s for what the table forbids."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib import wiring
from chalicelib.domain.principal import Level
from chalicelib.domain.model import Approval, BookingRules
from chalicelib.repositories.tables import OutboxItem
from tests import factories
from tests.api.helpers import booking_body, error, post

DESK = Level.RECEPTION_FULL
TUESDAY_11 = "2026-03-24T11:00:00+01:00"


def book(http, headers, start=TUESDAY_11, **fields):
    body = {"service": "svc_cut", "staff": "stf_ana", "start": start, **fields}
    return post(http, "/admin/appointments", body, headers)


def act(client, headers, reference, action, body=None):
    return post(client, f"/admin/appointments/{reference}/{action}", body if body is not None else {}, headers)


def free_starts(client, day="2026-03-24", staff="stf_ana"):
    response = client.http.get(f"/public/salon/availability?service=svc_cut&staff={staff}&from={day}&to={day}")
    return {s["start"] for s in response.json_body["slots"]}


def at(clock, moment: str) -> None:
    """Move the app's clock to a local date-time: attendance is recorded only once an appointment begins."""
    clock["value"] = datetime.fromisoformat(moment).astimezone(timezone.utc)


@pytest.fixture
def eva(seeded):
    return seeded["client"]


def test_reception_books_an_internal_service_that_clients_cannot(client, login, eva):
    response = book(client, login(DESK), client=eva, service="svc_private", notes="Revisión")
    assert response.status_code == 201, response.body
    body = response.json_body
    assert (body["status"], body["source"], body["exclusive"]) == ("confirmed", "backoffice", True)
    assert (body["start"], body["end"]) == (TUESDAY_11, "2026-03-24T11:45:00+01:00")
    assert body["service_name"] == "Tratamiento interno" and body["client"]["id"] == eva
    assert body["client"]["email"] == "eva.private@example.com"
    assert set(body["actions"]) == {"cancel", "check_in", "complete", "no_show", "move"}
    online = post(client, "/public/salon/bookings", booking_body("2026-03-24T15:00:00+01:00", service="svc_private"))
    assert online.status_code == 404
    assert TUESDAY_11 not in free_starts(client)  # its lock units hold Ana's time


def test_booking_on_top_needs_a_stated_reason_and_is_recorded(client, login, eva, seeded):
    headers = login(DESK)
    refused = book(client, headers, start=seeded["start"], client=eva)
    assert refused.status_code == 409 and error(refused)["code"] == "slot_unavailable"
    forced = book(client, headers, start=seeded["start"], client=eva, override_reason="Cliente VIP, lo atiende igual")
    assert forced.status_code == 201, forced.body
    assert forced.json_body["exclusive"] is False
    day = client.http.get("/admin/agenda?date=2026-03-24&staff=stf_ana", headers=headers).json_body
    assert {a["reference"] for a in day["appointments"]} == {seeded["reference"], forced.json_body["reference"]}
    # cancelling the original leaves the override's hold: the time is still not free
    assert act(client, headers, seeded["reference"], "cancel").status_code == 200
    assert seeded["start"] not in free_starts(client)


def test_backoffice_bookings_must_fit_the_professionals_hours(client, login, eva):
    headers = login(DESK)
    for start in ("2026-03-24T13:00:00+01:00", "2026-03-24T08:00:00+01:00", "2026-03-24T11:02:00+01:00"):
        response = book(client, headers, start=start, client=eva)
        assert response.status_code == 422, start
        assert error(response)["code"] == "outside_hours"
    # Bea is on leave on the 26th
    response = book(client, headers, start="2026-03-26T11:00:00+01:00", client=eva, staff="stf_bea")
    assert response.status_code == 422 and error(response)["code"] == "outside_hours"


def test_booking_input_is_checked(client, login, eva):
    headers = login(DESK)
    cases = [({"client": "cli_nope"}, 404, "client"), ({"client": eva, "service": "svc_old"}, 404, "service"),
             ({"client": eva, "staff": "stf_nope"}, 404, "staff"), ({"client": eva, "start": "tomorrow"}, 400, "start"),
             ({"client": eva, "start": "2026-03-24T11:00:00"}, 400, "start"), ({}, 400, "client")]
    for fields, status, field in cases:
        response = book(client, headers, **fields)
        assert response.status_code == status, (fields, response.body)
        assert error(response)["field"] == field
    assert post(client, "/admin/appointments", "[1]", headers).status_code == 400


def test_moving_frees_the_old_time_and_claims_the_new_in_one_step(client, login, seeded):
    headers = login(DESK)
    moved = act(client, headers, seeded["reference"], "reschedule", {"start": "2026-03-24T16:00:00+01:00"})
    assert moved.status_code == 200, moved.body
    assert moved.json_body["start"] == "2026-03-24T16:00:00+01:00" and moved.json_body["staff"] == "stf_ana"
    free = free_starts(client)
    assert seeded["start"] in free and "2026-03-24T16:00:00+01:00" not in free


def test_moving_onto_a_taken_time_is_409_and_changes_nothing(client, login, seeded, eva):
    headers = login(DESK)
    other = book(client, headers, start="2026-03-24T12:00:00+01:00", client=eva).json_body
    response = act(client, headers, other["reference"], "reschedule", {"start": "2026-03-24T10:15:00+01:00"})
    assert response.status_code == 409 and error(response)["code"] == "slot_unavailable"
    assert wiring.store().appointment(other["reference"]).start.isoformat() == "2026-03-24T11:00:00+00:00"
    assert "2026-03-24T12:00:00+01:00" not in free_starts(client)
    forced = act(client, headers, other["reference"], "reschedule",
                 {"start": "2026-03-24T10:15:00+01:00", "override_reason": "Se atienden a la vez"})
    assert forced.status_code == 200 and forced.json_body["exclusive"] is False


def test_handing_over_to_a_colleague(client, login, seeded):
    headers = login(DESK)
    moved = act(client, headers, seeded["reference"], "reschedule", {"staff": "stf_bea"})
    assert moved.status_code == 200, moved.body
    assert (moved.json_body["staff"], moved.json_body["start"]) == ("stf_bea", seeded["start"])
    assert seeded["start"] in free_starts(client, staff="stf_ana")
    assert seeded["start"] not in free_starts(client, staff="stf_bea")
    nobody = act(client, headers, seeded["reference"], "reschedule", {"staff": "stf_owner"})
    assert nobody.status_code == 404 and error(nobody)["field"] == "staff"  # does not perform the service
    same = act(client, headers, seeded["reference"], "reschedule", {"staff": "stf_bea"})
    assert same.status_code == 400 and error(same)["code"] == "nothing_to_change"


def test_the_day_at_the_front_desk(client, login, seeded, clock):
    headers = login(DESK)
    at(clock, seeded["start"])
    arrived = act(client, headers, seeded["reference"], "check-in")
    assert arrived.status_code == 200 and arrived.json_body["status"] == "arrived"
    assert arrived.json_body["check_in"] == "arrived"
    moving = act(client, headers, seeded["reference"], "reschedule", {"start": "2026-03-24T16:00:00+01:00"})
    assert moving.status_code == 409 and error(moving)["code"] == "cannot_move"
    done = act(client, headers, seeded["reference"], "complete")
    assert done.status_code == 200 and done.json_body["status"] == "completed" and done.json_body["actions"] == []
    clock["value"] = factories.NOW  # looking from the day before, as a client would
    assert seeded["start"] in free_starts(client)  # a finished appointment holds no time


@pytest.mark.parametrize("first, then, code", [
    ("cancel", "complete", "cannot_complete"),
    ("cancel", "check-in", "cannot_check_in"),
    ("complete", "cancel", "cannot_cancel"),
    ("no-show", "complete", "cannot_complete"),
    ("cancel", "cancel", "cannot_cancel"),
])
def test_invalid_transitions_are_409_with_a_clear_code(client, login, seeded, clock, first, then, code):
    headers = login(DESK)
    at(clock, seeded["start"])
    assert act(client, headers, seeded["reference"], first).status_code == 200
    before = wiring.store().appointment(seeded["reference"])
    response = act(client, headers, seeded["reference"], then)
    assert response.status_code == 409 and error(response)["code"] == code
    assert wiring.store().appointment(seeded["reference"]) == before


def test_attendance_cannot_be_recorded_before_the_appointment(client, login, seeded, clock):
    headers = login(DESK)
    reference = seeded["reference"]  # Tuesday 10:00
    at(clock, "2026-03-24T09:29:00+01:00")
    early = act(client, headers, reference, "check-in")
    assert early.status_code == 409 and error(early)["code"] == "too_early"
    for action in ("complete", "no-show"):
        refused = act(client, headers, reference, action)
        assert refused.status_code == 409 and error(refused)["code"] == "too_early", action
    assert wiring.store().appointment(reference).status.value == "confirmed"
    at(clock, "2026-03-24T09:30:00+01:00")  # 30 minutes early: the default margin
    assert act(client, headers, reference, "check-in").status_code == 200
    assert error(act(client, headers, reference, "complete"))["code"] == "too_early"
    at(clock, "2026-03-24T10:00:00+01:00")
    assert act(client, headers, reference, "complete").json_body["status"] == "completed"


def test_the_check_in_margin_is_a_business_rule(client, login, seeded, clock):
    changed = client.http.request("PATCH", "/admin/business",
                                  body=json.dumps({"booking_rules": {"check_in_margin_minutes": 60}}),
                                  headers={**login(Level.ADMIN), "Content-Type": "application/json"})
    assert changed.status_code == 200 and changed.json_body["booking_rules"]["check_in_margin_minutes"] == 60
    at(clock, "2026-03-24T09:00:00+01:00")
    assert act(client, login(DESK), seeded["reference"], "check-in").status_code == 200


def test_a_past_appointment_is_recorded_only_when_the_request_says_so(client, login, eva, clock):
    headers = login(DESK)
    at(clock, "2026-03-24T18:00:00+01:00")
    silent = book(client, headers, client=eva)  # 11:00 today, already gone
    assert silent.status_code == 400 and error(silent)["code"] == "start_in_past"
    assert error(silent)["field"] == "start"
    not_past = book(client, headers, client=eva, start="2026-03-25T11:00:00+01:00", past=True)
    assert not_past.status_code == 400 and error(not_past)["code"] == "not_in_past"
    wrong = book(client, headers, client=eva, past="yes")
    assert wrong.status_code == 400 and error(wrong)["code"] == "wrong_type"
    recorded = book(client, headers, client=eva, past=True)
    assert recorded.status_code == 201, recorded.body
    reference = recorded.json_body["reference"]
    assert act(client, headers, reference, "complete").json_body["status"] == "completed"
    kinds = [i.message_kind for i in OutboxItem.scan() if i.reference == reference]
    assert all(kind is None for kind in kinds), kinds  # no confirmation, and no reminder to arm
    moved = act(client, login(DESK), reference, "reschedule", {"start": "2026-03-24T12:00:00+01:00"})
    assert moved.status_code == 409  # completed: it cannot move


def test_an_appointment_is_not_moved_into_the_past(client, login, seeded, clock):
    at(clock, "2026-03-24T12:00:00+01:00")
    moved = act(client, login(DESK), seeded["reference"], "reschedule", {"start": "2026-03-24T11:00:00+01:00"})
    assert moved.status_code == 400 and error(moved)["code"] == "start_in_past"


def test_approving_a_confirmed_appointment_is_409(client, login, seeded):
    response = act(client, login(DESK), seeded["reference"], "approve")
    assert response.status_code == 409 and error(response)["code"] == "cannot_approve"


@pytest.fixture
def pending(client, store, backoffice, clock):
    """With manual approval, an online booking waits as pending."""
    business = backoffice["biz_salon"]
    store.save_business(factories.salon(rules=BookingRules(approval=Approval.MANUAL)))
    response = post(client, "/public/salon/bookings", booking_body("2026-03-24T11:00:00+01:00", staff="stf_ana"))
    assert response.status_code == 201 and response.json_body["status"] == "pending", response.body
    assert business.id == "biz_salon"
    return response.json_body["reference"]


def test_approving_a_pending_online_booking(client, login, pending):
    headers = login(DESK)
    shown = client.http.get(f"/admin/appointments/{pending}", headers=headers).json_body
    assert shown["status"] == "pending" and {"approve", "reject"} <= set(shown["actions"])
    approved = act(client, headers, pending, "approve")
    assert approved.status_code == 200 and approved.json_body["status"] == "confirmed"
    again = act(client, headers, pending, "approve")
    assert again.status_code == 409 and error(again)["code"] == "cannot_approve"


def test_rejecting_a_pending_booking_frees_its_time_and_keeps_the_reason(client, login, pending):
    rejected = act(client, login(DESK), pending, "reject", {"reason": "Fuera de carta"})
    assert rejected.status_code == 200 and rejected.json_body["status"] == "rejected"
    assert "2026-03-24T11:00:00+01:00" in free_starts(client)
    entry = audit_log(client, login)[0]
    assert entry["action"] == "appointment.reject" and entry["target"] == {"kind": "appointment", "id": pending}
    assert entry["before"] == {"status": "pending", "reason": None}
    assert entry["after"] == {"status": "rejected", "reason": "Fuera de carta"}
    assert entry["actor"]["staff"] == "stf_desk" and entry["actor"]["level"] == 3


def audit_log(client, login):
    response = client.http.get("/admin/audit", headers=login(Level.ADMIN))
    assert response.status_code == 200, response.body
    return response.json_body["entries"]


def test_every_backoffice_change_is_in_the_audit_log_with_what_changed(client, login, seeded, eva, clock):
    headers = login(DESK)
    forced = book(client, headers, start=seeded["start"], client=eva, override_reason="Urgencia").json_body
    clock["value"] += timedelta(minutes=1)
    moved = act(client, headers, forced["reference"], "reschedule", {"start": "2026-03-24T16:00:00+01:00"})
    assert moved.status_code == 200
    at(clock, "2026-03-24T15:45:00+01:00")
    act(client, headers, forced["reference"], "check-in")
    log = audit_log(client, login)
    assert [e["action"] for e in log[:3]] == ["appointment.check_in", "appointment.reschedule", "appointment.create"]
    created = log[2]
    assert created["before"] is None and created["after"]["override_reason"] == "Urgencia"
    assert created["after"]["exclusive"] is False and created["after"]["client"] == eva
    assert log[1]["before"]["start"] == "2026-03-24T09:00:00+00:00"
    assert log[1]["after"]["start"] == "2026-03-24T15:00:00+00:00" and log[1]["after"]["exclusive"] is True
    assert log[0]["after"] == {"status": "arrived"}


def test_a_refused_change_leaves_no_audit_entry(client, login, seeded, eva):
    headers = login(DESK)
    count = len(audit_log(client, login))
    assert book(client, headers, start=seeded["start"], client=eva).status_code == 409
    assert act(client, headers, seeded["reference"], "approve").status_code == 409
    assert len(audit_log(client, login)) == count


def test_transition_bodies_are_optional_but_must_be_json(client, login, seeded, clock):
    headers = login(DESK)
    at(clock, seeded["start"])
    response = client.http.post(f"/admin/appointments/{seeded['reference']}/check-in", headers=headers)
    assert response.status_code == 200, response.body
    bad = client.http.post(f"/admin/appointments/{seeded['reference']}/complete", body="{nope",
                           headers={**headers, "Content-Type": "application/json"})
    assert bad.status_code == 400 and error(bad)["code"] == "malformed_json"


def test_professionals_write_only_their_own_agenda(client, login, seeded, eva, clock):
    ana, bea, cris = (login(level) for level in (Level.PROFESSIONAL, Level.PROFESSIONAL_NO_CONTACTS,
                                                   Level.PROFESSIONAL_OWN))
    # Bea (level 6) reads Ana's appointment, without contacts, but cannot change it
    shown = client.http.get(f"/admin/appointments/{seeded['reference']}", headers=bea)
    assert shown.status_code == 200 and shown.json_body["writable"] is False and shown.json_body["actions"] == []
    assert "email" not in shown.json_body["client"]
    refused = act(client, bea, seeded["reference"], "cancel")
    assert refused.status_code == 403 and error(refused)["code"] == "not_your_agenda"
    # Cris (level 7) does not even see it
    assert client.http.get(f"/admin/appointments/{seeded['reference']}", headers=cris).status_code == 404
    assert act(client, cris, seeded["reference"], "cancel").status_code == 404
    # Ana books in her own agenda but not in Bea's, and cannot move her appointment to Bea
    assert book(client, ana, client=eva, start="2026-03-24T12:00:00+01:00").status_code == 201
    assert book(client, ana, client=eva, staff="stf_bea").status_code == 403
    handed = act(client, ana, seeded["reference"], "reschedule", {"staff": "stf_bea"})
    assert handed.status_code == 403
    # professionals do not approve (reception and up do)
    assert act(client, ana, seeded["reference"], "approve").status_code == 403
    at(clock, seeded["start"])
    assert act(client, ana, seeded["reference"], "check-in").status_code == 200


def test_another_business_gets_404_for_these_appointments(client, login, seeded):
    other = login(Level.ADMIN, business="biz_other")
    assert client.http.get(f"/admin/appointments/{seeded['reference']}", headers=other).status_code == 404
    for action in ("cancel", "approve", "check-in", "reschedule"):
        response = act(client, other, seeded["reference"], action,
                       {"start": seeded["start"]} if action == "reschedule" else {"reason": "x"})
        assert response.status_code == 404, action
    booked = book(client, other, client=seeded["client"], staff="stf_o5", service="svc_o_cut")
    assert booked.status_code == 404 and error(booked)["field"] == "client"
    assert wiring.store().appointment(seeded["reference"]).status.value == "confirmed"
