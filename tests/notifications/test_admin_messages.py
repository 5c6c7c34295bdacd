"""The backoffice reads a client's message log (failed ones to follow up) and message counts for reports."""
from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from chalicelib import wiring
from chalicelib.domain.principal import Level
from chalicelib.notifications import outbox
from tests.backoffice_world import OTHER
from tests.notifications.delivery_helpers import deliver, later


@pytest.fixture
def messages_sent(seeded, client, clock, monkeypatch):
    """The seeded booking's confirmation: the SMS goes, the email is refused at every try; the try at
    08:58 UTC on Tuesday is the last before the appointment (09:00 UTC) and fails it."""
    tries = []

    def fail(**kwargs):
        tries.append(kwargs)
        raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "SES is down"}}, "SendEmail")

    monkeypatch.setattr(wiring.sesv2(), "send_email", fail)
    deliver(client)  # Monday 07:00 UTC
    for wait in (dict(hours=8), dict(hours=8), dict(hours=9, minutes=58)):
        later(clock, **wait)  # one try per run: the retry was due long ago
        deliver(client)
    return {**seeded, "tries": len(tries)}


def test_a_client_log_lists_each_message_with_its_failed_one(client, login, messages_sent):
    path = f"/admin/clients/{messages_sent['client']}/messages"
    body = client.http.get(path, headers=login(Level.RECEPTION_FULL)).json_body
    assert [(m["kind"], m["channel"], m["status"]) for m in body["messages"]] == [
        ("confirmed", "email", "failed"), ("confirmed", "sms", "sent")]  # newest first
    failed = client.http.get(path + "?status=failed", headers=login(Level.RECEPTION_FULL)).json_body["messages"]
    assert len(failed) == 1 and failed[0]["to"] == "eva.private@example.com" and "SES is down" in failed[0]["error"]
    assert failed[0]["attempts"] == messages_sent["tries"] == 4
    [sms] = [m for m in body["messages"] if m["channel"] == "sms"]
    assert sms["segments"] >= 1 and sms["encoding"] in ("GSM-7", "UCS-2")


def test_level_6_sees_the_log_without_addresses(client, login, messages_sent):
    body = client.http.get(f"/admin/clients/{messages_sent['client']}/messages",
                           headers=login(Level.PROFESSIONAL_NO_CONTACTS))
    assert body.status_code == 200 and body.json_body["messages"]
    assert "eva.private" not in body.body.decode() and "+34699111222" not in body.body.decode()


def test_another_business_gets_404(client, login, messages_sent):
    response = client.http.get(f"/admin/clients/{messages_sent['client']}/messages",
                               headers=login(Level.ADMIN, business=OTHER))
    assert response.status_code == 404


def test_bad_status_and_limit_are_400(client, login, messages_sent):
    base = f"/admin/clients/{messages_sent['client']}/messages"
    for query, field in (("?status=lost", "status"), ("?limit=0", "limit"), ("?limit=x", "limit")):
        response = client.http.get(base + query, headers=login(Level.MANAGER))
        assert response.status_code == 400 and response.json_body["error"]["field"] == field


def test_counts_per_kind_and_channel_over_a_period(client, login, messages_sent):
    response = client.http.get("/admin/reports/messages?from=2026-03-01&to=2026-03-31",
                               headers=login(Level.RECEPTION_FULL))
    assert response.status_code == 200
    totals = {(t["kind"], t["channel"]): (t["sent"], t["failed"]) for t in response.json_body["totals"]}
    assert totals == {("confirmed", "email"): (0, 1), ("confirmed", "sms"): (1, 0)}
    assert {(d["day"], d["channel"]) for d in response.json_body["days"]} == {
        ("2026-03-23", "sms"), ("2026-03-24", "email")}  # the email failed on Tuesday, at its last try
    empty = client.http.get("/admin/reports/messages?from=2026-04-01&to=2026-04-30",
                            headers=login(Level.RECEPTION_FULL)).json_body
    assert empty["totals"] == [] and empty["days"] == []


def test_counts_need_a_valid_period_and_the_reports_level(client, login, messages_sent):
    backwards = client.http.get("/admin/reports/messages?from=2026-03-31&to=2026-03-01", headers=login(Level.ADMIN))
    assert backwards.status_code == 400 and backwards.json_body["error"]["field"] == "to"
    too_long = client.http.get("/admin/reports/messages?from=2025-01-01&to=2026-03-01", headers=login(Level.ADMIN))
    assert too_long.status_code == 400 and too_long.json_body["error"]["code"] == "range_too_long"
    forbidden = client.http.get("/admin/reports/messages?from=2026-03-01&to=2026-03-31",
                                headers=login(Level.PROFESSIONAL))
    assert forbidden.status_code == 403


def backoffice_kinds(store, reference):
    from tests.notifications.delivery_helpers import log_of

    return sorted((e.kind, e.channel) for e in log_of("biz_salon", store.appointment(reference).client_id))


def test_backoffice_actions_cause_their_messages_through_the_same_outbox(client, login, seeded, store, clock):
    # staff create an appointment (confirmed), move it (rescheduled), then cancel it (cancelled)
    from tests.api.helpers import post

    headers = login(Level.RECEPTION_FULL)
    made = post(client, "/admin/appointments", {"client": seeded["client"], "service": "svc_cut", "staff": "stf_ana",
                                                "start": "2026-03-25T10:00:00+01:00"}, headers=headers)
    assert made.status_code == 201, made.body
    reference = made.json_body["reference"]
    deliver(client)
    later(clock, minutes=1)
    moved = post(client, f"/admin/appointments/{reference}/reschedule", {"start": "2026-03-25T11:00:00+01:00"},
                 headers=headers)
    assert moved.status_code == 200, moved.body
    later(clock, minutes=1)
    assert post(client, f"/admin/appointments/{reference}/cancel", {}, headers=headers).status_code == 200
    deliver(client)
    assert backoffice_kinds(store, reference) == [
        ("cancelled", "email"), ("cancelled", "sms"), ("confirmed", "email"), ("confirmed", "email"),
        ("confirmed", "sms"), ("confirmed", "sms"), ("rescheduled", "email"), ("rescheduled", "sms")]


def test_a_message_whose_answer_was_lost_is_listed_and_counted_as_unconfirmed(seeded, client, login, clock,
                                                                              monkeypatch):
    """Given SES sent the confirmation but its answer was lost, the backoffice sees it as `unconfirmed` (not
    sent again, not failed) in the client's log, filtered by that status, and in the report's counts."""
    from botocore.exceptions import ReadTimeoutError

    ses = wiring.sesv2()
    real = ses.send_email

    def sent_then_lost(**kwargs):
        real(**kwargs)
        raise ReadTimeoutError(endpoint_url="https://provider.invalid/")

    monkeypatch.setattr(ses, "send_email", sent_then_lost)
    deliver(client)
    later(clock, minutes=30)
    deliver(client)
    path = f"/admin/clients/{seeded['client']}/messages"
    listed = client.http.get(path + "?status=unconfirmed", headers=login(Level.RECEPTION_FULL))
    assert listed.status_code == 200
    [entry] = listed.json_body["messages"]
    assert (entry["channel"], entry["status"]) == ("email", "unconfirmed") and "not confirmed" in entry["error"]
    report = client.http.get("/admin/reports/messages?from=2026-03-01&to=2026-03-31",
                             headers=login(Level.RECEPTION_FULL)).json_body
    totals = {(t["kind"], t["channel"]): (t["sent"], t["failed"], t["unconfirmed"]) for t in report["totals"]}
    assert totals == {("confirmed", "email"): (0, 0, 1), ("confirmed", "sms"): (1, 0, 0)}
