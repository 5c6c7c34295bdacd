"""Exporting everything about one client (GET /admin/clients/{id}/export): a JSON download for levels 1-2, from
indexed reads only (no Scan), audited, and open to other features' sections through one registry."""
from __future__ import annotations

import json
from datetime import timedelta

from bench.counting import counting_dynamodb_calls
from chalicelib.domain.principal import Level
from tests.api.helpers import error
from tests.privacy.test_erasure import a_client_with_a_past_and_a_future, post

ADMIN = Level.ADMIN


def download(client, cid, headers):
    response = client.http.get(f"/admin/clients/{cid}/export", headers=headers)
    assert response.status_code == 200, response.body
    return response, json.loads(response.body)


def test_the_export_holds_profile_appointments_messages_outbox_words_and_history(client, login, seeded, clock, ses):
    given = a_client_with_a_past_and_a_future(client, login, seeded, clock)

    response, body = download(client, given["client"], login(ADMIN))

    assert response.headers["Content-Disposition"].startswith(f'attachment; filename="client-{given["client"]}-')
    assert body["format"] == "turno.client-export/1" and body["business"]["id"] == seeded["business"]
    assert body["client"]["first_name"] == "Evangelina" and body["client"]["email"] == "eva.private@example.com"
    assert body["client"]["fiscal_code"] == "RSSMRA80A01H501U" and body["client"]["notes"] == "Allergic to latex"
    assert {a["reference"] for a in body["appointments"]} == {given["future"], given["past"]}
    past = next(a for a in body["appointments"] if a["reference"] == given["past"])
    assert (past["status"], past["notes"], past["service"]["id"]) == ("completed", "Latex gloves: no", "svc_cut")
    assert {(m["channel"], m["to"]) for m in body["messages"]} == {("email", "eva.private@example.com"),
                                                                   ("sms", "+34699111222")}
    assert body["outbox"] and all(m["reference"] in (given["future"], given["past"]) for m in body["outbox"])
    assert {"evangelina", "quintanilla", "ruiz", "rssmra80a01h501u"} <= set(body["search_words"])
    assert {"client.update", "appointment.create", "appointment.complete"} <= {e["action"] for e in body["audit"]}


def test_the_export_reads_by_key_and_index_only_and_is_audited(client, login, seeded, clock, ses):
    given = a_client_with_a_past_and_a_future(client, login, seeded, clock)
    headers = login(ADMIN)
    clock["value"] += timedelta(minutes=1)

    with counting_dynamodb_calls() as calls:
        download(client, given["client"], headers)

    assert "Scan" not in calls.operations(), calls.detail()
    # client, history, catalog, log, outbox, words, audit per record; consent (2), marketing messages, plans,
    # waiting requests (one each)
    assert len(calls.reads) <= 19, calls.detail()
    log = client.http.get("/admin/audit?limit=5", headers=headers).json_body["entries"]
    assert log[0]["action"] == "client.export" and log[0]["target"]["id"] == given["client"]


def test_an_erased_client_exports_as_the_pseudonym(client, login, seeded, clock, ses):
    given = a_client_with_a_past_and_a_future(client, login, seeded, clock)
    post(client, f"/admin/clients/{given['client']}/erase", {"confirm": True}, login(ADMIN))

    _, body = download(client, given["client"], login(ADMIN))

    assert body["client"]["erased_at"] and body["client"]["email"] is None
    assert "latex" not in json.dumps(body).lower() and "eva.private" not in json.dumps(body).lower()


def test_only_levels_1_and_2_export_and_only_their_own_business(client, login, seeded):
    path = f"/admin/clients/{seeded['client']}/export"
    assert client.http.get(path, headers=login(Level.MANAGER)).status_code == 200
    for level in (Level.RECEPTION_FULL, Level.PROFESSIONAL, Level.PROFESSIONAL_OWN):
        response = client.http.get(path, headers=login(level))
        assert response.status_code == 403 and error(response)["code"] == "forbidden", level
    assert client.http.get(path, headers=login(ADMIN, seeded["other_business"])).status_code == 404
    assert client.http.get("/admin/clients/../export", headers=login(ADMIN)).status_code in (403, 404)


def test_a_feature_adds_its_section_through_the_registry(client, login, seeded, monkeypatch):
    from chalicelib.services import privacy

    monkeypatch.setitem(privacy.SECTIONS, "waiting_requests",
                        privacy.Section("waiting_requests", export=lambda subject: [{"client": subject.client.id}]))

    _, body = download(client, seeded["client"], login(ADMIN))

    assert body["waiting_requests"] == [{"client": seeded["client"]}]


def test_a_registered_eraser_runs_once_per_erasure(client, login, seeded, monkeypatch):
    from chalicelib.services import privacy

    seen = []
    monkeypatch.setitem(privacy.SECTIONS, "plans", privacy.Section("plans", erase=lambda s: seen.append(s.client.id) or 1))
    for _ in range(2):
        assert post(client, f"/admin/clients/{seeded['client']}/erase", {"confirm": True}, login(ADMIN)).status_code == 200
    assert seen == [seeded["client"]]
