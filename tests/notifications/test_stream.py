"""The table's stream: a committed change's message goes out at once, its events reach their subscribers,
and a record delivered twice changes nothing (Lambda delivers at least once).

moto records no stream for PynamoDB's writes that its Streams API will hand out, so the records are built
from the items as stored (the same DynamoDB-JSON images the stream carries); tests/integration/test_stream.py
reads DynamoDB Local's real stream."""
from __future__ import annotations

import pytest

from chalicelib.domain.events import EventName
from chalicelib.jobs import stream
from chalicelib.repositories.tables import AppointmentItem, OutboxItem
from tests.notifications.delivery_helpers import book, deliver, emails, later, sms


def record(item, old=None, name: str = "INSERT") -> dict:
    images = {"NewImage": item.serialize(), "SequenceNumber": "1", "SizeBytes": 1,
              "StreamViewType": "NEW_AND_OLD_IMAGES", "ApproximateCreationDateTime": 0,
              "Keys": {"pk": {"S": item.pk}, "sk": {"S": item.sk}}}
    if old is not None:
        images["OldImage"] = old.serialize()
    return {"eventID": "1", "eventName": name, "eventVersion": "1.1", "eventSource": "aws:dynamodb",
            "awsRegion": "eu-west-1", "eventSourceARN": "arn:aws:dynamodb:eu-west-1:1:table/t/stream/x",
            "dynamodb": images}


def on_table_change(client, records: list[dict]) -> dict:
    return client.lambda_.invoke("on_table_change", {"Records": records}).payload


@pytest.fixture
def heard(monkeypatch):
    """A subscriber to every event, as a feature would add one."""
    got = []
    # the features subscribe when first loaded: loaded here, not into the stand-in below (lost to later tests)
    from chalicelib.jobs import client_activity, marketing, report_counters, waitlist_offers  # noqa: F401
    monkeypatch.setattr(stream, "SUBSCRIBERS", {name: [got.append] for name in EventName})
    return got


def test_a_new_booking_is_confirmed_at_once_and_once(client, salon, clock, ses, heard):
    made = book(client)
    [message] = OutboxItem.scan()
    appointment = AppointmentItem.get(f"APPT#{made['reference']}", "APPT")
    records = [record(appointment), record(message)]
    report = on_table_change(client, records)
    assert [m.to for m in emails()] == ["eva@example.com"] and len(sms()) == 1  # before any outbox job ran
    assert report["sent"] == 2 and report["events"] == 1
    assert [(e.name, e.reference) for e in heard] == [(EventName.BOOKED, made["reference"])]
    on_table_change(client, records)  # delivered again by the stream
    assert deliver(client)["sent"] == 0  # and the outbox job finds nothing left to send
    assert len(emails()) == 1 and len(sms()) == 1


def test_bookkeeping_on_the_appointment_repeats_no_event(client, salon, clock, ses, heard):
    made = book(client)
    before = AppointmentItem.get(f"APPT#{made['reference']}", "APPT")
    deliver(client)  # arms the reminders: an update of the appointment item that is no change of it
    after = AppointmentItem.get(f"APPT#{made['reference']}", "APPT")
    assert after.reminders_armed and after.updated_at == before.updated_at
    on_table_change(client, [record(after, old=before, name="MODIFY")])
    assert heard == []


def test_a_cancellation_frees_the_professionals_time(client, salon, clock, ses, heard):
    from tests.api.helpers import post

    made = book(client)
    before = AppointmentItem.get(f"APPT#{made['reference']}", "APPT")
    later(clock, minutes=5)
    cancelled = post(client, f"/public/bookings/{made['reference']}/cancel?token={made['manage_token']}", {})
    assert cancelled.status_code == 200
    after = AppointmentItem.get(f"APPT#{made['reference']}", "APPT")
    on_table_change(client, [record(after, old=before, name="MODIFY")])
    assert [e.name for e in heard] == [EventName.CANCELLED, EventName.TIME_FREED]
    freed = heard[1]
    assert (freed.resource.kind, freed.resource.id, freed.by) == ("staff", "stf_ana", "client")
    assert (freed.interval.start, freed.interval.end) == (before.busy_start, before.busy_end)


def test_a_message_queued_for_later_waits_for_its_time(client, salon, clock, ses):
    book(client)
    [message] = OutboxItem.scan()
    due = message.created_at
    message.created_at = due.replace(year=due.year + 1)  # as a reminder queued ahead would be
    assert on_table_change(client, [record(message)])["sent"] == 0 and emails() == []
    message.created_at = due
    assert on_table_change(client, [record(message)])["sent"] == 2


def test_a_message_that_cannot_be_sent_now_does_not_hold_up_the_events(client, salon, clock, ses, heard):
    from chalicelib.notifications import delivery

    made = book(client)
    [message] = OutboxItem.scan()
    appointment = AppointmentItem.get(f"APPT#{made['reference']}", "APPT")

    def broken(*_):
        raise RuntimeError("the catalog could not be read")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(delivery, "deliver", broken)
        report = on_table_change(client, [record(message), record(appointment)])
    assert report["errors"] == 1 and [e.name for e in heard] == [EventName.BOOKED]
    assert deliver(client)["sent"] == 2  # the outbox job is the safety net
