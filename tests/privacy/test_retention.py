"""Retention: a business setting (off by default) and the nightly job that erases clients idle for more than N
months - found through the idle index (never a scan), each exactly once, overlapping runs included."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from bench.counting import counting_dynamodb_calls
from chalicelib.domain.principal import Level
from chalicelib.domain.retention import cutoff
from tests.api.helpers import error, post

ADMIN, DESK = Level.ADMIN, Level.RECEPTION_FULL
LONG_AGO = datetime(2024, 1, 10, 9, 0, tzinfo=timezone.utc)


def put(client, body, headers):
    import json

    return client.http.put("/admin/privacy/retention", body=json.dumps(body),
                           headers={"Content-Type": "application/json", **headers})


def nightly(client) -> dict:
    return client.lambda_.invoke("apply_retention", client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])).payload


def the_stream_saw_every_appointment(store, business_id: str) -> None:
    """What the table's stream does on AWS and in `make dev` (moto has none): each version to the subscriber."""
    from chalicelib.jobs.client_activity import keep_last_seen
    from chalicelib.repositories.stream import AppointmentRecord

    every = store.appointments_between(business_id, LONG_AGO - timedelta(days=400), LONG_AGO + timedelta(days=1500))
    keep_last_seen([AppointmentRecord(str(i), a.business_id, a.reference, a) for i, a in enumerate(every)])


def register(client, headers, name: str) -> str:
    made = post(client, "/admin/clients", {"first_name": name, "last_name": "Olvidado",
                                           "email": f"{name.lower()}@mail.example"}, headers)
    assert made.status_code == 201, made.body
    return made.json_body["id"]


@pytest.fixture
def clients_of_all_kinds(client, login, seeded, clock, store):
    """Registered two years ago: Ida (never came back), Bruno (came two months ago), Carla (booked for next
    week); and Eva, the seeded online client (booked for tomorrow)."""
    desk = login(DESK)
    now = clock["value"]
    clock["value"] = LONG_AGO
    ida, bruno, carla = (register(client, desk, name) for name in ("Ida", "Bruno", "Carla"))
    clock["value"] = now
    for cid, start, past in ((bruno, "2026-01-20T10:00:00+01:00", True), (carla, "2026-03-30T10:00:00+02:00", False)):
        made = post(client, "/admin/appointments", {"client": cid, "service": "svc_cut", "staff": "stf_ana",
                                                    "start": start, "past": past}, desk)
        assert made.status_code == 201, made.body
    the_stream_saw_every_appointment(store, seeded["business"])
    return {"ida": ida, "bruno": bruno, "carla": carla, "eva": seeded["client"]}


def erase_entries(client, login) -> list[dict]:
    log = client.http.get("/admin/audit?limit=100", headers=login(ADMIN)).json_body["entries"]
    return [e for e in log if e["action"] == "client.erase"]


def test_retention_is_off_by_default_and_only_level_1_turns_it_on(client, login, seeded):
    assert client.http.get("/admin/privacy/retention", headers=login(DESK)).json_body == {"retention_months": None}
    assert put(client, {"retention_months": 24}, login(Level.MANAGER)).status_code == 403

    saved = put(client, {"retention_months": 24}, login(ADMIN))

    assert saved.status_code == 200 and saved.json_body == {"retention_months": 24}
    assert client.http.get("/admin/privacy/retention", headers=login(ADMIN)).json_body == {"retention_months": 24}
    assert put(client, {"retention_months": None}, login(ADMIN)).json_body == {"retention_months": None}
    from chalicelib.repositories import retention

    assert retention.businesses() == []  # off: the job does not even visit the business


@pytest.mark.parametrize("body, code", [({"retention_months": 5}, "out_of_range"),
                                        ({"retention_months": 241}, "out_of_range"),
                                        ({"retention_months": "12"}, "invalid_number"),
                                        ({"retention_months": True}, "invalid_number"),
                                        ({"retention_months": 12.5}, "invalid_number"),
                                        ({}, "required")])
def test_a_bad_retention_is_400_naming_the_field(client, login, seeded, body, code):
    response = put(client, body, login(ADMIN))
    assert response.status_code == 400 and error(response) | {"message": ""} == {
        "code": code, "field": "retention_months", "message": ""}


def test_nothing_is_erased_while_retention_is_off(client, login, clients_of_all_kinds):
    assert nightly(client)["erased"] == 0
    assert erase_entries(client, login) == []


def test_the_nightly_job_erases_exactly_the_idle_clients_once(client, login, clients_of_all_kinds, store):
    people = clients_of_all_kinds
    put(client, {"retention_months": 12}, login(ADMIN))

    with counting_dynamodb_calls() as calls:
        first = nightly(client)
    second = nightly(client)

    assert "Scan" not in calls.operations()
    assert (first["erased"], second["erased"]) == (1, 0)
    shown = {name: client.http.get(f"/admin/clients/{cid}", headers=login(ADMIN)).json_body
             for name, cid in people.items()}
    assert shown["ida"]["erased_at"] and shown["ida"]["first_name"] == "Erased" and shown["ida"]["email"] is None
    assert all(shown[n]["erased_at"] is None for n in ("bruno", "carla", "eva"))
    entries = erase_entries(client, login)
    assert len(entries) == 1 and entries[0]["target"]["id"] == people["ida"]
    assert entries[0]["actor"]["staff"] == "system" and entries[0]["after"]["reason"] == "retention"


def test_overlapping_runs_erase_each_idle_client_once(client, login, seeded, clock, store, atomic_moto):
    from chalicelib import wiring
    from chalicelib.services import retention

    desk = login(DESK)
    now = clock["value"]
    clock["value"] = LONG_AGO
    idle = [register(client, desk, f"Idle{i}") for i in range(6)]
    clock["value"] = now
    put(client, {"retention_months": 12}, login(ADMIN))
    reports, failures = [], []

    def night():
        try:
            reports.append(retention.run(wiring.store(), wiring.clients(), wiring.do_not_contact(), now))
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    runs = [threading.Thread(target=night) for _ in range(3)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()

    assert not failures
    entries = erase_entries(client, login)
    assert sorted(e["target"]["id"] for e in entries) == sorted(idle)  # one audit entry each: erased once
    assert sum(r["erased"] for r in reports) == len(idle)
    assert all(client.http.get(f"/admin/clients/{c}", headers=desk).json_body["erased_at"] for c in idle)


def test_a_client_booked_before_the_stream_caught_up_is_kept(client, login, seeded, clock, store):
    desk = login(DESK)
    now = clock["value"]
    clock["value"] = LONG_AGO
    late = register(client, desk, "Late")
    clock["value"] = now
    made = post(client, "/admin/appointments", {"client": late, "service": "svc_cut", "staff": "stf_ana",
                                                "start": "2026-03-25T10:00:00+01:00"}, desk)
    assert made.status_code == 201  # ...and the stream has not delivered it yet
    put(client, {"retention_months": 12}, login(ADMIN))

    assert nightly(client)["erased"] == 0
    from chalicelib.repositories import retention

    assert retention.last_seen(seeded["business"], late).isoformat().startswith("2026-03-25")


def test_last_seen_only_moves_forward_and_never_for_an_erased_client(aws):
    from chalicelib.repositories import retention

    early, late = datetime(2025, 1, 1, tzinfo=timezone.utc), datetime(2025, 6, 1, tzinfo=timezone.utc)
    assert retention.raise_seen("biz_x", "cli_a", late)
    assert not retention.raise_seen("biz_x", "cli_a", early)  # an older record, delivered late
    assert retention.last_seen("biz_x", "cli_a") == late
    retention.mark_erased("biz_x", "cli_a")
    assert not retention.raise_seen("biz_x", "cli_a", late + timedelta(days=1))
    assert retention.idle("biz_x", late + timedelta(days=900), 10) == []


@pytest.mark.parametrize("now, months, expected", [
    ("2026-05-31T12:00:00", 3, "2026-02-28T12:00:00"),
    ("2028-05-31T12:00:00", 3, "2028-02-29T12:00:00"),
    ("2026-01-15T00:00:00", 24, "2024-01-15T00:00:00"),
    ("2026-03-29T01:30:00", 6, "2025-09-29T01:30:00"),
])
def test_months_are_calendar_months(now, months, expected):
    at = datetime.fromisoformat(now).replace(tzinfo=timezone.utc)
    assert cutoff(at, months) == datetime.fromisoformat(expected).replace(tzinfo=timezone.utc)


def test_the_backfill_indexes_what_was_stored_before_and_is_harmless_twice(client, login, seeded, clock, store):
    """Data from before privacy: no last-seen items, audit entries without their index key."""
    from chalicelib import wiring
    from chalicelib.repositories import privacy as stored, retention
    from chalicelib.repositories.tables import AuditItem, ClientSeenItem, Item
    from chalicelib.services.privacy_backfill import backfill

    business = seeded["business"]
    post(client, "/admin/clients", {"first_name": "Vieja", "email": "vieja@mail.example"}, login(DESK))
    for item in ClientSeenItem.query(f"BIZ#{business}#SEEN"):
        item.delete()
    for item in AuditItem.query(f"BIZ#{business}#AUDIT"):
        item.update(actions=[Item.agenda_pk.remove(), Item.agenda_sk.remove()])
    assert stored.audit_about(business, "appointment", seeded["reference"]) == []

    first = backfill(wiring.clients(), business)
    second = backfill(wiring.clients(), business)

    assert (first.clients, first.raised) == (2, 2) and first.audit_entries >= 1
    assert (second.raised, second.audit_entries) == (0, 0)
    assert retention.last_seen(business, seeded["client"]) == store.appointment(seeded["reference"]).start
    assert stored.audit_about(business, "client", next(iter(
        i.target_id for i in AuditItem.query(f"BIZ#{business}#AUDIT") if i.action == "client.create")))
