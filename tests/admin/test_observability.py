"""Logs and metrics (chalicelib/observability.py), read the way CloudWatch would: everything a function
prints to stdout. Every line is JSON; log lines carry the route, request id, business and booking
reference; a client's email and phone, the manage token and the staff's token appear in none of them;
bookings, 409s and the jobs' reports arrive as EMF metrics in the "Turno" namespace.

In tests/admin/ for the backoffice's sign-ins; the public API and the jobs run through the same Client."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import datetime

import pytest

from chalicelib import observability, wiring
from chalicelib.domain.principal import Level
from chalicelib.domain.calendar import UTC
from tests.api.helpers import booking_body, post

SENDER = "no-reply@turno.example"
EMAIL, PHONE = "lucia.secreta@example.com", "+34611222333"
TUESDAY_11 = "2026-03-24T11:00:00+01:00"


class _Stdout:
    """Whatever sys.stdout is when a line is written (pytest swaps it between set-up and the test)."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


@pytest.fixture
def stdout(capsys, monkeypatch):
    """What the functions print, as Lambda sends it to CloudWatch: the log lines and the EMF lines."""
    monkeypatch.delenv("TURNO_LOCAL_OUTBOX", raising=False)  # `make dev`'s console copy of each message
    handler = observability.logger.registered_handler
    previous, handler.stream = handler.stream, _Stdout()  # pytest's capture (stdout at the time of writing)
    level = observability.logger.log_level
    observability.logger.setLevel("DEBUG")  # every line any code could write, the quiet ones too
    capsys.readouterr()
    yield lambda: capsys.readouterr().out
    observability.logger.setLevel(level)
    handler.stream = previous


@pytest.fixture
def unmasked(monkeypatch):
    """Lines as the code wrote them: the test is about what the code logs, not about the net under it."""
    monkeypatch.setattr(observability._formatter, "json_serializer", observability._plain_json)


@pytest.fixture
def sender(aws):
    import boto3

    boto3.client("sesv2", region_name="eu-west-1").create_email_identity(EmailIdentity=SENDER)
    wiring.sesv2.cache_clear()
    wiring.sns.cache_clear()


@dataclass
class Metric:
    namespace: str
    name: str
    unit: str
    values: list
    dimensions: dict
    business_id: str | None


def parse(out: str) -> tuple[list[dict], list[Metric]]:
    """(log lines, metrics): every non-empty line must be one JSON object."""
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert all(isinstance(line, dict) for line in lines)
    logs = [line for line in lines if "_aws" not in line]
    metrics = []
    for blob in (line for line in lines if "_aws" in line):
        for directive in blob["_aws"]["CloudWatchMetrics"]:
            (dimension_names,) = directive["Dimensions"]
            dimensions = {name: blob[name] for name in dimension_names}
            for metric in directive["Metrics"]:
                value = blob[metric["Name"]]
                metrics.append(Metric(directive["Namespace"], metric["Name"], metric["Unit"],
                                      value if isinstance(value, list) else [value], dimensions,
                                      blob.get("business_id")))
    return logs, metrics


def named(metrics: list[Metric], name: str) -> list[Metric]:
    return [m for m in metrics if m.name == name]


def run(client, function: str) -> dict:
    event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                            resources=[])
    return client.lambda_.invoke(function, event).payload


def test_a_booking_a_conflict_and_a_delivery_run_are_counted_in_emf(client, salon, clock, sender, stdout):
    made = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff="stf_ana", email=EMAIL, phone=PHONE))
    assert made.status_code == 201, made.body
    _, metrics = parse(stdout())
    (booking,) = named(metrics, "Bookings")
    assert (booking.namespace, booking.unit, booking.values) == ("Turno", "Count", [1])
    assert booking.dimensions == {"service": "turno", "source": "public"}
    assert booking.business_id == "biz_salon"  # metadata: one metric for all tenants, not one per tenant

    taken = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff="stf_ana", email="o@example.com"))
    assert taken.status_code == 409
    _, metrics = parse(stdout())
    (conflict,) = named(metrics, "Conflicts")
    assert (conflict.values, conflict.dimensions) == ([1], {"service": "turno", "code": "slot_unavailable"})
    assert not named(metrics, "Bookings")

    report = run(client, "deliver_outbox")  # the confirmation: one email and one SMS
    assert (report["sent"], report["failed"], report["skipped"]) == (2, 0, 0)
    _, metrics = parse(stdout())
    counts = {m.name: (m.values, m.dimensions) for m in metrics if m.unit == "Count"}
    assert counts == {name: ([value], {"service": "turno"}) for name, value in
                      (("MessagesSent", 2), ("MessagesFailed", 0), ("MessagesSkipped", 0))}
    (duration,) = named(metrics, "JobDuration")
    assert duration.unit == "Milliseconds" and duration.dimensions == {"service": "turno", "job": "deliver_outbox"}

    clock["value"] = datetime(2026, 3, 23, 10, 0, tzinfo=UTC)  # 24 hours before the appointment
    assert run(client, "send_reminders")["reminders"] == 1
    _, metrics = parse(stdout())
    assert [m.values for m in named(metrics, "RemindersQueued")] == [[1]]
    assert [m.values for m in named(metrics, "MessagesSent")] == [[2]]
    assert named(metrics, "JobDuration")[0].dimensions["job"] == "send_reminders"


def test_no_line_holds_a_clients_contact_or_a_token_and_each_carries_its_keys(
        client, login, clock, store, sender, stdout, unmasked):
    # A client books online and looks at the booking through the manage link; someone else is too late.
    made = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff="stf_ana", email=EMAIL, phone=PHONE))
    assert made.status_code == 201, made.body
    reference, token = made.json_body["reference"], made.json_body["manage_token"]
    assert client.http.get(f"/public/bookings/{reference}?token={token}").status_code == 200
    taken = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff="stf_ana", email="x@example.com"))
    assert taken.status_code == 409

    # The front desk books the same client again and moves that appointment.
    headers = login(Level.RECEPTION_FULL)
    client_id = store.appointment(reference).client_id
    second = post(client, "/admin/appointments", {"client": client_id, "service": "svc_cut", "staff": "stf_ana",
                                                  "start": "2026-03-24T15:00:00+01:00"}, headers)
    assert second.status_code == 201, second.body
    moved = post(client, f"/admin/appointments/{second.json_body['reference']}/reschedule",
                 {"start": "2026-03-24T16:00:00+01:00"}, headers)
    assert moved.status_code == 200, moved.body

    # The outbox job sends; then SES refuses one email with a message that names the address (as it does).
    assert run(client, "deliver_outbox")["sent"] >= 4
    from botocore.exceptions import ClientError

    from chalicelib import wiring

    def refused(**request):
        raise ClientError({"Error": {"Code": "MessageRejected", "Message": f"Email address is not verified: "
                                     f"{request['Destination']['ToAddresses'][0]}"}}, "SendEmail")

    with pytest.MonkeyPatch.context() as patch:  # SES itself refuses: the adapter translates, delivery retries
        patch.setattr(wiring.sesv2(), "send_email", refused)
        cancelled = post(client, f"/public/bookings/{reference}/cancel", {"token": token})
        assert cancelled.status_code == 200, cancelled.body
        assert run(client, "deliver_outbox")["retry"] == 1

    # The reminder job, and a bounce that marks the client's address.
    clock["value"] = datetime(2026, 3, 23, 15, 0, tzinfo=UTC)  # 24 hours before the moved appointment
    assert run(client, "send_reminders")["reminders"] == 1
    bounce = {"notificationType": "Bounce", "mail": {"messageId": "x"},
              "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": EMAIL}]}}
    client.lambda_.invoke("on_sns_message", client.events.generate_sns_event(message=json.dumps(bounce)))
    out = stdout()

    secrets = {EMAIL, PHONE, PHONE[1:], token, headers["Authorization"].split()[1], login.tokens(
        Level.RECEPTION_FULL)["refresh_token"], "Turno-Test-Pass-1!"}
    found = {secret for secret in secrets if secret in out}
    assert not found, f"{found} in the logs"
    logs, _ = parse(out)

    assert logs and all(line["service"] == "turno" and line["request_id"] and line["function_request_id"]
                        for line in logs)
    requests = {(line["route"], line["status"]): line for line in logs if line["message"] == "request"}
    booked = requests[("POST /public/{business}/bookings", 201)]
    assert (booked["business_slug"], booked["booking_reference"], booked["business_id"]) == (
        "salon", reference, "biz_salon")
    assert requests[("POST /public/{business}/bookings", 409)]["business_slug"] == "salon"
    assert requests[("GET /public/bookings/{reference}", 200)]["booking_reference"] == reference
    desk = requests[("POST /admin/appointments", 201)]
    assert (desk["business_id"], desk["staff_id"], desk["booking_reference"]) == (
        "biz_salon", "stf_desk", second.json_body["reference"])
    assert requests[("POST /admin/appointments/{reference}/reschedule", 200)]["booking_reference"] == (
        second.json_body["reference"])
    assert all(isinstance(line["duration_ms"], float) for line in requests.values())

    jobs = [line for line in logs if line["message"] == "job finished"]
    assert {line["job"] for line in jobs} == {"deliver_outbox", "send_reminders"}
    assert all(line["function_name"] == line["job"] for line in jobs)
    (refusal,) = [line for line in logs if line["level"] == "WARNING" and line.get("job") == "deliver_outbox"]
    assert "MessageRejected" in refusal["message"] and refusal["message"].startswith("email")
    (marked,) = [line for line in logs if line.get("function_name") == "on_sns_message"]
    assert marked["message"] == "marked a client email address undeliverable (bounce)"


def test_the_net_masks_what_a_careless_line_would_leak(stdout):
    observability.logger.warning(f"to {EMAIL} / {PHONE}: https://x.example/b/s/manage/R?token=abc123&x=1",
                                 extra={"body": {"manage_token": "abc123"}, "auth": "Bearer eyJ.abc.def"})
    (line,) = parse(stdout())[0]
    assert line["message"] == "to <email> / <phone>: https://x.example/b/s/manage/R?token=<token>&x=1"
    assert line["body"] == {"manage_token": "<token>"} and line["auth"] == "Bearer <token>"


def test_a_500_is_one_json_error_line_with_its_traceback_and_route(client, salon, stdout, monkeypatch):
    from chalicelib.services import booking

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(booking, "business", broken)
    assert client.http.get("/public/salon").status_code == 500
    logs, _ = parse(stdout())
    (error,) = [line for line in logs if line["level"] == "ERROR"]  # Chalice's own log is the same logger
    assert error["exception_name"] == "RuntimeError" and "a bug" in error["exception"]
    assert (error["route"], error["business_slug"]) == ("GET /public/{business}", "salon")
    (request,) = [line for line in logs if line["message"] == "request"]
    assert (request["level"], request["status"]) == ("WARNING", 500)
