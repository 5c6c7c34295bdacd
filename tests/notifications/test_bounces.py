"""Bounces, complaints and SMS opt-outs arrive through SNS and stop further messages to that address."""
from __future__ import annotations

import json
from dataclasses import replace

from chalicelib.domain.model import AppointmentStatus
from chalicelib.repositories import messages
from tests import factories
from tests.notifications.delivery_helpers import book, client_id_of, deliver, emails, later, log_of, sms


def notify(client, payload) -> dict:
    raw = payload if isinstance(payload, str) else json.dumps(payload)
    return client.lambda_.invoke("on_sns_message", client.events.generate_sns_event(message=raw)).payload


def bounce(address: str, kind: str = "Permanent") -> dict:
    return {"notificationType": "Bounce", "mail": {"messageId": "x"},
            "bounce": {"bounceType": kind, "bouncedRecipients": [{"emailAddress": address}]}}


def test_a_permanent_bounce_stops_email_but_not_sms(client, salon, store, ses, clock):
    made = book(client)
    deliver(client)
    answer = notify(client, bounce("Eva@Example.com"))
    assert answer["marked"] == [{"channel": "email", "address": "Eva@Example.com", "reason": "bounce"}]
    later(clock, minutes=1)
    factories.change(store, store.appointment(made["reference"]),
                 store.appointment(made["reference"]).with_status(AppointmentStatus.CANCELLED, clock["value"]))
    deliver(client)
    assert len(emails()) == 1 and len(sms()) == 2
    skipped = [e for e in log_of("biz_salon", client_id_of(store, made["reference"])) if e.status == "skipped"]
    assert [(e.kind, e.channel, e.error) for e in skipped] == [
        ("cancelled", "email", "undeliverable (bounce)")]
    counts = {(c.kind, c.channel): c.skipped for c in messages.counts(
        "biz_salon", clock["value"].date(), clock["value"].date())}
    assert counts[("cancelled", "email")] == 1


def test_a_transient_bounce_marks_nothing(client, salon, ses):
    assert notify(client, bounce("eva@example.com", kind="Transient"))["marked"] == []
    book(client)
    deliver(client)
    assert len(emails()) == 1


def test_a_complaint_marks_the_address_for_every_business(client, salon, ses):
    notify(client, {"eventType": "Complaint",
                    "complaint": {"complainedRecipients": [{"emailAddress": "eva@example.com"}]}})
    book(client)
    deliver(client)
    assert emails() == [] and len(sms()) == 1


def test_an_sms_stop_reply_stops_sms(client, salon, ses):
    notify(client, {"originationNumber": "+34612345678", "destinationNumber": "+34900000000",
                    "messageBody": "stop please"})
    book(client)
    deliver(client)
    assert len(emails()) == 1 and sms() == []


def test_an_ordinary_sms_reply_and_junk_mark_nothing(client, salon, ses):
    assert notify(client, {"originationNumber": "+34612345678", "messageBody": "Gracias!"})["marked"] == []
    assert notify(client, "not json")["marked"] == []
    assert notify(client, {"notificationType": "Delivery"})["marked"] == []
    book(client)
    deliver(client)
    assert len(emails()) == 1 and len(sms()) == 1


def test_when_staff_give_the_client_another_address_messages_flow_again(client, salon, store, ses, clock):
    from chalicelib.repositories.tables import ClientItem

    made = book(client)
    notify(client, bounce("eva@example.com"))
    deliver(client)
    assert emails() == []
    item = ClientItem.get("BIZ#biz_salon#CLIENT", client_id_of(store, made["reference"]))
    item.update(actions=[ClientItem.email.set("eva.ruiz@example.com")])  # as the backoffice edit does
    later(clock, minutes=1)
    before = store.appointment(made["reference"])
    factories.change(store, before, replace(before, start=before.start.replace(hour=11), end=before.end.replace(hour=11),
                                 busy=replace(before.busy, start=before.busy.start.replace(hour=11),
                                              end=before.busy.end.replace(hour=11)),
                                 updated_at=clock["value"]))
    deliver(client)
    assert [m.to for m in emails()] == ["eva.ruiz@example.com"]
