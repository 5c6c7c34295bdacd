"""Driving delivery in tests (fixtures in tests/conftest.py): SES and SNS as moto records them, and the jobs
invoked the way Lambda would (chalice.test.Client's lambda_.invoke)."""
from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from datetime import timedelta

from tests.api.helpers import booking_body, post
from tests.factories import NOW  # noqa: F401  (tests import it from here)

ACCOUNT, REGION = "123456789012", "eu-west-1"
SENDER = "no-reply@turno.example"
TUESDAY_11 = "2026-03-24T11:00:00+01:00"  # 10:00 UTC


@dataclass
class Mail:
    to: str
    subject: str
    text: str
    html: str
    ics: str | None


def emails() -> list[Mail]:
    from moto.ses.models import ses_backends

    found = []
    for sent in ses_backends[ACCOUNT][REGION].sent_messages:
        parsed = email.message_from_string(sent.raw_data, policy=email.policy.default)
        parts = {p.get_content_type(): p.get_content() for p in parsed.walk() if not p.is_multipart()}
        found.append(Mail(parsed["To"], str(parsed["Subject"]), parts.get("text/plain", ""),
                          parts.get("text/html", ""), parts.get("text/calendar")))
    return found


def sms() -> list[tuple[str, str]]:
    from moto.sns.models import sns_backends

    return list(sns_backends[ACCOUNT][REGION].sms_messages.values())


def deliver(client) -> dict:
    """One run of the outbox job, as EventBridge would start it."""
    return client.lambda_.invoke("deliver_outbox", client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])).payload


def remind(client) -> dict:
    return client.lambda_.invoke("send_reminders", client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])).payload


def book(client, start=TUESDAY_11, **kw) -> dict:
    made = post(client, "/public/salon/bookings", booking_body(start, **{"staff": "stf_ana", **kw}))
    assert made.status_code == 201, made.body
    return made.json_body


def later(clock, **delta) -> None:
    clock["value"] = clock["value"] + timedelta(**delta)


def log_of(business_id: str, client_id: str) -> list:
    from chalicelib.repositories import messages

    return messages.client_log(business_id, client_id)


def client_id_of(store, reference: str) -> str:
    return store.appointment(reference).client_id
